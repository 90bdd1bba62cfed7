/**
 * `invite_room_state` (MSC4311, spec v1.16+). The list travels outside every hash and
 * signature (v1: `event.unsigned`; v2: top level), so each entry is **unverified** unless it was checked as a PDU
 * of the room version, in the invite's room, signed by its sender's server.
 *
 * Rules: the `m.room.create` event is present; every entry is formatted according to the room version; every entry
 * resides in the invite's room (room 12: the room ID is `!` + the create event's reference hash, since the create
 * event has no `room_id`); signatures verify where keys are known. Servers "MAY" apply them to rooms 1-11 and
 * "SHOULD" to the others; while migrating, "SHOULD warn ... rather than error in room versions 1 through 11".
 *
 * On top of the signatures, the content hash of every signed entry is compared: a signature covers only the redacted
 * form, so an entry whose content was changed after signing still "verifies". The spec's general rule for PDUs
 * ("Checks performed on receipt of a PDU": "Passes hash checks, otherwise it is redacted before being processed
 * further") makes only the redacted form authentic; such an entry is `redacted`, never `verified`, and a problem
 * (`invite_room_state_content_hash_mismatch`) under the policy.
 */
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import type { Ed25519BackendName, Ed25519Verifier, KeyLookup } from '../../crypto/types.js';
import type { JsonPath } from '../../errors/base.js';
import { describeValue, errorText } from '../../errors/describe.js';
import {
  BACKEND_NAMES,
  BASE64_MODES,
  booleanProblem,
  CONTENT_HASH_DIALECTS,
  enumProblem,
  finiteNumberProblem,
} from '../../errors/options.js';
import { checkContentHash, encodeContentHashInput } from '../../events/hashes.js';
import { type Pdu, validatePduShape } from '../../events/pdu.js';
import { prepareEvent } from '../../events/prepared.js';
import { signatureOnlyOptions, verifyPreparedEvent } from '../../events/verify.js';
import { type CanonicalMembers, checkStrictCanonicalJson } from '../../json/canonical.js';
import {
  getOwn,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  type MutableJsonObject,
  setOwn,
  withKey,
} from '../../json/value.js';
import type { RoomVersionRules } from '../../room-versions/rules.js';
import { getRoomVersion } from '../../room-versions/versions.js';
import { type InviteError, type InviteRoomStateReason, inviteError, underPath } from './reasons.js';

/**
 * How `invite_room_state` problems are treated: reject the invite, accept and report, or not check at all.
 *
 * @category Receiving
 */
export type InviteRoomStateMode = 'enforce' | 'warn' | 'ignore';

/**
 * The policy: one mode for every room version, or a mode per room version identifier (versions not listed get the
 * spec's default: `warn` in rooms 1-11, `enforce` from room 12).
 *
 * @category Receiving
 */
export type InviteRoomStatePolicy = InviteRoomStateMode | Readonly<Record<string, InviteRoomStateMode>>;

const LEGACY_VERSIONS = new Set(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11']);

/** Spec default: `warn` for room versions 1-11 (migration), `enforce` for every other version (12+). */
export function defaultInviteRoomStateMode(rules: RoomVersionRules): InviteRoomStateMode {
  try {
    return LEGACY_VERSIONS.has(rules.id) ? 'warn' : 'enforce';
  } catch {
    return 'enforce'; // rules that cannot be read: the strict default
  }
}

/** The mode a policy gives a room version. */
export function inviteRoomStateModeFor(
  policy: InviteRoomStatePolicy | undefined,
  rules: RoomVersionRules,
): InviteRoomStateMode {
  if (policy === 'enforce' || policy === 'warn' || policy === 'ignore') return policy;
  try {
    if (typeof policy === 'object' && policy !== null && Object.hasOwn(policy, rules.id)) {
      const mode = policy[rules.id];
      if (mode === 'enforce' || mode === 'warn' || mode === 'ignore') return mode;
    }
  } catch {
    // A policy or rules that cannot be read: the default.
  }
  return defaultInviteRoomStateMode(rules);
}

/**
 * Why an `invite_room_state` entry failed a check.
 *
 * @category Receiving
 */
export interface InviteRoomStateProblem {
  /**
   * An `invite_room_state_*` reason, or `invalid_context` when the caller's key lookup or options are at fault
   * (`receiveInvite` then refuses with 500 whatever the mode).
   */
  readonly reason: InviteRoomStateReason | 'invalid_context';
  /** A human explanation, for logs. */
  readonly message: string;
  /** Where the problem is, relative to the request body. */
  readonly path: JsonPath;
}

/**
 * One `invite_room_state` entry and what is known about it.
 *
 * @category Receiving
 */
export type InviteRoomStateEntry =
  | {
      /**
       * A PDU of the room version, in the invite's room, with its sender's server signature verified and its
       * content hash matching: the whole entry is authenticated.
       */
      readonly status: 'verified';
      /** The entry, typed as a PDU (the received object itself). */
      readonly event: Pdu;
      /** Its event ID (`event_id` in rooms 1-2, the reference hash from room 3). */
      readonly eventId: string;
      /** Where the entry is in the request body, e.g. `['invite_room_state', 0]`. */
      readonly path: JsonPath;
    }
  | {
      /**
       * Signed by its sender's server, but its content hash does not match: the content was changed after signing
       * (or the entry was redacted). Only `redactedEvent` is authenticated; `event` is not. The same problem
       * (`invite_room_state_content_hash_mismatch`) is listed in the report's `problems`.
       */
      readonly status: 'redacted';
      /** The entry as received (NOT authenticated beyond its redacted form). */
      readonly event: JsonValue;
      /** The entry put through the room version's redaction: what its signature covers, the authenticated part. */
      readonly redactedEvent: JsonObject;
      /** Its event ID (`event_id` in rooms 1-2, the reference hash from room 3): the same before and after redaction. */
      readonly eventId: string;
      /** The content hash mismatch (`invite_room_state_content_hash_mismatch`), with the path of `hashes.sha256`. */
      readonly problem: InviteRoomStateProblem;
      /** Where the entry is in the request body, e.g. `['invite_room_state', 0]`. */
      readonly path: JsonPath;
    }
  | {
      /** Not checked (policy `ignore`), or well formed but no key of its sender's server is known. Do not trust it. */
      readonly status: 'unverified';
      /** The entry as received, any JSON value. */
      readonly event: JsonValue;
      /** Why it is unverified: the policy, or the signature check's message. */
      readonly note: string;
      /** Where the entry is in the request body, e.g. `['invite_room_state', 0]`. */
      readonly path: JsonPath;
    }
  | {
      /** Failed a check (only returned when the policy accepted the invite anyway). */
      readonly status: 'invalid';
      /** The entry as received, any JSON value. */
      readonly event: JsonValue;
      /**
       * The failed check: an `invite_room_state_*` reason, or `invalid_context` when the caller's key lookup or
       * options are at fault; a message and the path. The same problem is listed in the report's `problems`.
       */
      readonly problem: InviteRoomStateProblem;
      /** Where the entry is in the request body, e.g. `['invite_room_state', 0]`. */
      readonly path: JsonPath;
    };

/** The result of {@link checkInviteRoomState}: every entry classified, and every problem found. */
export interface InviteRoomStateReport {
  /** One classification per list entry, in list order; empty when the list is absent or not an array. */
  readonly entries: readonly InviteRoomStateEntry[];
  /** Problems in check order; empty when the state satisfies MSC4311. */
  readonly problems: readonly InviteError[];
}

/** Options of {@link checkInviteRoomState}. */
export interface CheckInviteRoomStateOptions {
  /** The invite's `room_id`. */
  readonly roomId: string;
  /** Verification keys of other servers, for the entries' signatures (pure lookup). */
  readonly keys: KeyLookup;
  /** Where the list sits in the request body (v2 `['invite_room_state']`, v1 `['unsigned', 'invite_room_state']`). */
  readonly path?: JsonPath;
  /** The whole body was already checked for strict canonical JSON (rooms 6+). */
  readonly canonicalJsonChecked?: boolean;
  /** Current time (ms since the epoch): caps every key's validity at now + 7 days (rooms 5+); absent: no cap. */
  readonly now?: number;
  /** ed25519 backend for verification (verdicts are libsodium's with every backend). */
  readonly backend?: Ed25519BackendName;
  /** A signature verdict function used instead of `backend` (the async helpers supply one). */
  readonly verifier?: Ed25519Verifier;
  /** Base64 decoding of the entries' signatures and content hashes (default `synapse`). */
  readonly base64Mode?: 'lenient' | 'strict' | 'synapse';
  /** Content hash dialect of the entries (default `spec`; `synapse` also ignores `age_ts`, `outlier`, `destinations`). */
  readonly contentHashDialect?: 'spec' | 'synapse';
}

/** io-ts codec of the list: an array (its entries are checked one by one). */
export const InviteRoomStateCodec = t.UnknownArray;

/**
 * Checks `invite_room_state` against MSC4311 and classifies every entry. Never fails: the caller decides with a
 * {@link InviteRoomStateMode} what the problems mean. Signatures are checked for the sender's server (and the
 * `event_id` server in rooms 1-2); an entry whose keys are all unknown is `unverified`, not invalid. A signed entry's
 * content hash is then compared: a mismatch makes it `redacted` (only its redacted form is authentic) with the
 * problem `invite_room_state_content_hash_mismatch`; `verified` means signature and content hash both check.
 */
export function checkInviteRoomState(
  value: JsonValue | undefined,
  rules: RoomVersionRules,
  options: CheckInviteRoomStateOptions,
): InviteRoomStateReport {
  try {
    const problem = checkArgumentsProblem(rules, options);
    if (problem !== undefined) return { entries: [], problems: [inviteError('invalid_context', problem)] };
    const base = options.path ?? ['invite_room_state'];
    if (value === undefined) {
      return {
        entries: [],
        problems: [
          inviteError(
            'invite_room_state_missing_create',
            'invite_room_state is absent, so it has no m.room.create event',
            base,
          ),
        ],
      };
    }
    if (!Array.isArray(value)) {
      return {
        entries: [],
        problems: [inviteError('invite_room_state_malformed', 'invite_room_state must be an array', base)],
      };
    }
    const list: readonly JsonValue[] = value;
    const problems: InviteError[] = [];
    let hasCreate = false;
    for (const entry of list) {
      if (isJsonObject(entry) && getOwn(entry, 'type') === 'm.room.create') {
        hasCreate = true;
        break;
      }
    }
    if (!hasCreate) {
      problems.push(
        inviteError('invite_room_state_missing_create', 'invite_room_state has no m.room.create event', base),
      );
    }
    const entries: InviteRoomStateEntry[] = new Array(list.length);
    for (let index = 0; index < list.length; index++) {
      const result = checkEntry(list[index] as JsonValue, rules, options, [...base, index]);
      // The problem is the InviteError built by checkEntry (typed narrower in the public entry type).
      if (result.status === 'invalid' || result.status === 'redacted')
        problems.push(result.problem as InviteError);
      entries[index] = result;
    }
    return { entries, problems };
  } catch (error) {
    return {
      entries: [],
      problems: [inviteError('invalid_context', `invite_room_state cannot be checked: ${errorText(error)}`)],
    };
  }
}

/** Caller mistakes in the rules or options of {@link checkInviteRoomState}. */
function checkArgumentsProblem(
  rules: RoomVersionRules,
  options: CheckInviteRoomStateOptions,
): string | undefined {
  const resolved = getRoomVersion(rules);
  if (E.isLeft(resolved) || typeof rules !== 'object') {
    return `rules must be room version rules${E.isLeft(resolved) ? `: ${resolved.left.message}` : ''}`;
  }
  if (typeof options !== 'object' || options === null)
    return `options must be an object, got ${describeValue(options)}`;
  return (
    (typeof options.roomId === 'string'
      ? undefined
      : `options.roomId must be a string, got ${describeValue(options.roomId)}`) ??
    (typeof options.keys === 'function'
      ? undefined
      : `options.keys must be a key lookup function, got ${describeValue(options.keys)}`) ??
    (options.path === undefined || Array.isArray(options.path)
      ? undefined
      : `options.path must be an array, got ${describeValue(options.path)}`) ??
    booleanProblem('options.canonicalJsonChecked', options.canonicalJsonChecked) ??
    finiteNumberProblem('options.now', options.now) ??
    enumProblem('options.backend', options.backend, BACKEND_NAMES) ??
    enumProblem('options.base64Mode', options.base64Mode, BASE64_MODES) ??
    enumProblem('options.contentHashDialect', options.contentHashDialect, CONTENT_HASH_DIALECTS)
  );
}

/** Keys every PDU has, in every room version (pdu_base). */
const PDU_KEYS = ['auth_events', 'prev_events', 'depth', 'hashes', 'signatures', 'origin_server_ts'] as const;

function invalidEntry(entry: JsonValue, path: JsonPath, problem: InviteError): InviteRoomStateEntry {
  return { status: 'invalid', event: entry, problem: problem as InviteRoomStateProblem, path };
}

/** The first key every PDU has that `entry` lacks, if any. */
function missingPduKey(entry: JsonObject): string | undefined {
  for (const key of PDU_KEYS) if (!Object.hasOwn(entry, key)) return key;
  return undefined;
}

/** Checks one entry. No closures or spreads: this runs for every entry of every invite. */
function checkEntry(
  entry: JsonValue,
  rules: RoomVersionRules,
  options: CheckInviteRoomStateOptions,
  path: JsonPath,
): InviteRoomStateEntry {
  if (!isJsonObject(entry)) {
    return invalidEntry(
      entry,
      path,
      inviteError('invite_room_state_malformed', 'an invite_room_state entry must be an object', path),
    );
  }
  if (rules.strictCanonicalJson && options.canonicalJsonChecked !== true) {
    const violation = checkStrictCanonicalJson(entry);
    if (E.isLeft(violation)) {
      return invalidEntry(
        entry,
        path,
        inviteError(
          'invite_room_state_invalid_pdu',
          `not canonical JSON: ${violation.left.message}`,
          underPath(path, violation.left.path),
        ),
      );
    }
  }
  // Cheap first test: legacy stripped state (type/state_key/sender/content only) lacks the PDU fields; say so
  // without building the codec's full error report.
  const missing = missingPduKey(entry);
  if (missing !== undefined) {
    return invalidEntry(
      entry,
      path,
      inviteError(
        'invite_room_state_invalid_pdu',
        `not a room version ${rules.id} PDU (a stripped state event?): ${missing} is missing`,
        underPath(path, [missing]),
      ),
    );
  }
  const shape = validatePduShape({ event: entry, roomVersion: rules, strictCanonicalJson: false });
  if (E.isLeft(shape)) {
    return invalidEntry(
      entry,
      path,
      inviteError(
        'invite_room_state_invalid_pdu',
        `not a room version ${rules.id} PDU: ${shape.left.message}`,
        underPath(path, shape.left.path),
        { cause: shape.left },
      ),
    );
  }
  const pdu = shape.right;
  // One encoding of the content hash input; the redacted signing bytes reuse its members (all but `content`).
  const dialect = options.contentHashDialect === undefined ? {} : { dialect: options.contentHashDialect };
  const hashInput = encodeContentHashInput(pdu, dialect);
  const reuse = E.isRight(hashInput) ? { reuse: hashInput.right } : {};
  const prepared = prepareEvent(pdu, rules, reuse);
  if (E.isLeft(prepared)) {
    return invalidEntry(
      entry,
      path,
      inviteError(
        'invite_room_state_invalid_pdu',
        prepared.left.message,
        underPath(path, prepared.left.path),
      ),
    );
  }
  let eventId: string;
  if (rules.eventIdFormat === 'v1') {
    eventId = getOwn(pdu, 'event_id') as string;
  } else {
    const computed = prepared.right.eventId();
    if (E.isLeft(computed))
      return invalidEntry(
        entry,
        path,
        inviteError('invite_room_state_invalid_pdu', computed.left.message, path),
      );
    eventId = computed.right;
  }
  // Same room. Room 12 create events have no room_id: their room ID is their event ID with `!` (spec appendices).
  const isCreate = pdu.type === 'm.room.create';
  const entryRoomId =
    rules.roomIdFormat === 'create-event-hash' && isCreate ? `!${eventId.slice(1)}` : getOwn(pdu, 'room_id');
  if (entryRoomId !== options.roomId) {
    return invalidEntry(
      entry,
      path,
      inviteError(
        'invite_room_state_wrong_room',
        `entry is in room ${JSON.stringify(entryRoomId)}, not the invite's ${JSON.stringify(options.roomId)}`,
        underPath(path, isCreate && rules.roomIdFormat === 'create-event-hash' ? [] : ['room_id']),
      ),
    );
  }
  const verified = verifyPreparedEvent(
    prepared.right,
    options.keys,
    signatureOnlyOptions(options, options.base64Mode ?? 'synapse'),
  );
  if (E.isRight(verified)) {
    return checkEntryContentHash(pdu, rules, options, {
      eventId,
      path,
      entry,
      redacted: prepared.right.redacted,
      ...(E.isRight(hashInput) ? { hashInput: hashInput.right } : {}),
    });
  }
  if (verified.left.reason === 'no_verifiable_signature') {
    return { status: 'unverified', event: entry, note: verified.left.message, path };
  }
  if (
    verified.left.reason === 'invalid_key_lookup' ||
    verified.left.reason === 'invalid_options' ||
    verified.left.reason === 'invalid_input'
  ) {
    // The caller's key lookup or options: reported as such (receiveInvite refuses with it whatever the mode).
    return invalidEntry(
      entry,
      path,
      inviteError('invalid_context', verified.left.message, underPath(path, verified.left.path)),
    );
  }
  return invalidEntry(
    entry,
    path,
    inviteError(
      'invite_room_state_bad_signature',
      `signature check failed: ${verified.left.message}`,
      underPath(path, verified.left.path),
      {
        cause: verified.left,
      },
    ),
  );
}

/**
 * A signed entry's content hash (spec "Checks performed on receipt of a PDU": a hash failure means the redacted
 * form is all that is authentic). MSC4311 let servers skip this for the create event; then an altered name, topic or
 * encryption setting would pass as `verified`, so it is always checked.
 */
function checkEntryContentHash(
  pdu: Pdu,
  rules: RoomVersionRules,
  options: CheckInviteRoomStateOptions,
  found: {
    readonly eventId: string;
    readonly path: JsonPath;
    readonly entry: JsonValue;
    /** The redacted entry without `signatures` and `unsigned` (the prepared signing input). */
    readonly redacted: JsonObject;
    /** The content hash input, already encoded. */
    readonly hashInput?: CanonicalMembers;
  },
): InviteRoomStateEntry {
  const { eventId, path, entry } = found;
  const hash = checkContentHash(pdu, {
    base64Mode: options.base64Mode ?? 'synapse',
    ...(options.contentHashDialect === undefined ? {} : { dialect: options.contentHashDialect }),
    ...(found.hashInput === undefined ? {} : { canonicalInput: found.hashInput }),
  });
  if (E.isLeft(hash)) {
    return {
      status: 'invalid',
      event: entry,
      problem: inviteError(
        'invite_room_state_invalid_pdu',
        `not a room version ${rules.id} PDU: ${hash.left.message}`,
        underPath(path, hash.left.path),
        { cause: hash.left },
      ) as InviteRoomStateProblem,
      path,
    };
  }
  if (hash.right.matches) return { status: 'verified', event: pdu, eventId, path };
  const problem = inviteError(
    'invite_room_state_content_hash_mismatch',
    `entry ${eventId} is signed but its content hash does not match (expected ${hash.right.expected}): it was changed after signing; only its redacted form is authentic`,
    underPath(path, ['hashes', 'sha256']),
  );
  // The redacted form with its signatures: what the signature covers, as the redaction algorithm gives it.
  const redactedEvent = withKey(found.redacted, 'signatures', pdu.signatures);
  return {
    status: 'redacted',
    event: entry,
    redactedEvent,
    eventId,
    problem: problem as InviteRoomStateProblem,
    path,
  };
}

/** Marks every entry of an unchecked list as unverified (policy `ignore`). */
export function unverifiedInviteRoomState(
  value: JsonValue | undefined,
  path: JsonPath,
): readonly InviteRoomStateEntry[] {
  if (!Array.isArray(value)) return [];
  const list: readonly JsonValue[] = value;
  const base: JsonPath = Array.isArray(path) ? path : [];
  return list.map((event, index) => ({
    status: 'unverified',
    event,
    note: 'not checked (policy: ignore)',
    path: [...base, index],
  }));
}

/** A stripped state event for clients (https://spec.matrix.org/v1.19/client-server-api/#stripped-state). */
export interface StrippedStateEvent extends JsonObject {
  /** The state event type, e.g. `m.room.name`. */
  readonly type: string;
  /** The state key (often empty). */
  readonly state_key: string;
  /** The user ID that sent the event. */
  readonly sender: string;
  /** The event content. */
  readonly content: JsonObject;
}

/**
 * Prunes an entry to the stripped state format clients receive (`type`, `state_key`, `sender`, `content`): servers
 * "cannot pass through what they receive over federation". `undefined` when a field is missing or of
 * the wrong type.
 */
export function toStrippedStateEvent(entry: JsonValue): StrippedStateEvent | undefined {
  if (!isJsonObject(entry)) return undefined;
  const type = getOwn(entry, 'type');
  const stateKey = getOwn(entry, 'state_key');
  const sender = getOwn(entry, 'sender');
  const content = getOwn(entry, 'content');
  if (
    typeof type !== 'string' ||
    typeof stateKey !== 'string' ||
    typeof sender !== 'string' ||
    !isJsonObject(content)
  ) {
    return undefined;
  }
  const out: MutableJsonObject = {};
  setOwn(out, 'type', type);
  setOwn(out, 'state_key', stateKey);
  setOwn(out, 'sender', sender);
  setOwn(out, 'content', content);
  return out as StrippedStateEvent;
}
