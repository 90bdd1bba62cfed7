export {
  findLoneSurrogate,
  type HashAlphabet,
  type IdentifierError,
  type IdentifierErrorReason,
  type IdentifierKind,
  MAX_IDENTIFIER_BYTES,
} from './common.js';
export * from './key-id.js';
export * from './room-event-id.js';
export * from './server-name.js';
export * from './user-id.js';
