/**
 * Shared crypto types: signing keys, the ed25519 backend names and the caller-supplied key lookup.
 */
import type { LibraryError } from '../errors/base.js';

/**
 * The synchronous ed25519 implementations the library can use, all with libsodium's verdicts: `sodium`
 * (sodium-native, optional), `node` (`node:crypto`), `noble` (`@noble/ed25519`, pure JavaScript, always there).
 *
 * @category Keys
 */
export type Ed25519BackendName = 'sodium' | 'node' | 'noble';

/**
 * A backend for the async helpers (`receiveInviteAsync`...): any synchronous one, or `webcrypto` (Web Crypto's
 * native Ed25519, `crypto.subtle`, async only), also with libsodium's verdicts.
 *
 * @category Keys
 */
export type Ed25519AsyncBackendName = Ed25519BackendName | 'webcrypto';

/**
 * A synchronous ed25519 verdict on `(publicKey, message, signature)` (32, any, 64 bytes), in place of a backend:
 * true when the signature is valid by libsodium's rules. The async helpers pass one that answers from verdicts
 * computed in advance.
 */
export type Ed25519Verifier = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;

/**
 * A server's ed25519 signing key. The 32-byte seed is held privately and never enumerable.
 *
 * @category Keys
 */
export interface SigningKey {
  /** Always `ed25519`, the only algorithm Matrix defines. */
  readonly algorithm: 'ed25519';
  /** The key version, e.g. `a_abcd` (`[a-zA-Z0-9_]+`). */
  readonly version: string;
  /** `ed25519:<version>`. */
  readonly keyId: string;
  /** The public key, unpadded standard base64. */
  readonly publicKey: string;
  /** The public key, 32 raw bytes. */
  readonly publicKeyBytes: Uint8Array;
  /** The backend this key signs with. */
  readonly backend: Ed25519BackendName;
  /** Signs a message: a 64-byte ed25519 signature (deterministic, identical across backends). */
  sign(message: Uint8Array): Uint8Array;
}

/**
 * A verification key known for `(serverName, keyId)`, as the caller's key store returns it.
 *
 * @category Keys
 */
export interface VerifyKeyEntry {
  /** The public key: unpadded base64 or 32 raw bytes. */
  readonly key: string | Uint8Array;
  /**
   * Milliseconds since the epoch until which the key may be used: a server key response's `valid_until_ts`, or
   * `expired_ts` for an `old_verify_keys` entry. Absent: no known limit (the caller vouches for the key). Either way
   * a `now` option caps it at `now + 7 days`; room versions 5+ need it at least the event's `origin_server_ts`
   * (`docs/events.md`, "Key validity").
   */
  readonly validUntilTs?: number;
  /**
   * True for a key the server lists in `old_verify_keys` (then `validUntilTs` is its `expired_ts`). The spec says
   * old keys "are only valid for signing events" (server-server API "Publishing Keys",
   * https://spec.matrix.org/v1.19/server-server-api/#publishing-keys): event checks use them up to `validUntilTs`,
   * X-Matrix request authentication (`verifyRequest`) refuses them. Absent means a current key.
   */
  readonly expired?: boolean;
}

/**
 * Caller-supplied, pure key lookup (no network): undefined when the key is not known. `validAt` is the time
 * (ms since the epoch) the key must be valid at, when the check knows it (an event's `origin_server_ts` in room
 * versions 5+, `now` for X-Matrix when given): a store may use it to pick the right old key; the check itself
 * still compares `validUntilTs`. Lookups that ignore it are fine.
 *
 * @category Keys
 */
export type KeyLookup = (serverName: string, keyId: string, validAt?: number) => VerifyKeyEntry | undefined;

/**
 * An async key lookup, what a homeserver's key store usually is: it may fetch from the network. Answers like
 * {@link KeyLookup} (a promise of one, or the value itself). A rejection is a fetch that failed: the key is unknown
 * (as when the promise resolves `undefined`), as in Synapse. A synchronous throw, or a promise of something that
 * is not `undefined` or a {@link VerifyKeyEntry}, is a programming error, reported as for a {@link KeyLookup}.
 *
 * @category Keys
 */
export type AsyncKeyLookup = (
  serverName: string,
  keyId: string,
  validAt?: number,
) => Promise<VerifyKeyEntry | undefined> | VerifyKeyEntry | undefined;

/**
 * A verify key that a check needs and the lookup did not know: which server, which key ID and, where key validity
 * matters (room versions 5+), the time the key must be valid at. Lists of these tell a caller what to fetch from
 * `/_matrix/key/v2/server` or a notary before checking again.
 *
 * @category Keys
 */
export interface KeyRequest {
  /** The server whose key is needed. */
  readonly serverName: string;
  /** The key ID, e.g. `ed25519:a_AbCd`. */
  readonly keyId: string;
  /** Milliseconds since the epoch at which the key must be valid (the event's `origin_server_ts`, rooms 5+). */
  readonly validAt?: number;
}

/**
 * Why a key, seed, key ID or key file was refused.
 *
 * @category Keys
 */
export type KeyErrorReason =
  | 'invalid_seed'
  | 'invalid_version'
  | 'invalid_verify_key'
  | 'bad_base64'
  | 'unsupported_algorithm'
  | 'invalid_key_file'
  | 'invalid_input'
  | 'backend_failure';

/**
 * A key-handling error (`kind: 'KeyError'`).
 *
 * @category Keys
 */
export interface KeyError extends LibraryError<'KeyError', KeyErrorReason> {
  /** For key files: the 1-based line number concerned. */
  readonly line?: number;
}
