/**
 * Python's `repr(float)`: what python canonicaljson (and so Synapse, in room versions 1 to 5) writes for a float.
 *
 * Both Python and JavaScript print the shortest digit string that round-trips; they differ in layout. Python
 * uses positional notation when the decimal exponent is in [-4, 16) and always shows a fraction (`1.0`),
 * otherwise scientific notation with a signed, at least two-digit exponent (`1e+16`, `1e-07`).
 * CPython `float_repr_style = 'short'`, `format_float_short(x, 'r', 0, Py_DTSF_ADD_DOT_0)`.
 *
 * @returns undefined for NaN and infinities, which have no JSON form (`allow_nan=False`).
 */
export function pythonFloatRepr(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const sign = value < 0 ? '-' : '';
  // toExponential() without an argument gives the shortest round-trip digits, e.g. "1.2345e+2".
  const exponential = Math.abs(value).toExponential();
  const eIndex = exponential.indexOf('e');
  const mantissa = exponential.slice(0, eIndex);
  const exponent = Number(exponential.slice(eIndex + 1));
  const digits = mantissa.replace('.', '');
  const decimalPoint = exponent + 1; // position of the decimal point relative to the digit string
  if (decimalPoint > -4 && decimalPoint <= 16) {
    if (decimalPoint <= 0) return `${sign}0.${'0'.repeat(-decimalPoint)}${digits}`;
    if (decimalPoint >= digits.length) return `${sign}${digits}${'0'.repeat(decimalPoint - digits.length)}.0`;
    return `${sign}${digits.slice(0, decimalPoint)}.${digits.slice(decimalPoint)}`;
  }
  const fraction = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const absExponent = Math.abs(exponent);
  return `${sign}${fraction}e${exponent < 0 ? '-' : '+'}${absExponent < 10 ? '0' : ''}${absExponent}`;
}
