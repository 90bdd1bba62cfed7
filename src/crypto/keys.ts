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
import type {
  Ed25519BackendName,
  KeyError,
  KeyErrorReason,
  KeyLookup,
  SigningKey,
  VerifyKeyEntry,
} from './types.js';

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

/**
 * Options for building signing keys.
 *
 * @category Keys
 */
export interface SigningKeyOptions {
  /** The backend to sign with (default: the first available of `sodium`, `node`, `noble`, as `defaultBackend()`). */
  readonly backend?: Ed25519BackendName;
}

/**
 * What {@link signingKeyFromSeed} builds a key from.
 *
 * @category Keys
 */
export interface SigningKeyFromSeedParams extends SigningKeyOptions {
  /** The 32-byte RFC 8032 seed: raw bytes, or unpadded base64 as in a Synapse signing key file. */
  readonly seed: Uint8Array | string;
  /** The key version (`[a-zA-Z0-9_]+`): the key ID is `ed25519:<version>`. */
  readonly version: string;
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
 * @example signingKeyFromSeed({ seed: 'YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1', version: '1' }) // Right({ keyId: 'ed25519:1', ... })
 *
 * @category Keys
 */
export function signingKeyFromSeed(params: SigningKeyFromSeedParams): E.Either<KeyError, SigningKey> {
  if (typeof params !== 'object' || params === null) {
    return keyError(
      'invalid_input',
      `signingKeyFromSeed takes { seed, version }, got ${describeValue(params)}`,
    );
  }
  try {
    const { seed, version } = params;
    if (!isValidKeyVersion(version)) {
      return keyError(
        'invalid_version',
        `key version must match [a-zA-Z0-9_]+, got ${describeValue(version)}`,
      );
    }
    const bytes = decodeSeed(seed);
    if (E.isLeft(bytes)) return bytes;
    const signer = createEd25519Signer(bytes.right, params.backend);
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

/**
 * A freshly generated key: the seed is returned once, for storage.
 *
 * @category Keys
 */
export interface GeneratedSigningKey {
  /** The key, ready to sign. */
  readonly signingKey: SigningKey;
  /** The 32-byte seed. Keep it secret. */
  readonly seed: Uint8Array;
  /** The key as a Synapse signing key file line (with a trailing newline). */
  readonly keyFileLine: string;
}

/**
 * What {@link generateSigningKey} needs.
 *
 * @category Keys
 */
export interface GenerateSigningKeyParams extends SigningKeyOptions {
  /** The key version (`[a-zA-Z0-9_]+`): the key ID is `ed25519:<version>`. */
  readonly version: string;
}

/**
 * Generates a new signing key from 32 secure random bytes (Web Crypto's `crypto.getRandomValues`, else
 * `node:crypto`); `backend_failure` when the runtime has neither.
 *
 * @example generateSigningKey({ version: 'a_abcd' }) // Right({ signingKey, seed, keyFileLine: 'ed25519 a_abcd ...\n' })
 *
 * @category Keys
 */
export function generateSigningKey(
  params: GenerateSigningKeyParams,
): E.Either<KeyError, GeneratedSigningKey> {
  if (typeof params !== 'object' || params === null) {
    return keyError('invalid_input', `generateSigningKey takes { version }, got ${describeValue(params)}`);
  }
  try {
    const { version } = params;
    if (randomBytes === undefined) {
      return keyError('backend_failure', 'this runtime has no secure random source (crypto.getRandomValues)');
    }
    const seed = randomBytes(ED25519_KEY_LENGTH);
    const signingKey = signingKeyFromSeed({
      seed,
      version,
      ...(params.backend === undefined ? {} : { backend: params.backend }),
    });
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
 * Internal: the public form is {@link formatSigningKeyFile}.
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

/**
 * A Synapse signing key file (python-signedjson `write_signing_keys`): one `ed25519 <version> <seed>` line per key.
 *
 * @example formatSigningKeyFile([{ version: 'a_abcd', seed }]) // Right('ed25519 a_abcd YJDBA9...\n')
 */
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
 *
 * @category Keys
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
      const key = signingKeyFromSeed({
        seed,
        version,
        ...(options?.backend === undefined ? {} : { backend: options.backend }),
      });
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

/**
 * A table of verify keys you trust: server name → key ID → the key (unpadded base64 or 32 raw bytes) or a
 * {@link VerifyKeyEntry} (with `validUntilTs`, for room versions 5+).
 *
 * @category Keys
 */
export interface VerifyKeyTable {
  readonly [serverName: string]: { readonly [keyId: string]: string | Uint8Array | VerifyKeyEntry };
}

/**
 * Builds a {@link KeyLookup} from a table of verify keys (for example what you fetched from
 * `/_matrix/key/v2/server`). The table is copied: later changes to it are not seen. Only own properties count
 * (`__proto__` or `constructor` never resolve to anything); entries that are not a key or `{ key }`, or cannot be
 * read, are skipped. An entry's `validUntilTs` and `expired` are kept.
 *
 * @example
 * const keys = keyLookupFrom({ 'inviter.example': { 'ed25519:1': 'l8Hft5qXKn1vfHrg3p4+W8gELQVo8N13JkluMfmn2sQ' } });
 * keys('inviter.example', 'ed25519:1') // { key: 'l8Hft5...' }
 *
 * @category Keys
 */
export function keyLookupFrom(table: VerifyKeyTable): KeyLookup {
  const known = new Map<string, Map<string, VerifyKeyEntry>>();
  if (typeof table === 'object' && table !== null) {
    for (const serverName of safeKeys(table)) {
      const keys: unknown = safeRead(table, serverName);
      if (typeof keys !== 'object' || keys === null) continue;
      const entries = new Map<string, VerifyKeyEntry>();
      for (const keyId of safeKeys(keys)) {
        const entry = toVerifyKeyEntry(keys, keyId);
        if (entry !== undefined) entries.set(keyId, entry);
      }
      known.set(serverName, entries);
    }
  }
  return (serverName, keyId) => known.get(serverName)?.get(keyId);
}

/** The own keys of a table, or none when it cannot be read (a Proxy that throws). */
function safeKeys(value: object): string[] {
  try {
    return Object.keys(value);
  } catch {
    return [];
  }
}

/** A member of a table, or `undefined` when reading it throws (skipped like any entry that is not a key). */
function safeRead(value: object, name: string): unknown {
  try {
    return (value as Record<string, unknown>)[name];
  } catch {
    return undefined;
  }
}

function toVerifyKeyEntry(table: object, keyId: string): VerifyKeyEntry | undefined {
  try {
    return verifyKeyEntryOf(safeRead(table, keyId));
  } catch {
    return undefined;
  }
}

function verifyKeyEntryOf(value: unknown): VerifyKeyEntry | undefined {
  if (typeof value === 'string') return Object.freeze({ key: value });
  if (isUint8Array(value)) return Object.freeze({ key: Uint8Array.from(value) });
  if (typeof value !== 'object' || value === null) return undefined;
  const { key, validUntilTs, expired } = value as {
    key?: unknown;
    validUntilTs?: unknown;
    expired?: unknown;
  };
  if (typeof key !== 'string' && !isUint8Array(key)) return undefined;
  const entry: { key: string | Uint8Array; validUntilTs?: number; expired?: boolean } = {
    key: typeof key === 'string' ? key : Uint8Array.from(key),
  };
  if (typeof validUntilTs === 'number') entry.validUntilTs = validUntilTs;
  if (expired === true) entry.expired = true;
  return Object.freeze(entry);
}
