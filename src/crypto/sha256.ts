/**
 * SHA-256, the hash behind content hashes, reference hashes (event IDs) and v12 room IDs: `node:crypto` where the
 * runtime has it, `@noble/hashes` elsewhere, the same bytes everywhere (see the platform layer).
 */
import { encodeBase64 } from '../encoding/base64.js';
import { isUint8Array } from '../encoding/bytes.js';
import { hashes } from '../platform/hash.js';

const digest = hashes.sha256;
const digestText = hashes.sha256Text;

/**
 * SHA-256 of bytes, or of a string's UTF-8 encoding. A value that is neither gives an empty array (never a 32-byte
 * digest, so it can never equal a real hash) instead of throwing.
 */
export function sha256(data: Uint8Array | string): Uint8Array {
  if (typeof data !== 'string' && !isUint8Array(data)) return new Uint8Array(0);
  return digest(data);
}

/**
 * SHA-256 as unpadded base64 (`standard` for content hashes, `url-safe` for event IDs), straight from the runtime's
 * one-shot hash where it can encode: no digest bytes (a fresh typed array) in between. A value that is neither
 * bytes nor a string gives `''` (never a hash) instead of throwing.
 */
export function sha256Base64(data: Uint8Array | string, alphabet: 'standard' | 'url-safe'): string {
  if (typeof data !== 'string' && !isUint8Array(data)) return '';
  if (digestText === undefined) {
    const bytes = digest(data);
    return encodeBase64(bytes, { urlSafe: alphabet === 'url-safe' });
  }
  // 32 bytes are 43 base64 characters and one `=` of padding (`base64url` comes unpadded).
  return alphabet === 'standard' ? digestText(data, 'base64').slice(0, 43) : digestText(data, 'base64url');
}
