/**
 * `npm run demo`: a Matrix federation invite end to end between two in-process servers, each with its own key.
 *
 *   1. inviter.example invites @bob:invitee.example to a room version 12 room over v2: it builds and signs the
 *      event, the invite_room_state and the request (X-Matrix); invitee.example authenticates the request,
 *      validates and countersigns the invite; the inviter verifies the answer.
 *   2. A room version 1 room and an old invitee without v2: 404 M_UNRECOGNIZED, fall back to v1.
 *   3. Three forgeries, rejected with the exact Matrix error (spec default, and Synapse-compatible).
 *
 * No network: the "HTTP" between the two servers is a function call carrying bytes.
 */
import * as E from 'fp-ts/lib/Either.js';
import { signingKeyFromSeed } from '../src/crypto/keys.js';
import type { KeyLookup, SigningKey } from '../src/crypto/types.js';
import { computeEventId, computeRoomId } from '../src/events/hashes.js';
import { signEvent } from '../src/events/signing.js';
import {
  type InviteAccepted,
  type InviteRejection,
  type ReceivedInviteRequest,
  receiveInvite,
  SYNAPSE_COMPATIBLE_POLICY,
} from '../src/invite/receive/receive.js';
import { buildInviteEvent } from '../src/invite/send/build-event.js';
import { shouldFallbackToV1 } from '../src/invite/send/fallback.js';
import { buildInviteRequest } from '../src/invite/send/request.js';
import { verifyInviteResponse } from '../src/invite/send/response.js';
import { buildInviteRoomState } from '../src/invite/send/room-state.js';
import { encodeCanonicalJson } from '../src/json/canonical.js';
import { parseJson } from '../src/json/parse.js';
import type { JsonObject } from '../src/json/value.js';
import { signRequest } from '../src/x-matrix/sign.js';
import { verifyRequest } from '../src/x-matrix/verify.js';

/** Unwraps a Right; a Left here is a bug in the demo, not a verdict. */
function must<A>(result: E.Either<{ readonly message: string }, A>, what: string): A {
  if (E.isLeft(result)) throw new Error(`${what}: ${result.left.message}`);
  return result.right;
}

const utf8 = new TextEncoder();
const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z: fixed timestamps give the same bytes on every run.

// Two servers, each with its own key (fixed seeds, so the output is reproducible) and its own view of the other's.
interface Server {
  readonly name: string;
  readonly key: SigningKey;
}
const server = (name: string, seedByte: number, version: string): Server => ({
  name,
  key: must(signingKeyFromSeed({ seed: new Uint8Array(32).fill(seedByte), version }), 'key'),
});
const inviter = server('inviter.example', 1, 'a1');
const invitee = server('invitee.example', 2, 'b1');
const mallory = server('evil.example', 3, 'm1');
/** What every server has fetched from /_matrix/key/v2/server (a real server caches these). */
const keyring: KeyLookup = (serverName, keyId) => {
  const known = [inviter, invitee, mallory].find((s) => s.name === serverName && s.key.keyId === keyId);
  return known === undefined ? undefined : { key: known.key.publicKey };
};

const alice = '@alice:inviter.example';
const bob = '@bob:invitee.example';
const step = (who: string, text: string): void => console.log(`   ${who.padEnd(8)} ${text}`);
const short = (id: string): string => (id.length > 20 ? `${id.slice(0, 12)}…` : id);

/** The invitee's HTTP handler: X-Matrix first, then receiveInvite. Returns status and body bytes. */
function inviteeHandles(
  apiVersion: 'v1' | 'v2',
  path: string,
  authorization: string,
  body: Uint8Array,
  policy: 'spec' | 'synapse' = 'spec',
): { status: number; body: Uint8Array; result?: E.Either<InviteRejection, InviteAccepted> } {
  const content = must(parseJson(body), 'body');
  const auth = verifyRequest(
    { method: 'PUT', uri: path, content, authorization },
    { serverName: invitee.name, keys: keyring },
  );
  if (E.isLeft(auth)) {
    return {
      status: auth.left.status,
      body: utf8.encode(JSON.stringify(auth.left.body)),
    };
  }
  const [roomId, eventId] = path.split('/').slice(-2).map(decodeURIComponent) as [string, string];
  const request: ReceivedInviteRequest = { apiVersion, roomId, eventId, origin: auth.right.origin, body };
  const result = receiveInvite(request, {
    serverName: invitee.name,
    signingKey: invitee.key,
    keys: keyring,
    ...(policy === 'synapse' ? { policy: SYNAPSE_COMPATIBLE_POLICY } : {}),
  });
  return E.isRight(result)
    ? { status: 200, body: result.right.responseBytes, result }
    : {
        status: result.left.status,
        body: bytesOf(result.left.body),
        result,
      };
}

/** Signs a request as `from` (X-Matrix) and returns the Authorization header. */
function xMatrix(from: Server, path: string, body: JsonObject): string {
  return must(
    signRequest(
      { method: 'PUT', uri: path, origin: from.name, destination: invitee.name, content: body },
      from.key,
    ),
    'X-Matrix',
  );
}
const bytesOf = (body: JsonObject): Uint8Array => utf8.encode(must(encodeCanonicalJson(body), 'body'));

// ---------------------------------------------------------------------------------------------------------------
console.log(
  'matrix-federation-invite demo: inviter.example invites @bob:invitee.example (no network, real crypto)',
);
console.log(`   keys: inviter.example ${inviter.key.keyId} ${inviter.key.publicKey}`);
console.log(`         invitee.example ${invitee.key.keyId} ${invitee.key.publicKey}\n`);

console.log('1. Invite over v2 to a room version 12 room');
// The room as the inviter knows it: a create event (which names the room from v12), Alice's join, rules, a name.
const stateEvent = (fields: JsonObject): JsonObject =>
  must(
    signEvent({ event: fields, roomVersion: '12', serverName: inviter.name, signingKey: inviter.key }),
    'event',
  );
const create = stateEvent({
  type: 'm.room.create',
  state_key: '',
  sender: alice,
  origin_server_ts: T0,
  depth: 1,
  auth_events: [],
  prev_events: [],
  content: { room_version: '12' },
});
const roomId = must(computeRoomId(create), 'room ID');
const createId = `$${roomId.slice(1)}`;
const idOf = (event: JsonObject): string => must(computeEventId(event, '12'), 'event ID');
const aliceJoin = stateEvent({
  type: 'm.room.member',
  state_key: alice,
  sender: alice,
  room_id: roomId,
  origin_server_ts: T0 + 1,
  depth: 2,
  auth_events: [],
  prev_events: [createId],
  content: { membership: 'join' },
});
const joinRules = stateEvent({
  type: 'm.room.join_rules',
  state_key: '',
  sender: alice,
  room_id: roomId,
  origin_server_ts: T0 + 2,
  depth: 3,
  auth_events: [idOf(aliceJoin)],
  prev_events: [idOf(aliceJoin)],
  content: { join_rule: 'invite' },
});
const name = stateEvent({
  type: 'm.room.name',
  state_key: '',
  sender: alice,
  room_id: roomId,
  origin_server_ts: T0 + 3,
  depth: 4,
  auth_events: [idOf(aliceJoin)],
  prev_events: [idOf(joinRules)],
  content: { name: 'Demo room' },
});
step('inviter', `room ${short(roomId)} = its create event's ID with "!" (room version 12)`);

const invite = must(
  buildInviteEvent({
    roomVersion: '12',
    roomId,
    sender: alice,
    invitee: bob,
    originServerTs: T0 + 10,
    depth: 5,
    authEvents: [idOf(aliceJoin), idOf(joinRules)],
    prevEvents: [idOf(name)],
    content: { displayname: 'Bob' },
    serverName: inviter.name,
    signingKey: inviter.key,
  }),
  'invite',
);
step(
  'inviter',
  `built invite ${short(invite.eventId)}: content hash set, redacted form signed with ${inviter.key.keyId}`,
);
const roomState = must(
  buildInviteRoomState({ state: [create, aliceJoin, joinRules, name], roomVersion: '12', inviter: alice }),
  'state',
);
step(
  'inviter',
  `invite_room_state: ${roomState.length} full PDUs (${roomState.map((e) => e.type).join(', ')})`,
);
const v2 = must(
  buildInviteRequest({
    apiVersion: 'v2',
    roomVersion: '12',
    event: invite.event,
    inviteRoomState: roomState,
  }),
  'request',
);
const v2Body = bytesOf(v2.body);
const v2Auth = xMatrix(inviter, v2.path, v2.body);
step('inviter', `PUT ${v2.path.slice(0, 44)}… (${v2Body.length} bytes), X-Matrix signed`);

const answer = inviteeHandles('v2', v2.path, v2Auth, v2Body);
if (answer.result === undefined || E.isLeft(answer.result))
  throw new Error(`invite refused: ${new TextDecoder().decode(answer.body)}`);
const accepted = answer.result.right;
step('invitee', `X-Matrix: request signed by ${inviter.name} ${inviter.key.keyId}, addressed to us`);
step(
  'invitee',
  'checked: JSON body, room version 12 supported, strict canonical JSON, PDU shape, path IDs = body,',
);
step('', 'm.room.member/invite, sender on the origin, state_key on us, sizes,');
step(
  '',
  `signature of ${accepted.verification.servers.map((s) => s.serverName).join(', ')}, content hash ${accepted.contentHashMatched ? 'matches' : 'MISMATCH'},`,
);
step(
  '',
  `invite_room_state: ${accepted.inviteRoomState.filter((e) => e.status === 'verified').length}/${accepted.inviteRoomState.length} entries verified, create event = room ID`,
);
step(
  'invitee',
  `countersigned with ${invitee.name} ${invitee.key.keyId} → 200 (${answer.body.length} bytes)`,
);

const verified = must(
  verifyInviteResponse(
    { status: answer.status, body: answer.body },
    {
      apiVersion: 'v2',
      sentEvent: invite.event,
      roomVersion: '12',
      inviteeServer: invitee.name,
      keys: keyring,
    },
  ),
  'response',
);
step('inviter', 'checked the answer: same event, our signature intact, invitee signature verified');
step(
  'inviter',
  `ready to send ${short(verified.eventId)} to the room, signed by ${Object.keys(verified.event.signatures as JsonObject).join(' and ')}\n`,
);

// ---------------------------------------------------------------------------------------------------------------
console.log('2. A room version 1 room, and an invitee that only speaks v1');
const oldRoom = '!old:inviter.example';
const oldCreate: JsonObject = {
  type: 'm.room.create',
  state_key: '',
  sender: alice,
  content: { creator: alice },
};
const v1Invite = must(
  buildInviteEvent({
    roomVersion: '1',
    roomId: oldRoom,
    sender: alice,
    invitee: bob,
    originServerTs: T0 + 20,
    depth: 3,
    authEvents: [['$create:inviter.example', { sha256: 'aGFzaA' }]],
    prevEvents: [['$join:inviter.example', { sha256: 'aGFzaA' }]],
    serverName: inviter.name,
    signingKey: inviter.key,
  }),
  'v1 invite',
);
const oldState = must(
  buildInviteRoomState({ state: [oldCreate], roomVersion: '1', format: 'stripped' }),
  'state',
);
const firstTry = must(
  buildInviteRequest({
    apiVersion: 'v2',
    roomVersion: '1',
    event: v1Invite.event,
    inviteRoomState: oldState,
  }),
  'v2',
);
step('inviter', `PUT ${firstTry.path.slice(0, 30)}… → 404 {"errcode":"M_UNRECOGNIZED"} (old server)`);
const notFound = { status: 404, body: '{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}' };
if (!shouldFallbackToV1(notFound, '1')) throw new Error('expected a fallback');
step(
  'inviter',
  'shouldFallbackToV1: unknown endpoint and room version 1 → retry with v1 (never for rooms 3+)',
);
const v1 = must(
  buildInviteRequest({
    apiVersion: 'v1',
    roomVersion: '1',
    event: v1Invite.event,
    inviteRoomState: oldState,
  }),
  'v1',
);
const v1Answer = inviteeHandles('v1', v1.path, xMatrix(inviter, v1.path, v1.body), bytesOf(v1.body));
const v1Result = v1Answer.result;
if (v1Result === undefined || E.isLeft(v1Result)) throw new Error('v1 invite refused');
step(
  'invitee',
  `v1 body = the event (room version 1 assumed), checked and countersigned → [200, {"event": …}]`,
);
for (const warning of v1Result.right.warnings)
  step('invitee', `warning: ${warning.reason} (stripped state: rooms 1-11 only warn)`);
const v1Verified = must(
  verifyInviteResponse(
    { status: v1Answer.status, body: v1Answer.body },
    {
      apiVersion: 'v1',
      sentEvent: v1Invite.event,
      roomVersion: '1',
      inviteeServer: invitee.name,
      keys: keyring,
    },
  ),
  'v1 response',
);
step(
  'inviter',
  `checked the v1 answer: ${v1Verified.eventId} countersigned by ${v1Verified.inviteeKeyIds.join(', ')}\n`,
);

// ---------------------------------------------------------------------------------------------------------------
console.log('3. Forgeries: the spec-default answer, then the Synapse-compatible one');
function forgery(title: string, apiVersion: 'v1' | 'v2', path: string, from: Server, body: JsonObject): void {
  const auth = xMatrix(from, path, body);
  const bytes = bytesOf(body);
  const spec = inviteeHandles(apiVersion, path, auth, bytes, 'spec');
  const synapse = inviteeHandles(apiVersion, path, auth, bytes, 'synapse');
  const reason = spec.result !== undefined && E.isLeft(spec.result) ? spec.result.left : undefined;
  console.log(`   ✗ ${title}`);
  const text = (answer: { status: number; body: Uint8Array }): string =>
    answer.status === 200
      ? '200: accepted, the redacted copy is countersigned (Synapse redacts instead of rejecting)'
      : `${answer.status} ${new TextDecoder().decode(answer.body)}`;
  step('invitee', text(spec));
  step('', `Synapse-compatible: ${text(synapse)}`);
  if (reason !== undefined) step('', `reason: ${reason.reason} at ${reason.path.join('.') || '(body)'}`);
}

forgery(
  `wrong origin: ${mallory.name} (authenticated as itself) relays Alice's signed invite`,
  'v2',
  v2.path,
  mallory,
  v2.body,
);
const tampered: JsonObject = {
  ...v2.body,
  event: { ...invite.event, content: { membership: 'invite', displayname: 'Bob (admin)' } },
};
forgery(
  'tampered content: displayname changed after the inviter hashed and signed',
  'v2',
  v2.path,
  inviter,
  tampered,
);
forgery('unsupported room version: "room_version": "13"', 'v2', v2.path, inviter, {
  ...v2.body,
  room_version: '13',
});
console.log('\nEvery step above is a pure function of bytes and keys: see README.md for the API.');
