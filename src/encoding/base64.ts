/**
 * Unpadded Base64 (spec appendix "Unpadded Base64").
 *
 * Encoders emit the RFC 4648 alphabet without `=` padding: standard for hashes, signatures and keys, URL-safe
 * (`-`, `_`) for event IDs from room version 4 and room IDs in room version 12.
 *
 * The decoder never uses Node's native base64 decoding, which silently skips invalid characters. It has three modes:
 * - `lenient` (default, the spec's "SHOULD accept input with or without padding"): either alphabet, optional
 *   correct padding, non-zero trailing bits ignored; any other character, or a length that cannot be base64, is
 *   rejected.
 * - `strict`: only the canonical form: no padding, the one alphabet asked for, zero trailing bits.
 * - `synapse`: exactly what python-unpaddedbase64 2.1.0 (`base64.b64decode(s + pad, altchars=b"-_")`, used by
 *   Synapse for hashes and signatures) accepts, including its quirks: it stops at the first complete padding and
 *   skips characters outside the alphabet when the padded length still works out.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { LibraryError } from '../errors/base.js';
import { errorText } from '../errors/describe.js';
import { text } from '../platform/text.js';
import { isUint8Array } from './bytes.js';

const STANDARD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Value of each ASCII character in the union of both alphabets, or -1. */
const DECODE_ANY = new Int8Array(128).fill(-1);
const DECODE_STANDARD = new Int8Array(128).fill(-1);
const DECODE_URL_SAFE = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) {
  DECODE_STANDARD[STANDARD.charCodeAt(i)] = i;
  DECODE_URL_SAFE[URL_SAFE.charCodeAt(i)] = i;
  DECODE_ANY[STANDARD.charCodeAt(i)] = i;
  DECODE_ANY[URL_SAFE.charCodeAt(i)] = i;
}
const PAD = 0x3d; // '='

/** Native base64 (`node:buffer`) where the runtime has it: faster than JavaScript above 48 bytes. */
const nativeBase64 = text.nativeBase64;

/**
 * Why base64 was refused: a character outside the alphabet(s), a length no encoding produces (4n+1), misplaced or
 * (strict mode) any padding, or (strict mode) non-zero trailing bits.
 */
export type Base64ErrorReason =
  | 'invalid_character'
  | 'invalid_length'
  | 'invalid_padding'
  | 'non_canonical'
  /** A caller error: the options cannot be read (a throwing getter or Proxy). */
  | 'invalid_options';

/** Why a string is not acceptable base64. */
export interface Base64Error extends LibraryError<'Base64Error', Base64ErrorReason> {
  /** Index (in UTF-16 code units) of the offending character, when one is to blame. */
  readonly index?: number;
}

/** `standard` (`+/`, what Matrix signatures and hashes use) or `url-safe` (`-_`, event IDs from room version 4). */
export type Base64Alphabet = 'standard' | 'url-safe';

/**
 * Options of {@link decodeBase64}.
 *
 * @example decodeBase64('YWJj', { mode: 'strict' }) // Right(bytes of 'abc')
 */
export interface DecodeBase64Options {
  /** `lenient` (default), `strict` or `synapse`; see the module documentation. */
  readonly mode?: 'lenient' | 'strict' | 'synapse';
  /** The only alphabet accepted in `strict` mode (default `standard`). The other modes accept both. */
  readonly alphabet?: Base64Alphabet;
}

function encodeWith(bytes: Uint8Array, alphabet: string): string {
  let out = '';
  const full = bytes.length - (bytes.length % 3);
  let i = 0;
  for (; i < full; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out +=
      alphabet.charAt(n >>> 18) +
      alphabet.charAt((n >>> 12) & 63) +
      alphabet.charAt((n >>> 6) & 63) +
      alphabet.charAt(n & 63);
  }
  const rest = bytes.length - full;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    out += alphabet.charAt(n >>> 18) + alphabet.charAt((n >>> 12) & 63);
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += alphabet.charAt(n >>> 18) + alphabet.charAt((n >>> 12) & 63) + alphabet.charAt((n >>> 6) & 63);
  }
  return out;
}

/**
 * Options of {@link encodeBase64}.
 *
 * @example encodeBase64(hash, { urlSafe: true }) // event IDs from room version 4, room IDs in room version 12
 */
export interface EncodeBase64Options {
  /** Use the URL-safe alphabet (`-`, `_`; RFC 4648 section 5) instead of the standard one (`+`, `/`). Default false. */
  readonly urlSafe?: boolean;
}

/**
 * Unpadded base64: the standard alphabet (hashes, signatures and keys), or with `urlSafe` the URL-safe one (event
 * IDs from room version 4, room IDs in room version 12). Never throws: anything but bytes encodes as `''`.
 *
 * @example encodeBase64(new TextEncoder().encode('foob')) // 'Zm9vYg'
 * @example encodeBase64(Uint8Array.of(0xfb, 0xff), { urlSafe: true }) // '-_8'
 */
export function encodeBase64(bytes: Uint8Array, options: EncodeBase64Options = {}): string {
  if (!isUint8Array(bytes)) return ''; // not bytes: nothing to encode (never throws)
  let urlSafe = false;
  try {
    urlSafe = typeof options === 'object' && options !== null && options.urlSafe === true;
  } catch {
    // options that cannot be read: the default alphabet
  }
  if (nativeBase64 !== undefined && bytes.length > 48) {
    return urlSafe ? nativeBase64(bytes, 'base64url') : nativeBase64(bytes, 'base64').replace(/=+$/, '');
  }
  return encodeWith(bytes, urlSafe ? URL_SAFE : STANDARD);
}

function fail(reason: Base64ErrorReason, message: string, index?: number): E.Either<Base64Error, never> {
  const error: Base64Error =
    index === undefined
      ? { kind: 'Base64Error', reason, message, path: [] }
      : { kind: 'Base64Error', reason, message, path: [], index };
  return E.left(error);
}

/** Decodes `count` 6-bit values (already validated) into bytes. */
function decodeValues(values: Uint8Array, count: number): Uint8Array {
  const out = new Uint8Array(Math.floor((count * 6) / 8));
  let o = 0;
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const n =
      ((values[i] as number) << 18) |
      ((values[i + 1] as number) << 12) |
      ((values[i + 2] as number) << 6) |
      (values[i + 3] as number);
    out[o++] = n >>> 16;
    out[o++] = (n >>> 8) & 255;
    out[o++] = n & 255;
  }
  const rest = count - i;
  if (rest >= 2) {
    const n =
      ((values[i] as number) << 18) |
      ((values[i + 1] as number) << 12) |
      (rest === 3 ? (values[i + 2] as number) << 6 : 0);
    out[o++] = n >>> 16;
    if (rest === 3) out[o++] = (n >>> 8) & 255;
  }
  return out;
}

function decodeLenientOrStrict(
  input: string,
  strict: boolean,
  alphabet: Base64Alphabet,
): E.Either<Base64Error, Uint8Array> {
  let end = input.length;
  if (!strict) {
    while (end > 0 && input.charCodeAt(end - 1) === PAD && input.length - end < 2) end--;
    if (end !== input.length && input.length % 4 !== 0) {
      return fail('invalid_padding', 'padded base64 must have a length that is a multiple of 4');
    }
  }
  if (end % 4 === 1) return fail('invalid_length', `${end} base64 characters cannot encode whole bytes`);
  const table = strict ? (alphabet === 'standard' ? DECODE_STANDARD : DECODE_URL_SAFE) : DECODE_ANY;
  const values = new Uint8Array(end);
  for (let i = 0; i < end; i++) {
    const code = input.charCodeAt(i);
    const value = code < 128 ? (table[code] as number) : -1;
    if (value < 0) {
      return fail(
        'invalid_character',
        `invalid base64 character ${JSON.stringify(input.charAt(i))} at index ${i}`,
        i,
      );
    }
    values[i] = value;
  }
  if (strict && end % 4 !== 0) {
    const last = values[end - 1] as number;
    const mask = end % 4 === 2 ? 0x0f : 0x03;
    if ((last & mask) !== 0)
      return fail('non_canonical', 'non-zero trailing bits: not the canonical encoding', end - 1);
  }
  return E.right(decodeValues(values, end));
}

/** python-unpaddedbase64 2.1.0 + CPython 3.11 `binascii.a2b_base64` (non-strict mode), step by step. */
function decodeSynapse(input: string): E.Either<Base64Error, Uint8Array> {
  for (let i = 0; i < input.length; i++) {
    if (input.charCodeAt(i) > 127) return fail('invalid_character', 'non-ASCII character in base64', i);
  }
  const padded = input + '='.repeat(3 - ((input.length + 3) % 4));
  const values = new Uint8Array(padded.length);
  let count = 0;
  let quadPos = 0;
  let pads = 0;
  let complete = false;
  for (let i = 0; i < padded.length; i++) {
    const code = padded.charCodeAt(i);
    if (code === PAD) {
      // CPython: `if (quad_pos >= 2 && quad_pos + ++pads >= 4)`: pads only count once two data characters are in.
      if (quadPos >= 2) {
        pads++;
        if (quadPos + pads >= 4) {
          complete = true;
          break;
        }
      }
      continue;
    }
    const value = DECODE_ANY[code] as number;
    if (value < 0) continue; // skipped, as binascii does outside strict mode
    pads = 0;
    values[count++] = value;
    quadPos = (quadPos + 1) % 4;
  }
  if (!complete && quadPos !== 0) {
    return quadPos === 1
      ? fail('invalid_length', 'number of base64 data characters cannot be 1 more than a multiple of 4')
      : fail('invalid_padding', 'incorrect base64 padding');
  }
  return E.right(decodeValues(values, count));
}

/**
 * The common case in one pass: unpadded input of the alphabet(s) `table` accepts and a length that encodes whole
 * bytes, decoded straight into the output (trailing bits ignored). Every mode decodes such input to these bytes;
 * anything else (padding, another character, a bad length) is undefined and left to the mode's own decoder, which
 * also explains the problem.
 */
function decodeClean(input: string, table: Int8Array): Uint8Array | undefined {
  const length = input.length;
  const rest = length % 4;
  if (rest === 1) return undefined;
  const out = new Uint8Array(((length - rest) / 4) * 3 + (rest === 0 ? 0 : rest - 1));
  let o = 0;
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const a = input.charCodeAt(i);
    const b = input.charCodeAt(i + 1);
    const c = input.charCodeAt(i + 2);
    const d = input.charCodeAt(i + 3);
    // Codes >= 128 read as undefined from the table, which fails the `>= 0` tests below.
    const va = table[a] as number;
    const vb = table[b] as number;
    const vc = table[c] as number;
    const vd = table[d] as number;
    if (!(va >= 0 && vb >= 0 && vc >= 0 && vd >= 0)) return undefined;
    const n = (va << 18) | (vb << 12) | (vc << 6) | vd;
    out[o++] = n >>> 16;
    out[o++] = (n >>> 8) & 255;
    out[o++] = n & 255;
  }
  if (rest >= 2) {
    const va = table[input.charCodeAt(i)] as number;
    const vb = table[input.charCodeAt(i + 1)] as number;
    const vc = rest === 3 ? (table[input.charCodeAt(i + 2)] as number) : 0;
    if (!(va >= 0 && vb >= 0 && vc >= 0)) return undefined;
    const n = (va << 18) | (vb << 12) | (vc << 6);
    out[o++] = n >>> 16;
    if (rest === 3) out[o] = (n >>> 8) & 255;
  }
  return out;
}

/** Strict mode: the last character of an unpadded encoding must leave its unused low bits zero. */
function hasCanonicalTail(input: string, table: Int8Array): boolean {
  const rest = input.length % 4;
  if (rest === 0) return true;
  const last = table[input.charCodeAt(input.length - 1)] as number;
  return (last & (rest === 2 ? 0x0f : 0x03)) === 0;
}

/**
 * Decodes base64; see the module documentation for the modes.
 *
 * @example decodeBase64('Zm9vYg') // Right(Uint8Array [102, 111, 111, 98])
 */
export function decodeBase64(
  input: string,
  options: DecodeBase64Options = {},
): E.Either<Base64Error, Uint8Array> {
  if (typeof input !== 'string') return fail('invalid_character', 'base64 input must be a string');
  let mode: DecodeBase64Options['mode'];
  let alphabet: DecodeBase64Options['alphabet'];
  try {
    mode = options?.mode;
    alphabet = options?.alphabet;
  } catch (error) {
    return fail('invalid_options', `options cannot be read: ${errorText(error)}`);
  }
  mode ??= 'lenient';
  alphabet ??= 'standard';
  const strict = mode === 'strict';
  const table = strict ? (alphabet === 'standard' ? DECODE_STANDARD : DECODE_URL_SAFE) : DECODE_ANY;
  const clean = decodeClean(input, table);
  if (clean !== undefined && (!strict || hasCanonicalTail(input, table))) return E.right(clean);
  if (mode === 'synapse') return decodeSynapse(input);
  return decodeLenientOrStrict(input, strict, alphabet);
}
