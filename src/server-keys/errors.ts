/**
 * Errors of the server keys module (spec server-server API "Retrieving server keys",
 * https://spec.matrix.org/v1.19/server-server-api/#retrieving-server-keys).
 */
import type { JsonPath, LibraryError } from '../errors/base.js';
import type { JsonError } from '../json/parse.js';

/**
 * Why a key server answer (or a call) was refused. Every reason but `invalid_context` is about the answer a key
 * server or notary sent; `invalid_context` is the caller's mistake (bad options, a value that is not a key answer,
 * an answer not returned by `verifyServerKeys`) and never the peer's fault.
 *
 * @category Server keys
 */
export type ServerKeysErrorReason =
  /** The caller's options or arguments are wrong (the message says which); not the key server's fault. */
  | 'invalid_context'
  /** The body is not JSON Synapse would parse (invalid UTF-8, syntax, limits; `cause` has the parser's error). */
  | 'invalid_json'
  /** The answer (or a `server_keys` entry) is not a JSON object. */
  | 'not_object'
  /** A notary answer without a `server_keys` array. */
  | 'invalid_server_keys'
  /** `server_name` is missing or not a string. */
  | 'invalid_server_name'
  /** `server_name` is not the server whose keys were asked for. */
  | 'server_name_mismatch'
  /** `verify_keys` is missing or not an object, or one of its entries is not an object. */
  | 'invalid_verify_keys'
  /** `old_verify_keys` is present but not an object, or one of its entries is not an object. */
  | 'invalid_old_verify_keys'
  /** An `ed25519` key ID whose version does not match `[a-zA-Z0-9_]+` (spec mode), or an empty one. */
  | 'invalid_key_id'
  /** A `key` that is missing, not a string, not unpadded base64 or not 32 bytes. */
  | 'invalid_key'
  /** `valid_until_ts` is missing or not an integer in 0..2^63-1. */
  | 'invalid_valid_until_ts'
  /** An old key's `expired_ts` is missing or not an integer in 0..2^63-1. */
  | 'invalid_expired_ts'
  /** `signatures`, or the server's (or a notary's) entry in it, is missing or not an object. */
  | 'invalid_signatures'
  /** No signature of the server by one of the keys it lists in `verify_keys`. */
  | 'not_self_signed'
  /** A signature of the server by one of its listed keys does not verify (or is not base64, or wrong length). */
  | 'bad_signature'
  /** A notary answer entry has no signature by any trusted notary key. */
  | 'notary_signature_missing'
  /** A signature by a trusted notary key does not verify. */
  | 'bad_notary_signature';

/**
 * A server keys error (`kind: 'ServerKeysError'`); `path` points into the answer (empty for the whole answer).
 *
 * @category Server keys
 */
export interface ServerKeysError extends LibraryError<'ServerKeysError', ServerKeysErrorReason> {
  /** For `invalid_json`: the parser's error. */
  readonly cause?: JsonError;
  /** The server the failing entry is about, when it is known (its `server_name`). */
  readonly serverName?: string;
}

/** Builds a {@link ServerKeysError}. */
export function serverKeysError(
  reason: ServerKeysErrorReason,
  message: string,
  path: JsonPath = [],
  extra: { readonly cause?: JsonError; readonly serverName?: string } = {},
): ServerKeysError {
  // Read once and never throw (`extra` may be null, or have getters that throw, from an untyped caller).
  let cause: JsonError | undefined;
  let serverName: string | undefined;
  try {
    cause = extra?.cause;
    serverName = extra?.serverName;
  } catch {
    // no extras
  }
  return {
    kind: 'ServerKeysError',
    reason,
    message,
    path,
    ...(cause === undefined ? {} : { cause }),
    ...(serverName === undefined ? {} : { serverName }),
  };
}
