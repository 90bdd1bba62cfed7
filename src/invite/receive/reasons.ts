/**
 * Why an invite was refused: one machine reason per rule, in check order. The HTTP
 * status and Matrix `errcode` of each reason live in a separate, replaceable table (`src/errors/matrix.ts`).
 */
import type { JsonPath, LibraryError } from '../../errors/base.js';

/**
 * Every reason `receiveInvite` can reject with, grouped by check (cheapest first):
 *
 * 1. body: `body_too_large`, `body_too_deep`, `body_not_json`, `body_not_object`;
 * 2. room version: `room_version_missing`, `room_version_not_string`, `room_version_unsupported`,
 *    `v1_event_not_v1_format` (a v1 request whose event is in the format of room versions 3+);
 * 3. `not_canonical_json` (rooms 6+, whole body); 4. `event_missing`, `event_not_object`, `invalid_pdu`;
 * 5. `room_id_mismatch`, `event_id_mismatch`;
 * 6. `not_member_event`, `not_invite_membership`, `state_key_missing`, `invalid_state_key`,
 *    `state_key_not_local`, `invalid_sender`, `sender_not_origin`, then the size limits `field_too_large`,
 *    `event_too_large`;
 * 7. `signature_missing`, `signature_invalid`, `signing_key_unknown`;
 * 8. `content_hash_malformed`, `content_hash_mismatch`;
 * 9. `invite_room_state_malformed`, `invite_room_state_missing_create`, `invite_room_state_invalid_pdu`,
 *    `invite_room_state_wrong_room`, `invite_room_state_bad_signature`, `invite_room_state_content_hash_mismatch`;
 * policy hooks: `forbidden`, `invite_blocked`; 10. `countersign_failed`; caller errors: `invalid_request`,
 * `invalid_context`; and `internal_error` (a bug: an exception was caught; never expected).
 */
export const INVITE_REJECTION_REASONS = [
  'body_too_large',
  'body_too_deep',
  'body_not_json',
  'body_not_object',
  'room_version_missing',
  'room_version_not_string',
  'room_version_unsupported',
  'v1_event_not_v1_format',
  'not_canonical_json',
  'event_missing',
  'event_not_object',
  'invalid_pdu',
  'room_id_mismatch',
  'event_id_mismatch',
  'not_member_event',
  'not_invite_membership',
  'state_key_missing',
  'invalid_state_key',
  'state_key_not_local',
  'invalid_sender',
  'sender_not_origin',
  'field_too_large',
  'event_too_large',
  'signature_missing',
  'signature_invalid',
  'signing_key_unknown',
  'content_hash_malformed',
  'content_hash_mismatch',
  'invite_room_state_malformed',
  'invite_room_state_missing_create',
  'invite_room_state_invalid_pdu',
  'invite_room_state_wrong_room',
  'invite_room_state_bad_signature',
  'invite_room_state_content_hash_mismatch',
  'forbidden',
  'invite_blocked',
  'countersign_failed',
  'invalid_request',
  'invalid_context',
  'internal_error',
] as const;

/**
 * A machine reason for refusing an invite (see {@link INVITE_REJECTION_REASONS}).
 *
 * @category Receiving
 */
export type InviteRejectionReason = (typeof INVITE_REJECTION_REASONS)[number];

/**
 * The `invite_room_state` (MSC4311) reasons: the ones a `warn` policy turns into warnings.
 *
 * @category Receiving
 */
export type InviteRoomStateReason = Extract<InviteRejectionReason, `invite_room_state_${string}`>;

/**
 * A failed invite check, before it is mapped to HTTP (`kind: 'InviteError'`). `path` is relative to the request
 * body (v2: `['event', 'content', 'membership']`; v1: `['content', 'membership']`).
 */
export interface InviteError extends LibraryError<'InviteError', InviteRejectionReason> {
  /** The room version concerned, when known (sent as `room_version` with `M_INCOMPATIBLE_ROOM_VERSION`). */
  readonly roomVersion?: string;
  /** The lower-level error, when one caused this (PDU shape, signature check, JSON parser...). */
  readonly cause?: LibraryError<string, string>;
}

/** Builds an {@link InviteError}. */
export function inviteError(
  reason: InviteRejectionReason,
  message: string,
  path: JsonPath = [],
  extra: { readonly roomVersion?: string; readonly cause?: LibraryError<string, string> } = {},
): InviteError {
  const error: { -readonly [K in keyof InviteError]: InviteError[K] } = {
    kind: 'InviteError',
    reason,
    message,
    path: Array.isArray(path) ? path : [],
  };
  try {
    const { roomVersion, cause } = extra ?? {};
    if (typeof roomVersion === 'string') error.roomVersion = roomVersion;
    if (cause !== undefined) error.cause = cause;
  } catch {
    // Extras that cannot be read are left out.
  }
  return error;
}

/** Prefixes a path with a location inside the body (e.g. `event` for v2 requests). */
export function underPath(prefix: JsonPath, path: JsonPath): JsonPath {
  const inner = Array.isArray(path) ? path : [];
  return !Array.isArray(prefix) || prefix.length === 0 ? inner : [...prefix, ...inner];
}
