/**
 * The invite request (spec server-server API `PUT /_matrix/federation/v1|v2/invite/{roomId}/{eventId}`).
 *
 * - Path segments are percent-encoded like Python's `urllib.parse.quote(segment, safe="")` (Synapse
 *   `_create_path`): every byte of the UTF-8 form except `A-Z a-z 0-9 _ . - ~` becomes `%XX` (upper-case hex), so
 *   `! : $ / +` are escaped. Room 3 event IDs contain `/` and `+`; the X-Matrix `uri` must be this exact string.
 * - v1 body: the event itself with the state in `unsigned.invite_room_state` (`unsigned` is outside hashes and
 *   signatures). v2 body: `{room_version, event, invite_room_state}`.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describeUnknown, errorText } from '../../errors/describe.js';
import { settingsCopy } from '../../errors/options.js';
import { computeEventId } from '../../events/hashes.js';
import { findLoneSurrogate } from '../../identifiers/common.js';
import { utf8Encode } from '../../json/utf8.js';
import {
  getOwn,
  isJsonObject,
  type JsonObject,
  type JsonObjectInput,
  type JsonValue,
  type MutableJsonObject,
  setOwn,
} from '../../json/value.js';
import type { RoomVersionInput } from '../../room-versions/rules.js';
import { getRoomVersion } from '../../room-versions/versions.js';
import type { InviteApiVersion } from '../api-version.js';
import { type InviteSendError, sendError } from './common.js';

/**
 * What the request is built from.
 *
 * @category Sending
 */
export interface BuildInviteRequestParams {
  /** The endpoint: `v2` (any room version, `{room_version, event, invite_room_state}`) or `v1` (rooms 1-2 only). */
  readonly apiVersion: InviteApiVersion;
  /** The room's version (`"10"`) or rules. */
  readonly roomVersion: RoomVersionInput;
  /** The signed invite event (from `buildInviteEvent`). */
  readonly event: JsonObjectInput;
  /** The invite room state (from `buildInviteRoomState`); default `[]` (Synapse sends `[]` when it has none). */
  readonly inviteRoomState?: readonly JsonObjectInput[];
}

/**
 * A request ready to be signed (X-Matrix, with `uri: path` and `content: body`) and sent.
 *
 * @category Sending
 */
export interface InviteRequest {
  /** The HTTP method: always `PUT`. */
  readonly method: 'PUT';
  /** The percent-encoded path; use it unchanged as the X-Matrix `uri`. */
  readonly path: string;
  /** The JSON body (the X-Matrix `content`). */
  readonly body: JsonObject;
  /** The room ID of the path (unencoded). */
  readonly roomId: string;
  /** The event ID of the path (unencoded). */
  readonly eventId: string;
  /** The invitee's server (the text after the first `:` of `state_key`): the destination. */
  readonly destination: string;
}

const HEX = '0123456789ABCDEF';

function isAlwaysSafe(b: number): boolean {
  return (
    (b >= 0x41 && b <= 0x5a) ||
    (b >= 0x61 && b <= 0x7a) ||
    (b >= 0x30 && b <= 0x39) ||
    b === 0x5f ||
    b === 0x2e ||
    b === 0x2d ||
    b === 0x7e
  );
}

/**
 * Percent-encodes one path segment exactly like Python's `quote(segment, safe='')`. Internal. `undefined` for strings with a
 * lone surrogate (they have no UTF-8 form; Python raises).
 *
 * @example quotePathSegment('$ab/c+d') // '%24ab%2Fc%2Bd'
 */
export function quotePathSegment(segment: string): string | undefined {
  if (typeof segment !== 'string' || findLoneSurrogate(segment) >= 0) return undefined;
  let out = '';
  for (const b of utf8Encode(segment)) {
    out += isAlwaysSafe(b) ? String.fromCharCode(b) : `%${HEX[b >> 4]}${HEX[b & 15]}`;
  }
  return out;
}

/** Which invite path: the endpoint, the room and the event. */
export interface InvitePathParams {
  /** `v1` or `v2`. */
  readonly apiVersion: InviteApiVersion;
  /** The room ID (unencoded). */
  readonly roomId: string;
  /** The invite event's ID (unencoded). */
  readonly eventId: string;
}

/**
 * The invite path for a room and event ID: `/_matrix/federation/{v1|v2}/invite/{roomId}/{eventId}`, each segment
 * percent-encoded like Python's `urllib.parse.quote(segment, safe="")` (Synapse `_create_path`): every byte but
 * `A-Z a-z 0-9 _ . - ~` becomes `%XX`. Use it unchanged as the X-Matrix `uri`.
 *
 * @example invitePath({ apiVersion: 'v2', roomId: '!r:x', eventId: '$ab/c+d' }) // Right('/_matrix/federation/v2/invite/%21r%3Ax/%24ab%2Fc%2Bd')
 */
export function invitePath(params: InvitePathParams): E.Either<InviteSendError, string> {
  if (typeof params !== 'object' || params === null) {
    return E.left(sendError('invalid_params', 'invitePath takes { apiVersion, roomId, eventId }'));
  }
  const fields = settingsCopy(params);
  if (fields === undefined) return E.left(sendError('invalid_params', 'the parameters cannot be read'));
  const { apiVersion, roomId, eventId } = fields;
  if (apiVersion !== 'v1' && apiVersion !== 'v2') {
    return E.left(
      sendError('invalid_api_version', `apiVersion must be "v1" or "v2", got ${describeUnknown(apiVersion)}`),
    );
  }
  const room = quotePathSegment(roomId);
  const event = quotePathSegment(eventId);
  if (room === undefined || event === undefined) {
    return E.left(sendError('invalid_event', 'room and event IDs must be strings without lone surrogates'));
  }
  return E.right(`/_matrix/federation/${apiVersion}/invite/${room}/${event}`);
}

/** The v1 body: the event with `unsigned.invite_room_state` (other `unsigned` keys kept; the input is not modified). */
function v1Body(event: JsonObject, state: readonly JsonObjectInput[]): JsonObject {
  const existing = getOwn(event, 'unsigned');
  const unsigned: MutableJsonObject = {};
  if (isJsonObject(existing))
    for (const key of Object.keys(existing)) setOwn(unsigned, key, existing[key] as JsonValue);
  setOwn(unsigned, 'invite_room_state', [...state] as JsonValue);
  // Keep `unsigned` where it was; a new one goes before `hashes`/`signatures` (the layout Synapse's events have).
  const out: MutableJsonObject = {};
  let placed = false;
  for (const key of Object.keys(event)) {
    if (key === 'unsigned') {
      setOwn(out, 'unsigned', unsigned);
      placed = true;
      continue;
    }
    if (!placed && !Object.hasOwn(event, 'unsigned') && (key === 'hashes' || key === 'signatures')) {
      setOwn(out, 'unsigned', unsigned);
      placed = true;
    }
    setOwn(out, key, event[key] as JsonValue);
  }
  if (!placed) setOwn(out, 'unsigned', unsigned);
  return out;
}

/**
 * Builds the invite request: method, percent-encoded path and body for the v1 or v2 endpoint. v1 is refused for
 * rooms 3+ (it carries no room version; the receiver "must assume" 1 or 2). Never throws; the inputs are not
 * modified.
 *
 * @example
 * buildInviteRequest({ apiVersion: 'v2', roomVersion: '10', event, inviteRoomState })
 * // Right({ method: 'PUT', path: '/_matrix/federation/v2/invite/%21room%3Ainviter.example/%24Jw_du...',
 * //   body: { room_version: '10', event, invite_room_state }, destination: 'invitee.example', ... })
 *
 * @category Sending
 */
export function buildInviteRequest(
  params: BuildInviteRequestParams,
): E.Either<InviteSendError, InviteRequest> {
  try {
    if (typeof params !== 'object' || params === null)
      return E.left(
        sendError(
          'invalid_params',
          'buildInviteRequest takes { apiVersion, roomVersion, event, inviteRoomState? }',
        ),
      );
    const { apiVersion } = params;
    const event = params.event as JsonObject;
    if (apiVersion !== 'v1' && apiVersion !== 'v2') {
      return E.left(
        sendError(
          'invalid_api_version',
          `apiVersion must be "v1" or "v2", got ${describeUnknown(apiVersion)}`,
        ),
      );
    }
    const resolved = getRoomVersion(params.roomVersion);
    if (E.isLeft(resolved))
      return E.left(sendError('unknown_room_version', resolved.left.message, [], resolved.left));
    const rules = resolved.right;
    if (apiVersion === 'v1' && rules.eventIdFormat !== 'v1') {
      return E.left(
        sendError(
          'v1_requires_room_version_1_or_2',
          `the v1 invite API carries no room version and implies rooms 1-2; room ${rules.id} needs v2`,
        ),
      );
    }
    if (!isJsonObject(event))
      return E.left(sendError('invalid_event', 'event must be a JSON object', ['event']));
    const state = params.inviteRoomState ?? [];
    if (!Array.isArray(state) || !state.every(isJsonObject)) {
      return E.left(
        sendError('invalid_event', 'inviteRoomState must be an array of objects', ['invite_room_state']),
      );
    }
    const roomId = getOwn(event, 'room_id');
    if (typeof roomId !== 'string') {
      return E.left(sendError('invalid_event', 'event.room_id must be a string', ['event', 'room_id']));
    }
    const stateKey = getOwn(event, 'state_key');
    const colon = typeof stateKey === 'string' ? stateKey.indexOf(':') : -1;
    if (typeof stateKey !== 'string' || colon < 0) {
      return E.left(sendError('invalid_event', 'event.state_key must be a user ID', ['event', 'state_key']));
    }
    let eventId: string;
    if (rules.eventIdFormat === 'v1') {
      const id = getOwn(event, 'event_id');
      if (typeof id !== 'string') {
        return E.left(
          sendError('invalid_event', 'rooms 1-2: event.event_id must be a string', ['event', 'event_id']),
        );
      }
      eventId = id;
    } else {
      const computed = computeEventId(event, rules);
      if (E.isLeft(computed))
        return E.left(sendError('invalid_event', computed.left.message, ['event'], computed.left));
      eventId = computed.right;
    }
    const path = invitePath({ apiVersion, roomId, eventId });
    if (E.isLeft(path)) return path;

    let body: JsonObject;
    if (apiVersion === 'v1') {
      body = v1Body(event, state);
    } else {
      const out: MutableJsonObject = {};
      setOwn(out, 'room_version', rules.id);
      setOwn(out, 'event', event);
      setOwn(out, 'invite_room_state', [...state] as JsonValue);
      body = out;
    }
    return E.right({
      method: 'PUT',
      path: path.right,
      body,
      roomId,
      eventId,
      destination: stateKey.slice(colon + 1),
    });
  } catch (error) {
    return E.left(sendError('invalid_params', `the parameters cannot be read: ${errorText(error)}`));
  }
}
