import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { redactContent, redactEvent } from '../../src/events/redaction.js';
import type { JsonObject, JsonValue } from '../../src/json/value.js';
import type { RoomVersionRules } from '../../src/room-versions/rules.js';
import {
  defineRoomVersion,
  KNOWN_ROOM_VERSION_IDS,
  REDACTION_V9,
  REDACTION_V11,
  ROOM_VERSIONS,
} from '../../src/room-versions/versions.js';

const redact = (event: JsonObject, roomVersion: string | RoomVersionRules): JsonObject => {
  const r = redactEvent(event, roomVersion);
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

/** Every top-level key any algorithm keeps, plus ones none keeps. */
const envelope = {
  event_id: '$e:x',
  room_id: '!r:x',
  sender: '@s:x',
  state_key: '',
  hashes: { sha256: 'h' },
  signatures: { x: { 'ed25519:1': 's' } },
  depth: 5,
  prev_events: ['$p'],
  prev_state: [],
  auth_events: ['$a'],
  origin: 'x',
  origin_server_ts: 1,
  membership: 'join',
  unsigned: { age_ts: 1 },
  redacts: '$r',
  age_ts: 2,
  outlier: true,
  extra: { nested: 1 },
} as const satisfies JsonObject;

const TOP_V1 = Object.keys(envelope).filter(
  (k) => !['unsigned', 'redacts', 'age_ts', 'outlier', 'extra'].includes(k),
);
const TOP_V11 = TOP_V1.filter((k) => !['origin', 'membership', 'prev_state'].includes(k));

const ALGORITHM: Record<string, 'v1' | 'v6' | 'v8' | 'v9' | 'v11' | 'v12'> = {
  '1': 'v1',
  '2': 'v1',
  '3': 'v1',
  '4': 'v1',
  '5': 'v1',
  '6': 'v6',
  '7': 'v6',
  '8': 'v8',
  '9': 'v9',
  '10': 'v9',
  '11': 'v11',
  '12': 'v12',
};

const pl = {
  ban: 50,
  events: { 'm.room.name': 100 },
  events_default: 0,
  kick: 50,
  redact: 50,
  state_default: 50,
  users: { '@a:x': 100 },
  users_default: 0,
  invite: 0,
  notifications: { room: 50 },
  historical: 100,
};
const plV1 = Object.fromEntries(
  Object.entries(pl).filter(([k]) => !['invite', 'notifications', 'historical'].includes(k)),
);

const member = {
  membership: 'invite',
  displayname: 'Bob',
  avatar_url: 'mxc://x/y',
  is_direct: true,
  reason: 'hi',
  join_authorised_via_users_server: '@a:x',
  third_party_invite: {
    display_name: 'b…@example.org',
    signed: { mxid: '@b:y', token: 't', signatures: {} },
  },
};

// [type, content, expected content per algorithm] (the spec's redaction algorithms, per room version)
type Expected = Record<'v1' | 'v6' | 'v8' | 'v9' | 'v11', JsonObject>;
const CASES: readonly [string, JsonObject, Expected][] = [
  [
    'm.room.member',
    member,
    {
      v1: { membership: 'invite' },
      v6: { membership: 'invite' },
      v8: { membership: 'invite' },
      v9: { membership: 'invite', join_authorised_via_users_server: '@a:x' },
      v11: {
        membership: 'invite',
        join_authorised_via_users_server: '@a:x',
        third_party_invite: { signed: { mxid: '@b:y', token: 't', signatures: {} } },
      },
    },
  ],
  [
    'm.room.create',
    { creator: '@a:x', room_version: '10', 'm.federate': false, predecessor: { room_id: '!o:x' } },
    {
      v1: { creator: '@a:x' },
      v6: { creator: '@a:x' },
      v8: { creator: '@a:x' },
      v9: { creator: '@a:x' },
      v11: { creator: '@a:x', room_version: '10', 'm.federate': false, predecessor: { room_id: '!o:x' } },
    },
  ],
  [
    'm.room.join_rules',
    { join_rule: 'restricted', allow: [{ type: 'm.room_membership', room_id: '!s:x' }], other: 1 },
    {
      v1: { join_rule: 'restricted' },
      v6: { join_rule: 'restricted' },
      v8: { join_rule: 'restricted', allow: [{ type: 'm.room_membership', room_id: '!s:x' }] },
      v9: { join_rule: 'restricted', allow: [{ type: 'm.room_membership', room_id: '!s:x' }] },
      v11: { join_rule: 'restricted', allow: [{ type: 'm.room_membership', room_id: '!s:x' }] },
    },
  ],
  ['m.room.power_levels', pl, { v1: plV1, v6: plV1, v8: plV1, v9: plV1, v11: { ...plV1, invite: 0 } }],
  [
    'm.room.history_visibility',
    { history_visibility: 'shared', other: true },
    {
      v1: { history_visibility: 'shared' },
      v6: { history_visibility: 'shared' },
      v8: { history_visibility: 'shared' },
      v9: { history_visibility: 'shared' },
      v11: { history_visibility: 'shared' },
    },
  ],
  [
    'm.room.aliases',
    { aliases: ['#a:x'], other: 1 },
    { v1: { aliases: ['#a:x'] }, v6: {}, v8: {}, v9: {}, v11: {} },
  ],
  [
    'm.room.redaction',
    { redacts: '$x', reason: 'spam' },
    { v1: {}, v6: {}, v8: {}, v9: {}, v11: { redacts: '$x' } },
  ],
  [
    'm.room.message',
    { body: 'hello', msgtype: 'm.text', membership: 'join' },
    { v1: {}, v6: {}, v8: {}, v9: {}, v11: {} },
  ],
  ['m.room.name', { name: 'Room' }, { v1: {}, v6: {}, v8: {}, v9: {}, v11: {} }],
];

describe('redactEvent: every variant per room version (spec: Redactions)', () => {
  for (const id of KNOWN_ROOM_VERSION_IDS) {
    const algorithm = ALGORITHM[id] as keyof Expected | 'v12';
    describe(`room version ${id} (${algorithm})`, () => {
      it.each(CASES)('%s', (type, content, expected) => {
        const event: JsonObject = { type, content, ...envelope };
        const out = redact(event, id);
        // v12 is v11 except that a create event loses room_id (Synapse's redact(), test_redact_m_room_create).
        const top =
          algorithm === 'v12'
            ? TOP_V11.filter((k) => type !== 'm.room.create' || k !== 'room_id')
            : algorithm === 'v11'
              ? TOP_V11
              : TOP_V1;
        expect(Object.keys(out).sort()).toEqual(['type', 'content', ...top].sort());
        expect(out.content).toEqual(expected[algorithm === 'v12' ? 'v11' : algorithm]);
        for (const key of top) expect(out[key]).toEqual(event[key]);
      });
    });
  }

  it('accepts a rules object as well as an identifier', () => {
    const event: JsonObject = { type: 'm.room.member', content: member, ...envelope };
    expect(redact(event, ROOM_VERSIONS['9'] as RoomVersionRules)).toEqual(redact(event, '9'));
  });

  it('works with a custom version table', () => {
    const custom = defineRoomVersion('10', {
      id: 'org.example.keep-name',
      redaction: { ...REDACTION_V9, name: 'custom', contentKeys: { 'm.room.name': ['name'] } },
    });
    if (E.isLeft(custom)) throw new Error(custom.left.message);
    const out = redact({ type: 'm.room.name', content: { name: 'N', x: 1 }, origin: 'o' }, custom.right);
    expect(out).toEqual({ type: 'm.room.name', content: { name: 'N' }, origin: 'o' });
    expect(redact({ type: 'm.room.member', content: { membership: 'join' } }, custom.right).content).toEqual(
      {},
    );
  });

  it('keeps kept keys whatever their value, including null', () => {
    const out = redact({ type: 'm.room.member', content: { membership: null }, state_key: null }, '10');
    expect(out).toEqual({ type: 'm.room.member', content: { membership: null }, state_key: null });
  });

  it('keeps the input key order', () => {
    const out = redact({ sender: '@a:x', type: 'X', content: {}, depth: 1, unsigned: {} }, '10');
    expect(Object.keys(out)).toEqual(['sender', 'type', 'content', 'depth']);
  });
});

describe('v11 third_party_invite (MSC3821, spec rooms/v11 Redactions)', () => {
  const tpi = (value: JsonValue | undefined): JsonObject =>
    redact(
      {
        type: 'm.room.member',
        content:
          value === undefined
            ? { membership: 'invite' }
            : { membership: 'invite', third_party_invite: value },
      },
      '11',
    ).content as JsonObject;

  it.each<[string, JsonValue | undefined, JsonObject]>([
    [
      'object with signed',
      { signed: { token: 't' }, display_name: 'x' },
      { third_party_invite: { signed: { token: 't' } } },
    ],
    ['signed that is not an object', { signed: 'x' }, { third_party_invite: { signed: 'x' } }],
    ['signed null', { signed: null }, { third_party_invite: { signed: null } }],
    ['object without signed', { display_name: 'x' }, { third_party_invite: {} }],
    ['empty object', {}, { third_party_invite: {} }],
    ['string', 'x', {}],
    ['array', [{ signed: {} }], {}],
    ['null', null, {}],
    ['number', 1, {}],
    ['absent', undefined, {}],
  ])('%s', (_name, value, expected) => {
    expect(tpi(value)).toEqual({ membership: 'invite', ...expected });
  });

  it('is dropped in room versions 1-10', () => {
    for (const id of ['1', '6', '8', '9', '10']) {
      const out = redact(
        { type: 'm.room.member', content: { membership: 'invite', third_party_invite: { signed: {} } } },
        id,
      );
      expect(out.content).not.toHaveProperty('third_party_invite');
    }
  });

  it('reads only own keys: a __proto__ key holding signed is not signed', () => {
    const value = JSON.parse('{"__proto__": {"signed": 1}}') as JsonObject;
    expect(tpi(value)).toEqual({ membership: 'invite', third_party_invite: {} });
  });
});

describe('room version 12 create events', () => {
  it('keeps all content and adds no room_id', () => {
    const create = {
      type: 'm.room.create',
      state_key: '',
      sender: '@a:x',
      content: { room_version: '12', additional_creators: ['@b:y'] },
      origin_server_ts: 1,
      depth: 1,
      auth_events: [],
      prev_events: [],
      hashes: { sha256: 'h' },
      origin: 'x',
    };
    const out = redact(create, '12');
    expect(out).not.toHaveProperty('room_id');
    expect(out).not.toHaveProperty('origin');
    expect(out.content).toEqual(create.content);
    expect(out.content).not.toBe(create.content);
  });

  // element-hq/synapse rust/src/events/utils.rs test_redact_m_room_create: a room 12 create event loses `room_id`
  // (its room ID is derived from the event ID), every other event keeps it; rooms 1-11 keep it on create events.
  it('drops a room_id carried by a create event, as Synapse does (room 12 only)', () => {
    const create = { type: 'm.room.create', room_id: '!roomid', content: { other_key: 'value' } };
    expect(redact(create, '12')).toEqual({ type: 'm.room.create', content: { other_key: 'value' } });
    expect(redact(create, '11')).toEqual(create);
    const member = { type: 'm.room.member', room_id: '!roomid', content: { membership: 'join' } };
    expect(redact(member, '12')).toEqual(member);
  });

  it('keeps it with the literal spec text (the v11 table) in a custom version, as docs/room-versions.md shows', () => {
    const literal = defineRoomVersion('12', {
      id: 'org.example.v12-spec-redaction',
      redaction: REDACTION_V11,
    });
    if (E.isLeft(literal)) throw new Error(literal.left.message);
    const create = { type: 'm.room.create', room_id: '!roomid', content: { other_key: 'value' } };
    expect(redact(create, literal.right)).toEqual(create);
  });
});

describe('invalid events are typed errors, never throws', () => {
  const reasonOf = (event: unknown, rv: unknown = '10'): string => {
    const r = redactEvent(event as JsonObject, rv as string);
    return E.isLeft(r) ? r.left.reason : 'ok';
  };

  it.each<[string, unknown, string]>([
    ['missing content', { type: 'X' }, 'missing_content'],
    ['string content', { type: 'X', content: 'x' }, 'invalid_content'],
    ['null content', { type: 'X', content: null }, 'invalid_content'],
    ['array content', { type: 'X', content: [] }, 'invalid_content'],
    ['missing type', { content: {} }, 'missing_type'],
    ['numeric type', { type: 1, content: {} }, 'invalid_type'],
    ['array', [], 'not_an_object'],
    ['null', null, 'not_an_object'],
    ['string', 'event', 'not_an_object'],
  ])('%s', (_name, event, reason) => {
    expect(reasonOf(event)).toBe(reason);
  });

  it('reports paths', () => {
    const r = redactEvent({ type: 'X' }, '10');
    expect(E.isLeft(r) && r.left).toMatchObject({
      kind: 'EventError',
      reason: 'missing_content',
      path: ['content'],
    });
  });

  it('reports room version errors as unknown_room_version, with the room version error as cause', () => {
    const causeOf = (rv: unknown) => {
      const r = redactEvent({ type: 'X', content: {} }, rv as string);
      return E.isLeft(r) ? [r.left.reason, r.left.cause?.reason] : [];
    };
    expect(causeOf('13')).toEqual(['unknown_room_version', 'unsupported']);
    expect(causeOf(10)).toEqual(['unknown_room_version', 'invalid_grammar']);
    expect(causeOf({ id: '10' })).toEqual(['unknown_room_version', 'invalid_rules']);
  });

  // The redaction algorithm (spec "Redactions", https://spec.matrix.org/v1.19/rooms/v11/#redactions) reads the
  // event's top-level keys and its content; an event whose members cannot be read (a throwing getter or Proxy handed
  // in by the caller) is a caller error, answered as a Left like every export, never a throw or a silently dropped key.
  const throwingGetter = (object: Record<string, unknown>, key: string): JsonObject =>
    Object.defineProperty(object, key, {
      enumerable: true,
      get() {
        throw new Error(`hostile ${key}`);
      },
    }) as JsonObject;

  it.each<[string, () => unknown]>([
    ['a throwing getter on a kept top-level key', () => throwingGetter({ type: 'X', content: {} }, 'sender')],
    ['a throwing getter on type', () => throwingGetter({ content: {} }, 'type')],
    ['a throwing getter on content', () => throwingGetter({ type: 'X' }, 'content')],
    [
      'a throwing getter on a kept content key',
      () => ({ type: 'm.room.member', content: throwingGetter({}, 'membership') }),
    ],
    [
      'a throwing getter on a kept nested content key',
      () => ({
        type: 'm.room.member',
        content: { membership: 'invite', third_party_invite: throwingGetter({}, 'signed') },
      }),
    ],
    [
      'a Proxy whose traps throw',
      () =>
        new Proxy(
          {},
          {
            ownKeys() {
              throw new Error('hostile ownKeys');
            },
            getOwnPropertyDescriptor() {
              throw new Error('hostile descriptor');
            },
          },
        ),
    ],
  ])('%s is invalid_input, not a throw', (_name, make) => {
    const r = redactEvent(make() as JsonObject, '11');
    expect(E.isLeft(r) && r.left).toMatchObject({ kind: 'EventError', reason: 'invalid_input' });
    expect(E.isLeft(r) && r.left.message).toMatch(/cannot read the event: hostile/);
  });

  it('never reads the keys redaction removes (their value cannot change the result)', () => {
    const event = throwingGetter({ type: 'X', content: { a: 1 }, sender: '@s:x' }, 'unsigned');
    expect(redactEvent(event, '11')).toEqual(E.right({ type: 'X', content: {}, sender: '@s:x' }));
  });

  it('redactContent answers a Left for rules or content it cannot read', () => {
    for (const rules of [null, undefined, {}, { contentKeys: null }]) {
      const r = redactContent(
        'm.room.member',
        { membership: 'invite' },
        rules as unknown as typeof REDACTION_V9,
      );
      expect(E.isLeft(r) && r.left.reason).toBe('invalid_input');
    }
    const hostile = redactContent('m.room.member', throwingGetter({}, 'membership'), REDACTION_V9);
    expect(E.isLeft(hostile) && hostile.left.reason).toBe('invalid_input');
    expect(redactContent('m.room.member', null as unknown as JsonObject, REDACTION_V9)).toMatchObject({
      _tag: 'Left',
      left: { reason: 'invalid_content' },
    });
    expect(redactContent('m.room.member', { membership: 'invite', x: 1 }, REDACTION_V9)).toEqual(
      E.right({ membership: 'invite' }),
    );
  });

  it('gmsl-no-content: Synapse-compatible rejection instead of inventing content', () => {
    expect(reasonOf({ event_id: '$0:domain', origin: 'domain', origin_server_ts: 1000000, type: 'X' })).toBe(
      'missing_content',
    );
  });
});

describe('__proto__ and other awkward keys', () => {
  it('treats __proto__ as data at the top level and in content', () => {
    const event = JSON.parse(
      '{"type":"m.room.create","content":{"__proto__":{"polluted":1},"creator":"@a:x"},"__proto__":{"x":1},"origin":"o"}',
    ) as JsonObject;
    const out11 = redact(event, '11');
    expect(Object.keys(out11)).toEqual(['type', 'content']);
    expect(Object.getPrototypeOf(out11)).toBe(Object.prototype);
    const content11 = out11.content as JsonObject;
    expect(Object.hasOwn(content11, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(content11)).toBe(Object.prototype);
    expect(Object.keys(content11)).toEqual(['__proto__', 'creator']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('does not treat Object.prototype names as event types', () => {
    for (const type of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(redact({ type, content: { a: 1 } }, '11').content).toEqual({});
      expect(redactContent(type, { a: 1 }, REDACTION_V9)).toEqual(E.right({}));
    }
  });

  it('keeps a content key called __proto__ when the table lists it', () => {
    const custom = defineRoomVersion('11', {
      id: 'org.example.proto',
      redaction: { name: 'p', topLevelKeys: ['type', 'content'], contentKeys: { X: ['__proto__'] } },
    });
    if (E.isLeft(custom)) throw new Error(custom.left.message);
    const out = redact(
      JSON.parse('{"type":"X","content":{"__proto__":[1],"b":2}}') as JsonObject,
      custom.right,
    );
    expect(Object.hasOwn(out.content as JsonObject, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(out.content, '__proto__')?.value).toEqual([1]);
  });
});

// --- properties ----------------------------------------------------------------------------------------------

const jsonValue: fc.Arbitrary<JsonValue> = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>;
const interestingKey = fc.constantFrom(
  'membership',
  'join_authorised_via_users_server',
  'third_party_invite',
  'signed',
  'creator',
  'join_rule',
  'allow',
  'invite',
  'redacts',
  'aliases',
  'history_visibility',
  'ban',
  '__proto__',
  'origin',
);
const key = fc.oneof(interestingKey, fc.string({ maxLength: 6 }));
const topKey = fc.oneof(fc.constantFrom(...TOP_V1, 'unsigned', '__proto__'), fc.string({ maxLength: 6 }));
const object = (
  values: fc.Arbitrary<JsonValue>,
  keys: fc.Arbitrary<string> = key,
): fc.Arbitrary<JsonObject> =>
  fc.array(fc.tuple(keys, values), { maxLength: 8 }).map((entries) => {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of entries)
      Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    return out;
  });
const content = object(fc.oneof(jsonValue, object(jsonValue)));
const eventType = fc.constantFrom(
  'm.room.member',
  'm.room.create',
  'm.room.join_rules',
  'm.room.power_levels',
  'm.room.history_visibility',
  'm.room.aliases',
  'm.room.redaction',
  'm.room.message',
  '__proto__',
);
const event = fc.tuple(eventType, content, object(jsonValue, topKey)).map(([type, c, rest]) => {
  const out: Record<string, JsonValue> = {};
  for (const k of Object.keys(rest)) {
    Object.defineProperty(out, k, {
      value: rest[k] as JsonValue,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  out.type = type;
  out.content = c;
  return out as JsonObject;
});
const version = fc.constantFrom(...KNOWN_ROOM_VERSION_IDS);

const deepFreeze = <T>(v: T): T => {
  if (typeof v === 'object' && v !== null) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
};

describe('properties', () => {
  it('redaction is idempotent', () => {
    fc.assert(
      fc.property(event, version, (e, v) => {
        const once = redact(e, v);
        expect(redact(once, v)).toEqual(once);
      }),
      { numRuns: 500 },
    );
  });

  it('output keys are a subset of input keys (top level and content)', () => {
    fc.assert(
      fc.property(event, version, (e, v) => {
        const out = redact(e, v);
        for (const k of Object.keys(out)) expect(Object.hasOwn(e, k)).toBe(true);
        const inContent = e.content as JsonObject;
        for (const k of Object.keys(out.content as JsonObject))
          expect(Object.hasOwn(inContent, k)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('never mutates its input (deep-frozen input, structural copy compared)', () => {
    fc.assert(
      fc.property(event, version, (e, v) => {
        const before = structuredClone(e);
        deepFreeze(e);
        redact(e, v);
        expect(e).toEqual(before);
      }),
      { numRuns: 300 },
    );
  });

  it('v11 keeps a subset of the top-level keys v10 keeps', () => {
    fc.assert(
      fc.property(event, (e) => {
        const v10 = redact(e, '10');
        const v11 = redact(e, '11');
        for (const k of Object.keys(v11)) expect(Object.hasOwn(v10, k)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
