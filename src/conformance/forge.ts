/**
 * Building each case's request: a genuine invite into the kit's room, then the one change the case is about,
 * signed with the kit's keys (event signatures and X-Matrix) so that only that change is wrong.
 */
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { SigningKey } from '../crypto/types.js';
import type { InviteApiVersion } from '../invite/api-version.js';
import { JsonFloat, type JsonObject, type JsonValue } from '../json/value.js';
import {
  buildInvite,
  buildInviteRequest,
  canonicalBytes,
  deterministicKey,
  hashedId,
  pathOf,
  redacted,
  roomVersionRules,
  serverNameParts,
  signEventAs,
  xMatrixAuthorization,
} from './library.js';
import { buildConformanceRoom, type ConformanceRoom } from './room.js';
import type { ConformanceCase, ConformanceRequest } from './types.js';

/** The kit's identity: its two server names and keys, the target, the clock. */
export interface KitIdentity {
  readonly targetServerName: string;
  readonly invitee: string;
  readonly inviterServerName: string;
  readonly otherServerName: string;
  readonly inviterKey: SigningKey;
  readonly otherKey: SigningKey;
  /** Another key under the inviter's key ID: signatures by it do not verify. */
  readonly impostorKey: SigningKey;
  readonly now: number;
  /** The size `body-too-large` exceeds. */
  readonly bodyLimitBytes: number;
}

/** The kit's keys: deterministic, published in this source, for tests only. */
export function kitKeys(): E.Either<
  string,
  { inviter: SigningKey; other: SigningKey; impostor: SigningKey }
> {
  const key = (role: string) => () =>
    deterministicKey(`matrix-federation-invite conformance kit: ${role}`, 'conformance');
  return pipe(
    E.Do,
    E.bind('inviter', key('inviter')),
    E.bind('other', key('other server')),
    E.bind('impostor', key('impostor')),
  );
}

/** A case ready to send, with what a 200 answer must hold. */
export interface ForgedCase {
  readonly request: ConformanceRequest;
  /** The event in the body, as sent (what a `countersigned` answer must return). */
  readonly sentEvent: JsonObject;
  /** Its redacted copy (what a `countersigned-redacted` answer must return). */
  readonly redactedEvent: JsonObject;
}

/** Builds (and caches) the kit's room per room version. */
export function roomBuilder(
  identity: KitIdentity,
): (roomVersion: string) => E.Either<string, ConformanceRoom> {
  const rooms = new Map<string, E.Either<string, ConformanceRoom>>();
  return (roomVersion) => {
    const cached = rooms.get(roomVersion);
    if (cached !== undefined) return cached;
    const room = pipe(
      roomVersionRules(roomVersion),
      E.chain((rules) =>
        buildConformanceRoom({
          rules,
          serverName: identity.inviterServerName,
          signingKey: identity.inviterKey,
          createdAt: identity.now - 600_000,
        }),
      ),
    );
    rooms.set(roomVersion, room);
    return room;
  };
}

const localpartOf = (userId: string): string => userId.slice(1, userId.indexOf(':'));

/** A fresh copy of an event with one change, hashed and signed again by each of `signers`. */
function resign(
  event: JsonObject,
  roomVersion: string,
  signers: readonly (readonly [string, SigningKey])[],
  change: (copy: Record<string, JsonValue>) => void,
): E.Either<string, JsonObject> {
  const { signatures: _signatures, hashes: _hashes, ...rest } = event;
  const copy: Record<string, JsonValue> = { ...rest };
  change(copy);
  return signers.reduce<E.Either<string, JsonObject>>(
    (signed, [serverName, key]) =>
      E.chain((e: JsonObject) => signEventAs(e, roomVersion, serverName, key))(signed),
    E.right(copy),
  );
}

/** Another ID of the same form as the room's (path forgeries). */
function elsewhere(kind: 'room' | 'event', room: ConformanceRoom, server: string): string {
  const hash = hashedId(`conformance kit: elsewhere (${kind})`);
  if (kind === 'room')
    return room.rules.roomIdFormat === 'create-event-hash' ? `!${hash}` : `!elsewhere:${server}`;
  return room.rules.eventIdFormat === 'v1' ? `$elsewhere:${server}` : `$${hash}`;
}

/** The target's host with another port: a server name that is not the target's. */
function otherPort(targetServerName: string): E.Either<string, string> {
  return pipe(
    serverNameParts(targetServerName),
    E.map(({ host, port }) => `${host}:${port === 9999 ? 9998 : 9999}`),
  );
}

/** The content with padding that makes the event (or the body) larger than `bytes`. */
const padded = (content: JsonValue | undefined, bytes: number): JsonObject => ({
  ...(content as JsonObject),
  'org.example.conformance.padding': 'x'.repeat(bytes),
});

/** Builds the request of one case. `index` makes every invite distinct (its timestamp). */
export function forgeCase(
  identity: KitIdentity,
  room: ConformanceRoom,
  testCase: ConformanceCase,
  index: number,
): E.Either<string, ForgedCase> {
  const { roomVersion, apiVersion, kind } = testCase;
  const inviter = identity.inviterServerName;
  const signers: [string, SigningKey][] = [[inviter, identity.inviterKey]];
  const genuine = buildInvite({
    roomVersion,
    roomId: room.roomId,
    sender: room.inviter,
    invitee: identity.invitee,
    originServerTs: identity.now - 60_000 + index,
    depth: room.depth,
    authEvents: room.authEvents,
    prevEvents: room.prevEvents,
    content: { displayname: localpartOf(identity.invitee) },
    serverName: inviter,
    signingKey: identity.inviterKey,
  });
  if (E.isLeft(genuine)) return genuine;
  let event: E.Either<string, JsonObject> = E.right(genuine.right.event);
  let inviteRoomState: readonly JsonObject[] = room.inviteRoomState;
  const change = (edit: (copy: Record<string, JsonValue>) => void, by = signers) =>
    resign(genuine.right.event, roomVersion, by, edit);

  switch (kind) {
    case 'sender-not-origin': {
      const other = identity.otherServerName;
      event = change(
        (copy) => {
          copy.sender = `@mallory:${other}`;
          if (room.rules.eventIdFormat === 'v1') copy.event_id = `$sender-not-origin-${index}:${other}`;
        },
        [
          [other, identity.otherKey],
          [inviter, identity.inviterKey],
        ],
      );
      break;
    }
    case 'inviter-signature-missing':
      event = change(() => {}, [[identity.otherServerName, identity.otherKey]]);
      break;
    case 'inviter-signature-invalid':
      event = change(() => {}, [[inviter, identity.impostorKey]]);
      break;
    case 'content-changed-after-signing':
      event = E.right({
        ...genuine.right.event,
        content: { membership: 'invite', displayname: 'Mallory (not what was signed)' },
      });
      break;
    case 'membership-not-invite':
      event = change((copy) => {
        copy.content = { membership: 'join', displayname: localpartOf(identity.invitee) };
      });
      break;
    case 'not-member-event':
      event = change((copy) => {
        copy.type = 'm.room.power_levels';
        copy.content = { membership: 'invite', users: { [room.inviter]: 100, [identity.invitee]: 100 } };
      });
      break;
    case 'state-key-not-local':
      event = change((copy) => {
        copy.state_key = `@${localpartOf(identity.invitee)}:${identity.otherServerName}`;
      });
      break;
    case 'state-key-other-port':
      event = pipe(
        otherPort(identity.targetServerName),
        E.chain((name) =>
          change((copy) => {
            copy.state_key = `@${localpartOf(identity.invitee)}:${name}`;
          }),
        ),
      );
      break;
    case 'non-canonical-json':
      event = change((copy) => {
        copy.content = {
          membership: 'invite',
          displayname: localpartOf(identity.invitee),
          'org.example.conformance.float': new JsonFloat(1.5),
        };
      });
      break;
    case 'room-state-without-create':
      inviteRoomState = room.inviteRoomState.filter((e) => e.type !== 'm.room.create');
      break;
    case 'event-too-large':
      event = change((copy) => {
        copy.content = padded(copy.content, 70_000);
      });
      break;
    case 'body-too-large':
      event = change((copy) => {
        copy.content = padded(copy.content, identity.bodyLimitBytes);
      });
      break;
    default:
      break;
  }
  return pipe(
    E.Do,
    E.bind('sent', () => event),
    E.bind('request', ({ sent }) =>
      buildInviteRequest({ apiVersion, roomVersion, event: sent, inviteRoomState }),
    ),
    E.bind('path', ({ request }) =>
      kind === 'path-room-id-mismatch' || kind === 'path-event-id-mismatch'
        ? pathOf(
            apiVersion,
            kind === 'path-room-id-mismatch' ? elsewhere('room', room, inviter) : room.roomId,
            kind === 'path-event-id-mismatch' ? elsewhere('event', room, inviter) : genuine.right.eventId,
          )
        : E.right(request.path),
    ),
    E.let('body', ({ request }) =>
      kind === 'unsupported-room-version'
        ? { ...request.body, room_version: 'org.example.unsupported' }
        : request.body,
    ),
    E.bind('authorization', ({ path, body }) => xMatrixFor(identity, testCase, path, body)),
    // x-matrix-body-mismatch: the header signs the body above; the body sent lacks the room name.
    E.bind('bytes', ({ body }) =>
      canonicalBytes(kind === 'x-matrix-body-mismatch' ? withoutRoomName(apiVersion, body) : body),
    ),
    E.bind('redactedEvent', ({ sent }) => redacted(sent, roomVersion)),
    E.map(({ sent, path, authorization, bytes, redactedEvent }) => ({
      request: {
        method: 'PUT' as const,
        path,
        headers: {
          'content-type': 'application/json',
          ...(authorization === undefined ? {} : { authorization }),
        },
        body: bytes,
      },
      sentEvent: sent,
      redactedEvent,
    })),
  );
}

/** The X-Matrix header of a case (undefined: none). */
function xMatrixFor(
  identity: KitIdentity,
  testCase: ConformanceCase,
  path: string,
  body: JsonObject,
): E.Either<string, string | undefined> {
  if (testCase.kind === 'x-matrix-missing') return E.right(undefined);
  const destination =
    testCase.kind === 'x-matrix-other-destination' ? identity.otherServerName : identity.targetServerName;
  const key = testCase.kind === 'x-matrix-bad-signature' ? identity.impostorKey : identity.inviterKey;
  return xMatrixAuthorization(
    { method: 'PUT', uri: path, origin: identity.inviterServerName, destination, content: body },
    key,
  );
}

/** The body with the m.room.name entry dropped from invite_room_state (v1: inside `unsigned`). */
function withoutRoomName(apiVersion: InviteApiVersion, body: JsonObject): JsonObject {
  // The kit's bodies always carry the list (buildInviteRequest puts it there).
  const drop = (state: JsonValue | undefined): JsonValue =>
    (state as readonly JsonObject[]).filter((e) => e.type !== 'm.room.name');
  if (apiVersion === 'v2') return { ...body, invite_room_state: drop(body.invite_room_state) };
  const unsigned = body.unsigned as JsonObject;
  return { ...body, unsigned: { ...unsigned, invite_room_state: drop(unsigned.invite_room_state) } };
}
