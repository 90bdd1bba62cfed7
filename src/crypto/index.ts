export * from './async.js';
export * from './config.js';
export * from './ed25519.js';
export * from './json-signing.js';
export * from './keys.js';
export * from './sha256.js';
export * from './types.js';
export * from './webcrypto.js';
