import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { encodeCanonicalJson } from '../../src/json/canonical.js';
import { parseJson } from '../../src/json/parse.js';
import type { JsonValue } from '../../src/json/value.js';
import { vectors } from '../helpers/fixtures.js';

function parsed(text: string): JsonValue {
  const result = parseJson(text);
  if (E.isLeft(result)) throw new Error(`fixture does not parse: ${result.left.message}`);
  return result.right;
}

describe('canonical_json vectors (spec appendix, gomatrixserverlib, python canonicaljson)', () => {
  for (const vector of vectors.canonical_json) {
    it(`${vector.id}: non-strict output equals python canonicaljson`, () => {
      // python_canonicaljson_output is the oracle; for every vector but one it equals `expected`.
      expect(encodeCanonicalJson(parsed(vector.input_json_text))).toEqual(
        E.right(vector.python_canonicaljson_output),
      );
    });
  }

  it('spec-negzero-exponent: policy is Python in non-strict mode, rejection in strict mode', () => {
    const vector = vectors.canonical_json.find((v) => v.id === 'spec-negzero-exponent');
    expect(vector?.expected).toBe('{"a":0,"b":10000000000}');
    const value = parsed(vector?.input_json_text);
    expect(encodeCanonicalJson(value)).toEqual(E.right('{"a":0,"b":10000000000.0}'));
    const strict = encodeCanonicalJson(value, { strict: true });
    expect(E.isLeft(strict) && strict.left.reason).toBe('negative_zero');
    expect(E.isLeft(strict) && strict.left.path).toEqual(['a']);
    const withoutNegativeZero = encodeCanonicalJson(parsed('{"b":1e10}'), { strict: true });
    expect(E.isLeft(withoutNegativeZero) && withoutNegativeZero.left.reason).toBe('float_not_allowed');
    expect(E.isLeft(withoutNegativeZero) && withoutNegativeZero.left.path).toEqual(['b']);
  });

  it('vectors whose expected equals the python output agree with the spec/upstream expectation too', () => {
    for (const vector of vectors.canonical_json) {
      if (vector.expected !== vector.python_canonicaljson_output) continue;
      expect(encodeCanonicalJson(parsed(vector.input_json_text))).toEqual(E.right(vector.expected));
    }
  });
});

describe('negative vectors for the JSON layer', () => {
  const byKind = (kind: string) => vectors.negative.filter((v) => v.kind === kind);

  for (const vector of byKind('canonical_json')) {
    if (vector.id === 'duplicate-keys') continue;
    it(`${vector.id}: rejected (no canonical form)`, () => {
      const result = parseJson(vector.input_json_text);
      expect(E.isLeft(result) && result.left.reason).toBe('lone_surrogate');
    });
  }

  it('duplicate-keys: documented last-wins, as Python json.loads', () => {
    const vector = vectors.negative.find((v) => v.id === 'duplicate-keys');
    const value = parsed(vector?.input_json_text);
    expect(encodeCanonicalJson(value)).toEqual(E.right(vector?.python_result));
  });

  for (const vector of byKind('strict_canonical_json')) {
    // 'accept in room versions 1-5; reject in 6+' means strict mode rejects.
    const accept = !String(vector.expected).includes('reject');
    it(`${vector.id}: ${vector.expected}`, () => {
      const value = parsed(vector.input_json_text);
      const strict = encodeCanonicalJson(value, { strict: true });
      expect(E.isRight(strict)).toBe(accept);
      // Rooms 1-5 accept every one of them.
      expect(E.isRight(encodeCanonicalJson(value))).toBe(true);
    });
  }
});
