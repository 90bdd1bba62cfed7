/**
 * ed25519 with libsodium's verdicts (spec appendix "Signing details": ed25519 as in RFC 8032; Synapse checks with
 * PyNaCl).
 *
 * Synapse verifies through PyNaCl, i.e. libsodium 1.0.18 `crypto_sign_verify_detached`. Three synchronous backends
 * are available behind one small interface; the default is the best available, in the order
 * `sodium` > `node` > `noble`, and an application can choose one for the whole process with `configureCrypto`:
 *
 * - `sodium`: sodium-native (libsodium itself), loaded lazily and only where the runtime has Node's module loader
 *   (optional dependency).
 * - `node`: `node:crypto` Ed25519 (OpenSSL or the runtime's equivalent), cofactorless with a byte comparison of
 *   `R`, plus the libsodium pre-checks.
 * - `noble`: `@noble/ed25519` point arithmetic (pure JavaScript, SHA-512 from the platform layer), with the
 *   cofactorless equation evaluated here (noble's own `verify` is cofactored even with `{ zip215: false }`), plus
 *   the libsodium pre-checks.
 *
 * No `node:` module is imported: `node:crypto` and `node:module` come from the platform layer, where the runtime
 * has them. Signatures are deterministic (RFC 8032) and byte-identical across the backends.
 */
import * as E from 'fp-ts/lib/Either.js';
import { isUint8Array } from '../encoding/bytes.js';
import { settingsCopy } from '../errors/options.js';
import { checkedVerify, resolveBackend } from './backends.js';
import type { Ed25519BackendName, Ed25519Verifier, KeyError } from './types.js';

export {
  availableBackends,
  BACKEND_PREFERENCE,
  defaultBackend,
  isBackendAvailable,
  resolveBackendName,
} from './backends.js';
export { passesLibsodiumPrechecks, SMALL_ORDER_ENCODINGS } from './libsodium-checks.js';

/** Length of an ed25519 public key, a seed, and half a signature. */
export const ED25519_KEY_LENGTH = 32;
/** Length of an ed25519 signature. */
export const ED25519_SIGNATURE_LENGTH = 64;

/** The backend choice, accepted by every ed25519 check. */
export interface Ed25519Options {
  /**
   * Force a backend for this call (tests, benchmarks); normally omitted: the process default applies (see
   * `configureCrypto`). An unavailable or unknown name falls back to {@link defaultBackend} (verdicts are equal).
   */
  readonly backend?: Ed25519BackendName;
  /** A verdict function used instead of a backend (the async helpers supply one); see {@link Ed25519Verifier}. */
  readonly verifier?: Ed25519Verifier;
}

function isBytes(value: unknown): value is Uint8Array {
  return isUint8Array(value);
}

/** What {@link verifyEd25519} checks. */
export interface VerifyEd25519Params extends Ed25519Options {
  /** The 32-byte public key. */
  readonly publicKey: Uint8Array;
  /** The signed message. */
  readonly message: Uint8Array;
  /** The 64-byte signature. */
  readonly signature: Uint8Array;
}

/**
 * Verifies an ed25519 signature with libsodium's verdict (`crypto_sign_verify_detached`), on every backend, with
 * the process default backend unless `backend` or `verifier` says otherwise. Returns `false`, never throws, for wrong
 * lengths, non-byte inputs or any other garbage (parameters whose getters throw, a given `verifier` that throws).
 *
 * @example verifyEd25519({ publicKey, message: new TextEncoder().encode('{}'), signature }) // true or false
 */
export function verifyEd25519(params: VerifyEd25519Params): boolean {
  // Parameters that are not an object or cannot be read (a hostile getter or Proxy): nothing verifies.
  const fields = settingsCopy(params);
  if (fields === undefined) return false;
  return verifyEd25519With(fields, fields.publicKey, fields.message, fields.signature);
}

/**
 * {@link verifyEd25519} for the library's own callers, whose options were already read once and checked (event
 * verification, per signature): no copy of a parameter object. Internal.
 */
export function verifyEd25519With(
  options: Ed25519Options,
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  const verifier = options.verifier;
  if (typeof verifier !== 'function') {
    return checkedVerify(resolveBackend(options.backend), publicKey, message, signature);
  }
  if (!isBytes(publicKey) || !isBytes(message) || !isBytes(signature)) return false;
  if (publicKey.length !== ED25519_KEY_LENGTH || signature.length !== ED25519_SIGNATURE_LENGTH) return false;
  try {
    return (verifier as Ed25519Verifier)(publicKey, message, signature) === true;
  } catch {
    return false;
  }
}

function seedError(seed: unknown): E.Either<KeyError, never> {
  const length = isBytes(seed) ? `${seed.length} bytes` : typeof seed;
  return E.left({
    kind: 'KeyError',
    reason: 'invalid_seed',
    message: `an ed25519 seed is 32 bytes, got ${length}`,
    path: [],
  });
}

function backendFailure(error: unknown): E.Either<KeyError, never> {
  return E.left({
    kind: 'KeyError',
    reason: 'backend_failure',
    message: `ed25519 backend failed: ${error instanceof Error ? error.message : String(error)}`,
    path: [],
  });
}

/** The 32-byte public key of a 32-byte RFC 8032 seed. */
export function publicKeyFromSeed(
  seed: Uint8Array,
  backend?: Ed25519BackendName,
): E.Either<KeyError, Uint8Array> {
  if (!isBytes(seed) || seed.length !== ED25519_KEY_LENGTH) return seedError(seed);
  try {
    return E.right(resolveBackend(backend).publicKey(seed));
  } catch (error) {
    return backendFailure(error);
  }
}

/**
 * Prepares a signing function for a 32-byte seed. The returned function produces 64-byte deterministic
 * signatures, identical across backends. Used by {@link signEd25519} and signing keys.
 */
export function createEd25519Signer(
  seed: Uint8Array,
  backend?: Ed25519BackendName,
): E.Either<
  KeyError,
  {
    /** The backend that signs: the requested one when it loads, else the default ({@link resolveBackendName}). */
    readonly backend: Ed25519BackendName;
    /** Signs `message` with the seed's key: a 64-byte ed25519 signature. */
    readonly sign: (message: Uint8Array) => Uint8Array;
  }
> {
  if (!isBytes(seed) || seed.length !== ED25519_KEY_LENGTH) return seedError(seed);
  try {
    const chosen = resolveBackend(backend);
    return E.right({ backend: chosen.name, sign: chosen.signer(Uint8Array.from(seed)) });
  } catch (error) {
    return backendFailure(error);
  }
}

/** What {@link signEd25519} signs, and with which seed. */
export interface SignEd25519Params {
  /** The 32-byte RFC 8032 seed (private key). */
  readonly seed: Uint8Array;
  /** The message to sign. */
  readonly message: Uint8Array;
  /** Force a backend (normally omitted: the process default applies). */
  readonly backend?: Ed25519BackendName;
}

/**
 * Signs `message` with a 32-byte seed: a 64-byte ed25519 signature (deterministic, identical on every backend).
 *
 * @example signEd25519({ seed, message: new TextEncoder().encode('{}') }) // Right(64 bytes)
 */
export function signEd25519(params: SignEd25519Params): E.Either<KeyError, Uint8Array> {
  if (typeof params !== 'object' || params === null) {
    return E.left({
      kind: 'KeyError',
      reason: 'invalid_input',
      message: 'signEd25519 takes { seed, message }',
      path: [],
    });
  }
  const fields = settingsCopy(params);
  if (fields === undefined) {
    return E.left({
      kind: 'KeyError',
      reason: 'invalid_input',
      message: 'the parameters cannot be read',
      path: [],
    });
  }
  const { seed, message } = fields;
  if (!isBytes(message)) {
    return E.left({
      kind: 'KeyError',
      reason: 'invalid_input',
      message: 'message must be a Uint8Array',
      path: [],
    });
  }
  const signer = createEd25519Signer(seed, fields.backend);
  if (E.isLeft(signer)) return signer;
  try {
    return E.right(signer.right.sign(message));
  } catch (error) {
    return backendFailure(error);
  }
}
