/**
 * Signing JSON and checking JSON signatures (spec appendix "Signing JSON"; protocol.md 7.1, 7.2, 7.7).
 *
 * The signed bytes are the canonical JSON (non-strict) of the object without its TOP-LEVEL `signatures` and
 * `unsigned` keys (nested keys of those names are signed like any other). Signatures are merged into
 * `signatures[serverName][keyId]`; every other signature and `unsigned` are kept.
 *
 * Callers that already hold the signed bytes (the events layer reuses one canonical encoding of the redacted
 * event for signature checks, reference hash and countersignature) can pass them as `signedBytes`, or use
 * {@link signCanonicalBytes} + {@link addSignature}.
 */
import * as E from 'fp-ts/lib/Either.js';
import { decodeBase64, encodeBase64 } from '../encoding/base64.js';
import { isUint8Array } from '../encoding/bytes.js';
import type { JsonPath, LibraryError } from '../errors/base.js';
import { errorText } from '../errors/describe.js';
import {
  type CanonicalJsonError,
  type CanonicalJsonOptions,
  encodeCanonicalJsonBytes,
} from '../json/canonical.js';
import {
  getOwn,
  isJsonObject,
  type JsonObject,
  type MutableJsonObject,
  omitKeys,
  setOwn,
} from '../json/value.js';
import { ed25519OptionsOf } from './backends.js';
import { ED25519_SIGNATURE_LENGTH, type Ed25519Options, verifyEd25519 } from './ed25519.js';
import { lookUpVerifyKey } from './key-lookup.js';
import { decodeVerifyKey, ED25519 } from './keys.js';
import type { KeyLookup, SigningKey } from './types.js';

/** The top-level keys left out of the signed bytes. */
export const UNSIGNED_TOP_LEVEL_KEYS: readonly string[] = ['signatures', 'unsigned'];

/** Why signing failed. */
export type SigningErrorReason =
  /** A caller error: the object or the key cannot be read (a throwing getter or Proxy). */
  | 'invalid_input'
  | 'not_object'
  | 'signatures_not_object'
  | 'server_signatures_not_object'
  | 'canonical_json'
  | 'invalid_signature_value'
  | 'signing_failed';

/** A signing error (`kind: 'SigningError'`). */
export type SigningError = LibraryError<'SigningError', SigningErrorReason>;

/** Why a signature check failed. */
export type VerifyErrorReason =
  | 'not_object'
  | 'missing_signatures'
  | 'signatures_not_object'
  | 'missing_server'
  | 'server_signatures_not_object'
  | 'unknown_key_id'
  | 'invalid_key_id'
  | 'unsupported_algorithm'
  | 'no_supported_signatures'
  | 'no_known_keys'
  | 'key_lookup_failed'
  | 'signature_not_string'
  | 'bad_base64'
  | 'wrong_signature_length'
  | 'invalid_verify_key'
  | 'canonical_json'
  | 'invalid_signature';

/** A verification error (`kind: 'VerifyError'`); `path` points at the signature concerned when there is one. */
export interface VerifyError extends LibraryError<'VerifyError', VerifyErrorReason> {
  /** The key ID concerned, when there is one. */
  readonly keyId?: string;
}

/** Options of the verification functions. */
export interface VerifyJsonOptions extends Ed25519Options {
  /**
   * How signatures are base64-decoded: `synapse` (default; exactly python-unpaddedbase64 as Synapse uses it),
   * `lenient` (either alphabet, optional padding) or `strict` (canonical unpadded standard base64 only).
   */
  readonly base64Mode?: 'lenient' | 'strict' | 'synapse';
  /**
   * The bytes the signature covers, when the caller already computed them (they must equal
   * {@link signingBytes} of the object). Saves a canonical encoding.
   */
  readonly signedBytes?: Uint8Array;
  /** Canonical JSON options when the signed bytes are computed here (default non-strict). */
  readonly canonical?: CanonicalJsonOptions;
}

function signingError(
  reason: SigningErrorReason,
  message: string,
  path: JsonPath = [],
): E.Either<SigningError, never> {
  return E.left({ kind: 'SigningError', reason, message, path });
}

function verifyError(
  reason: VerifyErrorReason,
  message: string,
  path: JsonPath = [],
  keyId?: string,
): E.Either<VerifyError, never> {
  return E.left(
    keyId === undefined
      ? { kind: 'VerifyError', reason, message, path }
      : { kind: 'VerifyError', reason, message, path, keyId },
  );
}

/**
 * The bytes a JSON signature covers: canonical JSON of `obj` without its top-level `signatures` and `unsigned`.
 *
 * @example signingBytes({ one: 1, unsigned: {} }) // Right(bytes of '{"one":1}')
 */
export function signingBytes(
  obj: JsonObject,
  options: CanonicalJsonOptions = {},
): E.Either<CanonicalJsonError, Uint8Array> {
  try {
    if (!isJsonObject(obj)) {
      return E.left({
        kind: 'CanonicalJsonError',
        reason: 'not_json',
        message: 'expected a JSON object',
        path: [],
      });
    }
    return encodeCanonicalJsonBytes(omitKeys(obj, UNSIGNED_TOP_LEVEL_KEYS), options);
  } catch (error) {
    return E.left({
      kind: 'CanonicalJsonError',
      reason: 'not_json',
      message: `the object cannot be read: ${errorText(error)}`,
      path: [],
    });
  }
}

/** Signs bytes (normally from {@link signingBytes}) with a signing key: unpadded standard base64. */
export function signCanonicalBytes(
  bytes: Uint8Array,
  signingKey: SigningKey,
): E.Either<SigningError, string> {
  try {
    return E.right(encodeBase64(signingKey.sign(bytes)));
  } catch (error) {
    return signingError(
      'signing_failed',
      `signing failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * A copy of `obj` with `signatures[serverName][keyId] = signature`, keeping every other signature and key.
 * `obj` is not modified. Fails when `signatures` or `signatures[serverName]` exists but is not an object.
 */
export function addSignature(
  obj: JsonObject,
  serverName: string,
  keyId: string,
  signature: string,
): E.Either<SigningError, JsonObject> {
  try {
    if (!isJsonObject(obj)) return signingError('not_object', 'only JSON objects can be signed');
    if (typeof signature !== 'string')
      return signingError('invalid_signature_value', 'signature must be a string');
    const existing = getOwn(obj, 'signatures');
    if (existing !== undefined && !isJsonObject(existing)) {
      return signingError('signatures_not_object', '`signatures` is not an object', ['signatures']);
    }
    const existingServer = existing === undefined ? undefined : getOwn(existing, serverName);
    if (existingServer !== undefined && !isJsonObject(existingServer)) {
      return signingError('server_signatures_not_object', `\`signatures.${serverName}\` is not an object`, [
        'signatures',
        serverName,
      ]);
    }
    const server: MutableJsonObject = {};
    if (existingServer !== undefined)
      for (const k of Object.keys(existingServer)) setOwn(server, k, existingServer[k] ?? null);
    setOwn(server, keyId, signature);
    const signatures: MutableJsonObject = {};
    if (existing !== undefined)
      for (const k of Object.keys(existing)) setOwn(signatures, k, existing[k] ?? null);
    setOwn(signatures, serverName, server);
    const out: MutableJsonObject = {};
    for (const k of Object.keys(obj)) setOwn(out, k, obj[k] ?? null);
    setOwn(out, 'signatures', signatures);
    return E.right(out);
  } catch (error) {
    return signingError('invalid_input', `cannot sign: ${errorText(error)}`);
  }
}

/**
 * Signs a JSON object (spec appendix "Signing JSON") and returns a new object with the signature merged into
 * `signatures[serverName][signingKey.keyId]`. Other signatures and `unsigned` are kept; `obj` is not modified.
 *
 * @example signJson({}, 'domain', key) // Right({ signatures: { domain: { 'ed25519:1': 'K8280/U9...' } } })
 */
export function signJson(
  obj: JsonObject,
  serverName: string,
  signingKey: SigningKey,
  options: { readonly canonical?: CanonicalJsonOptions } = {},
): E.Either<SigningError, JsonObject> {
  try {
    if (!isJsonObject(obj)) return signingError('not_object', 'only JSON objects can be signed');
    // Check the signatures shape before doing the expensive work.
    const shape = addSignature(obj, serverName, signingKey.keyId, '');
    if (E.isLeft(shape)) return shape;
    const bytes = signingBytes(obj, options.canonical);
    if (E.isLeft(bytes)) {
      return signingError(
        'canonical_json',
        `cannot encode as canonical JSON: ${bytes.left.message}`,
        bytes.left.path,
      );
    }
    const signature = signCanonicalBytes(bytes.right, signingKey);
    if (E.isLeft(signature)) return signature;
    return addSignature(obj, serverName, signingKey.keyId, signature.right);
  } catch (error) {
    return signingError('invalid_input', `cannot sign: ${errorText(error)}`);
  }
}

/** Decodes and checks one signature value over `bytes`. */
function checkSignatureValue(
  value: unknown,
  bytes: Uint8Array,
  publicKey: Uint8Array,
  path: JsonPath,
  keyId: string,
  options: VerifyJsonOptions,
): E.Either<VerifyError, void> {
  if (typeof value !== 'string')
    return verifyError('signature_not_string', 'signature is not a string', path, keyId);
  const decoded = decodeBase64(value, { mode: options.base64Mode ?? 'synapse' });
  if (E.isLeft(decoded)) {
    return verifyError('bad_base64', `signature is not valid base64: ${decoded.left.message}`, path, keyId);
  }
  if (decoded.right.length !== ED25519_SIGNATURE_LENGTH) {
    return verifyError(
      'wrong_signature_length',
      `an ed25519 signature is 64 bytes, got ${decoded.right.length}`,
      path,
      keyId,
    );
  }
  if (!verifyEd25519(publicKey, bytes, decoded.right, ed25519OptionsOf(options))) {
    return verifyError('invalid_signature', `signature ${keyId} does not verify`, path, keyId);
  }
  return E.right(undefined);
}

function serverSignatures(obj: unknown, serverName: string): E.Either<VerifyError, JsonObject> {
  if (!isJsonObject(obj)) return verifyError('not_object', 'only JSON objects carry signatures');
  const signatures = getOwn(obj, 'signatures');
  if (signatures === undefined) return verifyError('missing_signatures', 'no signatures on this object');
  if (!isJsonObject(signatures)) {
    return verifyError('signatures_not_object', '`signatures` is not an object', ['signatures']);
  }
  const server = getOwn(signatures, serverName);
  if (server === undefined) {
    return verifyError('missing_server', `no signatures from ${serverName}`, ['signatures', serverName]);
  }
  if (!isJsonObject(server)) {
    return verifyError('server_signatures_not_object', `\`signatures.${serverName}\` is not an object`, [
      'signatures',
      serverName,
    ]);
  }
  return E.right(server);
}

function bytesFor(obj: JsonObject, options: VerifyJsonOptions): E.Either<VerifyError, Uint8Array> {
  if (options.signedBytes !== undefined) {
    return isUint8Array(options.signedBytes)
      ? E.right(options.signedBytes)
      : verifyError('canonical_json', 'signedBytes must be a Uint8Array');
  }
  const bytes = signingBytes(obj, options.canonical);
  return E.isLeft(bytes)
    ? verifyError('canonical_json', `cannot encode as canonical JSON: ${bytes.left.message}`, bytes.left.path)
    : bytes;
}

/**
 * Checks the signature of `serverName` under `keyId` with `verifyKey` (base64 or 32 raw bytes), as
 * python-signedjson `verify_signed_json` does. Never throws.
 *
 * @example verifyJsonSignature(signed, 'domain', 'ed25519:1', 'XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI') // Right(undefined)
 */
export function verifyJsonSignature(
  obj: JsonObject,
  serverName: string,
  keyId: string,
  verifyKey: string | Uint8Array,
  options: VerifyJsonOptions = {},
): E.Either<VerifyError, void> {
  try {
    const server = serverSignatures(obj, serverName);
    if (E.isLeft(server)) return server;
    const path = ['signatures', serverName, keyId];
    const value = getOwn(server.right, keyId);
    if (value === undefined) {
      return verifyError('unknown_key_id', `no signature from ${serverName} under ${keyId}`, path, keyId);
    }
    if (typeof keyId !== 'string' || keyId.split(':')[0] !== ED25519) {
      return verifyError(
        'unsupported_algorithm',
        `unsupported signing algorithm in ${String(keyId)}`,
        path,
        keyId,
      );
    }
    const publicKey = decodeVerifyKey(verifyKey);
    if (E.isLeft(publicKey)) return verifyError('invalid_verify_key', publicKey.left.message, path, keyId);
    const bytes = bytesFor(obj, options);
    if (E.isLeft(bytes)) return bytes;
    return checkSignatureValue(value, bytes.right, publicKey.right, path, keyId, options);
  } catch (error) {
    return verifyError(
      'invalid_signature',
      `verification failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * Checks every signature of `serverName` with the Synapse/ruma rule (protocol.md 7.7): each key ID whose
 * algorithm is `ed25519` and whose key `lookup` knows must verify; key IDs with other algorithms and unknown keys
 * are skipped; at least one signature must verify. Returns the key IDs that verified. Never throws (a lookup that
 * throws, or answers something other than `undefined` or a `VerifyKeyEntry`, gives `key_lookup_failed`).
 *
 * As in Synapse (`signature_ids`), the algorithm is the part before the first `:`; an `ed25519` key ID without a
 * version is looked up like any other, and when nothing verifies because of it the reason is `invalid_key_id`.
 */
export function verifyJsonSignatures(
  obj: JsonObject,
  serverName: string,
  lookup: KeyLookup,
  options: VerifyJsonOptions = {},
): E.Either<VerifyError, readonly string[]> {
  try {
    const server = serverSignatures(obj, serverName);
    if (E.isLeft(server)) return server;
    const candidates = Object.keys(server.right).filter((keyId) => keyId.split(':')[0] === ED25519);
    if (candidates.length === 0) {
      return verifyError('no_supported_signatures', `no ed25519 signature from ${serverName}`, [
        'signatures',
        serverName,
      ]);
    }
    let bytes: Uint8Array | undefined;
    const verified: string[] = [];
    let malformed: string | undefined;
    for (const keyId of candidates) {
      const path = ['signatures', serverName, keyId];
      const found = lookUpVerifyKey(lookup, serverName, keyId);
      if (found.kind === 'invalid') return verifyError('key_lookup_failed', found.message, path, keyId);
      if (found.kind === 'unknown') {
        if (!keyId.includes(':') || keyId.endsWith(':')) malformed ??= keyId;
        continue;
      }
      const entry = found.entry;
      const publicKey = decodeVerifyKey(entry.key);
      if (E.isLeft(publicKey)) return verifyError('invalid_verify_key', publicKey.left.message, path, keyId);
      if (bytes === undefined) {
        const encoded = bytesFor(obj, options);
        if (E.isLeft(encoded)) return encoded;
        bytes = encoded.right;
      }
      const checked = checkSignatureValue(server.right[keyId], bytes, publicKey.right, path, keyId, options);
      if (E.isLeft(checked)) return checked;
      verified.push(keyId);
    }
    if (verified.length === 0) {
      return malformed !== undefined
        ? verifyError('invalid_key_id', `key ID ${JSON.stringify(malformed)} has no version`, [
            'signatures',
            serverName,
            malformed,
          ])
        : verifyError('no_known_keys', `none of the keys of ${serverName} is known`, [
            'signatures',
            serverName,
          ]);
    }
    return E.right(verified);
  } catch (error) {
    return verifyError(
      'invalid_signature',
      `verification failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
