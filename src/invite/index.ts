export * from './api-version.js';
export * from './receive/index.js';
export * from './send/index.js';
