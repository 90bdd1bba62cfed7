export * from './canonical.js';
export * from './parse.js';
export * from './python-float.js';
export * from './utf8.js';
export * from './value.js';
