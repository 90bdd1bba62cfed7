/**
 * `matrix-federation-invite/base64`: unpadded base64 (spec appendix
 * [Unpadded Base64](https://spec.matrix.org/v1.19/appendices/#unpadded-base64)), with a decoder that accepts exactly
 * what Synapse's python-unpaddedbase64 accepts when asked to.
 *
 * @packageDocumentation
 * @module matrix-federation-invite/base64
 */
export {
  type Base64Alphabet,
  type Base64Error,
  type Base64ErrorReason,
  type DecodeBase64Options,
  decodeBase64,
  type EncodeBase64Options,
  encodeBase64,
} from './base64.js';
