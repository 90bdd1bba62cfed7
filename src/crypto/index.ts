/**
 * `matrix-federation-invite/crypto`: ed25519 with libsodium's verdicts on three backends, signing keys and Synapse
 * key files, and signing JSON (spec appendix [Signing JSON](https://spec.matrix.org/v1.19/appendices/#signing-json)).
 *
 * @packageDocumentation
 * @module matrix-federation-invite/crypto
 */
export {
  type AsyncCheckContext,
  type AsyncCheckError,
  type AsyncCheckErrorReason,
  type AsyncCheckOptions,
  type CheckCrypto,
  collectKeyRequests,
  runWithAsyncKeys,
} from './async.js';
export {
  type CryptoConfigError,
  type CryptoConfigErrorReason,
  type CryptoConfiguration,
  type CryptoOptions,
  configureCrypto,
  cryptoConfiguration,
} from './config.js';
export {
  availableBackends,
  defaultBackend,
  ED25519_KEY_LENGTH,
  ED25519_SIGNATURE_LENGTH,
  type Ed25519Options,
  publicKeyFromSeed,
  type SignEd25519Params,
  signEd25519,
  type VerifyEd25519Params,
  verifyEd25519,
} from './ed25519.js';
export {
  type SignatureError,
  type SignatureErrorReason,
  type SignJsonParams,
  signingBytes,
  signJson,
  type VerifyJsonSignaturesParams,
  verifyJsonSignatures,
} from './json-signing.js';
export {
  decodeVerifyKey,
  formatSigningKeyFile,
  type GeneratedSigningKey,
  type GenerateSigningKeyParams,
  generateSigningKey,
  keyLookupFrom,
  parseSigningKeyFile,
  type SigningKeyFromSeedParams,
  type SigningKeyOptions,
  signingKeyFromSeed,
  type VerifyKeyTable,
} from './keys.js';
export type {
  AsyncKeyLookup,
  Ed25519AsyncBackendName,
  Ed25519BackendName,
  Ed25519Verifier,
  KeyError,
  KeyErrorReason,
  KeyLookup,
  KeyRequest,
  SigningKey,
  VerifyKeyEntry,
} from './types.js';
export type { WebCryptoSigner } from './webcrypto.js';
export { createWebCryptoSigner, verifyEd25519WebCrypto, webCryptoEd25519Available } from './webcrypto.js';
