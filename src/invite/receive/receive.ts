/**
 * `receiveInvite`: what the invited server answers to `PUT /_matrix/federation/v1|v2/invite/{roomId}/{eventId}`
 * (spec server-server API "Inviting to a room"). A homeserver hands over what its HTTP layer received
 * and gets back exactly what to send: a countersigned event and its response body, or a typed rejection with its
 * status and Matrix error body. Pure: no I/O, never throws, never mutates its inputs, deterministic.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Ed25519BackendName, Ed25519Verifier, KeyLookup, SigningKey } from '../../crypto/types.js';
import { isUint8Array } from '../../encoding/bytes.js';
import type { LibraryError } from '../../errors/base.js';
import { describeUnknown, describeValue } from '../../errors/describe.js';
import {
  type MatrixErrorBody,
  type MatrixErrorMapping,
  SPEC_ERROR_MAPPING,
  SYNAPSE_ERROR_MAPPING,
  toMatrixError,
} from '../../errors/matrix.js';
import type { Pdu } from '../../events/pdu.js';
import type { VerificationReport } from '../../events/verify.js';
import {
  type CanonicalMembers,
  checkStrictCanonicalJson,
  encodeCanonicalBytesReusing,
} from '../../json/canonical.js';
import { isReceivedCanonical } from '../../json/canonical-text.js';
import { getOwn, isJsonObject, type JsonObject, type JsonValue } from '../../json/value.js';
import { utf8Length } from '../../platform/text.js';
import type { RoomVersionRules } from '../../room-versions/rules.js';
import type { InviteApiVersion } from '../api-version.js';
import type { InviteEvent } from '../invite-event.js';
import { countersignInvite } from './countersign.js';
import { type InviteError, type InviteRejectionReason, inviteError, underPath } from './reasons.js';
import {
  type InviteRequestBody,
  type ParsedInviteRequest,
  parseInviteBody,
  parseInviteV1Request,
  parseInviteV2Request,
} from './request.js';
import {
  buildInviteV1Response,
  buildInviteV2Response,
  encodeInviteResponse,
  type InviteResponseEncoding,
  type InviteResponseFormat,
} from './response.js';
import {
  type CheckInviteRoomStateOptions,
  checkInviteRoomState,
  type InviteRoomStateEntry,
  type InviteRoomStatePolicy,
  inviteRoomStateModeFor,
  unverifiedInviteRoomState,
} from './room-state.js';
import { receiveSettingsProblem } from './settings.js';
import { type ValidateInviteOptions, validateInviteEvent } from './validate.js';

/**
 * What the HTTP layer received.
 *
 * @category Receiving
 */
export interface ReceivedInviteRequest {
  /** Which endpoint was called: `v1` (body is the event) or `v2` (`{room_version, event, invite_room_state?}`). */
  readonly apiVersion: InviteApiVersion;
  /** `{roomId}` from the path, URL-decoded. */
  readonly roomId: string;
  /** `{eventId}` from the path, URL-decoded. */
  readonly eventId: string;
  /** The X-Matrix-authenticated origin server name (authenticate the request before calling). */
  readonly origin: string;
  /** Raw bytes or text (preferred: lossless), or an already parsed JSON value. */
  readonly body: InviteRequestBody;
}

/**
 * What a policy hook is told about an invite that passed every protocol check.
 *
 * @category Receiving
 */
export interface InviteAuthorizationInput {
  /** The invite event as received (not yet countersigned), typed. */
  readonly event: InviteEvent;
  /** The rules of the invite's room version. */
  readonly roomVersion: RoomVersionRules;
  /** `{roomId}` from the path (already checked against the event). */
  readonly roomId: string;
  /** The event ID: `event_id` (rooms 1-2) or the reference hash (3+); equal to the path's `{eventId}`. */
  readonly eventId: string;
  /** The inviter (`sender`). */
  readonly sender: string;
  /** The invited local user (`state_key`). */
  readonly invitee: string;
  /** The X-Matrix-authenticated origin server name (the sender's server). */
  readonly origin: string;
  /** `invite_room_state` entries as checked under the policy (all `unverified` under `ignore`). */
  readonly inviteRoomState: readonly InviteRoomStateEntry[];
}

/**
 * A policy hook's answer: allow (or `undefined`), or refuse with 403 `M_FORBIDDEN` / `M_INVITE_BLOCKED`.
 *
 * @category Receiving
 */
export type InviteAuthorization =
  | {
      /** Accept the invite. */
      readonly verdict: 'allow';
    }
  | {
      /** Refuse with reason `forbidden` (403 `M_FORBIDDEN`) or `invite_blocked` (403 `M_INVITE_BLOCKED`). */
      readonly verdict: 'forbidden' | 'invite_blocked';
      /** The `error` message sent; absent: a default one (Synapse's for `invite_blocked`). */
      readonly message?: string;
    };

/**
 * Decisions a homeserver makes; every field has a spec-following default.
 *
 * @category Receiving
 */
export interface InvitePolicy {
  /** A content hash mismatch: `reject` (default) or `redact` (Synapse: countersign and return the redacted copy). */
  readonly contentHashMismatch?: 'reject' | 'redact';
  /** `invite_room_state` (MSC4311): `enforce` / `warn` / `ignore`, globally or per room version. Default: enforce 12+, warn 1-11. */
  readonly inviteRoomState?: InviteRoomStatePolicy;
  /** Reason → `{status, errcode}` overrides, over {@link SPEC_ERROR_MAPPING} (use {@link SYNAPSE_ERROR_MAPPING} for Synapse's). */
  readonly errorMapping?: Partial<MatrixErrorMapping>;
  /** What the returned event carries (default `spec`). */
  readonly responseFormat?: InviteResponseFormat;
  /** How `responseBytes` is serialised (default `canonical`). */
  readonly responseEncoding?: InviteResponseEncoding;
  /** ed25519 backend for verification (signing uses the signing key's own backend). */
  readonly backend?: Ed25519BackendName;
  /** A signature verdict function used instead of `backend` (the async helpers supply one). */
  readonly verifier?: Ed25519Verifier;
  /** Base64 decoding of signatures and hashes (default `synapse`). */
  readonly base64Mode?: 'lenient' | 'strict' | 'synapse';
  /** Largest raw body (default 200 × 65536 bytes, Synapse's request limit). */
  readonly maxBodyBytes?: number;
  /** Deepest JSON nesting of the body (default 256): deeper is `body_too_deep`; also bounds the canonical JSON walk. */
  readonly maxJsonDepth?: number;
  /** Upper bound of `depth` (default: the room version's; Synapse: 2^53−1 in every version). */
  readonly maxEventDepth?: bigint;
  /**
   * Accept 3PID invites without the sender's server signature (spec and Synapse); default `false`: at /invite the
   * sender's server is the origin, which can always sign.
   */
  readonly thirdPartyInviteExemption?: boolean;
  /** Content hash dialect (default `spec`). */
  readonly contentHashDialect?: 'spec' | 'synapse';
  /**
   * The homeserver's own decisions, run after every protocol check and before countersigning: room ACLs, blocked
   * rooms, unknown local users, `m.invite_permission_config` (MSC4380). Must be pure and fast; a throw is an
   * `internal_error`.
   */
  readonly authorize?: (invite: InviteAuthorizationInput) => InviteAuthorization | undefined;
}

/**
 * The invited server's configuration.
 *
 * @category Receiving
 */
export interface InviteContext {
  /** Our server name: the invitee must be on it; we countersign under it. */
  readonly serverName: string;
  /** Our signing key. */
  readonly signingKey: SigningKey;
  /** Verification keys of other servers (pure lookup; prefetch before calling). */
  readonly keys: KeyLookup;
  /** Supported room versions (default: all known stable ones, 1-12). */
  readonly supportedRoomVersions?: readonly (string | RoomVersionRules)[];
  /**
   * Current time (ms since the epoch): caps every key's validity at now + 7 days, keys without `validUntilTs`
   * included (spec "the lesser of valid_until_ts and 7 days into the future"); rooms 5+ need it at least
   * `origin_server_ts` (the invite's and each `invite_room_state` entry's). Absent: no cap, as Synapse.
   */
  readonly now?: number;
  /** The homeserver's decisions (default: all spec-following defaults; see {@link SYNAPSE_COMPATIBLE_POLICY}). */
  readonly policy?: InvitePolicy;
}

/**
 * Something accepted but worth logging (e.g. `invite_room_state` problems under policy `warn`).
 *
 * @category Receiving
 */
export interface InviteWarning {
  /** An `invite_room_state_*` reason (policy `warn`), or `content_hash_redacted` (policy `redact`). */
  readonly reason: InviteRejectionReason | 'content_hash_redacted';
  /** A human explanation, for logs. */
  readonly message: string;
  /** Where the problem is, relative to the request body (v2 paths start with `event` or `invite_room_state`). */
  readonly path: readonly (string | number)[];
}

/**
 * An accepted invite: what to answer and what was learnt.
 *
 * @category Receiving
 */
export interface InviteAccepted {
  /** The HTTP status to answer with: always 200. */
  readonly status: 200;
  /** The countersigned event (the redacted copy when its content hash mismatched under policy `redact`). */
  readonly event: InviteEvent;
  /** The event ID (`event_id` in rooms 1-2, the reference hash from room 3). */
  readonly eventId: string;
  /** The rules of the room version the invite was checked under. */
  readonly roomVersion: RoomVersionRules;
  /** The response body: v1 `[200, {"event": ...}]`, v2 `{"event": ...}`. */
  readonly responseBody: JsonValue;
  /** {@link InviteAccepted.responseBody} serialised (UTF-8). Send with `Content-Type: application/json`. */
  readonly responseBytes: Uint8Array;
  /**
   * `invite_room_state` entries; only `verified` ones are authenticated (signature and content hash), and of a
   * `redacted` one only its `redactedEvent`.
   */
  readonly inviteRoomState: readonly InviteRoomStateEntry[];
  /** Problems accepted rather than rejected (policy `warn` or `redact`); empty when there were none. */
  readonly warnings: readonly InviteWarning[];
  /** The signature checks on the invite. */
  readonly verification: VerificationReport;
  /** False when the content hash mismatched and the redacted copy was countersigned. */
  readonly contentHashMatched: boolean;
}

/**
 * A refused invite (`kind: 'InviteRejection'`): the machine reason and where (`path`, relative to the request body:
 * v2 `['event', 'content', 'membership']`, v1 `['content', 'membership']`), plus the HTTP answer ready to send:
 * `respond(rejection.status, rejection.body)`.
 *
 * @category Receiving
 */
export interface InviteRejection extends LibraryError<'InviteRejection', InviteRejectionReason> {
  /** The HTTP status to answer with (from the policy's error mapping). */
  readonly status: number;
  /** The Matrix error body to send (`errcode`, `error`, and `room_version` where the mapping asks for it). */
  readonly body: MatrixErrorBody;
  /** The room version concerned, when known (sent as `room_version` with `M_INCOMPATIBLE_ROOM_VERSION`). */
  readonly roomVersion?: string;
  /** The lower-level error, when one caused this (PDU shape, signature check, JSON parser...). */
  readonly cause?: LibraryError<string, string>;
}

/**
 * A Synapse-compatible policy: Synapse's error codes and messages, its response format, redaction on a content
 * hash mismatch, no `invite_room_state` validation, `depth` ≤ 2^53−1, the 3PID exemption, Synapse's base64 and
 * content hash dialect. Path IDs are still checked (Synapse's open PR does too).
 *
 * @category Receiving
 */
export const SYNAPSE_COMPATIBLE_POLICY: InvitePolicy = Object.freeze({
  errorMapping: SYNAPSE_ERROR_MAPPING,
  responseFormat: 'synapse',
  contentHashMismatch: 'redact',
  inviteRoomState: 'ignore',
  base64Mode: 'synapse',
  maxEventDepth: 2n ** 53n - 1n,
  thirdPartyInviteExemption: true,
  contentHashDialect: 'synapse',
});

/**
 * A caller error in the settings (`invalid_context`, 500), answered as receiveInvite answers its own settings
 * problems: with the spec's table, never shaped by the policy being refused. Internal (receiveInviteAsync).
 */
export function settingsRejection(message: string): E.Either<InviteRejection, never> {
  return reject(inviteError('invalid_context', message), {});
}

function reject(error: InviteError, policy: InvitePolicy): E.Either<InviteRejection, never> {
  const mapping =
    policy.errorMapping === undefined
      ? SPEC_ERROR_MAPPING
      : { ...SPEC_ERROR_MAPPING, ...policy.errorMapping };
  const { status, body } = toMatrixError(error, mapping);
  return E.left({ ...error, kind: 'InviteRejection', status, body });
}

/**
 * Handles an invite request, checks cheapest first, each with its own reason:
 *
 * 1. the body is JSON (`body_not_json`, `body_too_deep`), within `maxBodyBytes` (`body_too_large`), an object
 *    (`body_not_object`);
 * 2. the room version: v2 `room_version` present, a string, supported (`room_version_*`); v1 rooms 1/2 and an event
 *    in their format (`v1_event_not_v1_format`); v2 `event` an object (`event_missing`, `event_not_object`);
 * 3. strict canonical JSON over the whole body in rooms 6+ (`not_canonical_json`, with the path);
 * 4. the event: PDU shape, sizes, path IDs, type/membership/state_key/sender, signatures, content hash (see
 *    `validateInviteEvent`);
 * 5. `invite_room_state` (MSC4311) per the policy;
 * 6. the `authorize` hook (`forbidden`, `invite_blocked`);
 * 7. countersignature and response.
 *
 * @example
 * const result = receiveInvite(
 *   { apiVersion: 'v2', roomId, eventId, origin: 'inviter.example', body: rawBytes },
 *   { serverName: 'invitee.example', signingKey, keys: (server, keyId) => keyStore.get(server, keyId) },
 * );
 * if (E.isRight(result)) send(200, result.right.responseBytes);
 * else send(result.left.status, JSON.stringify(result.left.body));
 *
 * @category Receiving
 */
export function receiveInvite(
  request: ReceivedInviteRequest,
  context: InviteContext,
): E.Either<InviteRejection, InviteAccepted> {
  // Settings first: an invalid policy (its error mapping included) must not shape its own refusal.
  const problem = receiveSettingsProblem(request, context);
  if (problem !== undefined) return reject(problem, {});
  const policy: InvitePolicy = context.policy ?? {};
  try {
    return run(request, context, policy);
  } catch (error) {
    return reject(
      inviteError(
        'internal_error',
        `unexpected failure: ${error instanceof Error ? error.message : describeUnknown(error)}`,
      ),
      policy,
    );
  }
}

function run(
  request: ReceivedInviteRequest,
  context: InviteContext,
  policy: InvitePolicy,
): E.Either<InviteRejection, InviteAccepted> {
  // 1. Body (the policy carries the limits).
  const body = parseInviteBody(request.body, policy);
  if (E.isLeft(body)) return reject(body.left, policy);
  // Canonical texts of the body: used until the policy hook runs (see json/canonical-text.ts).
  const { received } = body.right;

  // 2. Room version (and the body's parts; the context carries the supported versions).
  const parsed =
    request.apiVersion === 'v2'
      ? parseInviteV2Request(body.right.value, context)
      : parseInviteV1Request(body.right.value, context);
  if (E.isLeft(parsed)) return reject(parsed.left, policy);
  const { rules, event, eventPath } = parsed.right;

  // 3. Rooms 6+: strict canonical JSON over the whole body (Synapse covers `unsigned.invite_room_state` too). The
  // event itself is checked by validateInviteEvent while encoding its content hash input; the rest is walked here.
  if (rules.strictCanonicalJson) {
    const body = parsed.right.body;
    const maxDepth = policy.maxJsonDepth ?? 256;
    for (const key of parsed.right.eventPath.length === 0 ? [] : Object.keys(body)) {
      const value = body[key] as JsonValue;
      if (key === 'event' || isReceivedCanonical(received, value, maxDepth)) continue;
      const violation = checkStrictCanonicalJson(value, { maxDepth });
      if (E.isLeft(violation)) {
        return reject(
          inviteError(
            'not_canonical_json',
            `not canonical JSON (room version ${rules.id}): ${violation.left.message}`,
            [key, ...violation.left.path],
            { roomVersion: rules.id },
          ),
          policy,
        );
      }
    }
  }

  // 4. The event.
  // The options are copied field by field, only when set (exact optional types; no spreads on this path).
  const validateOptions: { -readonly [K in keyof ValidateInviteOptions]: ValidateInviteOptions[K] } = {
    origin: request.origin,
    serverName: context.serverName,
    keys: context.keys,
    roomId: request.roomId,
    eventId: request.eventId,
    pathPrefix: eventPath,
    contentHashMismatch: policy.contentHashMismatch === 'redact' ? 'report' : 'reject',
    received,
  };
  const sizeBound = canonicalSizeUpperBound(request.body, rules);
  if (sizeBound !== undefined) validateOptions.canonicalSizeUpperBound = sizeBound;
  if (context.now !== undefined) validateOptions.now = context.now;
  if (policy.backend !== undefined) validateOptions.backend = policy.backend;
  if (policy.verifier !== undefined) validateOptions.verifier = policy.verifier;
  if (policy.base64Mode !== undefined) validateOptions.base64Mode = policy.base64Mode;
  if (policy.maxEventDepth !== undefined) validateOptions.maxEventDepth = policy.maxEventDepth;
  if (policy.thirdPartyInviteExemption !== undefined)
    validateOptions.thirdPartyInviteExemption = policy.thirdPartyInviteExemption;
  if (policy.contentHashDialect !== undefined) validateOptions.contentHashDialect = policy.contentHashDialect;
  const validated = validateInviteEvent(event, rules, validateOptions);
  if (E.isLeft(validated)) return reject(validated.left, policy);
  const invite = validated.right;
  const warnings: InviteWarning[] = [];
  if (!invite.contentHashMatches) {
    warnings.push({
      reason: 'content_hash_redacted',
      message: `content hash mismatch (expected ${invite.contentHash}): the redacted copy was countersigned`,
      path: underPath(eventPath, ['hashes', 'sha256']),
    });
  }

  // 5. invite_room_state (MSC4311).
  const roomState = inviteRoomState(parsed.right, invite.event, context, policy, warnings);
  if (E.isLeft(roomState)) return reject(roomState.left, policy);

  // 6. The homeserver's own decisions.
  if (policy.authorize !== undefined) {
    const decision = policy.authorize({
      event: invite.event as InviteEvent,
      roomVersion: rules,
      roomId: request.roomId,
      eventId: invite.eventId,
      sender: invite.sender,
      invitee: invite.invitee,
      origin: request.origin,
      inviteRoomState: roomState.right,
    });
    const refusal = authorizationRefusal(decision);
    if (refusal !== undefined) return reject(refusal, policy);
  }

  // 7. Countersign (the prepared redacted bytes) and answer.
  const redacted = !invite.contentHashMatches;
  const signed = countersignInvite(invite.prepared, context.serverName, context.signingKey, {
    redact: redacted,
  });
  if (E.isLeft(signed)) return reject(signed.left, policy);
  const format = policy.responseFormat ?? 'spec';
  const responseBody =
    request.apiVersion === 'v1'
      ? buildInviteV1Response(signed.right, { format, redacted })
      : buildInviteV2Response(signed.right, {
          format,
          redacted,
          inviteRoomState: parsed.right.inviteRoomState,
        });
  // The event's member texts and the texts received serve the response, unless a policy hook ran: it saw the
  // event (and the invite_room_state entries), and could have changed them in place.
  const reuse = policy.authorize === undefined ? invite.contentHashInput : undefined;
  const responseBytes = encodeResponse(responseBody, request.apiVersion, redacted, reuse, policy);
  if (E.isLeft(responseBytes)) return reject(responseBytes.left, policy);
  return E.right({
    status: 200,
    event: signed.right as InviteEvent,
    eventId: invite.eventId,
    roomVersion: rules,
    responseBody,
    responseBytes: responseBytes.right,
    inviteRoomState: roomState.right,
    warnings,
    verification: invite.signatures,
    contentHashMatched: invite.contentHashMatches,
  });
}

/**
 * What an `authorize` answer means: `undefined` (allow), a refusal (`forbidden`, `invite_blocked`), or, for an answer
 * that is neither `undefined` nor `{ verdict: 'allow' | 'forbidden' | 'invite_blocked', message?: string }`, a caller
 * error (`invalid_context`): a hook's bug must not become a 403 to the peer.
 */
function authorizationRefusal(decision: unknown): InviteError | undefined {
  if (decision === undefined) return undefined;
  const verdict: unknown =
    typeof decision === 'object' && decision !== null
      ? (decision as { verdict?: unknown }).verdict
      : undefined;
  const message: unknown =
    typeof decision === 'object' && decision !== null
      ? (decision as { message?: unknown }).message
      : undefined;
  if (
    (verdict !== 'allow' && verdict !== 'forbidden' && verdict !== 'invite_blocked') ||
    (message !== undefined && typeof message !== 'string')
  ) {
    return inviteError(
      'invalid_context',
      `context.policy.authorize must return undefined or { verdict: "allow" | "forbidden" | "invite_blocked", message?: string }, got ${describeValue(decision)}${verdict === undefined ? '' : ` with verdict ${describeValue(verdict)}`}`,
    );
  }
  if (verdict === 'allow') return undefined;
  return inviteError(
    verdict,
    message ??
      (verdict === 'invite_blocked'
        ? 'You are not permitted to invite this user.'
        : 'This server does not accept this invite.'),
  );
}

/**
 * Serialises the response. Canonical encoding reuses the content hash input when given (the unchanged members of
 * the event, and the texts received as canonical JSON): only `hashes`, `signatures` and `unsigned` are encoded
 * again, and of them only what was not received as canonical JSON.
 */
function encodeResponse(
  body: JsonValue,
  apiVersion: InviteApiVersion,
  redacted: boolean,
  reuse: CanonicalMembers | undefined,
  policy: InvitePolicy,
): E.Either<InviteError, Uint8Array> {
  const encoding = policy.responseEncoding ?? 'canonical';
  if (encoding === 'canonical' && !redacted && reuse !== undefined) {
    const event = (apiVersion === 'v1' ? (body as readonly JsonValue[])[1] : body) as JsonObject;
    const inner = getOwn(event, 'event');
    const spliced = isJsonObject(inner)
      ? encodeCanonicalBytesReusing(inner, reuse, {
          prefix: apiVersion === 'v1' ? '[200,{"event":' : '{"event":',
          suffix: apiVersion === 'v1' ? '}]' : '}',
          owned: true,
        })
      : undefined;
    if (spliced !== undefined && E.isRight(spliced)) return spliced;
  }
  return encodeInviteResponse(body, encoding);
}

/**
 * An upper bound of the canonical size of anything inside a raw body: canonical JSON never lengthens strict JSON
 * text (whitespace and escapes only shrink, integers are unchanged); Python's float rendering can (`1e15` is
 * `1000000000000000.0`), hence the factor 5 in rooms without strict canonical JSON.
 */
function canonicalSizeUpperBound(body: InviteRequestBody, rules: RoomVersionRules): number | undefined {
  const raw = typeof body === 'string' ? utf8Length(body) : isUint8Array(body) ? body.length : undefined;
  if (raw === undefined) return undefined;
  return rules.strictCanonicalJson ? raw : raw * 5;
}

function inviteRoomState(
  parsed: ParsedInviteRequest,
  event: Pdu,
  context: InviteContext,
  policy: InvitePolicy,
  warnings: InviteWarning[],
): E.Either<InviteError, readonly InviteRoomStateEntry[]> {
  const mode = inviteRoomStateModeFor(policy.inviteRoomState, parsed.rules);
  if (mode === 'ignore')
    return E.right(unverifiedInviteRoomState(parsed.inviteRoomState, parsed.inviteRoomStatePath));
  const options: { -readonly [K in keyof CheckInviteRoomStateOptions]: CheckInviteRoomStateOptions[K] } = {
    roomId: event.room_id as string,
    keys: context.keys,
    path: parsed.inviteRoomStatePath,
    canonicalJsonChecked: true,
    base64Mode: policy.base64Mode ?? 'synapse',
  };
  if (context.now !== undefined) options.now = context.now;
  if (policy.backend !== undefined) options.backend = policy.backend;
  if (policy.verifier !== undefined) options.verifier = policy.verifier;
  if (policy.contentHashDialect !== undefined) options.contentHashDialect = policy.contentHashDialect;
  const report = checkInviteRoomState(parsed.inviteRoomState, parsed.rules, options);
  // A key lookup mistake is the caller's, whatever the mode.
  for (const problem of report.problems) if (problem.reason === 'invalid_context') return E.left(problem);
  const first = report.problems[0];
  if (first !== undefined) {
    if (mode === 'enforce') return E.left({ ...first, roomVersion: parsed.rules.id });
    for (const problem of report.problems) {
      warnings.push({ reason: problem.reason, message: problem.message, path: problem.path });
    }
  }
  return E.right(report.entries);
}
