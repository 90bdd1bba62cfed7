/**
 * `matrix-federation-invite/invite`: the invite building blocks beyond the root entry's pipeline: the invite path,
 * Synapse's unknown-endpoint classifier, stripped state for clients, the recommended invite state types, the
 * rejection reasons and the default body limits.
 *
 * @packageDocumentation
 * @module matrix-federation-invite/invite
 */
export {
  INVITE_REJECTION_REASONS,
  type InviteRejectionReason,
  type InviteRoomStateReason,
} from './receive/reasons.js';
export { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_JSON_DEPTH } from './receive/request.js';
export { type StrippedStateEvent, toStrippedStateEvent } from './receive/room-state.js';
export { type InviteHttpResponse, isUnknownEndpoint } from './send/fallback.js';
export { type InvitePathParams, invitePath } from './send/request.js';
export { RECOMMENDED_INVITE_STATE_TYPES } from './send/room-state.js';
