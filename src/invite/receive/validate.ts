import * as E from 'fp-ts/lib/Either.js';
import type { Ed25519BackendName, Ed25519Verifier, KeyLookup } from '../../crypto/types.js';
import type { JsonPath } from '../../errors/base.js';
import { describeUnknown, describeValue } from '../../errors/describe.js';
import {
  BACKEND_NAMES,
  BASE64_MODES,
  booleanProblem,
  CONTENT_HASH_DIALECTS,
  countProblem,
  enumProblem,
  finiteNumberProblem,
} from '../../errors/options.js';
import type { EventError } from '../../events/errors.js';
import { CONTENT_HASH_EXCLUDED, checkContentHashWith } from '../../events/hashes.js';
import { checkEventFieldLimits, MAX_PDU_SIZE_BYTES } from '../../events/limits.js';
import { type Pdu, validatePduShape } from '../../events/pdu.js';
import { type PreparedEvent, prepareEvent } from '../../events/prepared.js';
import { signatureOnlyOptions, type VerificationReport, verifyPreparedEvent } from '../../events/verify.js';
import { quote } from '../../identifiers/common.js';
import { parseUserId } from '../../identifiers/user-id.js';
import {
  type CanonicalMembers,
  checkStrictCanonicalJson,
  DEFAULT_CANONICAL_MAX_DEPTH,
  encodeCanonicalJson,
  encodeCanonicalMembers,
} from '../../json/canonical.js';
import { isReceivedCanonical, type ReceivedText } from '../../json/canonical-text.js';
import { getOwn, isJsonObject, type JsonObject, type JsonValue } from '../../json/value.js';
import { utf8Length } from '../../platform/text.js';
import type { RoomVersionRules } from '../../room-versions/rules.js';
import { getRoomVersion } from '../../room-versions/versions.js';
import { type InviteError, inviteError, underPath } from './reasons.js';

/** Options of {@link validateInviteEvent}. */
export interface ValidateInviteOptions {
  /** The X-Matrix-authenticated origin server of the request (not the event's `origin` field). */
  readonly origin: string;
  /** Our server name: `state_key` must be a user on it. */
  readonly serverName: string;
  /** The key lookup for signature checks (pure, no network). */
  readonly keys: KeyLookup;
  /** The `{roomId}` path parameter; compared with `room_id` when given. */
  readonly roomId?: string;
  /** The `{eventId}` path parameter; compared with `event_id` (rooms 1-2) or the computed event ID (3+). */
  readonly eventId?: string;
  /** Clock for key validity (ms): caps every key's validity at now + 7 days (`verifyEventSignatures`' `now`). */
  readonly now?: number;
  /** ed25519 backend (all give libsodium's verdicts). */
  readonly backend?: Ed25519BackendName;
  /** A signature verdict function used instead of `backend` (the async helpers supply one). */
  readonly verifier?: Ed25519Verifier;
  /** Base64 decoding of signatures and `hashes.sha256` (default `synapse`: python-unpaddedbase64). */
  readonly base64Mode?: 'lenient' | 'strict' | 'synapse';
  /** Where the event sits in the request body, prefixed to error paths (v2: `['event']`). */
  readonly pathPrefix?: JsonPath;
  /** Skip the strict canonical JSON check (rooms 6+) because the caller already checked a value containing the event. */
  readonly canonicalJsonChecked?: boolean;
  /** Upper bound of `depth` (default: the room version's; Synapse uses 2^53−1 everywhere). */
  readonly maxEventDepth?: bigint;
  /**
   * Accept an invite carrying `content.third_party_invite` without the sender's server signature, as the spec's
   * required-signer rule and Synapse do. Default `false`: at /invite the sender's server is the origin, which can
   * always sign, and the exemption is a hole.
   */
  readonly thirdPartyInviteExemption?: boolean;
  /** Content hash dialect: `spec` (default) or `synapse` (also ignores top-level `age_ts`, `outlier`, `destinations`). */
  readonly contentHashDialect?: 'spec' | 'synapse';
  /** `reject` (default): a content hash mismatch is `content_hash_mismatch`. `report`: returned in the result. */
  readonly contentHashMismatch?: 'reject' | 'report';
  /**
   * The canonical texts received with the event (`parseJsonRetainingCanonicalText`): what was received as strict
   * canonical JSON is neither walked nor encoded again.
   */
  readonly received?: ReceivedText | undefined;
  /** Largest canonical event in bytes, signatures included (default 65536). */
  readonly maxEventBytes?: number;
  /**
   * A known upper bound of the event's canonical size, e.g. from the raw body's length (canonical JSON never
   * lengthens strict JSON text); when it is within the limit the exact size is not measured.
   */
  readonly canonicalSizeUpperBound?: number;
}

/** A validated invite: every check passed (the content hash possibly reported as mismatching). */
export interface ValidatedInvite {
  /** The event as received (not copied), typed. */
  readonly event: Pdu;
  /** The rules of the room version the event was validated under. */
  readonly rules: RoomVersionRules;
  /** Redacted canonical bytes, computed once: serves the signature check, the event ID and the countersignature. */
  readonly prepared: PreparedEvent;
  /** The event ID: `event_id` (rooms 1-2) or the reference hash (3+). */
  readonly eventId: string;
  /** The invited user (`state_key`). */
  readonly invitee: string;
  /** The inviter (`sender`). */
  readonly sender: string;
  /**
   * Canonical size of the received event in bytes (signatures and `unsigned` included); `undefined` when
   * `canonicalSizeUpperBound` already proved it within the limit (nothing was measured).
   */
  readonly sizeBytes: number | undefined;
  /** The signature checks. */
  readonly signatures: VerificationReport;
  /** Whether `hashes.sha256` matched the recomputed content hash (always true with `contentHashMismatch: 'reject'`). */
  readonly contentHashMatches: boolean;
  /** The recomputed content hash (unpadded standard base64). */
  readonly contentHash: string;
  /**
   * What the content hash covers: the canonical JSON of the event without {@link ValidatedInvite.contentHashExcluded},
   * split into members (reused for the signed bytes and the response, so nothing is encoded twice).
   */
  readonly contentHashInput: CanonicalMembers;
  /** The top-level keys the content hash leaves out (`unsigned`, `signatures`, `hashes`; more in the Synapse dialect). */
  readonly contentHashExcluded: readonly string[];
}

/** A user ID as /invite accepts it: historical localparts allowed (spec), but never an empty one. */
function userOnServer(
  value: string,
): { readonly ok: true; readonly server: string } | { readonly ok: false; readonly why: string } {
  const parsed = parseUserId(value);
  if (E.isLeft(parsed)) return { ok: false, why: parsed.left.message };
  if (parsed.right.localpart.length === 0) return { ok: false, why: 'the localpart is empty' };
  return { ok: true, server: parsed.right.serverName };
}

/** Maps a failed signature verification to an invite reason. */
function signatureFailure(error: EventError, prefix: JsonPath): InviteError {
  const at = underPath(prefix, error.path);
  switch (error.reason) {
    case 'missing_signature':
      return inviteError('signature_missing', `the invite is ${error.message}`, at, { cause: error });
    case 'no_verifiable_signature':
      return inviteError('signing_key_unknown', error.message, at, { cause: error });
    case 'bad_signature':
    case 'signatures_malformed':
      return inviteError('signature_invalid', error.message, at, { cause: error });
    case 'invalid_sender':
      return inviteError('invalid_sender', error.message, at, { cause: error });
    case 'invalid_key_lookup':
    case 'invalid_options':
    case 'invalid_input':
      // The caller's key lookup or options, never the peer's event.
      return inviteError('invalid_context', error.message, at, { cause: error });
    default:
      return inviteError('invalid_pdu', error.message, at, { cause: error });
  }
}

/** `content.membership` for a message: any JSON value (JSON.stringify throws on a bigint). */
function describeMembership(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return quote(value);
  if (value === null || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : 'a number';
}

/**
 * Validates an invite event received at /invite, in the library's order (cheapest first):
 *
 * 1. strict canonical JSON (rooms 6+) unless `canonicalJsonChecked`;
 * 2. PDU shape of the room version (`invalid_pdu`, with the JSON path), and in room 12 the create event not in
 *    `auth_events`; 255-byte fields (`field_too_large`) and the 65536-byte canonical event (`event_too_large`);
 * 3. path IDs: `room_id` (`room_id_mismatch`), `event_id` or the computed event ID (`event_id_mismatch`);
 * 4. `type` is `m.room.member` (`not_member_event`), `content.membership` is `invite` (`not_invite_membership`),
 *    `state_key` present (`state_key_missing`), a user ID (`invalid_state_key`) on our server
 *    (`state_key_not_local`), `sender` a user ID (`invalid_sender`) on the origin (`sender_not_origin`; exact
 *    comparison of the text after the first `:`);
 * 5. signatures of every required server (`signature_missing`, `signature_invalid`, `signing_key_unknown`);
 * 6. content hash (`content_hash_malformed`, `content_hash_mismatch` unless `contentHashMismatch: 'report'`).
 *
 * The event is never modified or copied. One redacted canonical encoding (signature, event ID, countersignature)
 * and one canonical encoding without hashes/signatures (content hash, size) are made.
 *
 * @example validateInviteEvent(event, ROOM_VERSIONS['10'], { origin: 'inviter.example', serverName: 'invitee.example', keys })
 */
export function validateInviteEvent(
  event: JsonObject,
  rules: RoomVersionRules,
  options: ValidateInviteOptions,
): E.Either<InviteError, ValidatedInvite> {
  const problem = validateArgumentsProblem(event, rules, options);
  if (problem !== undefined) return E.left(problem);
  try {
    return validate(event, rules, options);
  } catch (error) {
    return E.left(
      inviteError(
        'internal_error',
        `unexpected failure: ${error instanceof Error ? error.message : describeUnknown(error)}`,
      ),
    );
  }
}

/** Caller mistakes in the arguments of {@link validateInviteEvent}: `invalid_context` (500), never the peer's fault. */
function validateArgumentsProblem(
  event: JsonObject,
  rules: RoomVersionRules,
  options: ValidateInviteOptions,
): InviteError | undefined {
  try {
    if (!isJsonObject(event))
      return inviteError('event_not_object', 'the invite event must be a JSON object');
    const resolved = getRoomVersion(rules);
    if (E.isLeft(resolved) || typeof rules !== 'object') {
      return inviteError(
        'invalid_context',
        `rules must be room version rules: ${E.isLeft(resolved) ? resolved.left.message : 'got a string'}`,
      );
    }
    if (typeof options !== 'object' || options === null) {
      return inviteError('invalid_context', `options must be an object, got ${describeValue(options)}`);
    }
    const problem =
      (typeof options.origin === 'string'
        ? undefined
        : `options.origin must be a string, got ${describeValue(options.origin)}`) ??
      (typeof options.serverName === 'string'
        ? undefined
        : `options.serverName must be a string, got ${describeValue(options.serverName)}`) ??
      (typeof options.keys === 'function'
        ? undefined
        : `options.keys must be a key lookup function, got ${describeValue(options.keys)}`) ??
      (options.roomId === undefined || typeof options.roomId === 'string'
        ? undefined
        : `options.roomId must be a string, got ${describeValue(options.roomId)}`) ??
      (options.eventId === undefined || typeof options.eventId === 'string'
        ? undefined
        : `options.eventId must be a string, got ${describeValue(options.eventId)}`) ??
      finiteNumberProblem('options.now', options.now) ??
      enumProblem('options.backend', options.backend, BACKEND_NAMES) ??
      enumProblem('options.base64Mode', options.base64Mode, BASE64_MODES) ??
      (options.pathPrefix === undefined || Array.isArray(options.pathPrefix)
        ? undefined
        : `options.pathPrefix must be an array, got ${describeValue(options.pathPrefix)}`) ??
      booleanProblem('options.canonicalJsonChecked', options.canonicalJsonChecked) ??
      (options.maxEventDepth === undefined ||
      (typeof options.maxEventDepth === 'bigint' && options.maxEventDepth >= 0n)
        ? undefined
        : `options.maxEventDepth must be a non-negative bigint, got ${describeValue(options.maxEventDepth)}`) ??
      booleanProblem('options.thirdPartyInviteExemption', options.thirdPartyInviteExemption) ??
      enumProblem('options.contentHashDialect', options.contentHashDialect, CONTENT_HASH_DIALECTS) ??
      enumProblem('options.contentHashMismatch', options.contentHashMismatch, ['reject', 'report']) ??
      countProblem('options.maxEventBytes', options.maxEventBytes) ??
      countProblem('options.canonicalSizeUpperBound', options.canonicalSizeUpperBound);
    return problem === undefined ? undefined : inviteError('invalid_context', problem);
  } catch (error) {
    return inviteError(
      'invalid_context',
      `the options cannot be read: ${error instanceof Error ? error.message : describeUnknown(error)}`,
    );
  }
}

function validate(
  event: JsonObject,
  rules: RoomVersionRules,
  options: ValidateInviteOptions,
): E.Either<InviteError, ValidatedInvite> {
  const prefix = options.pathPrefix ?? [];

  // The content hash input, encoded once: strict in rooms 6+, where it is the strict canonical JSON check ("400
  // M_BAD_JSON on most endpoints") for everything but the excluded members, which are walked.
  const excluded = CONTENT_HASH_EXCLUDED[options.contentHashDialect ?? 'spec'];
  const strict = rules.strictCanonicalJson && options.canonicalJsonChecked !== true;
  if (strict) {
    for (const key of excluded) {
      const value = getOwn(event, key);
      const violation =
        value === undefined || isReceivedCanonical(options.received, value, DEFAULT_CANONICAL_MAX_DEPTH)
          ? undefined
          : checkStrictCanonicalJson(value);
      if (violation !== undefined && E.isLeft(violation)) {
        return E.left(
          inviteError(
            'not_canonical_json',
            `not canonical JSON (room version ${rules.id}): ${violation.left.message}`,
            underPath(prefix, [key, ...violation.left.path]),
          ),
        );
      }
    }
  }
  const stripped = encodeCanonicalMembers(event, { omit: excluded, strict, received: options.received });
  if (E.isLeft(stripped)) {
    return E.left(
      inviteError(
        strict && stripped.left.reason !== 'not_json' && stripped.left.reason !== 'cycle'
          ? 'not_canonical_json'
          : 'invalid_pdu',
        `${strict ? `not canonical JSON (room version ${rules.id})` : 'the event has no canonical JSON form'}: ${stripped.left.message}`,
        underPath(prefix, stripped.left.path),
        { cause: stripped.left },
      ),
    );
  }
  const index = stripped.right;

  // PDU shape (spec "PDUs" per room version; Synapse "Invalid event JSON").
  const shape = validatePduShape({
    event,
    roomVersion: rules,
    ...(options.maxEventDepth === undefined
      ? { strictCanonicalJson: false }
      : { strictCanonicalJson: false, maxDepth: options.maxEventDepth }),
  });
  if (E.isLeft(shape)) {
    return E.left(
      inviteError('invalid_pdu', `invalid event: ${shape.left.message}`, underPath(prefix, shape.left.path), {
        cause: shape.left,
      }),
    );
  }
  const pdu = shape.right;
  const roomId = getOwn(pdu, 'room_id');
  if (rules.roomIdFormat === 'create-event-hash' && typeof roomId === 'string') {
    // Room 12: the create event is implicit and must not be listed (Synapse: "auth_events must not contain the create event").
    const createId = `$${roomId.slice(1)}`;
    const index = pdu.auth_events.indexOf(createId);
    if (index >= 0) {
      return E.left(
        inviteError(
          'invalid_pdu',
          'auth_events must not contain the create event',
          underPath(prefix, ['auth_events', index]),
        ),
      );
    }
  }

  // Size limits (spec client-server API "Size limits"): bytes, not UTF-16 units.
  const fields = checkEventFieldLimits(pdu);
  if (E.isLeft(fields)) {
    return E.left(
      inviteError('field_too_large', fields.left.message, underPath(prefix, fields.left.path), {
        cause: fields.left,
      }),
    );
  }
  const maxBytes = options.maxEventBytes ?? MAX_PDU_SIZE_BYTES;
  let sizeBytes: number | undefined;
  if (options.canonicalSizeUpperBound === undefined || options.canonicalSizeUpperBound > maxBytes) {
    // The canonical event is the stripped object plus `,"key":value` for each excluded key present.
    sizeBytes = index.bytes.length;
    for (const key of excluded) {
      const value = getOwn(pdu, key);
      if (value === undefined) continue;
      const encoded = encodeCanonicalJson(value);
      if (E.isLeft(encoded)) {
        return E.left(
          inviteError('invalid_pdu', encoded.left.message, underPath(prefix, [key, ...encoded.left.path]), {
            cause: encoded.left,
          }),
        );
      }
      sizeBytes += key.length + 4 + utf8Length(encoded.right);
    }
    if (sizeBytes > maxBytes) {
      return E.left(
        inviteError(
          'event_too_large',
          `the event is ${sizeBytes} bytes of canonical JSON, more than ${maxBytes}`,
          underPath(prefix, []),
        ),
      );
    }
  }

  // Path IDs (CVE-2020-26257): the path must name the room and event of the body.
  if (options.roomId !== undefined && roomId !== options.roomId) {
    return E.left(
      inviteError(
        'room_id_mismatch',
        `room_id ${JSON.stringify(roomId)} does not match the request path's ${JSON.stringify(options.roomId)}`,
        underPath(prefix, ['room_id']),
      ),
    );
  }
  const prepared = prepareEvent(pdu, rules, { reuse: index });
  if (E.isLeft(prepared)) {
    return E.left(
      inviteError('invalid_pdu', prepared.left.message, underPath(prefix, prepared.left.path), {
        cause: prepared.left,
      }),
    );
  }
  let eventId: string;
  if (rules.eventIdFormat === 'v1') {
    eventId = getOwn(pdu, 'event_id') as string;
  } else {
    const computed = prepared.right.eventId();
    if (E.isLeft(computed)) {
      return E.left(
        inviteError('invalid_pdu', computed.left.message, underPath(prefix, []), { cause: computed.left }),
      );
    }
    eventId = computed.right;
  }
  if (options.eventId !== undefined && eventId !== options.eventId) {
    return E.left(
      inviteError(
        'event_id_mismatch',
        rules.eventIdFormat === 'v1'
          ? `event_id ${JSON.stringify(eventId)} does not match the request path's ${JSON.stringify(options.eventId)}`
          : `the event's ID is ${eventId}, not the request path's ${JSON.stringify(options.eventId)}`,
        underPath(prefix, rules.eventIdFormat === 'v1' ? ['event_id'] : []),
      ),
    );
  }

  // The spec's validation list (invites-v2.yaml).
  if (pdu.type !== 'm.room.member') {
    return E.left(
      inviteError(
        'not_member_event',
        `type must be m.room.member, got ${JSON.stringify(pdu.type)}`,
        underPath(prefix, ['type']),
      ),
    );
  }
  const membership = getOwn(pdu.content, 'membership');
  if (membership !== 'invite') {
    return E.left(
      inviteError(
        'not_invite_membership',
        `content.membership must be "invite", got ${describeMembership(membership)}`,
        underPath(prefix, ['content', 'membership']),
      ),
    );
  }
  const stateKey = getOwn(pdu, 'state_key');
  if (typeof stateKey !== 'string') {
    return E.left(
      inviteError('state_key_missing', 'the invite event has no state_key', underPath(prefix, ['state_key'])),
    );
  }
  const invitee = userOnServer(stateKey);
  if (!invitee.ok) {
    return E.left(
      inviteError(
        'invalid_state_key',
        `state_key is not a user ID: ${invitee.why}`,
        underPath(prefix, ['state_key']),
      ),
    );
  }
  if (invitee.server !== options.serverName) {
    return E.left(
      inviteError(
        'state_key_not_local',
        `the invited user ${JSON.stringify(stateKey)} is not on this server (${options.serverName})`,
        underPath(prefix, ['state_key']),
      ),
    );
  }
  const sender = userOnServer(pdu.sender);
  if (!sender.ok) {
    return E.left(
      inviteError('invalid_sender', `sender is not a user ID: ${sender.why}`, underPath(prefix, ['sender'])),
    );
  }
  if (sender.server !== options.origin) {
    return E.left(
      inviteError(
        'sender_not_origin',
        `the sender ${JSON.stringify(pdu.sender)} is not on the requesting server ${JSON.stringify(options.origin)}`,
        underPath(prefix, ['sender']),
      ),
    );
  }

  // Signatures (spec "Validating hashes and signatures on received events"; required signers 7.5).
  // Without the 3PID exemption (our default) the sender's server must sign 3PID invites too.
  const verified = verifyPreparedEvent(
    prepared.right,
    options.keys,
    signatureOnlyOptions(
      options,
      options.base64Mode ?? 'synapse',
      options.thirdPartyInviteExemption === true,
    ),
  );
  if (E.isLeft(verified)) return E.left(signatureFailure(verified.left, prefix));
  const report: VerificationReport = verified.right;

  // Content hash (spec "Calculating the content hash"): malformed is an error, a mismatch is rejected by default.
  const hash = checkContentHashWith(pdu, {
    base64Mode: options.base64Mode ?? 'synapse',
    canonicalInput: index,
  });
  if (E.isLeft(hash)) {
    return E.left(
      inviteError('content_hash_malformed', hash.left.message, underPath(prefix, hash.left.path)),
    );
  }
  const { matches, expected: contentHash } = hash.right;
  if (!matches && options.contentHashMismatch !== 'report') {
    return E.left(
      inviteError(
        'content_hash_mismatch',
        `the content hash does not match the event (expected ${contentHash}, got ${pdu.hashes.sha256 as string})`,
        underPath(prefix, ['hashes', 'sha256']),
      ),
    );
  }
  return E.right({
    event: pdu,
    rules,
    prepared: prepared.right,
    eventId,
    invitee: stateKey,
    sender: pdu.sender,
    sizeBytes,
    signatures: report,
    contentHashMatches: matches,
    contentHash,
    contentHashInput: index,
    contentHashExcluded: excluded,
  });
}
