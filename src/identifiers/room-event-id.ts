/**
 * Room IDs and event IDs (spec appendix [Room IDs](https://spec.matrix.org/v1.19/appendices/#room-ids),
 * [Event IDs](https://spec.matrix.org/v1.19/appendices/#event-ids)).
 *
 * - Room IDs: `!localpart:server_name` in room versions 1-11; in 12, `!` + the URL-safe unpadded base64 reference
 *   hash of the create event, with no server name.
 * - Event IDs: `$localpart:server_name` in room versions 1-2; `$` + the standard-alphabet hash in 3; `$` + the
 *   URL-safe hash from 4.
 *
 * Both are at most 255 UTF-8 bytes including sigil and server name. A `localpart:server` localpart may be any
 * non-surrogate code point except `:` and NUL, including the empty string (only *generated* IDs "SHOULD" be
 * alphanumeric). Hash forms must be exactly 43 characters of the alphabet with zero trailing bits, i.e. the
 * canonical encoding of a SHA-256.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { RoomVersionRules } from '../room-versions/rules.js';
import { getRoomVersion, type RoomVersionError } from '../room-versions/versions.js';
import {
  findBadHashCharacter,
  findLoneSurrogate,
  type HashAlphabet,
  type IdentifierError,
  type IdentifierKind,
  identifierError,
  MAX_IDENTIFIER_BYTES,
  quote,
  utf8ByteLength,
} from './common.js';
import { parseServerName, type ServerName } from './server-name.js';

/** A room or event ID of the `sigil localpart ":" server_name` form. */
export interface ServerScopedId {
  /** Discriminant: a `sigil localpart ":" server_name` ID. */
  readonly format: 'server';
  /** The whole ID, as given. */
  readonly id: string;
  /** Between the sigil and the first `:`. */
  readonly localpart: string;
  /** Everything after the first `:`. */
  readonly serverName: string;
  /** `serverName` parsed (host, port, host kind). */
  readonly server: ServerName;
}

/** A room or event ID made of a reference hash (event IDs from room version 3, room IDs in room version 12). */
export interface HashId {
  /** Discriminant: a reference-hash ID. */
  readonly format: 'hash';
  /** The whole ID, as given. */
  readonly id: string;
  /** The 43 base64 characters after the sigil. */
  readonly hash: string;
  /** The hash's base64 alphabet. */
  readonly alphabet: HashAlphabet;
}

/** A parsed room ID: `!localpart:server` (room versions 1-11) or `!hash` (12). */
export type RoomId = ServerScopedId | HashId;
/** A parsed event ID: `$localpart:server` (room versions 1-2) or `$hash` (3+). */
export type EventId = ServerScopedId | HashId;

type IdKind = Extract<IdentifierKind, 'room_id' | 'event_id'>;

const SIGIL: Record<IdKind, { code: number; char: string; name: string }> = {
  room_id: { code: 0x21, char: '!', name: 'room ID' },
  event_id: { code: 0x24, char: '$', name: 'event ID' },
};

/** Length, sigil; returns the error or undefined. */
function checkCommon(kind: IdKind, input: unknown): IdentifierError | undefined {
  const { code, char, name } = SIGIL[kind];
  if (typeof input !== 'string') return identifierError(kind, 'not_a_string', `a ${name} must be a string`);
  if (input.length === 0) return identifierError(kind, 'empty', `a ${name} must not be empty`);
  const bytes = utf8ByteLength(input);
  if (bytes > MAX_IDENTIFIER_BYTES) {
    return identifierError(
      kind,
      'too_long',
      `a ${name} must not exceed ${MAX_IDENTIFIER_BYTES} bytes (got ${bytes})`,
    );
  }
  if (input.charCodeAt(0) !== code) {
    return identifierError(kind, 'missing_sigil', `a ${name} starts with "${char}": ${quote(input)}`, {
      index: 0,
    });
  }
  return undefined;
}

function parseServerScoped(kind: IdKind, input: string): E.Either<IdentifierError, ServerScopedId> {
  const name = SIGIL[kind].name;
  const colon = input.indexOf(':');
  if (colon < 0)
    return E.left(identifierError(kind, 'missing_server_name', `a ${name} needs ":server_name" here`));
  const nul = input.indexOf('\u0000');
  if (nul >= 0 && nul < colon) {
    return E.left(
      identifierError(kind, 'nul_character', `the ${name} localpart must not contain NUL`, { index: nul }),
    );
  }
  const surrogate = findLoneSurrogate(input, 1, colon);
  if (surrogate >= 0) {
    return E.left(
      identifierError(kind, 'lone_surrogate', `the ${name} localpart must not contain a lone surrogate`, {
        index: surrogate,
      }),
    );
  }
  const serverName = input.slice(colon + 1);
  const server = parseServerName(serverName);
  if (E.isLeft(server)) {
    return E.left(
      identifierError(
        kind,
        'invalid_server_name',
        `invalid server name in ${name} ${quote(input)}: ${server.left.message}`,
        {
          ...(server.left.index === undefined ? {} : { index: colon + 1 + server.left.index }),
          cause: server.left,
        },
      ),
    );
  }
  return E.right({
    format: 'server',
    id: input,
    localpart: input.slice(1, colon),
    serverName,
    server: server.right,
  });
}

function parseHash(kind: IdKind, input: string, alphabet: HashAlphabet): E.Either<IdentifierError, HashId> {
  const name = SIGIL[kind].name;
  const colon = input.indexOf(':');
  if (colon >= 0) {
    return E.left(
      identifierError(kind, 'unexpected_server_name', `this room version's ${name}s have no server name`, {
        index: colon,
      }),
    );
  }
  const bad = findBadHashCharacter(input, 1, alphabet);
  if (bad >= 0) {
    const what =
      bad === input.length
        ? 'must be 43 characters'
        : 'has a character outside the alphabet or non-zero trailing bits';
    return E.left(
      identifierError(
        kind,
        'invalid_hash',
        `a hash-based ${name} is "${SIGIL[kind].char}" + 43 ${alphabet} base64 characters; ${quote(input)} ${what}`,
        {
          index: bad,
        },
      ),
    );
  }
  return E.right({ format: 'hash', id: input, hash: input.slice(1), alphabet });
}

/**
 * Parses a room ID. With a room version, the version's form is required (`!localpart:server` for 1-11,
 * `!` + 43 URL-safe base64 characters for 12). Without one, either form is accepted: an ID with a `:` is the
 * server form, one without is the hash form.
 *
 * @example parseRoomId('!abc:example.org', '10') // Right({ format: 'server', serverName: 'example.org', ... })
 * @example parseRoomId('!BeXKh925K_M46DwsuJFR0EyBpE1P7CFUDGuWW4xw55Y', '12') // Right({ format: 'hash', ... })
 * @example parseRoomId('!abc:example.org', '12') // Left({ reason: 'unexpected_server_name' })
 */
export function parseRoomId(
  input: unknown,
  roomVersion?: string | RoomVersionRules,
): E.Either<IdentifierError | RoomVersionError, RoomId> {
  let format: 'server' | 'hash' | undefined;
  if (roomVersion !== undefined) {
    const rules = getRoomVersion(roomVersion);
    if (E.isLeft(rules)) return rules;
    format = rules.right.roomIdFormat === 'create-event-hash' ? 'hash' : 'server';
  }
  const problem = checkCommon('room_id', input);
  if (problem !== undefined) return E.left(problem);
  const id = input as string;
  format ??= id.includes(':') ? 'server' : 'hash';
  return format === 'server' ? parseServerScoped('room_id', id) : parseHash('room_id', id, 'url-safe');
}

/**
 * Parses an event ID in the form of the given room version: `$localpart:server` (1-2), `$` + 43 standard base64
 * characters (3, may contain `/` and `+`), `$` + 43 URL-safe characters (4+).
 *
 * @example parseEventId('$0:domain', '1') // Right({ format: 'server', ... })
 * @example parseEventId('$zRz9jjiT9wZc3Hl9ij/74aCmTjqV3YMlj9sj3Uqxg6o', '3') // Right({ format: 'hash', alphabet: 'standard', ... })
 * @example parseEventId('$zRz9jjiT9wZc3Hl9ij/74aCmTjqV3YMlj9sj3Uqxg6o', '4') // Left({ reason: 'invalid_hash' })
 */
export function parseEventId(
  input: unknown,
  roomVersion: string | RoomVersionRules,
): E.Either<IdentifierError | RoomVersionError, EventId> {
  const rules = getRoomVersion(roomVersion);
  if (E.isLeft(rules)) return rules;
  const problem = checkCommon('event_id', input);
  if (problem !== undefined) return E.left(problem);
  const id = input as string;
  switch (rules.right.eventIdFormat) {
    case 'v1':
      return parseServerScoped('event_id', id);
    case 'v3':
      return parseHash('event_id', id, 'standard');
    default:
      return parseHash('event_id', id, 'url-safe');
  }
}
