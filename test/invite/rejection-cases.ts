/**
 * One invite per rejection reason, for v1 and v2 where the reason applies (used by receive-rejections.test.ts and by
 * the async/sync equivalence tests).
 */
import type { SigningKey } from '../../src/crypto/types.js';
import { prepareEvent } from '../../src/events/prepared.js';
import { countersignPrepared } from '../../src/events/signing.js';
import type { InviteRejectionReason } from '../../src/invite/receive/reasons.js';
import type { InviteContext, ReceivedInviteRequest } from '../../src/invite/receive/receive.js';
import { JsonFloat, type JsonObject, type JsonValue } from '../../src/json/value.js';
import { nested } from '../helpers/json-arbitrary.js';
import {
  context,
  eventIdOf,
  INVITEE,
  INVITER,
  inviterKey,
  nameEventFor,
  requestFor,
  right,
  roomStateFor,
  signedInvite,
} from './helpers.js';

export type Api = 'v1' | 'v2';
/** The room version used for each API in these tests. */
const RV: Record<Api, string> = { v1: '1', v2: '10' };

export interface Case {
  readonly reason: InviteRejectionReason;
  readonly apis: readonly Api[];
  readonly build: (api: Api) => { request: ReceivedInviteRequest; context?: InviteContext };
  /** Expected path of the rejection, per API (optional). */
  readonly path?: (api: Api) => readonly (string | number)[];
}

const enc = new TextEncoder();
export const raw = (api: Api, body: string): ReceivedInviteRequest => ({
  apiVersion: api,
  roomId: `!room:${INVITER}`,
  eventId: '$x',
  origin: INVITER,
  body: enc.encode(body),
});

/** Re-signs an event without recomputing its hashes (to test hash checks behind valid signatures). */
function signKeepingHashes(event: JsonObject, version: string): JsonObject {
  return right(countersignPrepared(right(prepareEvent(event, version)), INVITER, inviterKey)).event;
}

/** A request for a signed invite of the API's room version, with extra fields. */
export function invite(
  api: Api,
  extra: Record<string, JsonValue> = {},
  options: { inviteRoomState?: JsonValue } = {},
) {
  const version = RV[api];
  return requestFor(api, version, signedInvite(version, extra), options);
}

const withPolicy = (policy: InviteContext['policy']): InviteContext => ({
  ...context,
  ...(policy ? { policy } : {}),
});
const enforce = withPolicy({ inviteRoomState: 'enforce' });
const both: readonly Api[] = ['v1', 'v2'];
const ev = (api: Api, ...path: (string | number)[]) => (api === 'v2' ? ['event', ...path] : path);

const brokenKey: SigningKey = Object.freeze({
  ...inviterKey,
  keyId: 'ed25519:broken',
  sign: () => {
    throw new Error('HSM unavailable');
  },
});

export const CASES: readonly Case[] = [
  {
    reason: 'body_too_large',
    apis: both,
    build: (api) => ({ request: invite(api), context: withPolicy({ maxBodyBytes: 100 }) }),
  },
  { reason: 'body_too_deep', apis: both, build: (api) => ({ request: raw(api, nested(300, '1')) }) },
  { reason: 'body_not_json', apis: both, build: (api) => ({ request: raw(api, '{"room_version": "10", ') }) },
  { reason: 'body_not_object', apis: both, build: (api) => ({ request: raw(api, '[1, 2]') }) },
  { reason: 'room_version_missing', apis: ['v2'], build: () => ({ request: raw('v2', '{"event": {}}') }) },
  {
    reason: 'room_version_not_string',
    apis: ['v2'],
    build: () => ({ request: raw('v2', '{"room_version": 10, "event": {}}') }),
  },
  {
    reason: 'room_version_unsupported',
    apis: both,
    build: (api) =>
      api === 'v2'
        ? { request: raw('v2', '{"room_version": "13", "event": {}}') }
        : { request: invite('v1'), context: { ...context, supportedRoomVersions: ['10', '11', '12'] } },
  },
  {
    reason: 'v1_event_not_v1_format',
    apis: ['v1'],
    build: () => {
      const event = signedInvite('10');
      return { request: { ...requestFor('v1', '10', event), eventId: eventIdOf(event, '10') } };
    },
    path: () => ['event_id'],
  },
  {
    reason: 'not_canonical_json',
    apis: ['v2'],
    build: () => ({
      request: invite('v2', { content: { membership: 'invite', weight: new JsonFloat(1.5) } }),
    }),
    path: () => ['event', 'content', 'weight'],
  },
  { reason: 'event_missing', apis: ['v2'], build: () => ({ request: raw('v2', '{"room_version": "10"}') }) },
  {
    reason: 'event_not_object',
    apis: ['v2'],
    build: () => ({ request: raw('v2', '{"room_version": "10", "event": []}') }),
  },
  {
    reason: 'invalid_pdu',
    apis: both,
    build: (api) => ({ request: invite(api, { depth: '10' }) }),
    path: (api) => ev(api, 'depth'),
  },
  {
    reason: 'room_id_mismatch',
    apis: both,
    build: (api) => ({ request: { ...invite(api), roomId: `!other:${INVITER}` } }),
    path: (api) => ev(api, 'room_id'),
  },
  {
    reason: 'event_id_mismatch',
    apis: both,
    build: (api) => ({ request: { ...invite(api), eventId: '$other' } }),
  },
  {
    reason: 'not_member_event',
    apis: both,
    build: (api) => ({ request: invite(api, { type: 'm.room.message' }) }),
    path: (api) => ev(api, 'type'),
  },
  {
    reason: 'not_invite_membership',
    apis: both,
    build: (api) => ({ request: invite(api, { content: { membership: 'join' } }) }),
    path: (api) => ev(api, 'content', 'membership'),
  },
  {
    reason: 'state_key_missing',
    apis: both,
    build: (api) => {
      const version = RV[api];
      const { state_key: _, ...event } = signedInvite(version);
      return { request: requestFor(api, version, signKeepingHashes(event, version)) };
    },
  },
  {
    reason: 'invalid_state_key',
    apis: both,
    build: (api) => ({ request: invite(api, { state_key: `@:${INVITEE}` }) }),
  },
  {
    reason: 'state_key_not_local',
    apis: both,
    build: (api) => ({ request: invite(api, { state_key: '@bob:elsewhere.example' }) }),
  },
  {
    reason: 'invalid_sender',
    apis: both,
    build: (api) => ({ request: invite(api, { sender: `alice:${INVITER}` }) }),
  },
  {
    reason: 'sender_not_origin',
    apis: both,
    build: (api) => ({ request: { ...invite(api), origin: 'evil.example' } }),
  },
  {
    reason: 'field_too_large',
    apis: both,
    build: (api) => ({ request: invite(api, { state_key: `@${'🐈'.repeat(64)}:${INVITEE}` }) }),
    path: (api) => ev(api, 'state_key'),
  },
  {
    reason: 'event_too_large',
    apis: both,
    build: (api) => ({
      request: invite(api, { content: { membership: 'invite', reason: 'x'.repeat(70000) } }),
    }),
  },
  {
    reason: 'signature_missing',
    apis: both,
    build: (api) => {
      const version = RV[api];
      const event = { ...signedInvite(version), signatures: {} };
      return { request: requestFor(api, version, event) };
    },
  },
  {
    reason: 'signature_invalid',
    apis: both,
    build: (api) => {
      const version = RV[api];
      // A signed field changed after signing (origin_server_ts is kept by redaction, so it is signed).
      const event = { ...signedInvite(version), origin_server_ts: 1700000000001 };
      const request = requestFor(api, version, event);
      return { request: { ...request, eventId: api === 'v1' ? request.eventId : eventIdOf(event, version) } };
    },
  },
  {
    reason: 'signing_key_unknown',
    apis: both,
    build: (api) => ({ request: invite(api), context: { ...context, keys: () => undefined } }),
  },
  {
    reason: 'content_hash_malformed',
    apis: both,
    build: (api) => {
      const version = RV[api];
      const event = signKeepingHashes(
        { ...signedInvite(version), hashes: { sha256: 'not base64!' } },
        version,
      );
      return { request: requestFor(api, version, event) };
    },
    path: (api) => ev(api, 'hashes', 'sha256'),
  },
  {
    reason: 'content_hash_mismatch',
    apis: both,
    build: (api) => {
      const version = RV[api];
      const event = { ...signedInvite(version), content: { membership: 'invite', displayname: 'Mallory' } };
      return { request: requestFor(api, version, event) };
    },
  },
  {
    reason: 'invite_room_state_malformed',
    apis: both,
    build: (api) => ({
      request: invite(api, {}, { inviteRoomState: { not: 'an array' } }),
      context: enforce,
    }),
  },
  {
    reason: 'invite_room_state_missing_create',
    apis: both,
    build: (api) => ({ request: invite(api, {}, { inviteRoomState: [] }), context: enforce }),
  },
  {
    reason: 'invite_room_state_invalid_pdu',
    apis: both,
    build: (api) => {
      const stripped = { type: 'm.room.create', state_key: '', sender: `@alice:${INVITER}`, content: {} };
      return { request: invite(api, {}, { inviteRoomState: [stripped] }), context: enforce };
    },
  },
  {
    reason: 'invite_room_state_wrong_room',
    apis: both,
    build: (api) => {
      const version = RV[api];
      const [create] = roomStateFor(version);
      const moved = signKeepingHashes(
        { ...(create as JsonObject), room_id: `!elsewhere:${INVITER}` },
        version,
      );
      return { request: invite(api, {}, { inviteRoomState: [moved] }), context: enforce };
    },
  },
  {
    reason: 'invite_room_state_bad_signature',
    apis: both,
    build: (api) => {
      const [create] = roomStateFor(RV[api]);
      const forged = { ...(create as JsonObject), origin_server_ts: 1 };
      return { request: invite(api, {}, { inviteRoomState: [forged] }), context: enforce };
    },
  },
  {
    reason: 'invite_room_state_content_hash_mismatch',
    apis: both,
    build: (api) => {
      const version = RV[api];
      // content.name is not kept by redaction: the signature still verifies, the content hash does not.
      const renamed = { ...nameEventFor(version), content: { name: 'Altered' } };
      return {
        request: invite(api, {}, { inviteRoomState: [...roomStateFor(version), renamed] }),
        context: enforce,
      };
    },
    path: (api) => [
      ...(api === 'v2' ? ['invite_room_state'] : ['unsigned', 'invite_room_state']),
      1,
      'hashes',
      'sha256',
    ],
  },
  {
    reason: 'forbidden',
    apis: both,
    build: (api) => ({
      request: invite(api),
      context: withPolicy({ authorize: () => ({ verdict: 'forbidden' }) }),
    }),
  },
  {
    reason: 'invite_blocked',
    apis: both,
    build: (api) => ({
      request: invite(api),
      context: withPolicy({ authorize: () => ({ verdict: 'invite_blocked' }) }),
    }),
  },
  {
    reason: 'countersign_failed',
    apis: both,
    build: (api) => ({ request: invite(api), context: { ...context, signingKey: brokenKey } }),
  },
  {
    reason: 'invalid_request',
    apis: both,
    build: (api) => ({ request: { ...invite(api), origin: 42 as unknown as string } }),
  },
  {
    reason: 'invalid_context',
    apis: both,
    build: (api) => ({ request: invite(api), context: { ...context, serverName: '' } }),
  },
  {
    reason: 'internal_error',
    apis: both,
    build: (api) => ({
      request: invite(api),
      context: withPolicy({
        authorize: () => {
          throw new Error('database down');
        },
      }),
    }),
  },
];
