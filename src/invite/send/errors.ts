/**
 * Interpreting an error answer from the invitee's server and advising what the inviting client should get
 * (spec `invites-v2.yaml` 400 text, client-server API "Standard error response"; Synapse `_is_unknown_endpoint`
 * and its handling of the invitee's errors).
 *
 * Advice, for a client-initiated invite:
 * - 400 `M_MISSING_PARAM` / `M_INVALID_PARAM`: our request was at fault, so the client request "SHOULD fail with a
 *   5xx error rather than being passed through": 500 `M_UNKNOWN`;
 * - 429: passed through as 429 `M_LIMIT_EXCEEDED` (with `retry_after_ms` when given), never turned into a 500;
 * - "unknown endpoint" (404/405 empty or non-JSON or `M_UNRECOGNIZED`, 400 `M_UNRECOGNIZED`), once the v1 fallback
 *   is out of the question: 400 `M_UNSUPPORTED_ROOM_VERSION`, as Synapse answers;
 * - 401 (the invitee refused our X-Matrix signature) and 5xx or non-error statuses: 502 `M_UNKNOWN`, the fault is
 *   not the client's;
 * - any other 4xx is passed through: status, errcode, message, and `room_version` for `M_INCOMPATIBLE_ROOM_VERSION`.
 *
 * The unstable `ORG.MATRIX.MSC4155.M_INVITE_BLOCKED` is reported as the stable `M_INVITE_BLOCKED` (spec v1.18).
 */
import { settingsCopy } from '../../errors/options.js';
import { getOwn, type JsonObject } from '../../json/value.js';
import { type InviteHttpResponse, isUnknownEndpoint, responseJsonObject } from './fallback.js';

/** Unstable errcodes and their stable names. */
export const UNSTABLE_ERRCODES: Readonly<Record<string, string>> = Object.freeze({
  'ORG.MATRIX.MSC4155.M_INVITE_BLOCKED': 'M_INVITE_BLOCKED',
});

/**
 * What the inviting server should answer its client.
 *
 * @category Sending
 */
export interface InviteErrorAdvice {
  /** HTTP status for the client. */
  readonly status: number;
  /** Matrix error code for the client: the remote one, normalised, when passed through (429: `M_LIMIT_EXCEEDED`). */
  readonly errcode: string;
  /** Human message for the client: built from the remote `error` (or the status), or Synapse's unknown-endpoint text. */
  readonly error: string;
  /** True when the remote answer is passed through (status and errcode unchanged). */
  readonly passThrough: boolean;
  /** For `M_INCOMPATIBLE_ROOM_VERSION`: the room version, passed on. */
  readonly roomVersion?: string;
  /** For 429: `retry_after_ms`, passed on. */
  readonly retryAfterMs?: number;
}

/**
 * An interpreted error answer.
 *
 * @category Sending
 */
export interface InviteErrorInterpretation {
  /** The remote HTTP status. */
  readonly status: number;
  /** The errcode, normalised (unstable names mapped to stable ones); `M_UNKNOWN` when the body has none. */
  readonly errcode: string;
  /** The errcode exactly as sent, when there was one. */
  readonly remoteErrcode?: string;
  /** The remote `error` message, when a string. */
  readonly error?: string;
  /** `room_version` of an `M_INCOMPATIBLE_ROOM_VERSION` answer, when a string. */
  readonly roomVersion?: string;
  /** `retry_after_ms` of an `M_LIMIT_EXCEEDED` answer, when a non-negative integer. */
  readonly retryAfterMs?: number;
  /** True when the answer means "unknown endpoint" (see `isUnknownEndpoint`). */
  readonly unknownEndpoint: boolean;
  /** What to tell the inviting client. */
  readonly advice: InviteErrorAdvice;
}

function stringField(object: JsonObject | undefined, key: string): string | undefined {
  const value = object === undefined ? undefined : getOwn(object, key);
  return typeof value === 'string' ? value : undefined;
}

/**
 * Interprets an error answer to an invite request: the same `{ status, body }` as {@link shouldFallbackToV1} takes.
 * `body` is best given raw (text or bytes); a parsed value works too. Never throws.
 *
 * @example
 * interpretInviteError({ status: 400, body: '{"errcode":"M_INCOMPATIBLE_ROOM_VERSION","error":"...","room_version":"3"}' })
 * // { errcode: 'M_INCOMPATIBLE_ROOM_VERSION', roomVersion: '3', advice: { status: 400, passThrough: true, ... } }
 * @example interpretInviteError({ status: 400, body: '{"errcode":"M_INVALID_PARAM","error":"..."}' }).advice.status // 500
 *
 * @category Sending
 */
export function interpretInviteError(response: InviteHttpResponse): InviteErrorInterpretation {
  // A response that cannot be read (a hostile getter or Proxy) is no answer at all: status 0, no body.
  const { status, body } = settingsCopy(response) ?? { status: 0, body: null };
  const safeStatus = typeof status === 'number' && Number.isInteger(status) ? status : 0;
  const object = responseJsonObject(body);
  const remoteErrcode = stringField(object, 'errcode');
  const errcode =
    remoteErrcode === undefined
      ? 'M_UNKNOWN'
      : Object.hasOwn(UNSTABLE_ERRCODES, remoteErrcode)
        ? (UNSTABLE_ERRCODES[remoteErrcode] as string)
        : remoteErrcode;
  const error = stringField(object, 'error');
  const roomVersion =
    errcode === 'M_INCOMPATIBLE_ROOM_VERSION' ? stringField(object, 'room_version') : undefined;
  const retryRaw = object === undefined ? undefined : getOwn(object, 'retry_after_ms');
  const retryAfterMs =
    typeof retryRaw === 'number' && Number.isSafeInteger(retryRaw) && retryRaw >= 0 ? retryRaw : undefined;
  const unknownEndpoint = isUnknownEndpoint({ status: safeStatus, body: body ?? null });
  const message = error ?? `the invitee's server answered ${safeStatus}`;

  let advice: InviteErrorAdvice;
  if (safeStatus === 429) {
    advice = {
      status: 429,
      errcode: 'M_LIMIT_EXCEEDED',
      error: message,
      passThrough: true,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  } else if (unknownEndpoint) {
    advice = {
      status: 400,
      errcode: 'M_UNSUPPORTED_ROOM_VERSION',
      error: "User's homeserver does not support this room version",
      passThrough: false,
    };
  } else if (safeStatus === 400 && (errcode === 'M_MISSING_PARAM' || errcode === 'M_INVALID_PARAM')) {
    advice = {
      status: 500,
      errcode: 'M_UNKNOWN',
      error: `the invitee's server rejected the invite request: ${message}`,
      passThrough: false,
    };
  } else if (safeStatus >= 400 && safeStatus < 500 && safeStatus !== 401) {
    advice = {
      status: safeStatus,
      errcode,
      error: message,
      passThrough: true,
      ...(roomVersion === undefined ? {} : { roomVersion }),
    };
  } else {
    advice = {
      status: 502,
      errcode: 'M_UNKNOWN',
      error: `the invitee's server failed (${safeStatus}): ${message}`,
      passThrough: false,
    };
  }
  return {
    status: safeStatus,
    errcode,
    unknownEndpoint,
    advice,
    ...(remoteErrcode === undefined ? {} : { remoteErrcode }),
    ...(error === undefined ? {} : { error }),
    ...(roomVersion === undefined ? {} : { roomVersion }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}
