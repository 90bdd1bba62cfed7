import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { encodeBase64 } from '../../src/encoding/base64.js';
import { parseEventId, parseRoomId } from '../../src/identifiers/room-event-id.js';
import type { RoomVersionRules } from '../../src/room-versions/rules.js';
import { KNOWN_ROOM_VERSION_IDS, ROOM_VERSIONS } from '../../src/room-versions/versions.js';
import { vectors } from '../helpers/fixtures.js';

const reason = (r: E.Either<{ reason: string }, unknown>): string => (E.isLeft(r) ? r.left.reason : 'ok');

// From vectors.json (event_ids / room_ids).
const V12_ROOM = '!BeXKh925K_M46DwsuJFR0EyBpE1P7CFUDGuWW4xw55Y';
const RV3_EVENT = '$zRz9jjiT9wZc3Hl9ij/74aCmTjqV3YMlj9sj3Uqxg6o';
const RV4_EVENT = '$zRz9jjiT9wZc3Hl9ij_74aCmTjqV3YMlj9sj3Uqxg6o';

describe('parseRoomId (SPEC/appendices/#room-ids)', () => {
  it('room versions 1-11: !localpart:server', () => {
    for (const rv of KNOWN_ROOM_VERSION_IDS.filter((v) => v !== '12')) {
      expect(parseRoomId('!DHmIIVvxFASSFgDGzr:localhost:8008', rv)).toEqual(
        E.right({
          format: 'server',
          id: '!DHmIIVvxFASSFgDGzr:localhost:8008',
          localpart: 'DHmIIVvxFASSFgDGzr',
          serverName: 'localhost:8008',
          server: { serverName: 'localhost:8008', host: 'localhost', port: 8008, kind: 'dns' },
        }),
      );
      expect(reason(parseRoomId(V12_ROOM, rv))).toBe('missing_server_name');
    }
  });

  it('room version 12: ! + 43 URL-safe base64 characters, no server (spec rooms/v12: the room ID is the create event reference hash)', () => {
    expect(parseRoomId(V12_ROOM, '12')).toEqual(
      E.right({ format: 'hash', id: V12_ROOM, hash: V12_ROOM.slice(1), alphabet: 'url-safe' }),
    );
    expect(reason(parseRoomId('!abc:example.org', '12'))).toBe('unexpected_server_name');
    expect(reason(parseRoomId(`!${'A'.repeat(42)}`, '12'))).toBe('invalid_hash');
    expect(reason(parseRoomId(`!${'A'.repeat(44)}`, '12'))).toBe('invalid_hash');
    expect(reason(parseRoomId(`!${'A'.repeat(42)}/`, '12'))).toBe('invalid_hash'); // standard alphabet
    expect(reason(parseRoomId(`!${'A'.repeat(42)}B`, '12'))).toBe('invalid_hash'); // non-zero trailing bits
    expect(reason(parseRoomId(`!${'A'.repeat(42)}=`, '12'))).toBe('invalid_hash');
    expect(reason(parseRoomId(`${V12_ROOM}=`, '12'))).toBe('invalid_hash');
  });

  it('the room_ids vector has the v12 form', () => {
    const expected = vectors.room_ids.find((v) => v.id === 'synapse-v12-create')?.expected_room_id as string;
    expect(reason(parseRoomId(expected, '12'))).toBe('ok');
  });

  it('without a room version, the form is chosen by the presence of ":"', () => {
    expect(E.isRight(parseRoomId('!a:b')) && parseRoomId('!a:b')).toMatchObject({
      right: { format: 'server' },
    });
    expect(parseRoomId(V12_ROOM)).toMatchObject({ right: { format: 'hash' } });
    expect(reason(parseRoomId('!abc'))).toBe('invalid_hash');
  });

  it.each([
    [42, 'not_a_string'],
    ['', 'empty'],
    ['#a:b', 'missing_sigil'],
    ['$a:b', 'missing_sigil'],
    ['!a\u0000:b', 'nul_character'],
    ['!a\ud800:b', 'lone_surrogate'],
    ['!a:b_c', 'invalid_server_name'],
    [`!${'a'.repeat(253)}:b`, 'too_long'],
  ])('rejects %j: %s', (id, expected) => {
    expect(reason(parseRoomId(id, '10'))).toBe(expected);
  });

  it('accepts historical localparts (any non-surrogate code point except ":" and NUL, even empty)', () => {
    for (const id of ['!:x', '!🐈 é\u0001:x', `!${'a'.repeat(251)}:b`])
      expect(reason(parseRoomId(id, '1'))).toBe('ok');
  });

  it('passes room version errors through', () => {
    expect(reason(parseRoomId('!a:b', '13'))).toBe('unsupported');
    expect(reason(parseRoomId('!a:b', 'V1'))).toBe('invalid_grammar');
  });

  it('accepts every computed v12 room ID', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (hash) => {
        expect(reason(parseRoomId(`!${encodeBase64(hash, { urlSafe: true })}`, '12'))).toBe('ok');
      }),
    );
  });
});

describe('parseEventId (SPEC/appendices/#event-ids)', () => {
  it('room versions 1-2: $localpart:server', () => {
    for (const rv of ['1', '2']) {
      expect(parseEventId('$0:domain', rv)).toMatchObject({
        right: { format: 'server', localpart: '0', serverName: 'domain' },
      });
      expect(reason(parseEventId(RV4_EVENT, rv))).toBe('missing_server_name');
    }
  });

  it('room version 3: standard alphabet (may contain / and +)', () => {
    expect(parseEventId(RV3_EVENT, '3')).toEqual(
      E.right({ format: 'hash', id: RV3_EVENT, hash: RV3_EVENT.slice(1), alphabet: 'standard' }),
    );
    expect(reason(parseEventId(RV4_EVENT, '3'))).toBe('invalid_hash');
  });

  it('room versions 4-12: URL-safe alphabet', () => {
    for (const rv of ['4', '5', '6', '7', '8', '9', '10', '11', '12']) {
      expect(parseEventId(RV4_EVENT, rv)).toMatchObject({ right: { format: 'hash', alphabet: 'url-safe' } });
      expect(reason(parseEventId(RV3_EVENT, rv))).toBe('invalid_hash');
      expect(reason(parseEventId('$0:domain', rv))).toBe('unexpected_server_name');
    }
  });

  it('the event_ids vectors parse in their room versions', () => {
    const ids: [string, string][] = [];
    for (const v of vectors.event_ids) {
      if (typeof v.room_version === 'string')
        ids.push([v.expected, v.room_version.replace('room version ', '')]);
      if (v.id === 'synapse-calculate-event-id') ids.push([v.expected['3'], '3'], [v.expected['10'], '10']);
      if (v.id === 'spec-event-minimal-reference-hash') {
        ids.push([v.expected['v11-redaction URL-safe (rooms 11-12)'], '11']);
        ids.push([v.expected['v11-redaction standard alphabet'], '3']);
      }
    }
    expect(ids).toHaveLength(7);
    for (const [id, rv] of ids) expect(reason(parseEventId(id, rv))).toBe('ok');
  });

  it('accepts a rules object', () => {
    expect(reason(parseEventId(RV3_EVENT, ROOM_VERSIONS['3'] as RoomVersionRules))).toBe('ok');
  });

  it.each([
    [null, 'not_a_string'],
    ['', 'empty'],
    ['!x', 'missing_sigil'],
    [`${RV4_EVENT}A`, 'invalid_hash'],
    [RV4_EVENT.slice(0, -1), 'invalid_hash'],
    [`$${'A'.repeat(42)}Q`, 'ok'], // Q = 16: lowest two bits zero
    [`$${'A'.repeat(42)}R`, 'invalid_hash'],
    [`$${'A'.repeat(300)}`, 'too_long'],
  ])('room version 10: %j → %s', (id, expected) => {
    expect(reason(parseEventId(id, '10'))).toBe(expected);
  });

  it('accepts every computed event ID and reports the index of a bad character', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (hash) => {
        expect(reason(parseEventId(`$${encodeBase64(hash)}`, '3'))).toBe('ok');
        expect(reason(parseEventId(`$${encodeBase64(hash, { urlSafe: true })}`, '11'))).toBe('ok');
      }),
    );
    const r = parseEventId(`$${'A'.repeat(10)}*${'A'.repeat(32)}`, '10');
    expect(E.isLeft(r) && r.left).toMatchObject({
      identifier: 'event_id',
      reason: 'invalid_hash',
      index: 11,
    });
  });

  it('requires a room version and reports bad ones', () => {
    expect(reason(parseEventId(RV4_EVENT, '99'))).toBe('unsupported');
  });
});
