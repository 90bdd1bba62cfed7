/**
 * runWithAsyncKeys, the engine of the async helpers: passes, bounds, provisional verdicts, options; and the
 * `verifier` option of the synchronous checks.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { collectKeyRequests, runWithAsyncKeys } from '../../src/crypto/async.js';
import { runSyncCheckAsync } from '../../src/crypto/async-engine.js';
import { ed25519OptionsOf } from '../../src/crypto/backends.js';
import { publicKeyFromSeed, signEd25519, verifyEd25519 } from '../../src/crypto/ed25519.js';
import { signJson, verifyJsonSignatures } from '../../src/crypto/json-signing.js';
import { signingKeyFromSeed } from '../../src/crypto/keys.js';
import type { Ed25519Verifier, KeyLookup, SigningKey } from '../../src/crypto/types.js';
import type { JsonObject } from '../../src/json/value.js';

const right = <A>(either: E.Either<unknown, A>): A => {
  if (E.isLeft(either)) throw new Error(JSON.stringify(either.left));
  return either.right;
};
const key = (fill: number, version: string): SigningKey =>
  right(signingKeyFromSeed({ seed: new Uint8Array(32).fill(fill), version }));
const a1 = key(1, 'a1');
const a2 = key(2, 'a2');
/** Signed by two keys of one server: a check that needs two keys and two verdicts. */
const doc: JsonObject = right(
  signJson({
    value: right(signJson({ value: { hello: 'world' }, serverName: 'a.example', signingKey: a1 })),
    serverName: 'a.example',
    signingKey: a2,
  }),
);
const known: KeyLookup = (server, keyId) =>
  server !== 'a.example'
    ? undefined
    : keyId === a1.keyId
      ? { key: a1.publicKey }
      : keyId === a2.keyId
        ? { key: a2.publicKey }
        : undefined;

/** runWithAsyncKeys, whose Right is the check's own result (its Left is tested below). */
const runChecked = async <T>(...args: Parameters<typeof runWithAsyncKeys<T>>): Promise<T> =>
  right(await runWithAsyncKeys(...args));

describe('runWithAsyncKeys', () => {
  it('gives the synchronous result, with webcrypto or a synchronous backend', async () => {
    const sync = verifyJsonSignatures({ value: doc, serverName: 'a.example', keys: known });
    expect(sync).toEqual(E.right(['ed25519:a1', 'ed25519:a2']));
    for (const backend of ['webcrypto', 'sodium', 'noble'] as const) {
      const result = await runChecked(
        ({ keys, verifier }) => verifyJsonSignatures({ value: doc, serverName: 'a.example', keys, verifier }),
        { keys: async (s, k) => known(s, k), backend },
      );
      expect(result).toEqual(sync);
    }
  });

  it('a provisional verdict never leaks: a bad signature is refused whatever the pass order', async () => {
    const forged: JsonObject = {
      ...doc,
      signatures: { 'a.example': { 'ed25519:a1': (doc.signatures as never)['a.example']['ed25519:a2'] } },
    };
    const sync = verifyJsonSignatures({ value: forged, serverName: 'a.example', keys: known });
    expect(E.isLeft(sync) && sync.left.reason).toBe('invalid_signature');
    const result = await runChecked(
      ({ keys, verifier }) =>
        verifyJsonSignatures({ value: forged, serverName: 'a.example', keys, verifier }),
      { keys: async (s, k) => known(s, k), backend: 'webcrypto' },
    );
    expect(result).toEqual(sync);
  });

  it('counts passes: keys first, then verdicts, then the final pass', async () => {
    let passes = 0;
    await runChecked(
      ({ keys, verifier }) => {
        passes++;
        return verifyJsonSignatures({ value: doc, serverName: 'a.example', keys, verifier });
      },
      { keys: async (s, k) => known(s, k), backend: 'webcrypto' },
    );
    expect(passes).toBe(3);
    passes = 0;
    await runChecked(
      ({ keys, verifier }) => {
        passes++;
        return verifyJsonSignatures({ value: doc, serverName: 'a.example', keys, verifier });
      },
      { keys: async (s, k) => known(s, k), backend: 'sodium' },
    );
    expect(passes).toBe(2); // synchronous verdicts are computed during the pass
  });

  it('uses answers a lookup gives synchronously (a warm cache) in the same pass', async () => {
    const count = async (backend: 'sodium' | 'webcrypto') => {
      let passes = 0;
      const result = await runChecked(
        ({ keys, verifier }) => {
          passes++;
          return verifyJsonSignatures({ value: doc, serverName: 'a.example', keys, verifier });
        },
        { keys: known, backend },
      );
      expect(result).toEqual(E.right(['ed25519:a1', 'ed25519:a2']));
      return passes;
    };
    expect(await count('sodium')).toBe(1);
    expect(await count('webcrypto')).toBe(2); // the verdicts still need one round trip
  });

  it('a lookup whose answer cannot be inspected counts as a throwing lookup', async () => {
    const hostile = {
      // biome-ignore lint/suspicious/noThenProperty: a lookup answer whose `then` throws, on purpose
      get then(): never {
        throw new Error('getter');
      },
    };
    const result = await runChecked(
      ({ keys, verifier }) => verifyJsonSignatures({ value: doc, serverName: 'a.example', keys, verifier }),
      { keys: () => hostile as never },
    );
    expect(E.isLeft(result) && result.left.reason).toBe('key_lookup_failed');
    const thenable = await runChecked(
      ({ keys, verifier }) => verifyJsonSignatures({ value: doc, serverName: 'a.example', keys, verifier }),
      {
        // biome-ignore lint/suspicious/noThenProperty: a bare thenable (not a Promise) as a lookup answer, on purpose
        keys: (s, k) => ({ then: (resolve: (v: unknown) => void) => resolve(known(s, k)) }) as never,
      },
    );
    expect(thenable).toEqual(E.right(['ed25519:a1', 'ed25519:a2']));
  });

  it('stops after maxPasses: the last pass answers unknown keys with undefined, unknown verdicts synchronously', async () => {
    let lookups = 0;
    const lookup = async (s: string, k: string) => {
      lookups++;
      return known(s, k);
    };
    const once = await runChecked(
      ({ keys, verifier }) => verifyJsonSignatures({ value: doc, serverName: 'a.example', keys, verifier }),
      { keys: lookup, backend: 'webcrypto', maxPasses: 1 },
    );
    expect(E.isLeft(once) && once.left.reason).toBe('no_known_keys');
    expect(lookups).toBe(0);
    const twice = await runChecked(
      ({ keys, verifier }) => verifyJsonSignatures({ value: doc, serverName: 'a.example', keys, verifier }),
      { keys: lookup, backend: 'webcrypto', maxPasses: 2 },
    );
    // pass 2 knows the keys; its verdicts come from the synchronous default backend: still the real result
    expect(twice).toEqual(E.right(['ed25519:a1', 'ed25519:a2']));
    // A maxPasses that is not a positive integer is the caller's mistake (test/crypto/async-options.test.ts).
    for (const maxPasses of [0, -3, Number.NaN, 'x' as unknown as number]) {
      const result = await runWithAsyncKeys(() => 'checked', { keys: lookup, maxPasses });
      expect(E.isLeft(result) && result.left.reason).toBe('invalid_options');
    }
  });

  it('refuses garbage settings, and answers a lookup returning garbage as the check does', async () => {
    const result = await runWithAsyncKeys(() => 'checked', {
      keys: async (s: string, k: string) => known(s, k),
      maxPasses: 'many',
    } as never);
    expect(E.isLeft(result) && result.left.message).toBe(
      'maxPasses must be a positive integer, got a string ("many")',
    );
    const garbage: KeyLookup = () => 42 as never;
    const sync = verifyJsonSignatures({ value: doc, serverName: 'a.example', keys: garbage });
    const viaAsync = await runChecked(
      ({ keys, verifier }) => verifyJsonSignatures({ value: doc, serverName: 'a.example', keys, verifier }),
      { keys: async (s, k) => garbage(s, k) },
    );
    expect(viaAsync).toEqual(sync);
  });
});

describe('collectKeyRequests', () => {
  it('lists each missing key once, and replays a throwing lookup to the check', () => {
    const onlyA1: KeyLookup = (s, k) => (k === a1.keyId ? known(s, k) : undefined);
    const { result, keyRequests } = right(
      collectKeyRequests((keys) => {
        keys('a.example', a2.keyId);
        return verifyJsonSignatures({ value: doc, serverName: 'a.example', keys });
      }, onlyA1),
    );
    expect(result).toEqual(E.right(['ed25519:a1']));
    expect(keyRequests).toEqual([{ serverName: 'a.example', keyId: 'ed25519:a2' }]);
    const throwing = right(
      collectKeyRequests(
        (keys) => verifyJsonSignatures({ value: doc, serverName: 'a.example', keys }),
        () => {
          throw new Error('boom');
        },
      ),
    );
    expect(E.isLeft(throwing.result) && throwing.result.left.reason).toBe('key_lookup_failed');
  });

  it('refuses a check or a lookup that is not a function, and a check that throws, as Lefts', () => {
    const reasonOf = (result: E.Either<{ reason: string }, unknown>) =>
      E.isLeft(result) && result.left.reason;
    expect(reasonOf(collectKeyRequests(null as never, known))).toBe('invalid_params');
    expect(reasonOf(collectKeyRequests((keys) => keys('a.example', a1.keyId), 7 as never))).toBe(
      'invalid_params',
    );
    const threw = collectKeyRequests(() => {
      throw new Error('bug in the check');
    }, known);
    expect(E.isLeft(threw) && threw.left).toMatchObject({
      kind: 'AsyncCheckError',
      reason: 'check_threw',
      message: 'the check threw: bug in the check',
    });
  });
});

describe('runWithAsyncKeys refusals (never a rejection)', () => {
  const check = ({ keys, verifier }: { keys: KeyLookup; verifier: Ed25519Verifier }) =>
    verifyJsonSignatures({ value: doc, serverName: 'a.example', keys, verifier });
  const reasonOf = (result: E.Either<{ reason: string }, unknown>) => E.isLeft(result) && result.left.reason;

  it('a check or a lookup that is not a function is invalid_params', async () => {
    expect(reasonOf(await runWithAsyncKeys(null as never, { keys: known }))).toBe('invalid_params');
    expect(reasonOf(await runWithAsyncKeys(check, { keys: 'keys' as never }))).toBe('invalid_params');
  });

  it('a context whose getters throw, or that is not an object, is invalid_options', async () => {
    const context = Object.defineProperty({ keys: known }, 'maxPasses', {
      enumerable: true,
      get: () => {
        throw new Error('getter');
      },
    });
    const result = await runWithAsyncKeys(check, context);
    expect(E.isLeft(result) && result.left.message).toBe('the context cannot be read: getter');
    expect(reasonOf(await runWithAsyncKeys(check, 5 as never))).toBe('invalid_options');
  });

  it('a check that throws is check_threw', async () => {
    const result = await runWithAsyncKeys(
      () => {
        throw new Error('bug');
      },
      { keys: known },
    );
    expect(reasonOf(result)).toBe('check_threw');
  });
});

describe('a rejecting async lookup is an unknown key; a throwing one is a programming error', () => {
  const onlyA1: KeyLookup = (s, k) => (k === a1.keyId ? known(s, k) : undefined);
  const failingA2 = async (s: string, k: string) => {
    if (k === a2.keyId) throw new Error('connect ECONNREFUSED'); // inside an async function: a rejection
    return known(s, k);
  };

  for (const backend of ['webcrypto', 'sodium'] as const) {
    it(`a rejection gives what a lookup without that key gives (${backend})`, async () => {
      const sync = verifyJsonSignatures({ value: doc, serverName: 'a.example', keys: onlyA1 });
      expect(sync).toEqual(E.right(['ed25519:a1']));
      const viaAsync = right(
        await runWithAsyncKeys(
          ({ keys, verifier }) =>
            verifyJsonSignatures({ value: doc, serverName: 'a.example', keys, verifier }),
          { keys: failingA2, backend },
        ),
      );
      expect(viaAsync).toEqual(sync);
    });
  }

  it('every key rejected: the check reports unknown keys, as with a lookup that knows none', async () => {
    const none: KeyLookup = () => undefined;
    const sync = verifyJsonSignatures({ value: doc, serverName: 'a.example', keys: none });
    expect(E.isLeft(sync) && sync.left.reason).toBe('no_known_keys');
    const viaAsync = right(
      await runWithAsyncKeys(
        ({ keys, verifier }) => verifyJsonSignatures({ value: doc, serverName: 'a.example', keys, verifier }),
        { keys: () => Promise.reject(new Error('timeout')) },
      ),
    );
    expect(viaAsync).toEqual(sync);
  });

  it('a lookup that throws before returning a promise is reported as a throwing synchronous lookup', async () => {
    const throwing: KeyLookup = () => {
      throw new Error('boom');
    };
    const sync = verifyJsonSignatures({ value: doc, serverName: 'a.example', keys: throwing });
    expect(E.isLeft(sync) && sync.left.reason).toBe('key_lookup_failed');
    const viaAsync = right(
      await runWithAsyncKeys(
        ({ keys, verifier }) => verifyJsonSignatures({ value: doc, serverName: 'a.example', keys, verifier }),
        { keys: throwing },
      ),
    );
    expect(viaAsync).toEqual(sync);
  });
});

describe('the verifier option', () => {
  const seed = new Uint8Array(32).fill(9);
  const pk = right(publicKeyFromSeed(seed));
  const msg = new Uint8Array([1, 2, 3]);
  const sig = right(signEd25519({ seed, message: msg }));

  it('replaces the backend; a throwing or non-boolean verifier is a refusal; lengths are checked first', () => {
    const calls: number[] = [];
    const no: Ed25519Verifier = () => {
      calls.push(1);
      return false;
    };
    expect(verifyEd25519({ publicKey: pk, message: msg, signature: sig })).toBe(true);
    expect(
      verifyEd25519({ publicKey: pk, message: msg, signature: sig, verifier: no, backend: 'sodium' }),
    ).toBe(false);
    expect(
      verifyEd25519({
        publicKey: pk,
        message: msg,
        signature: sig,
        verifier: () => {
          throw new Error('x');
        },
      }),
    ).toBe(false);
    expect(
      verifyEd25519({ publicKey: pk, message: msg, signature: sig, verifier: () => 1 as unknown as boolean }),
    ).toBe(false);
    expect(verifyEd25519({ publicKey: pk, message: msg, signature: sig.subarray(1), verifier: no })).toBe(
      false,
    );
    expect(calls).toEqual([1]);
  });

  it('is passed on only when set', () => {
    const verifier: Ed25519Verifier = () => true;
    expect(ed25519OptionsOf(undefined)).toEqual({});
    expect(ed25519OptionsOf({})).toEqual({});
    expect(ed25519OptionsOf({ verifier })).toEqual({ verifier });
    expect(ed25519OptionsOf({ backend: 'noble' })).toEqual({ backend: 'noble' });
    expect(ed25519OptionsOf({ backend: 'noble', verifier })).toEqual({ backend: 'noble', verifier });
  });

  it("runSyncCheckAsync hands the synchronous check its own settings, with the passes' keys and verifier", async () => {
    const seen: unknown[] = [];
    const sync = (settings: unknown): string => {
      seen.push(settings);
      return 'checked';
    };
    const refuse = (problem: string, rest: object): string => `${problem} ${JSON.stringify(rest)}`;
    const callerVerifier = () => false;
    const settings = {
      keys: async () => undefined,
      backend: 'noble',
      maxPasses: 3,
      now: 5,
      verifier: callerVerifier,
    };
    expect(await runSyncCheckAsync(settings, sync, refuse)).toBe('checked');
    expect(seen).toHaveLength(1);
    const given = seen[0] as Record<string, unknown>;
    // backend and maxPasses are the passes' settings; the caller's verifier is replaced by the passes' own.
    expect(Object.keys(given).sort()).toEqual(['keys', 'now', 'verifier']);
    expect(given.now).toBe(5);
    expect(given.verifier).not.toBe(callerVerifier);
    expect(given.keys).not.toBe(settings.keys);
    // A bad async setting is refused, with the other settings (an error mapping, for instance).
    expect(await runSyncCheckAsync({ keys: async () => undefined, maxPasses: 0, now: 5 }, sync, refuse)).toBe(
      'maxPasses must be a positive integer, got a number (0) {"now":5}',
    );
    expect(seen).toHaveLength(1);
    // Not an object, or keys that are not a function: the synchronous check answers the settings as given.
    await runSyncCheckAsync(7, sync, refuse);
    const noKeys = { keys: 'x', now: 1 };
    await runSyncCheckAsync(noKeys, sync, refuse);
    expect(seen.slice(1)).toEqual([7, noKeys]);
    // Unreadable: the synchronous check is handed a value whose every read throws the same error.
    const hostile = Object.defineProperty({}, 'now', {
      enumerable: true,
      get: () => {
        throw new Error('getter');
      },
    });
    await runSyncCheckAsync(hostile, sync, refuse);
    expect(() => (seen[3] as { now?: unknown }).now).toThrow('getter');
  });
});
