/**
 * `matrix-federation-invite/server-keys`: other servers' verify keys and ours (spec server-server API
 * [Retrieving server keys](https://spec.matrix.org/v1.19/server-server-api/#retrieving-server-keys)): verifying
 * `/_matrix/key/v2/server` and notary answers, a key store with the 7-day cap, the notary query body, and our own
 * signed answer.
 *
 * @packageDocumentation
 * @module matrix-federation-invite/server-keys
 */
export {
  type BuildServerKeysParams,
  type BuiltServerKeys,
  buildServerKeys,
  type OldVerifyKey,
} from './build.js';
export type { ServerKeysError, ServerKeysErrorReason } from './errors.js';
export {
  buildKeyQueryRequest,
  createServerKeyStore,
  type ServerKeyStore,
  type ServerKeyStoreOptions,
} from './store.js';
export type {
  ServerKeyAnswer,
  ServerKeyStatus,
  StoredKey,
  TrustedNotary,
  VerifiedKey,
  VerifiedServerKeys,
  VerifyServerKeysOptions,
} from './types.js';
export { verifyServerKeys } from './verify.js';
