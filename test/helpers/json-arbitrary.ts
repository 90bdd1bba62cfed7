/**
 * fast-check arbitraries for Matrix-relevant JSON: values with big integers, floats of every magnitude,
 * unicode (BMP, astral, controls) keys and strings, and *texts* that spell those values in varied ways
 * (whitespace, `\u` escapes, exponent forms), so that the parser is exercised, not just the encoder.
 */
import fc from 'fast-check';
import { JsonFloat, type JsonValue, type MutableJsonObject, setOwn } from '../../src/json/value.js';

/** Characters that stress canonical JSON: controls, quotes, BMP edges, surrogate pairs, U+2028, DEL. */
const trickyChar = fc.oneof(
  fc.constantFrom(
    '"',
    '\\',
    '/',
    '\u0000',
    '\u001f',
    '\u007f',
    '\u2028',
    '\u2029',
    '\ud7ff',
    '\ue000',
    '\uffff',
    '\ufb33',
    'é',
    '日',
  ),
  fc.constantFrom('\u{10000}', '\u{1f600}', '\u{10ffff}', '\u{20820}'),
  fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
);

export const unicodeString = fc.array(trickyChar, { maxLength: 12 }).map((chars) => chars.join(''));

const bigInteger = fc.oneof(
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.constantFrom(2n ** 53n, -(2n ** 53n), 2n ** 53n + 1n, 2n ** 64n, 18446744073709551615n),
);

const safeInteger = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.maxSafeInteger(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 0),
);

const finiteDouble = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(
    1,
    100,
    1e16,
    1e-7,
    1e-6,
    -0,
    1e20,
    0.1,
    1.5,
    1e21,
    5e-324,
    1.7976931348623157e308,
    1e15,
    1e-5,
    0,
  ),
);

export interface JsonArbitraryOptions {
  /** Include bigints and floats (not in strict canonical JSON). Default true. */
  readonly legacyNumbers?: boolean;
  readonly maxDepth?: number;
}

/** Arbitrary JSON values in this library's model. */
export function jsonValue(options: JsonArbitraryOptions = {}): fc.Arbitrary<JsonValue> {
  const legacy = options.legacyNumbers ?? true;
  const leaf: fc.Arbitrary<JsonValue> = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    safeInteger,
    unicodeString,
    ...(legacy
      ? [
          bigInteger.map(
            (b): JsonValue =>
              b <= BigInt(Number.MAX_SAFE_INTEGER) && b >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b,
          ),
          finiteDouble.map((d): JsonValue => new JsonFloat(d)),
        ]
      : []),
  );
  const { tree } = fc.letrec<{ tree: JsonValue; object: JsonValue; array: JsonValue }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', maxDepth: options.maxDepth ?? 5 },
      leaf,
      tie('object'),
      tie('array'),
    ),
    array: fc.array(tie('tree'), { maxLength: 5 }),
    object: fc
      .array(
        fc.tuple(
          fc.oneof(unicodeString, fc.constantFrom('__proto__', 'constructor', 'toString', 'a', 'b')),
          tie('tree'),
        ),
        {
          maxLength: 5,
        },
      )
      .map((entries) => {
        const out: MutableJsonObject = {};
        for (const [k, v] of entries) setOwn(out, k, v);
        return out;
      }),
  }));
  return tree;
}

/** Spells a number the way a sender might: Python repr, JS toString, exponent with E, padded exponents. */
function spellFloat(value: number, variant: number): string {
  if (Object.is(value, -0)) return variant % 2 ? '-0.0' : '-0e0';
  const js = String(value);
  switch (variant % 4) {
    case 0:
      return js.includes('.') || js.includes('e') ? js : `${js}.0`;
    case 1:
      return value.toExponential().toUpperCase();
    case 2:
      return value.toExponential().replace('e+', 'e');
    default:
      return js.includes('e') ? js : `${js}e0`;
  }
}

function escapeChar(ch: string): string {
  let out = '';
  for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

function spellString(s: string, variant: number): string {
  if (variant % 3 === 0) return JSON.stringify(s);
  // Escape a varying subset of the characters (code point by code point) with \uXXXX, sometimes upper-case hex.
  let out = '"';
  let i = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    i++;
    if (c < 0x20 || ch === '"' || ch === '\\' || (i + variant) % 3 === 0) {
      const esc = escapeChar(ch);
      out += variant % 2 ? esc.toUpperCase().replace(/\\U/g, '\\u') : esc;
    } else out += ch;
  }
  return `${out}"`;
}

/** Writes a value as JSON text with varied (valid) spelling. */
export function spellJson(value: JsonValue, variant: number): string {
  const ws = [' ', '', '\n', '\t', '\r\n  '][variant % 5] as string;
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return spellString(value, variant);
  if (value instanceof JsonFloat) return spellFloat(value.value, variant);
  if (Array.isArray(value))
    return `[${ws}${value.map((v, i) => spellJson(v, variant + i)).join(`,${ws}`)}${ws}]`;
  const entries = Object.keys(value).map(
    (k, i) =>
      `${spellString(k, variant + i)}${ws}:${ws}${spellJson((value as Record<string, JsonValue>)[k] as JsonValue, variant + i)}`,
  );
  return `{${ws}${entries.join(`,${ws}`)}${ws}}`;
}

/** Arbitrary JSON texts (value plus spelling). */
export const jsonText = (options: JsonArbitraryOptions = {}) =>
  fc.tuple(jsonValue(options), fc.nat(1000)).map(([value, variant]) => spellJson(value, variant));

/** A value nested `depth` levels deep in alternating arrays and objects. */
export function nested(depth: number, leaf: string): string {
  let text = leaf;
  for (let i = 0; i < depth; i++) text = i % 2 ? `{"k${i}":${text}}` : `[${text}]`;
  return text;
}
