/**
 * Content hashes, reference hashes, event IDs and room 12 room IDs (spec server-server API "Calculating the content
 * hash for an event", "Calculating the reference hash for an event").
 *
 * All hashing uses relaxed canonical JSON (big integers serialised exactly, floats in Python `repr`), as Synapse
 * does even in room versions 6+; strictness is validated separately.
 */
import * as E from 'fp-ts/lib/Either.js';
import { sha256, sha256Base64 } from '../crypto/sha256.js';
import { decodeBase64, encodeBase64 } from '../encoding/base64.js';
import { errorText } from '../errors/describe.js';
import { type CanonicalJsonError, type CanonicalMembers, encodeCanonicalMembers } from '../json/canonical.js';
import { getOwn, isJsonObject, type JsonObject, type JsonObjectInput, omitKeys } from '../json/value.js';
import type { RoomVersionInput } from '../room-versions/rules.js';
import { type EventError, eventError, resolveRules } from './errors.js';
import { canonicalBytesForHashing, prepareEvent } from './prepared.js';

/**
 * Which top-level keys the content hash leaves out. `spec`: `unsigned`, `signatures`, `hashes`. `synapse`: also
 * `age_ts`, `outlier` and `destinations`, which Synapse's `compute_content_hash` pops as well (they never occur in
 * well-formed PDUs, so both agree on real traffic).
 */
export type ContentHashDialect = 'spec' | 'synapse';

const SPEC_EXCLUDED = ['unsigned', 'signatures', 'hashes'] as const;
const SYNAPSE_EXCLUDED = [...SPEC_EXCLUDED, 'age_ts', 'outlier', 'destinations'] as const;

/** The top-level keys each content hash dialect leaves out. */
export const CONTENT_HASH_EXCLUDED: Readonly<Record<ContentHashDialect, readonly string[]>> = Object.freeze({
  spec: SPEC_EXCLUDED,
  synapse: SYNAPSE_EXCLUDED,
});

/**
 * The content hash input of an event as canonical members (`encodeCanonicalMembers`), so that the same encoding
 * can also serve the redacted signing bytes (`prepareEvent(event, rv, { reuse })`) and a response.
 */
export function encodeContentHashInput(
  event: JsonObject,
  options: ContentHashOptions & { readonly strict?: boolean } = {},
): E.Either<CanonicalJsonError, CanonicalMembers> {
  let dialect: unknown;
  let strict: unknown;
  try {
    dialect = options?.dialect;
    strict = options?.strict;
  } catch (error) {
    return E.left({
      kind: 'CanonicalJsonError',
      reason: 'not_json',
      message: `options cannot be read: ${errorText(error)}`,
      path: [],
    });
  }
  return encodeCanonicalMembers(event, {
    omit: dialect === 'synapse' ? CONTENT_HASH_EXCLUDED.synapse : CONTENT_HASH_EXCLUDED.spec,
    strict: strict === true,
  });
}

/** Options of the content hash functions. */
export interface ContentHashOptions {
  /** Default `spec`; see {@link ContentHashDialect}. */
  readonly dialect?: ContentHashDialect;
}

/**
 * The canonical bytes the content hash covers: the event without the dialect's excluded top-level keys. Never
 * throws (options or an event that cannot be read are `invalid_input`).
 */
function contentHashInputBytes(
  event: JsonObject,
  rawOptions: ContentHashOptions,
): E.Either<EventError, Uint8Array> {
  try {
    const options: ContentHashOptions =
      typeof rawOptions === 'object' && rawOptions !== null ? rawOptions : {};
    if (!isJsonObject(event)) return E.left(eventError('not_an_object', 'event must be a JSON object'));
    return canonicalBytesForHashing(
      omitKeys(event, options.dialect === 'synapse' ? SYNAPSE_EXCLUDED : SPEC_EXCLUDED),
    );
  } catch (error) {
    return E.left(eventError('invalid_input', `cannot compute the content hash: ${errorText(error)}`));
  }
}

/**
 * The SHA-256 content hash of an event (spec: remove top-level `unsigned`, `signatures`, `hashes`; canonical JSON;
 * SHA-256), as raw bytes. Covers every other key of the unredacted event, unknown ones included.
 */
export function computeContentHashBytes(
  event: JsonObject,
  options: ContentHashOptions = {},
): E.Either<EventError, Uint8Array> {
  const bytes = contentHashInputBytes(event, options);
  return E.isLeft(bytes) ? bytes : E.right(sha256(bytes.right));
}

/**
 * The content hash as stored in `hashes.sha256`: unpadded standard base64.
 *
 * @example computeContentHash(event) // Right('5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos')
 */
export function computeContentHash(
  event: JsonObjectInput,
  options: ContentHashOptions = {},
): E.Either<EventError, string> {
  const bytes = contentHashInputBytes(event as JsonObject, options);
  return E.isLeft(bytes) ? bytes : E.right(sha256Base64(bytes.right, 'standard'));
}

/** The outcome of comparing an event's `hashes.sha256` with its recomputed content hash. */
export interface ContentHashCheck {
  /** True when the received hash decodes to exactly the recomputed hash. */
  readonly matches: boolean;
  /** The recomputed hash, unpadded standard base64. */
  readonly expected: string;
  /** The received `hashes.sha256` string, as sent. */
  readonly actual: string;
}

/** Options of {@link checkContentHash}: the hash dialect and how to decode the received hash. */
export interface CheckContentHashOptions extends ContentHashOptions {
  /**
   * How to decode the received hash: `lenient` (default: padding optional, either alphabet, trailing bits ignored),
   * `synapse` (python-unpaddedbase64 exactly) or `strict`.
   */
  readonly base64Mode?: 'lenient' | 'strict' | 'synapse';
}

/** {@link CheckContentHashOptions} plus a pre-encoded input. Internal. */
export interface CheckContentHashInternalOptions extends CheckContentHashOptions {
  /** The content hash input already encoded by {@link encodeContentHashInput} with the same dialect. */
  readonly canonicalInput?: CanonicalMembers;
}

/**
 * Checks `hashes.sha256` against the recomputed content hash.
 *
 * A mismatch is a `Right` with `matches: false` (the caller decides: Synapse redacts, a strict /invite rejects).
 * A malformed `hashes` (not an object, no `sha256`, not a string, not base64) is a `Left`, as in Synapse's
 * `check_event_content_hash` (400 `M_UNAUTHORIZED`), not a mismatch.
 */
export function checkContentHash(
  event: JsonObjectInput,
  options: CheckContentHashOptions = {},
): E.Either<EventError, ContentHashCheck> {
  return checkContentHashWith(event, options);
}

/** {@link checkContentHash} with a pre-encoded input. Internal. */
export function checkContentHashWith(
  input: JsonObjectInput,
  rawOptions: CheckContentHashInternalOptions,
): E.Either<EventError, ContentHashCheck> {
  try {
    const event = input as JsonObject;
    const options = typeof rawOptions === 'object' && rawOptions !== null ? rawOptions : {};
    if (!isJsonObject(event)) return E.left(eventError('not_an_object', 'event must be a JSON object'));
    const hashes = getOwn(event, 'hashes');
    if (!isJsonObject(hashes)) {
      return E.left(eventError('hashes_malformed', 'hashes must be an object', ['hashes']));
    }
    if (!Object.hasOwn(hashes, 'sha256')) {
      return E.left(eventError('hashes_missing_sha256', 'hashes has no sha256 entry', ['hashes']));
    }
    const actual = getOwn(hashes, 'sha256');
    if (typeof actual !== 'string') {
      return E.left(eventError('hashes_malformed', 'hashes.sha256 must be a string', ['hashes', 'sha256']));
    }
    const expected =
      options.canonicalInput === undefined
        ? computeContentHash(event, options)
        : E.right(sha256Base64(options.canonicalInput.bytes, 'standard'));
    // The received hash is usually the very text expected (Synapse writes canonical base64), which every mode
    // accepts: no decoding then. Otherwise it is decoded (and refused when it is not base64, before any other
    // error) and compared by bytes: another alphabet, padding or trailing bits may still spell the same hash.
    if (E.isRight(expected) && actual === expected.right) {
      return E.right({ matches: true, expected: expected.right, actual });
    }
    const received = decodeBase64(actual, { mode: options.base64Mode ?? 'lenient' });
    if (E.isLeft(received)) {
      return E.left(
        eventError(
          'hashes_invalid_base64',
          `hashes.sha256 is not base64: ${received.left.message}`,
          ['hashes', 'sha256'],
          received.left,
        ),
      );
    }
    if (E.isLeft(expected)) return expected;
    const expectedBytes = decodeBase64(expected.right);
    return E.right({
      matches: E.isRight(expectedBytes) && bytesEqual(received.right, expectedBytes.right),
      expected: expected.right,
      actual,
    });
  } catch (error) {
    return E.left(eventError('invalid_input', `cannot compute the content hash: ${errorText(error)}`));
  }
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The reference hash (spec: redact, remove `signatures` and `unsigned`, canonical JSON, SHA-256) as 32 raw bytes.
 * The same in every room version apart from the redaction algorithm.
 */
export function computeReferenceHash(
  event: JsonObjectInput,
  roomVersion: RoomVersionInput,
): E.Either<EventError, Uint8Array> {
  const prepared = prepareEvent(event as JsonObject, roomVersion);
  return E.isLeft(prepared) ? prepared : E.right(prepared.right.referenceHash());
}

/**
 * The event ID of an event in room versions 3+: `$` + the reference hash in standard (room 3) or URL-safe (4+)
 * unpadded base64. Rooms 1-2 carry `event_id` in the event: `Left(event_id_not_computed)`.
 *
 * @example computeEventId(event, '10') // Right('$zRz9jjiT9wZc3Hl9ij_74aCmTjqV3YMlj9sj3Uqxg6o')
 */
export function computeEventId(
  event: JsonObjectInput,
  roomVersion: RoomVersionInput,
): E.Either<EventError, string> {
  const rules = resolveRules(roomVersion);
  if (E.isLeft(rules)) return rules;
  if (rules.right.eventIdFormat === 'v1') {
    return E.left(
      eventError(
        'event_id_not_computed',
        `room version ${rules.right.id} carries event IDs in the event_id field; they are not derived from the reference hash`,
      ),
    );
  }
  const prepared = prepareEvent(event as JsonObject, rules.right);
  return E.isLeft(prepared) ? prepared : prepared.right.eventId();
}

/**
 * The room ID of a room version 12 room from its `m.room.create` event: the create event's ID with `!` instead of
 * `$` (spec room version 12, "Room IDs"). `roomVersion` defaults to `"12"`; versions whose room IDs are
 * not derived from the create event give `Left(room_id_not_computed)`.
 *
 * @example computeRoomId(createEvent) // Right('!BeXKh925K_M46DwsuJFR0EyBpE1P7CFUDGuWW4xw55Y')
 */
export function computeRoomId(
  createEvent: JsonObjectInput,
  roomVersion: RoomVersionInput = '12',
): E.Either<EventError, string> {
  const rules = resolveRules(roomVersion);
  if (E.isLeft(rules)) return rules;
  if (rules.right.roomIdFormat !== 'create-event-hash') {
    return E.left(
      eventError(
        'room_id_not_computed',
        `room version ${rules.right.id} room IDs are not derived from the create event`,
      ),
    );
  }
  if (!isJsonObject(createEvent)) return E.left(eventError('not_an_object', 'event must be a JSON object'));
  if (getOwn(createEvent, 'type') !== 'm.room.create') {
    return E.left(eventError('not_a_create_event', 'type must be m.room.create', ['type']));
  }
  const eventId = computeEventId(createEvent, rules.right);
  return E.isLeft(eventId) ? eventId : E.right(`!${eventId.right.slice(1)}`);
}

/**
 * How one event refers to another in `auth_events` and `prev_events`: the event ID (rooms 3+), or the
 * `[event_id, { sha256: reference hash }]` pair of rooms 1-2 (spec room version 1
 * [Event format](https://spec.matrix.org/v1.19/rooms/v1/#event-format)).
 *
 * @category Sending
 */
export type EventReference = string | readonly [eventId: string, hashes: { readonly sha256: string }];

/**
 * How events of the room refer to `event` in their `auth_events` and `prev_events`: in rooms 3+ its event ID (the
 * reference hash, {@link computeEventId}); in rooms 1-2 the pair `[event_id, { sha256 }]` of its `event_id` field
 * and its reference hash in unpadded standard base64. Pass the results straight to `buildInviteEvent`'s
 * `authEvents` and `prevEvents`.
 *
 * @example eventReference(createEvent, '10') // Right('$zRz9jjiT9wZc3Hl9ij_74aCmTjqV3YMlj9sj3Uqxg6o')
 * @example eventReference(createEvent, '1') // Right(['$0:example.org', { sha256: 'BvMhKmtzOFVW...' }])
 *
 * @category Sending
 */
export function eventReference(
  event: JsonObjectInput,
  roomVersion: RoomVersionInput,
): E.Either<EventError, EventReference> {
  const rules = resolveRules(roomVersion);
  if (E.isLeft(rules)) return rules;
  const prepared = prepareEvent(event as JsonObject, rules.right);
  if (E.isLeft(prepared)) return prepared;
  if (rules.right.eventIdFormat !== 'v1') return prepared.right.eventId();
  const eventId = getOwn(prepared.right.event, 'event_id');
  if (typeof eventId !== 'string') {
    return E.left(
      eventError('invalid_event_id', `room version ${rules.right.id} events carry their ID in event_id`, [
        'event_id',
      ]),
    );
  }
  return E.right([eventId, { sha256: encodeBase64(prepared.right.referenceHash()) }]);
}
