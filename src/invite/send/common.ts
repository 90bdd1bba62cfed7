/**
 * The error of the sending side: building the invite, its room state and its request, and verifying the answer.
 */
import type { JsonPath, LibraryError } from '../../errors/base.js';
import type { InviteErrorInterpretation } from './errors.js';

/**
 * Why an invite, its room state or its request could not be built, or the invitee's answer was refused
 * (`verifyInviteResponse`).
 *
 * @category Sending
 */
export type InviteSendErrorReason =
  /**
   * A caller error: the parameters are not what the function takes (not an object, no signing key...) or cannot be
   * read (a throwing getter or Proxy).
   */
  | 'invalid_params'
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
  /** The built event (or the returned one) does not pass the room version's PDU checks (shape, strict JSON, sizes). */
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
  /**
   * Response: a caller error in the context (the message says which: `keys` not a function, an `inviteeServer` other
   * than the server of `state_key`, a key lookup that answers a Promise or throws, an option of the wrong type).
   */
  | 'invalid_context'
  /** Response: `sentEvent` cannot be prepared, or has no invitee on another server (not what this library built). */
  | 'invalid_sent_event'
  /** Response: the status is not 200 (`interpretation` says what the remote error means). */
  | 'error_status'
  /** Response: the body is not JSON. */
  | 'invalid_json'
  /** Response: v1 not exactly `[200, {"event": {...}}]`, v2 not `{"event": {...}}`. */
  | 'bad_response_shape'
  /** Response: rooms 6+, a float, `-0` or an out-of-range integer in the returned event. */
  | 'not_canonical_json'
  /** Response: a field other than `signatures`/`unsigned` differs from what was sent (`path` names it). */
  | 'event_mismatch'
  /** Response: a signature that was sent was removed or changed, or a sending server gained signatures. */
  | 'inviter_signature_changed'
  /** Response: the invitee server did not sign. */
  | 'missing_invitee_signature'
  /** Response: the invitee server's signatures could not be checked: no known key (rooms 5+: valid at origin_server_ts). */
  | 'unverifiable_invitee_signature'
  /** Response: a signature of the invitee server by a known key does not verify (or is malformed). */
  | 'bad_invitee_signature';

/**
 * An error of the sending side (`kind: 'InviteSendError'`): building the event, its room state or its request, or
 * verifying the invitee's answer.
 *
 * @category Sending
 */
export interface InviteSendError extends LibraryError<'InviteSendError', InviteSendErrorReason> {
  /** The lower-level error, when one caused this (room version, identifier, signing, PDU check); absent otherwise. */
  readonly cause?: LibraryError<string, string>;
  /** For `error_status`: what the remote error means, and what to tell the inviting client. */
  readonly interpretation?: InviteErrorInterpretation;
}

/** Builds an {@link InviteSendError}. Internal. */
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
