/**
 * Lossless JSON parsing: accepts exactly what Python's `json.loads` accepts with Synapse's settings, and keeps
 * what is needed to re-encode like Python (and so to hash and verify like Synapse).
 *
 * Differences from `JSON.parse` that matter for Matrix:
 * - integers of any size are exact (`bigint` beyond +/-(2^53-1)); `1.0` and `1e2` stay floats ({@link JsonFloat});
 * - NaN / Infinity / -Infinity are rejected (Synapse's `parse_constant`);
 * - lone surrogates, escaped or raw, are rejected where they survive into the parsed value: they have no canonical
 *   (UTF-8) encoding. Python's `json.loads` reads them, and one under a duplicate key that a later value replaces
 *   never reaches canonicaljson, so it is accepted (`{"a":"\udead","a":"x"}` is `{"a":"x"}`);
 * - duplicate keys: the last value wins, as in Python; `__proto__` is an ordinary own key;
 * - invalid UTF-8 is rejected; a leading byte order mark is rejected (as Python's `json.loads` on a `str`);
 * - `-0` is kept as the number -0: Python reads it as the int 0, strict canonical JSON forbids it;
 * - integers longer than 4300 digits are rejected (CPython 3.11's `int_max_str_digits`);
 * - nesting deeper than `maxDepth` (default 256) and input longer than `maxBytes` give a clean error.
 */
import * as E from 'fp-ts/lib/Either.js';
import { isUint8Array } from '../encoding/bytes.js';
import type { LibraryError } from '../errors/base.js';
import { describeValue, errorText } from '../errors/describe.js';
import { utf8DecodeStrict, utf8Length } from '../platform/text.js';
import { JsonFloat, type JsonValue, type MutableJsonObject, setOwn } from './value.js';

/**
 * Why a text is not JSON as Synapse's Python decoder accepts it: invalid UTF-8, a syntax error, a lone surrogate
 * escape, `NaN`/`Infinity`, an integer longer than `maxIntegerDigits`, nesting deeper than `maxDepth`, input larger
 * than `maxBytes`, input that is neither a string nor bytes, or options that are not numbers (a caller error).
 */
export type JsonErrorReason =
  | 'invalid_utf8'
  | 'syntax'
  | 'lone_surrogate'
  | 'non_finite_constant'
  | 'integer_too_long'
  | 'too_deep'
  | 'too_large'
  | 'not_text'
  | 'invalid_options';

/**
 * Why a text is not acceptable JSON. `offset` is the UTF-8 byte offset of the problem in the input.
 *
 * @category JSON
 */
export interface JsonError extends LibraryError<'JsonError', JsonErrorReason> {
  /** The UTF-8 byte offset of the problem in the input. */
  readonly offset: number;
}

/**
 * Limits of {@link parseJson}; every limit exceeded is a typed error, never a throw.
 *
 * @example parseJson(body, { maxBytes: 65536, maxDepth: 64 })
 * @category JSON
 */
export interface ParseJsonOptions {
  /** Maximum nesting of arrays and objects (default 256). */
  readonly maxDepth?: number;
  /** Maximum input size in UTF-8 bytes (default: no limit). */
  readonly maxBytes?: number;
  /** Maximum digits in an integer (default 4300, CPython's `sys.get_int_max_str_digits()`). */
  readonly maxIntegerDigits?: number;
}

/** Nesting depth the parser refuses to exceed, whatever the options, to stay far from stack exhaustion. */
const HARD_MAX_DEPTH = 4096;
const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);

/** A lone surrogate met while parsing (Python keeps it in the `str`; it fails only when encoded). */
interface LoneSurrogate {
  readonly index: number;
  readonly message: string;
  readonly path: readonly (string | number)[];
}

/** The earlier of two lone surrogates (document order), either possibly absent. */
function earlier(a: LoneSurrogate | undefined, b: LoneSurrogate | undefined): LoneSurrogate | undefined {
  if (a === undefined) return b;
  return b === undefined || a.index <= b.index ? a : b;
}

class ParseFailure {
  constructor(
    readonly reason: JsonErrorReason,
    readonly message: string,
    readonly index: number,
    readonly path: readonly (string | number)[],
  ) {}
}

enum Char {
  Tab = 0x09,
  Newline = 0x0a,
  Return = 0x0d,
  Space = 0x20,
  Quote = 0x22,
  Plus = 0x2b,
  Comma = 0x2c,
  Minus = 0x2d,
  Dot = 0x2e,
  Slash = 0x2f,
  Zero = 0x30,
  Nine = 0x39,
  Colon = 0x3a,
  UpperE = 0x45,
  UpperI = 0x49,
  UpperN = 0x4e,
  OpenBracket = 0x5b,
  Backslash = 0x5c,
  CloseBracket = 0x5d,
  LowerE = 0x65,
  OpenBrace = 0x7b,
  CloseBrace = 0x7d,
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  return -1;
}

class Parser {
  private pos = 0;
  private depth = 0;
  private readonly path: (string | number)[] = [];
  /**
   * The first lone surrogate that survives in the value just parsed (`undefined`: none). Strings set it, containers
   * combine their members' (a duplicate key's replaced value drops out, as in Python), everything else clears it.
   */
  private lone: LoneSurrogate | undefined;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
    private readonly maxIntegerDigits: number,
  ) {}

  parseDocument(): JsonValue {
    this.skipWhitespace();
    const value = this.parseValue();
    const lone = this.lone;
    this.skipWhitespace();
    if (this.pos < this.text.length) this.fail('syntax', 'extra data after the JSON value');
    if (lone !== undefined) throw new ParseFailure('lone_surrogate', lone.message, lone.index, lone.path);
    return value;
  }

  /** Notes a lone surrogate in the string being parsed (the first one of the string is kept). */
  private noteLoneSurrogate(index: number, message: string): void {
    if (this.lone === undefined) this.lone = { index, message, path: [...this.path] };
  }

  private fail(reason: JsonErrorReason, message: string, index = this.pos): never {
    throw new ParseFailure(reason, message, index, [...this.path]);
  }

  private skipWhitespace(): void {
    const text = this.text;
    let pos = this.pos;
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c !== Char.Space && c !== Char.Newline && c !== Char.Return && c !== Char.Tab) break;
      pos++;
    }
    this.pos = pos;
  }

  private parseValue(): JsonValue {
    this.lone = undefined;
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case Char.Quote:
        return this.parseString();
      case Char.OpenBrace:
        return this.parseObject();
      case Char.OpenBracket:
        return this.parseArray();
      case 0x74: // t
        return this.parseLiteral('true', true);
      case 0x66: // f
        return this.parseLiteral('false', false);
      case 0x6e: // n
        return this.parseLiteral('null', null);
      case Char.UpperN:
      case Char.UpperI:
        return this.rejectConstant();
      default:
        if (c === Char.Minus || (c >= Char.Zero && c <= Char.Nine)) return this.parseNumber();
        if (Number.isNaN(c)) this.fail('syntax', 'unexpected end of input, expecting a value');
        return this.fail(
          'syntax',
          `unexpected character ${JSON.stringify(this.text.charAt(this.pos))}, expecting a value`,
        );
    }
  }

  private rejectConstant(): never {
    const rest = this.text.slice(this.pos, this.pos + 9);
    if (rest.startsWith('NaN') || rest.startsWith('Infinity')) {
      this.fail('non_finite_constant', `${rest.startsWith('NaN') ? 'NaN' : 'Infinity'} is not valid JSON`);
    }
    return this.fail('syntax', 'expecting a value');
  }

  private parseLiteral<T extends JsonValue>(word: string, value: T): T {
    if (this.text.startsWith(word, this.pos)) {
      this.pos += word.length;
      return value;
    }
    return this.fail('syntax', `expecting a value`);
  }

  private enter(): void {
    if (++this.depth > this.maxDepth) this.fail('too_deep', `nesting deeper than ${this.maxDepth} levels`);
  }

  private parseObject(): JsonValue {
    this.enter();
    const text = this.text;
    const object: MutableJsonObject = {};
    this.pos++;
    this.skipWhitespace();
    if (text.charCodeAt(this.pos) === Char.CloseBrace) {
      this.pos++;
      this.depth--;
      return object;
    }
    // Lone surrogates of this object: in keys (a key stays once present) and in each key's last value.
    let keyLone: LoneSurrogate | undefined;
    let valueLone: Map<string, LoneSurrogate> | undefined;
    for (;;) {
      if (text.charCodeAt(this.pos) !== Char.Quote) {
        this.fail('syntax', 'expecting a property name enclosed in double quotes');
      }
      this.lone = undefined;
      const key = this.parseString();
      keyLone = earlier(keyLone, this.lone);
      this.skipWhitespace();
      if (text.charCodeAt(this.pos) !== Char.Colon) this.fail('syntax', "expecting ':' delimiter");
      this.pos++;
      this.skipWhitespace();
      this.path.push(key);
      const value = this.parseValue();
      this.path.pop();
      if (this.lone !== undefined) {
        valueLone ??= new Map();
        valueLone.set(key, this.lone);
      } else {
        valueLone?.delete(key);
      }
      if (key === '__proto__') setOwn(object, key, value);
      else object[key] = value;
      if (this.endOfContainer(Char.CloseBrace)) {
        let lone = keyLone;
        if (valueLone !== undefined) for (const found of valueLone.values()) lone = earlier(lone, found);
        this.lone = lone;
        return object;
      }
    }
  }

  /** After a member or element: consumes `,` (false: another follows) or the closing bracket (true: done). */
  private endOfContainer(close: Char.CloseBrace | Char.CloseBracket): boolean {
    this.skipWhitespace();
    const c = this.text.charCodeAt(this.pos);
    if (c === Char.Comma) {
      this.pos++;
      this.skipWhitespace();
      return false;
    }
    if (c === close) {
      this.pos++;
      this.depth--;
      return true;
    }
    return this.fail('syntax', `expecting ',' delimiter or '${close === Char.CloseBrace ? '}' : ']'}'`);
  }

  private parseArray(): JsonValue {
    this.enter();
    const text = this.text;
    const array: JsonValue[] = [];
    this.pos++;
    this.skipWhitespace();
    if (text.charCodeAt(this.pos) === Char.CloseBracket) {
      this.pos++;
      this.depth--;
      return array;
    }
    let lone: LoneSurrogate | undefined;
    for (let index = 0; ; index++) {
      this.path.push(index);
      array.push(this.parseValue());
      this.path.pop();
      lone ??= this.lone;
      if (this.endOfContainer(Char.CloseBracket)) {
        this.lone = lone;
        return array;
      }
    }
  }

  private parseString(): string {
    const text = this.text;
    const start = this.pos + 1;
    let pos = start;
    // Fast path: no escapes.
    for (;;) {
      if (pos >= text.length) this.fail('syntax', 'unterminated string', start - 1);
      const c = text.charCodeAt(pos);
      if (c === Char.Quote) {
        this.pos = pos + 1;
        return text.slice(start, pos);
      }
      if (c === Char.Backslash) break;
      if (c < 0x20) this.fail('syntax', 'invalid control character in string', pos);
      pos += c >= 0xd800 && c <= 0xdfff ? this.surrogatePairAt(pos) : 1;
    }
    return this.parseEscapedString(start, pos);
  }

  /** A raw surrogate: a well-formed pair (length 2), or a lone surrogate, noted (length 1). */
  private surrogatePairAt(pos: number): number {
    const c = this.text.charCodeAt(pos);
    const next = this.text.charCodeAt(pos + 1);
    if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) return 2;
    this.noteLoneSurrogate(pos, 'lone surrogate in string: it has no UTF-8 form');
    return 1;
  }

  private parseEscapedString(start: number, firstEscape: number): string {
    const text = this.text;
    let out = text.slice(start, firstEscape);
    let pos = firstEscape;
    let chunkStart = pos;
    for (;;) {
      if (pos >= text.length) this.fail('syntax', 'unterminated string', start - 1);
      const c = text.charCodeAt(pos);
      if (c === Char.Quote) {
        out += text.slice(chunkStart, pos);
        this.pos = pos + 1;
        return out;
      }
      if (c === Char.Backslash) {
        out += text.slice(chunkStart, pos);
        const escapeCode = text.charCodeAt(pos + 1);
        switch (escapeCode) {
          case Char.Quote:
            out += '"';
            break;
          case Char.Backslash:
            out += '\\';
            break;
          case Char.Slash:
            out += '/';
            break;
          case 0x62:
            out += '\b';
            break;
          case 0x66:
            out += '\f';
            break;
          case 0x6e:
            out += '\n';
            break;
          case 0x72:
            out += '\r';
            break;
          case 0x74:
            out += '\t';
            break;
          case 0x75: {
            const unit = this.readHex4(pos + 2);
            pos += 6;
            if (unit >= 0xd800 && unit <= 0xdbff) {
              // Python combines a high surrogate escape only with an escaped low surrogate right after it.
              const low =
                text.charCodeAt(pos) === Char.Backslash && text.charCodeAt(pos + 1) === 0x75
                  ? this.readHex4(pos + 2)
                  : -1;
              if (low >= 0xdc00 && low <= 0xdfff) {
                out += String.fromCharCode(unit, low);
                pos += 6;
              } else {
                this.noteLoneSurrogate(pos - 6, 'lone surrogate escape: it has no UTF-8 form');
                out += String.fromCharCode(unit);
              }
            } else {
              if (unit >= 0xdc00 && unit <= 0xdfff)
                this.noteLoneSurrogate(pos - 6, 'lone surrogate escape: it has no UTF-8 form');
              out += String.fromCharCode(unit);
            }
            chunkStart = pos;
            continue;
          }
          default:
            this.fail('syntax', 'invalid \\escape', pos);
        }
        pos += 2;
        chunkStart = pos;
        continue;
      }
      if (c < 0x20) this.fail('syntax', 'invalid control character in string', pos);
      pos += c >= 0xd800 && c <= 0xdfff ? this.surrogatePairAt(pos) : 1;
    }
  }

  private readHex4(at: number): number {
    let value = 0;
    for (let i = 0; i < 4; i++) {
      const digit = hexValue(this.text.charCodeAt(at + i));
      if (digit < 0) this.fail('syntax', 'invalid \\uXXXX escape', at - 2);
      value = (value << 4) | digit;
    }
    return value;
  }

  private parseNumber(): JsonValue {
    const text = this.text;
    const start = this.pos;
    let pos = start;
    if (text.charCodeAt(pos) === Char.Minus) {
      pos++;
      const next = text.charCodeAt(pos);
      if (next === Char.UpperI) this.rejectConstantAt(pos);
      if (!(next >= Char.Zero && next <= Char.Nine)) this.fail('syntax', 'expecting a value', start);
    }
    // int = "0" / [1-9] *DIGIT; a leading zero ends the integer part (Python then reports extra data).
    if (text.charCodeAt(pos) === Char.Zero) pos++;
    else while (pos < text.length && isDigit(text.charCodeAt(pos))) pos++;
    const integerEnd = pos;
    let isFloat = false;
    if (text.charCodeAt(pos) === Char.Dot && isDigit(text.charCodeAt(pos + 1))) {
      isFloat = true;
      pos += 2;
      while (pos < text.length && isDigit(text.charCodeAt(pos))) pos++;
    }
    const e = text.charCodeAt(pos);
    if (e === Char.LowerE || e === Char.UpperE) {
      let p = pos + 1;
      const sign = text.charCodeAt(p);
      if (sign === Char.Plus || sign === Char.Minus) p++;
      if (isDigit(text.charCodeAt(p))) {
        isFloat = true;
        pos = p + 1;
        while (pos < text.length && isDigit(text.charCodeAt(pos))) pos++;
      }
    }
    this.pos = pos;
    const literal = text.slice(start, pos);
    if (isFloat) return new JsonFloat(Number(literal), literal);
    const digits = integerEnd - start - (text.charCodeAt(start) === Char.Minus ? 1 : 0);
    if (digits <= 15) {
      // "-0" stays -0 so that strict canonical JSON can reject it; non-strict encoding prints it as Python does: 0.
      return Number(literal);
    }
    if (digits > this.maxIntegerDigits) {
      this.fail(
        'integer_too_long',
        `integer with ${digits} digits exceeds the limit of ${this.maxIntegerDigits}`,
        start,
      );
    }
    const big = BigInt(literal);
    return big <= MAX_SAFE_BIG && big >= -MAX_SAFE_BIG ? Number(big) : big;
  }

  private rejectConstantAt(pos: number): never {
    this.pos = pos;
    return this.rejectConstant();
  }
}

function isDigit(code: number): boolean {
  return code >= Char.Zero && code <= Char.Nine;
}

/** Offset of the first invalid UTF-8 sequence (only called once decoding has failed). */
function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const cont = bytes[i + k];
      if (cont === undefined || (cont & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cont & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}

/** An option that is absent or a number (not NaN). */
function isNumberOption(value: unknown): value is number | undefined {
  return value === undefined || (typeof value === 'number' && !Number.isNaN(value));
}

function utf8ByteOffset(text: string, index: number): number {
  return utf8Length(text.slice(0, Math.max(0, Math.min(index, text.length))));
}

function error(
  reason: JsonErrorReason,
  message: string,
  offset: number,
  path: readonly (string | number)[] = [],
): E.Either<JsonError, never> {
  return E.left({ kind: 'JsonError', reason, message: `${message} (at byte ${offset})`, path, offset });
}

/**
 * Parses JSON text or UTF-8 bytes losslessly. Never throws.
 *
 * @example
 * parseJson('{"depth": 1.0, "big": 9007199254740993}')
 * // Right({ depth: JsonFloat(1), big: 9007199254740993n })
 *
 * @category JSON
 */
export function parseJson(
  raw: string | Uint8Array,
  rawOptions: ParseJsonOptions = {},
): E.Either<JsonError, JsonValue> {
  if (typeof raw !== 'string' && !isUint8Array(raw)) {
    return error('not_text', 'input must be a string or a Uint8Array', 0);
  }
  // Options read once, as plain numbers (a getter or Proxy that throws is the caller's mistake, said as such).
  let maxDepthOption: unknown;
  let maxBytes: unknown;
  let maxIntegerDigits: unknown;
  try {
    if (rawOptions !== undefined && rawOptions !== null) {
      maxDepthOption = rawOptions.maxDepth;
      maxBytes = rawOptions.maxBytes;
      maxIntegerDigits = rawOptions.maxIntegerDigits;
    }
  } catch (failure) {
    return error('invalid_options', `options cannot be read: ${errorText(failure)}`, 0);
  }
  const badOption = !isNumberOption(maxDepthOption)
    ? 'maxDepth'
    : !isNumberOption(maxBytes)
      ? 'maxBytes'
      : !isNumberOption(maxIntegerDigits)
        ? 'maxIntegerDigits'
        : undefined;
  if (badOption !== undefined) {
    const value =
      badOption === 'maxDepth' ? maxDepthOption : badOption === 'maxBytes' ? maxBytes : maxIntegerDigits;
    return error('invalid_options', `options.${badOption} must be a number, got ${describeValue(value)}`, 0);
  }
  const options = { maxDepth: maxDepthOption, maxBytes, maxIntegerDigits } as ParseJsonOptions;
  let text: string;
  if (typeof raw === 'string') {
    const limit = options.maxBytes;
    // Each UTF-16 code unit is 1 to 3 UTF-8 bytes: measure only when the length alone cannot decide.
    if (limit !== undefined && (raw.length > limit || (raw.length * 3 > limit && utf8Length(raw) > limit))) {
      return error('too_large', `input is larger than ${limit} bytes`, limit);
    }
    text = raw;
  } else if (isUint8Array(raw)) {
    if (options.maxBytes !== undefined && raw.length > options.maxBytes) {
      return error('too_large', `input is larger than ${options.maxBytes} bytes`, options.maxBytes);
    }
    try {
      text = utf8DecodeStrict(raw);
    } catch {
      return error('invalid_utf8', 'invalid UTF-8', firstInvalidUtf8Offset(raw));
    }
  } else {
    return error('not_text', 'input must be a string or a Uint8Array', 0);
  }
  const maxDepth = Math.min(Math.max(0, options.maxDepth ?? 256), HARD_MAX_DEPTH);
  const parser = new Parser(text, maxDepth, options.maxIntegerDigits ?? 4300);
  try {
    return E.right(parser.parseDocument());
  } catch (failure) {
    if (failure instanceof ParseFailure) {
      return error(failure.reason, failure.message, utf8ByteOffset(text, failure.index), failure.path);
    }
    // Only resource exhaustion can land here (e.g. a stack overflow despite the depth cap).
    return error(
      'too_deep',
      `input could not be parsed: ${failure instanceof Error ? failure.message : 'unknown failure'}`,
      0,
    );
  }
}
