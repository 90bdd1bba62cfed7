/**
 * User IDs (spec appendix [User Identifiers](https://spec.matrix.org/v1.19/appendices/#user-identifiers)): `"@" localpart ":" server_name`, at most 255
 * bytes. New IDs use `localpart = 1*( %x61-7A / DIGIT / "-" / "." / "=" / "_" / "/" / "+" )`; historical IDs, which
 * "servers must still accept ... over federation", may use any non-surrogate code point except `:` and NUL,
 * including control characters and the empty string.
 */
import * as E from 'fp-ts/lib/Either.js';
import {
  findLoneSurrogate,
  type IdentifierError,
  identifierError,
  isDigit,
  MAX_IDENTIFIER_BYTES,
  quote,
  utf8ByteLength,
} from './common.js';
import { parseServerName, type ServerName } from './server-name.js';

/** A parsed user ID. */
export interface UserId {
  /** The whole ID, as given. */
  readonly userId: string;
  /** Between `@` and the first `:` (may be empty for historical IDs). */
  readonly localpart: string;
  /** Everything after the first `:`, exactly as written (compare server names with `===`). */
  readonly serverName: string;
  /** The parsed server name. */
  readonly server: ServerName;
  /** True when the localpart does not match the current (strict) grammar but the historical one. */
  readonly historical: boolean;
}

/** Options for {@link parseUserId}. */
export interface ParseUserIdOptions {
  /**
   * `true`: only the current grammar (`[a-z0-9._=/+-]+`), for IDs this server creates. `false` (default): also
   * historical localparts, as the spec requires for IDs received over federation.
   */
  readonly strict?: boolean;
}

/** `a-z 0-9 - . = _ / +` (spec v1.8 user ID localpart). */
export function isStrictLocalpartChar(c: number): boolean {
  if (typeof c !== 'number') return false;
  return (
    (c >= 0x61 && c <= 0x7a) ||
    isDigit(c) ||
    c === 0x2d || // -
    c === 0x2e || // .
    c === 0x3d || // =
    c === 0x5f || // _
    c === 0x2f || // /
    c === 0x2b // +
  );
}

const fail = (
  reason: IdentifierError['reason'],
  message: string,
  extra: Parameters<typeof identifierError>[3] = {},
) => E.left(identifierError('user_id', reason, message, extra));

/**
 * Parses a user ID, splitting at the **first** `:` (server names may carry a port), so `@a:b:c` has server name `b:c` (which must
 * then parse as a server name, here failing on the port).
 *
 * Checks, in order: a string of at most 255 UTF-8 bytes (64 × 🐈 = 256 bytes fails), the `@` sigil, a `:`,
 * the localpart (strict or historical grammar), the server name.
 *
 * @example parseUserId('@alice:example.org') // Right({ localpart: 'alice', serverName: 'example.org', historical: false, ... })
 * @example parseUserId('@Alice:example.org') // Right({ historical: true, ... })
 * @example parseUserId('@Alice:example.org', { strict: true }) // Left({ reason: 'invalid_localpart', index: 1 })
 */
export function parseUserId(
  input: unknown,
  options: ParseUserIdOptions = {},
): E.Either<IdentifierError, UserId> {
  if (typeof input !== 'string') return fail('not_a_string', 'a user ID must be a string');
  if (input.length === 0) return fail('empty', 'a user ID must not be empty');
  const bytes = utf8ByteLength(input);
  if (bytes > MAX_IDENTIFIER_BYTES) {
    return fail('too_long', `a user ID must not exceed ${MAX_IDENTIFIER_BYTES} bytes (got ${bytes})`);
  }
  if (input.charCodeAt(0) !== 0x40)
    return fail('missing_sigil', `a user ID starts with "@": ${quote(input)}`, { index: 0 });
  const colon = input.indexOf(':');
  if (colon < 0) return fail('missing_server_name', `a user ID needs ":server_name": ${quote(input)}`);

  let historical = colon === 1;
  for (let i = 1; i < colon; i++) {
    if (!isStrictLocalpartChar(input.charCodeAt(i))) {
      historical = true;
      break;
    }
  }
  if (historical) {
    if (options.strict === true) {
      if (colon === 1) return fail('invalid_localpart', 'the localpart must not be empty', { index: 1 });
      let bad = 1;
      while (isStrictLocalpartChar(input.charCodeAt(bad))) bad++;
      return fail(
        'invalid_localpart',
        `the localpart may only contain a-z 0-9 . _ = - / +: ${quote(input)}`,
        {
          index: bad,
        },
      );
    }
    const nul = input.indexOf('\u0000');
    if (nul >= 0 && nul < colon)
      return fail('nul_character', 'the localpart must not contain NUL', { index: nul });
    const surrogate = findLoneSurrogate(input, 1, colon);
    if (surrogate >= 0) {
      return fail('lone_surrogate', 'the localpart must not contain a lone surrogate', { index: surrogate });
    }
  }

  const serverName = input.slice(colon + 1);
  const server = parseServerName(serverName);
  if (E.isLeft(server)) {
    return fail(
      'invalid_server_name',
      `invalid server name in user ID ${quote(input)}: ${server.left.message}`,
      {
        ...(server.left.index === undefined ? {} : { index: colon + 1 + server.left.index }),
        cause: server.left,
      },
    );
  }
  return E.right({
    userId: input,
    localpart: input.slice(1, colon),
    serverName,
    server: server.right,
    historical,
  });
}

/** True when {@link parseUserId} accepts `input` with the same options. */
export function isValidUserId(input: unknown, options: ParseUserIdOptions = {}): input is string {
  return E.isRight(parseUserId(input, options));
}

/**
 * The text after the first `:` of an ID, exactly as Synapse's `get_domain_from_id` takes it (used for "sender
 * domain == X-Matrix origin" and "`state_key` is on this server"). It does not validate the ID; Left only when
 * `id` is not a string or has no `:`. Never derive a server from a room 12 room ID: it has none.
 *
 * @example serverNameOf('@alice:example.org:8448') // Right('example.org:8448')
 */
export function serverNameOf(id: unknown): E.Either<IdentifierError, string> {
  if (typeof id !== 'string') return fail('not_a_string', 'an ID must be a string');
  const colon = id.indexOf(':');
  if (colon < 0) return fail('missing_server_name', `no ":" in ${quote(id)}`);
  return E.right(id.slice(colon + 1));
}
