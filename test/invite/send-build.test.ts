/**
 * Building the invite event, its room state and its request: the wire examples of vectors.json reproduce byte for
 * byte (spec "Inviting to a room", "Signing Events", "Request Authentication"; Synapse synapse/federation/transport/client.py), and every malformed input gives a typed error.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { computeEventId, computeRoomId } from '../../src/events/hashes.js';
import { validatePduShape } from '../../src/events/pdu.js';
import { signEvent } from '../../src/events/signing.js';
import { type BuildInviteEventParams, buildInviteEvent } from '../../src/invite/send/build-event.js';
import { buildInviteRequest, invitePath, quotePathSegment } from '../../src/invite/send/request.js';
import { type BuildInviteRoomStateParams, buildInviteRoomState } from '../../src/invite/send/room-state.js';
import { encodeCanonicalJson } from '../../src/json/canonical.js';
import type { JsonObject } from '../../src/json/value.js';
import { signRequest } from '../../src/x-matrix/sign.js';
import { vectors } from '../helpers/fixtures.js';
import {
  ALL_ROOM_VERSIONS,
  deepFreeze,
  INVITER,
  inviterKey,
  left,
  parse,
  right,
  signingVector,
  stringify,
  wireExample,
} from './send-helpers.js';

const NAME_STATE: JsonObject = {
  type: 'm.room.name',
  state_key: '',
  sender: '@alice:inviter.example',
  content: { name: 'Test' },
};

const V10_PARAMS: Omit<BuildInviteEventParams, 'signingKey'> = {
  roomVersion: '10',
  roomId: '!room:inviter.example',
  sender: '@alice:inviter.example',
  invitee: '@bob:invitee.example',
  originServerTs: 1700000000000,
  depth: 10,
  authEvents: ['$auth1'],
  prevEvents: ['$prev1'],
  content: { displayname: 'Bob' },
};

const V1_PARAMS: Omit<BuildInviteEventParams, 'signingKey'> = {
  ...V10_PARAMS,
  roomVersion: '1',
  authEvents: [['$auth1:inviter.example', { sha256: 'MaQzq64kCS34Y251LQPw3B0IteKSVJto619kdV84kDw' }]],
  prevEvents: [['$prev1:inviter.example', { sha256: 'nCGwKYHNwZwNrPd95ubWyNb2s9k1b1kTmt52pvahAc4' }]],
  eventId: '$inv1:inviter.example',
};

const { eventId: _eventId, ...V1_NO_ID } = V1_PARAMS;

describe('wire_examples reproduce byte for byte', () => {
  it('v2-invite-rv10: event, path, body text, X-Matrix signed bytes and header', () => {
    const wire = wireExample('v2-invite-rv10');
    const built = right(buildInviteEvent({ ...V10_PARAMS, serverName: INVITER, signingKey: inviterKey }));
    expect(built.eventId).toBe('$Jw_duUUQi0DbuZTaq-6nmGVbJxGtHafTEVXeB4NOPLY');
    expect(built.inviteeServer).toBe('invitee.example');
    const request = right(
      buildInviteRequest({
        apiVersion: 'v2',
        roomVersion: '10',
        event: built.event,
        inviteRoomState: [NAME_STATE],
      }),
    );
    expect(request.method).toBe(wire.method);
    expect(request.path).toBe(wire.path);
    expect(decodeURIComponent(request.path)).toBe(wire.path_unencoded);
    expect(stringify(request.body)).toBe(wire.request_body_json_text);
    expect(request.destination).toBe('invitee.example');
    const signedObject = {
      content: request.body,
      destination: request.destination,
      method: request.method,
      origin: INVITER,
      uri: request.path,
    };
    expect(right(encodeCanonicalJson(signedObject))).toBe(wire.x_matrix_signed_bytes);
    const header = right(
      signRequest(
        {
          method: 'PUT',
          uri: request.path,
          origin: INVITER,
          destination: request.destination,
          content: request.body,
        },
        inviterKey,
      ),
    );
    expect(header).toBe(wire.authorization_header);
  });

  it('v1-invite-rv1: event_id and hash pairs, unsigned.invite_room_state before hashes', () => {
    const wire = wireExample('v1-invite-rv1');
    const built = right(buildInviteEvent({ ...V1_PARAMS, serverName: INVITER, signingKey: inviterKey }));
    expect(built.eventId).toBe('$inv1:inviter.example');
    expect((built.event.hashes as JsonObject).sha256).toBe(wire.expected_hashes_sha256);
    expect(((built.event.signatures as JsonObject)[INVITER] as JsonObject)['ed25519:1']).toBe(
      wire.expected_inviter_signature,
    );
    const request = right(
      buildInviteRequest({
        apiVersion: 'v1',
        roomVersion: '1',
        event: built.event,
        inviteRoomState: [NAME_STATE],
      }),
    );
    expect(request.path).toBe(wire.path);
    expect(stringify(request.body)).toBe(wire.request_body_json_text);
    const header = right(
      signRequest(
        {
          method: 'PUT',
          uri: request.path,
          origin: INVITER,
          destination: 'invitee.example',
          content: request.body,
        },
        inviterKey,
      ),
    );
    expect(header).toBe(wire.authorization_header);
  });

  it('event_signing invite-v12 (room 12 room ID, no origin signed)', () => {
    const vector = signingVector('invite-v12');
    const input = parse(vector.input_json_text) as JsonObject;
    const built = right(
      buildInviteEvent({
        ...V10_PARAMS,
        roomVersion: '12',
        roomId: input.room_id as string,
        serverName: INVITER,
        signingKey: inviterKey,
      }),
    );
    expect((built.event.hashes as JsonObject).sha256).toBe(vector.expected_hashes_sha256);
    expect(((built.event.signatures as JsonObject)[INVITER] as JsonObject)['ed25519:1']).toBe(
      vector.expected_signature,
    );
    expect(built.eventId).toBe(vector.expected_event_id);
  });

  it('event_signing invite-v11 (origin left out, other server names, no prev_events)', () => {
    const vector = signingVector('invite-v11');
    const params: BuildInviteEventParams = {
      roomVersion: '11',
      roomId: '!x:domain',
      sender: '@a:domain',
      invitee: '@b:other',
      originServerTs: 1000000,
      depth: 3,
      authEvents: [],
      prevEvents: [],
      content: { membership: 'invite', displayname: 'B' },
      origin: null,
      serverName: 'domain',
      signingKey: inviterKey,
    };
    // Synapse never creates a non-create event without prev_events (`create_new_client_event`), nor does the builder.
    const refused = left(buildInviteEvent(params));
    expect(refused).toMatchObject({ reason: 'invalid_event_reference', path: ['prev_events'] });
    // The vector's event itself is signed by the events layer, byte for byte.
    const signed = right(
      signEvent({
        event: parse(vector.input_json_text) as JsonObject,
        roomVersion: '11',
        serverName: 'domain',
        signingKey: inviterKey,
      }),
    );
    expect((signed.hashes as JsonObject).sha256).toBe(vector.expected_hashes_sha256);
    expect(((signed.signatures as JsonObject).domain as JsonObject)['ed25519:1']).toBe(
      vector.expected_signature,
    );
    expect(right(computeEventId(signed, '11'))).toBe(vector.expected_event_id);
    // With a prev event, the builder makes the same kind of event (origin left out).
    const built = right(buildInviteEvent({ ...params, prevEvents: ['$prev'] }));
    expect(built.event).not.toHaveProperty('origin');
    expect(built.event.prev_events).toEqual(['$prev']);
  });
});

describe('buildInviteEvent', () => {
  it.each(ALL_ROOM_VERSIONS)('room %s: a valid PDU of the version, signed, with the right event ID', (rv) => {
    const v1 = rv === '1' || rv === '2';
    const roomId = rv === '12' ? '!BeXKh925K_M46DwsuJFR0EyBpE1P7CFUDGuWW4xw55Y' : '!room:inviter.example';
    const built = right(
      buildInviteEvent({
        ...(v1 ? V1_NO_ID : V10_PARAMS),
        roomVersion: rv,
        roomId,
        serverName: INVITER,
        signingKey: inviterKey,
      }),
    );
    expect(E.isRight(validatePduShape({ event: built.event, roomVersion: rv }))).toBe(true);
    expect(built.event).not.toHaveProperty('unsigned');
    if (v1) {
      // Deterministic default event ID on the signing server.
      expect(built.eventId).toMatch(/^\$[A-Za-z0-9_-]{24}:inviter\.example$/);
      expect(built.event.event_id).toBe(built.eventId);
      expect(
        right(
          buildInviteEvent({
            ...V1_NO_ID,
            roomVersion: rv,
            roomId,
            serverName: INVITER,
            signingKey: inviterKey,
          }),
        ).eventId,
      ).toBe(built.eventId);
      expect(
        right(
          buildInviteEvent({
            ...V1_NO_ID,
            roomVersion: rv,
            roomId,
            depth: 11,
            serverName: INVITER,
            signingKey: inviterKey,
          }),
        ).eventId,
      ).not.toBe(built.eventId);
    } else {
      expect(built.event).not.toHaveProperty('event_id');
      expect(built.eventId).toBe(right(computeEventId(built.event, rv)));
    }
    // Same as signing the unsigned event with the events layer.
    const { hashes: _h, signatures: _s, ...unsigned } = built.event;
    expect(
      right(signEvent({ event: unsigned, roomVersion: rv, serverName: INVITER, signingKey: inviterKey })),
    ).toEqual(built.event);
  });

  it('is deterministic and does not modify its inputs', () => {
    const params = deepFreeze({ ...V10_PARAMS, content: { displayname: 'Bob', is_direct: true } });
    const a = right(buildInviteEvent({ ...params, serverName: INVITER, signingKey: inviterKey }));
    const b = right(buildInviteEvent({ ...params, serverName: INVITER, signingKey: inviterKey }));
    expect(stringify(a.event)).toBe(stringify(b.event));
    expect(Object.keys(a.event.content as JsonObject)).toEqual(['membership', 'displayname', 'is_direct']);
  });

  it('keeps a given membership: invite and the content order', () => {
    const built = right(
      buildInviteEvent({
        ...V10_PARAMS,
        content: { reason: 'hi', membership: 'invite' },
        serverName: INVITER,
        signingKey: inviterKey,
      }),
    );
    expect(Object.keys(built.event.content as JsonObject)).toEqual(['reason', 'membership']);
  });

  it('accepts bigint integers (room 1-5 depth up to 2^63-1)', () => {
    const built = right(
      buildInviteEvent({ ...V1_PARAMS, depth: 2n ** 63n - 1n, serverName: INVITER, signingKey: inviterKey }),
    );
    expect(built.event.depth).toBe(2n ** 63n - 1n);
  });

  it.each<[string, Partial<BuildInviteEventParams>, string, string]>([
    ['unknown room version', { roomVersion: '99' }, INVITER, 'unknown_room_version'],
    ['bad server name', {}, 'bad server', 'invalid_server_name'],
    ['sender on another server', { sender: '@alice:elsewhere.example' }, INVITER, 'sender_not_on_server'],
    ['sender not a user ID', { sender: 'alice' }, INVITER, 'invalid_sender'],
    ['invitee not a user ID', { invitee: 'bob:invitee.example' }, INVITER, 'invalid_invitee'],
    ['room 12 room ID with a server', { roomVersion: '12' }, INVITER, 'invalid_room_id'],
    ['room ID without sigil', { roomId: 'room:x' }, INVITER, 'invalid_room_id'],
    ['negative depth', { depth: -1 }, INVITER, 'invalid_integer'],
    ['depth beyond 2^53-1 in room 10', { depth: 2n ** 53n }, INVITER, 'invalid_integer'],
    ['float timestamp', { originServerTs: 1.5 }, INVITER, 'invalid_integer'],
    ['hash pairs in room 10', { authEvents: V1_PARAMS.authEvents }, INVITER, 'invalid_event_reference'],
    [
      'plain IDs in room 1',
      { roomVersion: '1', eventId: '$e:inviter.example' },
      INVITER,
      'invalid_event_reference',
    ],
    ['11 auth events', { authEvents: Array(11).fill('$a') }, INVITER, 'invalid_event_reference'],
    ['21 prev events', { prevEvents: Array(21).fill('$p') }, INVITER, 'invalid_event_reference'],
    ['no prev events', { prevEvents: [] }, INVITER, 'invalid_event_reference'],
    ['no prev events in room 1', { ...V1_PARAMS, prevEvents: [] }, INVITER, 'invalid_event_reference'],
    ['membership join', { content: { membership: 'join' } }, INVITER, 'invalid_content'],
    ['eventId in room 10', { eventId: '$x:inviter.example' }, INVITER, 'invalid_event_id'],
    [
      'room 1 eventId on another server',
      { ...V1_PARAMS, eventId: '$x:elsewhere.example' },
      INVITER,
      'invalid_event_id',
    ],
    ['content too large', { content: { displayname: 'x'.repeat(70000) } }, INVITER, 'invalid_pdu'],
  ])('%s → %s', (_name, override, server, reason) => {
    const error = left(
      buildInviteEvent({
        ...({ ...V10_PARAMS, ...override } as BuildInviteEventParams),
        serverName: server,
        signingKey: inviterKey,
      }),
    );
    expect(error.kind).toBe('InviteSendError');
    expect(error.reason).toBe(reason);
  });

  it('never throws on garbage parameters', () => {
    for (const garbage of [null, undefined, 42, 'x', [], { roomVersion: {} }]) {
      expect(
        E.isLeft(
          buildInviteEvent({
            ...(garbage as unknown as BuildInviteEventParams),
            serverName: INVITER,
            signingKey: inviterKey,
          }),
        ),
      ).toBe(true);
    }
  });
});

describe('buildInviteRoomState', () => {
  const createV12: JsonObject = (() => {
    const vector = vectors.room_ids.find((v) => v.id === 'synapse-v12-create');
    return parse(vector?.input_json_text ?? vector?.create_event_json_text) as JsonObject;
  })();

  function pdu(
    type: string,
    stateKey: string,
    content: JsonObject,
    rv = '10',
    roomId = '!room:inviter.example',
  ) {
    const event: JsonObject = {
      type,
      state_key: stateKey,
      sender: '@alice:inviter.example',
      room_id: roomId,
      origin_server_ts: 1,
      depth: 1,
      auth_events: [],
      prev_events: [],
      content,
    };
    return right(signEvent({ event, roomVersion: rv, serverName: INVITER, signingKey: inviterKey }));
  }
  const create = pdu('m.room.create', '', { room_version: '10' });
  const joinRules = pdu('m.room.join_rules', '', { join_rule: 'invite' });
  const name = pdu('m.room.name', '', { name: 'Test' });
  const powerLevels = pdu('m.room.power_levels', '', { users: {} });
  const alice = pdu('m.room.member', '@alice:inviter.example', { membership: 'join' });
  const carol = pdu('m.room.member', '@carol:inviter.example', { membership: 'join' });
  const weird = pdu('m.room.name', 'not-empty', { name: 'x' });

  it('picks the recommended state, create first, then the inviter, as full PDUs', () => {
    const state = right(
      buildInviteRoomState({
        state: deepFreeze([alice, powerLevels, name, carol, joinRules, weird, create]),
        roomVersion: '10',
        inviter: '@alice:inviter.example',
      }),
    );
    expect(state).toEqual([create, joinRules, name, alice]);
    expect(state[0]).toBe(create);
  });

  it('stripped format for old peers', () => {
    const state = right(
      buildInviteRoomState({ state: [name, create], roomVersion: '10', format: 'stripped' }),
    );
    expect(state).toEqual([
      {
        type: 'm.room.create',
        state_key: '',
        sender: '@alice:inviter.example',
        content: { room_version: '10' },
      },
      { type: 'm.room.name', state_key: '', sender: '@alice:inviter.example', content: { name: 'Test' } },
    ]);
  });

  it('custom types still include the create event', () => {
    expect(
      right(
        buildInviteRoomState({ state: [name, create, joinRules], roomVersion: '10', types: ['m.room.name'] }),
      ),
    ).toEqual([create, name]);
  });

  it('room 12: the create event has no room_id and is accepted as a PDU', () => {
    const roomId = right(computeRoomId(createV12));
    const member = pdu('m.room.member', '@alice:inviter.example', { membership: 'join' }, '12', roomId);
    const state = right(
      buildInviteRoomState({
        state: [member, createV12],
        roomVersion: '12',
        inviter: '@alice:inviter.example',
      }),
    );
    expect(state).toEqual([createV12, member]);
  });

  it.each<[string, JsonObject[], string]>([
    ['no create event', [name, joinRules], 'missing_create_event'],
    ['two create events', [create, create], 'duplicate_state_event'],
    [
      'a stripped event where a PDU is needed',
      [create, { type: 'm.room.name', state_key: '', content: {} }],
      'invalid_state_event',
    ],
    ['a room 1 PDU in a room 10 list', [create, { ...name, event_id: '$x:y' }], 'invalid_state_event'],
  ])('%s → %s', (_name, events, reason) => {
    expect(left(buildInviteRoomState({ state: events, roomVersion: '10' })).reason).toBe(reason);
  });

  it('validation can be turned off; garbage never throws', () => {
    expect(
      E.isRight(
        buildInviteRoomState({
          state: [create, { type: 'm.room.name', state_key: '', content: {} }],
          roomVersion: '10',
          validate: false,
        }),
      ),
    ).toBe(true);
    expect(
      left(buildInviteRoomState({ state: 'x' as unknown as JsonObject[], roomVersion: '10' })).reason,
    ).toBe('invalid_state_event');
    expect(left(buildInviteRoomState({ state: [create], roomVersion: 'nope!' })).reason).toBe(
      'unknown_room_version',
    );
    expect(
      left(buildInviteRoomState({ state: [null as unknown as JsonObject], roomVersion: '10' })).reason,
    ).toBe('invalid_state_event');
    expect(left(buildInviteRoomState(null as unknown as BuildInviteRoomStateParams)).reason).toBe(
      'invalid_params',
    );
    expect(
      left(buildInviteRoomState({ state: [create], roomVersion: '10', types: 5 as unknown as string[] }))
        .reason,
    ).toBe('invalid_state_event');
  });
});

describe('buildInviteRequest', () => {
  it('request_paths: every segment percent-encoded like quote(safe="")', () => {
    for (const vector of vectors.request_paths) {
      expect(
        right(invitePath({ apiVersion: vector.api, roomId: vector.room_id, eventId: vector.event_id })),
      ).toBe(vector.expected_synapse);
    }
    expect(quotePathSegment('$zRz9jjiT9wZc3Hl9ij/74aCmTjqV3YMlj9sj3Uqxg6o')).toBe(
      '%24zRz9jjiT9wZc3Hl9ij%2F74aCmTjqV3YMlj9sj3Uqxg6o',
    );
    // Unreserved characters stay; everything else (UTF-8 bytes, upper-case hex) is escaped.
    expect(quotePathSegment("AZaz09_.-~!*'() é😀")).toBe('AZaz09_.-~%21%2A%27%28%29%20%C3%A9%F0%9F%98%80');
    expect(quotePathSegment('\ud800')).toBeUndefined();
  });

  it('room 3 event IDs with / and + are escaped in the path', () => {
    const built = right(
      buildInviteEvent({
        ...V10_PARAMS,
        roomVersion: '3',
        content: { displayname: 'Bob', n: 4 },
        serverName: INVITER,
        signingKey: inviterKey,
      }),
    );
    const request = right(buildInviteRequest({ apiVersion: 'v2', roomVersion: '3', event: built.event }));
    expect(request.eventId).toBe(built.eventId);
    expect(request.path).toBe(
      `/_matrix/federation/v2/invite/%21room%3Ainviter.example/${quotePathSegment(built.eventId)}`,
    );
    expect(request.body.invite_room_state).toEqual([]);
  });

  it('v1 keeps existing unsigned keys and does not modify the event', () => {
    const built = right(buildInviteEvent({ ...V1_PARAMS, serverName: INVITER, signingKey: inviterKey }));
    const event = deepFreeze({ ...built.event, unsigned: { age: 5, invite_room_state: ['old'] } });
    const request = right(
      buildInviteRequest({ apiVersion: 'v1', roomVersion: '1', event, inviteRoomState: [NAME_STATE] }),
    );
    expect(request.body.unsigned).toEqual({ age: 5, invite_room_state: [NAME_STATE] });
    expect(Object.keys(request.body)).toEqual(Object.keys(event));
  });

  it('refuses v1 for rooms 3+, bad API versions and events without IDs', () => {
    const built = right(buildInviteEvent({ ...V10_PARAMS, serverName: INVITER, signingKey: inviterKey }));
    expect(left(buildInviteRequest({ apiVersion: 'v1', roomVersion: '10', event: built.event })).reason).toBe(
      'v1_requires_room_version_1_or_2',
    );
    expect(
      left(buildInviteRequest({ apiVersion: 'v3' as 'v2', roomVersion: '10', event: built.event })).reason,
    ).toBe('invalid_api_version');
    const { room_id: _r, ...noRoom } = built.event;
    expect(left(buildInviteRequest({ apiVersion: 'v2', roomVersion: '10', event: noRoom })).reason).toBe(
      'invalid_event',
    );
    const v1 = right(buildInviteEvent({ ...V1_PARAMS, serverName: INVITER, signingKey: inviterKey }));
    const { event_id: _e, ...noId } = v1.event;
    expect(left(buildInviteRequest({ apiVersion: 'v1', roomVersion: '1', event: noId })).reason).toBe(
      'invalid_event',
    );
    expect(
      left(
        buildInviteRequest({
          apiVersion: 'v2',
          roomVersion: '10',
          event: { ...built.event, state_key: 'x' },
        }),
      ).reason,
    ).toBe('invalid_event');
    expect(left(buildInviteRequest(null as unknown as Parameters<typeof buildInviteRequest>[0])).reason).toBe(
      'invalid_params',
    );
  });
});
