/**
 * The kit's room, one per room version: the state a real inviting server holds before it invites (create event,
 * the inviter's join, power levels, join rules, name), each a signed PDU of the room version, and the references
 * an invite into it carries (`auth_events`, `prev_events`, `depth`).
 *
 * Rooms 1-2 use `$name:server` event IDs and `[event_id, {sha256}]` references; rooms 3+ reference hashes; room 12
 * derives its room ID from the create event (which has no `room_id`) and leaves the create event out of
 * `auth_events` (spec room version 12, https://spec.matrix.org/v1.19/rooms/v12/).
 */
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { SigningKey } from '../crypto/types.js';
import type { JsonObject, JsonValue } from '../json/value.js';
import type { RoomVersionRules } from '../room-versions/rules.js';
import {
  chooseInviteRoomState,
  type InviteEventReference,
  referenceOf,
  roomIdOf,
  signEventAs,
} from './library.js';

/** A built room: its ID, state and what an invite into it refers to. */
export interface ConformanceRoom {
  readonly rules: RoomVersionRules;
  readonly roomId: string;
  /** The inviting user (`@alice:<inviter>`), joined, with power 100. */
  readonly inviter: string;
  /** create, inviter's member, power levels, join rules, name: signed PDUs, in order. */
  readonly state: readonly JsonObject[];
  /** `invite_room_state` as the library chooses it: create, join rules, name, the inviter's membership. */
  readonly inviteRoomState: readonly JsonObject[];
  /** `auth_events` of an invite: create (not in room 12), power levels, join rules, the inviter's membership. */
  readonly authEvents: readonly InviteEventReference[];
  /** `prev_events` of an invite: the name event. */
  readonly prevEvents: readonly InviteEventReference[];
  /** `depth` of an invite. */
  readonly depth: number;
}

/** Parameters of {@link buildConformanceRoom}. */
export interface ConformanceRoomParams {
  readonly rules: RoomVersionRules;
  readonly serverName: string;
  readonly signingKey: SigningKey;
  /** Timestamp of the create event; the others follow a second apart. */
  readonly createdAt: number;
}

/** Builds the room: five signed state events of the room version. */
export function buildConformanceRoom(params: ConformanceRoomParams): E.Either<string, ConformanceRoom> {
  const { rules, serverName, signingKey, createdAt } = params;
  const inviter = `@alice:${serverName}`;
  const v1Ids = rules.eventIdFormat === 'v1';
  const hashRoomId = rules.roomIdFormat === 'create-event-hash';
  let roomId = `!conformance-v${rules.id}:${serverName}`;
  const state: JsonObject[] = [];
  const refs = new Map<string, InviteEventReference>();
  let lastName = '';

  type Step = readonly [
    name: string,
    type: string,
    stateKey: string,
    content: JsonObject,
    auth: readonly string[],
  ];
  const add = ([name, type, stateKey, content, auth]: Step): E.Either<string, unknown> => {
    const fields: [string, JsonValue][] = [
      ['type', type],
      ['state_key', stateKey],
      ['sender', inviter],
    ];
    if (!(hashRoomId && type === 'm.room.create')) fields.push(['room_id', roomId]);
    if (v1Ids) fields.push(['event_id', `$${name}-v${rules.id}:${serverName}`]);
    if (rules.redaction.topLevelKeys.includes('origin')) fields.push(['origin', serverName]);
    fields.push(
      ['origin_server_ts', createdAt + state.length * 1000],
      ['depth', state.length + 1],
      // Room 12: the create event is implied by the room ID and never listed.
      [
        'auth_events',
        auth.filter((a) => !(hashRoomId && a === 'create')).map((a) => refs.get(a) as JsonValue),
      ],
      ['prev_events', state.length === 0 ? [] : [refs.get(lastName) as JsonValue]],
      ['content', content],
    );
    return pipe(
      signEventAs(Object.fromEntries(fields), rules.id, serverName, signingKey),
      E.chainFirst((signed) =>
        pipe(
          referenceOf(signed, rules),
          E.map((ref) => {
            refs.set(name, ref);
            lastName = name;
            state.push(signed);
            return ref;
          }),
        ),
      ),
      // Room 12: the room ID is the create event's reference hash.
      E.chain((signed) =>
        hashRoomId && type === 'm.room.create'
          ? pipe(
              roomIdOf(signed),
              E.map((id) => {
                roomId = id;
                return id;
              }),
            )
          : E.right(roomId),
      ),
    );
  };

  // Rooms 11+: the creator is the create event's sender; `content.creator` is gone.
  const createContent: Record<string, JsonValue> =
    rules.implicitRoomCreator === true
      ? { room_version: rules.id }
      : { creator: inviter, room_version: rules.id };
  const steps: readonly Step[] = [
    ['create', 'm.room.create', '', createContent, []],
    ['member', 'm.room.member', inviter, { membership: 'join', displayname: 'Alice' }, ['create']],
    [
      'power',
      'm.room.power_levels',
      '',
      { users: { [inviter]: 100 }, users_default: 0, events_default: 0, state_default: 50, invite: 0 },
      ['create', 'member'],
    ],
    ['join-rules', 'm.room.join_rules', '', { join_rule: 'invite' }, ['create', 'member', 'power']],
    ['name', 'm.room.name', '', { name: 'Invite conformance kit' }, ['create', 'member', 'power']],
  ];
  const pick = (names: readonly string[]) => names.map((n) => refs.get(n) as InviteEventReference);
  return pipe(
    steps.reduce<E.Either<string, unknown>>(
      (built, step) => E.chain(() => add(step))(built),
      E.right(undefined),
    ),
    E.chain(() => chooseInviteRoomState(state, rules.id, inviter)),
    E.map((inviteRoomState) => ({
      rules,
      roomId,
      inviter,
      state,
      inviteRoomState,
      authEvents: pick(
        hashRoomId ? ['power', 'join-rules', 'member'] : ['create', 'power', 'join-rules', 'member'],
      ),
      prevEvents: pick(['name']),
      depth: state.length + 1,
    })),
  );
}
