/**
 * Matrix canonical JSON (spec appendix "Canonical JSON"), byte-identical to python canonicaljson
 * (`json.dumps(v, ensure_ascii=False, allow_nan=False, separators=(',', ':'), sort_keys=True)`), which is what
 * Synapse hashes and signs.
 *
 * - Keys sorted by Unicode code point. JavaScript's default sort compares UTF-16 code units and would put an
 *   astral key (U+10000 and up) before U+E000..U+FFFF.
 * - Strings: only `"`, `\` and U+0000..U+001F escaped (short forms, else lower-case `\u00xx`); everything else raw
 *   UTF-8. Lone surrogates have no UTF-8 form: an error, as Python's `UnicodeEncodeError`.
 * - Non-strict mode (room versions 1 to 5): integers of any size, floats in Python `repr` layout.
 * - Strict mode (room versions 6 and later): integers in [-(2^53)+1, 2^53-1] only, no `-0`; any float is an error.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { JsonPath, LibraryError } from '../errors/base.js';
import type { MemberSpans, ReceivedText } from './canonical-text.js';
import { pythonFloatRepr } from './python-float.js';
import { type Utf8Assembly, utf8Assembly, utf8Encode, utf8EncodeOwned } from './utf8.js';
import {
  JsonFloat,
  type JsonObject,
  type JsonValue,
  type JsonValueInput,
  type MutableJsonObject,
  setOwn,
} from './value.js';

/**
 * Why a value has no canonical JSON form: a float, an integer beyond +/-(2^53-1) or `-0` (strict mode only), `NaN` or
 * an infinity, a string with a lone surrogate, a value that is not JSON (a function, a class instance...), a cycle,
 * or nesting deeper than `maxDepth`.
 */
export type CanonicalJsonErrorReason =
  | 'float_not_allowed'
  | 'integer_out_of_range'
  | 'negative_zero'
  | 'non_finite_number'
  | 'lone_surrogate'
  | 'not_json'
  | 'cycle'
  | 'too_deep';

/**
 * Why a value has no canonical JSON form. `path` locates the offending value.
 *
 * @category JSON
 */
export type CanonicalJsonError = LibraryError<'CanonicalJsonError', CanonicalJsonErrorReason>;

/**
 * Options of {@link encodeCanonicalJson}.
 *
 * @example encodeCanonicalJson(value, { strict: true }) // room versions 6+: floats and big integers refused
 * @category JSON
 */
export interface CanonicalJsonOptions {
  /** Enforce the spec's canonical JSON number rules (room versions 6 and later). Default false. */
  readonly strict?: boolean;
  /** Maximum nesting depth before giving up (default 512); deeper values cannot come from {@link parseJson}. */
  readonly maxDepth?: number;
}

/** The default `maxDepth` of the encoder and of the strict check. */
export const DEFAULT_CANONICAL_MAX_DEPTH = 512;

/** The largest integer allowed in strict canonical JSON: 2^53 - 1. */
export const MAX_SAFE_CANONICAL_INTEGER = Number.MAX_SAFE_INTEGER;
const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE_BIG = -MAX_SAFE_BIG;

/** Compares two strings by Unicode code point (a value that is not a string compares as the empty string). */
export function compareCodePoints(a: string, b: string): number {
  if (typeof a !== 'string') return compareCodePoints('', typeof b === 'string' ? b : '');
  if (typeof b !== 'string') return compareCodePoints(a, '');
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      // Surrogates (astral code points) must sort after U+E000..U+FFFF.
      if (x >= 0xd800 && y >= 0xd800) {
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x - y;
    }
  }
  return a.length - b.length;
}

/** Up to this many keys an insertion sort beats `Array.prototype.sort` (most objects in events are that small). */
const INSERTION_SORT_MAX = 16;

/** Sorts in UTF-16 code unit order, as the default `sort()` does. */
function insertionSort(keys: string[]): void {
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string;
    let j = i - 1;
    while (j >= 0 && (keys[j] as string) > key) {
      keys[j + 1] = keys[j] as string;
      j--;
    }
    keys[j + 1] = key;
  }
}

/**
 * Sorts object keys by code point. The default (UTF-16) sort is right unless two keys differ first at code units
 * both at or above U+D800; checking adjacent pairs afterwards is cheaper than testing every key, and if every
 * adjacent pair is in code point order the whole list is.
 */
export function sortKeysByCodePoint(keys: string[]): string[] {
  if (!Array.isArray(keys)) return [];
  if (keys.length <= INSERTION_SORT_MAX) insertionSort(keys);
  else keys.sort();
  for (let i = 1; i < keys.length; i++) {
    if (compareCodePoints(keys[i - 1] as string, keys[i] as string) > 0) return keys.sort(compareCodePoints);
  }
  return keys;
}

class EncodeFailure {
  constructor(readonly error: CanonicalJsonError) {}
}

function failure(reason: CanonicalJsonErrorReason, message: string, path: JsonPath): EncodeFailure {
  return new EncodeFailure({ kind: 'CanonicalJsonError', reason, message, path: [...path] });
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (typeof value === 'object' && value !== null) {
    const name = Object.getPrototypeOf(value)?.constructor?.name;
    return typeof name === 'string' ? `an instance of ${name}` : 'an exotic object';
  }
  return typeof value;
}

/**
 * Characters that need more than wrapping in quotes: escapes, or a surrogate to check for pairing. (A character loop
 * instead of this regular expression for short strings was measured slower on Node 20, even for 8-character keys.)
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const NEEDS_CARE = /[\u0000-\u001f"\\\ud800-\udfff]/;

function encodeString(value: string, path: JsonPath): string {
  if (!NEEDS_CARE.test(value)) return `"${value}"`;
  if (!value.isWellFormed()) {
    throw failure(
      'lone_surrogate',
      'string contains a lone surrogate, which has no UTF-8 (canonical JSON) form',
      path,
    );
  }
  // JSON.stringify escapes exactly `"`, `\`, and U+0000..U+001F (lower-case hex) for well-formed strings.
  return JSON.stringify(value);
}

function encodeInteger(value: number | bigint, strict: boolean, path: JsonPath): string {
  if (typeof value === 'bigint') {
    if (strict && (value > MAX_SAFE_BIG || value < MIN_SAFE_BIG)) {
      throw failure('integer_out_of_range', `integer ${value} is outside [-(2^53)+1, 2^53-1]`, path);
    }
    return value.toString();
  }
  if (strict && Object.is(value, -0))
    throw failure('negative_zero', 'negative zero must not appear in canonical JSON', path);
  if (strict && (value > MAX_SAFE_CANONICAL_INTEGER || value < -MAX_SAFE_CANONICAL_INTEGER)) {
    throw failure('integer_out_of_range', `integer ${value} is outside [-(2^53)+1, 2^53-1]`, path);
  }
  // Python ints have no negative zero; -0 and 0 print as 0.
  return Number.isSafeInteger(value) ? String(value === 0 ? 0 : value) : BigInt(value).toString();
}

/** A float for a message: as written in the parsed text, else as Python prints it (`1.0`, not JavaScript's `1`). */
function floatText(value: number, source: string | undefined): string {
  return source ?? pythonFloatRepr(value) ?? String(value);
}

function encodeFloat(value: number, strict: boolean, path: JsonPath, source?: string): string {
  if (!Number.isFinite(value)) {
    throw failure('non_finite_number', `${value} is not a JSON number`, path);
  }
  if (strict) {
    throw failure(
      'float_not_allowed',
      `float ${floatText(value, source)} is not allowed in canonical JSON`,
      path,
    );
  }
  return pythonFloatRepr(value) as string;
}

/*
 * Two encoders with the same output. The fast one keeps no JSON path and no set of ancestors: it counts depth
 * only, so a cycle ends as nesting deeper than `maxDepth`. On anything it would report (or does not handle) it
 * throws {@link EXPLAIN}, and the tracked encoder runs again to report exactly what and where; errors are rare,
 * so the tracking is paid for only then.
 */

/** Thrown by the fast encoder: re-run the tracked encoder, which reports the error with its path. */
const EXPLAIN: unique symbol = Symbol('explain');

function encodeStringFast(value: string): string {
  if (!NEEDS_CARE.test(value)) return `"${value}"`;
  if (!value.isWellFormed()) throw EXPLAIN;
  return JSON.stringify(value);
}

function encodeFast(
  value: unknown,
  strict: boolean,
  maxDepth: number,
  depth: number,
  received: ReceivedText | undefined,
): string {
  switch (typeof value) {
    case 'string':
      return encodeStringFast(value);
    case 'number':
      if (Number.isSafeInteger(value)) {
        if (value === 0 && strict && Object.is(value, -0)) throw EXPLAIN;
        return String(value === 0 ? 0 : value);
      }
      // Floats, unsafe integers and non-finite numbers: rare enough for the tracked encoder.
      throw EXPLAIN;
    case 'bigint':
      if (strict && (value > MAX_SAFE_BIG || value < MIN_SAFE_BIG)) throw EXPLAIN;
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (depth >= maxDepth) throw EXPLAIN; // too deep, or a cycle
      const text = received?.canonicalText(value, depth, maxDepth);
      if (text !== undefined) return text;
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          if (!(i in value)) throw EXPLAIN;
          out += encodeFast(value[i], strict, maxDepth, depth + 1, received);
        }
        return `${out}]`;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        if (value instanceof JsonFloat && !strict && Number.isFinite(value.value))
          return pythonFloatRepr(value.value) as string;
        throw EXPLAIN;
      }
      const record = value as Record<string, unknown>;
      const keys = sortKeysByCodePoint(Object.keys(record));
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i] as string;
        const member = record[key];
        if (member === undefined) continue; // absent, as in JSON.stringify (callers' optional fields)
        if (out.length > 1) out += ',';
        out += `${encodeStringFast(key)}:${encodeFast(member, strict, maxDepth, depth + 1, received)}`;
      }
      return `${out}}`;
    }
    default:
      throw EXPLAIN;
  }
}

function encodeTracked(
  value: unknown,
  strict: boolean,
  maxDepth: number,
  path: (string | number)[],
  ancestors: Set<object>,
): string {
  switch (typeof value) {
    case 'string':
      return encodeString(value, path);
    case 'number':
      if (!Number.isFinite(value)) throw failure('non_finite_number', `${value} is not a JSON number`, path);
      return Number.isInteger(value) ? encodeInteger(value, strict, path) : encodeFloat(value, strict, path);
    case 'bigint':
      return encodeInteger(value, strict, path);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (value instanceof JsonFloat) return encodeFloat(value.value, strict, path, value.source);
      if (ancestors.has(value)) throw failure('cycle', 'value contains a cycle', path);
      if (path.length >= maxDepth) throw failure('too_deep', `nesting deeper than ${maxDepth}`, path);
      ancestors.add(value);
      let out: string;
      if (Array.isArray(value)) {
        out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          if (!(i in value)) throw failure('not_json', 'sparse array hole is not JSON', [...path, i]);
          path.push(i);
          out += encodeTracked(value[i], strict, maxDepth, path, ancestors);
          path.pop();
        }
        out += ']';
      } else {
        const proto = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) {
          throw failure('not_json', `${describe(value)} is not a JSON value`, path);
        }
        const record = value as Record<string, unknown>;
        const keys = sortKeysByCodePoint(Object.keys(record));
        out = '{';
        let first = true;
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i] as string;
          const member = record[key];
          // A member whose value is `undefined` is absent, as in JSON.stringify (callers' optional fields).
          if (member === undefined) continue;
          if (!first) out += ',';
          first = false;
          path.push(key);
          out += `${encodeString(key, path)}:${encodeTracked(member, strict, maxDepth, path, ancestors)}`;
          path.pop();
        }
        out += '}';
      }
      ancestors.delete(value);
      return out;
    }
    default:
      throw failure('not_json', `${describe(value)} is not a JSON value`, path);
  }
}

/**
 * Canonical JSON of `value` found at `path` (at depth `path.length`): the fast encoder, or the tracked one when the
 * fast one gives up. Throws {@link EncodeFailure} (or whatever a caller-built value throws). Texts `received` as
 * canonical JSON are copied (see canonical-text.ts).
 */
function encode(
  value: unknown,
  strict: boolean,
  maxDepth: number,
  path: readonly (string | number)[],
  received?: ReceivedText,
): string {
  try {
    return encodeFast(value, strict, maxDepth, path.length, received);
  } catch (error) {
    if (error !== EXPLAIN && !(error instanceof RangeError)) throw error;
    // A stack overflow (a cycle under a huge maxDepth) or an error to report: the tracked encoder decides.
    return encodeTracked(value, strict, maxDepth, [...path], new Set());
  }
}

/**
 * Encodes a value as Matrix canonical JSON.
 *
 * @example
 * encodeCanonicalJson({ b: '2', a: 1 }) // Right('{"a":1,"b":"2"}')
 * encodeCanonicalJson({ a: new JsonFloat(1) }, { strict: true }) // Left(float_not_allowed at $.a)
 *
 * @category JSON
 */
export function encodeCanonicalJson(
  value: JsonValueInput,
  options: CanonicalJsonOptions = {},
): E.Either<CanonicalJsonError, string> {
  try {
    // Untyped callers may pass anything as options: the function never throws.
    const { strict, maxDepth } = typeof options === 'object' && options !== null ? options : {};
    return E.right(encode(value, strict === true, maxDepth ?? DEFAULT_CANONICAL_MAX_DEPTH, []));
  } catch (error) {
    return E.left(toCanonicalJsonError(error));
  }
}

function toCanonicalJsonError(error: unknown): CanonicalJsonError {
  if (error instanceof EncodeFailure) return error.error;
  // Only resource exhaustion or a throwing getter on a caller-built object can land here.
  return {
    kind: 'CanonicalJsonError',
    reason: 'not_json',
    message: `value cannot be encoded: ${error instanceof Error ? error.message : String(error)}`,
    path: [],
  };
}

/** {@link encodeCanonicalJson}, as the UTF-8 bytes that get hashed and signed. */
export function encodeCanonicalJsonBytes(
  value: JsonValueInput,
  options: CanonicalJsonOptions = {},
): E.Either<CanonicalJsonError, Uint8Array> {
  const encoded = encodeCanonicalJson(value, options);
  return E.isLeft(encoded) ? encoded : E.right(utf8Encode(encoded.right));
}

function checkStrict(value: unknown, maxDepth: number, path: (string | number)[]): void {
  switch (typeof value) {
    case 'string':
      if (!value.isWellFormed()) throw failure('lone_surrogate', 'string contains a lone surrogate', path);
      return;
    case 'number':
      if (Number.isInteger(value)) encodeInteger(value, true, path);
      else encodeFloat(value, true, path); // throws: non-finite, or a float
      return;
    case 'bigint':
      encodeInteger(value, true, path);
      return;
    case 'boolean':
      return;
    case 'object': {
      if (value === null) return;
      if (value instanceof JsonFloat) encodeFloat(value.value, true, path, value.source); // throws
      if (path.length >= maxDepth) throw failure('too_deep', `nesting deeper than ${maxDepth}`, path);
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          path.push(i);
          checkStrict(value[i], maxDepth, path);
          path.pop();
        }
        return;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw failure('not_json', `${describe(value)} is not a JSON value`, path);
      }
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const member = record[key];
        if (member === undefined) continue; // absent, as the encoder treats it
        path.push(key);
        if (!key.isWellFormed()) throw failure('lone_surrogate', 'key contains a lone surrogate', path);
        checkStrict(member, maxDepth, path);
        path.pop();
      }
      return;
    }
    default:
      throw failure('not_json', `${describe(value)} is not a JSON value`, path);
  }
}

/**
 * Checks that a value satisfies strict canonical JSON (room versions 6+, spec appendix "Canonical JSON") without
 * building the string: no floats, no `-0`, integers within [-(2^53)+1, 2^53-1], well-formed strings and keys.
 * The error is the one {@link encodeCanonicalJson} with `strict: true` would give, with its JSON path (the first
 * violation in document order, where the encoder reports the first in key order).
 */
export function checkStrictCanonicalJson(
  value: JsonValueInput,
  options: { readonly maxDepth?: number } = {},
): E.Either<CanonicalJsonError, JsonValue> {
  try {
    const maxDepth = typeof options === 'object' && options !== null ? options.maxDepth : undefined;
    checkStrict(value, maxDepth ?? DEFAULT_CANONICAL_MAX_DEPTH, []);
    return E.right(value as JsonValue);
  } catch (error) {
    return E.left(toCanonicalJsonError(error));
  }
}

/**
 * The canonical JSON of an object without some top-level keys, kept for encoding related objects (the same members,
 * a few changed) without encoding the shared members again.
 */
export interface CanonicalMembers {
  /**
   * The object whose members are reused: the object itself when it was received as canonical JSON in bytes (its
   * members are then copied from the received bytes, see `MemberSpans`), else the object without the omitted keys.
   */
  readonly source: JsonObject;
  /** Canonical JSON (UTF-8) of the object without the omitted keys. Internal bytes (a view of a shared pool). */
  readonly bytes: Uint8Array;
  /** Member text (`"key":value`) by key; empty when the members are copied from the received bytes. */
  readonly members: ReadonlyMap<string, string>;
  /**
   * The canonical texts received with the object, when it was parsed by `parseJsonRetainingCanonicalText`: used
   * for its values here and in {@link encodeCanonicalBytesReusing}.
   */
  readonly received?: ReceivedText;
}

/** Options of {@link encodeCanonicalMembers}. */
export interface CanonicalMembersOptions extends CanonicalJsonOptions {
  /** Top-level keys left out. */
  readonly omit?: readonly string[];
  /** The canonical texts received with the object (see {@link CanonicalMembers.received}). */
  readonly received?: ReceivedText | undefined;
}

const NO_MEMBERS: ReadonlyMap<string, string> = new Map();

/**
 * Encodes an object without some top-level keys, keeping what lets the canonical JSON of a related object (same
 * members, a few changed) be assembled by {@link encodeCanonicalBytesReusing} without encoding the shared members
 * again: the received bytes of each member when the object was received as canonical JSON in bytes, else each
 * member's text. Canonical JSON of an object is `{` + its members in key order, joined by `,` + `}`, so splicing
 * gives exactly the bytes a full encoding would.
 */
export function encodeCanonicalMembers(
  object: JsonObject,
  options: CanonicalMembersOptions = {},
): E.Either<CanonicalJsonError, CanonicalMembers> {
  let received: ReceivedText | undefined;
  try {
    const omit = options?.omit ?? [];
    const strict = options?.strict === true;
    const maxDepth = options?.maxDepth ?? DEFAULT_CANONICAL_MAX_DEPTH;
    received = options?.received;
    // Received as strict canonical JSON: every member is its own canonical encoding, strict included.
    const spans = received?.memberSpans(object, maxDepth);
    if (spans !== undefined && received !== undefined) {
      const bytes = assembleFromReceived(object, object, spans, received, {
        omit,
        maxDepth,
        strict,
        owned: false,
      });
      if (bytes !== undefined) return E.right({ source: object, bytes, members: NO_MEMBERS, received });
    }
    const keys: string[] = [];
    for (const key of Object.keys(object)) if (!omit.includes(key)) keys.push(key);
    sortKeysByCodePoint(keys);
    const members = new Map<string, string>();
    const source: MutableJsonObject = {};
    const parts: string[] = [];
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const value = object[key];
      if (value === undefined) continue; // absent, as the encoder treats it
      const path = [key];
      const member = `${encodeString(key, path)}:${encode(value, strict, maxDepth, path, received)}`;
      parts.push(member);
      members.set(key, member);
      setOwn(source, key, value);
    }
    const bytes = utf8Encode(`{${parts.join(',')}}`);
    return E.right(
      received === undefined ? { source, bytes, members } : { source, bytes, members, received },
    );
  } catch (error) {
    return E.left(toCanonicalJsonError(error));
  }
}

/** Options of {@link encodeCanonicalBytesReusing}. */
export interface CanonicalBytesReusingOptions extends CanonicalJsonOptions {
  /** Text written before the object (e.g. `{"event":`). */
  readonly prefix?: string;
  /** Text written after the object (e.g. `}`). */
  readonly suffix?: string;
  /** The bytes go to a caller: an `ArrayBuffer` of their own (else an internal view of a shared pool). */
  readonly owned?: boolean;
}

/**
 * Canonical JSON (UTF-8, relaxed) of `target` between `prefix` and `suffix`, reusing what `reuse` kept for members
 * whose value is the very same (same reference, or equal primitive) as in its source: their received bytes, or their
 * member text; other members are encoded (copying what was received as canonical JSON).
 */
export function encodeCanonicalBytesReusing(
  target: JsonObject,
  reuse: CanonicalMembers,
  options: CanonicalBytesReusingOptions = {},
): E.Either<CanonicalJsonError, Uint8Array> {
  try {
    const read: CanonicalBytesReusingOptions = typeof options === 'object' && options !== null ? options : {};
    const prefix = typeof read.prefix === 'string' ? read.prefix : '';
    const suffix = typeof read.suffix === 'string' ? read.suffix : '';
    const owned = read.owned === true;
    const strict = read.strict === true;
    const maxDepth = read.maxDepth ?? DEFAULT_CANONICAL_MAX_DEPTH;
    const received = reuse.received;
    const spans = received?.memberSpans(reuse.source, maxDepth);
    if (spans !== undefined && received !== undefined) {
      const bytes = assembleFromReceived(target, reuse.source, spans, received, {
        prefix,
        suffix,
        owned,
        strict,
        maxDepth,
      });
      if (bytes !== undefined) return E.right(bytes);
    }
    const text = encodeCanonicalJsonReusing(target, reuse, { strict, maxDepth });
    if (E.isLeft(text)) return text;
    const whole = `${prefix}${text.right}${suffix}`;
    return E.right(owned ? utf8EncodeOwned(whole) : utf8Encode(whole));
  } catch (error) {
    // A caller-built target or reuse that cannot be read.
    return E.left(toCanonicalJsonError(error));
  }
}

/**
 * Writes an object's members, `,` between them: copied ranges of received bytes (adjacent members, with the comma
 * between them, in one copy) or encoded text.
 */
class MemberWriter {
  private first = true;
  private runStart = -1;
  private runEnd = -1;

  constructor(
    private readonly out: Utf8Assembly,
    private readonly bytes: Uint8Array,
  ) {}

  /** A received member, `bytes[start..end)`. */
  copy(start: number, end: number): void {
    if (this.runStart >= 0 && start === this.runEnd + 1) {
      this.runEnd = end; // the next member: the comma between them comes along
      return;
    }
    this.flush();
    this.runStart = start;
    this.runEnd = end;
  }

  /** Starts an encoded member with its text (`"key":`); its value follows through `out`. */
  encoded(text: string): void {
    this.flush();
    this.out.text(this.first ? text : `,${text}`);
    this.first = false;
  }

  /** Writes the pending copy. */
  flush(): void {
    if (this.runStart < 0) return;
    if (!this.first) this.out.text(',');
    this.first = false;
    this.out.bytes(this.bytes, this.runStart, this.runEnd);
    this.runStart = -1;
  }
}

/**
 * {@link encodeCanonicalBytesReusing} from received bytes: `target`'s members in key order, each copied from the
 * bytes `origin` was received in when its value is the very one parsed there, else encoded. Undefined when the fast
 * encoder gives up on a value (the full encoder then reports it).
 */
function assembleFromReceived(
  target: JsonObject,
  origin: JsonObject,
  spans: MemberSpans,
  received: ReceivedText,
  options: {
    readonly omit?: readonly string[];
    readonly prefix?: string;
    readonly suffix?: string;
    readonly owned: boolean;
    readonly strict: boolean;
    readonly maxDepth: number;
  },
): Uint8Array | undefined {
  const { keys: originKeys, starts, end: originEnd } = spans;
  const count = originKeys.length;
  const omit = options.omit;
  const out = utf8Assembly();
  const members = new MemberWriter(out, spans.bytes);
  out.text(options.prefix === undefined ? '{' : `${options.prefix}{`);
  if (target === origin) {
    // The received object itself (a content hash input): its members as received, less the omitted ones.
    for (let j = 0; j < count; j++) {
      if (omit === undefined || !omit.includes(originKeys[j] as string))
        members.copy(starts[j] as number, j + 1 < count ? (starts[j + 1] as number) - 1 : originEnd);
    }
  } else {
    const keys = sortKeysByCodePoint(Object.keys(target));
    let j = 0;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const value = target[key];
      if (value === undefined || omit?.includes(key) === true) continue;
      while (j < count && originKeys[j] !== key && compareCodePoints(originKeys[j] as string, key) < 0) j++;
      if (j < count && originKeys[j] === key && sameJsonValue(origin[key], value)) {
        members.copy(starts[j] as number, j + 1 < count ? (starts[j + 1] as number) - 1 : originEnd);
        j++;
        continue;
      }
      let name: string;
      try {
        name = `${encodeStringFast(key)}:`;
      } catch {
        return undefined;
      }
      members.encoded(name);
      const form =
        typeof value === 'object' && value !== null
          ? received.receivedForm(value, 1, options.maxDepth)
          : undefined;
      if (form === undefined) {
        try {
          out.text(encodeFast(value, options.strict, options.maxDepth, 1, received));
        } catch (error) {
          if (error === EXPLAIN || error instanceof RangeError) return undefined;
          throw error;
        }
      } else if (typeof form === 'string') out.text(form);
      else out.bytes(form, 0, form.length);
    }
  }
  members.flush();
  out.text(options.suffix === undefined ? '}' : `}${options.suffix}`);
  return out.finish(options.owned);
}

/**
 * Canonical JSON of `target`, reusing the member texts of `reuse` for members whose value is the very same (same
 * reference, or equal primitive) as in the encoded object; other members are encoded (copying what `reuse` says
 * was received as canonical JSON).
 */
function encodeCanonicalJsonReusing(
  target: JsonObject,
  reuse: CanonicalMembers,
  options: CanonicalJsonOptions = {},
): E.Either<CanonicalJsonError, string> {
  try {
    const strict = options?.strict === true;
    const maxDepth = options?.maxDepth ?? DEFAULT_CANONICAL_MAX_DEPTH;
    const keys = sortKeysByCodePoint(Object.keys(target));
    const parts: string[] = [];
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const value = target[key];
      if (value === undefined) continue; // absent, as the encoder treats it
      const known = reuse.members.get(key);
      if (
        known !== undefined &&
        Object.hasOwn(reuse.source, key) &&
        sameJsonValue(reuse.source[key], value)
      ) {
        parts.push(known);
        continue;
      }
      const path = [key];
      parts.push(`${encodeString(key, path)}:${encode(value, strict, maxDepth, path, reuse.received)}`);
    }
    return E.right(`{${parts.join(',')}}`);
  } catch (error) {
    return E.left(toCanonicalJsonError(error));
  }
}

/** Identity for objects, and `Object.is` for primitives (so that `-0` and `0` are told apart). */
function sameJsonValue(a: JsonValue | undefined, b: JsonValue): boolean {
  return typeof a === 'object' || typeof b === 'object' ? a === b : Object.is(a, b);
}
