/**
 * The Web Crypto backend gives libsodium's verdicts: on every case of the edge-case file ("Taming the many EdDSAs",
 * verdicts recorded from libsodium through PyNaCl, and sodium-native here), on small-order and non-canonical
 * inputs, and its signatures are byte-identical to the synchronous backends'.
 */
import { createRequire } from 'node:module';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { publicKeyFromSeed, signEd25519, verifyEd25519 } from '../../src/crypto/ed25519.js';
import {
  createWebCryptoSigner,
  hasWebCrypto,
  verifyEd25519WebCrypto,
  webCryptoEd25519Available,
} from '../../src/crypto/webcrypto.js';
import { ed25519EdgeCases, hexToBytes } from '../helpers/fixtures.js';

const require = createRequire(import.meta.url);
const sodium = require('sodium-native') as {
  crypto_sign_verify_detached(sig: Uint8Array, msg: Uint8Array, pk: Uint8Array): boolean;
};

const subtle = globalThis.crypto.subtle;
/** Web Crypto without the libsodium checks. */
async function rawWebCrypto(pk: Uint8Array, msg: Uint8Array, sig: Uint8Array): Promise<boolean> {
  try {
    const key = await subtle.importKey('raw', pk, { name: 'Ed25519' }, false, ['verify']);
    return await subtle.verify({ name: 'Ed25519' }, key, sig, msg);
  } catch {
    return false;
  }
}

const right = <A>(either: E.Either<unknown, A>): A => {
  if (E.isLeft(either)) throw new Error(JSON.stringify(either.left));
  return either.right;
};

describe('Web Crypto Ed25519 on Node', () => {
  it('is there and verifies RFC 8032 correctly', async () => {
    expect(hasWebCrypto()).toBe(true);
    expect(await webCryptoEd25519Available()).toBe(true);
  });
});

describe('edge cases: the Web Crypto backend gives the libsodium verdict on every case', () => {
  for (const c of ed25519EdgeCases) {
    it(`case ${c.case}: ${c.libsodium_accepts ? 'accepts' : 'rejects'}, as sodium-native`, async () => {
      const [pk, msg, sig] = [hexToBytes(c.pub_key), hexToBytes(c.message), hexToBytes(c.signature)];
      expect(sodium.crypto_sign_verify_detached(sig, msg, pk)).toBe(c.libsodium_accepts);
      expect(await verifyEd25519WebCrypto({ publicKey: pk, message: msg, signature: sig })).toBe(
        c.libsodium_accepts,
      );
    });
  }

  it('without the libsodium checks, Node Web Crypto (OpenSSL) disagrees with libsodium on some cases', async () => {
    const disagree: number[] = [];
    for (const c of ed25519EdgeCases) {
      const verdict = await rawWebCrypto(
        hexToBytes(c.pub_key),
        hexToBytes(c.message),
        hexToBytes(c.signature),
      );
      if (verdict !== c.libsodium_accepts) disagree.push(c.case);
    }
    expect(disagree.length).toBeGreaterThan(0);
  });
});

describe('Web Crypto signatures and verdicts equal the synchronous backends', () => {
  it('signs byte-identically to signEd25519 and verifies what it signed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 200 }),
        async (seed, msg) => {
          const signer = await createWebCryptoSigner(seed);
          if (signer === undefined) throw new Error('no signer');
          const signature = right(await signer(msg));
          expect(Array.from(signature)).toEqual(Array.from(right(signEd25519({ seed, message: msg }))));
          const pk = right(publicKeyFromSeed(seed));
          expect(await verifyEd25519WebCrypto({ publicKey: pk, message: msg, signature })).toBe(true);
          const flipped = Uint8Array.from(msg.length === 0 ? [1] : msg);
          if (msg.length > 0) flipped[0] = (flipped[0] as number) ^ 1;
          expect(await verifyEd25519WebCrypto({ publicKey: pk, message: flipped, signature })).toBe(
            verifyEd25519({ publicKey: pk, message: flipped, signature }),
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it('refuses garbage without rejecting: wrong lengths, non-bytes, keys that are not curve points', async () => {
    const pk = right(publicKeyFromSeed(new Uint8Array(32)));
    const sig = right(signEd25519({ seed: new Uint8Array(32), message: new Uint8Array(0) }));
    const msg = new Uint8Array(0);
    expect(await verifyEd25519WebCrypto({ publicKey: pk, message: msg, signature: sig })).toBe(true);
    expect(await verifyEd25519WebCrypto({ publicKey: pk.subarray(1), message: msg, signature: sig })).toBe(
      false,
    );
    expect(await verifyEd25519WebCrypto({ publicKey: pk, message: msg, signature: sig.subarray(1) })).toBe(
      false,
    );
    expect(
      await verifyEd25519WebCrypto({ publicKey: 'x' as unknown as Uint8Array, message: msg, signature: sig }),
    ).toBe(false);
    expect(
      await verifyEd25519WebCrypto({ publicKey: pk, message: null as unknown as Uint8Array, signature: sig }),
    ).toBe(false);
    // y = 2 has no x on the curve: libsodium's ge25519_frombytes refuses it.
    const notOnCurve = new Uint8Array(32);
    notOnCurve[0] = 2;
    expect(verifyEd25519({ publicKey: notOnCurve, message: msg, signature: sig })).toBe(false);
    expect(await verifyEd25519WebCrypto({ publicKey: notOnCurve, message: msg, signature: sig })).toBe(false);
    expect(await createWebCryptoSigner(new Uint8Array(31))).toBeUndefined();
  });

  it('keeps working past its key cache (512 keys)', async () => {
    const msg = new Uint8Array([1, 2, 3]);
    const seeds = Array.from({ length: 530 }, (_, i) =>
      new Uint8Array(32).fill(i % 251).map((b, j) => b ^ (j === 0 ? i >> 8 : 0)),
    );
    const verdicts = await Promise.all(
      seeds.map(async (seed) =>
        verifyEd25519WebCrypto({
          publicKey: right(publicKeyFromSeed(seed)),
          message: msg,
          signature: right(signEd25519({ seed, message: msg })),
        }),
      ),
    );
    expect(verdicts.every((v) => v)).toBe(true);
    const first = seeds[0] as Uint8Array;
    expect(
      await verifyEd25519WebCrypto({
        publicKey: right(publicKeyFromSeed(first)),
        message: msg,
        signature: right(signEd25519({ seed: first, message: msg })),
      }),
    ).toBe(true);
  });
});
