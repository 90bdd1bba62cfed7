/**
 * The platform layer gives the same bytes with and without Node's built-in modules: `node:crypto` against
 * `@noble/hashes`, `node:buffer` lengths and base64 against portable JavaScript. Expected digests are the
 * FIPS 180-2 examples ("abc").
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtins, detectBuiltins, NO_BUILTINS } from '../../src/platform/builtins.js';
import { createHashes, hashes } from '../../src/platform/hash.js';
import { createRandomBytes, randomBytes } from '../../src/platform/random.js';
import {
  createTextHelpers,
  portableUtf8ByteLength,
  utf8DecodeStrict,
  utf8Encode,
} from '../../src/platform/text.js';

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const portable = createHashes(NO_BUILTINS);
const native = createHashes(builtins);

describe('builtins', () => {
  it('finds node:crypto, node:buffer and node:module on Node', () => {
    const found = detectBuiltins();
    expect(typeof found.crypto?.createHash).toBe('function');
    expect(typeof found.buffer?.byteLength).toBe('function');
    expect(typeof found.module?.createRequire).toBe('function');
    expect(hashes.implementation).toBe('node:crypto');
  });

  it('finds nothing without process.getBuiltinModule, or when it throws', () => {
    const saved = Object.getOwnPropertyDescriptor(process, 'getBuiltinModule');
    try {
      Object.defineProperty(process, 'getBuiltinModule', { value: undefined, configurable: true });
      expect(detectBuiltins()).toEqual(NO_BUILTINS);
      Object.defineProperty(process, 'getBuiltinModule', {
        value: () => {
          throw new Error('no');
        },
        configurable: true,
      });
      expect(detectBuiltins()).toEqual(NO_BUILTINS);
    } finally {
      if (saved !== undefined) Object.defineProperty(process, 'getBuiltinModule', saved);
    }
  });
});

describe('hashes: node:crypto and @noble/hashes give the same bytes', () => {
  it('FIPS 180-2 "abc" on both implementations', () => {
    const abc = new TextEncoder().encode('abc');
    for (const h of [portable, native]) {
      expect(hex(h.sha256(abc))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
      expect(hex(h.sha256('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
      expect(hex(h.sha512(abc))).toBe(
        'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
      );
      expect(hex(h.sha512(abc.subarray(0, 1), abc.subarray(1)))).toBe(hex(h.sha512(abc)));
    }
    expect(portable.implementation).toBe('noble');
  });

  it('equal on arbitrary bytes, strings (lone surrogates too) and split SHA-512 inputs', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.string({ unit: 'binary', maxLength: 80 }),
        (bytes, text) => {
          expect(hex(portable.sha256(bytes))).toBe(hex(native.sha256(bytes)));
          expect(hex(portable.sha256(text))).toBe(hex(native.sha256(text)));
          expect(hex(native.sha256(text))).toBe(createHash('sha256').update(text).digest('hex'));
          const cut = bytes.length >> 1;
          const parts = [bytes.subarray(0, cut), bytes.subarray(cut), bytes];
          expect(hex(portable.sha512(...parts))).toBe(hex(native.sha512(...parts)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('hashes straight to base64 and base64url text where the one-shot hash can (the digest, encoded)', () => {
    expect(portable.sha256Text).toBeUndefined();
    const sha256Text = native.sha256Text;
    if (sha256Text === undefined) throw new Error('Node 20.12+ has crypto.hash');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.string({ maxLength: 80 }), (bytes, text) => {
        for (const data of [bytes, text]) {
          const digest = Buffer.from(portable.sha256(data));
          expect(sha256Text(data, 'base64')).toBe(digest.toString('base64'));
          expect(sha256Text(data, 'base64url')).toBe(digest.toString('base64url'));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('returns plain Uint8Arrays, never a Node Buffer', () => {
    const digest = native.sha256('x');
    expect(Object.getPrototypeOf(digest)).toBe(Uint8Array.prototype);
    expect(Object.getPrototypeOf(native.sha512(digest))).toBe(Uint8Array.prototype);
  });

  it('falls back to createHash when node:crypto has no one-shot hash', () => {
    const crypto = builtins.crypto;
    if (crypto === undefined) throw new Error('node:crypto expected on Node');
    const { hash: _oneShot, ...withoutOneShot } = crypto;
    const older = createHashes({ ...builtins, crypto: withoutOneShot });
    expect(hex(older.sha256('abc'))).toBe(hex(portable.sha256('abc')));
  });
});

describe('text: node:buffer and portable JavaScript agree', () => {
  const portableText = createTextHelpers(NO_BUILTINS);
  const nativeText = createTextHelpers(builtins);

  it('UTF-8 lengths, lone surrogates counting 3 bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (text) => {
        const expected = new TextEncoder().encode(text).length;
        expect(portableUtf8ByteLength(text)).toBe(expected);
        expect(portableText.utf8ByteLength(text)).toBe(expected);
        expect(nativeText.utf8ByteLength(text)).toBe(expected);
      }),
    );
  });

  it('native base64 only where node:buffer exists, equal to the standard encoding', () => {
    expect(portableText.nativeBase64).toBeUndefined();
    const bytes = new Uint8Array([251, 255, 0, 1]);
    expect(nativeText.nativeBase64?.(bytes, 'base64')).toBe('+/8AAQ==');
    expect(nativeText.nativeBase64?.(bytes.subarray(1), 'base64url')).toBe('_wAB');
  });

  it('UTF-8 results up to 4 KiB share pools without overlapping; larger ones own their buffer', () => {
    const encoder = new TextEncoder();
    const texts = fc.sample(fc.string({ unit: 'binary', maxLength: 1500 }), { seed: 7, numRuns: 400 });
    texts.push('a'.repeat(4096), 'é'.repeat(2048), 'a'.repeat(4097), '');
    const results = texts.map((text) => utf8Encode(text));
    // Checked once every result exists: none was overwritten by a later one.
    results.forEach((bytes, i) => {
      expect(bytes).toEqual(encoder.encode(texts[i]));
      expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
    });
    const large = results.filter((bytes) => bytes.length > 4096);
    expect(large.length).toBeGreaterThan(0);
    for (const bytes of large) expect(bytes.byteLength).toBe(bytes.buffer.byteLength);
    const regions = results
      .filter((bytes) => bytes.length > 0)
      .map((bytes) => [bytes.buffer, bytes.byteOffset, bytes.byteOffset + bytes.byteLength] as const);
    for (const [buffer, start, end] of regions) {
      const overlapping = regions.filter(([b, s, e]) => b === buffer && s < end && start < e);
      expect(overlapping.length).toBe(1);
    }
  });

  it('UTF-8 results after a caller transferred (detached) the pool behind an earlier one are still right', () => {
    const first = utf8Encode('{"a":1}');
    const buffer = first.buffer as ArrayBuffer;
    structuredClone(buffer, { transfer: [buffer] });
    expect(first.buffer.byteLength).toBe(0);
    for (const text of ['{"b":2}', 'é😀', 'x'.repeat(3000)]) {
      expect(utf8Encode(text)).toEqual(new TextEncoder().encode(text));
    }
  });

  it('UTF-8 encode/decode round trip; decoding refuses malformed UTF-8 and keeps a BOM', () => {
    expect(utf8DecodeStrict(utf8Encode('\ufeffé😀'))).toBe('\ufeffé😀');
    expect(() => utf8DecodeStrict(new Uint8Array([0xc3]))).toThrow(TypeError);
    const long = 'é'.repeat(400_000);
    expect(utf8Encode(long).length).toBe(800_000);
  });
});

describe('random bytes', () => {
  it('come from crypto.getRandomValues, in 64 KiB steps for large requests', () => {
    const calls: number[] = [];
    const random = createRandomBytes(NO_BUILTINS, {
      getRandomValues: (bytes: Uint8Array) => {
        calls.push(bytes.length);
        bytes.fill(7);
        return bytes;
      },
    });
    expect(random?.(70_000).every((b) => b === 7)).toBe(true);
    expect(calls).toEqual([65536, 70_000 - 65536]);
  });

  it('fall back to node:crypto randomFillSync, and are absent when neither exists', () => {
    const random = createRandomBytes(builtins, undefined);
    expect(random?.(32)).toHaveLength(32);
    expect(createRandomBytes(NO_BUILTINS, undefined)).toBeUndefined();
    expect(createRandomBytes(NO_BUILTINS, {})).toBeUndefined();
  });

  it('differ between calls on this process', () => {
    expect(hex(randomBytes?.(32) ?? new Uint8Array())).not.toBe(hex(randomBytes?.(32) ?? new Uint8Array()));
  });
});
