/**
 * `matrix-federation-invite/x-matrix`: signing and authenticating federation requests with the X-Matrix
 * `Authorization` header (spec server-server API
 * [Request Authentication](https://spec.matrix.org/v1.19/server-server-api/#request-authentication)).
 *
 * @packageDocumentation
 * @module matrix-federation-invite/x-matrix
 */
export type {
  XMatrixError,
  XMatrixErrorReason,
  XMatrixHeaderErrorReason,
  XMatrixRejection,
  XMatrixRejectionReason,
  XMatrixSignErrorReason,
} from './errors.js';
export {
  formatXMatrixHeader,
  parseXMatrixHeader,
  X_MATRIX_SCHEME,
  type XMatrixHeader,
  type XMatrixHeaderParams,
} from './header.js';
export { signRequest, type XMatrixRequest } from './sign.js';
export {
  type IncomingXMatrixRequest,
  type VerifiedRequest,
  type VerifyRequestContext,
  verifyRequest,
} from './verify.js';
export { type VerifyRequestAsyncContext, verifyRequestAsync } from './verify-async.js';
