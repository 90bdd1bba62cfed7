/**
 * SHA-256, the hash behind content hashes, reference hashes (event IDs) and v12 room IDs: `node:crypto` where the
 * runtime has it, `@noble/hashes` elsewhere, the same bytes everywhere (see the platform layer).
 */
import { isUint8Array } from '../encoding/bytes.js';
import { hashes } from '../platform/hash.js';

const digest = hashes.sha256;

/**
 * SHA-256 of bytes, or of a string's UTF-8 encoding. A value that is neither gives an empty array (never a 32-byte
 * digest, so it can never equal a real hash) instead of throwing.
 */
export function sha256(data: Uint8Array | string): Uint8Array {
  if (typeof data !== 'string' && !isUint8Array(data)) return new Uint8Array(0);
  return digest(data);
}
