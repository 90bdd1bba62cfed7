/**
 * Shared pieces of the identifier parsers (spec appendix "Identifier Grammar"): the error type,
 * the 255-byte limit and linear-time character scanners. No parser in this folder uses a regular expression, so
 * none can backtrack.
 */
import type { LibraryError } from '../errors/base.js';
import { portableUtf8ByteLength } from '../platform/text.js';

/** Which kind of identifier an error is about. */
export type IdentifierKind = 'server_name' | 'user_id' | 'room_id' | 'event_id' | 'key_id';

/**
 * Why an identifier was rejected.
 * - `not_a_string`, `empty`, `too_long` (more than 255 UTF-8 bytes), `missing_sigil` (no leading `@`, `!`, `$`),
 *   `missing_server_name` (no `:` where the grammar needs one).
 * - `invalid_localpart`: a character outside the allowed set (strict user IDs: `[a-z0-9._=/+-]`).
 * - `nul_character`, `lone_surrogate`: not allowed even in historical (lenient) localparts.
 * - Server names: `invalid_server_name` (wraps the server-name error as `cause` inside IDs), `invalid_ipv4`,
 *   `invalid_ipv6`, `invalid_dns_name`, `invalid_port`.
 * - Hash-based IDs (event IDs from room version 3, room IDs in 12): `invalid_hash` (not `$`/`!` + 43 characters of
 *   the version's base64 alphabet with zero trailing bits), `unexpected_server_name` (a `:server` part where the
 *   room version has none).
 * - Key IDs: `missing_key_version` (no `:`), `invalid_algorithm` (empty), `unknown_algorithm` (well formed but not
 *   `ed25519`; callers usually skip these rather than fail), `invalid_key_version` (not `[a-zA-Z0-9_]+`).
 */
export type IdentifierErrorReason =
  | 'not_a_string'
  | 'empty'
  | 'too_long'
  | 'missing_sigil'
  | 'missing_server_name'
  | 'invalid_localpart'
  | 'nul_character'
  | 'lone_surrogate'
  | 'invalid_server_name'
  | 'invalid_ipv4'
  | 'invalid_ipv6'
  | 'invalid_dns_name'
  | 'invalid_port'
  | 'invalid_hash'
  | 'unexpected_server_name'
  | 'missing_key_version'
  | 'invalid_algorithm'
  | 'unknown_algorithm'
  | 'invalid_key_version';

/** An identifier that does not match its grammar. */
export interface IdentifierError extends LibraryError<'IdentifierError', IdentifierErrorReason> {
  /** What was being parsed. */
  readonly identifier: IdentifierKind;
  /** Index (UTF-16 code units) of the offending character in the parsed string, when one is to blame. */
  readonly index?: number;
  /** The underlying error, e.g. the server-name error inside a user ID. */
  readonly cause?: IdentifierError;
}

/** Builds an {@link IdentifierError}. */
export function identifierError(
  identifier: IdentifierKind,
  reason: IdentifierErrorReason,
  message: string,
  extra: { readonly index?: number; readonly cause?: IdentifierError } = {},
): IdentifierError {
  return { kind: 'IdentifierError', reason, message, path: [], identifier, ...extra };
}

/** "MUST NOT exceed 255 bytes" (user, room and event IDs, room aliases; https://spec.matrix.org/v1.19/appendices/#identifier-grammar). */
export const MAX_IDENTIFIER_BYTES = 255;

/**
 * UTF-8 length of a string in bytes, without allocating. A lone surrogate counts 3 bytes (what `TextEncoder`
 * writes for it, U+FFFD).
 *
 * @example utf8ByteLength('🐈'.repeat(64)) // 256
 */
export function utf8ByteLength(text: string): number {
  return portableUtf8ByteLength(text);
}

/** Index of the first lone (unpaired) surrogate in `text[from, to)`, or -1 (also for a value that is not a string). */
export function findLoneSurrogate(
  text: string,
  from = 0,
  to = typeof text === 'string' ? text.length : 0,
): number {
  if (typeof text !== 'string' || typeof from !== 'number' || typeof to !== 'number') return -1;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff && i + 1 < to) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
    }
    return i;
  }
  return -1;
}

/** `0-9`. */
export const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
/** `A-Z` / `a-z`. */
export const isAlpha = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
/** `0-9` / `A-F` / `a-f`. */
export const isHexDigit = (c: number): boolean =>
  isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

/** Renders a possibly huge or odd input for an error message (truncated, JSON-quoted). */
export function quote(text: string): string {
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text);
}

/** The base64 alphabets of reference hashes (https://spec.matrix.org/v1.19/appendices/#unpadded-base64). */
export type HashAlphabet = 'standard' | 'url-safe';

function base64Value(c: number, alphabet: HashAlphabet): number {
  if (c >= 0x41 && c <= 0x5a) return c - 0x41;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61 + 26;
  if (isDigit(c)) return c - 0x30 + 52;
  if (alphabet === 'standard') {
    if (c === 0x2b) return 62; // +
    if (c === 0x2f) return 63; // /
  } else {
    if (c === 0x2d) return 62; // -
    if (c === 0x5f) return 63; // _
  }
  return -1;
}

/** Length of an unpadded base64 SHA-256 hash. */
export const SHA256_BASE64_LENGTH = 43;

/**
 * Checks that `text[from..]` is exactly an unpadded base64 SHA-256 (43 characters of `alphabet`, the last one
 * with zero trailing bits, so that it is the canonical encoding of 32 bytes). Returns the index of the first bad
 * character, `text.length` when the length is wrong, or -1 when valid.
 */
export function findBadHashCharacter(text: string, from: number, alphabet: HashAlphabet): number {
  if (text.length - from !== SHA256_BASE64_LENGTH) return text.length;
  for (let i = from; i < text.length; i++) {
    const value = base64Value(text.charCodeAt(i), alphabet);
    if (value < 0) return i;
    // 43 characters carry 258 bits; the 2 lowest bits of the last one must be zero.
    if (i === text.length - 1 && (value & 3) !== 0) return i;
  }
  return -1;
}
