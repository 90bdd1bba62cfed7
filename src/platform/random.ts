/**
 * Cryptographically secure random bytes: Web Crypto's `crypto.getRandomValues` (Node 19+, Bun, Deno, workerd,
 * browsers), else `node:crypto`'s `randomFillSync`.
 */
import { type Builtins, builtins } from './builtins.js';

/** Largest request `getRandomValues` serves in one call. */
const GET_RANDOM_VALUES_LIMIT = 65536;

type Fill = (bytes: Uint8Array) => void;

/** The random source for the given built-ins and global Web Crypto; undefined when there is none. */
export function createRandomBytes(
  available: Builtins,
  webCrypto: { getRandomValues?: unknown } | undefined,
): ((length: number) => Uint8Array) | undefined {
  let fill: Fill | undefined;
  if (typeof webCrypto?.getRandomValues === 'function') {
    const getRandomValues = webCrypto.getRandomValues.bind(webCrypto) as (bytes: Uint8Array) => void;
    fill = (bytes) => {
      for (let i = 0; i < bytes.length; i += GET_RANDOM_VALUES_LIMIT)
        getRandomValues(bytes.subarray(i, i + GET_RANDOM_VALUES_LIMIT));
    };
  } else if (typeof available.crypto?.randomFillSync === 'function') {
    const randomFillSync = available.crypto.randomFillSync;
    fill = (bytes) => {
      randomFillSync(bytes);
    };
  }
  if (fill === undefined) return undefined;
  const source = fill;
  return (length) => {
    const bytes = new Uint8Array(length);
    source(bytes);
    return bytes;
  };
}

/** `length` random bytes, or undefined when the runtime has no secure random source. */
export const randomBytes: ((length: number) => Uint8Array) | undefined = createRandomBytes(
  builtins,
  (globalThis as { crypto?: { getRandomValues?: unknown } }).crypto,
);
