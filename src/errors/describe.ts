/**
 * Renders any value for an error message without throwing: `String(value)` throws on objects that have no
 * primitive conversion (`Object.create(null)`, `{ toString: null }`), which hostile or buggy callers can pass.
 * Internal (not re-exported).
 */
export function describeUnknown(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
  }
}

/**
 * Names the kind of a value for a caller-error message, without calling any of its methods or getters: `null`,
 * `undefined`, `a number (NaN)`, `a string ("x")`, `an array`, `a Promise`, `an ArrayBuffer`, `an object`. Never
 * throws (a Proxy or an object with a throwing `constructor` getter is `an object`).
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
    case 'number':
    case 'bigint':
    case 'boolean':
      return `a ${typeof value} (${String(value)}${typeof value === 'bigint' ? 'n' : ''})`;
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    default:
      break;
  }
  try {
    if (Array.isArray(value)) return 'an array';
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === null || proto === Object.prototype) return 'an object';
    const name: unknown = (proto as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === 'string' && name !== '') return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}`;
  } catch {
    // A Proxy or a hostile prototype: fall through.
  }
  return 'an object';
}

/** The message of a caught exception, for an error message; never throws. */
export function errorText(error: unknown): string {
  try {
    return error instanceof Error ? error.message : describeUnknown(error);
  } catch {
    return 'an unreadable exception';
  }
}
