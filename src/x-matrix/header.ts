/**
 * The `Authorization: X-Matrix ...` header (spec server-server API "Request Authentication"): parsing with the RFC 9110 §11.4 auth-param grammar, and formatting the way senders must.
 *
 * Grammar accepted (recipient side, RFC 9110 §11.4 and §5.6):
 * ```
 * credentials = auth-scheme 1*SP [ auth-param *( OWS "," OWS [ auth-param ] ) ]
 * auth-param  = token BWS "=" BWS ( value / quoted-string )
 * ```
 * - the scheme `X-Matrix` is compared case-insensitively; surrounding OWS of the field value is ignored;
 * - parameter names are case-insensitive (returned lower-cased); any order; empty list elements are skipped;
 * - `value` is an unquoted run of visible ASCII without `"`, `,` and `\`: a superset of RFC 9110 `token` that also
 *   allows `:` (server names with ports, as the spec asks recipients to allow), `/`, `=`, `[`, `]`, `@`;
 * - quoted strings may contain backslash escapes (`\"`, `\\`, `\x`), which are unescaped;
 * - unknown parameters are kept in `params` but otherwise ignored; a parameter given twice is an error;
 * - the signature parameter is `sig` (the spec prose says `signature`; the example, Synapse and ruma use `sig`).
 */
import * as E from 'fp-ts/lib/Either.js';
import type { XMatrixError, XMatrixHeaderErrorReason } from './errors.js';

/** The auth scheme, as senders write it. */
export const X_MATRIX_SCHEME = 'X-Matrix';

/**
 * The parameters of a parsed X-Matrix header.
 *
 * @category X-Matrix
 */
export interface XMatrixHeader {
  /** The sending server's name (before delegation). */
  readonly origin: string;
  /** The receiving server's name; absent from senders older than spec v1.3. */
  readonly destination?: string;
  /** The signing key ID, e.g. `ed25519:1`. */
  readonly key: string;
  /** The signature, unpadded base64 as sent. */
  readonly sig: string;
  /** Every parameter, names lower-cased, values unescaped (known and unknown ones). */
  readonly params: Readonly<Record<string, string>>;
}

function headerError(
  reason: XMatrixHeaderErrorReason,
  message: string,
  extra: { index?: number; param?: string } = {},
): E.Either<XMatrixError, never> {
  return E.left({ kind: 'XMatrixError', reason, message, path: [], ...extra });
}

const SP = 0x20;
const HTAB = 0x09;
const COMMA = 0x2c;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;

/** RFC 9110 `tchar`. */
function isTchar(c: number): boolean {
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return true;
  // ! # $ % & ' * + - . ^ _ ` | ~
  return "!#$%&'*+-.^_`|~".includes(String.fromCharCode(c));
}

/** Characters of an unquoted value: visible ASCII except `"`, `,`, `\` (lenient superset of `token`). */
function isValueChar(c: number): boolean {
  return c >= 0x21 && c <= 0x7e && c !== DQUOTE && c !== COMMA && c !== BACKSLASH;
}

/** RFC 9110 `qdtext`: HTAB, SP, visible ASCII except `"` and `\`, obs-text (>= 0x80). */
function isQdtext(c: number): boolean {
  return (
    c === HTAB || c === SP || c === 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e) || c >= 0x80
  );
}

/** RFC 9110 `quoted-pair` second character: HTAB, SP, VCHAR, obs-text. */
function isQuotedPairChar(c: number): boolean {
  return c === HTAB || (c >= 0x20 && c <= 0x7e) || c >= 0x80;
}

const isOws = (c: number): boolean => c === SP || c === HTAB;

/**
 * Parses an `Authorization` header value of the X-Matrix scheme. Never throws; linear in the input length.
 *
 * @example
 * parseXMatrixHeader('X-Matrix origin=origin.example,key="ed25519:1",sig="ABC"')
 * // Right({ origin: 'origin.example', key: 'ed25519:1', sig: 'ABC', params: {...} })
 */
export function parseXMatrixHeader(value: unknown): E.Either<XMatrixError, XMatrixHeader> {
  if (typeof value !== 'string') return headerError('not_a_string', 'the header value must be a string');
  // Field values carry no leading or trailing OWS (RFC 9110 §5.5).
  let end = value.length;
  while (end > 0 && isOws(value.charCodeAt(end - 1))) end--;
  let i = 0;
  while (i < end && isOws(value.charCodeAt(i))) i++;

  const schemeStart = i;
  while (i < end && isTchar(value.charCodeAt(i))) i++;
  const scheme = value.slice(schemeStart, i);
  if (scheme.toLowerCase() !== 'x-matrix') {
    return headerError(
      'wrong_scheme',
      `expected the X-Matrix scheme, got ${JSON.stringify(scheme.slice(0, 40))}`,
      {
        index: schemeStart,
      },
    );
  }
  if (i >= end) return headerError('missing_params', 'no parameters after X-Matrix', { index: i });
  if (value.charCodeAt(i) !== SP) {
    return headerError('missing_params', 'X-Matrix must be followed by a space', { index: i });
  }
  while (i < end && value.charCodeAt(i) === SP) i++;

  const params: Record<string, string> = Object.create(null);
  let expectParam = true;
  while (i < end) {
    const c = value.charCodeAt(i);
    if (c === COMMA) {
      // Empty list elements are allowed (RFC 9110 §5.6.1.2).
      i++;
      while (i < end && isOws(value.charCodeAt(i))) i++;
      expectParam = true;
      continue;
    }
    if (!expectParam) {
      return headerError('malformed_param', 'expected "," between parameters', { index: i });
    }
    // name
    const nameStart = i;
    while (i < end && isTchar(value.charCodeAt(i))) i++;
    if (i === nameStart) {
      return headerError('invalid_character', `unexpected character at offset ${i}`, { index: i });
    }
    const name = value.slice(nameStart, i).toLowerCase();
    // BWS "=" BWS
    while (i < end && isOws(value.charCodeAt(i))) i++;
    if (i >= end || value.charCodeAt(i) !== EQUALS) {
      return headerError('malformed_param', `parameter ${JSON.stringify(name)} has no "="`, { index: i });
    }
    i++;
    while (i < end && isOws(value.charCodeAt(i))) i++;
    // value
    let parsed: string;
    if (i < end && value.charCodeAt(i) === DQUOTE) {
      const quoteStart = i;
      i++;
      let out = '';
      let closed = false;
      let runStart = i;
      while (i < end) {
        const q = value.charCodeAt(i);
        if (q === DQUOTE) {
          out += value.slice(runStart, i);
          i++;
          closed = true;
          break;
        }
        if (q === BACKSLASH) {
          out += value.slice(runStart, i);
          if (i + 1 >= end) break;
          const escaped = value.charCodeAt(i + 1);
          if (!isQuotedPairChar(escaped)) {
            return headerError('invalid_character', `invalid escaped character at offset ${i + 1}`, {
              index: i + 1,
            });
          }
          out += value[i + 1];
          i += 2;
          runStart = i;
          continue;
        }
        if (!isQdtext(q)) {
          return headerError('invalid_character', `invalid character in quoted string at offset ${i}`, {
            index: i,
          });
        }
        i++;
      }
      if (!closed) {
        return headerError('unterminated_quoted_string', 'quoted string is not terminated', {
          index: quoteStart,
        });
      }
      parsed = out;
    } else {
      const valueStart = i;
      while (i < end && isValueChar(value.charCodeAt(i))) i++;
      if (i === valueStart) {
        return headerError('malformed_param', `parameter ${JSON.stringify(name)} has no value`, { index: i });
      }
      parsed = value.slice(valueStart, i);
    }
    if (Object.hasOwn(params, name)) {
      return headerError('duplicate_param', `parameter ${JSON.stringify(name)} appears twice`, {
        index: nameStart,
        param: name,
      });
    }
    params[name] = parsed;
    expectParam = false;
    // OWS before the next comma
    while (i < end && isOws(value.charCodeAt(i))) i++;
  }

  for (const required of ['origin', 'key', 'sig'] as const) {
    if (!Object.hasOwn(params, required)) {
      return headerError('missing_required_param', `the X-Matrix header has no ${required} parameter`, {
        param: required,
      });
    }
  }
  const frozen = Object.freeze(Object.assign(Object.create(null) as Record<string, string>, params));
  const header: XMatrixHeader = {
    origin: params.origin as string,
    key: params.key as string,
    sig: params.sig as string,
    params: frozen,
    ...(Object.hasOwn(params, 'destination') ? { destination: params.destination as string } : {}),
  };
  return E.right(header);
}

/** True for values senders may put between quotes without escaping: printable ASCII except `"` and `\`. */
function isSendableValue(value: string): boolean {
  if (value.length === 0) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === DQUOTE || c === BACKSLASH) return false;
  }
  return true;
}

/** The parameters a sender writes. */
export interface XMatrixHeaderParams {
  /** The sending server's name. */
  readonly origin: string;
  /** The receiving server's name (required of senders since spec v1.3). */
  readonly destination: string;
  /** The signing key ID, e.g. `ed25519:1`. */
  readonly key: string;
  /** The request signature, unpadded base64. */
  readonly sig: string;
}

/**
 * Formats an X-Matrix header the way the spec tells senders to: one space after `X-Matrix`, lower-case names,
 * quoted values, no backslashes, no whitespace around commas, order `origin, destination, key, sig`.
 *
 * @example formatXMatrixHeader({ origin: 'a', destination: 'b', key: 'ed25519:1', sig: 'S' })
 * // Right('X-Matrix origin="a",destination="b",key="ed25519:1",sig="S"')
 */
export function formatXMatrixHeader(params: XMatrixHeaderParams): E.Either<XMatrixError, string> {
  const parts: string[] = [];
  for (const name of ['origin', 'destination', 'key', 'sig'] as const) {
    let v: unknown;
    try {
      v = typeof params === 'object' && params !== null ? params[name] : undefined;
    } catch {
      v = undefined;
    }
    if (typeof v !== 'string' || !isSendableValue(v)) {
      return headerError('invalid_value', `${name} must be non-empty printable ASCII without " or \\`, {
        param: name,
      });
    }
    parts.push(`${name}="${v}"`);
  }
  return E.right(`${X_MATRIX_SCHEME} ${parts.join(',')}`);
}
