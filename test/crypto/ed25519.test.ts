import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import * as ed from '@noble/ed25519';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { nodeBackend } from '../../src/crypto/backends.js';
import {
  availableBackends,
  defaultBackend,
  isBackendAvailable,
  passesLibsodiumPrechecks,
  publicKeyFromSeed,
  resolveBackendName,
  type SignEd25519Params,
  SMALL_ORDER_ENCODINGS,
  signEd25519,
  type VerifyEd25519Params,
  verifyEd25519,
} from '../../src/crypto/ed25519.js';
import type { Ed25519BackendName } from '../../src/crypto/types.js';
import { decodeBase64 } from '../../src/encoding/base64.js';
import type { NodeCrypto } from '../../src/platform/builtins.js';
import { bytesToHex, ed25519EdgeCases, hexToBytes, vectors } from '../helpers/fixtures.js';
import { itWithSodium } from '../helpers/sodium.js';

const backends = availableBackends();
const utf8 = (s: string) => new TextEncoder().encode(s);
const b64 = (s: string): Uint8Array => {
  const decoded = decodeBase64(s);
  if (E.isLeft(decoded)) throw new Error(decoded.left.message);
  return decoded.right;
};
const right = <A>(either: E.Either<unknown, A>): A => {
  if (E.isLeft(either)) throw new Error(`expected Right, got ${JSON.stringify(either.left)}`);
  return either.right;
};

describe('backends', () => {
  it('finds node:crypto and noble everywhere, in preference order after sodium', () => {
    expect(backends.filter((b) => b !== 'sodium')).toEqual(['node', 'noble']);
    expect(defaultBackend()).toBe(backends[0]);
    for (const name of backends) expect(isBackendAvailable(name)).toBe(true);
  });

  itWithSodium('finds all three backends where sodium-native loads, sodium first', () => {
    expect(backends).toEqual(['sodium', 'node', 'noble']);
    expect(defaultBackend()).toBe('sodium');
  });

  it('falls back to the default backend for an unknown name', () => {
    expect(resolveBackendName('nope' as Ed25519BackendName)).toBe(defaultBackend());
    expect(resolveBackendName('noble')).toBe('noble');
    expect(isBackendAvailable('nope' as Ed25519BackendName)).toBe(false);
  });
});

describe('ed25519 edge cases (Taming the many EdDSAs): libsodium verdicts', () => {
  for (const c of ed25519EdgeCases) {
    const pk = hexToBytes(c.pub_key);
    const msg = hexToBytes(c.message);
    const sig = hexToBytes(c.signature);
    itWithSodium(`case ${c.case}: sodium-native itself gives the recorded libsodium verdict`, (sodium) => {
      expect(sodium.crypto_sign_verify_detached(sig, msg, pk)).toBe(c.libsodium_accepts);
    });
    for (const backend of backends) {
      it(`case ${c.case}: ${backend} ${c.libsodium_accepts ? 'accepts' : 'rejects'}`, () => {
        expect(verifyEd25519({ publicKey: pk, message: msg, signature: sig, backend })).toBe(
          c.libsodium_accepts,
        );
      });
    }
  }

  it('node backend: public keys imported as JWK (DER only where a runtime refuses JWK), same verdicts', async () => {
    const crypto = await import('node:crypto');
    for (const refuseJwk of [false, true]) {
      const formats: string[] = [];
      const fake = {
        ...crypto,
        createPublicKey: (key: Parameters<typeof crypto.createPublicKey>[0]) => {
          const format = (key as { format?: string }).format ?? 'object';
          formats.push(format);
          if (refuseJwk && format === 'jwk') throw new Error('jwk not supported');
          return crypto.createPublicKey(key);
        },
      } as unknown as NodeCrypto;
      const backend = nodeBackend(fake);
      for (const c of ed25519EdgeCases) {
        const verdict = backend.verify(hexToBytes(c.pub_key), hexToBytes(c.message), hexToBytes(c.signature));
        expect(verdict, `case ${c.case}, refuseJwk ${refuseJwk}`).toBe(c.libsodium_accepts);
      }
      // Every key that passed the pre-checks was imported once; the first attempt was JWK.
      expect(formats[0]).toBe('jwk');
      if (refuseJwk) expect(formats.slice(1).every((f) => f === 'der')).toBe(true);
      else expect(formats.every((f) => f === 'jwk')).toBe(true);
    }
  });

  it('without our pre-checks node:crypto and noble accept cases libsodium rejects (only case 3 is libsodium-valid)', () => {
    ed.hashes.sha512 ??= (m) => new Uint8Array(createHash('sha512').update(m).digest());
    const spki = (pk: Uint8Array) =>
      createPublicKey({
        key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), pk]),
        format: 'der',
        type: 'spki',
      });
    const accepted = (f: (pk: Uint8Array, m: Uint8Array, s: Uint8Array) => boolean) =>
      ed25519EdgeCases
        .filter((c) => {
          try {
            return f(hexToBytes(c.pub_key), hexToBytes(c.message), hexToBytes(c.signature));
          } catch {
            return false;
          }
        })
        .map((c) => c.case);
    expect(accepted((pk, m, s) => nodeVerify(null, m, spki(pk), s))).toEqual([0, 1, 2, 3]);
    expect(accepted((pk, m, s) => ed.verify(s, m, pk))).toEqual([0, 1, 2, 3, 4, 5, 9]);
    expect(ed25519EdgeCases.filter((c) => c.libsodium_accepts).map((c) => c.case)).toEqual([3]);
  });
});

describe('small-order blocklist', () => {
  it('holds exactly the encodings of the eight torsion points plus the non-canonical p and p + 1', () => {
    // The torsion points are T = [L]P for points P; collect their encodings with the sign bit cleared.
    const L = ed.Point.CURVE().n;
    const seen = new Set<string>();
    for (let i = 0; i < 64; i++) {
      const bytes = new Uint8Array(32);
      bytes[0] = i;
      bytes[1] = 7;
      let point: ed.Point;
      try {
        point = ed.Point.fromBytes(bytes, false);
      } catch {
        continue;
      }
      const torsion = point
        .multiplyUnsafe(L - 1n)
        .add(point)
        .toBytes();
      torsion[31] = (torsion[31] as number) & 0x7f;
      seen.add(bytesToHex(torsion));
    }
    const p = (2n ** 255n - 19n).toString(16).padStart(64, '0');
    const le = (h: string) => bytesToHex(Uint8Array.from(Buffer.from(h, 'hex')).reverse());
    const pPlus1 = (2n ** 255n - 18n).toString(16).padStart(64, '0');
    expect(new Set(SMALL_ORDER_ENCODINGS.map(bytesToHex))).toEqual(new Set([...seen, le(p), le(pPlus1)]));
    expect(seen.size).toBe(5);
  });

  it('rejects each blocklisted R and A with either sign bit, like libsodium', () => {
    const seed = new Uint8Array(32).fill(9);
    const pk = right(publicKeyFromSeed(seed));
    const msg = utf8('m');
    for (const enc of SMALL_ORDER_ENCODINGS) {
      for (const signBit of [0, 0x80]) {
        const point = Uint8Array.from(enc);
        point[31] = (point[31] as number) | signBit;
        const sig = right(signEd25519({ seed, message: msg }));
        const withR = Uint8Array.from(sig);
        withR.set(point, 0);
        const s = new Uint8Array(64);
        s.set(point, 0);
        expect(passesLibsodiumPrechecks(pk, withR)).toBe(false);
        expect(passesLibsodiumPrechecks(point, sig)).toBe(false);
        for (const backend of backends) {
          expect(verifyEd25519({ publicKey: pk, message: msg, signature: withR, backend })).toBe(false);
          expect(verifyEd25519({ publicKey: point, message: msg, signature: s, backend })).toBe(false);
        }
      }
    }
  });

  itWithSodium('libsodium itself refuses each blocklisted A, with either sign bit', (sodium) => {
    const msg = utf8('m');
    for (const enc of SMALL_ORDER_ENCODINGS) {
      for (const signBit of [0, 0x80]) {
        const point = Uint8Array.from(enc);
        point[31] = (point[31] as number) | signBit;
        const s = new Uint8Array(64);
        s.set(point, 0);
        expect(sodium.crypto_sign_verify_detached(s, msg, point)).toBe(false);
      }
    }
  });
});

describe('negative vectors (kind ed25519)', () => {
  const negatives = vectors.negative.filter((v) => v.kind === 'ed25519');
  it('has the two upstream cases', () => {
    expect(negatives.map((v) => v.id)).toEqual(['ed25519-s-plus-l', 'ed25519-small-order-identity']);
  });

  for (const v of negatives) {
    for (const backend of backends) {
      it(`${v.id}: ${backend} rejects`, () => {
        if (v.id === 'ed25519-s-plus-l') {
          const key = vectors.keys[v.key];
          const seed = b64(key?.seed);
          const pk = b64(key?.public_key);
          const msg = utf8(v.input_json_text);
          // The valid signature is reproduced and verifies; S + L does not.
          expect(
            Buffer.from(right(signEd25519({ seed, message: msg, backend })))
              .toString('base64')
              .replace(/=+$/, ''),
          ).toBe(v.valid_signature);
          expect(
            verifyEd25519({ publicKey: pk, message: msg, signature: b64(v.valid_signature), backend }),
          ).toBe(true);
          expect(
            verifyEd25519({ publicKey: pk, message: msg, signature: b64(v.malleated_signature), backend }),
          ).toBe(false);
        } else {
          expect(bytesToHex(b64(v.public_key))).toBe(v.public_key_hex);
          expect(bytesToHex(b64(v.signature))).toBe(v.signature_hex);
          expect(
            verifyEd25519({
              publicKey: b64(v.public_key),
              message: utf8(v.message_utf8),
              signature: b64(v.signature),
              backend,
            }),
          ).toBe(false);
        }
      });
    }
  }
});

describe('S canonicity', () => {
  const L = ed.Point.CURVE().n;
  const toLe = (n: bigint) => {
    const out = new Uint8Array(32);
    for (let i = 0; i < 32; i++) out[i] = Number((n >> BigInt(8 * i)) & 255n);
    return out;
  };
  it('accepts S = L - 1 and rejects S = L, S = L + 1 and S = 2^256 - 1 in the pre-check', () => {
    const pk = right(publicKeyFromSeed(new Uint8Array(32)));
    const sig = new Uint8Array(64);
    sig[0] = 0x58; // some R that is not small order
    sig.set(toLe(L - 1n), 32);
    expect(passesLibsodiumPrechecks(pk, sig)).toBe(true);
    for (const s of [L, L + 1n, 2n ** 256n - 1n]) {
      sig.set(toLe(s), 32);
      expect(passesLibsodiumPrechecks(pk, sig)).toBe(false);
    }
  });

  it('rejects S + kL on every backend', () => {
    const seed = new Uint8Array(32).fill(3);
    const pk = right(publicKeyFromSeed(seed));
    const msg = utf8('malleable?');
    const sig = right(signEd25519({ seed, message: msg }));
    let s = 0n;
    for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(sig[32 + i] as number);
    for (let k = 1n; s + k * L < 2n ** 256n; k++) {
      const mutated = Uint8Array.from(sig);
      mutated.set(toLe(s + k * L), 32);
      // With sodium-native present, `backends` includes `sodium`: libsodium itself.
      for (const backend of backends)
        expect(verifyEd25519({ publicKey: pk, message: msg, signature: mutated, backend })).toBe(false);
    }
  });
});

describe('signing across backends', () => {
  it('gives byte-identical signatures and public keys on every backend, which verify everywhere', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 300 }),
        (seed, msg) => {
          const sigs = backends.map((b) =>
            bytesToHex(right(signEd25519({ seed, message: msg, backend: b }))),
          );
          const pks = backends.map((b) => bytesToHex(right(publicKeyFromSeed(seed, b))));
          expect(new Set(sigs).size).toBe(1);
          expect(new Set(pks).size).toBe(1);
          const sig = hexToBytes(sigs[0] as string);
          const pk = hexToBytes(pks[0] as string);
          for (const backend of backends)
            expect(verifyEd25519({ publicKey: pk, message: msg, signature: sig, backend })).toBe(true);
        },
      ),
      { seed: 20240601, numRuns: 150 },
    );
  });

  it('any single bit flip in key, message or signature breaks verification on every backend', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 1, maxLength: 100 }),
        fc.constantFrom('pk', 'msg', 'sig'),
        fc.nat(),
        (seed, msg, where, bit) => {
          const pk = right(publicKeyFromSeed(seed));
          const sig = right(signEd25519({ seed, message: msg }));
          const target =
            where === 'pk'
              ? Uint8Array.from(pk)
              : where === 'msg'
                ? Uint8Array.from(msg)
                : Uint8Array.from(sig);
          const index = bit % (target.length * 8);
          target[index >> 3] = (target[index >> 3] as number) ^ (1 << (index & 7));
          const args: [Uint8Array, Uint8Array, Uint8Array] =
            where === 'pk' ? [target, msg, sig] : where === 'msg' ? [pk, target, sig] : [pk, msg, target];
          for (const backend of backends) {
            expect(verifyEd25519({ publicKey: args[0], message: args[1], signature: args[2], backend })).toBe(
              false,
            );
          }
        },
      ),
      { seed: 77, numRuns: 200 },
    );
  });

  it('handles subarray views with offsets', () => {
    const seed = new Uint8Array(32).fill(1);
    const msg = utf8('view');
    const pk = right(publicKeyFromSeed(seed));
    const sig = right(signEd25519({ seed, message: msg }));
    const big = new Uint8Array(200);
    big.set(pk, 5);
    big.set(sig, 50);
    big.set(msg, 150);
    for (const backend of backends) {
      expect(
        verifyEd25519({
          publicKey: big.subarray(5, 37),
          message: big.subarray(150, 154),
          signature: big.subarray(50, 114),
          backend,
        }),
      ).toBe(true);
      expect(
        verifyEd25519({
          publicKey: Buffer.from(pk),
          message: Buffer.from(msg),
          signature: Buffer.from(sig),
          backend,
        }),
      ).toBe(true);
    }
  });
});

describe('hostile inputs', () => {
  const pk = right(publicKeyFromSeed(new Uint8Array(32)));
  const sig = right(signEd25519({ seed: new Uint8Array(32), message: new Uint8Array() }));
  const garbage: unknown[] = [
    undefined,
    null,
    0,
    'abc',
    [1, 2, 3],
    {},
    new Uint8Array(0),
    new Uint8Array(31),
    new Uint8Array(33),
    new Uint8Array(63),
    new Uint8Array(65),
    new Uint16Array(32),
    new ArrayBuffer(32),
  ];

  it('returns false, never throws, for wrong types and lengths', () => {
    for (const backend of [...backends, undefined, 'bogus' as Ed25519BackendName]) {
      const options = backend === undefined ? undefined : { backend };
      for (const g of garbage) {
        expect(
          verifyEd25519({
            publicKey: g as Uint8Array,
            message: new Uint8Array(),
            signature: sig,
            ...options,
          }),
        ).toBe(false);
        // Any Uint8Array is a message; only non-byte values are garbage there.
        if (!(g instanceof Uint8Array))
          expect(verifyEd25519({ publicKey: pk, message: g as Uint8Array, signature: sig, ...options })).toBe(
            false,
          );
        expect(
          verifyEd25519({ publicKey: pk, message: new Uint8Array(), signature: g as Uint8Array, ...options }),
        ).toBe(false);
      }
      expect(verifyEd25519({ publicKey: pk, message: new Uint8Array(), signature: sig, ...options })).toBe(
        true,
      );
    }
    expect(verifyEd25519({ publicKey: pk, message: new Uint8Array(), signature: sig })).toBe(true);
    expect(verifyEd25519(null as unknown as VerifyEd25519Params)).toBe(false);
    expect(E.isLeft(signEd25519(null as unknown as SignEd25519Params))).toBe(true);
  });

  it('returns false, never throws, for parameters whose getters throw (garbage like the rest)', () => {
    for (const key of ['publicKey', 'backend', 'verifier']) {
      const params = Object.defineProperty(
        { publicKey: pk, message: new Uint8Array(), signature: sig },
        key,
        {
          enumerable: true,
          get: () => {
            throw new Error('getter');
          },
        },
      );
      expect(verifyEd25519(params as VerifyEd25519Params)).toBe(false);
    }
  });

  itWithSodium(
    'returns false for random 32/64-byte garbage on every backend, agreeing with sodium-native',
    (sodium) => {
      fc.assert(
        fc.property(
          fc.uint8Array({ minLength: 32, maxLength: 32 }),
          fc.uint8Array({ minLength: 64, maxLength: 64 }),
          fc.uint8Array({ maxLength: 40 }),
          (key, signature, msg) => {
            const expected = sodium.crypto_sign_verify_detached(signature, msg, key);
            for (const backend of backends)
              expect(verifyEd25519({ publicKey: key, message: msg, signature, backend })).toBe(expected);
          },
        ),
        { seed: 5, numRuns: 300 },
      );
    },
  );

  it('signEd25519 and publicKeyFromSeed return Left for bad seeds and messages', () => {
    for (const g of garbage) {
      const seedResult = signEd25519({ seed: g as Uint8Array, message: new Uint8Array() });
      expect(E.isLeft(seedResult) && seedResult.left.reason).toBe('invalid_seed');
      expect(E.isLeft(publicKeyFromSeed(g as Uint8Array))).toBe(true);
    }
    const badMessage = signEd25519({ seed: new Uint8Array(32), message: 'text' as unknown as Uint8Array });
    expect(E.isLeft(badMessage) && badMessage.left.reason).toBe('invalid_input');
  });
});
