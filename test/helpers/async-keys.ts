/** Helpers of the async/sync equivalence tests: async versions of key lookups, and results compared as text. */
import type { AsyncKeyLookup, KeyLookup } from '../../src/crypto/types.js';

/**
 * The same lookup, answered later (0-2 ms, so answers arrive out of order). A throw stays a synchronous throw (a
 * programming error in both worlds; a rejection would be a failed fetch, an unknown key: see {@link rejecting}). A
 * value that is not a function is returned as it is (the helpers must report it as the synchronous functions do).
 */
export function asyncOf(keys: KeyLookup, calls: string[] = []): AsyncKeyLookup {
  if (typeof keys !== 'function') return keys as unknown as AsyncKeyLookup;
  let n = 0;
  return (serverName, keyId, validAt) => {
    calls.push(`${serverName} ${keyId} ${validAt ?? '-'}`);
    const delay = n++ % 3;
    const answer = keys(serverName, keyId, validAt);
    return new Promise((resolve) => {
      setTimeout(() => resolve(answer), delay);
    });
  };
}

/**
 * An async lookup whose fetches fail (a rejected promise, 0-2 ms later) for the keys `fails` picks, and answers
 * like `keys` for the others: what a key store gives when a server is down.
 */
export function rejecting(
  keys: KeyLookup,
  fails: (serverName: string, keyId: string) => boolean = () => true,
): AsyncKeyLookup {
  let n = 0;
  return (serverName, keyId, validAt) => {
    const delay = n++ % 3;
    return new Promise((resolve, reject) => {
      setTimeout(() => {
        if (fails(serverName, keyId))
          reject(new Error(`GET https://${serverName}/_matrix/key/v2/server failed`));
        else resolve(keys(serverName, keyId, validAt));
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
