/**
 * Round trip inside the library, for every room version 1-12 and both endpoints: the inviter builds the room state,
 * the invite event and the request and signs it with X-Matrix; the invitee authenticates the request
 * (`verifyRequest`) and handles it (`receiveInvite`); the inviter verifies the answer (`verifyInviteResponse`).
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { encodeBase64 } from '../../src/encoding/base64.js';
import type { EventReference } from '../../src/events/hashes.js';
import { computeEventId, computeReferenceHash, computeRoomId } from '../../src/events/hashes.js';
import { signEvent } from '../../src/events/signing.js';
import { receiveInvite, SYNAPSE_COMPATIBLE_POLICY } from '../../src/invite/receive/receive.js';
import type { InviteResponseFormat } from '../../src/invite/receive/response.js';
import { buildInviteEvent } from '../../src/invite/send/build-event.js';
import { buildInviteRequest } from '../../src/invite/send/request.js';
import { verifyInviteResponse } from '../../src/invite/send/response.js';
import { buildInviteRoomState } from '../../src/invite/send/room-state.js';
import { encodeCanonicalJson } from '../../src/json/canonical.js';
import type { JsonObject } from '../../src/json/value.js';
import { signRequest } from '../../src/x-matrix/sign.js';
import { verifyRequest } from '../../src/x-matrix/verify.js';
import {
  ALL_ROOM_VERSIONS,
  bothKeys,
  INVITEE,
  INVITER,
  inviteeKey,
  inviterKey,
  right,
  stringify,
} from './send-helpers.js';

const ALICE = '@alice:inviter.example';
const BOB = '@bob:invitee.example';

/** A small room of signed state events in the room version's format. */
function room(rv: string) {
  const v1 = rv === '1' || rv === '2';
  let n = 0;
  const state: JsonObject[] = [];
  const refs: EventReference[] = [];
  let roomId = '!room:inviter.example';
  const add = (type: string, stateKey: string, content: JsonObject) => {
    n++;
    const event: JsonObject = {
      type,
      state_key: stateKey,
      sender: ALICE,
      ...(rv === '12' && type === 'm.room.create' ? {} : { room_id: roomId }),
      ...(v1 ? { event_id: `$state${n}:inviter.example` } : {}),
      origin_server_ts: 1700000000000 + n,
      depth: n,
      auth_events: [...refs],
      prev_events: refs.length === 0 ? [] : [refs[refs.length - 1] as EventReference],
      content,
    };
    const signed = right(signEvent({ event, roomVersion: rv, serverName: INVITER, signingKey: inviterKey }));
    state.push(signed);
    if (v1) {
      refs.push([
        event.event_id as string,
        { sha256: encodeBase64(right(computeReferenceHash(signed, rv))) },
      ]);
    } else if (!(rv === '12' && type === 'm.room.create')) {
      refs.push(right(computeEventId(signed, rv)));
    }
    if (rv === '12' && type === 'm.room.create') roomId = right(computeRoomId(signed, rv));
  };
  add(
    'm.room.create',
    '',
    rv === '12' || rv === '11' ? { room_version: rv } : { creator: ALICE, room_version: rv },
  );
  add('m.room.member', ALICE, { membership: 'join' });
  add('m.room.power_levels', '', { users: { [ALICE]: 100 } });
  add('m.room.join_rules', '', { join_rule: 'invite' });
  add('m.room.name', '', { name: `Room ${rv}` });
  return { state, refs, roomId };
}

const canonicalText = (value: JsonObject): string => right(encodeCanonicalJson(value));

type Case = [string, 'v1' | 'v2', InviteResponseFormat];
const CASES: Case[] = ALL_ROOM_VERSIONS.flatMap((rv) =>
  (rv === '1' || rv === '2' ? (['v1', 'v2'] as const) : (['v2'] as const)).flatMap((api) =>
    (['spec', 'untouched', 'synapse'] as const).map((format): Case => [rv, api, format]),
  ),
);

describe('round trip: build → sign → verifyRequest → receiveInvite → verifyInviteResponse', () => {
  it.each(CASES)('room %s over %s (invitee response format %s)', (rv, api, format) => {
    const { state, refs, roomId } = room(rv);
    const inviteRoomState = right(buildInviteRoomState({ state, roomVersion: rv, inviter: ALICE }));
    expect(inviteRoomState.map((e) => e.type)).toEqual([
      'm.room.create',
      'm.room.join_rules',
      'm.room.name',
      'm.room.member',
    ]);
    const built = right(
      buildInviteEvent({
        roomVersion: rv,
        roomId,
        sender: ALICE,
        invitee: BOB,
        originServerTs: 1700000001000,
        depth: 6,
        authEvents: refs.slice(0, 4),
        prevEvents: refs.slice(-1),
        content: { displayname: 'Bob', is_direct: false },
        serverName: INVITER,
        signingKey: inviterKey,
      }),
    );
    const request = right(
      buildInviteRequest({ apiVersion: api, roomVersion: rv, event: built.event, inviteRoomState }),
    );
    expect(request.destination).toBe(INVITEE);
    const authorization = right(
      signRequest(
        {
          method: request.method,
          uri: request.path,
          origin: INVITER,
          destination: request.destination,
          content: request.body,
        },
        inviterKey,
      ),
    );
    const wireText = stringify(request.body);

    // The invitee: authenticate, then handle the invite (path segments decoded by its HTTP layer).
    const auth = right(
      verifyRequest(
        { method: 'PUT', uri: request.path, content: JSON.parse(wireText), authorization },
        { serverName: INVITEE, keys: bothKeys },
      ),
    );
    const [, , , , , roomSegment, eventSegment] = request.path.split('/');
    const accepted = right(
      receiveInvite(
        {
          apiVersion: api,
          roomId: decodeURIComponent(roomSegment as string),
          eventId: decodeURIComponent(eventSegment as string),
          origin: auth.origin,
          body: new TextEncoder().encode(wireText),
        },
        {
          serverName: INVITEE,
          signingKey: inviteeKey,
          keys: bothKeys,
          ...(format === 'synapse'
            ? { policy: SYNAPSE_COMPATIBLE_POLICY }
            : { policy: { responseFormat: format } }),
        },
      ),
    );
    expect(accepted.eventId).toBe(built.eventId);

    // The inviter: verify the answer, get the doubly signed event.
    const verified = right(
      verifyInviteResponse(
        { status: accepted.status, body: accepted.responseBytes },
        {
          apiVersion: api,
          sentEvent: built.event,
          roomVersion: rv,
          inviteeServer: request.destination,
          keys: bothKeys,
        },
      ),
    );
    expect(verified.warnings).toEqual([]);
    expect(verified.inviteeKeyIds).toEqual(['ed25519:2']);
    expect(verified.eventId).toBe(built.eventId);
    const { unsigned: _u, ...acceptedEvent } = accepted.event;
    expect(canonicalText(verified.event)).toBe(canonicalText(acceptedEvent));
    expect(Object.keys(verified.event.signatures as JsonObject)).toEqual([INVITER, INVITEE]);

    // A tampered answer from the same invitee is caught.
    const tampered = new TextDecoder()
      .decode(accepted.responseBytes)
      .replace('"displayname":"Bob"', '"displayname":"Eve"');
    const refused = verifyInviteResponse(
      { status: 200, body: tampered },
      { apiVersion: api, sentEvent: built.event, roomVersion: rv, inviteeServer: INVITEE, keys: bothKeys },
    );
    expect(E.isLeft(refused) && refused.left.reason).toBe('event_mismatch');
  });
});
