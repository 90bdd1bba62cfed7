/**
 * Every use the kit makes of the rest of the library, in one place: when a function is renamed or changes its call
 * shape, only this file changes. Each helper returns `Either<string, ...>` (a message) so the kit's code stays
 * independent of the other modules' error types.
 */
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { signingKeyFromSeed } from '../crypto/keys.js';
import { sha256 } from '../crypto/sha256.js';
import type { KeyLookup, SigningKey } from '../crypto/types.js';
import { encodeBase64 } from '../encoding/base64.js';
import { computeEventId, computeRoomId, type EventReference, eventReference } from '../events/hashes.js';
import { redactEvent } from '../events/redaction.js';
import { signEvent } from '../events/signing.js';
import { parseServerName } from '../identifiers/server-name.js';
import { parseUserId } from '../identifiers/user-id.js';
import type { InviteApiVersion } from '../invite/api-version.js';
import { buildInviteEvent } from '../invite/send/build-event.js';
import { invitePath, buildInviteRequest as libraryBuildInviteRequest } from '../invite/send/request.js';
import { verifyInviteResponse } from '../invite/send/response.js';
import { buildInviteRoomState } from '../invite/send/room-state.js';
import { encodeCanonicalJson } from '../json/canonical.js';
import { parseJson } from '../json/parse.js';
import { utf8Encode } from '../json/utf8.js';
import type { JsonObject, JsonValue } from '../json/value.js';
import type { RoomVersionRules } from '../room-versions/rules.js';
import { getRoomVersion } from '../room-versions/versions.js';
import { buildServerKeys } from '../server-keys/build.js';
import { verifyServerKeys } from '../server-keys/verify.js';
import { signRequest } from '../x-matrix/sign.js';

/** How other events refer to an event (rooms 1-2 `[event_id, { sha256 }]`, rooms 3+ the event ID). */
export type InviteEventReference = EventReference;

/** A library `Left` as its message. */
const message = <L extends { readonly message: string }, R>(either: E.Either<L, R>): E.Either<string, R> =>
  pipe(
    either,
    E.mapLeft((error) => error.message),
  );

/** The rules of a room version. */
export function roomVersionRules(id: string): E.Either<string, RoomVersionRules> {
  return message(getRoomVersion(id));
}

/** A deterministic signing key from a label (seed = SHA-256 of the label). Public: test identities only. */
export function deterministicKey(label: string, version: string): E.Either<string, SigningKey> {
  return message(signingKeyFromSeed({ seed: sha256(label), version }));
}

/** 43 URL-safe base64 characters of the SHA-256 of a label: the opaque part of a hash-form room or event ID. */
export function hashedId(label: string): string {
  return encodeBase64(sha256(label), { urlSafe: true });
}

/** The server name of a user ID (text after the first `:`), or a message. */
export function userServer(userId: string): E.Either<string, string> {
  return pipe(
    message(parseUserId(userId)),
    E.map((parsed) => parsed.serverName),
  );
}

/** Host and optional port of a server name, or a message. */
export function serverNameParts(name: string): E.Either<string, { host: string; port: number | undefined }> {
  return pipe(
    message(parseServerName(name)),
    E.map((parsed) => ({ host: parsed.host, port: parsed.port })),
  );
}

/** Hashes and signs an event as `serverName` (other signatures are kept). */
export function signEventAs(
  event: JsonObject,
  roomVersion: string,
  serverName: string,
  key: SigningKey,
): E.Either<string, JsonObject> {
  return message(signEvent({ event, roomVersion, serverName, signingKey: key }));
}

/** The event ID: `event_id` in rooms 1-2, the reference hash from room 3. */
export function eventIdOf(event: JsonObject, rules: RoomVersionRules): E.Either<string, string> {
  // The kit's rooms 1-2 events always carry a string event_id (it builds them).
  return rules.eventIdFormat === 'v1'
    ? E.right(event.event_id as string)
    : message(computeEventId(event, rules));
}

/** How other events refer to an event: rooms 1-2 `[event_id, {sha256}]`, rooms 3+ the event ID. */
export function referenceOf(
  event: JsonObject,
  rules: RoomVersionRules,
): E.Either<string, InviteEventReference> {
  return message(eventReference(event, rules));
}

/** Room 12: the room ID derived from the create event. */
export function roomIdOf(create: JsonObject): E.Either<string, string> {
  return message(computeRoomId(create, '12'));
}

/** The redacted copy of an event (hashes and signatures kept), as a receiving server computes it. */
export function redacted(event: JsonObject, roomVersion: string): E.Either<string, JsonObject> {
  return message(redactEvent(event, roomVersion));
}

/** What an invite event is built from. */
export interface InviteEventInput {
  readonly roomVersion: string;
  readonly roomId: string;
  readonly sender: string;
  readonly invitee: string;
  readonly originServerTs: number;
  readonly depth: number;
  readonly authEvents: readonly InviteEventReference[];
  readonly prevEvents: readonly InviteEventReference[];
  readonly content: JsonObject;
  readonly serverName: string;
  readonly signingKey: SigningKey;
}

/** The library's invite builder: the signed event and its ID. */
export function buildInvite(
  input: InviteEventInput,
): E.Either<string, { event: JsonObject; eventId: string }> {
  const { serverName, signingKey, ...params } = input;
  return pipe(
    message(buildInviteEvent({ ...params, serverName, signingKey })),
    E.map((built) => ({ event: built.event, eventId: built.eventId })),
  );
}

/** The library's `invite_room_state` choice (full PDUs): create, join rules, name, the inviter's membership. */
export function chooseInviteRoomState(
  state: readonly JsonObject[],
  roomVersion: string,
  inviter: string,
): E.Either<string, readonly JsonObject[]> {
  return message(buildInviteRoomState({ state, roomVersion, inviter }));
}

/** The library's request builder: path and body of a v1 or v2 invite request. */
export function buildInviteRequest(params: {
  readonly apiVersion: InviteApiVersion;
  readonly roomVersion: string;
  readonly event: JsonObject;
  readonly inviteRoomState: readonly JsonObject[];
}): E.Either<string, { path: string; body: JsonObject }> {
  return pipe(
    message(libraryBuildInviteRequest(params)),
    E.map((built) => ({ path: built.path, body: built.body })),
  );
}

/** The invite path for arbitrary IDs (path forgeries). */
export function pathOf(
  apiVersion: InviteApiVersion,
  roomId: string,
  eventId: string,
): E.Either<string, string> {
  return message(invitePath({ apiVersion, roomId, eventId }));
}

/** The X-Matrix `Authorization` header value. */
export function xMatrixAuthorization(
  request: {
    readonly method: string;
    readonly uri: string;
    readonly origin: string;
    readonly destination: string;
    readonly content: JsonValue;
  },
  key: SigningKey,
): E.Either<string, string> {
  return message(signRequest(request, key));
}

/** Canonical JSON bytes (floats allowed: the non-canonical case sends one). */
export function canonicalBytes(value: JsonValue): E.Either<string, Uint8Array> {
  return pipe(message(encodeCanonicalJson(value)), E.map(utf8Encode));
}

/** Canonical JSON text, or undefined. */
export function canonicalText(value: JsonValue): E.Either<string, string> {
  return message(encodeCanonicalJson(value));
}

/** Parses JSON losslessly. */
export function parseJsonBody(body: Uint8Array | string): E.Either<string, JsonValue> {
  return message(parseJson(body));
}

/** A countersigned answer that checked out: any warnings worth reporting. */
export interface CountersignatureCheck {
  readonly warnings: readonly string[];
}

/** Why a countersigned answer was refused: the library's reason and message. */
export interface CountersignatureProblem {
  readonly reason: string;
  readonly message: string;
}

/** Checks a 200 answer with the library's `verifyInviteResponse`: the sent event, countersigned by the target. */
export function checkCountersigned(params: {
  readonly apiVersion: InviteApiVersion;
  readonly body: Uint8Array | string | JsonValue;
  readonly sentEvent: JsonObject;
  readonly roomVersion: string;
  readonly targetServerName: string;
  readonly keys: KeyLookup;
  readonly now: number;
}): E.Either<CountersignatureProblem, CountersignatureCheck> {
  const verified = verifyInviteResponse(
    { status: 200, body: params.body },
    {
      apiVersion: params.apiVersion,
      sentEvent: params.sentEvent,
      roomVersion: params.roomVersion,
      inviteeServer: params.targetServerName,
      keys: params.keys,
      now: params.now,
    },
  );
  return pipe(
    verified,
    E.bimap(
      (error) => ({ reason: error.reason, message: error.message }),
      (accepted) => ({ warnings: accepted.warnings.map((w) => w.message) }),
    ),
  );
}

/** Our signed `/_matrix/key/v2/server` answer. */
export function signedKeyAnswer(
  serverName: string,
  signingKey: SigningKey,
  validUntilTs: number,
): E.Either<string, Uint8Array> {
  return pipe(
    message(buildServerKeys({ serverName, signingKey, validUntilTs })),
    E.map((built) => built.bytes),
  );
}

/** Verifies a server's `/_matrix/key/v2/server` answer and returns a lookup over its keys. */
export function keysFromAnswer(
  body: Uint8Array | string | JsonValue,
  serverName: string,
  now: number,
): E.Either<string, KeyLookup> {
  return pipe(
    message(verifyServerKeys(body, { serverName, now })),
    E.map((verified) => verified.lookup),
  );
}
