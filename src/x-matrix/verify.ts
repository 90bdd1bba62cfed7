/**
 * Verifying an X-Matrix signed request (spec server-server API "Request Authentication"; protocol.md 7.8; Synapse
 * `synapse/federation/transport/server/_base.py` `Authenticator.authenticate_request`).
 *
 * As in Synapse, the signed object is rebuilt with `destination` = this server's name whether or not the header
 * carries a `destination` parameter (senders have always signed it; the header parameter only came in v1.3). A
 * header `destination` that is not ours is refused with 401 (spec: "must deny the request with an HTTP status code
 * 401 Unauthorized"); a missing one is accepted ("recipients should accept requests without this parameter").
 */
import * as E from 'fp-ts/lib/Either.js';
import { ed25519OptionsOf } from '../crypto/backends.js';
import { verifyJsonSignature } from '../crypto/json-signing.js';
import { lookUpVerifyKey } from '../crypto/key-lookup.js';
import { isKeyValidAt } from '../crypto/key-validity.js';
import type { Ed25519BackendName, Ed25519Verifier, KeyLookup } from '../crypto/types.js';
import type { LibraryError } from '../errors/base.js';
import { describeUnknown, describeValue } from '../errors/describe.js';
import {
  BACKEND_NAMES,
  BASE64_MODES,
  enumProblem,
  finiteNumberProblem,
  firstProblem,
} from '../errors/options.js';
import { encodeCanonicalJsonBytes } from '../json/canonical.js';
import { jsonValueProblem } from '../json/check-value.js';
import type { JsonValue } from '../json/value.js';
import { parseXMatrixHeader, type XMatrixHeader, type XMatrixHeaderError } from './header.js';
import { requestSigningObject } from './sign.js';

/** What the receiving server knows about an incoming request. */
export interface IncomingXMatrixRequest {
  /** The HTTP method as received. */
  readonly method: string;
  /** The request target (path and query) exactly as received, not decoded. */
  readonly uri: string;
  /**
   * The name the request is checked as addressed to (the signed object's `destination`); defaults to
   * `ourServerName`. Only useful for a server answering under several names.
   */
  readonly destination?: string;
  /** The parsed JSON body; omit (or `null`) when there is none. */
  readonly content?: JsonValue | null;
  /** The `Authorization` header value. */
  readonly authorization: string;
}

/** Why a request failed authentication. See {@link X_MATRIX_ERROR_STATUS} for the HTTP answer. */
export type XMatrixVerifyErrorReason =
  /**
   * A caller error (500): the request object is not an object, `method`/`uri`/`destination` are not strings, or
   * `content` is not a JSON value (an `ArrayBuffer`...). The HTTP layer's mistake, never the peer's.
   */
  | 'invalid_request'
  /**
   * A caller error (500): `ourServerName` is not a non-empty string, `keys` is not a function, the key lookup threw or
   * answered junk (a Promise...), or an option has the wrong type.
   */
  | 'invalid_context'
  /** The header does not parse (`cause` says why). Synapse: 400 "Malformed Authorization header". */
  | 'malformed_header'
  /** The header's `destination` is not this server: 401. */
  | 'destination_mismatch'
  /** The key ID's algorithm is not `ed25519`. */
  | 'unsupported_algorithm'
  /** The key lookup does not know `(origin, key)`. */
  | 'unknown_key'
  /**
   * `options.now` is after the key's `validUntilTs`, or the key is an old key (`expired: true`, from
   * `old_verify_keys`), which the spec only allows for signing events.
   */
  | 'key_expired'
  /** The body has no canonical JSON form. */
  | 'canonical_json'
  /** The signature does not verify (or is not base64, or has the wrong length). */
  | 'invalid_signature';

/** A request authentication error (`kind: 'XMatrixVerifyError'`). */
export interface XMatrixVerifyError extends LibraryError<'XMatrixVerifyError', XMatrixVerifyErrorReason> {
  /** Suggested HTTP answer (from {@link X_MATRIX_ERROR_STATUS}). */
  readonly status: number;
  /** Suggested Matrix error code (`M_UNAUTHORIZED`, or `M_BAD_JSON` for `canonical_json`). */
  readonly errcode: string;
  /** The parsed header, when it parsed. */
  readonly header?: XMatrixHeader;
  /** For `malformed_header`: the parser's error. */
  readonly cause?: XMatrixHeaderError;
}

/**
 * HTTP status and errcode for each reason, as Synapse answers: a malformed header is 400 `M_UNAUTHORIZED`, every
 * other authentication failure 401 `M_UNAUTHORIZED` (including a destination mismatch, as the spec requires). Caller
 * errors (`invalid_request`, `invalid_context`) are 500 `M_UNKNOWN`: never the peer's fault.
 */
export const X_MATRIX_ERROR_STATUS: Readonly<
  Record<
    XMatrixVerifyErrorReason,
    {
      /** The HTTP status: 400 or 401. */
      readonly status: number;
      /** The Matrix error code. */
      readonly errcode: string;
    }
  >
> = Object.freeze({
  invalid_request: { status: 500, errcode: 'M_UNKNOWN' },
  invalid_context: { status: 500, errcode: 'M_UNKNOWN' },
  malformed_header: { status: 400, errcode: 'M_UNAUTHORIZED' },
  destination_mismatch: { status: 401, errcode: 'M_UNAUTHORIZED' },
  unsupported_algorithm: { status: 401, errcode: 'M_UNAUTHORIZED' },
  unknown_key: { status: 401, errcode: 'M_UNAUTHORIZED' },
  key_expired: { status: 401, errcode: 'M_UNAUTHORIZED' },
  canonical_json: { status: 400, errcode: 'M_BAD_JSON' },
  invalid_signature: { status: 401, errcode: 'M_UNAUTHORIZED' },
});

/** Options of {@link verifyRequest}. */
export interface VerifyRequestOptions {
  /**
   * Current time (ms since the epoch): when given, a key whose `validUntilTs` is before it is refused (`key_expired`),
   * as Synapse requires the key valid at the time of the request; a key without `validUntilTs` has no limit. Absent,
   * validity is not checked.
   */
  readonly now?: number;
  /** ed25519 backend. */
  readonly backend?: Ed25519BackendName;
  /** A signature verdict function used instead of `backend` (the async helpers supply one). */
  readonly verifier?: Ed25519Verifier;
  /** Signature base64 decoding (default `synapse`, see `verifyJsonSignature`). */
  readonly base64Mode?: 'lenient' | 'strict' | 'synapse';
}

/** An authenticated request. */
export interface VerifiedRequest {
  /** The authenticated origin server. */
  readonly origin: string;
  /** The key ID that verified. */
  readonly keyId: string;
  /** The header's `destination`, when it had one (then equal to ours). */
  readonly destination?: string;
  /** The parsed header. */
  readonly header: XMatrixHeader;
}

function fail(
  reason: XMatrixVerifyErrorReason,
  message: string,
  extra: { header?: XMatrixHeader; cause?: XMatrixHeaderError } = {},
): E.Either<XMatrixVerifyError, never> {
  return E.left({
    kind: 'XMatrixVerifyError',
    reason,
    message,
    path: [],
    ...X_MATRIX_ERROR_STATUS[reason],
    ...extra,
  });
}

/**
 * Authenticates an incoming federation request from its X-Matrix `Authorization` header. Never throws.
 *
 * @example
 * verifyRequest({ method: 'PUT', uri, content: body, authorization }, 'invitee.example', keys)
 * // Right({ origin: 'inviter.example', keyId: 'ed25519:1', destination: 'invitee.example', header })
 * // Left({ reason: 'destination_mismatch', status: 401, errcode: 'M_UNAUTHORIZED' })
 */
export function verifyRequest(
  request: IncomingXMatrixRequest,
  ourServerName: string,
  keys: KeyLookup,
  rawOptions: VerifyRequestOptions = {},
): E.Either<XMatrixVerifyError, VerifiedRequest> {
  try {
    const options: VerifyRequestOptions = rawOptions ?? {};
    const context = contextProblem(ourServerName, keys, options);
    if (context !== undefined) return fail('invalid_context', context);
    const problem = requestProblem(request);
    if (problem !== undefined) return fail('invalid_request', problem);
    return verify(request, ourServerName, keys, options);
  } catch (error) {
    return fail(
      'invalid_request',
      `the request cannot be read: ${error instanceof Error ? error.message : describeUnknown(error)}`,
    );
  }
}

/** Caller mistakes in what the server knows (`invalid_context`). */
function contextProblem(
  ourServerName: unknown,
  keys: unknown,
  options: VerifyRequestOptions,
): string | undefined {
  return firstProblem(
    () =>
      typeof ourServerName === 'string' && ourServerName.length > 0
        ? undefined
        : `ourServerName must be a non-empty string, got ${describeValue(ourServerName)}`,
    () =>
      typeof keys === 'function'
        ? undefined
        : `keys must be a key lookup function, got ${describeValue(keys)}`,
    () =>
      typeof options === 'object' ? undefined : `options must be an object, got ${describeValue(options)}`,
    () => finiteNumberProblem('options.now', options.now),
    () => enumProblem('options.backend', options.backend, BACKEND_NAMES),
    () => enumProblem('options.base64Mode', options.base64Mode, BASE64_MODES),
  );
}

/** Caller mistakes in the request object the HTTP layer built (`invalid_request`). */
function requestProblem(request: IncomingXMatrixRequest): string | undefined {
  if (typeof request !== 'object' || request === null)
    return `request must be an object, got ${describeValue(request)}`;
  return firstProblem(
    () =>
      typeof request.method === 'string'
        ? undefined
        : `request.method must be a string, got ${describeValue(request.method)}`,
    () =>
      typeof request.uri === 'string'
        ? undefined
        : `request.uri must be a string, got ${describeValue(request.uri)}`,
    () =>
      request.destination === undefined || typeof request.destination === 'string'
        ? undefined
        : `request.destination must be a string, got ${describeValue(request.destination)}`,
    () => {
      const problem = request.content === undefined ? undefined : jsonValueProblem(request.content);
      return problem === undefined
        ? undefined
        : `request.content must be a parsed JSON value: ${problem.replace(/^\$/, 'content')}`;
    },
  );
}

function verify(
  request: IncomingXMatrixRequest,
  ourServerName: string,
  keys: KeyLookup,
  options: VerifyRequestOptions,
): E.Either<XMatrixVerifyError, VerifiedRequest> {
  const destination = request.destination ?? ourServerName;

  const parsed = parseXMatrixHeader(request.authorization);
  if (E.isLeft(parsed)) {
    return fail('malformed_header', `malformed Authorization header: ${parsed.left.message}`, {
      cause: parsed.left,
    });
  }
  const header = parsed.right;
  if (header.destination !== undefined && header.destination !== ourServerName) {
    return fail(
      'destination_mismatch',
      `the request is addressed to ${JSON.stringify(header.destination)}, not to ${JSON.stringify(ourServerName)}`,
      { header },
    );
  }
  const colon = header.key.indexOf(':');
  if (colon < 0 || header.key.slice(0, colon) !== 'ed25519') {
    return fail('unsupported_algorithm', `unsupported key ID ${JSON.stringify(header.key)}`, { header });
  }
  const found = lookUpVerifyKey(keys, header.origin, header.key, options.now);
  if (found.kind === 'invalid') return fail('invalid_context', found.message, { header });
  if (found.kind === 'unknown') {
    return fail('unknown_key', `no key ${header.key} known for ${header.origin}`, { header });
  }
  const entry = found.entry;
  if (entry.expired === true) {
    // Spec "Publishing Keys": old_verify_keys "are only valid for signing events", never for requests.
    return fail(
      'key_expired',
      `key ${header.key} of ${header.origin} is an old key (old_verify_keys): only valid for signing events`,
      { header },
    );
  }
  // The key must be valid now (Synapse: `verify_json_for_server(origin, request, now)`); one rule for every check
  // (src/crypto/key-validity.ts). A key without validUntilTs has no limit; the 7-day cap cannot bite at `now`.
  const validUntil = entry.validUntilTs;
  if (options.now !== undefined && !isKeyValidAt(entry, options.now, options.now)) {
    return fail('key_expired', `key ${header.key} of ${header.origin} expired at ${validUntil}`, { header });
  }

  const signed = requestSigningObject({
    method: request.method,
    uri: request.uri,
    origin: header.origin,
    destination,
    ...(request.content === undefined ? {} : { content: request.content }),
  });
  const bytes = encodeCanonicalJsonBytes(signed);
  if (E.isLeft(bytes)) {
    return fail('canonical_json', `request has no canonical JSON form: ${bytes.left.message}`, { header });
  }
  const withSignature = { ...signed, signatures: { [header.origin]: { [header.key]: header.sig } } };
  const verified = verifyJsonSignature(withSignature, header.origin, header.key, entry.key, {
    signedBytes: bytes.right,
    ...ed25519OptionsOf(options),
    ...(options.base64Mode === undefined ? {} : { base64Mode: options.base64Mode }),
  });
  if (E.isLeft(verified)) {
    return fail('invalid_signature', `invalid X-Matrix signature: ${verified.left.message}`, { header });
  }
  return E.right({
    origin: header.origin,
    keyId: header.key,
    header,
    ...(header.destination === undefined ? {} : { destination: header.destination }),
  });
}
