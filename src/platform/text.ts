/**
 * UTF-8 and base64 text. `TextEncoder`/`TextDecoder` exist on every runtime; UTF-8 lengths and long base64 use
 * `node:buffer` where the runtime has it (Node, Bun, Deno, workerd with `nodejs_compat`), portable JavaScript
 * elsewhere. Same results everywhere.
 */
import { type Builtins, builtins } from './builtins.js';

/*
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

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes well-formed UTF-8 (a BOM is kept as U+FEFF); throws a `TypeError` on malformed input. */
export function utf8DecodeStrict(bytes: Uint8Array): string {
  return strictDecoder.decode(bytes);
}

/**
 * UTF-8 length of a string without encoding it; a lone surrogate counts 3 bytes (what `TextEncoder` and Node's
 * `Buffer.byteLength` write for it, U+FFFD).
 */
export function portableUtf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** Text helpers of one runtime. */
export interface TextHelpers {
  /** UTF-8 length of `text` (see {@link portableUtf8ByteLength}). */
  readonly utf8ByteLength: (text: string) => number;
  /**
   * Native base64 of bytes, padded, in the `base64` or `base64url` (unpadded) alphabet; undefined when the runtime
   * has no native encoder (the caller then encodes in JavaScript).
   */
  readonly nativeBase64?: (bytes: Uint8Array, alphabet: 'base64' | 'base64url') => string;
}

/** The text helpers for the given built-ins ({@link text} is the one of this process). */
export function createTextHelpers(available: Builtins): TextHelpers {
  const nodeBuffer = available.buffer;
  if (nodeBuffer === undefined) return { utf8ByteLength: portableUtf8ByteLength };
  return {
    utf8ByteLength: (text) => nodeBuffer.byteLength(text, 'utf8'),
    nativeBase64: (bytes, alphabet) =>
      nodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(alphabet),
  };
}

/** The text helpers of this process. */
export const text: TextHelpers = createTextHelpers(builtins);

/** UTF-8 length of `text`: native `Buffer.byteLength` where the runtime has `node:buffer`, else JavaScript. */
export const utf8Length: (text: string) => number = text.utf8ByteLength;
