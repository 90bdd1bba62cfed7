export * from './redaction.js';
