export * from './errors.js';
export * from './hashes.js';
export * from './limits.js';
export * from './pdu.js';
export * from './prepared.js';
export * from './redaction.js';
export * from './signing.js';
export * from './verify.js';
