/**
 * The v2 → v1 fallback (spec `invites-v2.yaml`: "Senders which receive a 400 or 404 response to this endpoint should
 * retry using the v1 API as the server may be older, if the room version is "1" or "2""; MSC1794).
 *
 * Only an answer meaning "unknown endpoint" counts, classified as Synapse's `is_unknown_endpoint` does:
 * - 404 or 405 with an empty body, a body not starting with `{` (old Dendrite's `404 page not found`, old Conduit's
 *   empty body), or `errcode: M_UNRECOGNIZED`;
 * - 400 with `errcode: M_UNRECOGNIZED` (old Synapse).
 * And only for rooms 1-2: v1 carries no room version, so it implies rooms 1-2. Never for 403, 429, 5xx,
 * `M_INVALID_PARAM`, `M_INCOMPATIBLE_ROOM_VERSION` or rooms 3+.
 */
import * as E from 'fp-ts/lib/Either.js';
import { isUint8Array } from '../../encoding/bytes.js';
import { parseJson } from '../../json/parse.js';
import { getOwn, isJsonObject, type JsonObject, type JsonValueInput } from '../../json/value.js';
import type { RoomVersionInput } from '../../room-versions/rules.js';
import { getRoomVersion } from '../../room-versions/versions.js';

/**
 * An HTTP answer from the invitee. `body` is best given as the raw text or bytes (exactly Synapse's rules); an
 * already parsed JSON value is accepted too (an object counts as a body starting with `{`; `undefined`/`null` as an
 * empty body).
 *
 * @category Sending
 */
export interface InviteHttpResponse {
  /** The HTTP status code. */
  readonly status: number;
  /** The response body: raw text or bytes, or parsed JSON; `undefined`/`null` for an empty body. */
  readonly body?: string | Uint8Array | JsonValueInput | null | undefined;
}

/** The parsed JSON object of a body, when it is one. */
export function responseJsonObject(body: InviteHttpResponse['body']): JsonObject | undefined {
  if (typeof body === 'string' || isUint8Array(body)) {
    const parsed = parseJson(body);
    return E.isRight(parsed) ? asObject(parsed.right) : undefined;
  }
  return asObject(body);
}

function asObject(value: unknown): JsonObject | undefined {
  return isJsonObject(value) ? value : undefined;
}

/** The `errcode` of an error body, when it has a string one. */
export function responseErrcode(body: InviteHttpResponse['body']): string | undefined {
  const object = responseJsonObject(body);
  const errcode = object === undefined ? undefined : getOwn(object, 'errcode');
  return typeof errcode === 'string' ? errcode : undefined;
}

/** True for an empty body or one that does not start with `{` (Synapse: `not e.response or not startswith(b"{")`). */
function isEmptyOrNotJsonObject(body: InviteHttpResponse['body']): boolean {
  if (body === undefined || body === null) return true;
  if (typeof body === 'string') return body.length === 0 || body.charCodeAt(0) !== 0x7b;
  if (isUint8Array(body)) return body.length === 0 || body[0] !== 0x7b;
  return !isJsonObject(body);
}

/**
 * True when the answer means "this endpoint is not implemented" (Synapse `is_unknown_endpoint`), whatever the room
 * version.
 *
 * @example isUnknownEndpoint({ status: 404, body: '404 page not found' }) // true
 * @example isUnknownEndpoint({ status: 404, body: '{"errcode":"M_NOT_FOUND"}' }) // false
 */
export function isUnknownEndpoint(response: InviteHttpResponse): boolean {
  if (typeof response !== 'object' || response === null) return false;
  let status: unknown;
  let body: InviteHttpResponse['body'];
  try {
    ({ status, body } = response);
  } catch {
    return false; // an answer that cannot be read is not a recognisable "unknown endpoint"
  }
  if (status === 404 || status === 405) {
    return isEmptyOrNotJsonObject(body) || responseErrcode(body) === 'M_UNRECOGNIZED';
  }
  return status === 400 && responseErrcode(body) === 'M_UNRECOGNIZED';
}

/**
 * True when a failed v2 invite should be retried with v1: the answer means "unknown endpoint"
 * ({@link isUnknownEndpoint}) and the room version is 1 or 2 (the v1 event format). Never throws; an unknown room
 * version gives false.
 *
 * When the endpoint is unknown but the room is 3+, Synapse tells the inviting client 400
 * `M_UNSUPPORTED_ROOM_VERSION` ("User's homeserver does not support this room version").
 *
 * @example shouldFallbackToV1({ status: 404, body: '' }, '2') // true
 * @example shouldFallbackToV1({ status: 404, body: '' }, '3') // false
 * @example shouldFallbackToV1({ status: 400, body: '{"errcode":"M_INVALID_PARAM"}' }, '1') // false
 *
 * @category Sending
 */
export function shouldFallbackToV1(response: InviteHttpResponse, roomVersion: RoomVersionInput): boolean {
  const rules = getRoomVersion(roomVersion);
  if (E.isLeft(rules) || rules.right.eventIdFormat !== 'v1') return false;
  return isUnknownEndpoint(response);
}
