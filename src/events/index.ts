export * from './redaction.js';
export * from './errors.js';
export * from './hashes.js';
export * from './limits.js';
export * from './pdu.js';
export * from './prepared.js';
