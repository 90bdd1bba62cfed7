/**
 * `matrix-federation-invite/events`: what a PDU is made of, per room version: redaction, content and reference
 * hashes, event and room IDs, signing and verifying events, PDU shape and size limits (spec server-server API
 * [Signing events](https://spec.matrix.org/v1.19/server-server-api/#signing-events) and
 * [PDUs](https://spec.matrix.org/v1.19/server-server-api/#pdus)).
 *
 * @packageDocumentation
 * @module matrix-federation-invite/events
 */
export type { EventError, EventErrorReason } from './errors.js';
export {
  type CheckContentHashOptions,
  type ContentHashCheck,
  type ContentHashDialect,
  type ContentHashOptions,
  checkContentHash,
  computeContentHash,
  computeEventId,
  computeReferenceHash,
  computeRoomId,
  type EventReference,
  eventReference,
} from './hashes.js';
export {
  checkEventLimits,
  type EventSizeOptions,
  MAX_EVENT_FIELD_BYTES,
  MAX_PDU_SIZE_BYTES,
} from './limits.js';
export {
  type Pdu,
  type PduError,
  type PduErrorReason,
  type PduIssue,
  type ValidatePduOptions,
  type ValidatePduShapeParams,
  validatePduShape,
} from './pdu.js';
export { redactEvent } from './redaction.js';
export {
  type CountersignEventParams,
  countersignEvent,
  type SignEventParams,
  type SignedEvent,
  signEvent,
} from './signing.js';
export {
  MAX_KEY_VALIDITY_MS,
  POLICY_SERVER_KEY_ID,
  type RequiredSignerReason,
  type ServerVerification,
  type SignatureCheck,
  type SignatureFailureReason,
  type SignatureSkipReason,
  type VerificationReport,
  type VerifyEventOptions,
  type VerifyEventSignaturesParams,
  verifyEventSignatures,
} from './verify.js';
export { type VerifyEventSignaturesAsyncParams, verifyEventSignaturesAsync } from './verify-async.js';
