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
import { text as textHelpers, utf8DecodeStrict, utf8Length } from '../platform/text.js';
import { compareCodePoints } from './canonical.js';
import { MAX_RETAINED_HEIGHT, ReceivedText } from './canonical-text.js';
import { JsonFloat, type JsonObject, type JsonValue, type MutableJsonObject, setOwn } from './value.js';

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

/** Native UTF-8 validation to one character per byte, where the runtime has it (see the binary mode of `Parser`). */
const latin1OfUtf8 = textHelpers.latin1OfUtf8;

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

/**
 * Recently seen keys (see `parseKey`), by a hash of length, first and last character. Only keys shorter than 13
 * characters: V8 copies those on `slice`, while longer slices would keep the whole input text alive in the cache.
 */
const KEY_CACHE_SIZE = 256;
const MAX_CACHED_KEY_LENGTH = 12;
const keyCache: string[] = new Array<string>(KEY_CACHE_SIZE).fill('');

/** A byte above 0x7f, in binary mode (see `Parser`). */
const NON_ASCII = /[\u0080-\u00ff]/g;

/** Any control character: one in a string must be refused, and outside strings only whitespace has them. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f]/;

const NO_WORDS = new Uint32Array(0);

/**
 * Binary mode's one scan: false at the first control character (byte below 0x20); else true, with the runs of bytes
 * above 0x7f pushed onto `runs` as start and end indices. Four bytes are looked at together, as one 32-bit word
 * (any byte order): `w & 0x80808080` has a bit set when a byte is above 0x7f, and `(w - 0x20202020) & ~w &
 * 0x80808080` when a byte is below 0x20 (it may point at the wrong byte, never miss one: such words are then read
 * byte by byte). Measured 3 times faster than one regular expression finding both in the text.
 */
function scanBytes(bytes: Uint8Array, runs: number[]): boolean {
  const n = bytes.length;
  const misalignment = (4 - (bytes.byteOffset & 3)) & 3;
  const head = Math.min(misalignment, n);
  const wordCount = (n - head) >>> 2;
  const words =
    wordCount === 0 ? NO_WORDS : new Uint32Array(bytes.buffer, bytes.byteOffset + head, wordCount);
  const wordsEnd = head + wordCount * 4;
  let runStart = -1;
  let i = 0;
  while (i < n) {
    let stop = i + 1;
    if (i >= head && i < wordsEnd) {
      // Skip the words of plain ASCII, then read the next word (if any) byte by byte.
      let k = (i - head) >>> 2;
      for (; k < wordCount; k++) {
        const word = words[k] as number;
        if (((word | ((word - 0x20202020) & ~word)) & 0x80808080) !== 0) break;
      }
      const at = head + k * 4;
      if (at !== i && runStart >= 0) {
        runs.push(runStart, i);
        runStart = -1;
      }
      i = at;
      if (k === wordCount) continue;
      stop = at + 4;
    }
    for (; i < stop; i++) {
      const byte = bytes[i] as number;
      if (byte < 0x20) return false;
      if (byte >= 0x80) {
        if (runStart < 0) runStart = i;
      } else if (runStart >= 0) {
        runs.push(runStart, i);
        runStart = -1;
      }
    }
  }
  if (runStart >= 0) runs.push(runStart, n);
  return true;
}

/** The keys of an object being parsed and where each member starts (see `MemberSpans`). */
interface MemberList {
  readonly keys: string[];
  readonly starts: number[];
}

/** A long container received as strict canonical JSON, noted for `Parser.repeatedValue`. */
interface Repeatable {
  /** Its text. */
  readonly text: string;
  /** The value parsed from it. */
  readonly value: JsonValue;
  /** Its height (see `Parser.finish`). */
  readonly height: number;
  /** Its text holds ASCII only (in binary mode, no string decoded from other bytes). */
  readonly ascii: boolean;
}

/** Containers at least this long are noted as possibly repeated (shorter ones parse about as fast as they copy). */
const REPEAT_MIN_LENGTH = 256;

function isContainerStart(code: number): boolean {
  return code === Char.OpenBrace || code === Char.OpenBracket;
}

/** A structural copy of a parsed value: fresh objects and arrays, the same primitives. */
function copyJson(value: JsonValue): JsonValue {
  if (typeof value !== 'object' || value === null || value instanceof JsonFloat) return value;
  if (Array.isArray(value)) {
    const out: JsonValue[] = [];
    for (let i = 0; i < value.length; i++) out.push(copyJson(value[i] as JsonValue));
    return out;
  }
  const object = value as JsonObject;
  const out: MutableJsonObject = {};
  for (const key of Object.keys(object)) {
    const member = copyJson(object[key] as JsonValue);
    if (key === '__proto__') setOwn(out, key, member);
    else out[key] = member;
  }
  return out;
}

/** How a {@link Parser} runs. */
interface ParseMode {
  /** `text` cannot hold a lone surrogate (decoded UTF-8, binary mode). */
  readonly wellFormed: boolean;
  /** Keep the JSON path, for the error report. */
  readonly tracking: boolean;
  /**
   * Binary mode: `text` is these well-formed UTF-8 bytes as one character per byte. Structure and ASCII strings
   * read the same; a string holding other bytes is decoded from them.
   */
  readonly utf8: Uint8Array | undefined;
  /** Record here the objects and arrays written as strict canonical JSON (see `recordable`). */
  readonly retain: ReceivedText | undefined;
}

class Parser {
  private pos = 0;
  private depth = 0;
  /**
   * Retaining: the deepest `depth` reached inside the innermost open container (`depth` just after entering one is
   * its own depth + 1), giving each container's height when it closes.
   */
  private deepest = 0;
  /**
   * Retaining: the last index where the text stopped being strict canonical JSON (whitespace, a non-canonical
   * escape or number, keys out of order): a container is canonical when this is before its start.
   */
  private lastImpurity = -1;
  /** The JSON path of the value being parsed, kept only by the pass that explains a failure. */
  private readonly path: (string | number)[] | undefined;
  /**
   * True when no string can hold a control character or a lone surrogate because the whole text has none (one
   * native scan each, instead of a check per character): a string is then found with `indexOf`.
   */
  private readonly plainText: boolean;
  /** The index of the next backslash at or after the last string start looked at (`text.length` when none). */
  private nextBackslash = -1;
  /** Binary mode: the index of the next non-ASCII byte at or after the last string start looked at. */
  private nextNonAscii = -1;
  /**
   * Binary mode, plain text: the runs of non-ASCII bytes, as start and end indices, found by the one scan that also
   * finds no control character (`undefined`: found lazily, see `readsAsText`); `runIndex` is the first run not
   * entirely before the last string looked at.
   */
  private readonly nonAsciiRuns: number[] | undefined;
  private runIndex = 0;
  /** Binary mode: where the last string holding non-ASCII bytes (decoded from them) started. */
  private lastDecoded = -1;
  /** Retaining: the value about to be parsed is an object member (not an array element, not the document). */
  private memberOfObject = false;
  /**
   * Tracking pass: the first lone surrogate that survives in the value just parsed (`undefined`: none). Strings set
   * it, containers combine their members' (a duplicate key's replaced value drops out, as in Python), everything
   * else clears it. The fast pass gives up at the first lone surrogate instead (they are rare).
   */
  private lone: LoneSurrogate | undefined;
  /** Retaining: the height of the container that closed last (see `finish`). */
  private lastHeight = 0;
  /**
   * Retaining, fast pass: long containers received as strict canonical JSON, by the key they were the value of, so
   * that the same text under the same key later is copied instead of parsed again (see `repeatedValue`).
   */
  private readonly repeats: Map<string, Repeatable> | undefined;

  private readonly utf8: Uint8Array | undefined;
  private readonly retain: ReceivedText | undefined;

  constructor(
    private readonly text: string,
    private readonly limits: { readonly maxDepth: number; readonly maxIntegerDigits: number },
    mode: ParseMode,
  ) {
    if (mode.utf8 === undefined) {
      this.plainText = !CONTROL_CHARACTER.test(text) && (mode.wellFormed || text.isWellFormed());
    } else {
      // Binary mode (well-formed UTF-8): one scan of the bytes finds both whether any control character occurs and
      // where the non-ASCII bytes are.
      const runs: number[] = [];
      const plain = scanBytes(mode.utf8, runs);
      this.plainText = plain;
      this.nonAsciiRuns = plain ? runs : undefined;
    }
    this.path = mode.tracking ? [] : undefined;
    this.utf8 = mode.utf8;
    this.retain = mode.retain;
    this.repeats = mode.retain !== undefined && !mode.tracking ? new Map() : undefined;
  }

  /** True unless, in binary mode, the bytes from `start` to `end` include a non-ASCII one. */
  private readsAsText(start: number, end: number): boolean {
    if (this.utf8 === undefined) return true;
    const runs = this.nonAsciiRuns;
    if (runs !== undefined) {
      let i = this.runIndex;
      while (i < runs.length && (runs[i + 1] as number) <= start) i += 2;
      this.runIndex = i;
      return i >= runs.length || (runs[i] as number) >= end;
    }
    if (this.nextNonAscii < start) {
      NON_ASCII.lastIndex = start;
      this.nextNonAscii = NON_ASCII.exec(this.text)?.index ?? this.text.length;
    }
    return end <= this.nextNonAscii;
  }

  /**
   * The characters of a string from `start` to `end` (never cut inside a UTF-8 sequence; strings are read in
   * order, which `readsAsText` relies on).
   */
  private slice(start: number, end: number): string {
    if (this.readsAsText(start, end)) return this.text.slice(start, end);
    this.lastDecoded = start;
    return utf8DecodeStrict((this.utf8 as Uint8Array).subarray(start, end));
  }

  /**
   * A container is complete (`start`: its opening bracket; the parser is past its closing one). Retaining, its raw
   * text is recorded when it is strict canonical JSON and not nested too deeply.
   */
  private finish<T extends object>(
    container: T,
    start: number,
    outerDeepest: number,
    recordable: boolean,
    members?: MemberList,
  ): T {
    const retain = this.retain;
    if (retain === undefined) return container;
    const height = this.deepest - this.depth;
    this.lastHeight = height;
    if (outerDeepest > this.deepest) this.deepest = outerDeepest;
    if (recordable && this.lastImpurity < start && height <= MAX_RETAINED_HEIGHT) {
      // In binary mode, a container holding non-ASCII text keeps its bytes, decoded if an encoder asks for it.
      const utf8 = this.utf8;
      retain.record(
        container,
        utf8 === undefined || this.lastDecoded < start
          ? this.text.slice(start, this.pos)
          : utf8.subarray(start, this.pos),
      );
      if (members !== undefined && utf8 !== undefined) {
        retain.recordMembers(container, {
          bytes: utf8,
          keys: members.keys,
          starts: members.starts,
          end: this.pos - 1,
        });
      }
    }
    return container;
  }

  /**
   * Retaining: whether the container starting now gets its text recorded. The receive pipeline encodes again the
   * members of the event (depth 1 in a v1 body, 2 in a v2 body) and v2's `invite_room_state` (depth 1), never the
   * body itself nor array elements (such as `invite_room_state` entries): recording only object members at depth 1
   * and 2 keeps the bookkeeping (a `WeakMap` entry each) to what is used.
   */
  private recordable(): boolean {
    return this.retain !== undefined && this.memberOfObject && this.depth >= 1 && this.depth <= 2;
  }

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
    // The fast pass gives up: the tracking pass decides whether the lone surrogate survives into the value.
    if (this.path === undefined) this.fail('lone_surrogate', message, index);
    if (this.lone === undefined) this.lone = { index, message, path: [...this.path] };
  }

  private fail(reason: JsonErrorReason, message: string, index = this.pos): never {
    throw new ParseFailure(reason, message, index, this.path === undefined ? [] : [...this.path]);
  }

  private skipWhitespace(): void {
    const text = this.text;
    let pos = this.pos;
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c !== Char.Space && c !== Char.Newline && c !== Char.Return && c !== Char.Tab) break;
      pos++;
    }
    if (pos !== this.pos) this.lastImpurity = pos;
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
    if (++this.depth > this.limits.maxDepth)
      this.fail('too_deep', `nesting deeper than ${this.limits.maxDepth} levels`);
  }

  private parseObject(): JsonValue {
    const start = this.pos;
    const recordable = this.recordable();
    this.enter();
    const outerDeepest = this.deepest;
    this.deepest = this.depth;
    const text = this.text;
    const object: MutableJsonObject = {};
    this.pos++;
    this.skipWhitespace();
    if (text.charCodeAt(this.pos) === Char.CloseBrace) {
      this.pos++;
      this.depth--;
      return this.finish(object, start, outerDeepest, recordable);
    }
    let previousKey: string | undefined;
    // Tracking pass: the lone surrogates of this object, in keys (a key stays once present) and in each key's last
    // value.
    let keyLone: LoneSurrogate | undefined;
    let valueLone: Map<string, LoneSurrogate> | undefined;
    // Binary mode, a recordable member of the document (a v2 body's event): where each member starts, for encoders
    // that copy members from the received bytes.
    const spans: MemberList | undefined =
      recordable && this.depth === 2 && this.utf8 !== undefined ? { keys: [], starts: [] } : undefined;
    for (;;) {
      if (text.charCodeAt(this.pos) !== Char.Quote) {
        this.fail('syntax', 'expecting a property name enclosed in double quotes');
      }
      this.lone = undefined;
      const keyStart = this.pos;
      const key = this.parseKey();
      if (this.lone !== undefined) keyLone = earlier(keyLone, this.lone);
      if (this.retain !== undefined) {
        // Canonical JSON lists keys in increasing code point order, each once.
        if (previousKey !== undefined && compareCodePoints(previousKey, key) >= 0)
          this.lastImpurity = this.pos;
        previousKey = key;
        if (spans !== undefined) {
          spans.starts.push(keyStart);
          spans.keys.push(key);
        }
      }
      this.skipWhitespace();
      if (text.charCodeAt(this.pos) !== Char.Colon) this.fail('syntax', "expecting ':' delimiter");
      this.pos++;
      this.skipWhitespace();
      if (this.path !== undefined) this.path.push(key);
      this.memberOfObject = true;
      const value = this.repeats === undefined ? this.parseValue() : this.parseMemberValue(this.repeats, key);
      if (this.path !== undefined) {
        this.path.pop();
        if (this.lone !== undefined) {
          valueLone ??= new Map();
          valueLone.set(key, this.lone);
        } else {
          valueLone?.delete(key);
        }
      }
      if (key === '__proto__') setOwn(object, key, value);
      else object[key] = value;
      if (this.endOfContainer(Char.CloseBrace)) {
        let lone = keyLone;
        if (valueLone !== undefined) for (const found of valueLone.values()) lone = earlier(lone, found);
        this.lone = lone;
        return this.finish(object, start, outerDeepest, recordable, spans);
      }
    }
  }

  /** Retaining, fast pass: a member's value, copied when it repeats a long one (see `repeatedValue`). */
  private parseMemberValue(repeats: Map<string, Repeatable>, key: string): JsonValue {
    const start = this.pos;
    // Only containers are looked up and noted, once any long one was seen (a lookup per member costs more).
    const value =
      (repeats.size > 0 && isContainerStart(this.text.charCodeAt(start))
        ? this.repeatedValue(repeats, key)
        : undefined) ?? this.parseValue();
    // (A text of 256 characters or more is a string, a number too long to be canonical, or a container.)
    if (this.pos - start >= REPEAT_MIN_LENGTH && typeof value === 'object' && value !== null)
      this.noteRepeatable(repeats, key, start, value);
    return value;
  }

  /**
   * Remembers the long container just parsed from `start`, the value of `key`, when it was received as strict
   * canonical JSON (see `repeatedValue`).
   */
  private noteRepeatable(
    repeats: Map<string, Repeatable>,
    key: string,
    start: number,
    value: JsonValue,
  ): void {
    if (this.lastImpurity >= start) return;
    repeats.set(key, {
      text: this.text.slice(start, this.pos),
      value,
      height: this.lastHeight,
      ascii: this.utf8 === undefined || this.lastDecoded < start,
    });
  }

  /**
   * The value of `key` when its text is exactly that of the last long canonical container noted under the same key:
   * a copy of that value, without parsing the text again (Synapse's invite bodies carry the stripped state twice,
   * in `event.unsigned.invite_room_state` and at the top level). A container's text is the whole container (it ends
   * at its closing bracket), so the same text is the same value; being canonical, it has no whitespace, escape or
   * key order to note, and its height is known for the depth limit. Undefined: parse it.
   */
  private repeatedValue(repeats: Map<string, Repeatable>, key: string): JsonValue | undefined {
    const candidate = repeats.get(key);
    if (candidate === undefined) return undefined;
    const start = this.pos;
    // (Comparing a slice is a native comparison of the characters: several times faster than `startsWith`.)
    const length = candidate.text.length;
    if (
      this.depth + candidate.height > this.limits.maxDepth ||
      this.text.slice(start, start + length) !== candidate.text
    )
      return undefined;
    const recordable = this.recordable();
    const value = copyJson(candidate.value);
    this.pos = start + length;
    if (this.depth + candidate.height > this.deepest) this.deepest = this.depth + candidate.height;
    this.lastHeight = candidate.height;
    if (!candidate.ascii) this.lastDecoded = start;
    this.lone = undefined;
    const retain = this.retain;
    if (retain !== undefined && recordable && candidate.height <= MAX_RETAINED_HEIGHT) {
      const utf8 = this.utf8;
      retain.record(
        value as object,
        utf8 === undefined || candidate.ascii
          ? this.text.slice(start, this.pos)
          : utf8.subarray(start, this.pos),
      );
    }
    return value;
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
    const start = this.pos;
    const recordable = this.recordable();
    this.enter();
    const outerDeepest = this.deepest;
    this.deepest = this.depth;
    const text = this.text;
    const array: JsonValue[] = [];
    this.pos++;
    this.skipWhitespace();
    if (text.charCodeAt(this.pos) === Char.CloseBracket) {
      this.pos++;
      this.depth--;
      return this.finish(array, start, outerDeepest, recordable);
    }
    let lone: LoneSurrogate | undefined;
    for (let index = 0; ; index++) {
      if (this.path !== undefined) this.path.push(index);
      this.memberOfObject = false;
      array.push(this.parseValue());
      if (this.path !== undefined) this.path.pop();
      lone ??= this.lone;
      if (this.endOfContainer(Char.CloseBracket)) {
        this.lone = lone;
        return this.finish(array, start, outerDeepest, recordable);
      }
    }
  }

  /**
   * An object key. Keys repeat across objects and documents (`type`, `content`, `sender`...): a short key equal to
   * one seen before is returned as that same string, which V8 has already internalized as a property name, instead
   * of a fresh copy to internalize again for the property store.
   */
  private parseKey(): string {
    const text = this.text;
    const start = this.pos + 1;
    const pos = this.plainStringEnd(start);
    if (pos < 0) return this.parseString();
    const length = pos - start;
    this.pos = pos + 1;
    if (length === 0 || length > MAX_CACHED_KEY_LENGTH || !this.readsAsText(start, pos))
      return this.slice(start, pos);
    const slot = (length * 31 + text.charCodeAt(start) * 7 + text.charCodeAt(pos - 1)) & (KEY_CACHE_SIZE - 1);
    const cached = keyCache[slot] as string;
    if (cached.length === length && text.startsWith(cached, start)) return cached;
    const key = text.slice(start, pos);
    keyCache[slot] = key;
    return key;
  }

  /**
   * The end of the string starting at `start` (the index of its closing quote) when it has no escape and the text
   * is plain (see {@link Parser.plainText}), else -1.
   */
  private plainStringEnd(start: number): number {
    if (!this.plainText) return -1;
    const text = this.text;
    // (`indexOf` is native and measured faster than a loop even for short strings.)
    const end = text.indexOf('"', start);
    if (end < 0) return -1;
    if (this.nextBackslash < start) {
      const next = text.indexOf('\\', start);
      this.nextBackslash = next < 0 ? text.length : next;
    }
    return end < this.nextBackslash ? end : -1;
  }

  private parseString(): string {
    const text = this.text;
    const start = this.pos + 1;
    const end = this.plainStringEnd(start);
    if (end >= 0) {
      this.pos = end + 1;
      return this.slice(start, end);
    }
    let pos = start;
    // No escapes so far.
    for (;;) {
      if (pos >= text.length) this.fail('syntax', 'unterminated string', start - 1);
      const c = text.charCodeAt(pos);
      if (c === Char.Quote) {
        this.pos = pos + 1;
        return this.slice(start, pos);
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
    let out = this.slice(start, firstEscape);
    let pos = firstEscape;
    let chunkStart = pos;
    for (;;) {
      if (pos >= text.length) this.fail('syntax', 'unterminated string', start - 1);
      const c = text.charCodeAt(pos);
      if (c === Char.Quote) {
        out += this.slice(chunkStart, pos);
        this.pos = pos + 1;
        return out;
      }
      if (c === Char.Backslash) {
        out += this.slice(chunkStart, pos);
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
            this.lastImpurity = pos; // canonical JSON writes `/` as is
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
            if (!isCanonicalUnicodeEscape(text, pos, unit)) this.lastImpurity = pos;
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
    // int = "0" / [1-9] *DIGIT; a leading zero ends the integer part (Python then reports extra data). The value
    // is accumulated on the way: exact up to 15 digits, which covers timestamps and depths without a `Number()`.
    let value = 0;
    if (text.charCodeAt(pos) === Char.Zero) pos++;
    else {
      for (; pos < text.length; pos++) {
        const c = text.charCodeAt(pos);
        if (!isDigit(c)) break;
        value = value * 10 + (c - Char.Zero);
      }
    }
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
    const negative = text.charCodeAt(start) === Char.Minus;
    const digits = integerEnd - start - (negative ? 1 : 0);
    if (!isFloat && digits <= 15) {
      // "-0" stays -0 so that strict canonical JSON can reject it; non-strict encoding prints it as Python does: 0.
      if (negative && value === 0) this.lastImpurity = start;
      return negative ? -value : value;
    }
    const literal = text.slice(start, pos);
    if (isFloat) {
      this.lastImpurity = start;
      return new JsonFloat(Number(literal), literal);
    }
    if (digits > this.limits.maxIntegerDigits) {
      this.fail(
        'integer_too_long',
        `integer with ${digits} digits exceeds the limit of ${this.limits.maxIntegerDigits}`,
        start,
      );
    }
    const big = BigInt(literal);
    if (big <= MAX_SAFE_BIG && big >= -MAX_SAFE_BIG) return Number(big);
    this.lastImpurity = start; // beyond strict canonical JSON's range
    return big;
  }

  private rejectConstantAt(pos: number): never {
    this.pos = pos;
    return this.rejectConstant();
  }
}

/**
 * True when the `\uXXXX` escape at `at`, of code unit `unit`, is the form canonical JSON writes: only for a control
 * character without a short escape (`\b`, `\t`, `\n`, `\f`, `\r`), in lower-case hex.
 */
function isCanonicalUnicodeEscape(text: string, at: number, unit: number): boolean {
  if (unit >= 0x20 || unit === 0x08 || unit === 0x09 || unit === 0x0a || unit === 0x0c || unit === 0x0d)
    return false;
  const low = text.charCodeAt(at + 5); // "\u00XY": X is 0 or 1, Y may be a letter
  return !(low >= 0x41 && low <= 0x46);
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

type ParseLimits = { readonly maxDepth: number; readonly maxIntegerDigits: number };

/**
 * The fast pass: no JSON path kept. Undefined when it fails: the tracking pass over the decoded text then explains
 * the failure exactly (reason, byte offset, characters, JSON path).
 */
function quickParse(text: string, limits: ParseLimits, mode: ParseMode): JsonValue | undefined {
  try {
    return new Parser(text, limits, mode).parseDocument();
  } catch {
    return undefined;
  }
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
  return parse(raw, rawOptions, undefined);
}

/** A document parsed by {@link parseJsonRetainingCanonicalText}. */
export interface RetainedJson {
  /** The value. */
  readonly value: JsonValue;
  /** The canonical texts recorded, for the encoders (see canonical-text.ts). */
  readonly received: ReceivedText;
}

/**
 * {@link parseJson} for a pipeline that encodes again what it received (the invite receive side): the members at
 * depths 1 and 2 written as strict canonical JSON keep their raw text in `received` (see canonical-text.ts). Same
 * verdicts and values as {@link parseJson}.
 */
export function parseJsonRetainingCanonicalText(
  raw: string | Uint8Array,
  options: ParseJsonOptions = {},
): E.Either<JsonError, RetainedJson> {
  const received = new ReceivedText();
  const parsed = parse(raw, options, received);
  return E.isLeft(parsed) ? parsed : E.right({ value: parsed.right, received });
}

function parse(
  raw: string | Uint8Array,
  rawOptions: ParseJsonOptions,
  retain: ReceivedText | undefined,
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
  const limits: ParseLimits = {
    maxDepth: Math.min(Math.max(0, options.maxDepth ?? 256), HARD_MAX_DEPTH),
    maxIntegerDigits: options.maxIntegerDigits ?? 4300,
  };
  let text: string;
  if (typeof raw === 'string') {
    const limit = options.maxBytes;
    // Each UTF-16 code unit is 1 to 3 UTF-8 bytes: measure only when the length alone cannot decide.
    if (limit !== undefined && (raw.length > limit || (raw.length * 3 > limit && utf8Length(raw) > limit))) {
      return error('too_large', `input is larger than ${limit} bytes`, limit);
    }
    const value = quickParse(raw, limits, { wellFormed: false, tracking: false, utf8: undefined, retain });
    if (value !== undefined) return E.right(value);
    text = raw;
  } else if (isUint8Array(raw)) {
    if (options.maxBytes !== undefined && raw.length > options.maxBytes) {
      return error('too_large', `input is larger than ${options.maxBytes} bytes`, options.maxBytes);
    }
    // Binary mode where the runtime validates UTF-8 natively: no decoding of the whole input to UTF-16.
    const binary = latin1OfUtf8?.(raw);
    if (binary !== undefined) {
      const value = quickParse(binary, limits, { wellFormed: true, tracking: false, utf8: raw, retain });
      if (value !== undefined) return E.right(value);
    }
    try {
      text = utf8DecodeStrict(raw);
    } catch {
      return error('invalid_utf8', 'invalid UTF-8', firstInvalidUtf8Offset(raw));
    }
    if (binary === undefined) {
      const value = quickParse(text, limits, { wellFormed: true, tracking: false, utf8: undefined, retain });
      if (value !== undefined) return E.right(value);
    }
  } else {
    return error('not_text', 'input must be a string or a Uint8Array', 0);
  }
  // The fast pass failed: the tracking pass explains why, or parses a document whose lone surrogates a duplicate
  // key dropped. (Nothing is recorded: the encoders then encode every value in full.)
  const parser = new Parser(text, limits, {
    wellFormed: typeof raw !== 'string',
    tracking: true,
    utf8: undefined,
    retain: undefined,
  });
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
