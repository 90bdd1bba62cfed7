/**
 * Differential tests against the Synapse stack: PyNaCl (libsodium 1.0.18) for raw ed25519 verdicts and
 * python-signedjson for JSON signatures. Every Python call is batched.
 */
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import * as ed from '@noble/ed25519';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { beforeAll, expect, it } from 'vitest';
import {
  availableBackends,
  publicKeyFromSeed,
  SMALL_ORDER_ENCODINGS,
  signEd25519,
  verifyEd25519,
} from '../../src/crypto/ed25519.js';
import { signJson, verifyJsonSignature } from '../../src/crypto/json-signing.js';
import { signingKeyFromSeed } from '../../src/crypto/keys.js';
import { encodeCanonicalJson } from '../../src/json/canonical.js';
import type { JsonObject, JsonValue } from '../../src/json/value.js';
import { bytesToHex, ed25519EdgeCases, hexToBytes } from '../helpers/fixtures.js';
import { describeInterop, PY_ED25519_VERDICTS, PY_PRELUDE, runPython } from '../helpers/python-oracle.js';

const backends = availableBackends();
const right = <A>(either: E.Either<unknown, A>): A => {
  if (E.isLeft(either)) throw new Error(`expected Right, got ${JSON.stringify(either.left)}`);
  return either.right;
};

const L = ed.Point.CURVE().n;
const P = 2n ** 255n - 19n;
const toLe = (n: bigint, length = 32): Uint8Array => {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = Number((n >> BigInt(8 * i)) & 255n);
  return out;
};
const fromLe = (bytes: Uint8Array): bigint => {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i] as number);
  return n;
};
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

const sha512 = (...parts: Uint8Array[]): Uint8Array =>
  new Uint8Array(
    createHash('sha512')
      .update(concat(...parts))
      .digest(),
  );

interface Case {
  readonly label: string;
  readonly pk: Uint8Array;
  readonly msg: Uint8Array;
  readonly sig: Uint8Array;
}

/** A deterministic PRNG (xorshift32) so the corpus is the same on every run. */
function prng(seed: number): (n: number) => Uint8Array {
  let x = seed >>> 0 || 1;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out[i] = x & 255;
    }
    return out;
  };
}

/** The eight torsion points (the small-order subgroup). */
function torsionPoints(): ed.Point[] {
  const found = new Map<string, ed.Point>();
  for (let i = 0; found.size < 8 && i < 256; i++) {
    try {
      const p = ed.Point.fromBytes(toLe(BigInt(i) + 1000n), false);
      const t = p.multiplyUnsafe(L - 1n).add(p);
      found.set(t.toHex(), t);
      for (let k = 1; k < 8; k++) {
        let m = t;
        for (let j = 1; j < k; j++) m = m.add(t);
        found.set(m.toHex(), m);
      }
    } catch {
      // not a point
    }
  }
  return [...found.values()];
}

/** Builds the differential corpus: valid signatures and many ways of breaking or bending them. */
function buildCorpus(): Case[] {
  const random = prng(0x5eed);
  const cases: Case[] = [];
  const torsion = torsionPoints();
  for (const c of ed25519EdgeCases) {
    cases.push({
      label: `edge-${c.case}`,
      pk: hexToBytes(c.pub_key),
      msg: hexToBytes(c.message),
      sig: hexToBytes(c.signature),
    });
  }
  for (let keyIndex = 0; keyIndex < 24; keyIndex++) {
    const seed = random(32);
    const pk = right(publicKeyFromSeed(seed));
    const scalar = ed.utils.getExtendedPublicKey(seed).scalar;
    for (let m = 0; m < 4; m++) {
      const msg = random(m * 17);
      const sig = right(signEd25519({ seed, message: msg }));
      const r = sig.subarray(0, 32);
      const s = fromLe(sig.subarray(32));
      cases.push({ label: 'valid', pk, msg, sig });
      // bit flips in R, S, the key and the message
      for (let f = 0; f < 6; f++) {
        const bit = fromLe(random(2)) % 512n;
        const flipped = Uint8Array.from(sig);
        flipped[Number(bit / 8n)] = (flipped[Number(bit / 8n)] as number) ^ (1 << Number(bit % 8n));
        cases.push({ label: 'flip-sig', pk, msg, sig: flipped });
        const pkFlip = Uint8Array.from(pk);
        const pkBit = Number(fromLe(random(1)));
        pkFlip[pkBit >> 3] = (pkFlip[pkBit >> 3] as number) ^ (1 << (pkBit & 7));
        cases.push({ label: 'flip-pk', pk: pkFlip, msg, sig });
      }
      if (msg.length > 0) {
        const msgFlip = Uint8Array.from(msg);
        msgFlip[0] = (msgFlip[0] as number) ^ 1;
        cases.push({ label: 'flip-msg', pk, msg: msgFlip, sig });
      }
      // S + kL while it fits in 256 bits; also the top bits of S set
      for (let k = 1n; s + k * L < 2n ** 256n; k++)
        cases.push({ label: 's-plus-kl', pk, msg, sig: concat(r, toLe(s + k * L)) });
      cases.push({ label: 's-high-bit', pk, msg, sig: concat(r, toLe(s | (1n << 255n))) });
      // small-order R and A encodings, with and without the sign bit
      for (const enc of SMALL_ORDER_ENCODINGS) {
        for (const signBit of [0, 0x80]) {
          const point = Uint8Array.from(enc);
          point[31] = (point[31] as number) | signBit;
          cases.push({ label: 'small-order-r', pk, msg, sig: concat(point, sig.subarray(32)) });
          cases.push({ label: 'small-order-a', pk: point, msg, sig });
        }
      }
      // mixed-order A' = A + T and R' = R + T: cofactored verifiers accept more of these than libsodium
      const A = ed.Point.fromBytes(pk, false);
      for (const t of torsion) {
        const pkT = A.add(t).toBytes();
        const rNonce = fromLe(random(64)) % L;
        const R = ed.Point.BASE.multiply(rNonce === 0n ? 1n : rNonce);
        const rBytes = R.toBytes();
        const k = fromLe(sha512(rBytes, pkT, msg)) % L;
        const sT = ((rNonce === 0n ? 1n : rNonce) + k * scalar) % L;
        cases.push({ label: 'mixed-order-a', pk: pkT, msg, sig: concat(rBytes, toLe(sT)) });
        const rT = R.add(t).toBytes();
        const k2 = fromLe(sha512(rT, pk, msg)) % L;
        const s2 = ((rNonce === 0n ? 1n : rNonce) + k2 * scalar) % L;
        cases.push({ label: 'mixed-order-r', pk, msg, sig: concat(rT, toLe(s2)) });
      }
      // A = identity: [k]A vanishes, so R = [S]B satisfies the cofactorless equation for any S (libsodium refuses A)
      const sAny = (fromLe(random(32)) % (L - 1n)) + 1n;
      const identity = SMALL_ORDER_ENCODINGS[1] as Uint8Array;
      cases.push({
        label: 'identity-a',
        pk: identity,
        msg,
        sig: concat(ed.Point.BASE.multiply(sAny).toBytes(), toLe(sAny)),
      });
      // non-canonical encodings y >= p of A and R (y = p .. 2^255 - 1), either sign bit
      for (let i = 0n; i < 19n; i += 3n) {
        const enc = toLe(P + i);
        const signed = Uint8Array.from(enc);
        signed[31] = (signed[31] as number) | 0x80;
        for (const e of [enc, signed]) {
          cases.push({ label: 'non-canonical-a', pk: e, msg, sig });
          cases.push({ label: 'non-canonical-r', pk, msg, sig: concat(e, sig.subarray(32)) });
        }
      }
      // the canonical R re-encoded with y + p when that fits (non-canonical encoding of a valid R)
      const yR = fromLe(r) & ((1n << 255n) - 1n);
      if (yR + P < 2n ** 255n) {
        cases.push({
          label: 'r-plus-p',
          pk,
          msg,
          sig: concat(toLe((yR + P) | (fromLe(r) & (1n << 255n))), sig.subarray(32)),
        });
      }
      // random bytes and wrong lengths
      cases.push({ label: 'random-sig', pk, msg, sig: random(64) });
      cases.push({ label: 'random-pk', pk: random(32), msg, sig });
      for (const n of [0, 31, 63, 65, 128])
        cases.push({
          label: `sig-len-${n}`,
          pk,
          msg,
          sig: n <= 64 ? sig.subarray(0, n) : concat(sig, random(n - 64)),
        });
      for (const n of [0, 31, 33, 64])
        cases.push({
          label: `pk-len-${n}`,
          pk: n <= 32 ? pk.subarray(0, n) : concat(pk, random(n - 32)),
          msg,
          sig,
        });
    }
  }
  return cases;
}

describeInterop('ed25519 verdicts equal PyNaCl / libsodium (Synapse)', () => {
  let corpus: Case[] = [];
  let oracle: boolean[] = [];

  beforeAll(() => {
    corpus = buildCorpus();
    oracle = runPython<boolean[]>(
      PY_ED25519_VERDICTS,
      corpus.map((c) => [bytesToHex(c.pk), bytesToHex(c.msg), bytesToHex(c.sig)]),
    );
  });

  it('uses a corpus of thousands of cases with both verdicts well represented', () => {
    console.info(
      `ed25519 differential corpus: ${corpus.length} cases, ${oracle.filter(Boolean).length} accepted by PyNaCl`,
    );
    expect(corpus.length).toBeGreaterThanOrEqual(3000);
    expect(oracle.length).toBe(corpus.length);
    const accepted = oracle.filter(Boolean).length;
    expect(accepted).toBeGreaterThan(100);
    expect(corpus.length - accepted).toBeGreaterThan(2000);
    // Some mixed-order cases verify under libsodium (k divisible by the torsion order), most do not.
    const mixed = corpus
      .map((c, i) => [c.label, oracle[i]] as const)
      .filter(([l]) => l.startsWith('mixed-order'));
    expect(mixed.some(([, v]) => v)).toBe(true);
    expect(mixed.some(([, v]) => !v)).toBe(true);
  });

  it('discriminates: unmodified node:crypto and noble (zip215 or strict) disagree with PyNaCl on part of it', () => {
    const disagreements = (f: (c: Case) => boolean) =>
      corpus.filter((c, i) => {
        if (c.pk.length !== 32 || c.sig.length !== 64) return false;
        if (!/^(edge|mixed|identity|small|non-canonical)/.test(c.label)) return false; // keep it quick
        let verdict: boolean;
        try {
          verdict = f(c);
        } catch {
          verdict = false;
        }
        return verdict !== oracle[i];
      }).length;
    const spki = (pk: Uint8Array) =>
      createPublicKey({
        key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), pk]),
        format: 'der',
        type: 'spki',
      });
    const counts = {
      node: disagreements((c) => nodeVerify(null, c.msg, spki(c.pk), c.sig)),
      nobleZip215: disagreements((c) => ed.verify(c.sig, c.msg, c.pk)),
      nobleStrict: disagreements((c) => ed.verify(c.sig, c.msg, c.pk, { zip215: false })),
    };
    console.info('disagreements with PyNaCl without our checks:', counts);
    expect(counts.node).toBeGreaterThan(10);
    expect(counts.nobleZip215).toBeGreaterThan(10);
    expect(counts.nobleStrict).toBeGreaterThan(10);
  });

  for (const backend of backends) {
    it(`${backend}: every verdict equals PyNaCl's`, () => {
      const mismatches: string[] = [];
      corpus.forEach((c, i) => {
        const ours = verifyEd25519({ publicKey: c.pk, message: c.msg, signature: c.sig, backend });
        if (ours !== oracle[i]) mismatches.push(`${i} ${c.label}: ours ${ours}, pynacl ${oracle[i]}`);
      });
      expect(mismatches).toEqual([]);
    });
  }
});

const PY_SIGNEDJSON = `${PY_PRELUDE}
from signedjson.sign import sign_json, verify_signed_json, SignatureVerifyException
req = json.load(sys.stdin)
sk = signedjson.key.decode_signing_key_base64('ed25519', req['version'], req['seed'])
vk = signedjson.key.get_verify_key(sk)
ours_ok = []
for obj in req['ours']:
    try:
        verify_signed_json(obj, req['server'], vk)
        ours_ok.append(True)
    except SignatureVerifyException:
        ours_ok.append(False)
# canonical JSON first: sign_json adds the signature to its argument in place
canon = [canonicaljson.encode_canonical_json(obj).decode('utf-8') for obj in req['plain']]
theirs = [sign_json(obj, req['server'], sk) for obj in req['plain']]
print(json.dumps({'ours_ok': ours_ok, 'theirs': theirs, 'canon': canon}))
`;

describeInterop('JSON signatures interoperate with python-signedjson', () => {
  const key: fc.Arbitrary<string> = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 6 }),
    fc.constantFrom('signatures', 'unsigned', '\u{1F600}', '\uFB33', 'é', ''),
  );
  const { json } = fc.letrec<{ json: JsonValue }>((tie) => ({
    json: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.string({ unit: 'grapheme', maxLength: 8 }),
      fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('json'), { maxLength: 3 }),
      fc.dictionary(key, tie('json'), { maxKeys: 4 }),
    ),
  }));
  const plain = fc
    .sample(fc.dictionary(key, json, { maxKeys: 6 }), { seed: 314159, numRuns: 48 })
    .map((o) => {
      // Top-level signatures/unsigned get well-formed shapes so both sides can sign.
      const copy: Record<string, JsonValue> = { ...o };
      if ('signatures' in copy) copy.signatures = { other: { 'ed25519:z': 'kept' } };
      if ('unsigned' in copy) copy.unsigned = { age_ts: 1 };
      return copy as JsonObject;
    });
  const seed = 'QJvXAPj0D9MUb1exkD8pIWmCvT1xajlsB8jRYz/G5HE';
  const server = 'example.org';

  for (const backend of backends) {
    it(`${backend}: our signatures verify in signedjson, signedjson's verify here, and they are identical`, () => {
      const signingKey = right(signingKeyFromSeed({ seed, version: 'a_1', backend }));
      const ours = plain.map((o) => right(signJson({ value: o, serverName: server, signingKey })));
      const tampered = ours.map((o) => ({ ...o, tampered: true }));
      const result = runPython<{ ours_ok: boolean[]; theirs: JsonObject[]; canon: string[] }>(PY_SIGNEDJSON, {
        version: 'a_1',
        seed,
        server,
        ours: [...ours, ...tampered],
        plain,
      });
      expect(result.ours_ok).toEqual([...ours.map(() => true), ...tampered.map(() => false)]);
      result.theirs.forEach((theirs, i) => {
        expect(right(encodeCanonicalJson(plain[i] as JsonObject))).toBe(result.canon[i]);
        expect(theirs).toEqual(ours[i]);
        expect(
          right(verifyJsonSignature(theirs, server, 'ed25519:a_1', signingKey.publicKey, { backend })),
        ).toBeUndefined();
      });
      expect(
        plain.some((o) =>
          Object.keys(o).some((k) => [...k].some((ch) => (ch.codePointAt(0) as number) > 0x7f)),
        ),
      ).toBe(true);
    });
  }
});
