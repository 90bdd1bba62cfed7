import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import {
  checkEventFieldLimits,
  checkEventLimits,
  checkEventSize,
  MAX_PDU_SIZE_BYTES,
} from '../../src/events/limits.js';
import {
  conformsToPdu,
  makePduCodec,
  type PduCodecParams,
  PduV1Codec,
  PduV3Codec,
  PduV12Codec,
  validatePduShape,
} from '../../src/events/pdu.js';
import { utf8ByteLength } from '../../src/identifiers/common.js';
import { JsonFloat, type JsonObject, omitKeys, withKey } from '../../src/json/value.js';
import { applyMutation, mutationOf } from '../fuzz/mutations.js';
import { vectors } from '../helpers/fixtures.js';
import { ALL_ROOM_VERSIONS, left, parseEvent, right } from './helpers.js';

const v3Event: JsonObject = {
  type: 'm.room.member',
  state_key: '@bob:invitee.example',
  sender: '@alice:inviter.example',
  room_id: '!room:inviter.example',
  origin: 'inviter.example',
  origin_server_ts: 1700000000000,
  depth: 10,
  auth_events: ['$auth1'],
  prev_events: ['$prev1'],
  content: { membership: 'invite' },
  hashes: { sha256: 'Jf46UZEMtjN9bSxdZtCD0xXK1spyDmMH078imExd8u4' },
  signatures: { 'inviter.example': { 'ed25519:1': 'sig' } },
  unsigned: {},
};
const v1Event: JsonObject = {
  ...omitKeys(v3Event, ['auth_events', 'prev_events']),
  event_id: '$abc:inviter.example',
  auth_events: [['$auth1:x', { sha256: 'AAAA' }]],
  prev_events: [],
};
const v12Event: JsonObject = withKey(v3Event, 'room_id', '!BeXKh925K_M46DwsuJFR0EyBpE1P7CFUDGuWW4xw55Y');

const reasonOf = (event: unknown, rv: string) => left(validatePduShape({ event, roomVersion: rv }));

describe('conformsToPdu (the happy path without io-ts)', () => {
  const create12: JsonObject = omitKeys(withKey(v12Event, 'type', 'm.room.create'), ['room_id']);
  const cases: [string, JsonObject, PduCodecParams][] = [
    ['v1', v1Event, { pduFormat: 'v1', maxDepth: 2n ** 63n - 1n, maxAuthEvents: 10, maxPrevEvents: 20 }],
    ['v3', v3Event, { pduFormat: 'v3', maxDepth: 2n ** 63n - 1n, maxAuthEvents: 10, maxPrevEvents: 20 }],
    ['v3, depth ≤ 10', v3Event, { pduFormat: 'v3', maxDepth: 10n, maxAuthEvents: 1, maxPrevEvents: 1 }],
    ['v12', v12Event, { pduFormat: 'v12', maxDepth: 2n ** 53n - 1n, maxAuthEvents: 10, maxPrevEvents: 20 }],
    [
      'v12 create',
      create12,
      { pduFormat: 'v12', maxDepth: 2n ** 53n - 1n, maxAuthEvents: 10, maxPrevEvents: 20 },
    ],
  ];
  it.each(cases)(
    'accepts exactly what the io-ts codec accepts (%s, 3000 mutated events)',
    (_, base, params) => {
      const codec = makePduCodec(params);
      fc.assert(
        fc.property(mutationOf(base), (mutation) => {
          const { value } = applyMutation(base, mutation);
          if (value === undefined) return;
          expect(conformsToPdu(value, params)).toBe(E.isRight(codec.validate(value, [])));
        }),
        { seed: 20261130, numRuns: 3000 },
      );
    },
  );
});

describe('validatePduShape', () => {
  it('accepts well-formed PDUs of each format and returns the same object (unknown keys kept)', () => {
    for (const rv of ['1', '2'])
      expect(right(validatePduShape({ event: v1Event, roomVersion: rv }))).toBe(v1Event);
    for (const rv of ['3', '4', '5', '6', '7', '8', '9', '10', '11'])
      expect(right(validatePduShape({ event: v3Event, roomVersion: rv }))).toBe(v3Event);
    expect(right(validatePduShape({ event: v12Event, roomVersion: '12' }))).toBe(v12Event);
    expect(PduV1Codec.is(v1Event)).toBe(true);
    expect(PduV3Codec.is(v3Event)).toBe(true);
    expect(PduV12Codec.is(v12Event)).toBe(true);
    expect(PduV3Codec.is(v1Event)).toBe(false);
  });

  it('accepts the Synapse event vectors and the v12 create event', () => {
    const calc = parseEvent(vectors.event_ids[0]?.input_json_text);
    for (const rv of ['3', '10', '11']) right(validatePduShape({ event: calc, roomVersion: rv }));
    right(validatePduShape({ event: parseEvent(vectors.room_ids[0]?.input_json_text), roomVersion: '12' }));
  });

  it.each([
    ['type', 'missing_field'],
    ['content', 'missing_field'],
    ['sender', 'missing_field'],
    ['origin_server_ts', 'missing_field'],
    ['depth', 'missing_field'],
    ['hashes', 'missing_field'],
    ['signatures', 'missing_field'],
    ['room_id', 'missing_field'],
    ['auth_events', 'missing_field'],
    ['prev_events', 'missing_field'],
  ] as const)('missing %s', (field, reason) => {
    const error = reasonOf(omitKeys(v3Event, [field]), '10');
    expect(error.reason).toBe(reason);
    expect(error.path).toEqual([field]);
  });

  it.each([
    ['type', 5, 'wrong_type', ['type']],
    ['content', [], 'wrong_type', ['content']],
    ['content', new JsonFloat(1), 'wrong_type', ['content']],
    ['state_key', 5, 'wrong_type', ['state_key']],
    ['unsigned', 'x', 'wrong_type', ['unsigned']],
    ['origin_server_ts', true, 'not_an_integer', ['origin_server_ts']],
    ['depth', new JsonFloat(10), 'not_an_integer', ['depth']],
    ['depth', 1.5, 'not_an_integer', ['depth']],
    ['depth', -1, 'depth_out_of_range', ['depth']],
    ['hashes', { sha512: 'x' }, 'missing_sha256', ['hashes']],
    ['hashes', { sha256: 5 }, 'wrong_type', ['hashes', 'sha256']],
    ['signatures', { 'a.example': 'x' }, 'wrong_type', ['signatures', 'a.example']],
    [
      'signatures',
      { 'a.example': { 'ed25519:1': 1 } },
      'wrong_type',
      ['signatures', 'a.example', 'ed25519:1'],
    ],
    ['prev_events', ['$a', 5], 'wrong_type', ['prev_events', 1]],
    ['auth_events', Array.from({ length: 11 }, (_, i) => `$${i}`), 'too_many_auth_events', ['auth_events']],
    ['prev_events', Array.from({ length: 21 }, (_, i) => `$${i}`), 'too_many_prev_events', ['prev_events']],
    ['event_id', '$x', 'event_id_not_allowed', ['event_id']],
  ] as const)('%s = %o -> %s', (field, value, reason, path) => {
    // Room 5: floats are legal JSON there, so the shape check (not strict canonical JSON) reports them.
    const error = reasonOf(withKey(v3Event, field, value), '5');
    expect(error.reason).toBe(reason);
    expect(error.path).toEqual(path);
    expect(error.message).toContain('$.');
  });

  it('limits are inclusive (10 auth, 20 prev)', () => {
    const ten = withKey(
      v3Event,
      'auth_events',
      Array.from({ length: 10 }, (_, i) => `$${i}`),
    );
    right(
      validatePduShape({
        event: withKey(
          ten,
          'prev_events',
          Array.from({ length: 20 }, (_, i) => `$${i}`),
        ),
        roomVersion: '10',
      }),
    );
  });

  it('depth bounds are per room version and bigint-aware', () => {
    const big = withKey(v3Event, 'depth', 2n ** 53n);
    right(validatePduShape({ event: big, roomVersion: '5' }));
    expect(reasonOf(big, '6').reason).toBe('not_canonical_json');
    expect(reasonOf(big, '6').path).toEqual(['depth']);
    right(validatePduShape({ event: withKey(v3Event, 'depth', 2n ** 63n - 1n), roomVersion: '5' }));
    expect(reasonOf(withKey(v3Event, 'depth', 2n ** 63n), '5').reason).toBe('depth_out_of_range');
    expect(reasonOf(big, '6')).toBeDefined();
    // Synapse's 2^53-1 bound in every version, as an option.
    expect(left(validatePduShape({ event: big, roomVersion: '5', maxDepth: 2n ** 53n - 1n })).reason).toBe(
      'depth_out_of_range',
    );
    expect(
      left(
        validatePduShape({
          event: withKey(v3Event, 'depth', 2n ** 53n),
          roomVersion: '10',
          strictCanonicalJson: false,
        }),
      ).reason,
    ).toBe('depth_out_of_range');
  });

  it('strict canonical JSON in RV6+, including unsigned', () => {
    const floaty = withKey(v3Event, 'unsigned', {
      invite_room_state: [{ content: { x: new JsonFloat(1) } }],
    });
    right(validatePduShape({ event: floaty, roomVersion: '5' }));
    const error = reasonOf(floaty, '6');
    expect(error.reason).toBe('not_canonical_json');
    expect(error.path).toEqual(['unsigned', 'invite_room_state', 0, 'content', 'x']);
  });

  it('v1 needs event_id, room_id and reference pairs', () => {
    expect(reasonOf(omitKeys(v1Event, ['event_id']), '1').path).toEqual(['event_id']);
    expect(reasonOf(omitKeys(v1Event, ['room_id']), '2').path).toEqual(['room_id']);
    expect(reasonOf(withKey(v1Event, 'auth_events', ['$a']), '1').reason).toBe('invalid_event_reference');
    expect(reasonOf(withKey(v1Event, 'auth_events', [['$a', { sha256: 'x' }, 1]]), '1').reason).toBe(
      'invalid_event_reference',
    );
    const badHash = reasonOf(withKey(v1Event, 'auth_events', [['$a', {}]]), '1');
    expect(badHash.reason).toBe('missing_sha256');
    expect(badHash.path).toEqual(['auth_events', 0, 1]);
    expect(reasonOf(v3Event, '1').issues.map((i) => [i.reason, i.path])).toContainEqual([
      'missing_field',
      ['event_id'],
    ]);
  });

  it('v12: create has no room_id, others need a !-prefixed one', () => {
    const create = parseEvent(vectors.room_ids[0]?.input_json_text);
    expect(reasonOf(withKey(create, 'room_id', '!x'), '12').reason).toBe('room_id_not_allowed');
    expect(reasonOf(omitKeys(v12Event, ['room_id']), '12').reason).toBe('missing_field');
    expect(reasonOf(withKey(v12Event, 'room_id', 'x'), '12').reason).toBe('invalid_room_id');
    // Rooms 3-11 require room_id on create events too.
    expect(reasonOf(create, '11').path).toEqual(['room_id']);
  });

  it('lists every issue, reports unknown versions and non-objects', () => {
    const error = reasonOf(omitKeys(v3Event, ['type', 'sender']), '10');
    expect(error.issues.map((i) => i.path)).toEqual([['type'], ['sender']]);
    expect(reasonOf(v3Event, '99').reason).toBe('unknown_room_version');
    expect(reasonOf([], '10').reason).toBe('not_an_object');
    expect(reasonOf(null, '10').reason).toBe('not_an_object');
  });

  it('own __proto__ keys are ordinary data', () => {
    const withProto = parseEvent('{"__proto__":{"type":"x"}}');
    expect(reasonOf(withProto, '10').reason).toBe('missing_field');
    right(validatePduShape({ event: { ...v3Event, ...withProto }, roomVersion: '10' }));
  });

  it('never throws on any room version for junk', () => {
    for (const rv of ALL_ROOM_VERSIONS) {
      for (const junk of [1, 'x', true, [], {}, { type: {} }, v3Event, v1Event, v12Event]) {
        expect(() => validatePduShape({ event: junk, roomVersion: rv })).not.toThrow();
      }
    }
  });
});

describe('size limits', () => {
  it('counts UTF-8 bytes', () => {
    expect(utf8ByteLength('a')).toBe(1);
    expect(utf8ByteLength('é')).toBe(2);
    expect(utf8ByteLength('日')).toBe(3);
    expect(utf8ByteLength('🐈')).toBe(4);
    expect(utf8ByteLength('\ud800x')).toBe(4);
    for (const s of ['abc', 'é日🐈', '\u0000\u07ff\u0800\uffff'])
      expect(utf8ByteLength(s)).toBe(Buffer.byteLength(s));
  });

  it('255-byte fields: 64 cats (256 bytes) fail, 63 cats + 3 ASCII (255) pass', () => {
    const cats = '🐈'.repeat(64);
    for (const field of ['type', 'state_key', 'sender', 'room_id', 'event_id']) {
      const error = left(checkEventFieldLimits(withKey(v3Event, field, cats)));
      expect(error).toMatchObject({ reason: 'field_too_large', path: [field], limit: 255, actual: 256 });
      right(checkEventFieldLimits(withKey(v3Event, field, `${'🐈'.repeat(63)}abc`)));
    }
    right(checkEventFieldLimits(withKey(v3Event, 'origin', cats)));
  });

  it('65536 bytes of canonical JSON (signatures included) pass, 65537 fail', () => {
    const base = right(checkEventSize(withKey(v3Event, 'pad', '')));
    const exact = withKey(v3Event, 'pad', 'x'.repeat(MAX_PDU_SIZE_BYTES - base));
    expect(right(checkEventSize(exact))).toBe(MAX_PDU_SIZE_BYTES);
    const over = withKey(v3Event, 'pad', 'x'.repeat(MAX_PDU_SIZE_BYTES - base + 1));
    expect(left(checkEventSize(over))).toMatchObject({
      reason: 'event_too_large',
      limit: 65536,
      actual: 65537,
    });
    // Multi-byte characters count by bytes.
    const multi = withKey(v3Event, 'pad', 'é'.repeat((MAX_PDU_SIZE_BYTES - base) / 2 + 1));
    expect(left(checkEventSize(multi)).reason).toBe('event_too_large');
    expect(left(checkEventLimits(over)).reason).toBe('event_too_large');
  });

  it('unsigned counts unless excluded', () => {
    const base = right(checkEventSize(v3Event));
    const big = withKey(v3Event, 'unsigned', { pad: 'x'.repeat(MAX_PDU_SIZE_BYTES) });
    expect(left(checkEventSize(big)).reason).toBe('event_too_large');
    expect(right(checkEventSize(big, { excludeUnsigned: true }))).toBe(base - ',"unsigned":{}'.length);
  });

  it('events without canonical form are typed errors', () => {
    expect(left(checkEventSize({ a: '\ud800' })).reason).toBe('canonical_json');
    expect(left(checkEventSize('x' as unknown as JsonObject)).reason).toBe('not_an_object');
  });
});
