/**
 * Errors shared by the sending side (building the invite, its room state and its request).
 */
import type { JsonPath, LibraryError } from '../../errors/base.js';

/** Why an invite, its room state or its request could not be built. */
export type InviteSendErrorReason =
  /** The room version is unknown or malformed. */
  | 'unknown_room_version'
  /** The signing server name is not a valid server name. */
  | 'invalid_server_name'
  /** `sender` is not a user ID. */
  | 'invalid_sender'
  /** `sender` is not on the signing server (its signature would not count: spec "Validating hashes and signatures"). */
  | 'sender_not_on_server'
  /** `invitee` is not a user ID. */
  | 'invalid_invitee'
  /** `roomId` is not a room ID of the room version's form. */
  | 'invalid_room_id'
  /** Rooms 1-2: `eventId` malformed or not on the signing server; rooms 3+: an `eventId` was given. */
  | 'invalid_event_id'
  /** An `authEvents` / `prevEvents` entry has the wrong form for the room version, or there are too many. */
  | 'invalid_event_reference'
  /** `depth` or `originServerTs` is not a non-negative integer in range. */
  | 'invalid_integer'
  /** `content` is not an object or its `membership` is not `invite`. */
  | 'invalid_content'
  /** Hashing or signing failed (`cause` says why). */
  | 'signing_failed'
  /** The built event does not pass the room version's PDU checks (shape, strict JSON, size limits). */
  | 'invalid_pdu'
  /** Room state: no `m.room.create` event among the state events (required since spec v1.16). */
  | 'missing_create_event'
  /** Room state: two events with the same `(type, state_key)`. */
  | 'duplicate_state_event'
  /** Room state: an entry is not an event of the room version's format. */
  | 'invalid_state_event'
  /** Request: `apiVersion` is neither `v1` nor `v2`. */
  | 'invalid_api_version'
  /** Request: v1 carries no room version, so it is only for rooms 1-2 (spec: "must assume ... 1 or 2"). */
  | 'v1_requires_room_version_1_or_2'
  /** Request: the event lacks a usable `room_id`, event ID or `state_key`. */
  | 'invalid_event'
  /** A caller error: the parameters or options cannot be read (a throwing getter or Proxy). */
  | 'invalid_params';

/** An error of the sending side (`kind: 'InviteSendError'`). */
export interface InviteSendError extends LibraryError<'InviteSendError', InviteSendErrorReason> {
  /** The lower-level error, when one caused this (room version, identifier, signing, PDU check); absent otherwise. */
  readonly cause?: LibraryError<string, string>;
}

/** Builds an {@link InviteSendError}. */
export function sendError(
  reason: InviteSendErrorReason,
  message: string,
  path: JsonPath = [],
  cause?: LibraryError<string, string>,
): InviteSendError {
  return cause === undefined
    ? { kind: 'InviteSendError', reason, message, path }
    : { kind: 'InviteSendError', reason, message, path, cause };
}
