/** The process-wide backend choices made with `configureCrypto` (internal state; undefined: automatic). */
import type { Ed25519AsyncBackendName, Ed25519BackendName } from './types.js';

/** The configured backends; undefined means "the best available". */
export const configured: {
  backend: Ed25519BackendName | undefined;
  asyncBackend: Ed25519AsyncBackendName | undefined;
} = { backend: undefined, asyncBackend: undefined };
