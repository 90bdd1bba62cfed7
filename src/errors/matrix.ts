/**
 * Matrix error responses (spec client-server API "Standard error response"; the invite endpoints' error lists): the
 * table from a machine reason to `{status, errcode}`, kept separate from the checks so that a homeserver can pick
 * the spec's answers, Synapse's, or its own.
 *
 * Two tables ship: {@link SPEC_ERROR_MAPPING} (spec v1.19: 400 `M_INVALID_PARAM` for the invite validation list,
 * 400 `M_INCOMPATIBLE_ROOM_VERSION` with `room_version`, ...) and {@link SYNAPSE_ERROR_MAPPING} (what Synapse and
 * sytest expect: `M_UNSUPPORTED_ROOM_VERSION` without `room_version`, 403 `M_FORBIDDEN` for signature failures,
 * 400 `M_UNKNOWN` for the type/membership/sender/state_key checks, with Synapse's messages). `docs/errors.md` puts
 * them side by side.
 */
import type { InviteRejectionReason } from '../invite/receive/reasons.js';
import type { JsonObject, JsonValue, MutableJsonObject } from '../json/value.js';
import { setOwn } from '../json/value.js';
import type { XMatrixRejectionReason } from '../x-matrix/errors.js';
import { errorText } from './describe.js';

/**
 * What one reason is answered with.
 *
 * @category Errors
 */
export interface MatrixErrorCode {
  /** HTTP status. */
  readonly status: number;
  /** Matrix error code, e.g. `M_INVALID_PARAM`. */
  readonly errcode: string;
  /** Add `room_version` to the body when the rejection knows it (`M_INCOMPATIBLE_ROOM_VERSION` requires it). */
  readonly includeRoomVersion?: boolean;
  /** A fixed human message (e.g. Synapse's wording); by default the rejection's own message is sent. */
  readonly error?: string;
}

/**
 * Every reason a table answers: the invite rejections (`receiveInvite`) and the X-Matrix ones (`verifyRequest`).
 *
 * @category Errors
 */
export type MatrixErrorReason = InviteRejectionReason | XMatrixRejectionReason;

/**
 * A complete reason → answer table.
 *
 * @category Errors
 */
export type MatrixErrorMapping<R extends string = MatrixErrorReason> = Readonly<Record<R, MatrixErrorCode>>;

/**
 * A Matrix error body: `{"errcode": ..., "error": ..., ...extra}`.
 *
 * @category Errors
 */
export interface MatrixErrorBody extends JsonObject {
  /** The Matrix error code, e.g. `M_INVALID_PARAM`. */
  readonly errcode: string;
  /** A human-readable message: the table's fixed wording, else the rejection's own message. */
  readonly error: string;
}

const e = (status: number, errcode: string, extra: Omit<MatrixErrorCode, 'status' | 'errcode'> = {}) =>
  Object.freeze({ status, errcode, ...extra });

const INTERNAL = e(500, 'M_UNKNOWN');
const INVALID = e(400, 'M_INVALID_PARAM');
const BAD_JSON = e(400, 'M_BAD_JSON');

/**
 * X-Matrix authentication (spec server-server API "Request Authentication": a wrong `destination` "must" be denied
 * with 401; the spec names no other codes). Both tables answer as Synapse's `Authenticator`
 * (`synapse/federation/transport/server/_base.py`): 400 `M_UNAUTHORIZED` for a malformed header, 401
 * `M_UNAUTHORIZED` for a missing one and any other authentication failure, 400 `M_BAD_JSON` for a body without a
 * canonical form. The caller errors `invalid_request` and `invalid_context` are shared with the invite reasons (500).
 */
const X_MATRIX = {
  missing_authorization: e(401, 'M_UNAUTHORIZED'),
  malformed_header: e(400, 'M_UNAUTHORIZED'),
  destination_mismatch: e(401, 'M_UNAUTHORIZED'),
  unsupported_algorithm: e(401, 'M_UNAUTHORIZED'),
  unknown_key: e(401, 'M_UNAUTHORIZED'),
  key_expired: e(401, 'M_UNAUTHORIZED'),
  canonical_json: BAD_JSON,
  invalid_signature: e(401, 'M_UNAUTHORIZED'),
} as const;

/**
 * Spec v1.19 answers (`invites-v1.yaml`/`invites-v2.yaml`, the canonical JSON rules of rooms 6+). The validation
 * list ("servers SHOULD return `M_INVALID_PARAM`") covers the event checks, the signature check and
 * `invite_room_state`; malformed bodies are `M_NOT_JSON`/`M_BAD_JSON`; sizes `M_TOO_LARGE`.
 *
 * @category Errors
 */
export const SPEC_ERROR_MAPPING: MatrixErrorMapping = Object.freeze({
  body_too_large: e(413, 'M_TOO_LARGE'),
  body_too_deep: BAD_JSON,
  body_not_json: e(400, 'M_NOT_JSON'),
  body_not_object: BAD_JSON,
  room_version_missing: BAD_JSON,
  room_version_not_string: BAD_JSON,
  room_version_unsupported: e(400, 'M_INCOMPATIBLE_ROOM_VERSION', { includeRoomVersion: true }),
  v1_event_not_v1_format: BAD_JSON,
  not_canonical_json: BAD_JSON,
  event_missing: BAD_JSON,
  event_not_object: BAD_JSON,
  invalid_pdu: BAD_JSON,
  room_id_mismatch: INVALID,
  event_id_mismatch: INVALID,
  not_member_event: INVALID,
  not_invite_membership: INVALID,
  state_key_missing: INVALID,
  invalid_state_key: INVALID,
  state_key_not_local: INVALID,
  invalid_sender: INVALID,
  sender_not_origin: INVALID,
  field_too_large: e(400, 'M_TOO_LARGE'),
  event_too_large: e(400, 'M_TOO_LARGE'),
  signature_missing: INVALID,
  signature_invalid: INVALID,
  signing_key_unknown: INVALID,
  content_hash_malformed: INVALID,
  content_hash_mismatch: INVALID,
  invite_room_state_malformed: INVALID,
  invite_room_state_missing_create: INVALID,
  invite_room_state_invalid_pdu: INVALID,
  invite_room_state_wrong_room: INVALID,
  invite_room_state_bad_signature: INVALID,
  invite_room_state_content_hash_mismatch: INVALID,
  forbidden: e(403, 'M_FORBIDDEN'),
  invite_blocked: e(403, 'M_INVITE_BLOCKED'),
  countersign_failed: INTERNAL,
  invalid_request: INTERNAL,
  invalid_context: INTERNAL,
  internal_error: INTERNAL,
  ...X_MATRIX,
});

const SYNAPSE_NOT_JSON = e(400, 'M_NOT_JSON', { error: 'Content not JSON.' });
const SYNAPSE_UNSUPPORTED = e(400, 'M_UNSUPPORTED_ROOM_VERSION', {
  error: 'Homeserver does not support this room version',
});
const SYNAPSE_NOT_INVITE = e(400, 'M_UNKNOWN', {
  error: 'The event was not an m.room.member invite event',
});
const SYNAPSE_NOT_FOR_US = e(400, 'M_UNKNOWN', { error: 'The invite event must be for this server' });
const SYNAPSE_NOT_FROM_ORIGIN = e(400, 'M_UNKNOWN', {
  error: 'The invite event was not from the server sending it',
});
const SYNAPSE_FORBIDDEN = e(403, 'M_FORBIDDEN');
const SYNAPSE_TOO_LARGE = e(413, 'M_TOO_LARGE');
const SYNAPSE_ROOM_STATE = e(400, 'M_MISSING_PARAM');

/**
 * Synapse-compatible answers (Synapse `on_invite_request`; sytest `tests/50federation/35room-invite.pl`), with
 * Synapse's own text where it is fixed (`test/errors/synapse-wording.test.ts` cites each). Where Synapse
 * answers 500 (no `room_version` or `event` in a v2 body) this table answers 400 `M_MISSING_PARAM`; where Synapse
 * does not check at all (path IDs, sizes, `invite_room_state`) it uses what Synapse's open PRs and event-size
 * checks use (`M_INVALID_PARAM`, 413 `M_TOO_LARGE`, the planned `M_MISSING_PARAM`).
 *
 * @category Errors
 */
export const SYNAPSE_ERROR_MAPPING: MatrixErrorMapping = Object.freeze({
  body_too_large: SYNAPSE_TOO_LARGE,
  body_too_deep: SYNAPSE_NOT_JSON,
  body_not_json: SYNAPSE_NOT_JSON,
  body_not_object: e(400, 'M_BAD_JSON', { error: 'Content must be a JSON object.' }),
  room_version_missing: e(400, 'M_MISSING_PARAM'),
  room_version_not_string: SYNAPSE_UNSUPPORTED,
  room_version_unsupported: SYNAPSE_UNSUPPORTED,
  v1_event_not_v1_format: e(400, 'M_BAD_JSON', { error: 'Invalid event JSON' }),
  not_canonical_json: BAD_JSON,
  event_missing: e(400, 'M_MISSING_PARAM'),
  event_not_object: BAD_JSON,
  invalid_pdu: BAD_JSON,
  // element-hq/synapse#19723 (FederationServer.on_invite_request), not merged yet.
  room_id_mismatch: e(400, 'M_INVALID_PARAM', {
    error:
      'The room_id specified in the invite event must match room ID specified in the federation `/invite` request',
  }),
  event_id_mismatch: e(400, 'M_INVALID_PARAM', {
    error: 'Invite event ID must match event ID specified in the federation `/invite` request',
  }),
  not_member_event: SYNAPSE_NOT_INVITE,
  not_invite_membership: SYNAPSE_NOT_INVITE,
  state_key_missing: e(400, 'M_UNKNOWN', { error: 'The invite event did not have a state key' }),
  invalid_state_key: SYNAPSE_NOT_FOR_US,
  state_key_not_local: SYNAPSE_NOT_FOR_US,
  // A sender without ':' is "Invalid ID: 'alice'" in Synapse (get_domain_from_id): no fixed text.
  invalid_sender: e(400, 'M_UNKNOWN'),
  sender_not_origin: SYNAPSE_NOT_FROM_ORIGIN,
  field_too_large: SYNAPSE_TOO_LARGE,
  event_too_large: SYNAPSE_TOO_LARGE,
  signature_missing: SYNAPSE_FORBIDDEN,
  signature_invalid: SYNAPSE_FORBIDDEN,
  signing_key_unknown: SYNAPSE_FORBIDDEN,
  content_hash_malformed: e(400, 'M_UNAUTHORIZED'),
  content_hash_mismatch: INVALID,
  invite_room_state_malformed: SYNAPSE_ROOM_STATE,
  invite_room_state_missing_create: SYNAPSE_ROOM_STATE,
  invite_room_state_invalid_pdu: SYNAPSE_ROOM_STATE,
  invite_room_state_wrong_room: SYNAPSE_ROOM_STATE,
  invite_room_state_bad_signature: SYNAPSE_ROOM_STATE,
  invite_room_state_content_hash_mismatch: SYNAPSE_ROOM_STATE,
  forbidden: SYNAPSE_FORBIDDEN,
  invite_blocked: e(403, 'M_INVITE_BLOCKED', { error: 'You are not permitted to invite this user.' }),
  countersign_failed: e(500, 'M_UNKNOWN', { error: 'Internal server error' }),
  invalid_request: e(500, 'M_UNKNOWN', { error: 'Internal server error' }),
  invalid_context: e(500, 'M_UNKNOWN', { error: 'Internal server error' }),
  internal_error: e(500, 'M_UNKNOWN', { error: 'Internal server error' }),
  ...X_MATRIX,
  // Synapse's wording (`Authenticator.authenticate_request`, `_parse_auth_header`).
  missing_authorization: e(401, 'M_UNAUTHORIZED', { error: 'Missing Authorization headers' }),
  malformed_header: e(400, 'M_UNAUTHORIZED', { error: 'Malformed Authorization header' }),
});

/**
 * Builds a Matrix error body `{"errcode", "error", ...extra}` ("the keys `error` and `errcode` MUST always be
 * present"). `extra` cannot override `errcode` or `error`. Internal: see {@link toMatrixError}.
 *
 * @example matrixErrorBody('M_INCOMPATIBLE_ROOM_VERSION', 'unsupported room version "13"', { room_version: '13' })
 */
export function matrixErrorBody(
  errcode: string,
  error: string,
  extra: Readonly<Record<string, JsonValue>> = {},
): MatrixErrorBody {
  const body: MutableJsonObject = {
    errcode: typeof errcode === 'string' ? errcode : 'M_UNKNOWN',
    error: typeof error === 'string' ? error : '',
  };
  try {
    for (const key of Object.keys(extra ?? {})) {
      if (key === 'errcode' || key === 'error') continue;
      setOwn(body, key, extra[key] as JsonValue);
    }
  } catch {
    // Extra members that cannot be read are left out: the two required keys are there.
  }
  return body as MatrixErrorBody;
}

/**
 * A rejection mapped to HTTP: status and body ready to send.
 *
 * @category Errors
 */
export interface MatrixErrorResponse {
  /** The HTTP status to answer with. */
  readonly status: number;
  /** The JSON body to send. */
  readonly body: MatrixErrorBody;
}

/**
 * Maps a failure to `{status, body}` with `mapping` (falling back to {@link SPEC_ERROR_MAPPING} for reasons the
 * table lacks, then to 500 `M_UNKNOWN`).
 *
 * @example toMatrixError({ reason: 'sender_not_origin', message: '...' }, SYNAPSE_ERROR_MAPPING)
 * // { status: 400, body: { errcode: 'M_UNKNOWN', error: 'The invite event was not from the server sending it' } }
 *
 * @category Errors
 */
export function toMatrixError<R extends string>(
  failure: { readonly reason: R; readonly message: string; readonly roomVersion?: string },
  mapping: Partial<MatrixErrorMapping<R>> = SPEC_ERROR_MAPPING as Partial<MatrixErrorMapping<R>>,
): MatrixErrorResponse {
  try {
    const own = Object.hasOwn(mapping, failure.reason) ? mapping[failure.reason] : undefined;
    const fallback = (SPEC_ERROR_MAPPING as Readonly<Record<string, MatrixErrorCode>>)[failure.reason];
    const code: MatrixErrorCode = own ?? fallback ?? INTERNAL;
    const extra: Record<string, JsonValue> = {};
    if (code.includeRoomVersion === true && failure.roomVersion !== undefined) {
      extra.room_version = failure.roomVersion;
    }
    return { status: code.status, body: matrixErrorBody(code.errcode, code.error ?? failure.message, extra) };
  } catch (error) {
    return {
      status: INTERNAL.status,
      body: matrixErrorBody(INTERNAL.errcode, `unreadable failure: ${errorText(error)}`),
    };
  }
}
