/**
 * The world the README's examples run in (see README-contract.md): two servers with their Synapse key files and,
 * for room versions 1, 10 and 12, a realistic room created by @alice:inviter.example (create, Alice's join, power
 * levels, join rules, name), each event hashed and signed by inviter.example with the room version's references:
 * `[event_id, {sha256}]` pairs and `event_id` fields in rooms 1-2, reference-hash event IDs in rooms 3+, and in room
 * 12 the room ID derived from the create event, which is then left out of `auth_events`
 * (https://spec.matrix.org/v1.19/rooms/v12/).
 *
 * Built here, with the sources, and handed to the scratch project as JSON: the harness there only parses key files
 * and routes requests.
 */
import * as E from 'fp-ts/lib/Either.js';
import { formatSigningKeyFile, signingKeyFromSeed } from '../../src/crypto/keys.js';
import type { SigningKey } from '../../src/crypto/types.js';
import { computeRoomId, eventReference } from '../../src/events/hashes.js';
import { signEvent } from '../../src/events/signing.js';
import type { JsonObject, JsonValue } from '../../src/json/value.js';
import { getRoomVersion } from '../../src/room-versions/versions.js';

export const INVITER = 'inviter.example';
export const INVITEE = 'invitee.example';
export const ALICE = `@alice:${INVITER}`;
export const BOB = `@bob:${INVITEE}`;
/** The room versions the examples run in: the v1 event format, the last v3-style version, and v12 room IDs. */
export const README_ROOM_VERSIONS = ['1', '10', '12'] as const;

/** What the README's `room` input holds (README-contract.md). */
export interface ReadmeRoom {
  readonly id: string;
  readonly version: string;
  /** Current state events, full PDUs: create, Alice's join, power levels, join rules, name. */
  readonly state: JsonObject[];
  /** The invite's `auth_events` as the room version writes them: event IDs, or `[event_id, {sha256}]` in rooms 1-2. */
  readonly authEvents: JsonValue[];
  /** The invite's `prev_events` (the room's one forward extremity), in the same form. */
  readonly prevEvents: JsonValue[];
  /** The invite's `depth`: one more than its prev event's. */
  readonly depth: number;
  /** The events behind `authEvents`, in the same order. */
  readonly authEventPdus: JsonObject[];
  /** The events behind `prevEvents`. */
  readonly prevEventPdus: JsonObject[];
}

export interface ReadmeServer {
  readonly name: string;
  /** A Synapse `signing.key` file: `ed25519 <version> <seed>`. */
  readonly keyFile: string;
}

export interface ReadmeWorld {
  readonly inviter: ReadmeServer;
  readonly invitee: ReadmeServer;
  readonly sender: string;
  readonly inviteeUser: string;
  readonly rooms: Readonly<Record<string, ReadmeRoom>>;
}

function right<A>(either: E.Either<{ message: string }, A>, what: string): A {
  if (E.isLeft(either)) throw new Error(`${what}: ${either.left.message}`);
  return either.right;
}

const INVITER_SEED = new Uint8Array(32).fill(0x11);
const INVITEE_SEED = new Uint8Array(32).fill(0x22);
export const readmeInviterKey: SigningKey = right(
  signingKeyFromSeed({ seed: INVITER_SEED, version: 'a_inviter' }),
  'inviter key',
);
export const readmeInviteeKey: SigningKey = right(
  signingKeyFromSeed({ seed: INVITEE_SEED, version: 'a_invitee' }),
  'invitee key',
);

/** The room of one version, built as README-contract.md describes. */
export function readmeRoom(version: string): ReadmeRoom {
  const rules = right(getRoomVersion(version), `room version ${version}`);
  const v1Format = rules.pduFormat === 'v1';
  const v12 = rules.roomIdFormat === 'create-event-hash';
  let roomId = v12 ? undefined : `!readme${version}:${INVITER}`;
  let depth = 0;

  const reference = (event: JsonObject): JsonValue =>
    right(eventReference(event, version), 'event reference') as JsonValue;
  const authOf = (events: JsonObject[]): JsonObject[] =>
    // Room 12: the create event's ID is the room ID, and it is no longer an auth event.
    v12 ? events.filter((e) => e.type !== 'm.room.create') : events;
  const add = (
    type: string,
    stateKey: string,
    content: JsonObject,
    auth: JsonObject[],
    prev: JsonObject[],
  ): JsonObject => {
    depth += 1;
    const event: Record<string, JsonValue> = { type, state_key: stateKey, sender: ALICE };
    if (roomId !== undefined) event.room_id = roomId;
    if (v1Format) event.event_id = `$${depth}-${type.slice(7)}:${INVITER}`;
    Object.assign(event, {
      origin_server_ts: 1_700_000_000_000 + depth,
      depth,
      auth_events: authOf(auth).map(reference),
      prev_events: prev.map(reference),
      content,
    });
    return right(
      signEvent({ event, roomVersion: version, serverName: INVITER, signingKey: readmeInviterKey }),
      `sign ${type}`,
    );
  };

  const create = add(
    'm.room.create',
    '',
    v12 ? { room_version: version } : { creator: ALICE, room_version: version },
    [],
    [],
  );
  if (v12) roomId = right(computeRoomId(create, version), 'room ID');
  const join = add('m.room.member', ALICE, { membership: 'join', displayname: 'Alice' }, [create], [create]);
  // Room 12 creators hold infinite power and are not listed in `users`.
  const users: JsonObject = v12 ? {} : { [ALICE]: 100 };
  const power = add(
    'm.room.power_levels',
    '',
    {
      users,
      users_default: 0,
      events_default: 0,
      state_default: 50,
      ban: 50,
      kick: 50,
      redact: 50,
      invite: 0,
    },
    [create, join],
    [join],
  );
  const joinRules = add('m.room.join_rules', '', { join_rule: 'invite' }, [create, power, join], [power]);
  const name = add('m.room.name', '', { name: 'README room' }, [create, power, join], [joinRules]);

  const authEventPdus = authOf([create, power, joinRules, join]);
  return {
    id: roomId as string,
    version,
    state: [create, join, power, joinRules, name],
    authEvents: authEventPdus.map(reference),
    prevEvents: [reference(name)],
    depth: depth + 1,
    authEventPdus,
    prevEventPdus: [name],
  };
}

/** Everything the harness needs, as JSON. */
export function readmeWorld(): ReadmeWorld {
  const keyFile = (key: SigningKey, seed: Uint8Array) =>
    right(formatSigningKeyFile([{ version: key.version, seed }]), 'key file');
  return {
    inviter: { name: INVITER, keyFile: keyFile(readmeInviterKey, INVITER_SEED) },
    invitee: { name: INVITEE, keyFile: keyFile(readmeInviteeKey, INVITEE_SEED) },
    sender: ALICE,
    inviteeUser: BOB,
    rooms: Object.fromEntries(README_ROOM_VERSIONS.map((v) => [v, readmeRoom(v)])),
  };
}
