/**
 * The checks libsodium 1.0.18's `crypto_sign_verify_detached` makes before its curve equation, written from
 * libsodium's documented behaviour, so that every backend (including Web Crypto, whose implementations differ on
 * these inputs) gives libsodium's verdict: `S` canonical (`S < L`), `R` not one of the small-order encodings, `A`
 * a canonical field encoding (`y < p`) not of small order, and `A` decoding to a curve point. Synapse verifies
 * through PyNaCl, i.e. this function.
 */
import * as ed from '@noble/ed25519';
import { isUint8Array } from '../encoding/bytes.js';

function hex(text: string): Uint8Array {
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * Encodings (y coordinate, little endian, sign bit ignored) of the points of order 1, 2, 4 and 8, including the
 * non-canonical encodings `p` (y = 0) and `p + 1` (y = 1). libsodium rejects `A` and `R` matching any of these
 * (`ge25519_has_small_order`), whatever the sign bit.
 */
export const SMALL_ORDER_ENCODINGS: readonly Uint8Array[] = [
  hex('0000000000000000000000000000000000000000000000000000000000000000'), // y = 0 (order 4)
  hex('0100000000000000000000000000000000000000000000000000000000000000'), // y = 1 (identity)
  hex('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05'), // order 8
  hex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a'), // order 8
  hex('ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'), // y = p - 1 (order 2)
  hex('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'), // y = p, non-canonical 0 (order 4)
  hex('eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'), // y = p + 1, non-canonical 1
];

/** The group order L = 2^252 + 27742317777372353535851937790883648493, little endian. */
const L_BYTES = hex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010');
/** The field prime p = 2^255 - 19, little endian. */
const P_BYTES = hex('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');

/** `a < b` for 32-byte little-endian numbers read from `a[offset..]`; `ignoreTopBit` masks bit 255 of `a`. */
function lessThan(a: Uint8Array, offset: number, b: Uint8Array, ignoreTopBit: boolean): boolean {
  for (let i = 31; i >= 0; i--) {
    let x = a[offset + i] as number;
    if (i === 31 && ignoreTopBit) x &= 0x7f;
    const y = b[i] as number;
    if (x !== y) return x < y;
  }
  return false;
}

/** True when the 32 bytes at `bytes[offset..]` are a small-order encoding (sign bit ignored). */
function hasSmallOrder(bytes: Uint8Array, offset: number): boolean {
  for (const candidate of SMALL_ORDER_ENCODINGS) {
    let diff = ((bytes[offset + 31] as number) & 0x7f) ^ (candidate[31] as number);
    for (let i = 0; i < 31 && diff === 0; i++)
      diff |= (bytes[offset + i] as number) ^ (candidate[i] as number);
    if (diff === 0) return true;
  }
  return false;
}

/**
 * libsodium 1.0.18's checks that come before the curve equation in `crypto_sign_verify_detached`: canonical `S`,
 * `R` not of small order, `A` a canonical encoding not of small order. (That `A` decodes to a point is checked
 * by the backends.) Inputs must already have the right lengths.
 */
export function passesLibsodiumPrechecks(publicKey: Uint8Array, signature: Uint8Array): boolean {
  if (
    !isUint8Array(publicKey) ||
    publicKey.length !== 32 ||
    !isUint8Array(signature) ||
    signature.length !== 64
  )
    return false;
  if (!lessThan(signature, 32, L_BYTES, false)) return false; // S >= L
  if (hasSmallOrder(signature, 0)) return false; // small-order R
  if (!lessThan(publicKey, 0, P_BYTES, true)) return false; // non-canonical A (y >= p)
  if (hasSmallOrder(publicKey, 0)) return false; // small-order A
  return true;
}

/** The curve point of a canonical 32-byte encoding (`y < p` checked by the caller), or undefined when `y` has no `x`. */
export function decodePoint(publicKey: Uint8Array): ed.Point | undefined {
  try {
    return ed.Point.fromBytes(publicKey, false);
  } catch {
    return undefined;
  }
}

/** True when a canonical 32-byte encoding decodes to a curve point (libsodium's `ge25519_frombytes`). */
export function decodesToCurvePoint(publicKey: Uint8Array): boolean {
  return decodePoint(publicKey) !== undefined;
}

/** Constant-time comparison of `a` with `b[bOffset..bOffset + a.length]`. */
export function bytesEqual(a: Uint8Array, b: Uint8Array, bOffset = 0): boolean {
  if (a.length + bOffset > b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[bOffset + i] as number);
  return diff === 0;
}
