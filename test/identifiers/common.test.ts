import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findLoneSurrogate, utf8ByteLength } from '../../src/identifiers/common.js';

describe('utf8ByteLength', () => {
  it.each([
    ['', 0],
    ['a', 1],
    ['é', 2],
    ['€', 3],
    ['🐈', 4],
    ['🐈'.repeat(64), 256],
    ['\ud800', 3],
    ['\udc00\ud800', 6],
  ])('%j is %d bytes', (text, bytes) => {
    expect(utf8ByteLength(text)).toBe(bytes);
  });

  it('equals TextEncoder for any string (lone surrogates become U+FFFD)', () => {
    const encoder = new TextEncoder();
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (text) => {
        expect(utf8ByteLength(text)).toBe(encoder.encode(text).length);
      }),
    );
  });
});

describe('findLoneSurrogate', () => {
  it.each([
    ['abc', -1],
    ['🐈', -1],
    ['a\ud800', 1],
    ['a\udc00🐈', 1],
    ['🐈\ud83d', 2],
    ['\ud83d\ud83d\udc08', 0],
  ])('%j → %d', (text, index) => {
    expect(findLoneSurrogate(text)).toBe(index);
  });

  it('agrees with String.prototype.isWellFormed', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 50 }), (text) => {
        expect(findLoneSurrogate(text) === -1).toBe(text.isWellFormed());
      }),
    );
  });
});
