/**
 * Errors of the event layer (hashes, IDs, signing). Every failure is a value inside an fp-ts `Left`, never a throw.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { JsonPath, LibraryError } from '../errors/base.js';
import type { RoomVersionRules } from '../room-versions/rules.js';
import { resolveRoomVersion } from '../room-versions/versions.js';

/** A room version identifier (`"10"`) or a rules object; accepted by every event function. */
export type RoomVersionInput = string | RoomVersionRules;

/**
 * Why an event operation failed (hashing, IDs, signing). At /invite the `hashes_*` reasons become
 * `content_hash_malformed` (`src/invite/receive/validate.ts`), mapped to a Matrix error by `src/errors/matrix.ts`.
 */
export type EventErrorReason =
  /** The event is not a JSON object. */
  | 'not_an_object'
  /** The room version is unknown, malformed, or its rules object is invalid. */
  | 'unknown_room_version'
  /** The redaction algorithm rejected the event. */
  | 'redaction_failed'
  /** The event (or its redacted form) has no canonical JSON encoding (lone surrogate, non-JSON value...). */
  | 'canonical_json'
  /** Rooms 1-2 carry their ID in `event_id`; it is not derived from the reference hash. */
  | 'event_id_not_computed'
  /** The room version does not derive room IDs from the create event (only room 12 does). */
  | 'room_id_not_computed'
  /** `computeRoomId` was given an event whose `type` is not `m.room.create`. */
  | 'not_a_create_event'
  /** `hashes` is missing or not an object of strings (Synapse: 400 `M_UNAUTHORIZED`). */
  | 'hashes_malformed'
  /** `hashes` has no `sha256` entry (Synapse: 400 `M_UNAUTHORIZED`). */
  | 'hashes_missing_sha256'
  /** `hashes.sha256` is not valid base64 (Synapse: 400 `M_UNAUTHORIZED`). */
  | 'hashes_invalid_base64'
  /** `signatures`, or one server's entry in it, is not an object. */
  | 'signatures_malformed'
  /** The signing key failed to sign (backend failure). */
  | 'signing_failed'
  /** A caller error: an argument or option cannot be read (a throwing getter or Proxy) or has the wrong type. */
  | 'invalid_input';

/** Why an event operation failed. `cause` carries the lower-level error (room version, redaction, canonical JSON). */
export interface EventError extends LibraryError<'EventError', EventErrorReason> {
  /** The lower-level error (room version, redaction, canonical JSON), when one caused this; absent otherwise. */
  readonly cause?: LibraryError<string, string>;
}

/** Builds an {@link EventError}. */
export function eventError(
  reason: EventErrorReason,
  message: string,
  path: JsonPath = [],
  cause?: LibraryError<string, string>,
): EventError {
  return cause === undefined
    ? { kind: 'EventError', reason, message, path }
    : { kind: 'EventError', reason, message, path, cause };
}

/** Resolves a room version input into rules, as an {@link EventError} on failure. */
export function resolveRules(roomVersion: RoomVersionInput): E.Either<EventError, RoomVersionRules> {
  const resolved = resolveRoomVersion(roomVersion);
  if (E.isRight(resolved)) return resolved;
  return E.left(eventError('unknown_room_version', resolved.left.message, [], resolved.left));
}
