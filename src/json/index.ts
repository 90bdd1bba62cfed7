export * from './canonical.js';
export * from './parse.js';
export * from './python-float.js';
export * from './value.js';
