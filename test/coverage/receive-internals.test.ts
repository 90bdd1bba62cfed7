/**
 * Receiving-side building blocks used directly: response encoding in received key order (every JSON type, and
 * what it refuses), the v2 response formats, `invite_room_state` checks (strict JSON per entry, unredactable
 * entries, per-version policies) and `toStrippedStateEvent`.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { receiveInvite } from '../../src/invite/receive/receive.js';
import { buildInviteV2Response, encodeInviteResponse } from '../../src/invite/receive/response.js';
import {
  checkInviteRoomState,
  inviteRoomStateModeFor,
  toStrippedStateEvent,
} from '../../src/invite/receive/room-state.js';
import {
  JsonFloat,
  type JsonObject,
  type JsonValue,
  type MutableJsonObject,
  setOwn,
} from '../../src/json/value.js';
import { getRoomVersion } from '../../src/room-versions/versions.js';
import { writeJson } from '../fuzz/mutations.js';
import { context, keys, requestFor, right, roomStateFor, signedInvite, text } from '../invite/helpers.js';

const rules = (id: string) => right(getRoomVersion(id));
const preserve = (v: JsonValue) => encodeInviteResponse(v, 'preserve-order');

describe('encodeInviteResponse preserve-order', () => {
  it('writes every JSON type in received key order, numbers as Python does', () => {
    const value: MutableJsonObject = {};
    setOwn(value, 'z', [
      true,
      false,
      null,
      2n ** 64n,
      -0,
      7,
      1.5,
      new JsonFloat(10),
      new JsonFloat(1e16),
      'é"\\',
    ]);
    setOwn(value, 'a', { nested: {} });
    expect(text(right(preserve(value)))).toBe(
      '{"z":[true,false,null,18446744073709551616,0,7,1.5,10.0,1e+16,"é\\"\\\\"],"a":{"nested":{}}}',
    );
  });

  it('refuses what has no JSON form: lone surrogates (values, keys), non-finite numbers, non-JSON values, deep nesting', () => {
    const loneKey: MutableJsonObject = {};
    setOwn(loneKey, '\ud800', 1);
    let deep: JsonValue = 1;
    for (let i = 0; i < 600; i++) deep = [deep];
    const bad: unknown[] = [
      '\ud800',
      loneKey,
      Number.NaN,
      new JsonFloat(Number.POSITIVE_INFINITY),
      new Map(),
      undefined,
      () => 1,
      deep,
    ];
    for (const value of bad) {
      const result = preserve(value as JsonValue);
      expect(E.isLeft(result) && result.left.reason).toBe('internal_error');
    }
    const canonical = encodeInviteResponse('\ud800' as JsonValue);
    expect(E.isLeft(canonical) && canonical.left.message).toContain('cannot encode the response');
  });

  it('receiveInvite with responseEncoding preserve-order keeps the received order', () => {
    const event = signedInvite('10');
    const body = writeJson({ room_version: '10', event, invite_room_state: roomStateFor('10') });
    const result = receiveInvite(
      { ...requestFor('v2', '10', event), body },
      {
        ...context,
        policy: { responseEncoding: 'preserve-order' },
      },
    );
    expect(text(right(result).responseBytes).startsWith('{"event":{"type":"m.room.member"')).toBe(true);
  });
});

describe('buildInviteV2Response', () => {
  it('spec format adds invite_room_state to unsigned (created when absent or not an object); default format is spec', () => {
    const event = signedInvite('10');
    const state = [{ type: 'm.room.create' }];
    expect(buildInviteV2Response(event, { inviteRoomState: state })).toEqual({
      event: { ...event, unsigned: { invite_room_state: state } },
    });
    expect(
      buildInviteV2Response({ ...event, unsigned: 5 }, { inviteRoomState: state, format: 'spec' }),
    ).toEqual({
      event: { ...event, unsigned: { invite_room_state: state } },
    });
    expect(buildInviteV2Response(event)).toEqual({ event });
  });
});

describe('checkInviteRoomState', () => {
  const roomId = '!room:inviter.example';

  it('rooms 6+: an entry that is not strict canonical JSON is invalid (unless already checked)', () => {
    const [create] = roomStateFor('10') as [JsonObject];
    const floaty = { ...create, depth: new JsonFloat(1.5) };
    const report = checkInviteRoomState([floaty], rules('10'), { roomId, keys });
    expect(report.entries[0]?.status).toBe('invalid');
    expect(report.problems.map((p) => p.reason)).toContain('invite_room_state_invalid_pdu');
  });

  it('an entry that cannot be prepared (room 12 create without computable ID) is invalid; a default path is used', () => {
    const [create] = roomStateFor('3') as [JsonObject];
    const unredactable = { ...create, content: 'not an object' };
    const report = checkInviteRoomState([unredactable], rules('3'), {
      roomId,
      keys,
      now: 1,
      backend: 'noble',
    });
    expect(report.entries[0]?.status).toBe('invalid');
    expect(report.problems[0]?.path[0]).toBe('invite_room_state');
  });

  it('per room version policies, with junk values falling back to the default', () => {
    expect(inviteRoomStateModeFor({ '10': 'ignore' }, rules('10'))).toBe('ignore');
    expect(inviteRoomStateModeFor({ '10': 'bogus' } as never, rules('10'))).toBe('warn');
    expect(inviteRoomStateModeFor({ '12': 'warn' }, rules('12'))).toBe('warn');
    expect(inviteRoomStateModeFor('bogus' as never, rules('12'))).toBe('enforce');
  });
});

describe('toStrippedStateEvent', () => {
  it('keeps type, state_key, sender and content; refuses anything else', () => {
    const [create] = roomStateFor('10') as [JsonObject];
    expect(toStrippedStateEvent(create)).toEqual({
      type: 'm.room.create',
      state_key: '',
      sender: '@alice:inviter.example',
      content: create.content,
    });
    expect(toStrippedStateEvent('x')).toBeUndefined();
    expect(toStrippedStateEvent({ type: 1 })).toBeUndefined();
    expect(toStrippedStateEvent({ type: 't', state_key: 1 })).toBeUndefined();
    expect(toStrippedStateEvent({ type: 't', state_key: '', sender: 1 })).toBeUndefined();
    expect(toStrippedStateEvent({ type: 't', state_key: '', sender: 's', content: [] })).toBeUndefined();
  });
});
