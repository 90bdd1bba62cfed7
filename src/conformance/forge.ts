/**
 * Building each case's request: a genuine invite into the kit's room, then the one change the case is about,
 * signed with the kit's keys (event signatures and X-Matrix) so that only that change is wrong.
 */
import * as E from 'fp-ts/lib/Either.js';
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
  const inviter = deterministicKey('matrix-federation-invite conformance kit: inviter', 'conformance');
  const other = deterministicKey('matrix-federation-invite conformance kit: other server', 'conformance');
  const impostor = deterministicKey('matrix-federation-invite conformance kit: impostor', 'conformance');
  if (E.isLeft(inviter)) return inviter;
  if (E.isLeft(other)) return other;
  if (E.isLeft(impostor)) return impostor;
  return E.right({ inviter: inviter.right, other: other.right, impostor: impostor.right });
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
    const rules = roomVersionRules(roomVersion);
    const room = E.isLeft(rules)
      ? rules
      : buildConformanceRoom({
          rules: rules.right,
          serverName: identity.inviterServerName,
          signingKey: identity.inviterKey,
          createdAt: identity.now - 600_000,
        });
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
  let signed: E.Either<string, JsonObject> = E.right(copy);
  for (const [serverName, key] of signers) {
    if (E.isLeft(signed)) return signed;
    signed = signEventAs(signed.right, roomVersion, serverName, key);
  }
  return signed;
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
  const parts = serverNameParts(targetServerName);
  if (E.isLeft(parts)) return parts;
  const port = parts.right.port === 9999 ? 9998 : 9999;
  return E.right(`${parts.right.host}:${port}`);
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
    case 'state-key-other-port': {
      const name = otherPort(identity.targetServerName);
      if (E.isLeft(name)) return name;
      event = change((copy) => {
        copy.state_key = `@${localpartOf(identity.invitee)}:${name.right}`;
      });
      break;
    }
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
  if (E.isLeft(event)) return event;
  const sent = event.right;
  const request = buildInviteRequest({ apiVersion, roomVersion, event: sent, inviteRoomState });
  if (E.isLeft(request)) return request;
  let { path, body } = request.right;

  if (kind === 'path-room-id-mismatch' || kind === 'path-event-id-mismatch') {
    const forged = pathOf(
      apiVersion,
      kind === 'path-room-id-mismatch' ? elsewhere('room', room, inviter) : room.roomId,
      kind === 'path-event-id-mismatch' ? elsewhere('event', room, inviter) : genuine.right.eventId,
    );
    if (E.isLeft(forged)) return forged;
    path = forged.right;
  }
  if (kind === 'unsupported-room-version') body = { ...body, room_version: 'org.example.unsupported' };

  const authorization = xMatrixFor(identity, testCase, path, body);
  if (E.isLeft(authorization)) return authorization;
  // x-matrix-body-mismatch: the header signs the body above; the body sent lacks the room name.
  const sentBody = kind === 'x-matrix-body-mismatch' ? withoutRoomName(apiVersion, body) : body;
  const bytes = canonicalBytes(sentBody);
  if (E.isLeft(bytes)) return bytes;
  const redactedEvent = redacted(sent, roomVersion);
  if (E.isLeft(redactedEvent)) return redactedEvent;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization.right !== undefined) headers.authorization = authorization.right;
  return E.right({
    request: { method: 'PUT', path, headers, body: bytes.right },
    sentEvent: sent,
    redactedEvent: redactedEvent.right,
  });
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
  const drop = (state: JsonValue | undefined): JsonValue =>
    Array.isArray(state) ? state.filter((e) => (e as JsonObject).type !== 'm.room.name') : [];
  if (apiVersion === 'v2') return { ...body, invite_room_state: drop(body.invite_room_state) };
  const unsigned = body.unsigned as JsonObject;
  return { ...body, unsigned: { ...unsigned, invite_room_state: drop(unsigned.invite_room_state) } };
}
