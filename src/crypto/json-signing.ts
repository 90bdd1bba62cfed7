/**
 * Signing JSON and checking JSON signatures (spec appendix
 * [Signing JSON](https://spec.matrix.org/v1.19/appendices/#signing-json); python-signedjson `sign_json` and
 * `verify_signed_json`, which Synapse uses).
 *
 * The signed bytes are the canonical JSON (non-strict) of the object without its TOP-LEVEL `signatures` and
 * `unsigned` keys (nested keys of those names are signed like any other). Signatures are merged into
 * `signatures[serverName][keyId]`; every other signature and `unsigned` are kept.
 *
 * Internally, callers that already hold the signed bytes (the events layer reuses one canonical encoding of the
 * redacted event for signature checks, reference hash and countersignature) pass them as `signedBytes`, or use
 * {@link signCanonicalBytes} + {@link addSignature}.
 */
import * as E from 'fp-ts/lib/Either.js';
import { decodeBase64, encodeBase64 } from '../encoding/base64.js';
import { isUint8Array } from '../encoding/bytes.js';
import type { JsonPath, LibraryError } from '../errors/base.js';
import { errorText } from '../errors/describe.js';
import { settingsCopy } from '../errors/options.js';
import {
  type CanonicalJsonError,
  type CanonicalJsonOptions,
  encodeCanonicalJsonBytes,
} from '../json/canonical.js';
import {
  getOwn,
  isJsonObject,
  type JsonObject,
  type JsonObjectInput,
  type MutableJsonObject,
  omitKeys,
  setOwn,
} from '../json/value.js';
import { ed25519OptionsOf } from './backends.js';
import { ED25519_SIGNATURE_LENGTH, type Ed25519Options, verifyEd25519 } from './ed25519.js';
import { lookUpVerifyKey } from './key-lookup.js';
import { decodeVerifyKey, ED25519 } from './keys.js';
import type { Ed25519BackendName, Ed25519Verifier, KeyLookup, SigningKey } from './types.js';

/** The top-level keys left out of the signed bytes. */
export const UNSIGNED_TOP_LEVEL_KEYS: readonly string[] = ['signatures', 'unsigned'];

/**
 * Why a JSON object could not be signed, or its signatures do not verify:
 * - the object: `invalid_input` (it or the key cannot be read: a throwing getter or Proxy), `not_object`,
 *   `canonical_json` (no canonical JSON form), `signatures_not_object`, `server_signatures_not_object`;
 * - signing: `invalid_signature_value`, `signing_failed` (the key's backend failed);
 * - verification: `missing_signatures`, `missing_server`, `no_supported_signatures` (no `ed25519:` key ID),
 *   `no_known_keys` (the lookup knows none of them), `invalid_key_id` (an `ed25519` key ID without a version, when
 *   nothing else verified), `key_lookup_failed` (the lookup threw or
 *   answered something other than `undefined` or a `VerifyKeyEntry`), `invalid_verify_key`, `signature_not_string`,
 *   `bad_base64`, `wrong_signature_length`, `invalid_signature`; `unknown_key_id` and `unsupported_algorithm` when
 *   one given key ID is checked.
 */
export type SignatureErrorReason =
  /** A caller error: the object or the key cannot be read (a throwing getter or Proxy). */
  | 'invalid_input'
  | 'not_object'
  | 'canonical_json'
  | 'signatures_not_object'
  | 'server_signatures_not_object'
  | 'invalid_signature_value'
  | 'signing_failed'
  | 'missing_signatures'
  | 'missing_server'
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
  | 'invalid_signature';

/**
 * A JSON signing or signature verification error (`kind: 'SignatureError'`); `path` points at the signature
 * concerned when there is one.
 */
export interface SignatureError extends LibraryError<'SignatureError', SignatureErrorReason> {
  /** The key ID concerned, when there is one. */
  readonly keyId?: string;
}

/** Options of the internal verification functions (the public ones take {@link VerifyJsonSignaturesParams}). */
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

function signatureError(
  reason: SignatureErrorReason,
  message: string,
  path: JsonPath = [],
  keyId?: string,
): E.Either<SignatureError, never> {
  return E.left(
    keyId === undefined
      ? { kind: 'SignatureError', reason, message, path }
      : { kind: 'SignatureError', reason, message, path, keyId },
  );
}

/**
 * {@link signingBytes} as a view that may share its `ArrayBuffer` with other bytes (internal: for bytes that are
 * signed or verified and dropped, never handed to a caller).
 */
export function signingBytesView(
  value: JsonObjectInput,
  options: CanonicalJsonOptions = {},
): E.Either<CanonicalJsonError, Uint8Array> {
  const obj = value as JsonObject;
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

/**
 * The bytes a JSON signature covers: canonical JSON of `obj` without its top-level `signatures` and `unsigned`.
 *
 * @example signingBytes({ one: 1, unsigned: {} }) // Right(bytes of '{"one":1}')
 */
export function signingBytes(
  value: JsonObjectInput,
  options: CanonicalJsonOptions = {},
): E.Either<CanonicalJsonError, Uint8Array> {
  // A copy in a buffer of its own: the caller may use or transfer `.buffer` as a whole.
  return E.map((bytes: Uint8Array) => bytes.slice())(signingBytesView(value, options));
}

/** Signs bytes (normally from {@link signingBytes}) with a signing key: unpadded standard base64. */
export function signCanonicalBytes(
  bytes: Uint8Array,
  signingKey: SigningKey,
): E.Either<SignatureError, string> {
  try {
    return E.right(encodeBase64(signingKey.sign(bytes)));
  } catch (error) {
    return signatureError(
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
): E.Either<SignatureError, JsonObject> {
  try {
    if (!isJsonObject(obj)) return signatureError('not_object', 'only JSON objects can be signed');
    if (typeof signature !== 'string')
      return signatureError('invalid_signature_value', 'signature must be a string');
    const existing = getOwn(obj, 'signatures');
    if (existing !== undefined && !isJsonObject(existing)) {
      return signatureError('signatures_not_object', '`signatures` is not an object', ['signatures']);
    }
    const existingServer = existing === undefined ? undefined : getOwn(existing, serverName);
    if (existingServer !== undefined && !isJsonObject(existingServer)) {
      return signatureError('server_signatures_not_object', `\`signatures.${serverName}\` is not an object`, [
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
    return signatureError('invalid_input', `cannot sign: ${errorText(error)}`);
  }
}

/** What {@link signJson} signs, and with which key. */
export interface SignJsonParams {
  /** The JSON object to sign; not modified. */
  readonly value: JsonObjectInput;
  /** The signing server's name: the signature goes under `signatures[serverName][signingKey.keyId]`. */
  readonly serverName: string;
  /** The server's signing key. */
  readonly signingKey: SigningKey;
}

/**
 * Signs a JSON object (spec appendix "Signing JSON") and returns a new object with the signature merged into
 * `signatures[serverName][signingKey.keyId]`. Other signatures and `unsigned` are kept; `value` is not modified.
 *
 * @example signJson({ value: {}, serverName: 'domain', signingKey }) // Right({ signatures: { domain: { 'ed25519:1': 'K8280/U9...' } } })
 */
export function signJson(params: SignJsonParams): E.Either<SignatureError, JsonObject> {
  try {
    if (typeof params !== 'object' || params === null)
      return signatureError('not_object', 'signJson takes { value, serverName, signingKey }');
    const { serverName, signingKey } = params;
    const obj = params.value as JsonObject;
    if (!isJsonObject(obj)) return signatureError('not_object', 'only JSON objects can be signed');
    if (typeof serverName !== 'string')
      return signatureError('invalid_signature_value', 'serverName must be a string');
    if (typeof signingKey !== 'object' || signingKey === null || typeof signingKey.keyId !== 'string') {
      return signatureError('signing_failed', 'signingKey must be a SigningKey');
    }
    // Check the signatures shape before doing the expensive work.
    const shape = addSignature(obj, serverName, signingKey.keyId, '');
    if (E.isLeft(shape)) return shape;
    const bytes = signingBytesView(obj);
    if (E.isLeft(bytes)) {
      return signatureError(
        'canonical_json',
        `cannot encode as canonical JSON: ${bytes.left.message}`,
        bytes.left.path,
      );
    }
    const signature = signCanonicalBytes(bytes.right, signingKey);
    if (E.isLeft(signature)) return signature;
    return addSignature(obj, serverName, signingKey.keyId, signature.right);
  } catch (error) {
    return signatureError('invalid_input', `cannot sign: ${errorText(error)}`);
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
): E.Either<SignatureError, void> {
  if (typeof value !== 'string')
    return signatureError('signature_not_string', 'signature is not a string', path, keyId);
  const decoded = decodeBase64(value, { mode: options.base64Mode ?? 'synapse' });
  if (E.isLeft(decoded)) {
    return signatureError(
      'bad_base64',
      `signature is not valid base64: ${decoded.left.message}`,
      path,
      keyId,
    );
  }
  if (decoded.right.length !== ED25519_SIGNATURE_LENGTH) {
    return signatureError(
      'wrong_signature_length',
      `an ed25519 signature is 64 bytes, got ${decoded.right.length}`,
      path,
      keyId,
    );
  }
  const verified = verifyEd25519({
    publicKey,
    message: bytes,
    signature: decoded.right,
    ...ed25519OptionsOf(options),
  });
  if (!verified) {
    return signatureError('invalid_signature', `signature ${keyId} does not verify`, path, keyId);
  }
  return E.right(undefined);
}

function serverSignatures(obj: unknown, serverName: string): E.Either<SignatureError, JsonObject> {
  if (!isJsonObject(obj)) return signatureError('not_object', 'only JSON objects carry signatures');
  const signatures = getOwn(obj, 'signatures');
  if (signatures === undefined) return signatureError('missing_signatures', 'no signatures on this object');
  if (!isJsonObject(signatures)) {
    return signatureError('signatures_not_object', '`signatures` is not an object', ['signatures']);
  }
  const server = getOwn(signatures, serverName);
  if (server === undefined) {
    return signatureError('missing_server', `no signatures from ${serverName}`, ['signatures', serverName]);
  }
  if (!isJsonObject(server)) {
    return signatureError('server_signatures_not_object', `\`signatures.${serverName}\` is not an object`, [
      'signatures',
      serverName,
    ]);
  }
  return E.right(server);
}

function bytesFor(obj: JsonObject, options: VerifyJsonOptions): E.Either<SignatureError, Uint8Array> {
  if (options.signedBytes !== undefined) {
    return isUint8Array(options.signedBytes)
      ? E.right(options.signedBytes)
      : signatureError('canonical_json', 'signedBytes must be a Uint8Array');
  }
  const bytes = signingBytesView(obj, options.canonical);
  return E.isLeft(bytes)
    ? signatureError(
        'canonical_json',
        `cannot encode as canonical JSON: ${bytes.left.message}`,
        bytes.left.path,
      )
    : bytes;
}

/**
 * Checks the one signature of `serverName` under `keyId` with `verifyKey` (base64 or 32 raw bytes), as
 * python-signedjson `verify_signed_json` does. Never throws. Internal (X-Matrix, the CLI); the public check is
 * {@link verifyJsonSignatures}.
 *
 * @example verifyJsonSignature(signed, 'domain', 'ed25519:1', 'XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI') // Right(undefined)
 */
export function verifyJsonSignature(
  obj: JsonObject,
  serverName: string,
  keyId: string,
  verifyKey: string | Uint8Array,
  options: VerifyJsonOptions = {},
): E.Either<SignatureError, void> {
  try {
    const server = serverSignatures(obj, serverName);
    if (E.isLeft(server)) return server;
    const path = ['signatures', serverName, keyId];
    const value = getOwn(server.right, keyId);
    if (value === undefined) {
      return signatureError('unknown_key_id', `no signature from ${serverName} under ${keyId}`, path, keyId);
    }
    if (typeof keyId !== 'string' || keyId.split(':')[0] !== ED25519) {
      return signatureError(
        'unsupported_algorithm',
        `unsupported signing algorithm in ${String(keyId)}`,
        path,
        keyId,
      );
    }
    const publicKey = decodeVerifyKey(verifyKey);
    if (E.isLeft(publicKey)) return signatureError('invalid_verify_key', publicKey.left.message, path, keyId);
    const bytes = bytesFor(obj, options);
    if (E.isLeft(bytes)) return bytes;
    return checkSignatureValue(value, bytes.right, publicKey.right, path, keyId, options);
  } catch (error) {
    return signatureError(
      'invalid_signature',
      `verification failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** What {@link verifyJsonSignatures} checks. */
export interface VerifyJsonSignaturesParams {
  /** The signed JSON object. */
  readonly value: JsonObjectInput;
  /** The server whose signatures must verify. */
  readonly serverName: string;
  /** The verify keys you trust (pure lookup; {@link keyLookupFrom} builds one from a table). */
  readonly keys: KeyLookup;
  /** Force an ed25519 backend (verdicts are libsodium's with every backend; normally the process default). */
  readonly backend?: Ed25519BackendName;
  /** A signature verdict function used instead of `backend` (the async machinery supplies one). */
  readonly verifier?: Ed25519Verifier;
  /**
   * How signatures are base64-decoded: `synapse` (default; exactly python-unpaddedbase64 as Synapse uses it),
   * `lenient` (either alphabet, optional padding) or `strict` (canonical unpadded standard base64 only).
   */
  readonly base64Mode?: 'lenient' | 'strict' | 'synapse';
}

/**
 * Checks the signatures of `serverName` on a JSON object (spec appendix "Checking for a signature") with the rule
 * Synapse and ruma apply: each key ID whose algorithm is `ed25519` and whose key `keys` knows must verify; key IDs
 * of other algorithms and unknown keys are skipped; at least one signature must verify. Returns the key IDs that
 * verified. Never throws (a lookup that throws, or answers something other than `undefined` or a `VerifyKeyEntry`,
 * gives `key_lookup_failed`).
 *
 * As in Synapse (`signature_ids`), the algorithm is the part before the first `:`; an `ed25519` key ID without a
 * version is looked up like any other, and when nothing verifies because of it the reason is `invalid_key_id`.
 *
 * @example
 * verifyJsonSignatures({ value: signed, serverName: 'domain', keys: keyLookupFrom({ domain: { 'ed25519:1': publicKey } }) })
 * // Right(['ed25519:1'])
 */
export function verifyJsonSignatures(
  params: VerifyJsonSignaturesParams,
): E.Either<SignatureError, readonly string[]> {
  if (typeof params !== 'object' || params === null) {
    return signatureError('not_object', 'verifyJsonSignatures takes { value, serverName, keys }');
  }
  const fields = settingsCopy(params);
  if (fields === undefined) return signatureError('invalid_input', 'the parameters cannot be read');
  if (typeof fields.keys !== 'function')
    return signatureError('key_lookup_failed', 'keys must be a key lookup');
  return verifyServerSignatures(fields.value as JsonObject, fields.serverName, fields.keys, {
    ...ed25519OptionsOf(fields),
    ...(fields.base64Mode === undefined ? {} : { base64Mode: fields.base64Mode }),
  });
}

/**
 * {@link verifyJsonSignatures} with the internal options (`signedBytes` computed by the caller). Internal.
 */
export function verifyServerSignatures(
  obj: JsonObject,
  serverName: string,
  lookup: KeyLookup,
  options: VerifyJsonOptions = {},
): E.Either<SignatureError, readonly string[]> {
  try {
    const server = serverSignatures(obj, serverName);
    if (E.isLeft(server)) return server;
    const candidates = Object.keys(server.right).filter((keyId) => keyId.split(':')[0] === ED25519);
    if (candidates.length === 0) {
      return signatureError('no_supported_signatures', `no ed25519 signature from ${serverName}`, [
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
      if (found.kind === 'invalid') return signatureError('key_lookup_failed', found.message, path, keyId);
      if (found.kind === 'unknown') {
        if (!keyId.includes(':') || keyId.endsWith(':')) malformed ??= keyId;
        continue;
      }
      const entry = found.entry;
      const publicKey = decodeVerifyKey(entry.key);
      if (E.isLeft(publicKey))
        return signatureError('invalid_verify_key', publicKey.left.message, path, keyId);
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
        ? signatureError('invalid_key_id', `key ID ${JSON.stringify(malformed)} has no version`, [
            'signatures',
            serverName,
            malformed,
          ])
        : signatureError('no_known_keys', `none of the keys of ${serverName} is known`, [
            'signatures',
            serverName,
          ]);
    }
    return E.right(verified);
  } catch (error) {
    return signatureError(
      'invalid_signature',
      `verification failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
