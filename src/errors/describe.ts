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
