/**
 * `matrix-federation-invite/identifiers`: user IDs, server names, room and event IDs and key IDs, parsed against the
 * spec grammar (appendix [Identifier grammar](https://spec.matrix.org/v1.19/appendices/#identifier-grammar)) in
 * linear time.
 *
 * @packageDocumentation
 * @module matrix-federation-invite/identifiers
 */
export {
  type HashAlphabet,
  type IdentifierError,
  type IdentifierErrorReason,
  type IdentifierKind,
  MAX_IDENTIFIER_BYTES,
} from './common.js';
export { type KeyId, type ParseKeyIdOptions, parseKeyId, type UnknownAlgorithmError } from './key-id.js';
export {
  type EventId,
  type HashId,
  parseEventId,
  parseRoomId,
  type RoomId,
  type ServerScopedId,
} from './room-event-id.js';
export { type HostKind, isValidServerName, parseServerName, type ServerName } from './server-name.js';
export { isValidUserId, type ParseUserIdOptions, parseUserId, serverNameOf, type UserId } from './user-id.js';
