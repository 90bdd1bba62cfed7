import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from '../../src/encoding/base64.js';
import { bytesToHex, vectors } from '../helpers/fixtures.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('base64 vectors', () => {
  for (const vector of vectors.base64.filter((v) => v.id.startsWith('spec-'))) {
    it(`${vector.id}: encodes and decodes as the spec appendix shows`, () => {
      expect(encodeBase64(utf8(vector.decoded_utf8))).toBe(vector.encoded);
      expect(decodeBase64(vector.encoded, { mode: 'strict' })).toEqual(E.right(utf8(vector.decoded_utf8)));
    });
  }
  for (const vector of vectors.base64.filter((v) => v.profile === 'lenient (Synapse)')) {
    it(`${vector.id}: synapse mode reproduces python-unpaddedbase64`, () => {
      const result = decodeBase64(vector.input, { mode: 'synapse' });
      if (vector.python_unpaddedbase64_decode_hex === 'error') expect(E.isLeft(result)).toBe(true);
      else expect(E.map(bytesToHex)(result)).toEqual(E.right(vector.python_unpaddedbase64_decode_hex));
    });
  }
});

describe('decodeBase64 modes', () => {
  it('lenient: padding optional, either alphabet, trailing bits ignored; garbage and impossible lengths rejected', () => {
    expect(E.map(bytesToHex)(decodeBase64('AA'))).toEqual(E.right('00'));
    expect(E.map(bytesToHex)(decodeBase64('AA=='))).toEqual(E.right('00'));
    expect(E.map(bytesToHex)(decodeBase64('AB'))).toEqual(E.right('00'));
    expect(E.map(bytesToHex)(decodeBase64('_-aa'))).toEqual(E.right('ffe69a'));
    expect(E.isLeft(decodeBase64('AA='))).toBe(true); // wrong amount of padding
    expect(E.isLeft(decodeBase64('AA==AA'))).toBe(true);
    expect(E.isLeft(decodeBase64('YW$Jj'))).toBe(true); // Buffer.from would silently give "abc"
    expect(E.isLeft(decodeBase64('A'))).toBe(true);
    expect(E.isLeft(decodeBase64('é'))).toBe(true);
  });
  it('strict: canonical only', () => {
    expect(E.isLeft(decodeBase64('AA==', { mode: 'strict' }))).toBe(true);
    expect(E.isLeft(decodeBase64('AB', { mode: 'strict' }))).toBe(true);
    expect(E.isLeft(decodeBase64('_-aa', { mode: 'strict' }))).toBe(true);
    expect(E.isRight(decodeBase64('_-aa', { mode: 'strict', alphabet: 'url-safe' }))).toBe(true);
    const invalid = decodeBase64('AB', { mode: 'strict' });
    expect(E.isLeft(invalid) && invalid.left.reason).toBe('non_canonical');
  });
  it('never throws on non-string input', () => {
    expect(E.isLeft(decodeBase64(42 as unknown as string))).toBe(true);
  });
  it('decodes unpadded input of either alphabet like Buffer in every mode (strict: canonical tails only)', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_'.split('');
    const clean = fc
      .array(fc.constantFrom(...alphabet), { maxLength: 90 })
      .map((chars) => chars.join(''))
      .filter((text) => text.length % 4 !== 1);
    fc.assert(
      fc.property(clean, (text) => {
        const expected = Uint8Array.from(Buffer.from(text, 'base64'));
        expect(decodeBase64(text, { mode: 'lenient' })).toEqual(E.right(expected));
        expect(decodeBase64(text, { mode: 'synapse' })).toEqual(E.right(expected));
        const strict = decodeBase64(text, { mode: 'strict' });
        const canonicalStandard = !/[-_]/.test(text) && encodeBase64(expected) === text;
        expect(E.isRight(strict) ? strict.right : strict.left.reason).toEqual(
          canonicalStandard ? expected : /[-_]/.test(text) ? 'invalid_character' : 'non_canonical',
        );
      }),
      { seed: 20261130, numRuns: 2000 },
    );
  });
  it('round-trips arbitrary bytes in both alphabets and matches Buffer on the standard alphabet', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const standard = encodeBase64(bytes);
        expect(standard).toBe(Buffer.from(bytes).toString('base64').replace(/=+$/, ''));
        expect(encodeBase64(bytes, { urlSafe: true })).toBe(Buffer.from(bytes).toString('base64url'));
        expect(decodeBase64(standard, { mode: 'strict' })).toEqual(E.right(bytes));
        expect(
          decodeBase64(encodeBase64(bytes, { urlSafe: true }), { mode: 'strict', alphabet: 'url-safe' }),
        ).toEqual(E.right(bytes));
      }),
      { seed: 20261128, numRuns: 500 },
    );
  });
  it('encodes with the standard alphabet unless urlSafe is true (bad options included)', () => {
    const bytes = Uint8Array.of(0xfb, 0xff, 0xbf);
    expect(encodeBase64(bytes)).toBe('+/+/');
    expect(encodeBase64(bytes, { urlSafe: false })).toBe('+/+/');
    expect(encodeBase64(bytes, null as unknown as object)).toBe('+/+/');
    expect(encodeBase64(bytes, { urlSafe: true })).toBe('-_-_');
  });
});
