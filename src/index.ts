/**
 * matrix-federation-invite: pure functions for Matrix federation invites
 * (`PUT /_matrix/federation/v1|v2/invite/{roomId}/{eventId}`), verdicts equal to Synapse's.
 *
 * This entry holds what a homeserver author uses: receiving an invite, sending one (build, room state, request,
 * fallback, response check), X-Matrix request authentication, signing keys, JSON, room versions and the error
 * tables. The building blocks live in subpath entries named for their concern: `matrix-federation-invite/json`,
 * `/base64`, `/room-versions`, `/identifiers`, `/events`, `/crypto`, `/x-matrix` and `/invite`.
 *
 * @packageDocumentation
 * @module matrix-federation-invite
 */

export type { AsyncCheckOptions } from './crypto/async.js';
export {
  type CryptoConfigError,
  type CryptoConfigErrorReason,
  type CryptoConfiguration,
  type CryptoOptions,
  configureCrypto,
} from './crypto/config.js';
export {
  type GeneratedSigningKey,
  type GenerateSigningKeyParams,
  generateSigningKey,
  keyLookupFrom,
  parseSigningKeyFile,
  type SigningKeyFromSeedParams,
  type SigningKeyOptions,
  signingKeyFromSeed,
  type VerifyKeyTable,
} from './crypto/keys.js';
export type {
  AsyncKeyLookup,
  Ed25519AsyncBackendName,
  Ed25519BackendName,
  KeyError,
  KeyErrorReason,
  KeyLookup,
  KeyRequest,
  SigningKey,
  VerifyKeyEntry,
} from './crypto/types.js';
export { formatJsonPath, type JsonPath, type LibraryError } from './errors/base.js';
export {
  type MatrixErrorBody,
  type MatrixErrorCode,
  type MatrixErrorMapping,
  type MatrixErrorReason,
  type MatrixErrorResponse,
  SPEC_ERROR_MAPPING,
  SYNAPSE_ERROR_MAPPING,
  toMatrixError,
} from './errors/matrix.js';
export type { EventError, EventErrorReason } from './events/errors.js';
export { type EventReference, eventReference } from './events/hashes.js';
export type { Pdu } from './events/pdu.js';
export type { ServerVerification, SignatureCheck, VerificationReport } from './events/verify.js';
export type { InviteApiVersion } from './invite/api-version.js';
export type { InviteEvent } from './invite/invite-event.js';
export type { InviteRejectionReason, InviteRoomStateReason } from './invite/receive/reasons.js';
export {
  type InviteAccepted,
  type InviteAuthorization,
  type InviteAuthorizationInput,
  type InviteContext,
  type InvitePolicy,
  type InviteRejection,
  type InviteWarning,
  type ReceivedInviteRequest,
  receiveInvite,
  SYNAPSE_COMPATIBLE_POLICY,
} from './invite/receive/receive.js';
export { type AsyncInviteContext, receiveInviteAsync } from './invite/receive/receive-async.js';
export type { InviteRequestBody } from './invite/receive/request.js';
export type { InviteResponseEncoding, InviteResponseFormat } from './invite/receive/response.js';
export type {
  InviteRoomStateEntry,
  InviteRoomStateMode,
  InviteRoomStatePolicy,
  InviteRoomStateProblem,
} from './invite/receive/room-state.js';
export {
  type BuildInviteEventParams,
  type BuiltInviteEvent,
  buildInviteEvent,
} from './invite/send/build-event.js';
export type { InviteSendError, InviteSendErrorReason } from './invite/send/common.js';
export {
  type InviteErrorAdvice,
  type InviteErrorInterpretation,
  interpretInviteError,
} from './invite/send/errors.js';
export { type InviteHttpResponse, shouldFallbackToV1 } from './invite/send/fallback.js';
export {
  type BuildInviteRequestParams,
  buildInviteRequest,
  type InviteRequest,
} from './invite/send/request.js';
export {
  type InviteResponseWarning,
  type InviteResponseWarningReason,
  type VerifiedInviteResponse,
  type VerifyInviteResponseContext,
  verifyInviteResponse,
} from './invite/send/response.js';
export {
  type VerifyInviteResponseAsyncContext,
  verifyInviteResponseAsync,
} from './invite/send/response-async.js';
export { type BuildInviteRoomStateParams, buildInviteRoomState } from './invite/send/room-state.js';
export {
  type CanonicalJsonError,
  type CanonicalJsonOptions,
  encodeCanonicalJson,
} from './json/canonical.js';
export { type JsonError, type ParseJsonOptions, parseJson } from './json/parse.js';
export type {
  JsonArray,
  JsonFloat,
  JsonObject,
  JsonObjectInput,
  JsonValue,
  JsonValueInput,
} from './json/value.js';
export type { RoomVersionInput, RoomVersionRules } from './room-versions/rules.js';
export { getRoomVersion, ROOM_VERSIONS, type RoomVersionError } from './room-versions/versions.js';
export {
  type BuildServerKeysParams,
  type BuiltServerKeys,
  buildServerKeys,
  type OldVerifyKey,
} from './server-keys/build.js';
export type { ServerKeysError, ServerKeysErrorReason } from './server-keys/errors.js';
export {
  createServerKeyStore,
  type ServerKeyStore,
  type ServerKeyStoreOptions,
} from './server-keys/store.js';
export type {
  ServerKeyAnswer,
  ServerKeyStatus,
  StoredKey,
  TrustedNotary,
  VerifiedKey,
  VerifiedServerKeys,
  VerifyServerKeysOptions,
} from './server-keys/types.js';
export { verifyServerKeys } from './server-keys/verify.js';
export type {
  XMatrixError,
  XMatrixErrorReason,
  XMatrixRejection,
  XMatrixRejectionReason,
} from './x-matrix/errors.js';
export type { XMatrixHeader } from './x-matrix/header.js';
export { signRequest, type XMatrixRequest } from './x-matrix/sign.js';
export {
  type IncomingXMatrixRequest,
  type VerifiedRequest,
  type VerifyRequestContext,
  verifyRequest,
} from './x-matrix/verify.js';
export { type VerifyRequestAsyncContext, verifyRequestAsync } from './x-matrix/verify-async.js';
