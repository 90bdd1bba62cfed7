/**
 * Errors of the event layer (redaction, hashes, IDs, signing, verification, size limits). Every failure is a value
 * inside an fp-ts `Left`, never a throw.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { JsonPath, LibraryError } from '../errors/base.js';
import type { RoomVersionInput, RoomVersionRules } from '../room-versions/rules.js';
import { getRoomVersion } from '../room-versions/versions.js';
import type { VerificationReport } from './verify.js';

/**
 * Why an event operation failed. At /invite these become invite reasons (`invalid_pdu`, `signature_*`,
 * `content_hash_*`, `field_too_large`, ...), mapped to Matrix errors by the error tables.
 *
 * @category Errors
 */
export type EventErrorReason =
  /** The event is not a JSON object. */
  | 'not_an_object'
  /** The room version is unknown, malformed, or its rules object is invalid (`cause` is the room version error). */
  | 'unknown_room_version'
  /** Redaction: the event has no `type` (Synapse's pruning fails). */
  | 'missing_type'
  /** Redaction: `type` is not a string (never a valid PDU). */
  | 'invalid_type'
  /**
   * Redaction: the event has no `content`. Every PDU has an object `content`; Synapse's pruning fails without one,
   * gomatrixserverlib invents `"content": {}` and ruma leaves it out, so the three sign different bytes: refusing is
   * the only answer that never disagrees with Synapse's verdict.
   */
  | 'missing_content'
  /** Redaction: `content` is not a JSON object. */
  | 'invalid_content'
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
  /**
   * `signEvent`: the event already carries a `hashes.sha256` that is not the hash of its content. It was changed
   * after it was hashed (or is someone else's event: countersign those with `countersignEvent`).
   */
  | 'content_hash_mismatch'
  /** `signatures`, or one server's entry in it, is not an object (of strings). */
  | 'signatures_malformed'
  /** The signing key failed to sign (backend failure), or is not a signing key. */
  | 'signing_failed'
  /** `sender` is not a string containing `:` (verification, and `signEvent` without `serverName`). */
  | 'invalid_sender'
  /** Rooms 1-2: `event_id` is not a string containing `:`. */
  | 'invalid_event_id'
  /** Rooms 8+: `join_authorised_via_users_server` is not a string containing `:`. */
  | 'invalid_authorising_user'
  /** Rooms 5+: `origin_server_ts` is not an integer, so key validity cannot be decided. */
  | 'invalid_origin_server_ts'
  /** A required server has no signatures at all (Synapse: "Not signed by ..."). */
  | 'missing_signature'
  /** A required server's signatures were all skipped: nothing verifiable (unknown keys, algorithms, expired). */
  | 'no_verifiable_signature'
  /** A signature by a known key of a required server failed. */
  | 'bad_signature'
  /** The canonical event is larger than 65536 bytes (`limit`, `actual`). */
  | 'event_too_large'
  /** `type`, `state_key`, `sender`, `room_id` or `event_id` is longer than 255 bytes (`limit`, `actual`). */
  | 'field_too_large'
  /**
   * A caller error: the parameters are not what the function takes (not an object, a missing signing key...), or an
   * argument cannot be read (a throwing getter or Proxy).
   */
  | 'invalid_input'
  /** A caller error: an option has the wrong type or value, or `keys` is not a function (the message says which). */
  | 'invalid_options'
  /**
   * A caller error: the key lookup threw, or answered something other than `undefined` or a `VerifyKeyEntry` (a
   * Promise, a key that is not a string or bytes, a `validUntilTs` that is not a number). Never the event's fault.
   */
  | 'invalid_key_lookup';

/**
 * Why an event operation failed. The optional fields are set by the function that knows them: `cause` (the
 * lower-level error: room version, canonical JSON, base64), `serverName` and `report` (signature verification),
 * `limit` and `actual` (size limits).
 *
 * @category Errors
 */
export interface EventError extends LibraryError<'EventError', EventErrorReason> {
  /** The lower-level error (room version, canonical JSON, base64...), when one caused this; absent otherwise. */
  readonly cause?: LibraryError<string, string>;
  /** `verifyEventSignatures`: the first required server that failed, when the failure is about one server. */
  readonly serverName?: string;
  /**
   * `verifyEventSignatures`: the checks made so far (with `contentHash: undefined`), present once the per-server
   * checks ran (a signature failure, or a malformed `hashes` after the signatures passed).
   */
  readonly report?: VerificationReport;
  /** Size limits: the limit exceeded, in bytes (65536 for the event, 255 for a field). */
  readonly limit?: number;
  /** Size limits: the measured size, in UTF-8 bytes of canonical JSON (event) or of the string (field). */
  readonly actual?: number;
}

/** Builds an {@link EventError}. Internal. */
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

/** Resolves a room version input into rules, as an {@link EventError} on failure. Internal. */
export function resolveRules(roomVersion: RoomVersionInput): E.Either<EventError, RoomVersionRules> {
  const resolved = getRoomVersion(roomVersion);
  if (E.isRight(resolved)) return resolved;
  return E.left(eventError('unknown_room_version', resolved.left.message, [], resolved.left));
}
