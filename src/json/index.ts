export * from './canonical.js';
export * from './python-float.js';
export * from './value.js';
