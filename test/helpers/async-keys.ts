/** Helpers of the async/sync equivalence tests: async versions of key lookups, and results compared as text. */
import type { AsyncKeyLookup, KeyLookup } from '../../src/crypto/types.js';

/**
 * The same lookup, answered later (0-2 ms, so answers arrive out of order); a throw becomes a rejection. A value
 * that is not a function is returned as it is (the helpers must report it as the synchronous functions do).
 */
export function asyncOf(keys: KeyLookup, calls: string[] = []): AsyncKeyLookup {
  if (typeof keys !== 'function') return keys as unknown as AsyncKeyLookup;
  let n = 0;
  return (serverName, keyId, validAt) => {
    calls.push(`${serverName} ${keyId} ${validAt ?? '-'}`);
    const delay = n++ % 3;
    return new Promise((resolve, reject) => {
      setTimeout(() => {
        try {
          resolve(keys(serverName, keyId, validAt));
        } catch (error) {
          reject(error);
        }
      }, delay);
    });
  };
}

/**
 * A result as comparable text: insertion order kept, bytes as hex, bigints marked, functions named. Two results
 * with the same text are byte-identical in every field a caller can read.
 */
export function snapshot(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return `${v}n`;
    if (v instanceof Uint8Array)
      return `bytes:${Array.from(v, (b) => b.toString(16).padStart(2, '0')).join('')}`;
    if (typeof v === 'function') return `[function ${v.name}]`;
    return v;
  });
}
