/**
 * Received canonical text, kept for encoding again.
 *
 * Synapse sends canonical JSON (its federation client writes `encode_canonical_json`), and the receive pipeline
 * encodes most of what it received again: the content hash input, the signing bytes and the response are made of the
 * event's members. When a parsed object or array was written as strict canonical JSON, its raw text is exactly what
 * the canonical encoder would produce for it, so the parser (`parseJsonRetainingCanonicalText`) records that text
 * and the encoder copies it instead of walking the value again.
 *
 * Exactness rests on two facts:
 * - the text is canonical in the strict sense (sorted unique keys, no whitespace, canonical string escapes, integers
 *   within +/-(2^53-1), no `-0`, no floats), so it is also the relaxed encoding and passes the strict check; the
 *   parser makes sure of it, and test/json/canonical-text.test.ts compares every recorded text with the full encoder
 *   on a random corpus every run;
 * - the value has not changed since it was parsed: the texts of one document live in one {@link ReceivedText}, handed
 *   explicitly to the encoders of one pipeline run, which uses them only before any caller code can see the values
 *   (the receive pipeline encodes its response in full after a policy hook ran). Freezing the values instead was
 *   measured at a third of the parse time; a process-wide `WeakMap` several times slower per entry than this map.
 */
import { utf8DecodeStrict } from '../platform/text.js';

/**
 * The deepest nesting inside a recorded value (its height: 1 for a value holding no object or array). Deeper values
 * are not recorded, so that a caller's depth limit is honoured without knowing each value's height: the text stands
 * in for an encoding only where the value's own depth plus this height is within the limit.
 */
export const MAX_RETAINED_HEIGHT = 32;

/**
 * Where the members of an object received as strict canonical JSON lie in the received UTF-8 bytes (binary mode
 * only, where a text index is a byte index): member `i` (`"key":value`, key `keys[i]`) runs from `starts[i]` to the
 * comma before `starts[i + 1]`, the last one to `end` (its closing brace). The keys are in canonical (code point)
 * order, each once.
 */
export interface MemberSpans {
  readonly bytes: Uint8Array;
  readonly keys: readonly string[];
  readonly starts: readonly number[];
  readonly end: number;
}

/** The canonical texts recorded while parsing one document. */
export class ReceivedText {
  /** The text, or its UTF-8 bytes until first asked for (decoding is then paid only for what is used). */
  readonly #texts = new Map<object, string | Uint8Array>();
  /** Member spans of the recorded objects of a document parsed from bytes. */
  readonly #spans = new Map<object, MemberSpans>();

  /** Records the canonical text (or its well-formed UTF-8 bytes) of an object or array (the parser only). */
  record(value: object, text: string | Uint8Array): void {
    this.#texts.set(value, text);
  }

  /** Records where the members of a recorded object lie in the received bytes (the parser only). */
  recordMembers(object: object, spans: MemberSpans): void {
    this.#spans.set(object, spans);
  }

  /**
   * The member spans of `object` when it was received as strict canonical JSON in bytes and, sitting at the top of
   * a walk limited to `maxDepth` levels, needs no walking (as {@link ReceivedText.isCanonical}).
   */
  memberSpans(object: object, maxDepth: number): MemberSpans | undefined {
    return MAX_RETAINED_HEIGHT <= maxDepth ? this.#spans.get(object) : undefined;
  }

  /**
   * The recorded text of `value` as received, under the conditions of {@link ReceivedText.isCanonical}: an ASCII
   * string, or the UTF-8 bytes when it holds anything else (not decoded).
   */
  receivedForm(value: object, depth: number, maxDepth: number): string | Uint8Array | undefined {
    return depth + MAX_RETAINED_HEIGHT <= maxDepth ? this.#texts.get(value) : undefined;
  }

  /**
   * True when `value` was received as strict canonical JSON and, sitting at `depth` (0: the top) of a walk limited
   * to `maxDepth` levels, needs no walking.
   */
  isCanonical(value: object, depth: number, maxDepth: number): boolean {
    return depth + MAX_RETAINED_HEIGHT <= maxDepth && this.#texts.has(value);
  }

  /** The recorded canonical text of `value` under the same conditions as {@link ReceivedText.isCanonical}. */
  canonicalText(value: object, depth: number, maxDepth: number): string | undefined {
    if (depth + MAX_RETAINED_HEIGHT > maxDepth) return undefined;
    const text = this.#texts.get(value);
    if (text === undefined || typeof text === 'string') return text;
    const decoded = utf8DecodeStrict(text);
    this.#texts.set(value, decoded);
    return decoded;
  }
}

/** True when `value` (at the top of a walk limited to `maxDepth` levels) was received as strict canonical JSON. */
export function isReceivedCanonical(
  received: ReceivedText | undefined,
  value: unknown,
  maxDepth: number,
): boolean {
  return (
    received !== undefined &&
    typeof value === 'object' &&
    value !== null &&
    received.isCanonical(value, 0, maxDepth)
  );
}
