/**
 * The JSON value model shared by the whole library.
 *
 * `JSON.parse` loses information that Matrix hashes and signatures depend on (`1.0` vs `1`, integers above 2^53),
 * so parsed values use a slightly richer model than plain JavaScript values:
 * - integers that fit in a double exactly (|n| <= 2^53 - 1) are `number`s;
 * - integers outside that range are `bigint`s (exact, as Python keeps them);
 * - numbers written with a fraction or an exponent (`1.0`, `1e2`) are {@link JsonFloat}s, because Python (and so
 *   Synapse) keeps them as floats and renders them differently from integers.
 *
 * A plain JavaScript `number` that is not an integer (e.g. `1.5` written by a caller) is treated as a float too.
 */

/**
 * A JSON number that was written with a fraction or an exponent (a Python `float`).
 *
 * @category JSON
 */
export class JsonFloat {
  /** The number as a JavaScript double (what Python's `float` holds too). */
  readonly value: number;
  /**
   * The number as written in the parsed text (`1.0`, `1e5`), for messages; `undefined` when the float was built
   * in code. Not enumerable: two floats of the same value are equal whatever their spelling, and nothing hashed or
   * signed depends on it (canonical JSON prints Python's `repr`).
   */
  declare readonly source: string | undefined;
  constructor(value: number, source?: string) {
    this.value = value;
    Object.defineProperty(this, 'source', { value: source, enumerable: false });
    Object.freeze(this);
  }
}

/**
 * Any JSON value. Objects and arrays are read-only: the library never mutates its inputs.
 *
 * @category JSON
 */
export type JsonValue = null | boolean | number | bigint | string | JsonFloat | JsonArray | JsonObject;

/**
 * A JSON array.
 *
 * @category JSON
 */
export type JsonArray = readonly JsonValue[];

/**
 * A JSON object. Keys such as `__proto__` are ordinary own keys.
 *
 * @category JSON
 */
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

/**
 * Any JSON value a caller hands in: like {@link JsonValue}, but objects and arrays may be mutable or read-only and
 * object members may be `undefined` (treated as absent, as `JSON.stringify` does), so that plain object literals,
 * your own `type` aliases and `interface MyEvent extends JsonObjectInput { ... }` are accepted without casts.
 *
 * @category JSON
 */
export type JsonValueInput =
  | null
  | boolean
  | number
  | bigint
  | string
  | JsonFloat
  | readonly JsonValueInput[]
  | JsonObjectInput;

/**
 * A JSON object a caller hands in (see {@link JsonValueInput}): every function of this library accepts it for input.
 *
 * @category JSON
 */
export interface JsonObjectInput {
  readonly [key: string]: JsonValueInput | undefined;
}

/** A mutable JSON object, used while building new values. */
export interface MutableJsonObject {
  [key: string]: JsonValue;
}

/** True for JSON objects (not arrays, not null, not {@link JsonFloat}). Never throws (a hostile Proxy is not one). */
export function isJsonObject(value: unknown): value is JsonObject {
  if (typeof value !== 'object' || value === null) return false;
  try {
    if (Array.isArray(value)) return false;
    const proto = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
  } catch {
    return false;
  }
}

/** True for JSON arrays. Never throws (a revoked Proxy is not one). */
export function isJsonArray(value: unknown): value is JsonArray {
  try {
    return Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * Reads an own property only: never `Object.prototype` members such as `constructor` or `__proto__`. `undefined` for
 * a missing key, and for anything unreadable (not an object, a throwing getter or Proxy): it never throws.
 */
export function getOwn(object: JsonObject, key: string): JsonValue | undefined {
  try {
    return Object.hasOwn(object, key) ? object[key] : undefined;
  } catch {
    return undefined;
  }
}

/** True when the object has `key` as an own property (false for anything unreadable; never throws). */
export function hasOwn(object: JsonObject, key: string): boolean {
  try {
    return Object.hasOwn(object, key);
  } catch {
    return false;
  }
}

/**
 * Sets `key` on `target` as an own, enumerable data property, even when `key` is `__proto__`
 * (plain assignment would change the prototype instead). Does nothing, never throws, when `target` cannot take it
 * (not an object, frozen, a hostile Proxy).
 */
export function setOwn(target: MutableJsonObject, key: string, value: JsonValue): void {
  try {
    if (key === '__proto__') {
      Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
    } else {
      target[key] = value;
    }
  } catch {
    // Not writable: the caller handed something that is not a mutable object.
  }
}

/** Copies the own enumerable members of `object` but `skip` into `out`; unreadable members are left out. */
function copyMembers(object: JsonObject, out: MutableJsonObject, skip: readonly string[]): void {
  let keys: string[];
  try {
    keys = typeof object === 'object' && object !== null ? Object.keys(object) : [];
  } catch {
    return;
  }
  for (const key of keys) {
    if (skip.includes(key)) continue;
    let value: JsonValue | undefined;
    try {
      value = object[key];
    } catch {
      // A throwing getter: copied as `undefined`, which no encoder accepts, so the copy cannot pass for the object.
      value = undefined;
    }
    setOwn(out, key, value as JsonValue);
  }
}

/**
 * A shallow copy of an object with the listed top-level keys removed (keys like `__proto__` survive). Never throws:
 * a member whose getter throws is copied as `undefined` (not JSON, so encoding the copy fails rather than silently
 * covering less), and an object whose keys cannot be listed gives an empty copy.
 */
export function omitKeys(object: JsonObject, keys: readonly string[]): JsonObject {
  const out: MutableJsonObject = {};
  copyMembers(object, out, isJsonArray(keys) ? keys : []);
  return out;
}

/** A shallow copy of an object with `key` set to `value` (other keys kept, `__proto__` safe); never throws. */
export function withKey(object: JsonObject, key: string, value: JsonValue): JsonObject {
  const out: MutableJsonObject = {};
  copyMembers(object, out, []);
  setOwn(out, key, value);
  return out;
}
