/**
 * Web Crypto's Ed25519 (`crypto.subtle`: native on workerd, Deno, Bun, browsers and Node, async only) with
 * libsodium's verdicts.
 *
 * Implementations differ from libsodium on small-order and non-canonical inputs (BoringSSL, OpenSSL and ring accept
 * small-order keys and `R`, some take `S` modulo `L`), so the same checks as the other backends come first:
 * canonical `S`, `R` and `A` not of small order, `A` canonical and decoding to a curve point; what is left is the
 * cofactorless equation with a byte comparison of `R`, which those implementations evaluate exactly as libsodium.
 * Imported keys are cached (512 public keys, like the `node` backend).
 */
import * as E from 'fp-ts/lib/Either.js';
import { isUint8Array } from '../encoding/bytes.js';
import { describeValue, errorText } from '../errors/describe.js';
import { PKCS8_SEED_PREFIX } from './backends.js';
import { decodesToCurvePoint, passesLibsodiumPrechecks } from './libsodium-checks.js';
import type { KeyError, KeyErrorReason } from './types.js';

/** The part of `crypto.subtle` used here (typed structurally: no DOM types needed). */
interface Subtle {
  importKey(
    format: 'raw' | 'pkcs8',
    keyData: Uint8Array,
    algorithm: { readonly name: 'Ed25519' },
    extractable: boolean,
    usages: readonly ('verify' | 'sign')[],
  ): Promise<unknown>;
  verify(
    algorithm: { readonly name: 'Ed25519' },
    key: unknown,
    signature: Uint8Array,
    data: Uint8Array,
  ): Promise<boolean>;
  sign(algorithm: { readonly name: 'Ed25519' }, key: unknown, data: Uint8Array): Promise<ArrayBuffer>;
}

const ED25519 = Object.freeze({ name: 'Ed25519' as const });

const keyError = (reason: KeyErrorReason, message: string): KeyError => ({
  kind: 'KeyError',
  reason,
  message,
  path: [],
});
const KEY_CACHE_LIMIT = 512;

function subtle(): Subtle | undefined {
  try {
    const candidate = (globalThis as { crypto?: { subtle?: Partial<Subtle> } }).crypto?.subtle;
    return typeof candidate?.verify === 'function' &&
      typeof candidate.importKey === 'function' &&
      typeof candidate.sign === 'function'
      ? (candidate as Subtle)
      : undefined;
  } catch {
    return undefined;
  }
}

/** True when the runtime has `crypto.subtle` (whether it knows Ed25519 is told by {@link webCryptoEd25519Available}). */
export function hasWebCrypto(): boolean {
  return subtle() !== undefined;
}

/** RFC 8032 section 7.1, test 1 (empty message): a signature that must verify, and a copy with one bit flipped. */
const RFC8032_KEY = hexBytes('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
const RFC8032_SIGNATURE = hexBytes(
  'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
);

function hexBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

let probe: Promise<boolean> | undefined;

/**
 * True when this runtime's Web Crypto verifies Ed25519 correctly (checked once, on RFC 8032's first test vector and
 * a tampered copy). Node 20+, Deno, Bun, workerd and current browsers have it.
 */
export function webCryptoEd25519Available(): Promise<boolean> {
  probe ??= (async () => {
    const api = subtle();
    if (api === undefined) return false;
    try {
      const key = await api.importKey('raw', RFC8032_KEY, ED25519, false, ['verify']);
      const tampered = Uint8Array.from(RFC8032_SIGNATURE);
      tampered[0] = (tampered[0] as number) ^ 1;
      const empty = new Uint8Array(0);
      const good = await api.verify(ED25519, key, RFC8032_SIGNATURE, empty);
      const bad = await api.verify(ED25519, key, tampered, empty);
      return good === true && bad === false;
    } catch {
      return false;
    }
  })();
  return probe;
}

/** Imported verify keys, or undefined for a key libsodium refuses (or the runtime cannot import). */
const keyCache = new Map<string, Promise<unknown>>();

function cacheId(bytes: Uint8Array): string {
  return String.fromCharCode.apply(null, bytes as unknown as number[]);
}

function importVerifyKey(api: Subtle, publicKey: Uint8Array): Promise<unknown> {
  const id = cacheId(publicKey);
  let key = keyCache.get(id);
  if (key === undefined) {
    // libsodium's ge25519_frombytes: `A` must decode to a curve point (canonical and small-order checks are done
    // on every call by passesLibsodiumPrechecks).
    const copy = Uint8Array.from(publicKey);
    key = decodesToCurvePoint(copy)
      ? api.importKey('raw', copy, ED25519, false, ['verify']).catch(() => undefined)
      : Promise.resolve(undefined);
    if (keyCache.size >= KEY_CACHE_LIMIT) {
      const oldest = keyCache.keys().next();
      if (oldest.done !== true) keyCache.delete(oldest.value);
    }
    keyCache.set(id, key);
  }
  return key;
}

/**
 * Verifies an ed25519 signature with Web Crypto and libsodium's verdict: the same `{ publicKey, message, signature }`
 * as `verifyEd25519`. Resolves `false`, never rejects, for wrong lengths, garbage, or a runtime without Web Crypto
 * Ed25519 (check {@link webCryptoEd25519Available} first when that matters: the async helpers fall back to a
 * synchronous backend then).
 *
 * @example await verifyEd25519WebCrypto({ publicKey, message, signature }) // true or false
 */
export async function verifyEd25519WebCrypto(params: {
  /** The 32-byte public key. */
  readonly publicKey: Uint8Array;
  /** The signed message. */
  readonly message: Uint8Array;
  /** The 64-byte signature. */
  readonly signature: Uint8Array;
}): Promise<boolean> {
  if (typeof params !== 'object' || params === null) return false;
  let publicKey: unknown;
  let message: unknown;
  let signature: unknown;
  try {
    ({ publicKey, message, signature } = params);
  } catch {
    return false;
  }
  if (!isUint8Array(publicKey) || !isUint8Array(message) || !isUint8Array(signature)) return false;
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  if (!passesLibsodiumPrechecks(publicKey, signature)) return false;
  const api = subtle();
  if (api === undefined) return false;
  try {
    const key = await importVerifyKey(api, publicKey);
    if (key === undefined) return false;
    return (await api.verify(ED25519, key, signature, message)) === true;
  } catch {
    return false;
  }
}

/**
 * A Web Crypto signer: resolves the 64-byte signature of `message`, or a `Left` (`invalid_input` for a message that
 * is not a `Uint8Array`, `backend_failure` when Web Crypto fails), as `signEd25519` answers. Never rejects.
 *
 * @category Keys
 */
export type WebCryptoSigner = (message: Uint8Array) => Promise<E.Either<KeyError, Uint8Array>>;

/**
 * Prepares a Web Crypto signer for a 32-byte seed (imported as PKCS #8, not extractable). Signatures are RFC 8032
 * deterministic: byte-identical to the synchronous backends'. Undefined when the seed is not 32 bytes or the runtime
 * has no Web Crypto Ed25519.
 *
 * @example
 * const signer = await createWebCryptoSigner(seed);
 * const signature = signer && (await signer(message)); // Right(64 bytes)
 */
export async function createWebCryptoSigner(seed: Uint8Array): Promise<WebCryptoSigner | undefined> {
  if (!isUint8Array(seed) || seed.length !== 32) return undefined;
  const api = subtle();
  if (api === undefined) return undefined;
  const der = new Uint8Array(PKCS8_SEED_PREFIX.length + 32);
  der.set(PKCS8_SEED_PREFIX);
  der.set(seed, PKCS8_SEED_PREFIX.length);
  try {
    const key = await api.importKey('pkcs8', der, ED25519, false, ['sign']);
    return async (message) => {
      if (!isUint8Array(message)) {
        return E.left(
          keyError('invalid_input', `the message must be a Uint8Array, got ${describeValue(message)}`),
        );
      }
      try {
        return E.right(new Uint8Array(await api.sign(ED25519, key, message)));
      } catch (error) {
        return E.left(keyError('backend_failure', `Web Crypto could not sign: ${errorText(error)}`));
      }
    };
  } catch {
    return undefined;
  } finally {
    der.fill(0);
  }
}
