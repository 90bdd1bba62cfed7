/**
 * Shared crypto types: signing keys, the ed25519 backend names and the caller-supplied key lookup.
 */
import type { LibraryError } from '../errors/base.js';

/** The ed25519 implementations the library can use. All give libsodium's verdicts. */
export type Ed25519BackendName = 'sodium' | 'node' | 'noble';

/** A server's ed25519 signing key. The 32-byte seed is held privately and never enumerable. */
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

/** A verification key known for `(serverName, keyId)`, as the caller's key store returns it. */
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
}

/** Caller-supplied, pure key lookup (no network): undefined when the key is not known. */
export type KeyLookup = (serverName: string, keyId: string) => VerifyKeyEntry | undefined;

/** Why a key, seed, key ID or key file was refused. */
export type KeyErrorReason =
  | 'invalid_seed'
  | 'invalid_version'
  | 'invalid_key_id'
  | 'invalid_verify_key'
  | 'bad_base64'
  | 'unsupported_algorithm'
  | 'invalid_key_file'
  | 'invalid_input'
  | 'backend_failure';

/** A key-handling error (`kind: 'KeyError'`). */
export interface KeyError extends LibraryError<'KeyError', KeyErrorReason> {
  /** For key files: the 1-based line number concerned. */
  readonly line?: number;
}
