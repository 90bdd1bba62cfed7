import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { RoomVersionRules } from '../../src/room-versions/rules.js';
import {
  defineRoomVersion,
  getRoomVersion,
  isValidRoomVersionId,
  KNOWN_ROOM_VERSION_IDS,
  REDACTION_V1,
  REDACTION_V6,
  REDACTION_V8,
  REDACTION_V9,
  REDACTION_V11,
  REDACTION_V12,
  ROOM_VERSIONS,
} from '../../src/room-versions/versions.js';

const rules = (id: string): RoomVersionRules => {
  const r = getRoomVersion(id);
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

// The spec's room version pages (https://spec.matrix.org/v1.19/rooms/), one row per room version.
const TABLE: readonly [
  id: string,
  eventId: string,
  roomId: string,
  pdu: string,
  redaction: string,
  strict: boolean,
  keyValidity: boolean,
  eventIdDomain: boolean,
  authoriser: boolean,
][] = [
  ['1', 'v1', 'server', 'v1', 'v1', false, false, true, false],
  ['2', 'v1', 'server', 'v1', 'v1', false, false, true, false],
  ['3', 'v3', 'server', 'v3', 'v1', false, false, false, false],
  ['4', 'v4', 'server', 'v3', 'v1', false, false, false, false],
  ['5', 'v4', 'server', 'v3', 'v1', false, true, false, false],
  ['6', 'v4', 'server', 'v3', 'v6', true, true, false, false],
  ['7', 'v4', 'server', 'v3', 'v6', true, true, false, false],
  ['8', 'v4', 'server', 'v3', 'v8', true, true, false, true],
  ['9', 'v4', 'server', 'v3', 'v9', true, true, false, true],
  ['10', 'v4', 'server', 'v3', 'v9', true, true, false, true],
  ['11', 'v4', 'server', 'v3', 'v11', true, true, false, true],
  ['12', 'v4', 'create-event-hash', 'v12', 'v12', true, true, false, true],
];

describe('ROOM_VERSIONS (spec: Room Versions)', () => {
  it('knows exactly versions 1-12, in order, all stable', () => {
    expect(KNOWN_ROOM_VERSION_IDS).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']);
    for (const id of KNOWN_ROOM_VERSION_IDS) {
      expect(rules(id).id).toBe(id);
      expect(rules(id).stability).toBe('stable');
    }
  });

  it.each(TABLE)(
    'room version %s',
    (id, eventId, roomId, pdu, redaction, strict, keyValidity, eventIdDomain, auth) => {
      const r = rules(id);
      expect(r.eventIdFormat).toBe(eventId);
      expect(r.roomIdFormat).toBe(roomId);
      expect(r.pduFormat).toBe(pdu);
      expect(r.redaction.name).toBe(redaction);
      expect(r.strictCanonicalJson).toBe(strict);
      expect(r.enforceKeyValidity).toBe(keyValidity);
      expect(r.signers).toEqual({ eventIdDomain, restrictedJoinAuthoriser: auth });
      expect(r.maxAuthEvents).toBe(10);
      expect(r.maxPrevEvents).toBe(20);
      expect(r.maxDepth).toBe(Number(id) >= 6 ? 2n ** 53n - 1n : 2n ** 63n - 1n);
    },
  );

  it('records the informational rules', () => {
    expect(rules('1').stateResolution).toBe('v1');
    expect(rules('2').stateResolution).toBe('v2');
    expect(rules('11').stateResolution).toBe('v2');
    expect(rules('12').stateResolution).toBe('v2.1');
    expect(rules('6').knocking).toBe(false);
    expect(rules('7').knocking).toBe(true);
    expect(rules('7').restrictedJoins).toBe(false);
    expect(rules('8').restrictedJoins).toBe(true);
    expect(rules('9').integerOnlyPowerLevels).toBe(false);
    expect(rules('10').integerOnlyPowerLevels).toBe(true);
    expect(rules('10').implicitRoomCreator).toBe(false);
    expect(rules('11').implicitRoomCreator).toBe(true);
  });

  it('shares one redaction table object per algorithm', () => {
    expect([1, 2, 3, 4, 5].map((n) => rules(String(n)).redaction)).toEqual(Array(5).fill(REDACTION_V1));
    expect(rules('6').redaction).toBe(REDACTION_V6);
    expect(rules('7').redaction).toBe(REDACTION_V6);
    expect(rules('8').redaction).toBe(REDACTION_V8);
    expect(rules('9').redaction).toBe(REDACTION_V9);
    expect(rules('10').redaction).toBe(REDACTION_V9);
    expect(rules('11').redaction).toBe(REDACTION_V11);
    expect(rules('12').redaction).toBe(REDACTION_V12);
  });

  it('is deep-frozen', () => {
    const isDeepFrozen = (value: unknown): boolean =>
      typeof value !== 'object' ||
      value === null ||
      (Object.isFrozen(value) && Object.values(value).every(isDeepFrozen));
    expect(isDeepFrozen(ROOM_VERSIONS)).toBe(true);
    expect(isDeepFrozen(KNOWN_ROOM_VERSION_IDS)).toBe(true);
    for (const table of [
      REDACTION_V1,
      REDACTION_V6,
      REDACTION_V8,
      REDACTION_V9,
      REDACTION_V11,
      REDACTION_V12,
    ]) {
      expect(isDeepFrozen(table)).toBe(true);
    }
    expect(() => {
      (rules('10') as { id: string }).id = 'x';
    }).toThrow(TypeError);
  });
});

describe("redaction tables (spec: each room version's Redactions section)", () => {
  const V1_TOP = [
    'event_id',
    'type',
    'room_id',
    'sender',
    'state_key',
    'content',
    'hashes',
    'signatures',
    'depth',
    'prev_events',
    'prev_state',
    'auth_events',
    'origin',
    'origin_server_ts',
    'membership',
  ];
  const PL = ['ban', 'events', 'events_default', 'kick', 'redact', 'state_default', 'users', 'users_default'];

  it('top-level keys', () => {
    for (const t of [REDACTION_V1, REDACTION_V6, REDACTION_V8, REDACTION_V9]) {
      expect([...t.topLevelKeys].sort()).toEqual([...V1_TOP].sort());
    }
    expect([...REDACTION_V11.topLevelKeys].sort()).toEqual(
      V1_TOP.filter((k) => !['origin', 'membership', 'prev_state'].includes(k)).sort(),
    );
  });

  it('content keys per type and version', () => {
    expect(REDACTION_V1.contentKeys).toEqual({
      'm.room.member': ['membership'],
      'm.room.create': ['creator'],
      'm.room.join_rules': ['join_rule'],
      'm.room.power_levels': PL,
      'm.room.history_visibility': ['history_visibility'],
      'm.room.aliases': ['aliases'],
    });
    const v6 = {
      'm.room.member': ['membership'],
      'm.room.create': ['creator'],
      'm.room.join_rules': ['join_rule'],
      'm.room.power_levels': PL,
      'm.room.history_visibility': ['history_visibility'],
    };
    expect(REDACTION_V6.contentKeys).toEqual(v6);
    const v8 = { ...v6, 'm.room.join_rules': ['join_rule', 'allow'] };
    expect(REDACTION_V8.contentKeys).toEqual(v8);
    const v9 = { ...v8, 'm.room.member': ['membership', 'join_authorised_via_users_server'] };
    expect(REDACTION_V9.contentKeys).toEqual(v9);
    expect(REDACTION_V11.contentKeys).toEqual({
      ...v9,
      'm.room.member': [
        'membership',
        'join_authorised_via_users_server',
        { key: 'third_party_invite', keep: ['signed'] },
      ],
      'm.room.create': 'all',
      'm.room.power_levels': [...PL, 'invite'],
      'm.room.redaction': ['redacts'],
    });
  });

  // element-hq/synapse rust/src/events/utils.rs redact(): `msc4291_room_ids_as_hashes` removes room_id from
  // m.room.create; https://spec.matrix.org/v1.19/rooms/v12/#redactions itself is the v11 text.
  it('v12 is v11 plus room_id dropped from m.room.create', () => {
    const { name, topLevelKeysDroppedByType, ...rest } = REDACTION_V12;
    const { name: v11Name, ...v11Rest } = REDACTION_V11;
    expect([name, v11Name]).toEqual(['v12', 'v11']);
    expect(rest).toEqual(v11Rest);
    expect(topLevelKeysDroppedByType).toEqual({ 'm.room.create': ['room_id'] });
    expect(REDACTION_V11.topLevelKeysDroppedByType).toBeUndefined();
  });
});

describe('getRoomVersion / isValidRoomVersionId (spec: Room version grammar)', () => {
  it.each([
    ['1', true],
    ['12', true],
    ['org.matrix.msc3757.10', true],
    ['a-b.c', true],
    ['x'.repeat(32), true],
    ['x'.repeat(33), false],
    ['', false],
    ['V10', false],
    ['10 ', false],
    ['1_0', false],
    ['１', false],
  ])('grammar of %j is %s', (id, ok) => {
    expect(isValidRoomVersionId(id)).toBe(ok);
  });

  it.each([10, null, undefined, true, 10n].map((v) => [String(v), v]))(
    'rejects the non-string %s as invalid_grammar',
    (_name, id) => {
      const r = getRoomVersion(id as unknown as string);
      expect(E.isLeft(r) && r.left).toMatchObject({
        kind: 'RoomVersionError',
        reason: 'invalid_grammar',
        path: [],
      });
      expect(E.isLeft(r) && 'roomVersion' in r.left).toBe(false);
    },
  );

  it.each([{}, ['10']])('checks the object %j as a rules object (invalid_rules)', (value) => {
    const r = getRoomVersion(value as unknown as string);
    expect(E.isLeft(r) && r.left).toMatchObject({ kind: 'RoomVersionError', reason: 'invalid_rules' });
  });

  it('ignores custom versions that are not rules objects, and options that are not an object', () => {
    const bogus = [null, 'org.example.x', { id: 'org.example.x' }] as unknown as RoomVersionRules[];
    const r = getRoomVersion('org.example.x', { custom: bogus });
    expect(E.isLeft(r) && r.left.reason).toBe('invalid_rules');
    expect(getRoomVersion('10', null as unknown as object)).toEqual(E.right(ROOM_VERSIONS['10']));
    expect(E.isLeft(getRoomVersion('org.example.x', { custom: 'x' as unknown as [] }))).toBe(true);
  });

  it('rejects malformed strings as invalid_grammar, with the offending string', () => {
    const r = getRoomVersion('V10');
    expect(E.isLeft(r) && r.left).toMatchObject({ reason: 'invalid_grammar', roomVersion: 'V10' });
  });

  it.each(['13', '0', '1.0', 'org.matrix.msc3757.10', 'org.matrix.hydra.11', '01'])(
    'reports %j as unsupported',
    (id) => {
      const r = getRoomVersion(id);
      expect(E.isLeft(r) && r.left).toMatchObject({
        kind: 'RoomVersionError',
        reason: 'unsupported',
        roomVersion: id,
      });
    },
  );

  it('does not find Object.prototype members', () => {
    for (const id of ['constructor', 'tostring', 'hasownproperty']) {
      expect(E.isLeft(getRoomVersion(id))).toBe(true);
    }
    expect(E.isLeft(getRoomVersion('__proto__'))).toBe(true);
  });
});

describe('defineRoomVersion / getRoomVersion with rules objects and custom versions', () => {
  it('derives a frozen unstable version from a base', () => {
    const r = defineRoomVersion('12', { id: 'org.example.twelve', roomIdFormat: 'server' });
    if (E.isLeft(r)) throw new Error(r.left.message);
    const v = r.right;
    expect(v).toMatchObject({ id: 'org.example.twelve', stability: 'unstable', roomIdFormat: 'server' });
    expect(v.redaction).toEqual(REDACTION_V12);
    expect(Object.isFrozen(v) && Object.isFrozen(v.redaction) && Object.isFrozen(v.signers)).toBe(true);
    expect(getRoomVersion('org.example.twelve', { custom: [v] })).toEqual(E.right(v));
    expect(E.isLeft(getRoomVersion('org.example.twelve'))).toBe(true);
    expect(getRoomVersion(v)).toEqual(E.right(v));
    expect(getRoomVersion('org.example.twelve', { custom: [v] })).toEqual(E.right(v));
  });

  it('does not freeze or keep the caller objects', () => {
    const redaction = { name: 'custom', topLevelKeys: ['type', 'content'], contentKeys: {} };
    const r = defineRoomVersion(ROOM_VERSIONS['10'] as RoomVersionRules, { id: 'org.example.x', redaction });
    expect(E.isRight(r)).toBe(true);
    expect(Object.isFrozen(redaction)).toBe(false);
    redaction.topLevelKeys.push('origin');
    expect(E.isRight(r) && r.right.redaction.topLevelKeys).toEqual(['type', 'content']);
  });

  it('rejects bad ids, built-in ids, bad bases and bad rules', () => {
    const reason = (r: E.Either<{ reason: string }, unknown>) => (E.isLeft(r) ? r.left.reason : 'ok');
    expect(reason(defineRoomVersion('10', { id: 'Bad' }))).toBe('invalid_grammar');
    expect(reason(defineRoomVersion('10', { id: '11' }))).toBe('conflicts_with_known');
    expect(reason(defineRoomVersion('99', { id: 'org.x' }))).toBe('unsupported');
    expect(reason(defineRoomVersion('10', { id: 'org.x', maxDepth: 5 as unknown as bigint }))).toBe(
      'invalid_rules',
    );
    expect(
      reason(
        defineRoomVersion('10', {
          id: 'org.x',
          redaction: { name: 'x', topLevelKeys: [], contentKeys: { t: [{ key: 'a' }] as never } },
        }),
      ),
    ).toBe('invalid_rules');
    expect(reason(defineRoomVersion('10', { id: 'org.x', eventIdFormat: 'v2' as never }))).toBe(
      'invalid_rules',
    );
    expect(reason(defineRoomVersion('10', null as never))).toBe('invalid_rules');
    expect(reason(defineRoomVersion('10', { id: 'org.x', extra: () => 1 } as never))).toBe('invalid_rules');
  });

  it('names a missing or mistyped id in plain English', () => {
    const message = (r: E.Either<{ message: string }, unknown>) => (E.isLeft(r) ? r.left.message : 'ok');
    expect(message(defineRoomVersion('12', {} as never))).toBe(
      'room version must be 1-32 characters of [a-z0-9.-], got nothing',
    );
    expect(message(defineRoomVersion('12', { id: 5 } as never))).toBe(
      'room version must be 1-32 characters of [a-z0-9.-], got a number',
    );
    expect(message(defineRoomVersion('12', { id: {} } as never))).toBe(
      'room version must be 1-32 characters of [a-z0-9.-], got an object',
    );
    expect(message(getRoomVersion(undefined as never))).toBe(
      'room version must be 1-32 characters of [a-z0-9.-], got nothing',
    );
  });

  it('accepts a hand-written rules object with the right shape and rejects a wrong one', () => {
    const handWritten: RoomVersionRules = { ...(ROOM_VERSIONS['9'] as RoomVersionRules), id: 'org.hand' };
    expect(getRoomVersion(handWritten)).toEqual(E.right(handWritten));
    const broken = { ...handWritten, signers: {} } as unknown as RoomVersionRules;
    const r = getRoomVersion(broken);
    expect(E.isLeft(r) && r.left.reason).toBe('invalid_rules');
    expect(E.isLeft(getRoomVersion(42 as unknown as string))).toBe(true);
  });
});
