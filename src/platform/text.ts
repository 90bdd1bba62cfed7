/**
 * UTF-8 and base64 text. `TextEncoder`/`TextDecoder` exist on every runtime; UTF-8 lengths and long base64 use
 * `node:buffer` where the runtime has it (Node, Bun, Deno, workerd with `nodejs_compat`), portable JavaScript
 * elsewhere. Same results everywhere.
 */
import { type Builtins, builtins } from './builtins.js';

/*
 * `TextEncoder.encode` allocates per call and costs about 1.7 µs for a 600-byte event. Small results are written
 * straight into a shared pool, as Node's `Buffer` does for small allocations (8 KiB slabs, results up to 4 KiB):
 * each is a view of its own region, and no fresh `ArrayBuffer` is made (a typed array larger than 64 bytes costs
 * about 0.6 µs more, measured). Larger ones are written into a reused scratch buffer and copied out (`slice`).
 */
const encoder = new TextEncoder();
const SCRATCH_LIMIT = 1 << 20;
let scratch = new Uint8Array(16 * 1024);
const POOL_SIZE = 8 * 1024;
const POOLED_MAX = POOL_SIZE / 2;
let pool = new Uint8Array(POOL_SIZE);
let poolOffset = 0;

/**
 * The UTF-8 bytes of `text` (lone surrogates, which canonical JSON never contains, become U+FFFD). A value that is
 * not a string gives no bytes (never throws). Up to 4 KiB the result is a view of a shared 8 KiB pool, like a small
 * Node `Buffer`: for bytes used inside the library only (hashed, signed, verified); bytes returned to a caller come
 * from {@link utf8EncodeOwned}.
 */
export function utf8Encode(text: string): Uint8Array {
  if (typeof text !== 'string') return new Uint8Array(0);
  if (text.length <= POOLED_MAX) {
    // At least one byte per UTF-16 code unit: when that much is left in the pool, try there. (A pool whose buffer
    // a caller transferred, detaching it, reads as length 0 and is replaced too.)
    if (text.length > POOL_SIZE - poolOffset || pool.length === 0) {
      pool = new Uint8Array(POOL_SIZE);
      poolOffset = 0;
    }
    const { read, written } = encoder.encodeInto(text, pool.subarray(poolOffset, poolOffset + POOLED_MAX));
    if (read === text.length) {
      const out = pool.subarray(poolOffset, poolOffset + written);
      // The next result starts 8-byte aligned, as Node's pool does.
      poolOffset += (written + 7) & ~7;
      return out;
    }
  }
  return encodeCopied(text);
}

/** Encodes into the reused scratch buffer and copies the result out (`slice`: a buffer of its own). */
function encodeCopied(text: string): Uint8Array {
  const worstCase = text.length * 3;
  if (worstCase > scratch.length) {
    if (worstCase > SCRATCH_LIMIT) return encoder.encode(text);
    scratch = new Uint8Array(worstCase);
  }
  const { written } = encoder.encodeInto(text, scratch);
  return scratch.slice(0, written);
}

/**
 * The UTF-8 bytes of `text` in an `ArrayBuffer` of their own, exactly as long: for bytes handed to callers (a
 * response body, signing bytes), who may read or transfer `.buffer` as a whole. {@link utf8Encode}'s pooled views
 * stay inside the library.
 */
export function utf8EncodeOwned(text: string): Uint8Array {
  return typeof text === 'string' ? encodeCopied(text) : new Uint8Array(0);
}

/**
 * UTF-8 output assembled from pieces (text, and byte ranges copied as they are) in a reused scratch buffer, then
 * copied out once: the received bytes of unchanged members are copied instead of decoded and encoded again. One
 * assembly at a time (synchronous; {@link utf8Assembly} starts a new one).
 */
export interface Utf8Assembly {
  /** Appends the UTF-8 encoding of `text`. */
  text(text: string): void;
  /** Appends `bytes[start..end)` as they are. */
  bytes(bytes: Uint8Array, start: number, end: number): void;
  /** The assembled bytes: `owned` in an `ArrayBuffer` of their own, else (up to 4 KiB) a view of the shared pool. */
  finish(owned: boolean): Uint8Array;
}

let assemblyBuffer = new Uint8Array(16 * 1024);
let assemblyLength = 0;

function reserve(extra: number): void {
  const needed = assemblyLength + extra;
  if (needed <= assemblyBuffer.length) return;
  const grown = new Uint8Array(Math.max(needed, assemblyBuffer.length * 2));
  grown.set(assemblyBuffer.subarray(0, assemblyLength));
  assemblyBuffer = grown;
}

const assembly: Utf8Assembly = {
  text(text: string): void {
    const length = text.length;
    reserve(length * 3);
    const buffer = assemblyBuffer;
    let at = assemblyLength;
    // Short ASCII text (keys, numbers, signatures) is copied a character at a time; anything else is encoded.
    if (length <= 64) {
      let i = 0;
      for (; i < length; i++) {
        const c = text.charCodeAt(i);
        if (c >= 0x80) break;
        buffer[at++] = c;
      }
      if (i === length) {
        assemblyLength = at;
        return;
      }
      at = assemblyLength;
    }
    assemblyLength = at + encoder.encodeInto(text, buffer.subarray(at)).written;
  },
  bytes(bytes: Uint8Array, start: number, end: number): void {
    reserve(end - start);
    assemblyBuffer.set(bytes.subarray(start, end), assemblyLength);
    assemblyLength += end - start;
  },
  finish(owned: boolean): Uint8Array {
    const length = assemblyLength;
    assemblyLength = 0;
    if (owned || length > POOLED_MAX) return assemblyBuffer.slice(0, length);
    if (length > POOL_SIZE - poolOffset || pool.length === 0) {
      pool = new Uint8Array(POOL_SIZE);
      poolOffset = 0;
    }
    const out = pool.subarray(poolOffset, poolOffset + length);
    out.set(assemblyBuffer.subarray(0, length));
    poolOffset += (length + 7) & ~7;
    return out;
  },
};

/** Starts a new {@link Utf8Assembly} (the previous one, if unfinished, is discarded). */
export function utf8Assembly(): Utf8Assembly {
  assemblyLength = 0;
  return assembly;
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
  /**
   * The bytes as a string of one character per byte (latin1) when they are well-formed UTF-8, else undefined; both
   * native (no UTF-16 decoding). Absent where the runtime lacks `node:buffer`'s `isUtf8`.
   */
  readonly latin1OfUtf8?: (bytes: Uint8Array) => string | undefined;
}

/** The text helpers for the given built-ins ({@link text} is the one of this process). */
export function createTextHelpers(available: Builtins): TextHelpers {
  const nodeBuffer = available.buffer;
  if (nodeBuffer === undefined) return { utf8ByteLength: portableUtf8ByteLength };
  const view = (bytes: Uint8Array) => nodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const isUtf8 = available.isUtf8;
  const helpers: TextHelpers = {
    utf8ByteLength: (text) => nodeBuffer.byteLength(text, 'utf8'),
    nativeBase64: (bytes, alphabet) => view(bytes).toString(alphabet),
  };
  if (isUtf8 === undefined) return helpers;
  return {
    ...helpers,
    latin1OfUtf8: (bytes) => (isUtf8(bytes) ? view(bytes).toString('latin1') : undefined),
  };
}

/** The text helpers of this process. */
export const text: TextHelpers = createTextHelpers(builtins);

/** UTF-8 length of `text`: native `Buffer.byteLength` where the runtime has `node:buffer`, else JavaScript. */
export const utf8Length: (text: string) => number = text.utf8ByteLength;
