export * from './rules.js';
export * from './versions.js';
