/**
 * ed25519 with libsodium's verdicts (protocol.md section 10).
 *
 * Synapse verifies through PyNaCl, i.e. libsodium 1.0.18 `crypto_sign_verify_detached`. Three backends are
 * available behind one small interface, chosen automatically in the order `sodium` > `node` > `noble`:
 *
 * - `sodium`: sodium-native (libsodium itself), loaded lazily and only when installed (optional dependency).
 * - `node`: `node:crypto` Ed25519 (OpenSSL), cofactorless with a byte comparison of `R`, plus the libsodium
 *   pre-checks below.
 * - `noble`: `@noble/ed25519` point arithmetic, with the cofactorless equation evaluated here (noble's own
 *   `verify` is cofactored even with `{ zip215: false }`), plus the libsodium pre-checks below.
 *
 * The libsodium pre-checks, written from libsodium's documented behaviour: `S` must be canonical (`S < L`), `R`
 * must not be one of the small-order encodings, `A` must be a canonical field encoding (`y < p`) and must not be
 * one of the small-order encodings, and `A` must decode to a curve point. The final comparison of `[S]B - [k]A`
 * with `R` is done on the 32-byte encodings.
 *
 * Signatures are deterministic (RFC 8032) and byte-identical across the backends.
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { createRequire } from 'node:module';
import * as ed from '@noble/ed25519';
import * as E from 'fp-ts/lib/Either.js';
import { isUint8Array } from '../encoding/bytes.js';
import type { Ed25519BackendName, KeyError } from './types.js';

/** Length of an ed25519 public key, a seed, and half a signature. */
export const ED25519_KEY_LENGTH = 32;
/** Length of an ed25519 signature. */
export const ED25519_SIGNATURE_LENGTH = 64;

/** The preference order used by {@link defaultBackend}. */
export const BACKEND_PREFERENCE: readonly Ed25519BackendName[] = ['sodium', 'node', 'noble'];

/** Options accepted by the verification functions. */
export interface Ed25519Options {
  /** Force a backend. An unavailable or unknown name falls back to {@link defaultBackend} (verdicts are equal). */
  readonly backend?: Ed25519BackendName;
}

/** One ed25519 implementation. Inputs are already length-checked when these are called. */
interface Backend {
  readonly name: Ed25519BackendName;
  /** The libsodium verdict. May throw on internal failure (the caller turns that into `false`). */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  /** The public key of a 32-byte seed. */
  publicKey(seed: Uint8Array): Uint8Array;
  /** Prepares a signer for a 32-byte seed (the backend may keep expanded key material in the closure). */
  signer(seed: Uint8Array): (message: Uint8Array) => Uint8Array;
}

// ---------------------------------------------------------------------------------------------------------------
// libsodium 1.0.18 pre-checks (cheap byte comparisons)
// ---------------------------------------------------------------------------------------------------------------

const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));

/**
 * Encodings (y coordinate, little endian, sign bit ignored) of the points of order 1, 2, 4 and 8, including the
 * non-canonical encodings `p` (y = 0) and `p + 1` (y = 1). libsodium rejects `A` and `R` matching any of these
 * (`ge25519_has_small_order`), whatever the sign bit.
 */
export const SMALL_ORDER_ENCODINGS: readonly Uint8Array[] = [
  hex('0000000000000000000000000000000000000000000000000000000000000000'), // y = 0 (order 4)
  hex('0100000000000000000000000000000000000000000000000000000000000000'), // y = 1 (identity)
  hex('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05'), // order 8
  hex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a'), // order 8
  hex('ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'), // y = p - 1 (order 2)
  hex('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'), // y = p, non-canonical 0 (order 4)
  hex('eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'), // y = p + 1, non-canonical 1
];

/** The group order L = 2^252 + 27742317777372353535851937790883648493, little endian. */
const L_BYTES = hex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010');
/** The field prime p = 2^255 - 19, little endian. */
const P_BYTES = hex('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');

/** `a < b` for 32-byte little-endian numbers read from `a[offset..]`; `ignoreTopBit` masks bit 255 of `a`. */
function lessThan(a: Uint8Array, offset: number, b: Uint8Array, ignoreTopBit: boolean): boolean {
  for (let i = 31; i >= 0; i--) {
    let x = a[offset + i] as number;
    if (i === 31 && ignoreTopBit) x &= 0x7f;
    const y = b[i] as number;
    if (x !== y) return x < y;
  }
  return false;
}

/** True when the 32 bytes at `bytes[offset..]` are a small-order encoding (sign bit ignored). */
function hasSmallOrder(bytes: Uint8Array, offset: number): boolean {
  for (const candidate of SMALL_ORDER_ENCODINGS) {
    let diff = ((bytes[offset + 31] as number) & 0x7f) ^ (candidate[31] as number);
    for (let i = 0; i < 31 && diff === 0; i++)
      diff |= (bytes[offset + i] as number) ^ (candidate[i] as number);
    if (diff === 0) return true;
  }
  return false;
}

/**
 * libsodium 1.0.18's checks that come before the curve equation in `crypto_sign_verify_detached`: canonical `S`,
 * `R` not of small order, `A` a canonical encoding not of small order. (That `A` decodes to a point is checked
 * by the backends.) Inputs must already have the right lengths.
 */
export function passesLibsodiumPrechecks(publicKey: Uint8Array, signature: Uint8Array): boolean {
  if (!isBytes(publicKey) || publicKey.length !== 32 || !isBytes(signature) || signature.length !== 64)
    return false;
  if (!lessThan(signature, 32, L_BYTES, false)) return false; // S >= L
  if (hasSmallOrder(signature, 0)) return false; // small-order R
  if (!lessThan(publicKey, 0, P_BYTES, true)) return false; // non-canonical A (y >= p)
  if (hasSmallOrder(publicKey, 0)) return false; // small-order A
  return true;
}

function bytesEqual(a: Uint8Array, b: Uint8Array, bOffset = 0): boolean {
  if (a.length + bOffset > b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[bOffset + i] as number);
  return diff === 0;
}

const sha512 = (...parts: Uint8Array[]): Uint8Array<ArrayBuffer> => {
  const hash = createHash('sha512');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
};

// ---------------------------------------------------------------------------------------------------------------
// sodium backend (sodium-native, optional)
// ---------------------------------------------------------------------------------------------------------------

/** The part of sodium-native used here (the package ships no types). */
interface SodiumNative {
  crypto_sign_seed_keypair(publicKey: Uint8Array, secretKey: Uint8Array, seed: Uint8Array): void;
  crypto_sign_detached(signature: Uint8Array, message: Uint8Array, secretKey: Uint8Array): void;
  crypto_sign_verify_detached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
}

function loadSodium(): SodiumNative | undefined {
  try {
    const require = createRequire(import.meta.url);
    const sodium = require('sodium-native') as Partial<SodiumNative>;
    if (
      typeof sodium.crypto_sign_verify_detached === 'function' &&
      typeof sodium.crypto_sign_detached === 'function' &&
      typeof sodium.crypto_sign_seed_keypair === 'function'
    ) {
      return sodium as SodiumNative;
    }
  } catch {
    // not installed or no prebuild for this platform
  }
  return undefined;
}

function sodiumBackend(sodium: SodiumNative): Backend {
  const keypair = (seed: Uint8Array) => {
    const publicKey = new Uint8Array(32);
    const secretKey = new Uint8Array(64);
    sodium.crypto_sign_seed_keypair(publicKey, secretKey, seed);
    return { publicKey, secretKey };
  };
  return {
    name: 'sodium',
    verify: (publicKey, message, signature) =>
      sodium.crypto_sign_verify_detached(signature, message, publicKey),
    publicKey: (seed) => keypair(seed).publicKey,
    signer: (seed) => {
      const { secretKey } = keypair(seed);
      return (message) => {
        const signature = new Uint8Array(64);
        sodium.crypto_sign_detached(signature, message, secretKey);
        return signature;
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// node backend (node:crypto, OpenSSL)
// ---------------------------------------------------------------------------------------------------------------

const PKCS8_SEED_PREFIX = hex('302e020100300506032b657004220420');
const SPKI_PREFIX = hex('302a300506032b6570032100');
const KEY_CACHE_LIMIT = 512;

function nodeBackend(): Backend {
  const cache = new Map<string, KeyObject>();
  const publicKeyObject = (publicKey: Uint8Array): KeyObject => {
    const id = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.byteLength).toString('latin1');
    let key = cache.get(id);
    if (key === undefined) {
      const der = new Uint8Array(SPKI_PREFIX.length + 32);
      der.set(SPKI_PREFIX);
      der.set(publicKey, SPKI_PREFIX.length);
      key = createPublicKey({ key: Buffer.from(der.buffer), format: 'der', type: 'spki' });
      if (cache.size >= KEY_CACHE_LIMIT) {
        const oldest = cache.keys().next();
        if (oldest.done !== true) cache.delete(oldest.value);
      }
      cache.set(id, key);
    }
    return key;
  };
  const privateKeyObject = (seed: Uint8Array): KeyObject => {
    const der = new Uint8Array(PKCS8_SEED_PREFIX.length + 32);
    der.set(PKCS8_SEED_PREFIX);
    der.set(seed, PKCS8_SEED_PREFIX.length);
    const key = createPrivateKey({ key: Buffer.from(der.buffer), format: 'der', type: 'pkcs8' });
    der.fill(0);
    return key;
  };
  return {
    name: 'node',
    verify: (publicKey, message, signature) => {
      if (!passesLibsodiumPrechecks(publicKey, signature)) return false;
      // OpenSSL's ge_frombytes rejects an A that is not on the curve; its final check compares R by bytes.
      return verify(null, message, publicKeyObject(publicKey), signature);
    },
    publicKey: (seed) => {
      const spki = createPublicKey(privateKeyObject(seed)).export({ format: 'der', type: 'spki' });
      return Uint8Array.from(spki.subarray(spki.length - 32));
    },
    signer: (seed) => {
      const key = privateKeyObject(seed);
      return (message) => {
        return Uint8Array.from(sign(null, message, key));
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// noble backend (@noble/ed25519 v3, pure JavaScript)
// ---------------------------------------------------------------------------------------------------------------

const CURVE_ORDER = ed.Point.CURVE().n;

function leToBigInt(bytes: Uint8Array, offset: number, length: number): bigint {
  let value = 0n;
  for (let i = offset + length - 1; i >= offset; i--) value = (value << 8n) | BigInt(bytes[i] as number);
  return value;
}

function nobleBackend(): Backend {
  // noble's synchronous API needs a SHA-512; node:crypto's is used (only set when nobody set one before).
  if (ed.hashes.sha512 === undefined) ed.hashes.sha512 = (message) => sha512(message);
  return {
    name: 'noble',
    verify: (publicKey, message, signature) => {
      if (!passesLibsodiumPrechecks(publicKey, signature)) return false;
      let a: ed.Point;
      try {
        a = ed.Point.fromBytes(publicKey, false); // y < p already checked; throws when y has no x
      } catch {
        return false;
      }
      const s = leToBigInt(signature, 32, 32); // < L (pre-checked)
      const k = leToBigInt(sha512(signature.subarray(0, 32), publicKey, message), 0, 64) % CURVE_ORDER;
      // Cofactorless, as libsodium: encode [S]B - [k]A and compare with R byte for byte.
      const check = ed.Point.BASE.multiply(s, false).subtract(a.multiply(k, false)).toBytes();
      return bytesEqual(check, signature);
    },
    publicKey: (seed) => ed.getPublicKey(seed),
    signer: (seed) => {
      const copy = Uint8Array.from(seed);
      return (message) => ed.sign(message, copy);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// backend registry
// ---------------------------------------------------------------------------------------------------------------

const backends = new Map<Ed25519BackendName, Backend | null>();

function nodeSupportsEd25519(): boolean {
  try {
    const probe = nodeBackend();
    const seed = new Uint8Array(32);
    const signature = probe.signer(seed)(seed);
    return signature.length === 64 && probe.verify(probe.publicKey(seed), seed, signature);
  } catch {
    return false;
  }
}

function loadBackend(name: Ed25519BackendName): Backend | null {
  const cached = backends.get(name);
  if (cached !== undefined) return cached;
  let backend: Backend | null = null;
  if (name === 'sodium') {
    const sodium = loadSodium();
    backend = sodium === undefined ? null : sodiumBackend(sodium);
  } else if (name === 'node') {
    backend = nodeSupportsEd25519() ? nodeBackend() : null;
  } else if (name === 'noble') {
    backend = nobleBackend();
  }
  backends.set(name, backend);
  return backend;
}

function isBackendName(name: unknown): name is Ed25519BackendName {
  return name === 'sodium' || name === 'node' || name === 'noble';
}

/** The backends usable in this process, in preference order (`noble` is always there). */
export function availableBackends(): Ed25519BackendName[] {
  return BACKEND_PREFERENCE.filter((name) => loadBackend(name) !== null);
}

/** True when the named backend can be used in this process. */
export function isBackendAvailable(name: Ed25519BackendName): boolean {
  return isBackendName(name) && loadBackend(name) !== null;
}

/** The backend used when none is asked for: the first available of `sodium`, `node`, `noble`. */
export function defaultBackend(): Ed25519BackendName {
  return availableBackends()[0] ?? 'noble';
}

function resolveBackend(name: Ed25519BackendName | undefined): Backend {
  if (name !== undefined && isBackendName(name)) {
    const backend = loadBackend(name);
    if (backend !== null) return backend;
  }
  return loadBackend(defaultBackend()) ?? nobleBackend();
}

/**
 * The backend that will actually run for `name` (the name itself when available, else {@link defaultBackend}).
 */
export function resolveBackendName(name?: Ed25519BackendName): Ed25519BackendName {
  return resolveBackend(name).name;
}

function isBytes(value: unknown): value is Uint8Array {
  return isUint8Array(value);
}

/**
 * Verifies an ed25519 signature with libsodium's verdict (`crypto_sign_verify_detached`), on every backend.
 * Returns `false`, never throws, for wrong lengths, non-byte inputs or any other garbage.
 *
 * @example verifyEd25519(publicKey, new TextEncoder().encode('{}'), signature) // true or false
 */
export function verifyEd25519(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
  options: Ed25519Options = {},
): boolean {
  if (!isBytes(publicKey) || !isBytes(message) || !isBytes(signature)) return false;
  if (publicKey.length !== ED25519_KEY_LENGTH || signature.length !== ED25519_SIGNATURE_LENGTH) return false;
  try {
    return resolveBackend(options?.backend).verify(publicKey, message, signature) === true;
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

/** Signs `message` with a 32-byte seed: a 64-byte ed25519 signature. */
export function signEd25519(
  seed: Uint8Array,
  message: Uint8Array,
  backend?: Ed25519BackendName,
): E.Either<KeyError, Uint8Array> {
  if (!isBytes(message)) {
    return E.left({
      kind: 'KeyError',
      reason: 'invalid_input',
      message: 'message must be a Uint8Array',
      path: [],
    });
  }
  const signer = createEd25519Signer(seed, backend);
  if (E.isLeft(signer)) return signer;
  try {
    return E.right(signer.right.sign(message));
  } catch (error) {
    return backendFailure(error);
  }
}
