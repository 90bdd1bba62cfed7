/**
 * Request bodies of `PUT /_matrix/federation/v1|v2/invite/{roomId}/{eventId}` (spec `invites-v1.yaml`, `invites-v2.yaml`): lossless
 * parsing, the io-ts codecs of both bodies, and the room version decision.
 *
 * - v1: the body is the invite event itself, invite state in `event.unsigned.invite_room_state`; the room version
 *   "must" be assumed to be 1 or 2 (spec), so an event in the format of rooms 3+ (no `event_id`) is refused.
 * - v2: `{room_version, event, invite_room_state?}`; `room_version` must be a string of the room version grammar
 *   and supported (spec: 400 `M_INCOMPATIBLE_ROOM_VERSION` with `room_version`).
 */
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { isUint8Array } from '../../encoding/bytes.js';
import type { JsonPath } from '../../errors/base.js';
import { describeValue, errorText } from '../../errors/describe.js';
import { MAX_PDU_SIZE_BYTES } from '../../events/limits.js';
import { JsonObjectC, PduV1Codec, StringC } from '../../events/pdu.js';
import type { ReceivedText } from '../../json/canonical-text.js';
import { jsonValueProblem } from '../../json/check-value.js';
import { parseJsonRetainingCanonicalText } from '../../json/parse.js';
import {
  getOwn,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  type JsonValueInput,
} from '../../json/value.js';
import type { RoomVersionRules } from '../../room-versions/rules.js';
import { getRoomVersion, KNOWN_ROOM_VERSION_IDS, ROOM_VERSIONS } from '../../room-versions/versions.js';
import type { InviteApiVersion } from '../api-version.js';
import { type InviteError, inviteError } from './reasons.js';

/** A body as the pipeline uses it. */
export interface ParsedBody {
  /** The body's value. */
  readonly value: JsonValue;
  /** Parsed here: the canonical texts received, for the encoders (see `json/canonical-text.ts`). */
  readonly received: ReceivedText | undefined;
}

/**
 * A request body as the HTTP layer hands it over: raw bytes or text (preferred, lossless), or parsed JSON.
 *
 * @category Receiving
 */
export type InviteRequestBody = string | Uint8Array | JsonValueInput;

/**
 * Default largest body: Synapse's request limit, 200 × 64 KiB (`max_request_body_size`), enough for an invite
 * with a full `invite_room_state`.
 */
export const DEFAULT_MAX_BODY_BYTES = 200 * MAX_PDU_SIZE_BYTES;
/** Default deepest JSON nesting accepted in a body. */
export const DEFAULT_MAX_JSON_DEPTH = 256;

/** The v2 body: `room_version` (string), `event` (object), optional `invite_room_state` (array). */
export const InviteV2RequestCodec = t.intersection([
  t.type({
    /** The room version identifier, e.g. `"10"`. */
    room_version: StringC,
    /** The invite event (its shape is checked later, per room version). */
    event: JsonObjectC,
  }),
  t.partial({
    /** State events of the room for the invitee (MSC4311: each a PDU of the room version), unchecked; optional. */
    invite_room_state: t.UnknownArray,
  }),
]);
/** A v2 body as decoded by {@link InviteV2RequestCodec}. */
export type InviteV2RequestBody = t.TypeOf<typeof InviteV2RequestCodec>;

/** The v1 body: a room 1-2 PDU whose optional `unsigned.invite_room_state` is an array. */
export const InviteV1RequestCodec = t.intersection([
  PduV1Codec,
  t.partial({
    /** The event's `unsigned` data (outside every hash and signature); optional. */
    unsigned: t.partial({
      /** State events of the room for the invitee, as v2's top-level `invite_room_state`, unchecked; optional. */
      invite_room_state: t.UnknownArray,
    }),
  }),
]);
/** A v1 body as decoded by {@link InviteV1RequestCodec}. */
export type InviteV1RequestBody = t.TypeOf<typeof InviteV1RequestCodec>;

/** Options of the body parsers. */
export interface ParseInviteRequestOptions {
  /**
   * Room versions this server supports: identifiers of built-in versions and/or rules objects (custom versions).
   * Default: every known stable version (1-12).
   */
  readonly supportedRoomVersions?: readonly (string | RoomVersionRules)[];
}

/** A request body split into its parts; nothing inside `event` has been checked yet. */
export interface ParsedInviteRequest {
  /** Which endpoint's body this was: `v1` or `v2`. */
  readonly apiVersion: InviteApiVersion;
  /** The room version the event is interpreted in (v1: "1", or "2" when only 2 is supported). */
  readonly rules: RoomVersionRules;
  /** The whole body. */
  readonly body: JsonObject;
  /** The invite event (unchecked). */
  readonly event: JsonObject;
  /** Where the event sits in the body: `['event']` (v2) or `[]` (v1). */
  readonly eventPath: JsonPath;
  /** The raw `invite_room_state` value, `undefined` when absent. Never authenticated by itself. */
  readonly inviteRoomState: JsonValue | undefined;
  /** Where `invite_room_state` sits in the body. */
  readonly inviteRoomStatePath: JsonPath;
}

/**
 * Parses a raw body losslessly (big integers, floats and `-0` kept; duplicate keys last-wins as in Python; `__proto__`
 * an ordinary key). Parsed values are passed through. Never throws.
 */
export function parseInviteBody(
  body: InviteRequestBody | undefined,
  limits: { readonly maxBodyBytes?: number; readonly maxJsonDepth?: number } = {},
): E.Either<InviteError, ParsedBody> {
  let maxBodyBytes: unknown;
  let maxDepth: unknown;
  try {
    if (limits !== undefined && limits !== null) {
      maxBodyBytes = limits.maxBodyBytes;
      maxDepth = limits.maxJsonDepth;
    }
  } catch (error) {
    return E.left(inviteError('invalid_context', `the limits cannot be read: ${errorText(error)}`));
  }
  if (maxBodyBytes !== undefined && (typeof maxBodyBytes !== 'number' || Number.isNaN(maxBodyBytes))) {
    return E.left(
      inviteError('invalid_context', `maxBodyBytes must be a number, got ${describeValue(maxBodyBytes)}`),
    );
  }
  if (maxDepth !== undefined && (typeof maxDepth !== 'number' || Number.isNaN(maxDepth))) {
    return E.left(
      inviteError('invalid_context', `maxJsonDepth must be a number, got ${describeValue(maxDepth)}`),
    );
  }
  if (typeof body !== 'string' && !isUint8Array(body)) {
    if (body === undefined) return E.left(inviteError('body_not_json', 'the request has no body'));
    // A parsed body: it must be JSON, as a parser gives it (an ArrayBuffer or a Map is the caller's mistake).
    const problem = jsonValueProblem(body, maxDepth);
    return problem === undefined
      ? E.right({ value: body as JsonValue, received: undefined })
      : E.left(
          inviteError(
            'invalid_request',
            `the body must be the raw bytes (Uint8Array), the text or a parsed JSON value: ${problem.replace(/^\$/, 'body')}`,
          ),
        );
  }
  // Its canonical parts keep their text, which the strict check skips and the content hash input, the signing bytes
  // and the response copy instead of encoding again.
  const parsed = parseJsonRetainingCanonicalText(body, {
    maxBytes: maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    maxDepth: maxDepth ?? DEFAULT_MAX_JSON_DEPTH,
  });
  if (E.isRight(parsed)) return parsed;
  const error = parsed.left;
  // The parser's message already ends with "(at byte N)".
  const at = error.message;
  switch (error.reason) {
    case 'too_large':
      return E.left(
        inviteError('body_too_large', `request body too large: ${error.message}`, [], { cause: error }),
      );
    case 'too_deep':
      return E.left(
        inviteError('body_too_deep', `request body nested too deeply: ${at}`, error.path, { cause: error }),
      );
    default:
      return E.left(
        inviteError('body_not_json', `request body is not JSON: ${at}`, error.path, { cause: error }),
      );
  }
}

const supportedCache = new WeakMap<
  readonly (string | RoomVersionRules)[],
  ReadonlyMap<string, RoomVersionRules>
>();
const DEFAULT_SUPPORTED: ReadonlyMap<string, RoomVersionRules> = new Map(
  KNOWN_ROOM_VERSION_IDS.map((id) => [id, ROOM_VERSIONS[id] as RoomVersionRules]),
);

/** A rules object's `id`, or `undefined` when it cannot be read. */
function idOf(rules: object): unknown {
  try {
    return (rules as { id?: unknown }).id;
  } catch {
    return undefined;
  }
}

/** The supported room versions as a table by identifier (built-ins by name, custom rules objects as given). */
export function supportedRoomVersionTable(
  supported: readonly (string | RoomVersionRules)[] | undefined,
): ReadonlyMap<string, RoomVersionRules> {
  if (supported === undefined || !Array.isArray(supported)) return DEFAULT_SUPPORTED;
  const cached = supportedCache.get(supported);
  if (cached !== undefined) return cached;
  const list: readonly unknown[] = supported;
  const custom = list.filter((v): v is RoomVersionRules => typeof v === 'object' && v !== null);
  const table = new Map<string, RoomVersionRules>();
  // Entries that are not identifiers or rules are skipped (receiveInvite refuses them up front as invalid_context).
  for (const entry of list) {
    const rules =
      typeof entry === 'string'
        ? getRoomVersion(entry, { custom })
        : typeof entry === 'object' && entry !== null
          ? getRoomVersion(idOf(entry) as string, { custom })
          : undefined;
    if (rules !== undefined && E.isRight(rules)) table.set(rules.right.id, rules.right);
  }
  supportedCache.set(supported, table);
  return table;
}

/**
 * Splits a v2 body (`{room_version, event, invite_room_state?}`), deciding the room version: `room_version` must
 * be present (`room_version_missing`), a string (`room_version_not_string`), of the grammar and supported
 * (`room_version_unsupported`, carrying `roomVersion`); `event` must be an object (`event_missing`,
 * `event_not_object`). The event itself is not checked here.
 *
 * @example parseInviteV2Request({ room_version: '10', event: {...} }) // Right({ rules: ROOM_VERSIONS['10'], ... })
 */
export function parseInviteV2Request(
  body: JsonValue,
  options: ParseInviteRequestOptions = {},
): E.Either<InviteError, ParsedInviteRequest> {
  try {
    if (!isJsonObject(body))
      return E.left(inviteError('body_not_object', 'the request body must be a JSON object'));
    const roomVersion = getOwn(body, 'room_version');
    if (roomVersion === undefined) {
      return E.left(
        inviteError('room_version_missing', 'the request body has no room_version', ['room_version']),
      );
    }
    if (typeof roomVersion !== 'string') {
      return E.left(
        inviteError('room_version_not_string', 'room_version must be a string', ['room_version']),
      );
    }
    const rules = supportedRoomVersionTable(options?.supportedRoomVersions).get(roomVersion);
    if (rules === undefined) {
      return E.left(
        inviteError(
          'room_version_unsupported',
          `this server does not support room version ${JSON.stringify(roomVersion)}`,
          ['room_version'],
          { roomVersion },
        ),
      );
    }
    const event = getOwn(body, 'event');
    if (event === undefined)
      return E.left(inviteError('event_missing', 'the request body has no event', ['event']));
    if (!isJsonObject(event))
      return E.left(inviteError('event_not_object', 'event must be a JSON object', ['event']));
    return E.right({
      apiVersion: 'v2',
      rules,
      body,
      event,
      eventPath: ['event'],
      inviteRoomState: getOwn(body, 'invite_room_state'),
      inviteRoomStatePath: ['invite_room_state'],
    });
  } catch (error) {
    return E.left(inviteError('invalid_request', `the body or options cannot be read: ${errorText(error)}`));
  }
}

/**
 * Splits a v1 body (the event itself). "Servers which receive a v1 invite request must assume that the room version
 * is either "1" or "2"": both share the event format, so the room version is "1" (Synapse), or "2" when only 2 is
 * supported. An event without `event_id` is in the format of rooms 3+ (`v1_event_not_v1_format`): it cannot be
 * interpreted without a room version, so it is refused, never guessed.
 */
export function parseInviteV1Request(
  body: JsonValue,
  options: ParseInviteRequestOptions = {},
): E.Either<InviteError, ParsedInviteRequest> {
  try {
    if (!isJsonObject(body))
      return E.left(inviteError('body_not_object', 'the request body must be a JSON object'));
    const table = supportedRoomVersionTable(options?.supportedRoomVersions);
    const rules = table.get('1') ?? table.get('2');
    if (rules === undefined) {
      return E.left(
        inviteError(
          'room_version_unsupported',
          'v1 invites are for room versions 1 and 2, which are not supported',
          [],
          {
            roomVersion: '1',
          },
        ),
      );
    }
    if (!Object.hasOwn(body, 'event_id')) {
      return E.left(
        inviteError(
          'v1_event_not_v1_format',
          'a v1 invite carries a room version 1 or 2 event, which has an event_id; this event has none (room versions 3+ need /v2/invite)',
          ['event_id'],
          { roomVersion: rules.id },
        ),
      );
    }
    const unsigned = getOwn(body, 'unsigned');
    return E.right({
      apiVersion: 'v1',
      rules,
      body,
      event: body,
      eventPath: [],
      inviteRoomState: isJsonObject(unsigned) ? getOwn(unsigned, 'invite_room_state') : undefined,
      inviteRoomStatePath: ['unsigned', 'invite_room_state'],
    });
  } catch (error) {
    return E.left(inviteError('invalid_request', `the body or options cannot be read: ${errorText(error)}`));
  }
}
