/**
 * Building the invite event (spec server-server API "Inviting to a room", "Signing events").
 *
 * The inviting server creates an `m.room.member` event with `membership: invite` in the room version's PDU format,
 * sets its content hash, signs its redacted form and derives its event ID (rooms 3+). Rooms 1-2 carry an
 * `event_id` (`$opaque:server`) and `[event_id, {sha256}]` reference pairs; rooms 3+ plain ID lists and no
 * `event_id`. The key order of the result is fixed (`type, state_key, sender, room_id, [event_id], [origin],
 * origin_server_ts, depth, auth_events, prev_events, content, hashes, signatures`) so the wire text is reproducible.
 */
import * as E from 'fp-ts/lib/Either.js';
import { sha256 } from '../../crypto/sha256.js';
import type { SigningKey } from '../../crypto/types.js';
import { encodeBase64 } from '../../encoding/base64.js';
import { errorText } from '../../errors/describe.js';
import type { EventReference } from '../../events/hashes.js';
import { checkEventLimits } from '../../events/limits.js';
import { validatePduShape } from '../../events/pdu.js';
import { canonicalBytesForHashing } from '../../events/prepared.js';
import { signEventPrepared } from '../../events/signing.js';
import { parseEventId, parseRoomId } from '../../identifiers/room-event-id.js';
import { parseServerName } from '../../identifiers/server-name.js';
import { parseUserId } from '../../identifiers/user-id.js';
import {
  getOwn,
  isJsonObject,
  type JsonObject,
  type JsonObjectInput,
  type JsonValue,
  type MutableJsonObject,
  setOwn,
} from '../../json/value.js';
import type { RoomVersionInput, RoomVersionRules } from '../../room-versions/rules.js';
import { getRoomVersion } from '../../room-versions/versions.js';
import type { InviteEvent } from '../invite-event.js';
import { type InviteSendError, sendError } from './common.js';

/**
 * What the invite event is built from, and who signs it.
 *
 * @category Sending
 */
export interface BuildInviteEventParams {
  /** The room's version (`"10"`) or rules. */
  readonly roomVersion: RoomVersionInput;
  /** The room ID (`!opaque:server` in rooms 1-11, `!` + create event hash in room 12). */
  readonly roomId: string;
  /** The inviting user: the event's `sender`, on the signing server. */
  readonly sender: string;
  /** The invited user: the event's `state_key`. */
  readonly invitee: string;
  /** `origin_server_ts`, milliseconds since the epoch. */
  readonly originServerTs: number | bigint;
  /** `depth`: one more than the deepest prev event. */
  readonly depth: number | bigint;
  /**
   * Auth events (at most 10): the create (except in room 12, whose create event is implied by the room ID), power
   * levels, join rules and the sender's membership event. Each as {@link eventReference} gives it: the event ID
   * (rooms 3+) or the `[event_id, { sha256 }]` pair (rooms 1-2).
   */
  readonly authEvents: readonly EventReference[];
  /**
   * Prev events, 1 to 20: the room's forward extremities, as {@link eventReference} gives them. An empty list is
   * refused (`invalid_event_reference`): only `m.room.create` has none, and Synapse never creates another event
   * without them (`create_new_client_event`: "Attempting to create an event with no prev_events"). The spec's PDU
   * schema sets the maximum (20, `maxPrevEvents`), no minimum.
   */
  readonly prevEvents: readonly EventReference[];
  /**
   * Extra member content (`displayname`, `avatar_url`, `is_direct`, `reason`...). `membership` is set to `invite`
   * (first key) when absent; any other `membership` is refused.
   */
  readonly content?: JsonObjectInput;
  /**
   * The legacy top-level `origin` (left the PDU schema in spec v1.3; Synapse still sends it, and redaction keeps it
   * in rooms 1-10). Default: the signing server's name; `null` leaves it out.
   */
  readonly origin?: string | null;
  /**
   * Rooms 1-2 only: the `event_id` (`$opaque:server`, on the signing server). Default: `$` + 24 URL-safe base64
   * characters of the SHA-256 of the event's other fields + `:` + server, deterministic.
   */
  readonly eventId?: string;
  /** Your server's signing key. */
  readonly signingKey: SigningKey;
  /** The signing server: the server of `sender` (the default); given, it must be that server. */
  readonly serverName?: string;
}

/**
 * A built, hashed and signed invite event.
 *
 * @category Sending
 */
export interface BuiltInviteEvent {
  /** The complete PDU: `hashes.sha256` and `signatures[serverName][keyId]` set, no `unsigned`. */
  readonly event: InviteEvent;
  /** The event ID: the `event_id` field (rooms 1-2) or the reference hash ID (rooms 3+). */
  readonly eventId: string;
  /** The room version's identifier. */
  readonly roomVersion: string;
  /** The invitee's server: where the invite request goes. */
  readonly inviteeServer: string;
}

function isNonNegativeInteger(value: unknown, max: bigint): value is number | bigint {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 && BigInt(value) <= max;
  if (typeof value === 'bigint') return value >= 0n && value <= max;
  return false;
}

const MAX_TIMESTAMP = BigInt(Number.MAX_SAFE_INTEGER);

function buildReferences(
  field: 'auth_events' | 'prev_events',
  refs: unknown,
  rules: RoomVersionRules,
  max: number,
  min = 0,
): E.Either<InviteSendError, JsonValue[]> {
  if (!Array.isArray(refs))
    return E.left(sendError('invalid_event_reference', `${field} must be an array`, [field]));
  if (refs.length < min) {
    return E.left(
      sendError(
        'invalid_event_reference',
        `${field} needs at least ${min} event (the room's forward extremities); only m.room.create has none`,
        [field],
      ),
    );
  }
  if (refs.length > max) {
    return E.left(
      sendError('invalid_event_reference', `at most ${max} ${field}, got ${refs.length}`, [field]),
    );
  }
  const out: JsonValue[] = [];
  for (let i = 0; i < refs.length; i++) {
    const ref: unknown = refs[i];
    if (rules.pduFormat === 'v1') {
      // Rooms 1-2: [event_id, {sha256: reference hash}] pairs (spec rooms/v1 "Event format").
      if (!Array.isArray(ref) || ref.length !== 2 || typeof ref[0] !== 'string' || ref[0].length === 0) {
        return E.left(
          sendError('invalid_event_reference', `rooms 1-2 need [event_id, {sha256}] pairs in ${field}`, [
            field,
            i,
          ]),
        );
      }
      const hashes: unknown = ref[1];
      if (!isJsonObject(hashes) || typeof getOwn(hashes, 'sha256') !== 'string') {
        return E.left(
          sendError('invalid_event_reference', `the hashes of a ${field} pair need a sha256 string`, [
            field,
            i,
            1,
          ]),
        );
      }
      out.push([ref[0], hashes]);
    } else {
      if (typeof ref !== 'string' || ref.length === 0) {
        return E.left(
          sendError('invalid_event_reference', `rooms 3+ need event ID strings in ${field}`, [field, i]),
        );
      }
      out.push(ref);
    }
  }
  return E.right(out);
}

function buildContent(content: unknown): E.Either<InviteSendError, JsonObject> {
  if (content === undefined) return E.right({ membership: 'invite' });
  if (!isJsonObject(content))
    return E.left(sendError('invalid_content', 'content must be a JSON object', ['content']));
  if (Object.hasOwn(content, 'membership')) {
    if (getOwn(content, 'membership') !== 'invite') {
      return E.left(
        sendError('invalid_content', 'content.membership must be "invite"', ['content', 'membership']),
      );
    }
    const copy: MutableJsonObject = {};
    for (const key of Object.keys(content)) setOwn(copy, key, content[key] as JsonValue);
    return E.right(copy);
  }
  const out: MutableJsonObject = { membership: 'invite' };
  for (const key of Object.keys(content)) setOwn(out, key, content[key] as JsonValue);
  return E.right(out);
}

/** Rooms 1-2 default event ID: deterministic, derived from the rest of the event. */
function defaultEventId(unsignedEvent: JsonObject, serverName: string): E.Either<InviteSendError, string> {
  const bytes = canonicalBytesForHashing(unsignedEvent);
  if (E.isLeft(bytes))
    return E.left(sendError('signing_failed', bytes.left.message, bytes.left.path, bytes.left));
  return E.right(`$${encodeBase64(sha256(bytes.right), { urlSafe: true }).slice(0, 24)}:${serverName}`);
}

/**
 * Builds, hashes and signs an invite event for the room version: a complete PDU plus its event ID. It is signed by
 * the server of `sender`. Pure and deterministic (the same parameters give the same bytes); never throws; the
 * inputs are not modified.
 *
 * @example
 * buildInviteEvent({ roomVersion: '10', roomId: '!room:inviter.example', sender: '@alice:inviter.example',
 *   invitee: '@bob:invitee.example', originServerTs: 1700000000000, depth: 10, authEvents: ['$auth1'],
 *   prevEvents: ['$prev1'], content: { displayname: 'Bob' }, signingKey })
 * // Right({ event: {...}, eventId: '$Jw_duUUQi0DbuZTaq-6nmGVbJxGtHafTEVXeB4NOPLY', inviteeServer: 'invitee.example' })
 *
 * @category Sending
 */
export function buildInviteEvent(
  params: BuildInviteEventParams,
): E.Either<InviteSendError, BuiltInviteEvent> {
  if (typeof params !== 'object' || params === null) {
    return E.left(sendError('invalid_params', 'buildInviteEvent takes one object of parameters'));
  }
  try {
    const signingKey = params.signingKey as Partial<SigningKey> | null | undefined;
    if (
      typeof signingKey !== 'object' ||
      signingKey === null ||
      typeof signingKey.sign !== 'function' ||
      typeof signingKey.keyId !== 'string'
    ) {
      return E.left(sendError('invalid_params', 'signingKey must be a SigningKey'));
    }
    const resolved = getRoomVersion(params.roomVersion);
    if (E.isLeft(resolved)) {
      return E.left(sendError('unknown_room_version', resolved.left.message, [], resolved.left));
    }
    const rules = resolved.right;
    const sender = parseUserId(params.sender);
    if (E.isLeft(sender))
      return E.left(sendError('invalid_sender', sender.left.message, ['sender'], sender.left));
    // The sender's server signs (its signature is the one receivers require: spec "Validating hashes and signatures").
    const serverName = params.serverName ?? sender.right.serverName;
    const server = parseServerName(serverName);
    if (E.isLeft(server))
      return E.left(sendError('invalid_server_name', server.left.message, [], server.left));
    if (sender.right.serverName !== serverName) {
      return E.left(
        sendError('sender_not_on_server', `sender ${params.sender} is not on ${serverName}`, ['sender']),
      );
    }
    const invitee = parseUserId(params.invitee);
    if (E.isLeft(invitee)) {
      return E.left(sendError('invalid_invitee', invitee.left.message, ['state_key'], invitee.left));
    }
    const roomId = parseRoomId(params.roomId, rules);
    if (E.isLeft(roomId))
      return E.left(sendError('invalid_room_id', roomId.left.message, ['room_id'], roomId.left));

    if (!isNonNegativeInteger(params.originServerTs, MAX_TIMESTAMP)) {
      return E.left(
        sendError('invalid_integer', 'originServerTs must be a non-negative safe integer', [
          'origin_server_ts',
        ]),
      );
    }
    if (!isNonNegativeInteger(params.depth, rules.maxDepth)) {
      return E.left(
        sendError('invalid_integer', `depth must be an integer in [0, ${rules.maxDepth}]`, ['depth']),
      );
    }
    const auth = buildReferences('auth_events', params.authEvents, rules, rules.maxAuthEvents);
    if (E.isLeft(auth)) return auth;
    const prev = buildReferences('prev_events', params.prevEvents, rules, rules.maxPrevEvents, 1);
    if (E.isLeft(prev)) return prev;
    const content = buildContent(params.content);
    if (E.isLeft(content)) return content;
    const origin = params.origin === undefined ? serverName : params.origin;
    if (origin !== null && typeof origin !== 'string') {
      return E.left(sendError('invalid_content', 'origin must be a string or null', ['origin']));
    }

    // Fields in a fixed order; `event_id` (rooms 1-2 only) is inserted after `room_id`.
    const tail: [string, JsonValue][] = [
      ...(origin === null ? [] : [['origin', origin] as [string, JsonValue]]),
      ['origin_server_ts', params.originServerTs],
      ['depth', params.depth],
      ['auth_events', auth.right],
      ['prev_events', prev.right],
      ['content', content.right],
    ];
    const head: [string, JsonValue][] = [
      ['type', 'm.room.member'],
      ['state_key', params.invitee],
      ['sender', params.sender],
      ['room_id', params.roomId],
    ];
    const assemble = (eventId: string | undefined): JsonObject => {
      const out: MutableJsonObject = {};
      for (const [k, v] of head) setOwn(out, k, v);
      if (eventId !== undefined) setOwn(out, 'event_id', eventId);
      for (const [k, v] of tail) setOwn(out, k, v);
      return out;
    };

    let unsignedEvent: JsonObject;
    if (rules.eventIdFormat === 'v1') {
      let eventId: string;
      if (params.eventId === undefined) {
        const derived = defaultEventId(assemble(undefined), serverName);
        if (E.isLeft(derived)) return derived;
        eventId = derived.right;
      } else {
        const parsed = parseEventId(params.eventId, rules);
        if (E.isLeft(parsed)) {
          return E.left(sendError('invalid_event_id', parsed.left.message, ['event_id'], parsed.left));
        }
        // The event_id's server must sign too (spec 7.5); only the sending server signs here.
        if (parsed.right.format !== 'server' || parsed.right.serverName !== serverName) {
          return E.left(sendError('invalid_event_id', `event_id must be on ${serverName}`, ['event_id']));
        }
        eventId = params.eventId;
      }
      unsignedEvent = assemble(eventId);
    } else {
      if (params.eventId !== undefined) {
        return E.left(
          sendError('invalid_event_id', `room version ${rules.id} derives event IDs; do not pass eventId`, [
            'event_id',
          ]),
        );
      }
      unsignedEvent = assemble(undefined);
    }

    const signed = signEventPrepared(unsignedEvent, rules, serverName, params.signingKey);
    if (E.isLeft(signed))
      return E.left(sendError('signing_failed', signed.left.message, signed.left.path, signed.left));
    const event = signed.right.event as InviteEvent;

    // The result must be a PDU the invitee accepts: shape and strict JSON (rooms 6+), field and size limits.
    const shape = validatePduShape({ event, roomVersion: rules });
    if (E.isLeft(shape))
      return E.left(sendError('invalid_pdu', shape.left.message, shape.left.path, shape.left));
    const limits = checkEventLimits(event);
    if (E.isLeft(limits))
      return E.left(sendError('invalid_pdu', limits.left.message, limits.left.path, limits.left));

    let eventId: string;
    if (rules.eventIdFormat === 'v1') {
      eventId = getOwn(event, 'event_id') as string;
    } else {
      const computed = signed.right.prepared.eventId();
      if (E.isLeft(computed))
        return E.left(sendError('signing_failed', computed.left.message, [], computed.left));
      eventId = computed.right;
    }
    return E.right({ event, eventId, roomVersion: rules.id, inviteeServer: invitee.right.serverName });
  } catch (error) {
    return E.left(sendError('invalid_params', `the parameters cannot be read: ${errorText(error)}`));
  }
}
