/**
 * `matrix-federation-invite/room-versions`: room versions 1-12 as data (spec
 * [Room versions](https://spec.matrix.org/v1.19/rooms/)), the redaction keep-lists, and custom versions.
 *
 * @packageDocumentation
 * @module matrix-federation-invite/room-versions
 */
export type {
  ContentKeepList,
  EventIdFormat,
  PduFormat,
  RedactionRules,
  RoomIdFormat,
  RoomVersionInput,
  RoomVersionRules,
} from './rules.js';
export {
  defineRoomVersion,
  type GetRoomVersionOptions,
  getRoomVersion,
  isValidRoomVersionId,
  KNOWN_ROOM_VERSION_IDS,
  MAX_ROOM_VERSION_LENGTH,
  REDACTION_V1,
  REDACTION_V6,
  REDACTION_V8,
  REDACTION_V9,
  REDACTION_V11,
  REDACTION_V12,
  ROOM_VERSIONS,
  type RoomVersionError,
  type RoomVersionErrorReason,
  type RoomVersionOverrides,
} from './versions.js';
