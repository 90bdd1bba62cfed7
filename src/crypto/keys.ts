/**
 * Signing keys, verify keys, key IDs and Synapse signing key files.
 *
 * A Synapse signing key file holds one key a line: `ed25519 <version> <unpadded base64 32-byte seed>`
 * (python-signedjson `read_signing_keys` / `write_signing_keys`).
 */
import * as E from 'fp-ts/lib/Either.js';
import { decodeBase64, encodeBase64 } from '../encoding/base64.js';
import { isUint8Array } from '../encoding/bytes.js';
import { describeValue, errorText } from '../errors/describe.js';
import { randomBytes } from '../platform/random.js';
import { createEd25519Signer, ED25519_KEY_LENGTH, publicKeyFromSeed } from './ed25519.js';
import type { Ed25519BackendName, KeyError, KeyErrorReason, SigningKey } from './types.js';

/** The only signing algorithm Matrix defines. */
export const ED25519 = 'ed25519';

const VERSION = /^[a-zA-Z0-9_]+$/;

function keyError(reason: KeyErrorReason, message: string, line?: number): E.Either<KeyError, never> {
  return E.left(
    line === undefined
      ? { kind: 'KeyError', reason, message, path: [] }
      : { kind: 'KeyError', reason, message, path: [], line },
  );
}

/** True when `version` matches the key version grammar `[a-zA-Z0-9_]+`. */
export function isValidKeyVersion(version: unknown): version is string {
  return typeof version === 'string' && VERSION.test(version);
}

/** Options for building signing keys. */
export interface SigningKeyOptions {
  /** The backend to sign with (default: {@link defaultBackend}). */
  readonly backend?: Ed25519BackendName;
}

function decodeSeed(seed: Uint8Array | string): E.Either<KeyError, Uint8Array> {
  if (typeof seed === 'string') {
    const decoded = decodeBase64(seed);
    if (E.isLeft(decoded)) return keyError('bad_base64', `seed is not base64: ${decoded.left.message}`);
    return decoded.right.length === ED25519_KEY_LENGTH
      ? decoded
      : keyError('invalid_seed', `an ed25519 seed is 32 bytes, got ${decoded.right.length}`);
  }
  if (!isUint8Array(seed)) return keyError('invalid_seed', 'seed must be a Uint8Array or a base64 string');
  if (seed.length !== ED25519_KEY_LENGTH) {
    return keyError('invalid_seed', `an ed25519 seed is 32 bytes, got ${seed.length}`);
  }
  return E.right(Uint8Array.from(seed));
}

/**
 * Builds a {@link SigningKey} from a 32-byte RFC 8032 seed (raw bytes or unpadded base64, as in Synapse key
 * files). The seed is copied into a closure: it is not a property of the returned (frozen) object.
 *
 * @example signingKeyFromSeed('YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1', '1') // Right({ keyId: 'ed25519:1', ... })
 */
export function signingKeyFromSeed(
  seed: Uint8Array | string,
  version: string,
  options: SigningKeyOptions = {},
): E.Either<KeyError, SigningKey> {
  try {
    if (!isValidKeyVersion(version)) {
      return keyError(
        'invalid_version',
        `key version must match [a-zA-Z0-9_]+, got ${describeValue(version)}`,
      );
    }
    const bytes = decodeSeed(seed);
    if (E.isLeft(bytes)) return bytes;
    const signer = createEd25519Signer(bytes.right, options?.backend);
    if (E.isLeft(signer)) return signer;
    const publicKey = publicKeyFromSeed(bytes.right, signer.right.backend);
    bytes.right.fill(0);
    if (E.isLeft(publicKey)) return publicKey;
    const publicKeyBytes = publicKey.right;
    const sign = signer.right.sign;
    const key: SigningKey = {
      algorithm: ED25519,
      version,
      keyId: `${ED25519}:${version}`,
      publicKey: encodeBase64(publicKeyBytes),
      get publicKeyBytes() {
        return Uint8Array.from(publicKeyBytes);
      },
      backend: signer.right.backend,
      sign: (message: Uint8Array) => sign(message),
    };
    return E.right(Object.freeze(key));
  } catch (error) {
    return keyError('invalid_input', `cannot read the arguments: ${errorText(error)}`);
  }
}

/** A freshly generated key: the seed is returned once, for storage. */
export interface GeneratedSigningKey {
  /** The key, ready to sign. */
  readonly signingKey: SigningKey;
  /** The 32-byte seed. Keep it secret. */
  readonly seed: Uint8Array;
  /** The key as a Synapse signing key file line (with a trailing newline). */
  readonly keyFileLine: string;
}

/**
 * Generates a new signing key from 32 secure random bytes (Web Crypto's `crypto.getRandomValues`, else
 * `node:crypto`); `backend_failure` when the runtime has neither.
 */
export function generateSigningKey(
  version: string,
  options: SigningKeyOptions = {},
): E.Either<KeyError, GeneratedSigningKey> {
  try {
    if (randomBytes === undefined) {
      return keyError('backend_failure', 'this runtime has no secure random source (crypto.getRandomValues)');
    }
    const seed = randomBytes(ED25519_KEY_LENGTH);
    const signingKey = signingKeyFromSeed(seed, version, options);
    if (E.isLeft(signingKey)) return signingKey;
    const line = formatSigningKeyLine(version, seed);
    if (E.isLeft(line)) return line;
    return E.right({ signingKey: signingKey.right, seed, keyFileLine: line.right });
  } catch (error) {
    return keyError('invalid_input', `cannot read the arguments: ${errorText(error)}`);
  }
}

/**
 * One Synapse signing key file line, `ed25519 <version> <seed>\n` (python-signedjson `write_signing_keys`).
 *
 * @example formatSigningKeyLine('a_abcd', seed) // Right('ed25519 a_abcd YJDBA9...\n')
 */
export function formatSigningKeyLine(version: string, seed: Uint8Array): E.Either<KeyError, string> {
  if (!isValidKeyVersion(version)) {
    return keyError('invalid_version', `key version must match [a-zA-Z0-9_]+, got ${describeValue(version)}`);
  }
  if (!isUint8Array(seed) || seed.length !== ED25519_KEY_LENGTH) {
    return keyError('invalid_seed', 'an ed25519 seed is 32 bytes');
  }
  return E.right(`${ED25519} ${version} ${encodeBase64(seed)}\n`);
}

/** A whole signing key file: one {@link formatSigningKeyLine} line per key. */
export function formatSigningKeyFile(
  keys: readonly { readonly version: string; readonly seed: Uint8Array }[],
): E.Either<KeyError, string> {
  if (!Array.isArray(keys))
    return keyError('invalid_input', `keys must be an array, got ${describeValue(keys)}`);
  let out = '';
  try {
    for (const key of keys) {
      const line = formatSigningKeyLine(key.version, key.seed);
      if (E.isLeft(line)) return line;
      out += line.right;
    }
  } catch (error) {
    return keyError('invalid_input', `keys cannot be read: ${errorText(error)}`);
  }
  return E.right(out);
}

/**
 * Parses a Synapse signing key file: one or more lines `ed25519 <version> <base64 seed>` (fields separated by
 * whitespace). Blank lines are skipped; a file without keys, another algorithm, a bad version or seed is an error
 * carrying the 1-based `line`.
 */
export function parseSigningKeyFile(
  text: string,
  options: SigningKeyOptions = {},
): E.Either<KeyError, SigningKey[]> {
  try {
    if (typeof text !== 'string') return keyError('invalid_key_file', 'key file must be a string');
    const keys: SigningKey[] = [];
    const lines = text.split(/\r\n|\n|\r/);
    for (let i = 0; i < lines.length; i++) {
      const fields = (lines[i] as string)
        .trim()
        .split(/\s+/)
        .filter((field) => field !== '');
      if (fields.length === 0) continue;
      const lineNumber = i + 1;
      const [algorithm, version, seed] = fields;
      if (fields.length !== 3 || algorithm === undefined || version === undefined || seed === undefined) {
        return keyError(
          'invalid_key_file',
          `line ${lineNumber}: expected "ed25519 <version> <seed>"`,
          lineNumber,
        );
      }
      if (algorithm !== ED25519) {
        return keyError(
          'unsupported_algorithm',
          `line ${lineNumber}: unsupported algorithm ${algorithm}`,
          lineNumber,
        );
      }
      const key = signingKeyFromSeed(seed, version, options);
      if (E.isLeft(key))
        return keyError(key.left.reason, `line ${lineNumber}: ${key.left.message}`, lineNumber);
      keys.push(key.right);
    }
    if (keys.length === 0) return keyError('invalid_key_file', 'key file holds no keys');
    return E.right(keys);
  } catch (error) {
    return keyError('invalid_input', `cannot read the arguments: ${errorText(error)}`);
  }
}

/**
 * Decodes a verify (public) key: unpadded (or padded) base64 of 32 bytes, or 32 raw bytes (copied).
 * Whether the key is a usable curve point is decided at verification time, as libsodium does.
 */
export function decodeVerifyKey(key: string | Uint8Array): E.Either<KeyError, Uint8Array> {
  if (typeof key === 'string') {
    const decoded = decodeBase64(key);
    if (E.isLeft(decoded)) return keyError('bad_base64', `verify key is not base64: ${decoded.left.message}`);
    if (decoded.right.length !== ED25519_KEY_LENGTH) {
      return keyError('invalid_verify_key', `an ed25519 verify key is 32 bytes, got ${decoded.right.length}`);
    }
    return decoded;
  }
  if (!isUint8Array(key)) return keyError('invalid_verify_key', 'verify key must be a string or bytes');
  if (key.length !== ED25519_KEY_LENGTH) {
    return keyError('invalid_verify_key', `an ed25519 verify key is 32 bytes, got ${key.length}`);
  }
  return E.right(Uint8Array.from(key));
}

/** A key ID split into its algorithm and version. */
export interface KeyId {
  /** The part before the first `:` (`ed25519`). */
  readonly algorithm: string;
  /** The part after the first `:`. */
  readonly version: string;
  /** The whole key ID, as given. */
  readonly keyId: string;
}

/**
 * Splits a key ID (`ed25519:abc`) at its first `:`. Any non-empty algorithm and version are accepted (key IDs
 * received from other servers need not follow the version grammar); see {@link isValidKeyVersion}.
 */
export function parseKeyId(keyId: string): E.Either<KeyError, KeyId> {
  if (typeof keyId !== 'string') return keyError('invalid_key_id', 'key ID must be a string');
  const colon = keyId.indexOf(':');
  if (colon <= 0 || colon === keyId.length - 1) {
    return keyError('invalid_key_id', `key ID must be <algorithm>:<version>, got ${describeValue(keyId)}`);
  }
  return E.right({ algorithm: keyId.slice(0, colon), version: keyId.slice(colon + 1), keyId });
}
