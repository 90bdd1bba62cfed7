/**
 * UTF-8 encoding of the (well-formed) strings the library hashes, signs and sends.
 *
 * `TextEncoder.encode` allocates per call and costs about 1.7 µs for a 600-byte event; `encodeInto` a reused
 * scratch buffer plus one `slice` costs about 0.6 µs, and the result owns its memory (no pooled slab is shared).
 */
const encoder = new TextEncoder();
const SCRATCH_LIMIT = 1 << 20;
let scratch = new Uint8Array(16 * 1024);

/**
 * The UTF-8 bytes of `text` (lone surrogates, which canonical JSON never contains, become U+FFFD). A value that is
 * not a string gives no bytes (never throws).
 */
export function utf8Encode(text: string): Uint8Array {
  if (typeof text !== 'string') return new Uint8Array(0);
  const worstCase = text.length * 3;
  if (worstCase > scratch.length) {
    if (worstCase > SCRATCH_LIMIT) return encoder.encode(text);
    scratch = new Uint8Array(worstCase);
  }
  const { written } = encoder.encodeInto(text, scratch);
  return scratch.slice(0, written);
}
