export * from './base.js';
export * from './matrix.js';
