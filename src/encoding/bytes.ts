/**
 * `value instanceof Uint8Array` without running a Proxy's `getPrototypeOf` trap: `ArrayBuffer.isView` reads an
 * internal slot (no trap), and only real views reach the `instanceof`. Internal (not re-exported).
 */
export function isUint8Array(value: unknown): value is Uint8Array {
  try {
    return ArrayBuffer.isView(value) && value instanceof Uint8Array;
  } catch {
    return false;
  }
}
