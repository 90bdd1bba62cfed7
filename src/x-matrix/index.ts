/**
 * `matrix-federation-invite/x-matrix`: signing and authenticating federation requests with the X-Matrix
 * `Authorization` header (spec server-server API
 * [Request Authentication](https://spec.matrix.org/v1.19/server-server-api/#request-authentication)).
 *
 * @packageDocumentation
 */
export {
  formatXMatrixHeader,
  parseXMatrixHeader,
  X_MATRIX_SCHEME,
  type XMatrixHeader,
  type XMatrixHeaderError,
  type XMatrixHeaderErrorReason,
  type XMatrixHeaderParams,
} from './header.js';
export {
  signRequest,
  type XMatrixRequest,
  type XMatrixSignError,
  type XMatrixSignErrorReason,
} from './sign.js';
export {
  type IncomingXMatrixRequest,
  type VerifiedRequest,
  type VerifyRequestOptions,
  verifyRequest,
  type XMatrixVerifyError,
  type XMatrixVerifyErrorReason,
} from './verify.js';
