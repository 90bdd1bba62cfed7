import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { encodeBase64 } from '../../src/encoding/base64.js';
import {
  checkContentHash,
  computeContentHash,
  computeEventId,
  computeReferenceHash,
  computeRoomId,
} from '../../src/events/hashes.js';
import { prepareEvent } from '../../src/events/prepared.js';
import { type JsonObject, withKey } from '../../src/json/value.js';
import { type Vector, vectors } from '../helpers/fixtures.js';
import { left, parseEvent, right } from './helpers.js';

const byId = (list: readonly Vector[], id: string): Vector => {
  const found = list.find((v) => v.id === id);
  if (found === undefined) throw new Error(`missing vector ${id}`);
  return found;
};

describe('computeContentHash: every event_signing vector', () => {
  for (const vector of vectors.event_signing) {
    it(vector.id, () => {
      const event = parseEvent(vector.input_json_text);
      expect(right(computeContentHash(event))).toBe(vector.expected_hashes_sha256);
    });
  }

  it('ignores unsigned, signatures and hashes but covers unknown keys', () => {
    const event = parseEvent(vectors.event_signing[0]?.input_json_text);
    const base = right(computeContentHash(event));
    expect(right(computeContentHash(withKey(event, 'unsigned', { x: 1 })))).toBe(base);
    expect(right(computeContentHash(withKey(event, 'signatures', { a: { b: 'c' } })))).toBe(base);
    expect(right(computeContentHash(withKey(event, 'hashes', { sha256: 'x' })))).toBe(base);
    expect(right(computeContentHash(withKey(event, 'custom', 1)))).not.toBe(base);
  });

  it('synapse dialect also drops age_ts, outlier, destinations', () => {
    const event = parseEvent(vectors.event_signing[0]?.input_json_text);
    const base = right(computeContentHash(event));
    const extra = withKey(withKey(event, 'age_ts', 5), 'outlier', true);
    expect(right(computeContentHash(extra, { dialect: 'synapse' }))).toBe(base);
    expect(right(computeContentHash(extra))).not.toBe(base);
  });

  it('does not mutate its input and is __proto__-safe', () => {
    const event = parseEvent('{"type":"X","content":{},"__proto__":{"a":1},"unsigned":{}}');
    const before = JSON.stringify(Object.entries(event));
    const hash = right(computeContentHash(event));
    expect(hash).not.toBe(right(computeContentHash(parseEvent('{"type":"X","content":{}}'))));
    expect(JSON.stringify(Object.entries(event))).toBe(before);
  });

  it('rejects events without canonical form and non-objects', () => {
    expect(left(computeContentHash({ a: '\ud800' })).reason).toBe('canonical_json');
    expect(left(computeContentHash([] as unknown as JsonObject)).reason).toBe('not_an_object');
  });
});

describe('checkContentHash', () => {
  const event = parseEvent(byId(vectors.event_ids, 'synapse-calculate-event-id').input_json_text as string);

  it('matches the Synapse vector', () => {
    const check = right(checkContentHash(event));
    expect(check).toEqual({
      matches: true,
      expected: check.actual,
      actual: 'FoYV1w3TW/B2mVT0gX2/BZKpCwrrvGXqXFdUhN9LZYU',
    });
  });

  it('mismatch is a Right with matches false', () => {
    const changed = withKey(event, 'depth', 25);
    expect(right(checkContentHash(changed)).matches).toBe(false);
  });

  it('accepts padded and URL-safe received hashes (lenient), strict mode refuses', () => {
    const hashes = { sha256: 'FoYV1w3TW_B2mVT0gX2_BZKpCwrrvGXqXFdUhN9LZYU=' };
    expect(right(checkContentHash(withKey(event, 'hashes', hashes))).matches).toBe(true);
    expect(left(checkContentHash(withKey(event, 'hashes', hashes), { base64Mode: 'strict' })).reason).toBe(
      'hashes_invalid_base64',
    );
  });

  it.each([
    ['missing hashes', undefined, 'hashes_malformed'],
    ['string hashes', 'abc', 'hashes_malformed'],
    ['no sha256', { sha512: 'AA' }, 'hashes_missing_sha256'],
    ['sha256 not a string', { sha256: 5 }, 'hashes_malformed'],
    ['sha256 not base64', { sha256: 'not base64!' }, 'hashes_invalid_base64'],
    ['sha256 bad length', { sha256: 'A' }, 'hashes_invalid_base64'],
  ] as const)('%s is an error, not a mismatch', (_name, hashes, reason) => {
    const input = hashes === undefined ? { ...event, hashes: undefined } : withKey(event, 'hashes', hashes);
    if (hashes === undefined) delete (input as Record<string, unknown>).hashes;
    const error = left(checkContentHash(input as JsonObject));
    expect(error.reason).toBe(reason);
    expect(error.kind).toBe('EventError');
  });

  it('a wrong-length but valid base64 hash is a mismatch', () => {
    expect(right(checkContentHash(withKey(event, 'hashes', { sha256: 'AAAA' }))).matches).toBe(false);
  });
});

describe('event IDs: every event_ids vector', () => {
  const calc = byId(vectors.event_ids, 'synapse-calculate-event-id');
  const event = parseEvent(calc.input_json_text as string);

  it('synapse-calculate-event-id: RV3 standard, RV4-10 URL-safe, RV11-12 v11 redaction, RV1-2 error', () => {
    const expected = calc.expected as Record<string, string>;
    expect(right(computeEventId(event, '3'))).toBe(expected['3']);
    for (const rv of ['4', '5', '6', '7', '8', '9', '10'])
      expect(right(computeEventId(event, rv))).toBe(expected['10']);
    for (const rv of ['11', '12'])
      expect(right(computeEventId(event, rv))).toBe(calc.computed_event_id_v11_v12);
    for (const rv of ['1', '2']) expect(left(computeEventId(event, rv)).reason).toBe('event_id_not_computed');
    expect(right(checkContentHash(event)).matches).toBe(calc.content_hash_matches);
  });

  it('synapse-calculate-event-id: the redacted form gives the same ID', () => {
    const redacted = right(prepareEvent(event, '10')).redacted;
    expect(right(computeEventId(redacted, '10'))).toBe((calc.expected as Record<string, string>)['10']);
  });

  it('synapse-calculate-event-id-big-int: relaxed canonical JSON even in RV6+', () => {
    const big = byId(vectors.event_ids, 'synapse-calculate-event-id-big-int');
    const bigEvent = parseEvent(big.input_json_text as string);
    expect(typeof bigEvent.depth).toBe('bigint');
    const ids = big.computed_event_ids as Record<string, string>;
    expect(right(computeEventId(bigEvent, '3'))).toBe(ids['3']);
    for (const rv of ['4', '5', '6', '7', '8', '9', '10'])
      expect(right(computeEventId(bigEvent, rv))).toBe(ids['4-10']);
    for (const rv of ['11', '12']) expect(right(computeEventId(bigEvent, rv))).toBe(ids['11-12']);
  });

  it('spec-event-minimal-reference-hash', () => {
    const vector = byId(vectors.event_ids, 'spec-event-minimal-reference-hash');
    const signed = parseEvent(vector.input_json_text as string);
    const expected = vector.expected as Record<string, string>;
    for (const rv of ['3', '4', '10'])
      expect(right(computeEventId(signed, rv))).toBe(expected['v1-redaction (rooms 3-10)']);
    for (const rv of ['11', '12']) {
      expect(right(computeEventId(signed, rv))).toBe(expected['v11-redaction URL-safe (rooms 11-12)']);
    }
    // The standard-alphabet rendering of the v11 hash (a custom version with v3 IDs and v11 redaction).
    const hash = right(computeReferenceHash(signed, '11'));
    expect(`$${Buffer.from(hash).toString('base64').replace(/=+$/, '')}`).toBe(
      expected['v11-redaction standard alphabet'],
    );
  });

  for (const id of ['invite-v10-event-id', 'invite-v11-event-id', 'invite-v12-event-id']) {
    it(id, () => {
      const vector = byId(vectors.event_ids, id);
      const signing = byId(vectors.event_signing, vector.see_event_signing as string);
      const rv = (vector.room_version as string).replace('room version ', '');
      const event = withKey(parseEvent(signing.input_json_text as string), 'hashes', {
        sha256: signing.expected_hashes_sha256 as string,
      });
      expect(right(computeEventId(event, rv))).toBe(vector.expected);
      // Signatures and unsigned do not affect the ID.
      const decorated = withKey(withKey(event, 'signatures', { x: { 'ed25519:1': 'sig' } }), 'unsigned', {
        age: 1,
      });
      expect(right(computeEventId(decorated, rv))).toBe(vector.expected);
    });
  }

  it('reference hash is 32 bytes and event ID is its base64', () => {
    const hash = right(computeReferenceHash(event, '10'));
    expect(hash).toHaveLength(32);
    expect(right(computeEventId(event, '10'))).toBe(`$${encodeBase64(hash, { urlSafe: true })}`);
  });

  it('unknown room versions and unredactable events are typed errors', () => {
    expect(left(computeEventId(event, '99')).reason).toBe('unknown_room_version');
    expect(left(computeEventId(parseEvent('{"type":"X"}'), '10')).reason).toBe('missing_content');
    expect(left(computeReferenceHash({ type: 'X', content: {}, origin: '\ud800' }, '10')).reason).toBe(
      'canonical_json',
    );
  });
});

describe('computeRoomId: room_ids vectors', () => {
  for (const vector of vectors.room_ids) {
    it(vector.id, () => {
      const create = parseEvent(vector.input_json_text);
      expect(right(computeRoomId(create, vector.room_version))).toBe(vector.expected_room_id);
      expect(right(computeRoomId(create))).toBe(vector.expected_room_id);
      expect(right(computeEventId(create, vector.room_version))).toBe(vector.expected_create_event_id);
      expect(right(checkContentHash(create)).matches).toBe(vector.content_hash_matches);
    });
  }

  it('only room 12 derives room IDs, only from m.room.create', () => {
    const create = parseEvent(vectors.room_ids[0]?.input_json_text);
    expect(left(computeRoomId(create, '11')).reason).toBe('room_id_not_computed');
    expect(left(computeRoomId(withKey(create, 'type', 'm.room.member'))).reason).toBe('not_a_create_event');
  });

  // Synapse's redact() drops room_id from a room 12 create event (rust/src/events/utils.rs, test_redact_m_room_create),
  // so calculate_event_id gives a create event that carries one the same ID as without it.
  it('a room_id on the create event changes neither its event ID nor the room ID', () => {
    const vector = vectors.room_ids[0] as Vector;
    const withRoomId = withKey(parseEvent(vector.input_json_text), 'room_id', '!other:example.org');
    expect(right(computeEventId(withRoomId, '12'))).toBe(vector.expected_create_event_id);
    expect(right(computeRoomId(withRoomId))).toBe(vector.expected_room_id);
  });

  it('the invite-v12 vector lives in that room', () => {
    const invite = parseEvent(byId(vectors.event_signing, 'invite-v12').input_json_text as string);
    const create = parseEvent(vectors.room_ids[0]?.input_json_text);
    expect(E.map((id: string) => id === invite.room_id)(computeRoomId(create))).toEqual(E.right(true));
  });
});
