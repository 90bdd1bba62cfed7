/**
 * Server names (spec appendix [Server Name](https://spec.matrix.org/v1.19/appendices/#server-name)):
 *
 * ```
 * server_name = hostname [ ":" port ]
 * port        = 1*5DIGIT
 * hostname    = IPv4address / "[" IPv6address "]" / dns-name
 * IPv4address = 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT
 * IPv6address = 2*45IPv6char
 * IPv6char    = DIGIT / %x41-46 / %x61-66 / ":" / "."
 * dns-name    = 1*255dns-char
 * dns-char    = DIGIT / ALPHA / "-" / "."
 * ```
 *
 * Parsed with character-code loops (linear time). Server names are case-sensitive and compared exactly:
 * `x.org`, `x.org:443` and `X.org` are three different servers (Synapse compares them as strings), so nothing is
 * normalised here.
 */
import * as E from 'fp-ts/lib/Either.js';
import { type IdentifierError, identifierError, isAlpha, isDigit, isHexDigit, quote } from './common.js';

/** Which `hostname` alternative a server name uses. */
export type HostKind = 'ipv4' | 'ipv6' | 'dns';

/** A parsed server name. */
export interface ServerName {
  /** The whole server name, as given. */
  readonly serverName: string;
  /** The hostname as written; for IPv6 literals including the brackets (`[1234:5678::abcd]`), as Synapse keeps it. */
  readonly host: string;
  /** The port, when one is given. The grammar allows up to 5 digits and does not bound it to 65535. */
  readonly port?: number;
  /** Which form the hostname takes: IPv4 literal, bracketed IPv6 literal, or DNS name. */
  readonly kind: HostKind;
}

/** Longest `dns-name` (`1*255dns-char`). */
const MAX_DNS_NAME = 255;
/** `IPv6address = 2*45IPv6char`. */
const MAX_IPV6 = 45;

const fail = (reason: IdentifierError['reason'], message: string, index?: number) =>
  E.left(identifierError('server_name', reason, message, index === undefined ? {} : { index }));

/**
 * Checks `text[from, to)` for the shape `1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT`. Returns `shape: false`
 * when it is not that shape at all, and `valid: false` when it is but an octet exceeds 255 (or, unless
 * `leadingZeros`, is written with a leading zero).
 */
function checkIpv4(
  text: string,
  from: number,
  to: number,
  leadingZeros: boolean,
): { shape: boolean; valid: boolean } {
  let groups = 0;
  let digits = 0;
  let value = 0;
  let valid = true;
  for (let i = from; i <= to; i++) {
    const c = i === to ? 0x2e : text.charCodeAt(i);
    if (isDigit(c)) {
      if (++digits > 3) return { shape: false, valid: false };
      value = value * 10 + (c - 0x30);
    } else if (c === 0x2e) {
      if (digits === 0) return { shape: false, valid: false };
      if (value > 255) valid = false;
      if (!leadingZeros && digits > 1 && text.charCodeAt(i - digits) === 0x30) valid = false;
      groups++;
      digits = 0;
      value = 0;
    } else {
      return { shape: false, valid: false };
    }
  }
  return groups === 4 ? { shape: true, valid } : { shape: false, valid: false };
}

/**
 * True when `text[from, to)` is an IPv6 address in one of the RFC 3513 §2.2 text forms: eight 1-4 digit hex
 * groups; `::` (at most once) standing for one or more zero groups; optionally the last 32 bits as a dotted IPv4
 * address (decimal octets without leading zeros, as RFC 3986 `dec-octet`, Rust's and Python's parsers and the URL
 * standard have it). No zone index (`%`) and at most 45 characters (`IPv6address = 2*45IPv6char`).
 */
export function isIpv6Address(
  text: string,
  from = 0,
  to = typeof text === 'string' ? text.length : 0,
): boolean {
  if (typeof text !== 'string' || typeof from !== 'number' || typeof to !== 'number') return false;
  const length = to - from;
  if (length < 2 || length > MAX_IPV6) return false;
  let groups = 0; // 16-bit groups written
  let compressed = false; // "::" seen
  let i = from;
  if (text.charCodeAt(i) === 0x3a) {
    // A leading ":" is only allowed as part of "::".
    if (text.charCodeAt(i + 1) !== 0x3a) return false;
    compressed = true;
    i += 2;
    if (i === to) return true; // "::"
  }
  while (i < to) {
    // One group: hex digits, or (last) a dotted IPv4 address.
    const start = i;
    while (i < to && isHexDigit(text.charCodeAt(i))) i++;
    if (i < to && text.charCodeAt(i) === 0x2e) {
      // Embedded IPv4: must run to the end and fill the last two groups.
      const ipv4 = checkIpv4(text, start, to, false);
      if (!ipv4.shape || !ipv4.valid) return false;
      groups += 2;
      i = to;
      break;
    }
    const digits = i - start;
    if (digits === 0 || digits > 4) return false;
    groups++;
    if (i === to) break;
    if (text.charCodeAt(i) !== 0x3a) return false;
    i++;
    if (i === to) return false; // trailing single ":"
    if (text.charCodeAt(i) === 0x3a) {
      if (compressed) return false; // "::" twice (or ":::")
      compressed = true;
      i++;
      if (i === to) break; // trailing "::"
      if (text.charCodeAt(i) === 0x3a) return false;
    }
  }
  return compressed ? groups <= 7 : groups === 8;
}

/** True when `text[from, to)` matches `1*255dns-char` (no further structure is required by the grammar). */
function findBadDnsChar(text: string, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (!(isAlpha(c) || isDigit(c) || c === 0x2d || c === 0x2e)) return i;
  }
  return -1;
}

/**
 * Parses a server name per the spec grammar (see the module documentation).
 *
 * Choices: the hostname is kept as written (case-sensitive, IPv6 with brackets); a dotted-quad of 1-3 digit
 * groups is an IPv4 address and each octet must be <= 255 (`1.2.3.999` is rejected, although it would also match
 * the looser `dns-name` rule); other `dns-name`s only need the allowed characters and 1-255 of them (the grammar
 * does not forbid empty labels); ports are 1-5 digits, any value.
 *
 * @example parseServerName('matrix.org:8888') // Right({ serverName: 'matrix.org:8888', host: 'matrix.org', port: 8888, kind: 'dns' })
 * @example parseServerName('[1234:5678::abcd]') // Right({ ..., host: '[1234:5678::abcd]', kind: 'ipv6' })
 * @example parseServerName('matrix.org:') // Left({ reason: 'invalid_port' })
 */
export function parseServerName(input: unknown): E.Either<IdentifierError, ServerName> {
  if (typeof input !== 'string') return fail('not_a_string', 'a server name must be a string');
  if (input.length === 0) return fail('empty', 'a server name must not be empty');

  let hostEnd: number;
  let kind: HostKind;
  if (input.charCodeAt(0) === 0x5b) {
    // "[" IPv6address "]"
    const close = input.indexOf(']');
    if (close < 0) return fail('invalid_ipv6', `unterminated IPv6 literal in ${quote(input)}`, 0);
    if (!isIpv6Address(input, 1, close)) {
      return fail('invalid_ipv6', `invalid IPv6 address in ${quote(input)} (RFC 3513 §2.2)`, 1);
    }
    hostEnd = close + 1;
    kind = 'ipv6';
  } else {
    const colon = input.indexOf(':');
    hostEnd = colon < 0 ? input.length : colon;
    if (hostEnd === 0) return fail('invalid_dns_name', `missing hostname in ${quote(input)}`, 0);
    const ipv4 = checkIpv4(input, 0, hostEnd, true);
    if (ipv4.shape) {
      if (!ipv4.valid) return fail('invalid_ipv4', `IPv4 octets must be 0-255 in ${quote(input)}`, 0);
      kind = 'ipv4';
    } else {
      const bad = findBadDnsChar(input, 0, hostEnd);
      if (bad >= 0) {
        return fail('invalid_dns_name', `invalid character in the hostname of ${quote(input)}`, bad);
      }
      if (hostEnd > MAX_DNS_NAME) {
        return fail('invalid_dns_name', `a DNS name is at most ${MAX_DNS_NAME} characters`, MAX_DNS_NAME);
      }
      kind = 'dns';
    }
  }

  const host = input.slice(0, hostEnd);
  if (hostEnd === input.length) return E.right({ serverName: input, host, kind });
  if (input.charCodeAt(hostEnd) !== 0x3a) {
    return fail('invalid_server_name', `unexpected character after the hostname in ${quote(input)}`, hostEnd);
  }
  // port = 1*5DIGIT
  const digits = input.length - hostEnd - 1;
  if (digits < 1 || digits > 5) {
    return fail('invalid_port', `the port must be 1-5 digits in ${quote(input)}`, hostEnd + 1);
  }
  let port = 0;
  for (let i = hostEnd + 1; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (!isDigit(c)) return fail('invalid_port', `the port must be 1-5 digits in ${quote(input)}`, i);
    port = port * 10 + (c - 0x30);
  }
  return E.right({ serverName: input, host, port, kind });
}

/** True when {@link parseServerName} accepts `input`. */
export function isValidServerName(input: unknown): input is string {
  return E.isRight(parseServerName(input));
}
