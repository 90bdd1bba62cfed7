export * from './header.js';
export * from './sign.js';
export * from './verify.js';
export * from './verify-async.js';
