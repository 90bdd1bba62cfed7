export * from './build.js';
export * from './errors.js';
export {
  buildKeyQueryRequest,
  createServerKeyStore,
  type ServerKeyStore,
  type ServerKeyStoreOptions,
} from './store.js';
export * from './types.js';
export * from './verify.js';
