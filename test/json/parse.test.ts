import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { parseJson } from '../../src/json/parse.js';
import { JsonFloat, type JsonValue } from '../../src/json/value.js';
import { jsonText, nested } from '../helpers/json-arbitrary.js';

const ok = (text: string | Uint8Array) => {
  const result = parseJson(text);
  if (E.isLeft(result)) throw new Error(result.left.message);
  return result.right;
};
const reason = (text: string | Uint8Array, options = {}) => {
  const result = parseJson(text, options);
  return E.isLeft(result) ? result.left.reason : 'accepted';
};

describe('parseJson: numbers as Python reads them', () => {
  it('keeps floats that JSON.parse would turn into integers', () => {
    expect(ok('1.0')).toEqual(new JsonFloat(1));
    expect(ok('1e2')).toEqual(new JsonFloat(100));
    expect(ok('1E2')).toEqual(new JsonFloat(100));
    expect(ok('-0.0')).toEqual(new JsonFloat(-0));
    expect(ok('0.1')).toEqual(new JsonFloat(0.1));
  });
  it('keeps integers beyond 2^53 exact', () => {
    expect(ok('9007199254740993')).toBe(9007199254740993n);
    expect(ok('-18446744073709551616')).toBe(-18446744073709551616n);
    expect(ok('9007199254740991')).toBe(9007199254740991);
    expect(ok('1234567890123456')).toBe(1234567890123456);
  });
  it('keeps -0 as -0 (for strict-mode rejection)', () => {
    expect(Object.is(ok('-0'), -0)).toBe(true);
  });
  it('rejects what Python rejects', () => {
    for (const text of ['01', '1.', '.5', '1e', '-', '+1', '0x10', '1_000', '٣'])
      expect(reason(text)).toBe('syntax');
    for (const text of ['NaN', 'Infinity', '-Infinity', '[NaN]'])
      expect(reason(text)).toBe('non_finite_constant');
  });
  it('rejects integers longer than CPython 3.11 int_max_str_digits (4300)', () => {
    expect(reason('9'.repeat(4300))).toBe('accepted');
    expect(reason('9'.repeat(4301))).toBe('integer_too_long');
    expect(reason(`-${'9'.repeat(4301)}`)).toBe('integer_too_long');
  });
});

describe('parseJson: strings and text', () => {
  it('combines escaped surrogate pairs and rejects lone surrogates, raw or escaped, in keys and values', () => {
    expect(ok('"\\ud83d\\ude00"')).toBe('😀');
    for (const text of [
      '"\\ud800"',
      '"\\udc00"',
      '{"\\ud800":1}',
      '"\\ud83d\\u0041"',
      '"\\ud83dx"',
      '"\ud800"',
      '"a\udc00b"',
      '"\\n\ud800"',
    ]) {
      expect(reason(text)).toBe('lone_surrogate');
    }
  });
  it('refuses a lone surrogate only where it survives into the parsed value (Python: last duplicate wins)', () => {
    // json.loads keeps only the last value of a duplicate key, so the lone surrogate never reaches the encoder.
    expect(ok('{"a":"\\udead","a":"x"}')).toEqual({ a: 'x' });
    expect(ok('{"a":{"b":["\\ud800"]},"a":1}')).toEqual({ a: 1 });
    expect(ok('{"k":{"\\ud800":1},"k":2}')).toEqual({ k: 2 });
    expect(ok('{"a":"\ud800","a":"raw one, overwritten"}')).toEqual({ a: 'raw one, overwritten' });
    // Where it survives: refused at the surviving occurrence, with its path.
    const survivor = parseJson('{"a":"\\ud800","b":"ok","a":"\\udc00"}');
    expect(E.isLeft(survivor) && survivor.left).toMatchObject({
      reason: 'lone_surrogate',
      offset: Buffer.byteLength('{"a":"\\ud800","b":"ok","a":"'),
      path: ['a'],
    });
    const key = parseJson('{"x":1,"\\ud800":1,"\\ud800":2}');
    expect(E.isLeft(key) && key.left).toMatchObject({ reason: 'lone_surrogate', offset: 8, path: [] });
    expect(reason('{"a":"x","a":"\\udead"}')).toBe('lone_surrogate');
    expect(reason('[{"a":"\\udc00","a":"\\udc00"}]')).toBe('lone_surrogate');
    // Code points as Python sees them: an escaped high surrogate next to a raw low one is two lone surrogates,
    // even though a JavaScript string would pair them.
    expect(reason('"\\ud800\udc00"')).toBe('lone_surrogate');
    expect(reason('"\ud800\\udc00"')).toBe('lone_surrogate');
    expect(reason('"\\ud800\\ud800\\udc00"')).toBe('lone_surrogate');
  });
  it('accepts all JSON escapes and rejects others and raw control characters', () => {
    expect(ok('"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u00E9"')).toBe('"\\/\b\f\n\r\téé');
    for (const text of ['"\\x41"', '"\\u12"', '"\\a"', '"\t"', '"\u0000"', '"abc'])
      expect(reason(text)).toBe('syntax');
  });
  it('only JSON whitespace is whitespace', () => {
    expect(ok(' \t\r\n{ "a" : [ 1 , 2 ] }\n ')).toEqual({ a: [1, 2] });
    for (const text of ['\f1', '\u00a01', '1\u2028', '\ufeff{}']) expect(reason(text)).toBe('syntax');
  });
  it('decodes UTF-8 bytes, rejecting invalid sequences with the byte offset', () => {
    expect(ok(new TextEncoder().encode('{"é":"日本"}'))).toEqual({ é: '日本' });
    const cases: [number[], number][] = [
      [[0x22, 0xff, 0x22], 1],
      [[0x22, 0x61, 0xc3, 0x22], 2],
      [[0x22, 0xed, 0xa0, 0x80, 0x22], 1], // CESU surrogate
      [[0x22, 0xc0, 0xaf, 0x22], 1], // overlong
    ];
    for (const [bytes, offset] of cases) {
      const result = parseJson(Uint8Array.from(bytes));
      expect(E.isLeft(result) && result.left.reason).toBe('invalid_utf8');
      expect(E.isLeft(result) && result.left.offset).toBe(offset);
    }
    // A byte order mark is not JSON whitespace (Python: "Unexpected UTF-8 BOM").
    expect(reason(Uint8Array.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]))).toBe('syntax');
  });
  it('reports UTF-8 byte offsets and JSON paths', () => {
    const result = parseJson('{"é": {"list": [1, 2, tru]}}');
    expect(E.isLeft(result) && result.left.offset).toBe(Buffer.byteLength('{"é": {"list": [1, 2, '));
    expect(E.isLeft(result) && result.left.path).toEqual(['é', 'list', 2]);
    expect(E.isLeft(result) && result.left.message).toMatch(/byte 23/);
  });
  it('rejects non-text input without throwing', () => {
    expect(reason(42 as unknown as string)).toBe('not_text');
    expect(reason(null as unknown as string)).toBe('not_text');
  });
});

describe('parseJson: objects', () => {
  it('last duplicate key wins, as in Python', () => {
    expect(ok('{"a":1,"b":0,"a":2}')).toEqual({ a: 2, b: 0 });
  });
  it('treats __proto__ and constructor as ordinary own keys without polluting prototypes', () => {
    const value = ok('{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}') as Record<
      string,
      JsonValue
    >;
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(value)).toEqual(['__proto__', 'constructor']);
  });
});

describe('parseJson: limits', () => {
  it('refuses deep nesting with a clean Left, never a stack overflow', () => {
    expect(reason(nested(256, '1'))).toBe('accepted');
    expect(reason(nested(257, '1'))).toBe('too_deep');
    expect(reason('['.repeat(1_000_000))).toBe('too_deep');
    expect(reason(nested(300, '1'), { maxDepth: 1_000_000 })).toBe('accepted');
    expect(reason('['.repeat(100_000), { maxDepth: 1_000_000 })).toBe('too_deep');
  });
  it('enforces an optional byte limit on strings (UTF-8 bytes) and bytes', () => {
    expect(reason('"éé"', { maxBytes: 5 })).toBe('too_large');
    expect(reason('"éé"', { maxBytes: 6 })).toBe('accepted');
    expect(reason(new Uint8Array(10).fill(0x20), { maxBytes: 9 })).toBe('too_large');
  });
});

describe('parseJson: properties', () => {
  it('never throws on arbitrary strings or bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary-ascii' })), (text) => {
        parseJson(text);
      }),
      { seed: 1, numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        parseJson(bytes);
      }),
      { seed: 2, numRuns: 3000 },
    );
  });
  it('UTF-8 bytes (binary mode, each string decoded from its bytes) and the decoded text: same values, same errors', () => {
    const encoder = new TextEncoder();
    const mutated = fc
      .tuple(jsonText(), fc.nat(), fc.constantFrom('', '"', '\\', '\u0001', 'é', '\u{1f600}', '{', ',', '1.'))
      .map(([text, at, insert]) => {
        const i = at % (text.length + 1);
        return text.slice(0, i) + insert + text.slice(i);
      });
    fc.assert(
      fc.property(fc.oneof(jsonText(), mutated), (text) => {
        if (!text.isWellFormed()) return;
        const bytes = encoder.encode(text);
        expect(parseJson(bytes)).toEqual(parseJson(text));
      }),
      { seed: 4, numRuns: 3000 },
    );
  });
  it('UTF-8 bytes at any alignment: raw control characters refused and non-ASCII strings read as JSON.parse reads them', () => {
    // Binary mode reads the bytes four at a time where they are 4-byte aligned: runs of non-ASCII bytes and control
    // characters land at every position of a word, at the edges of the buffer and across words.
    const encoder = new TextEncoder();
    const piece = fc.constantFrom(
      'a',
      'bc',
      'é',
      '€',
      '\u{1f600}',
      ' ',
      '\u0001',
      '\n',
      '\u001f',
      '\u007f',
      '\\n',
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 12 }),
        fc.array(piece, { maxLength: 6 }),
        fc.nat(3),
        (a, b, offset) => {
          const text = `{"${b.join('')}":["${a.join('')}",1],"z":"${b.join('')}"}`;
          const encoded = encoder.encode(text);
          const buffer = new Uint8Array(encoded.length + 8).fill(0x01);
          buffer.set(encoded, offset);
          const bytes = buffer.subarray(offset, offset + encoded.length);
          let expected: unknown;
          try {
            expected = JSON.parse(text);
          } catch {
            expected = 'rejected';
          }
          const result = parseJson(bytes);
          if (expected === 'rejected') expect(E.isLeft(result) && result.left.reason).toBe('syntax');
          else expect(result).toEqual(E.right(expected));
        },
      ),
      { seed: 5, numRuns: 3000 },
    );
  });
  it('agrees with JSON.parse on accept/reject and on values (modulo number precision) for texts without lone surrogates', () => {
    const toPlain = (v: JsonValue): unknown => {
      if (v instanceof JsonFloat) return v.value;
      if (typeof v === 'bigint') return Number(v);
      if (Array.isArray(v)) return v.map(toPlain);
      if (v !== null && typeof v === 'object') {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPlain(x)]));
      }
      return v;
    };
    fc.assert(
      fc.property(fc.oneof(jsonText(), fc.json(), fc.string({ unit: 'grapheme-ascii' })), (text) => {
        let expected: unknown;
        let jsOk = true;
        try {
          expected = JSON.parse(text);
        } catch {
          jsOk = false;
        }
        const result = parseJson(text);
        expect(E.isRight(result)).toBe(jsOk);
        if (E.isRight(result)) expect(toPlain(result.right)).toEqual(expected);
      }),
      { seed: 3, numRuns: 2000 },
    );
  });
});
