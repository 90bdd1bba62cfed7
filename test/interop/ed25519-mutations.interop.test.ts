/**
 * ed25519 verdicts on a freshly generated corpus of mutations each run (seed printed; replay with INTEROP_SEED),
 * against PyNaCl (libsodium, what Synapse verifies with), for every backend: `sodium`, `node`, `noble` and the async
 * `webcrypto` (Web Crypto's Ed25519 behind the same libsodium checks).
 * Valid signatures over random messages are mutated at random: bit flips and byte sets in R, S, the key and the
 * message, S + k·L, the high bits of S, R or A replaced by small-order or non-canonical encodings, halves swapped,
 * truncation and extension. test/interop/crypto.interop.test.ts keeps a fixed, hand-built corpus; this one is new
 * every run. A disagreement prints the smallest disagreeing case as hex, ready to paste.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { availableBackends } from '../../src/crypto/backends.js';
import { publicKeyFromSeed, signEd25519, verifyEd25519 } from '../../src/crypto/ed25519.js';
import { SMALL_ORDER_ENCODINGS } from '../../src/crypto/libsodium-checks.js';
import type { Ed25519BackendName } from '../../src/crypto/types.js';
import { verifyEd25519WebCrypto, webCryptoEd25519Available } from '../../src/crypto/webcrypto.js';
import { reportDisagreement, smallest } from '../helpers/disagreement.js';
import { bytesToHex, hexToBytes } from '../helpers/fixtures.js';
import { describeInterop, PY_ED25519_VERDICTS, runPython } from '../helpers/python-oracle.js';
import { itWithSodium } from '../helpers/sodium.js';
import { right } from '../invite/helpers.js';

const seed = Number(process.env.INTEROP_SEED ?? Date.now() % 2 ** 31);
console.log(`ed25519-mutations interop corpus seed: ${seed} (replay with INTEROP_SEED=${seed})`);
const FILE = 'test/interop/ed25519-mutations.interop.test.ts';
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const P = 2n ** 255n - 19n;

const toLe = (n: bigint): Uint8Array => {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((n >> BigInt(8 * i)) & 255n);
  return out;
};
const fromLe = (b: Uint8Array): bigint => b.reduceRight((acc, x) => (acc << 8n) | BigInt(x), 0n);
const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));

interface Case {
  readonly label: string;
  readonly pk: string;
  readonly msg: string;
  readonly sig: string;
}

type Mutation = (
  pk: Uint8Array,
  msg: Uint8Array,
  sig: Uint8Array,
) => [string, Uint8Array, Uint8Array, Uint8Array];

const flip = (bytes: Uint8Array, bit: number): Uint8Array => {
  const out = Uint8Array.from(bytes);
  if (out.length === 0) return out;
  const i = (bit >> 3) % out.length;
  out[i] = (out[i] as number) ^ (1 << (bit & 7));
  return out;
};
const setByte = (bytes: Uint8Array, at: number, value: number): Uint8Array => {
  const out = Uint8Array.from(bytes);
  if (out.length > 0) out[at % out.length] = value;
  return out;
};

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant<Mutation>((pk, msg, sig) => ['valid', pk, msg, sig]),
  fc.nat(511).map(
    (bit): Mutation =>
      (pk, msg, sig) => ['flip-sig', pk, msg, flip(sig, bit)],
  ),
  fc.nat(255).map(
    (bit): Mutation =>
      (pk, msg, sig) => ['flip-pk', flip(pk, bit), msg, sig],
  ),
  fc.nat(4095).map(
    (bit): Mutation =>
      (pk, msg, sig) => ['flip-msg', pk, flip(msg, bit), sig],
  ),
  fc.tuple(fc.nat(63), fc.nat(255)).map(
    ([at, v]): Mutation =>
      (pk, msg, sig) => ['set-sig-byte', pk, msg, setByte(sig, at, v)],
  ),
  fc.tuple(fc.nat(31), fc.nat(255)).map(
    ([at, v]): Mutation =>
      (pk, msg, sig) => ['set-pk-byte', setByte(pk, at, v), msg, sig],
  ),
  fc.integer({ min: 1, max: 15 }).map(
    (k): Mutation =>
      (pk, msg, sig) => {
        const s = fromLe(sig.subarray(32)) + BigInt(k) * L;
        return ['s-plus-kl', pk, msg, s < 2n ** 256n ? concat(sig.subarray(0, 32), toLe(s)) : sig];
      },
  ),
  fc.nat(3).map(
    (b): Mutation =>
      (pk, msg, sig) => {
        const s = fromLe(sig.subarray(32)) | (1n << BigInt(252 + b));
        return ['s-high-bits', pk, msg, concat(sig.subarray(0, 32), toLe(s))];
      },
  ),
  fc.tuple(fc.nat(SMALL_ORDER_ENCODINGS.length - 1), fc.boolean(), fc.boolean()).map(
    ([i, sign, asKey]): Mutation =>
      (pk, msg, sig) => {
        const point = Uint8Array.from(SMALL_ORDER_ENCODINGS[i] as Uint8Array);
        if (sign) point[31] = (point[31] as number) | 0x80;
        return asKey
          ? ['small-order-a', point, msg, sig]
          : ['small-order-r', pk, msg, concat(point, sig.subarray(32))];
      },
  ),
  fc.tuple(fc.nat(18), fc.boolean()).map(
    ([i, asKey]): Mutation =>
      (pk, msg, sig) => {
        const enc = toLe(P + BigInt(i));
        return asKey
          ? ['non-canonical-a', enc, msg, sig]
          : ['non-canonical-r', pk, msg, concat(enc, sig.subarray(32))];
      },
  ),
  fc.constant<Mutation>((pk, msg, sig) => [
    'swap-halves',
    pk,
    msg,
    concat(sig.subarray(32), sig.subarray(0, 32)),
  ]),
  fc.constantFrom(0, 1, 31, 32, 63, 65, 96).map(
    (n): Mutation =>
      (pk, msg, sig) => [
        `sig-len-${n}`,
        pk,
        msg,
        n <= 64 ? sig.subarray(0, n) : concat(sig, new Uint8Array(n - 64).fill(7)),
      ],
  ),
  fc.constantFrom(0, 31, 33).map(
    (n): Mutation =>
      (pk, msg, sig) => [
        `pk-len-${n}`,
        n <= 32 ? pk.subarray(0, n) : concat(pk, new Uint8Array([1])),
        msg,
        sig,
      ],
  ),
);

function corpus(count: number): Case[] {
  const arb = fc.tuple(
    fc.uint8Array({ minLength: 32, maxLength: 32 }),
    fc.uint8Array({ maxLength: 200 }),
    mutation,
  );
  return fc.sample(arb, { seed, numRuns: count }).map(([keySeed, msg, mutate]) => {
    const pk = right(publicKeyFromSeed(keySeed));
    const sig = right(signEd25519({ seed: keySeed, message: msg }));
    const [label, mpk, mmsg, msig] = mutate(pk, msg, sig);
    return { label, pk: bytesToHex(mpk), msg: bytesToHex(mmsg), sig: bytesToHex(msig) };
  });
}

const BACKENDS: readonly Ed25519BackendName[] = ['sodium', 'node', 'noble'];

describeInterop('ed25519 mutations (fresh corpus each run): every backend agrees with PyNaCl', () => {
  const cases = corpus(4000);
  const oracle = runPython<boolean[]>(
    PY_ED25519_VERDICTS,
    cases.map((c) => [c.pk, c.msg, c.sig]),
  );

  it('the corpus has thousands of cases, both verdicts and every mutation kind', () => {
    expect(cases.length).toBe(4000);
    const accepted = oracle.filter(Boolean).length;
    expect(accepted).toBeGreaterThan(100);
    expect(cases.length - accepted).toBeGreaterThan(2000);
    expect(new Set(cases.map((c) => c.label.replace(/-\d+$/, ''))).size).toBeGreaterThanOrEqual(14);
  });

  itWithSodium('all three backends are available here (sodium-native installed)', () => {
    expect([...availableBackends()].sort()).toEqual([...BACKENDS].sort());
  });

  const verdicts: Record<string, (c: Case) => Promise<boolean>> = {
    ...Object.fromEntries(
      BACKENDS.map((backend) => [
        backend,
        async (c: Case) =>
          verifyEd25519({
            publicKey: hexToBytes(c.pk),
            message: hexToBytes(c.msg),
            signature: hexToBytes(c.sig),
            backend,
          }),
      ]),
    ),
    webcrypto: (c: Case) =>
      verifyEd25519WebCrypto({
        publicKey: hexToBytes(c.pk),
        message: hexToBytes(c.msg),
        signature: hexToBytes(c.sig),
      }),
  };

  it('Web Crypto Ed25519 is available here (Node 20+)', async () => {
    expect(await webCryptoEd25519Available()).toBe(true);
  });

  for (const backend of [...BACKENDS, 'webcrypto'] as const) {
    // Asking for a missing backend runs the default one: the sodium case needs sodium-native itself.
    const itFor = backend === 'sodium' ? itWithSodium : it;
    itFor(`${backend}: every verdict equals PyNaCl's`, async () => {
      const verdict = verdicts[backend] as (c: Case) => Promise<boolean>;
      const ours = await Promise.all(cases.map(verdict));
      const mismatches = cases.filter((_c, i) => ours[i] !== oracle[i]);
      if (mismatches.length === 0) return;
      const first = smallest(mismatches, (c) => c.msg.length + c.pk.length + c.sig.length) as Case;
      const theirs = oracle[cases.indexOf(first)];
      expect.fail(
        reportDisagreement({
          title: `ed25519 verdict, backend ${backend} vs PyNaCl`,
          seed,
          seedEnv: 'INTEROP_SEED',
          file: FILE,
          input:
            backend === 'webcrypto'
              ? `await verifyEd25519WebCrypto(hexToBytes('${first.pk}'), hexToBytes('${first.msg}'), hexToBytes('${first.sig}'))`
              : `verifyEd25519(hexToBytes('${first.pk}'), hexToBytes('${first.msg}'), hexToBytes('${first.sig}'), { backend: '${backend}' })`,
          details: { mutation: first.label, ours: !theirs, pynacl: theirs },
          count: mismatches.length,
        }),
      );
    });
  }
});
