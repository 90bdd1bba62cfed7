/**
 * The inviting server's half of the invite API: build and sign the invite event, choose its room state, build the
 * v1/v2 request, decide the v2 → v1 fallback, interpret errors and verify the invitee's answer.
 */
export * from './build-event.js';
export * from './common.js';
export * from './errors.js';
export * from './fallback.js';
export {
  type BuildInviteRequestParams,
  buildInviteRequest,
  type InviteRequest,
  invitePath,
  quotePathSegment,
} from './request.js';
export * from './response.js';
export * from './response-async.js';
export * from './room-state.js';
