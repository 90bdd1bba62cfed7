/**
 * The received canonical text that the receive pipeline reuses (src/json/canonical-text.ts) must be byte for byte
 * what the full encoder produces. Every run draws a fresh random corpus (no fixed seed): canonical texts (what
 * Synapse sends) and other spellings of the same values (whitespace, escapes, key order, duplicates, floats, big
 * and negative-zero integers), as text and as UTF-8 bytes, and compares the retaining parse with the plain one.
 */
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import {
  type CanonicalMembersOptions,
  DEFAULT_CANONICAL_MAX_DEPTH,
  encodeCanonicalBytesReusing,
  encodeCanonicalJson,
  encodeCanonicalMembers,
} from '../../src/json/canonical.js';
import { parseJson, parseJsonRetainingCanonicalText, type RetainedJson } from '../../src/json/parse.js';
import {
  isJsonArray,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  type MutableJsonObject,
  setOwn,
} from '../../src/json/value.js';
import { jsonValue, spellJson } from '../helpers/json-arbitrary.js';

/** Every object and array of a value, the value itself first. */
function containers(value: JsonValue, out: object[] = []): object[] {
  if (isJsonArray(value)) {
    out.push(value);
    for (const item of value) containers(item, out);
  } else if (isJsonObject(value)) {
    out.push(value);
    for (const key of Object.keys(value)) containers(value[key] as JsonValue, out);
  }
  return out;
}

/** A structural copy made of fresh objects and arrays (no retained text): what the full encoder sees. */
function copy(value: JsonValue): JsonValue {
  if (isJsonArray(value)) return value.map(copy);
  if (!isJsonObject(value)) return value;
  const out: MutableJsonObject = {};
  for (const key of Object.keys(value)) setOwn(out, key, copy(value[key] as JsonValue));
  return out;
}

/**
 * Canonical texts of random values, placed where the parser records (object members at depths 1 and 2, as the
 * members of a v2 body's event) and elsewhere.
 */
const canonicalText = fc.tuple(jsonValue(), jsonValue(), jsonValue()).map(([a, b, c]) => {
  const text = encodeCanonicalJson({ event: { a, b: [b], c: { c } }, list: [a], z: c });
  return E.isRight(text) ? text.right : 'null';
});
/**
 * Canonical texts whose event is strict canonical JSON (no floats, no big integers), so that it is recorded with its
 * member spans in bytes, with a long value repeated under the same key (as Synapse repeats the stripped state).
 */
const strictCanonicalText = fc
  .tuple(
    jsonValue({ legacyNumbers: false }),
    jsonValue({ legacyNumbers: false }),
    fc.array(jsonValue({ legacyNumbers: false }), { minLength: 8, maxLength: 40 }),
  )
  .map(([a, b, long]) => {
    const text = encodeCanonicalJson({
      event: { a, b: [b], c: { c: long }, unsigned: { repeated: long } },
      repeated: long,
      z: a,
    });
    return E.isRight(text) ? text.right : 'null';
  });
const otherSpelling = fc
  .tuple(jsonValue(), fc.nat(1000))
  .map(([value, variant]) => spellJson(value, variant));
/** Canonical texts with one small change that may or may not keep them canonical. */
const nearlyCanonical = fc
  .tuple(canonicalText, fc.nat(), fc.constantFrom(' ', '\\/', ',"a":1', ',"~":1', '\\u00e9', '-0', '1.0'))
  .map(([text, at, insert]) => {
    const i = at % (text.length + 1);
    return text.slice(0, i) + insert + text.slice(i);
  });

let retainedSeen = 0;

const decoder = new TextDecoder();

/** The canonical JSON of an object from its members (as the receive pipeline assembles it), or the error. */
function assembled(object: JsonObject, options: CanonicalMembersOptions): unknown {
  const members = encodeCanonicalMembers(object, options);
  if (E.isLeft(members)) return members.left;
  const whole = encodeCanonicalBytesReusing(object, members.right, options);
  return E.isLeft(whole) ? whole.left : [decoder.decode(members.right.bytes), decoder.decode(whole.right)];
}

let splicedSeen = 0;

/**
 * An object related to a received one as the signing bytes and the response are to the event: some members kept
 * (the very values), one left out, one replaced by a fresh value, one added; assembled from the received one's
 * members (copied from the received bytes where recorded), it must be what the full encoder writes.
 */
function checkRelated(object: JsonObject, received: RetainedJson['received'], variant: number): void {
  const keys = Object.keys(object);
  const related: MutableJsonObject = {};
  for (const [i, key] of keys.entries()) {
    if (i === variant % (keys.length + 1)) continue; // left out
    setOwn(
      related,
      key,
      i === (variant >> 3) % (keys.length + 1) ? copy(object[key] as JsonValue) : (object[key] as JsonValue),
    );
  }
  if (variant % 5 === 0)
    setOwn(related, keys[(variant >> 5) % Math.max(1, keys.length)] ?? 'k', { fresh: [1, 'é'] });
  setOwn(related, `~added${variant % 3}`, variant % 2 === 0 ? 'x' : [variant]);
  for (const strict of [false, true]) {
    const members = encodeCanonicalMembers(object, { omit: [keys[variant % 7] ?? ''], strict, received });
    if (E.isLeft(members)) continue;
    if (received.memberSpans(object, DEFAULT_CANONICAL_MAX_DEPTH) !== undefined) splicedSeen++;
    const full = encodeCanonicalJson(copy(related), { strict });
    for (const owned of [false, true]) {
      const spliced = encodeCanonicalBytesReusing(related, members.right, {
        strict,
        owned,
        prefix: '[',
        suffix: ']',
      });
      expect(E.isRight(spliced) ? decoder.decode(spliced.right) : spliced.left).toEqual(
        E.isRight(full) ? `[${full.right}]` : full.left,
      );
    }
  }
}

function check(text: string): void {
  const encoder = new TextEncoder();
  for (const raw of [text, encoder.encode(text)]) {
    const plain = parseJson(raw);
    const retained = parseJsonRetainingCanonicalText(raw);
    expect(E.map((r: RetainedJson) => r.value)(retained)).toEqual(plain);
    if (E.isLeft(retained) || E.isLeft(plain)) continue;
    const { value, received } = retained.right;
    for (const container of containers(value)) {
      const kept = received.canonicalText(container, 0, DEFAULT_CANONICAL_MAX_DEPTH);
      if (kept !== undefined) {
        retainedSeen++;
        const full = encodeCanonicalJson(copy(container as JsonValue), { strict: true });
        expect(E.isRight(full) ? full.right : full.left).toBe(kept);
      }
      if (!isJsonObject(container)) continue;
      // The encoders that copy received texts, against the full encoder on a copy, in both modes.
      for (const strict of [false, true]) {
        expect(assembled(container, { strict, received })).toEqual(
          assembled(copy(container) as JsonObject, { strict }),
        );
      }
      checkRelated(container, received, text.length);
    }
  }
}

describe('received canonical text', () => {
  it('is what the full encoder writes, on random canonical texts, text and bytes (every run a new corpus)', () => {
    retainedSeen = 0;
    splicedSeen = 0;
    fc.assert(fc.property(canonicalText, check), { numRuns: 1000 });
    fc.assert(fc.property(strictCanonicalText, check), { numRuns: 500 });
    expect(retainedSeen).toBeGreaterThan(1000);
    // Objects received in bytes with their member spans, whose related objects were spliced from those bytes.
    expect(splicedSeen).toBeGreaterThan(500);
  });

  it('is never kept for other spellings: whitespace, escapes, key order, duplicates, floats, -0, big integers', () => {
    fc.assert(fc.property(fc.oneof(otherSpelling, nearlyCanonical), check), { numRuns: 1500 });
  });

  it('honours every depth limit exactly (deep values are encoded, not copied, where the limit is close)', () => {
    let inner = '1';
    for (let level = 0; level < 60; level++) inner = level % 2 === 0 ? `[${inner}]` : `{"d":${inner}}`;
    const text = `{"a":{"b":${inner}}}`;
    const retained = parseJsonRetainingCanonicalText(text);
    const plain = parseJson(text);
    if (E.isLeft(retained) || E.isLeft(plain)) throw new Error('parse failed');
    const { value, received } = retained.right;
    const object = (value as JsonObject).a as JsonObject;
    expect(received.canonicalText(object.b as object, 0, 512)).toBeUndefined(); // too high to be recorded
    const shallow = parseJsonRetainingCanonicalText('{"a":{"b":[[[[[1]]]]]}}');
    if (E.isLeft(shallow)) throw new Error('parse failed');
    const a = (shallow.right.value as JsonObject).a as JsonObject;
    for (let maxDepth = 1; maxDepth <= 100; maxDepth += 3) {
      expect(assembled(a, { maxDepth, received: shallow.right.received })).toEqual(
        assembled(copy(a) as JsonObject, { maxDepth }),
      );
      expect(assembled(object, { maxDepth, received })).toEqual(
        assembled(copy(object) as JsonObject, { maxDepth }),
      );
    }
  });
});

describe('a long canonical value repeated under the same key (the stripped state Synapse sends twice)', () => {
  const state = Array.from({ length: 6 }, (_, i) => ({
    content: { name: `room ${i} — ça va` },
    sender: '@alice:inviter.example',
    state_key: '',
    type: `m.room.name${i}`,
  }));
  const text = JSON.stringify({
    event: { unsigned: { invite_room_state: state } },
    invite_room_state: state,
  });

  it('parses to the same value as the plain parser, with fresh objects (no sharing between the two places)', () => {
    for (const raw of [text, new TextEncoder().encode(text)]) {
      const retained = parseJsonRetainingCanonicalText(raw);
      if (E.isLeft(retained)) throw new Error('parse failed');
      const value = retained.right.value as JsonObject;
      expect(E.right(value)).toEqual(parseJson(raw));
      const inner = ((value.event as JsonObject).unsigned as JsonObject).invite_room_state as JsonValue[];
      const outer = value.invite_room_state as JsonValue[];
      expect(outer).toEqual(inner);
      expect(outer).not.toBe(inner);
      expect(outer[0]).not.toBe(inner[0]);
      expect((outer[0] as JsonObject).content).not.toBe((inner[0] as JsonObject).content);
      // The copy keeps its received text, as the parsed one would.
      const full = encodeCanonicalJson(outer);
      expect(retained.right.received.canonicalText(outer, 0, DEFAULT_CANONICAL_MAX_DEPTH)).toBe(
        E.isRight(full) ? full.right : 'unencodable',
      );
    }
  });

  it('is parsed again when its text differs, even by one character', () => {
    const changed = text.replace(/room 5/g, (match, at: number) => (at > text.length / 2 ? 'room 6' : match));
    const retained = parseJsonRetainingCanonicalText(new TextEncoder().encode(changed));
    if (E.isLeft(retained)) throw new Error('parse failed');
    const value = retained.right.value as JsonObject;
    expect(JSON.stringify(value.invite_room_state)).toContain('room 6');
    expect(JSON.stringify((value.event as JsonObject).unsigned)).not.toContain('room 6');
  });
});

describe('member spans: what is copied from the received bytes', () => {
  const text = '{"event":{"a":1,"b":"é","c":{"d":[2]},"e":true},"z":{"y":1}}';

  it('a member of the document received in bytes is encoded from its spans, not from member texts', () => {
    const retained = parseJsonRetainingCanonicalText(new TextEncoder().encode(text));
    if (E.isLeft(retained)) throw new Error('parse failed');
    const event = (retained.right.value as JsonObject).event as JsonObject;
    const members = encodeCanonicalMembers(event, { omit: ['c'], received: retained.right.received });
    if (E.isLeft(members)) throw new Error('encoding failed');
    expect(members.right.source).toBe(event);
    expect(members.right.members.size).toBe(0);
    const stripped = encodeCanonicalJson({ a: 1, b: 'é', e: true });
    expect(decoder.decode(members.right.bytes)).toBe(E.isRight(stripped) && stripped.right);
    // A related object: one member replaced, one added, one left out.
    const related = encodeCanonicalBytesReusing(
      { ...event, a: 5, f: null, e: undefined } as unknown as JsonObject,
      members.right,
      {
        prefix: '[',
        suffix: ']',
      },
    );
    const full = encodeCanonicalJson({ a: 5, b: 'é', c: { d: [2] }, f: null });
    expect(E.isRight(related) && decoder.decode(related.right)).toBe(E.isRight(full) && `[${full.right}]`);
  });

  it('the same document as text has no spans: members are kept as texts', () => {
    const retained = parseJsonRetainingCanonicalText(text);
    if (E.isLeft(retained)) throw new Error('parse failed');
    const event = (retained.right.value as JsonObject).event as JsonObject;
    const members = encodeCanonicalMembers(event, { omit: ['c'], received: retained.right.received });
    if (E.isLeft(members)) throw new Error('encoding failed');
    expect(members.right.members.size).toBe(3);
    const stripped = encodeCanonicalJson({ a: 1, b: 'é', e: true });
    expect(decoder.decode(members.right.bytes)).toBe(E.isRight(stripped) && stripped.right);
  });
});
