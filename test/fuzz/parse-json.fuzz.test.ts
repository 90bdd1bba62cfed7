/**
 * Hostile input for `parseJson`: random bytes, random strings (lone surrogates, controls), valid texts in varied
 * spellings, and texts with a character inserted, deleted or replaced. Properties: never throws; never mutates a
 * byte input; a rejection carries a known reason and an offset inside the input; it is never more lenient than
 * `JSON.parse`; valid texts parse, and bytes and text give the same answer; `__proto__` is an own key; the built-in
 * prototypes are untouched. Seeded: see support.ts.
 */
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { encodeCanonicalJson } from '../../src/json/canonical.js';
import { type JsonError, type JsonErrorReason, parseJson } from '../../src/json/parse.js';
import type { JsonValue } from '../../src/json/value.js';
import { jsonText } from '../helpers/json-arbitrary.js';
import { assertPrototypesUntouched, check, prototypeSnapshot, snapshot } from './support.js';

const encoder = new TextEncoder();
const REASONS = new Set<JsonErrorReason>([
  'invalid_utf8',
  'syntax',
  'lone_surrogate',
  'non_finite_constant',
  'integer_too_long',
  'too_deep',
  'too_large',
  'not_text',
]);

/** parseJson with the guards: no throw, input untouched, prototypes untouched, a well-formed error. */
function parse(
  input: string | Uint8Array,
  options?: Parameters<typeof parseJson>[1],
): E.Either<JsonError, JsonValue> {
  const before = typeof input === 'string' ? input : snapshot(input);
  const protoBefore = prototypeSnapshot();
  const result = parseJson(input, options);
  expect(typeof input === 'string' ? input : snapshot(input)).toBe(before);
  assertPrototypesUntouched(protoBefore);
  if (E.isLeft(result)) {
    expect(typeof result.left.message).toBe('string');
    expect(Number.isInteger(result.left.offset)).toBe(true);
    expect(result.left.offset).toBeGreaterThanOrEqual(0);
    const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
    if (result.left.reason !== 'too_large') expect(result.left.offset).toBeLessThanOrEqual(size);
  }
  return result;
}

const jsonParseAccepts = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** A text with one character inserted, deleted or replaced (the JSON-breaking characters preferred). */
const brokenText = fc
  .tuple(
    jsonText({ maxDepth: 4 }),
    fc.nat(),
    fc.nat(2),
    fc.constantFrom(
      '',
      '"',
      ',',
      ':',
      '\\',
      '\\u',
      '\\ud83d',
      '\ud83d',
      '}',
      ']',
      '{',
      '[',
      '-',
      '.',
      'e',
      '0',
      'NaN',
      '\u0000',
      '\ufeff',
      ' ',
    ),
  )
  .map(([text, at, cut, insert]) => {
    const i = text.length === 0 ? 0 : at % text.length;
    return text.slice(0, i) + insert + text.slice(i + cut);
  });

describe('parseJson under hostile input', () => {
  it('random bytes: never throws, a known reason, an offset inside the input', () => {
    check(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const result = parse(bytes);
        if (E.isLeft(result)) expect(REASONS.has(result.left.reason)).toBe(true);
      }),
      1500,
    );
  });

  it('random strings (binary units, lone surrogates): never more lenient than JSON.parse', () => {
    check(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary-ascii' })), (text) => {
        const result = parse(text);
        if (E.isRight(result)) expect(jsonParseAccepts(text)).toBe(true);
        else expect(REASONS.has(result.left.reason)).toBe(true);
      }),
      1500,
    );
  });

  it('valid texts in varied spellings parse, as text and as bytes alike, and canonical JSON is a fixed point', () => {
    check(
      fc.property(jsonText({ maxDepth: 5 }), (text) => {
        const fromText = parse(text);
        if (E.isLeft(fromText)) throw new Error(`valid text rejected: ${fromText.left.message}`);
        const fromBytes = parse(encoder.encode(text));
        expect(E.isRight(fromBytes) && snapshot(fromBytes.right)).toBe(snapshot(fromText.right));
        const canonical = encodeCanonicalJson(fromText.right);
        if (E.isRight(canonical)) {
          const again = parse(canonical.right);
          expect(E.isRight(again) && encodeCanonicalJson(again.right)).toEqual(canonical);
        }
      }),
      800,
    );
  });

  it('broken texts: never throws, never more lenient than JSON.parse, bytes and text agree', () => {
    check(
      fc.property(brokenText, (text) => {
        const fromText = parse(text);
        if (E.isRight(fromText)) expect(jsonParseAccepts(text)).toBe(true);
        if (text.isWellFormed()) {
          const fromBytes = parse(encoder.encode(text));
          expect(E.isRight(fromBytes)).toBe(E.isRight(fromText));
        }
      }),
      1500,
    );
  });

  it('__proto__, constructor and prototype are own keys; Object.prototype stays clean', () => {
    check(
      fc.property(
        fc.constantFrom('__proto__', 'constructor', 'prototype', '__defineGetter__', 'toString'),
        fc.constantFrom('{"polluted":1}', '[1]', '"x"', 'null', '{"__proto__":{"polluted":2}}'),
        (key, inner) => {
          const result = parse(`{"${key}":${inner},"${key}":${inner}}`);
          if (E.isLeft(result)) throw new Error(result.left.message);
          const value = result.right as Record<string, unknown>;
          expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
          expect(Object.hasOwn(value, key)).toBe(true);
          expect(Object.keys(value)).toEqual([key]);
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        },
      ),
      50,
    );
  });

  it('junk options and non-text inputs give typed errors, never throws', () => {
    const junkOption = fc.oneof(
      fc.constant(undefined),
      fc.integer({ min: -5, max: 5000 }),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, 1.5, 2 ** 53),
    );
    check(
      fc.property(
        fc.oneof(jsonText({ maxDepth: 3 }), fc.anything() as fc.Arbitrary<unknown>),
        junkOption,
        junkOption,
        junkOption,
        (input, maxDepth, maxBytes, maxIntegerDigits) => {
          const options = { maxDepth, maxBytes, maxIntegerDigits } as Parameters<typeof parseJson>[1];
          const protoBefore = prototypeSnapshot();
          let result: E.Either<JsonError, JsonValue> | undefined;
          expect(() => {
            result = parseJson(input as string, options);
          }).not.toThrow();
          assertPrototypesUntouched(protoBefore);
          if (typeof input !== 'string' && !(input instanceof Uint8Array)) {
            expect(result !== undefined && E.isLeft(result) && result.left.reason).toBe('not_text');
          }
        },
      ),
      500,
    );
  });
});
