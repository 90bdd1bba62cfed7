/**
 * Our own `GET /_matrix/key/v2/server` answer (spec "Publishing Keys",
 * https://spec.matrix.org/v1.19/server-server-api/#publishing-keys), laid out as Synapse's `LocalKey` resource
 * (`synapse/rest/key/v2/local_key_resource.py`): `server_name`, `valid_until_ts`, `verify_keys`, `old_verify_keys`
 * (always present, possibly empty), signed by every current key.
 */
import * as E from 'fp-ts/lib/Either.js';
import { signJson } from '../crypto/json-signing.js';
import { decodeVerifyKey } from '../crypto/keys.js';
import type { SigningKey } from '../crypto/types.js';
import { encodeBase64 } from '../encoding/base64.js';
import { parseKeyId } from '../identifiers/key-id.js';
import { parseServerName } from '../identifiers/server-name.js';
import { encodeCanonicalJsonBytes } from '../json/canonical.js';
import { type JsonObject, type MutableJsonObject, setOwn } from '../json/value.js';
import { type ServerKeysError, serverKeysError } from './errors.js';

/**
 * A key this server used to sign with, published in `old_verify_keys`.
 *
 * @category Server keys
 */
export interface OldVerifyKey {
  /** `ed25519:<version>`. */
  readonly keyId: string;
  /** The public key: unpadded base64 or 32 raw bytes. */
  readonly key: string | Uint8Array;
  /** When the key stopped being used (ms since the epoch): events signed after it are not accepted (rooms 5+). */
  readonly expiredTs: number;
}

/**
 * Parameters of {@link buildServerKeys}.
 *
 * @category Server keys
 */
export interface BuildServerKeysParams {
  /** Our server name. */
  readonly serverName: string;
  /** The current signing key, or several: each is listed in `verify_keys` and signs the answer. */
  readonly signingKey: SigningKey | readonly SigningKey[];
  /**
   * Until when other servers may cache the answer (ms since the epoch). Synapse publishes `now + 1 day`
   * (`key_refresh_interval`) and renews it when less than half remains. Other servers cap it at 7 days.
   */
  readonly validUntilTs: number;
  /** Keys no longer in use, with the time they expired. */
  readonly oldKeys?: readonly OldVerifyKey[];
}

/**
 * Our signed key answer.
 *
 * @category Server keys
 */
export interface BuiltServerKeys {
  /** The signed answer as JSON. */
  readonly json: JsonObject;
  /** Its canonical JSON bytes: the exact response body to serve (`Content-Type: application/json`). */
  readonly bytes: Uint8Array;
}

const invalid = (message: string, path: (string | number)[]): E.Either<ServerKeysError, never> =>
  E.left(serverKeysError('invalid_context', message, path));

function isTimestamp(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isSigningKey(value: unknown): value is SigningKey {
  if (typeof value !== 'object' || value === null) return false;
  const key = value as Partial<SigningKey>;
  return typeof key.keyId === 'string' && typeof key.publicKey === 'string' && typeof key.sign === 'function';
}

function build(params: BuildServerKeysParams): E.Either<ServerKeysError, BuiltServerKeys> {
  if (typeof params !== 'object' || params === null) return invalid('params must be an object', []);
  const { serverName, validUntilTs } = params;
  if (E.isLeft(parseServerName(serverName))) {
    return invalid(`serverName is not a valid server name: ${JSON.stringify(serverName)}`, ['serverName']);
  }
  if (!isTimestamp(validUntilTs)) {
    return invalid('validUntilTs must be a non-negative integer (ms since the epoch)', ['validUntilTs']);
  }
  const signingKeys: readonly unknown[] = Array.isArray(params.signingKey)
    ? params.signingKey
    : [params.signingKey];
  if (signingKeys.length === 0)
    return invalid('signingKey: at least one current key is needed', ['signingKey']);
  const verifyKeys: MutableJsonObject = {};
  for (let i = 0; i < signingKeys.length; i++) {
    const key = signingKeys[i];
    if (!isSigningKey(key)) return invalid(`signingKey[${i}] is not a SigningKey`, ['signingKey', i]);
    if (E.isLeft(parseKeyId(key.keyId, { strict: true }))) {
      return invalid(`signingKey[${i}]: key ID ${JSON.stringify(key.keyId)} is not ed25519:[a-zA-Z0-9_]+`, [
        'signingKey',
        i,
      ]);
    }
    if (Object.hasOwn(verifyKeys, key.keyId)) {
      return invalid(`signingKey[${i}]: key ID ${key.keyId} appears twice`, ['signingKey', i]);
    }
    setOwn(verifyKeys, key.keyId, { key: key.publicKey });
  }
  const oldKeys: readonly unknown[] = params.oldKeys ?? [];
  if (!Array.isArray(oldKeys)) return invalid('oldKeys must be an array', ['oldKeys']);
  const oldVerifyKeys: MutableJsonObject = {};
  for (let i = 0; i < oldKeys.length; i++) {
    const old = oldKeys[i] as Partial<OldVerifyKey> | null;
    const path = ['oldKeys', i];
    if (typeof old !== 'object' || old === null) return invalid(`oldKeys[${i}] must be an object`, path);
    const { keyId, key, expiredTs } = old;
    if (E.isLeft(parseKeyId(keyId, { strict: true }))) {
      return invalid(`oldKeys[${i}].keyId ${JSON.stringify(keyId)} is not ed25519:[a-zA-Z0-9_]+`, [
        ...path,
        'keyId',
      ]);
    }
    const id = keyId as string;
    if (Object.hasOwn(verifyKeys, id) || Object.hasOwn(oldVerifyKeys, id)) {
      return invalid(`oldKeys[${i}]: key ID ${id} is already listed`, [...path, 'keyId']);
    }
    const decoded = key === undefined ? undefined : decodeVerifyKey(key);
    if (decoded === undefined || E.isLeft(decoded)) {
      return invalid(`oldKeys[${i}].key must be a 32-byte public key (base64 or bytes)`, [...path, 'key']);
    }
    if (!isTimestamp(expiredTs)) {
      return invalid(`oldKeys[${i}].expiredTs must be a non-negative integer (ms)`, [...path, 'expiredTs']);
    }
    setOwn(oldVerifyKeys, id, { key: encodeBase64(decoded.right), expired_ts: expiredTs });
  }
  let json: JsonObject = {
    server_name: serverName,
    valid_until_ts: validUntilTs,
    verify_keys: verifyKeys,
    old_verify_keys: oldVerifyKeys,
  };
  for (const key of signingKeys as readonly SigningKey[]) {
    const signed = signJson({ value: json, serverName, signingKey: key });
    if (E.isLeft(signed))
      return invalid(`signing with ${key.keyId} failed: ${signed.left.message}`, ['signingKey']);
    json = signed.right;
  }
  const bytes = encodeCanonicalJsonBytes(json);
  if (E.isLeft(bytes)) return invalid(`cannot encode the answer: ${bytes.left.message}`, []);
  return E.right({ json, bytes: bytes.right });
}

/**
 * Builds and signs our `GET /_matrix/key/v2/server` answer: the JSON and its canonical bytes (serve the bytes
 * as they are). Every current key signs it. Never throws; a bad parameter is `invalid_context`.
 *
 * @example
 * buildServerKeys({ serverName: 'inviter.example', signingKey, validUntilTs: Date.now() + 86_400_000 })
 * // Right({ json: { server_name, valid_until_ts, verify_keys, old_verify_keys: {}, signatures }, bytes })
 *
 * @category Server keys
 */
export function buildServerKeys(params: BuildServerKeysParams): E.Either<ServerKeysError, BuiltServerKeys> {
  try {
    return build(params);
  } catch (error) {
    return invalid(
      `cannot read the parameters: ${error instanceof Error ? error.message : String(error)}`,
      [],
    );
  }
}
