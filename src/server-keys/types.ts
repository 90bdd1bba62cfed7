/**
 * Shared types of the server keys module: what a verified key server answer holds and what the key store keeps.
 */
import type { Ed25519BackendName, KeyLookup } from '../crypto/types.js';
import type { JsonPath } from '../errors/base.js';
import type { JsonObject } from '../json/value.js';

/**
 * A notary (trusted key server) whose signatures the caller trusts: its server name and its verify keys, as in
 * Synapse's `trusted_key_servers` configuration.
 *
 * @category Server keys
 */
export interface TrustedNotary {
  /** The notary's server name, e.g. `matrix.org`. */
  readonly serverName: string;
  /** Its verify keys: key ID (`ed25519:...`) to public key (unpadded base64 or 32 raw bytes). */
  readonly verifyKeys: Readonly<Record<string, string | Uint8Array>>;
}

/**
 * Options of `verifyServerKeys`.
 *
 * @category Server keys
 */
export interface VerifyServerKeysOptions {
  /**
   * The server whose keys were asked for. For a notary answer to `POST /_matrix/key/v2/query`, every server asked
   * for; an entry for any other server is refused (`server_name_mismatch`).
   */
  readonly serverName: string | readonly string[];
  /**
   * When the answer was fetched (ms since the epoch). The key store caps validity at `now + 7 days` and schedules a
   * refresh from it; an answer whose `valid_until_ts` is already past is still accepted (old events need its keys).
   */
  readonly now: number;
  /**
   * The answer came from a notary (`POST /_matrix/key/v2/query` or `GET /_matrix/key/v2/query/{serverName}`): the
   * body must be `{"server_keys": [...]}` and each entry must also carry a valid signature by one of these
   * notaries. Absent: the answer came from the server itself (`GET /_matrix/key/v2/server`).
   */
  readonly notaries?: readonly TrustedNotary[];
  /**
   * `spec` (default): key IDs must be `ed25519:[a-zA-Z0-9_]+` and keys canonical unpadded base64. `synapse`: any
   * version after `ed25519:` and keys decoded as python-unpaddedbase64 does (padding allowed), as Synapse accepts.
   */
  readonly compatibility?: 'spec' | 'synapse';
  /** ed25519 backend (verdicts are libsodium's with every backend). */
  readonly backend?: Ed25519BackendName;
}

/**
 * One verify key from a verified answer.
 *
 * @category Server keys
 */
export interface VerifiedKey {
  /** The server the key belongs to. */
  readonly serverName: string;
  /** `ed25519:<version>`. */
  readonly keyId: string;
  /** The public key, canonical unpadded base64 (32 bytes). */
  readonly key: string;
  /** True for a key from `old_verify_keys` (only valid for checking events, never for requests). */
  readonly old: boolean;
  /** As published: the answer's `valid_until_ts` for a current key, the key's `expired_ts` for an old one. */
  readonly validUntilTs: number;
}

/**
 * One server's verified answer (the whole `/_matrix/key/v2/server` answer, or one `server_keys` entry).
 *
 * @category Server keys
 */
export interface ServerKeyAnswer {
  /** The answer's `server_name`. */
  readonly serverName: string;
  /** The answer's `valid_until_ts` (integers beyond 2^53-1 are clamped to `Number.MAX_SAFE_INTEGER`). */
  readonly validUntilTs: number;
  /** The ed25519 keys: `verify_keys` then `old_verify_keys` (a key ID listed in both counts as old, as in Synapse). */
  readonly keys: readonly VerifiedKey[];
  /** The key IDs whose self-signature verified. */
  readonly signedBy: readonly string[];
  /** For a notary answer: each trusted notary that signed the entry, with the key IDs that verified. */
  readonly notarySignatures: readonly {
    /** The notary's server name. */
    readonly serverName: string;
    /** Its key IDs whose signature verified. */
    readonly keyIds: readonly string[];
  }[];
  /** Key IDs of algorithms other than ed25519, skipped (the spec defines only ed25519). */
  readonly ignoredKeyIds: readonly string[];
  /** The verified JSON object, as received: keep it to re-verify from a cache or to serve it as a notary. */
  readonly json: JsonObject;
  /** Where it was in the body: `[]`, or `['server_keys', i]` in a notary answer. */
  readonly path: JsonPath;
}

/**
 * A verified key server answer: the result of `verifyServerKeys`.
 *
 * @category Server keys
 */
export interface VerifiedServerKeys {
  /** `server` for `GET /_matrix/key/v2/server`, `query` for a notary answer. */
  readonly source: 'server' | 'query';
  /** When it was fetched: the `now` it was verified with. */
  readonly fetchedAt: number;
  /** One entry per server answer (several, or none, for a notary answer). */
  readonly servers: readonly ServerKeyAnswer[];
  /**
   * A key lookup over this answer alone, with the default key store rules (7-day cap from `fetchedAt`). Merge
   * several answers with `createServerKeyStore`.
   */
  readonly lookup: KeyLookup;
}

/**
 * A key held by the key store.
 *
 * @category Server keys
 */
export interface StoredKey extends VerifiedKey {
  /**
   * The validity the lookups report: for a current key the lesser of `valid_until_ts` and `fetchedAt + 7 days`
   * (see `ServerKeyStoreOptions.maxValidityMs`), for an old key its `expired_ts`.
   */
  readonly usableUntilTs: number;
  /** When the answer it came from was fetched. */
  readonly fetchedAt: number;
}

/**
 * What the key store knows about a server's latest answer: when to fetch it again.
 *
 * @category Server keys
 */
export interface ServerKeyStatus {
  /** The server. */
  readonly serverName: string;
  /** When its latest answer was fetched. */
  readonly fetchedAt: number;
  /** That answer's `valid_until_ts`, capped like the keys (the lesser of it and `fetchedAt + 7 days`). */
  readonly usableUntilTs: number;
  /**
   * When to fetch it again: half-way between `fetchedAt` and `usableUntilTs` (Synapse's notary refetches a cached
   * answer past half its lifetime), or `fetchedAt` for an answer that was already out of date.
   */
  readonly refreshAt: number;
}
