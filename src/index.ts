/**
 * matrix-federation-invite: pure functions for Matrix federation invites
 * (`PUT /_matrix/federation/v1|v2/invite/{roomId}/{eventId}`), verdicts equal to Synapse's.
 *
 * @packageDocumentation
 */

export * from './crypto/index.js';
export * from './encoding/index.js';
export * from './errors/index.js';
export * from './events/index.js';
export * from './identifiers/index.js';
export * from './invite/index.js';
export * from './json/index.js';
export * from './room-versions/index.js';
export * from './server-keys/index.js';
export * from './x-matrix/index.js';
