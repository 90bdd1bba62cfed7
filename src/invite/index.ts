export * from './receive/index.js';
export * from './send/index.js';
