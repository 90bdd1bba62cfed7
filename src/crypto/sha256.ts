/**
 * SHA-256, the hash behind content hashes, reference hashes (event IDs) and v12 room IDs: `node:crypto` where the
 * runtime has it, `@noble/hashes` elsewhere, the same bytes everywhere (see the platform layer).
 */
import { hashes } from '../platform/hash.js';

const digest = hashes.sha256;

/** SHA-256 of bytes, or of a string's UTF-8 encoding. */
export function sha256(data: Uint8Array | string): Uint8Array {
  return digest(data);
}
