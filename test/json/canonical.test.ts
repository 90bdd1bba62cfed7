import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { canonicalize } from 'json-canonicalize';
import { describe, expect, it } from 'vitest';
import {
  checkStrictCanonicalJson,
  compareCodePoints,
  encodeCanonicalJson,
  encodeCanonicalJsonBytes,
} from '../../src/json/canonical.js';
import { parseJson } from '../../src/json/parse.js';
import { JsonFloat, type JsonValue } from '../../src/json/value.js';
import { jsonValue } from '../helpers/json-arbitrary.js';

const encode = (value: unknown, strict = false) => encodeCanonicalJson(value as JsonValue, { strict });
const reasonOf = (value: unknown, strict = false) => {
  const result = encode(value, strict);
  return E.isLeft(result) ? result.left.reason : 'ok';
};

describe('encodeCanonicalJson', () => {
  it('sorts keys by code point, not UTF-16 code unit', () => {
    expect(['\ufb33', '\u{1f600}'].sort()).toEqual(['\u{1f600}', '\ufb33']); // the JavaScript trap
    expect(encode({ '\u{1f600}': 1, '\ufb33': 2 })).toEqual(E.right('{"\ufb33":2,"\u{1f600}":1}'));
    expect(encode({ '\u{10000}': 2, '\ue000': 1 })).toEqual(E.right('{"\ue000":1,"\u{10000}":2}'));
  });
  it('escapes only controls, quote and backslash', () => {
    expect(encode('\u0000\u0008\u0009\u000a\u000b\u000c\u000d\u001f"\\/\u007f\u2028é😀')).toEqual(
      E.right('"\\u0000\\b\\t\\n\\u000b\\f\\r\\u001f\\"\\\\/\u007f\u2028é😀"'),
    );
  });
  it('renders numbers as Python does in non-strict mode', () => {
    expect(encode([new JsonFloat(1), 1.5, 2n ** 64n, -0, 1e21, new JsonFloat(1e16)])).toEqual(
      E.right('[1.0,1.5,18446744073709551616,0,1000000000000000000000,1e+16]'),
    );
  });
  it('strict mode: integers within +/-(2^53-1) only, no floats, no -0, with the JSON path', () => {
    expect(encode([9007199254740991, -9007199254740991], true)).toEqual(
      E.right('[9007199254740991,-9007199254740991]'),
    );
    expect(reasonOf([9007199254740992], true)).toBe('integer_out_of_range');
    expect(reasonOf(2n ** 53n, true)).toBe('integer_out_of_range');
    expect(reasonOf({ a: 1.5 }, true)).toBe('float_not_allowed');
    expect(reasonOf({ a: -0 }, true)).toBe('negative_zero');
    const nested = encode({ event: { content: { x: [1, new JsonFloat(2)] } } }, true);
    expect(E.isLeft(nested) && nested.left.path).toEqual(['event', 'content', 'x', 1]);
  });
  it('treats an object member whose value is undefined as absent (as JSON.stringify does), in both modes', () => {
    expect(encode({ b: undefined, a: 1, c: undefined })).toEqual(E.right('{"a":1}'));
    expect(encode({ a: { b: undefined } }, true)).toEqual(E.right('{"a":{}}'));
    expect(encode({ a: undefined })).toEqual(E.right('{}'));
    expect(E.isRight(checkStrictCanonicalJson({ a: undefined, b: [1] } as unknown as JsonValue))).toBe(true);
    // Arrays have no absent elements: undefined there is not JSON (JSON.stringify would write null).
    expect(reasonOf([undefined])).toBe('not_json');
  });

  it('strict-mode errors print a parsed float as it was written, a caller-built one as Python prints it', () => {
    const parsed = parseJson('{"a": 1.0, "b": 1e5, "c": -2.50E+3}');
    expect(E.isRight(parsed)).toBe(true);
    const messages = (['a', 'b', 'c'] as const).map((key) => {
      const value = E.isRight(parsed) ? (parsed.right as Record<string, JsonValue>)[key] : null;
      const result = encode({ [key]: value }, true);
      return E.isLeft(result) ? result.left.message : '';
    });
    expect(messages).toEqual([
      'float 1.0 is not allowed in canonical JSON',
      'float 1e5 is not allowed in canonical JSON',
      'float -2.50E+3 is not allowed in canonical JSON',
    ]);
    // No source text: Python's repr (what canonicaljson writes), never JavaScript's "1".
    const built = encode({ a: new JsonFloat(1e5) }, true);
    expect(E.isLeft(built) && built.left.message).toBe('float 100000.0 is not allowed in canonical JSON');
    const plain = encode({ a: 1.5 }, true);
    expect(E.isLeft(plain) && plain.left.message).toBe('float 1.5 is not allowed in canonical JSON');
  });
  it('gives a Left, never null or a dropped key, for values that are not JSON', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const sparse: unknown[] = [1];
    sparse[2] = 3; // index 1 is a hole
    const cases: [unknown, string][] = [
      [undefined, 'not_json'],
      [{ a: [undefined] }, 'not_json'],
      [() => 1, 'not_json'],
      [Symbol('x'), 'not_json'],
      [new Date(0), 'not_json'],
      [new Map(), 'not_json'],
      [Number.NaN, 'non_finite_number'],
      [Number.POSITIVE_INFINITY, 'non_finite_number'],
      [new JsonFloat(Number.NEGATIVE_INFINITY), 'non_finite_number'],
      ['\ud800', 'lone_surrogate'],
      [{ '\udc00': 1 }, 'lone_surrogate'],
      [cyclic, 'cycle'],
      [sparse, 'not_json'],
    ];
    for (const [value, reason] of cases) expect(reasonOf(value)).toBe(reason);
  });
  it('accepts null-prototype objects and own __proto__ keys', () => {
    const bare = Object.create(null) as Record<string, JsonValue>;
    bare.b = 1;
    Object.defineProperty(bare, '__proto__', { value: 2, enumerable: true });
    expect(encode(bare)).toEqual(E.right('{"__proto__":2,"b":1}'));
  });
  it('does not overflow the stack on deep values built in code', () => {
    let deep: JsonValue = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(reasonOf(deep)).toBe('too_deep');
  });
  it('bytes variant is the UTF-8 encoding', () => {
    expect(encodeCanonicalJsonBytes({ a: '日' })).toEqual(E.right(new TextEncoder().encode('{"a":"日"}')));
  });
});

describe('canonical JSON properties', () => {
  it('round trip: parse(encode(x)) re-encodes to the same bytes', () => {
    fc.assert(
      fc.property(jsonValue(), (value) => {
        const first = encode(value);
        expect(E.isRight(first)).toBe(true);
        if (E.isLeft(first)) return;
        const reparsed = parseJson(first.right);
        expect(E.isRight(reparsed)).toBe(true);
        if (E.isRight(reparsed)) expect(encode(reparsed.right)).toEqual(first);
      }),
      { seed: 11, numRuns: 2000 },
    );
  });
  it('object keys come out in code point order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary' }), fc.constant(0), { maxKeys: 12 }), (object) => {
        const encoded = encode(object);
        if (E.isLeft(encoded)) return;
        const reparsed = JSON.parse(encoded.right) as Record<string, number>;
        const keys = Object.keys(reparsed);
        const byCodePoint = [...keys].sort((a, b) => {
          const x = Array.from(a).map((c) => c.codePointAt(0) as number);
          const y = Array.from(b).map((c) => c.codePointAt(0) as number);
          for (let i = 0; i < Math.min(x.length, y.length); i++)
            if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
          return x.length - y.length;
        });
        expect(keys).toEqual(byCodePoint);
        for (let i = 1; i < keys.length; i++)
          expect(compareCodePoints(keys[i - 1] as string, keys[i] as string)).toBeLessThan(0);
      }),
      { seed: 12, numRuns: 2000 },
    );
  });
  it('agrees with json-canonicalize (RFC 8785) where the two specs agree', () => {
    // Shared domain: safe integers, well-formed strings, keys without astral characters.
    const bmpKey = fc.string({ unit: 'binary' }).filter((s) => !/[\ud800-\udfff]/.test(s));
    const shared = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small', maxDepth: 4 },
        fc.constant(null),
        fc.boolean(),
        fc.maxSafeInteger(),
        fc.string({ unit: 'binary' }),
        fc.array(tie('v'), { maxLength: 4 }),
        fc.dictionary(bmpKey, tie('v'), { maxKeys: 4 }),
      ),
    })).v;
    fc.assert(
      fc.property(shared, (value) => {
        expect(encode(value)).toEqual(E.right(canonicalize(value)));
      }),
      { seed: 13, numRuns: 2000 },
    );
  });
  it('documented differences from json-canonicalize hold (see docs/canonical-json.md)', () => {
    expect(canonicalize({ '\ue000': 1, '\u{10000}': 2 })).toBe('{"\u{10000}":2,"\ue000":1}');
    expect(encode({ '\ue000': 1, '\u{10000}': 2 })).toEqual(E.right('{"\ue000":1,"\u{10000}":2}'));
    expect(canonicalize('\ud800')).toBe('"\\ud800"');
    expect(reasonOf('\ud800')).toBe('lone_surrogate');
    expect(canonicalize(2 ** 53)).toBe('9007199254740992');
    expect(reasonOf(2 ** 53, true)).toBe('integer_out_of_range');
    expect(canonicalize(1.5)).toBe('1.5');
    expect(reasonOf(1.5, true)).toBe('float_not_allowed');
  });
});
