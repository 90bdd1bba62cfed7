/**
 * The synchronous ed25519 backends behind `verifyEd25519` and the signing functions, and the process-wide choice
 * among them (internal: the public surface is in `ed25519.ts` and `config.ts`). See `ed25519.ts` for what each
 * backend is and how each gets libsodium's verdicts.
 */

import * as ed from '@noble/ed25519';
import { encodeBase64 } from '../encoding/base64.js';
import { isUint8Array } from '../encoding/bytes.js';
import { builtins, type NodeCrypto, type NodeKeyObject, type NodeModule } from '../platform/builtins.js';
import { hashes } from '../platform/hash.js';
import { configured } from './defaults.js';
import type { Ed25519Options } from './ed25519.js';
import { bytesEqual, decodePoint, passesLibsodiumPrechecks } from './libsodium-checks.js';
import type { Ed25519BackendName, Ed25519Verifier } from './types.js';

/** The preference order of the default backend. */
export const BACKEND_PREFERENCE: readonly Ed25519BackendName[] = ['sodium', 'node', 'noble'];

/** The backend and verifier of `options`, copied only when set (for passing them on under exact optional types). */
export function ed25519OptionsOf(options: Ed25519Options | undefined): Ed25519Options {
  if (options === undefined) return {};
  const { backend, verifier } = options;
  if (backend === undefined) return verifier === undefined ? {} : { verifier };
  return verifier === undefined ? { backend } : { backend, verifier };
}

/** One ed25519 implementation. Inputs are already length-checked when these are called. */
export interface Backend {
  readonly name: Ed25519BackendName;
  /** The libsodium verdict. May throw on internal failure (the caller turns that into `false`). */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  /** The public key of a 32-byte seed. */
  publicKey(seed: Uint8Array): Uint8Array;
  /** Prepares a signer for a 32-byte seed (the backend may keep expanded key material in the closure). */
  signer(seed: Uint8Array): (message: Uint8Array) => Uint8Array;
}

const sha512 = hashes.sha512;

// ---------------------------------------------------------------------------------------------------------------
// sodium backend (sodium-native, optional)
// ---------------------------------------------------------------------------------------------------------------

/** The part of sodium-native used here (the package ships no types). */
interface SodiumNative {
  crypto_sign_seed_keypair(publicKey: Uint8Array, secretKey: Uint8Array, seed: Uint8Array): void;
  crypto_sign_detached(signature: Uint8Array, message: Uint8Array, secretKey: Uint8Array): void;
  crypto_sign_verify_detached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
}

function loadSodium(module: NodeModule | undefined): SodiumNative | undefined {
  if (module === undefined) return undefined;
  try {
    const require = module.createRequire(import.meta.url);
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

/** DER prefix of a PKCS #8 Ed25519 private key holding a 32-byte seed (RFC 8410). */
export const PKCS8_SEED_PREFIX: Uint8Array = Uint8Array.of(
  0x30,
  0x2e,
  0x02,
  0x01,
  0x00,
  0x30,
  0x05,
  0x06,
  0x03,
  0x2b,
  0x65,
  0x70,
  0x04,
  0x22,
  0x04,
  0x20,
);
const SPKI_PREFIX = Uint8Array.of(0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00);
const KEY_CACHE_LIMIT = 512;

/** A Map key for 32 bytes (one UTF-16 code unit per byte). */
function bytesKey(bytes: Uint8Array): string {
  return String.fromCharCode.apply(null, bytes as unknown as number[]);
}

/** The `node` backend over a `node:crypto` module. Internal (exported for tests). */
export function nodeBackend(crypto: NodeCrypto): Backend {
  const { createPrivateKey, createPublicKey, sign, verify } = crypto;
  const cache = new Map<string, NodeKeyObject>();
  // A key seen for the first time: imported as a JWK (about 10 µs on Node 20) rather than as DER/SPKI (about 90 µs);
  // both give OpenSSL the same 32 raw bytes, so verdicts are the same. A runtime whose `node:crypto` refuses the
  // JWK form for a key it accepts as DER gets DER from then on.
  let jwk = true;
  const importPublicKey = (publicKey: Uint8Array): NodeKeyObject => {
    if (jwk) {
      try {
        const x = encodeBase64(publicKey, { urlSafe: true });
        return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
      } catch {
        // fall through to DER
      }
    }
    const der = new Uint8Array(SPKI_PREFIX.length + 32);
    der.set(SPKI_PREFIX);
    der.set(publicKey, SPKI_PREFIX.length);
    const key = createPublicKey({ key: der, format: 'der', type: 'spki' });
    jwk = false;
    return key;
  };
  const publicKeyObject = (publicKey: Uint8Array): NodeKeyObject => {
    const id = bytesKey(publicKey);
    let key = cache.get(id);
    if (key === undefined) {
      key = importPublicKey(publicKey);
      if (cache.size >= KEY_CACHE_LIMIT) {
        const oldest = cache.keys().next();
        if (oldest.done !== true) cache.delete(oldest.value);
      }
      cache.set(id, key);
    }
    return key;
  };
  const privateKeyObject = (seed: Uint8Array): NodeKeyObject => {
    const der = new Uint8Array(PKCS8_SEED_PREFIX.length + 32);
    der.set(PKCS8_SEED_PREFIX);
    der.set(seed, PKCS8_SEED_PREFIX.length);
    const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
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
  // noble's synchronous API needs a SHA-512: the platform's (node:crypto or @noble/hashes), only set when nobody
  // set one before.
  if (ed.hashes.sha512 === undefined) ed.hashes.sha512 = (message) => sha512(message);
  return {
    name: 'noble',
    verify: (publicKey, message, signature) => {
      if (!passesLibsodiumPrechecks(publicKey, signature)) return false;
      const a = decodePoint(publicKey); // y < p already checked; undefined when y has no x
      if (a === undefined) return false;
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

function nodeSupportsEd25519(crypto: NodeCrypto): boolean {
  try {
    const probe = nodeBackend(crypto);
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
    const sodium = loadSodium(builtins.module);
    backend = sodium === undefined ? null : sodiumBackend(sodium);
  } else if (name === 'node') {
    const crypto = builtins.crypto;
    backend = crypto !== undefined && nodeSupportsEd25519(crypto) ? nodeBackend(crypto) : null;
  } else if (name === 'noble') {
    backend = nobleBackend();
  }
  backends.set(name, backend);
  return backend;
}

/** True for the names of the synchronous backends. */
export function isBackendName(name: unknown): name is Ed25519BackendName {
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

let best: Backend | undefined;

/** The first available of `sodium`, `node`, `noble` (detected once). */
function bestBackend(): Backend {
  if (best === undefined) {
    for (const name of BACKEND_PREFERENCE) {
      const backend = loadBackend(name);
      if (backend !== null) {
        best = backend;
        break;
      }
    }
  }
  return best ?? nobleBackend();
}

/** The default backend: the best available, unless chosen for the whole process with `configureCrypto`. */
function processBackend(): Backend {
  const chosen = configured.backend;
  return (chosen === undefined ? undefined : loadBackend(chosen)) ?? bestBackend();
}

/**
 * The backend used when none is asked for: the one chosen with `configureCrypto`, else the first available of
 * `sodium`, `node`, `noble`.
 */
export function defaultBackend(): Ed25519BackendName {
  return processBackend().name;
}

export function resolveBackend(name: Ed25519BackendName | undefined): Backend {
  if (name !== undefined && isBackendName(name)) {
    const backend = loadBackend(name);
    if (backend !== null) return backend;
  }
  return processBackend();
}

/**
 * The backend that will actually run for `name` (the name itself when available, else {@link defaultBackend}).
 */
export function resolveBackendName(name?: Ed25519BackendName): Ed25519BackendName {
  return resolveBackend(name).name;
}

/** The synchronous verdict function of a backend (the named one when available, else the default). */
export function backendVerifier(name?: Ed25519BackendName): Ed25519Verifier {
  const backend = resolveBackend(name);
  return (publicKey, message, signature) => checkedVerify(backend, publicKey, message, signature);
}

/** A backend's verdict on raw inputs: `false` for wrong types or lengths and when the backend throws. */
export function checkedVerify(
  backend: Backend,
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (!isUint8Array(publicKey) || !isUint8Array(message) || !isUint8Array(signature)) return false;
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    return backend.verify(publicKey, message, signature) === true;
  } catch {
    return false;
  }
}
