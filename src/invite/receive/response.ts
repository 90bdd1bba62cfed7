/**
 * 200 responses of the invite endpoints (spec `invites-v1.yaml`, `invites-v2.yaml`).
 *
 * - v1: the two-element array `[200, {"event": ...}]` (a historical accident kept for compatibility);
 * - v2: `{"event": ...}`.
 *
 * The event is the countersigned one; what else it carries depends on {@link InviteResponseFormat}.
 */
import * as E from 'fp-ts/lib/Either.js';
import { encodeCanonicalJson } from '../../json/canonical.js';
import { pythonFloatRepr } from '../../json/python-float.js';
import { utf8EncodeOwned } from '../../json/utf8.js';
import {
  getOwn,
  isJsonObject,
  type JsonArray,
  JsonFloat,
  type JsonObject,
  type JsonValue,
  type MutableJsonObject,
  setOwn,
  withKey,
} from '../../json/value.js';
import { type InviteError, inviteError } from './reasons.js';

/**
 * What the returned event carries besides our signature:
 * - `spec` (default): v2 copies the request's `invite_room_state` into `event.unsigned.invite_room_state`, as the
 *   spec's response example shows; v1 returns the event as received (its `unsigned` already holds the state).
 * - `untouched`: exactly the received event plus our signature ("All other fields of the events should remain
 *   untouched").
 * - `synapse`: what Synapse returns: `unsigned` always present, filtered to `invite_room_state` and
 *   `knock_room_state`, with `invite_room_state` popped for v2 (so `"unsigned":{}` usually remains); a redacted
 *   copy gets `"unsigned":{}`.
 *
 * @category Receiving
 */
export type InviteResponseFormat = 'spec' | 'untouched' | 'synapse';

/**
 * How the response body is serialised: canonical JSON (default; what Synapse sends) or keys in received order.
 *
 * @category Receiving
 */
export type InviteResponseEncoding = 'canonical' | 'preserve-order';

/** Options of the response builders. */
export interface BuildInviteResponseOptions {
  /** What the returned event carries besides the countersignature (default `spec`); see {@link InviteResponseFormat}. */
  readonly format?: InviteResponseFormat;
  /** v2 only: the request's `invite_room_state` (copied into `unsigned` by the `spec` format when it is an array). */
  readonly inviteRoomState?: JsonValue | undefined;
  /** The event is the redacted copy (content hash mismatch under policy `redact`). */
  readonly redacted?: boolean;
}

const SYNAPSE_UNSIGNED_V1 = ['invite_room_state', 'knock_room_state'] as const;
const SYNAPSE_UNSIGNED_V2 = ['knock_room_state'] as const;

function synapseEvent(event: JsonObject, keep: readonly string[], redacted: boolean): JsonObject {
  const unsigned = getOwn(event, 'unsigned');
  const filtered: MutableJsonObject = {};
  if (!redacted && isJsonObject(unsigned)) {
    for (const key of keep) {
      const value = getOwn(unsigned, key);
      if (value !== undefined) setOwn(filtered, key, value);
    }
  }
  return withKey(event, 'unsigned', filtered);
}

/** The options as plain values read once; unreadable or absent options are the defaults (never throws). */
function readOptions(options: BuildInviteResponseOptions | null | undefined): BuildInviteResponseOptions {
  try {
    if (typeof options !== 'object' || options === null) return {};
    const { format, inviteRoomState, redacted } = options;
    // Copied field by field, only when set (exact optional types; no spreads: this runs for every invite).
    const out: { -readonly [K in keyof BuildInviteResponseOptions]: BuildInviteResponseOptions[K] } = {};
    if (format !== undefined) out.format = format;
    if (inviteRoomState !== undefined) out.inviteRoomState = inviteRoomState;
    if (redacted !== undefined) out.redacted = redacted;
    return out;
  } catch {
    return {};
  }
}

/**
 * The v1 response `[200, {"event": event}]`.
 *
 * @example buildInviteV1Response(countersigned) // [200, { event: countersigned }]
 */
export function buildInviteV1Response(
  event: JsonObject,
  rawOptions: BuildInviteResponseOptions = {},
): JsonArray {
  const options = readOptions(rawOptions);
  const out =
    options.format === 'synapse'
      ? synapseEvent(event, SYNAPSE_UNSIGNED_V1, options.redacted === true)
      : event;
  return [200, { event: out }];
}

/**
 * The v2 response `{"event": event}`.
 *
 * @example buildInviteV2Response(countersigned, { inviteRoomState: body.invite_room_state }) // { event: { ..., unsigned: { invite_room_state: [...] } } }
 */
export function buildInviteV2Response(
  event: JsonObject,
  rawOptions: BuildInviteResponseOptions = {},
): JsonObject {
  const options = readOptions(rawOptions);
  const format = options.format ?? 'spec';
  let out = event;
  if (format === 'synapse') {
    out = synapseEvent(event, SYNAPSE_UNSIGNED_V2, options.redacted === true);
  } else if (format === 'spec' && Array.isArray(options.inviteRoomState)) {
    const unsigned = getOwn(event, 'unsigned');
    out = withKey(
      event,
      'unsigned',
      withKey(isJsonObject(unsigned) ? unsigned : {}, 'invite_room_state', options.inviteRoomState),
    );
  }
  return { event: out };
}

/** Compact JSON with keys in insertion order (Python `json.dumps(separators=(',', ':'), ensure_ascii=False)`). */
function encodePreservingOrder(value: JsonValue, depth: number): string {
  if (depth > 512) throw new Error('nested too deeply');
  switch (typeof value) {
    case 'string':
      if (!value.isWellFormed()) throw new Error('lone surrogate');
      // JSON.stringify escapes exactly like Python's json.dumps(ensure_ascii=False) for well-formed strings.
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'number': {
      if (Number.isInteger(value)) return Object.is(value, -0) ? '0' : String(value);
      const repr = pythonFloatRepr(value);
      if (repr === undefined) throw new Error(`${value} is not JSON`);
      return repr;
    }
    case 'object': {
      if (value === null) return 'null';
      if (value instanceof JsonFloat) {
        const repr = pythonFloatRepr(value.value);
        if (repr === undefined) throw new Error(`${value.value} is not JSON`);
        return repr;
      }
      if (Array.isArray(value)) {
        const list: readonly JsonValue[] = value;
        return `[${list.map((item) => encodePreservingOrder(item, depth + 1)).join(',')}]`;
      }
      if (!isJsonObject(value)) throw new Error('not a JSON value');
      const parts: string[] = [];
      for (const key of Object.keys(value)) {
        if (!key.isWellFormed()) throw new Error('lone surrogate in a key');
        parts.push(
          `${JSON.stringify(key)}:${encodePreservingOrder(getOwn(value, key) as JsonValue, depth + 1)}`,
        );
      }
      return `{${parts.join(',')}}`;
    }
    default:
      throw new Error('not a JSON value');
  }
}

/**
 * Serialises a response body to UTF-8: canonical JSON (default), or compact JSON keeping the received key order
 * (`preserve-order`; JavaScript objects list integer-like keys first, so such keys move to the front).
 */
export function encodeInviteResponse(
  body: JsonValue,
  encoding: InviteResponseEncoding = 'canonical',
): E.Either<InviteError, Uint8Array> {
  if (encoding === 'preserve-order') {
    try {
      return E.right(utf8EncodeOwned(encodePreservingOrder(body, 0)));
    } catch (error) {
      return E.left(
        inviteError(
          'internal_error',
          `cannot encode the response: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    }
  }
  const encoded = encodeCanonicalJson(body);
  return E.isLeft(encoded)
    ? E.left(
        inviteError(
          'internal_error',
          `cannot encode the response: ${encoded.left.message}`,
          encoded.left.path,
        ),
      )
    : E.right(utf8EncodeOwned(encoded.right));
}
