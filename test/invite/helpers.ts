/** Shared helpers for the invite receiving tests: keys from `vectors.keys`, signed invites for every room version. */
import * as E from 'fp-ts/lib/Either.js';
import type { KeyLookup, SigningKey } from '../../src/crypto/types.js';
import { computeRoomId } from '../../src/events/hashes.js';
import { prepareEvent } from '../../src/events/prepared.js';
import { signEvent } from '../../src/events/signing.js';
import type { InviteContext, ReceivedInviteRequest } from '../../src/invite/receive/receive.js';
import { encodeCanonicalJson } from '../../src/json/canonical.js';
import type { JsonObject, JsonValue } from '../../src/json/value.js';
import { getRoomVersion } from '../../src/room-versions/versions.js';
import { keyFromSeed, lookupOf, right } from '../events/helpers.js';
import { vectors } from '../helpers/fixtures.js';

export { left, right } from '../events/helpers.js';

export const INVITER = 'inviter.example';
export const INVITEE = 'invitee.example';
/** The spec's key, as the inviter's `ed25519:1` (wire_examples). */
export const inviterKey: SigningKey = keyFromSeed(vectors.keys.spec?.seed as string, '1');
/** Seed bytes 0..31, as the invitee's `ed25519:2` (wire_examples). */
export const inviteeKey: SigningKey = keyFromSeed(vectors.keys.invitee_bytes_0_31?.seed as string, '2');
export const keys: KeyLookup = lookupOf([
  [INVITER, inviterKey],
  [INVITEE, inviteeKey],
]);

export const context: InviteContext = { serverName: INVITEE, signingKey: inviteeKey, keys };

export const ALL_ROOM_VERSIONS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'] as const;

const textEncoder = new TextEncoder();

/** Canonical JSON text of a value (test inputs). */
export function canonical(value: JsonValue): string {
  return right(encodeCanonicalJson(value));
}

/** A v12 create event, signed by the inviter; its room ID. */
export function createEventV12(): { create: JsonObject; roomId: string } {
  const create = right(
    signEvent({
      event: {
        type: 'm.room.create',
        state_key: '',
        sender: `@alice:${INVITER}`,
        content: { room_version: '12' },
        origin_server_ts: 1700000000000,
        depth: 1,
        auth_events: [],
        prev_events: [],
      },
      roomVersion: '12',
      serverName: INVITER,
      signingKey: inviterKey,
    }),
  );
  return { create, roomId: right(computeRoomId(create, '12')) };
}

/** The room ID used for a room version. */
export function roomIdFor(version: string): string {
  return version === '12' ? createEventV12().roomId : `!room:${INVITER}`;
}

/** An unsigned invite event of a room version (before hashing and signing). */
export function inviteTemplate(version: string, extra: Record<string, JsonValue> = {}): JsonObject {
  const rules = right(getRoomVersion(version));
  const roomId = roomIdFor(version);
  const base: Record<string, JsonValue> = {
    type: 'm.room.member',
    state_key: `@bob:${INVITEE}`,
    sender: `@alice:${INVITER}`,
    room_id: roomId,
    origin: INVITER,
    origin_server_ts: 1700000000000,
    depth: 10,
    content: { membership: 'invite', displayname: 'Bob' },
  };
  if (rules.pduFormat === 'v1') {
    base.event_id = `$inv1:${INVITER}`;
    base.auth_events = [[`$auth1:${INVITER}`, { sha256: 'MaQzq64kCS34Y251LQPw3B0IteKSVJto619kdV84kDw' }]];
    base.prev_events = [[`$prev1:${INVITER}`, { sha256: 'nCGwKYHNwZwNrPd95ubWyNb2s9k1b1kTmt52pvahAc4' }]];
  } else {
    base.auth_events = ['$auth1'];
    base.prev_events = ['$prev1'];
  }
  return { ...base, ...extra };
}

/** A hashed and signed invite (by the inviter) of a room version. */
export function signedInvite(
  version: string,
  extra: Record<string, JsonValue> = {},
  key = inviterKey,
): JsonObject {
  return right(
    signEvent({
      event: inviteTemplate(version, extra),
      roomVersion: version,
      serverName: INVITER,
      signingKey: key,
    }),
  );
}

/** The event ID the request path carries for an event. */
export function eventIdOf(event: JsonObject, version: string): string {
  const rules = right(getRoomVersion(version));
  if (rules.eventIdFormat === 'v1') return event.event_id as string;
  return right(right(prepareEvent(event, rules)).eventId());
}

/** Full invite_room_state for a room version: the create event (plus a name event), signed. */
export function roomStateFor(version: string): JsonObject[] {
  if (version === '12') {
    const { create, roomId } = createEventV12();
    const name = right(
      signEvent({
        event: {
          type: 'm.room.name',
          state_key: '',
          sender: `@alice:${INVITER}`,
          room_id: roomId,
          content: { name: 'Test' },
          origin_server_ts: 1700000000001,
          depth: 2,
          auth_events: [eventIdOf(create, '12').replace(/^\$/, '$x')],
          prev_events: [],
        },
        roomVersion: '12',
        serverName: INVITER,
        signingKey: inviterKey,
      }),
    );
    return [create, name];
  }
  const rules = right(getRoomVersion(version));
  const create: Record<string, JsonValue> = {
    type: 'm.room.create',
    state_key: '',
    sender: `@alice:${INVITER}`,
    room_id: `!room:${INVITER}`,
    content: { creator: `@alice:${INVITER}`, room_version: version },
    origin_server_ts: 1700000000000,
    depth: 1,
    auth_events: [],
    prev_events: [],
  };
  if (rules.pduFormat === 'v1') create.event_id = `$create:${INVITER}`;
  return [
    right(signEvent({ event: create, roomVersion: version, serverName: INVITER, signingKey: inviterKey })),
  ];
}

/** An `m.room.name` state event of the room of a room version, signed by the inviter (any room version). */
export function nameEventFor(version: string, name = 'Test'): JsonObject {
  if (version === '12') return roomStateFor('12')[1] as JsonObject;
  const rules = right(getRoomVersion(version));
  const event: Record<string, JsonValue> = {
    type: 'm.room.name',
    state_key: '',
    sender: `@alice:${INVITER}`,
    room_id: `!room:${INVITER}`,
    content: { name },
    origin_server_ts: 1700000000001,
    depth: 2,
    auth_events: [],
    prev_events: [],
  };
  if (rules.pduFormat === 'v1') event.event_id = `$name:${INVITER}`;
  return right(signEvent({ event, roomVersion: version, serverName: INVITER, signingKey: inviterKey }));
}

/** A request for an event: v2 body with room_version and invite_room_state, or the v1 body (the event). */
export function requestFor(
  apiVersion: 'v1' | 'v2',
  version: string,
  event: JsonObject,
  options: { inviteRoomState?: JsonValue; raw?: boolean; eventId?: string; roomId?: string } = {},
): ReceivedInviteRequest {
  const state = options.inviteRoomState ?? roomStateFor(version);
  const bodyValue: JsonValue =
    apiVersion === 'v2'
      ? { room_version: version, event, invite_room_state: state }
      : { ...event, unsigned: { invite_room_state: state } };
  return {
    apiVersion,
    roomId: options.roomId ?? (event.room_id as string),
    eventId: options.eventId ?? eventIdOf(event, version),
    origin: INVITER,
    body: options.raw === false ? bodyValue : textEncoder.encode(canonical(bodyValue)),
  };
}

/** Decodes response bytes. */
export const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

export const isRight = E.isRight;
