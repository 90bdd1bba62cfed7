/**
 * Room versions 1-12 as data (spec [Room versions](https://spec.matrix.org/v1.19/rooms/), one page per version).
 *
 * Every version is one deep-frozen {@link RoomVersionRules} object written as a diff of the previous version, so
 * the change each version made is visible in one line. Redaction algorithms are keep-list tables
 * (`REDACTION_V1` ... `REDACTION_V12`), never branches in code: `redactEvent` only reads these tables.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { LibraryError } from '../errors/base.js';
import type { ContentKeepList, RedactionRules, RoomVersionInput, RoomVersionRules } from './rules.js';

// ---------------------------------------------------------------------------------------------------------------
// Freezing

/** Recursively freezes plain objects and arrays (bigints and other primitives are immutable already). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** Deep-freezes a rules object (or part of one) and returns it, typed as written. */
const freeze = <T>(value: T): T => deepFreeze(value);

// ---------------------------------------------------------------------------------------------------------------
// Redaction algorithms (spec: "Redactions" in each room version page)

/** `m.room.power_levels` content kept by every algorithm up to v9. */
const POWER_LEVELS_V1 = [
  'ban',
  'events',
  'events_default',
  'kick',
  'redact',
  'state_default',
  'users',
  'users_default',
] as const;

/** Redaction algorithm v1 (room versions 1-5; https://spec.matrix.org/v1.19/rooms/v1/#redactions). */
export const REDACTION_V1: RedactionRules = freeze({
  name: 'v1',
  topLevelKeys: [
    'event_id',
    'type',
    'room_id',
    'sender',
    'state_key',
    'content',
    'hashes',
    'signatures',
    'depth',
    'prev_events',
    'prev_state',
    'auth_events',
    'origin',
    'origin_server_ts',
    'membership',
  ],
  contentKeys: {
    'm.room.member': ['membership'],
    'm.room.create': ['creator'],
    'm.room.join_rules': ['join_rule'],
    'm.room.power_levels': [...POWER_LEVELS_V1],
    'm.room.history_visibility': ['history_visibility'],
    'm.room.aliases': ['aliases'],
  },
});

/** A content table without one event type. */
const withoutType = (
  table: Readonly<Record<string, ContentKeepList>>,
  type: string,
): Record<string, ContentKeepList> => Object.fromEntries(Object.entries(table).filter(([t]) => t !== type));

/** Redaction algorithm v6 (room versions 6-7; https://spec.matrix.org/v1.19/rooms/v6/#redactions, MSC2432): `m.room.aliases` content is no longer kept. */
export const REDACTION_V6: RedactionRules = freeze({
  ...REDACTION_V1,
  name: 'v6',
  contentKeys: withoutType(REDACTION_V1.contentKeys, 'm.room.aliases'),
});

/** Redaction algorithm v8 (room version 8; https://spec.matrix.org/v1.19/rooms/v8/#redactions, MSC3083): `m.room.join_rules` keeps `allow`. */
export const REDACTION_V8: RedactionRules = freeze({
  ...REDACTION_V6,
  name: 'v8',
  contentKeys: { ...REDACTION_V6.contentKeys, 'm.room.join_rules': ['join_rule', 'allow'] },
});

/** Redaction algorithm v9 (room versions 9-10; https://spec.matrix.org/v1.19/rooms/v9/#redactions, MSC3375): members keep `join_authorised_via_users_server`. */
export const REDACTION_V9: RedactionRules = freeze({
  ...REDACTION_V8,
  name: 'v9',
  contentKeys: {
    ...REDACTION_V8.contentKeys,
    'm.room.member': ['membership', 'join_authorised_via_users_server'],
  },
});

/** Top-level keys dropped by v11 (MSC2176). */
const DROPPED_IN_V11: readonly string[] = ['origin', 'membership', 'prev_state'];

/**
 * Redaction algorithm v11 (room version 11, and the base of {@link REDACTION_V12}; https://spec.matrix.org/v1.19/rooms/v11/#redactions,
 * MSC2176 + MSC3821 + MSC3989): top-level `origin`, `membership`, `prev_state` dropped; `m.room.create` keeps all
 * content; power levels keep `invite`; `m.room.redaction` keeps `redacts`; members keep `third_party_invite.signed`.
 */
export const REDACTION_V11: RedactionRules = freeze({
  name: 'v11',
  topLevelKeys: REDACTION_V9.topLevelKeys.filter((key) => !DROPPED_IN_V11.includes(key)),
  contentKeys: {
    ...REDACTION_V9.contentKeys,
    'm.room.member': [
      'membership',
      'join_authorised_via_users_server',
      { key: 'third_party_invite', keep: ['signed'] },
    ] satisfies ContentKeepList,
    'm.room.create': 'all',
    'm.room.power_levels': [...POWER_LEVELS_V1, 'invite'],
    'm.room.redaction': ['redacts'],
  },
});

/**
 * Redaction for room version 12: v11 (which https://spec.matrix.org/v1.19/rooms/v12/#redactions reuses) and, as
 * Synapse's `redact()` (`msc4291_room_ids_as_hashes`), a create event drops `room_id`: its event ID is the room ID.
 */
export const REDACTION_V12: RedactionRules = freeze({
  ...REDACTION_V11,
  name: 'v12',
  topLevelKeysDroppedByType: { 'm.room.create': ['room_id'] },
});

// ---------------------------------------------------------------------------------------------------------------
// Room versions (spec: the "Event format" and "Client considerations" of each room version page)

/** Room version 1 (https://spec.matrix.org/v1.19/rooms/v1/): `$opaque:domain` event IDs, state resolution v1. */
const V1: RoomVersionRules = freeze({
  id: '1',
  stability: 'stable',
  eventIdFormat: 'v1',
  roomIdFormat: 'server',
  pduFormat: 'v1',
  redaction: REDACTION_V1,
  strictCanonicalJson: false,
  enforceKeyValidity: false,
  maxDepth: 2n ** 63n - 1n,
  signers: { eventIdDomain: true, restrictedJoinAuthoriser: false },
  maxAuthEvents: 10,
  maxPrevEvents: 20,
  stateResolution: 'v1',
  knocking: false,
  restrictedJoins: false,
  integerOnlyPowerLevels: false,
  implicitRoomCreator: false,
});
/** Room version 2 (https://spec.matrix.org/v1.19/rooms/v2/): state resolution v2. */
const V2: RoomVersionRules = freeze({ ...V1, id: '2', stateResolution: 'v2' });
/** Room version 3 (https://spec.matrix.org/v1.19/rooms/v3/, MSC1659): event IDs are the standard-base64 reference hash; no `event_id` field. */
const V3: RoomVersionRules = freeze({
  ...V2,
  id: '3',
  eventIdFormat: 'v3',
  pduFormat: 'v3',
  signers: { ...V2.signers, eventIdDomain: false },
});
/** Room version 4 (https://spec.matrix.org/v1.19/rooms/v4/, MSC2002): event IDs use URL-safe base64. */
const V4: RoomVersionRules = freeze({ ...V3, id: '4', eventIdFormat: 'v4' });
/** Room version 5 (https://spec.matrix.org/v1.19/rooms/v5/, MSC2077): signing keys' `valid_until_ts` is enforced. */
const V5: RoomVersionRules = freeze({ ...V4, id: '5', enforceKeyValidity: true });
/** Room version 6 (https://spec.matrix.org/v1.19/rooms/v6/, MSC2240): redaction v6, strict canonical JSON, `depth` <= 2^53-1. */
const V6: RoomVersionRules = freeze({
  ...V5,
  id: '6',
  redaction: REDACTION_V6,
  strictCanonicalJson: true,
  maxDepth: 2n ** 53n - 1n,
});
/** Room version 7 (https://spec.matrix.org/v1.19/rooms/v7/, MSC2998 + MSC2403): knocking. */
const V7: RoomVersionRules = freeze({ ...V6, id: '7', knocking: true });
/** Room version 8 (https://spec.matrix.org/v1.19/rooms/v8/, MSC3083): restricted joins, redaction v8, authorising server signs joins. */
const V8: RoomVersionRules = freeze({
  ...V7,
  id: '8',
  redaction: REDACTION_V8,
  restrictedJoins: true,
  signers: { ...V7.signers, restrictedJoinAuthoriser: true },
});
/** Room version 9 (https://spec.matrix.org/v1.19/rooms/v9/, MSC3375): redaction v9 (members keep `join_authorised_via_users_server`). */
const V9: RoomVersionRules = freeze({ ...V8, id: '9', redaction: REDACTION_V9 });
/** Room version 10 (https://spec.matrix.org/v1.19/rooms/v10/, MSC3604 + MSC3667): knock_restricted, integer-only power levels. */
const V10: RoomVersionRules = freeze({ ...V9, id: '10', integerOnlyPowerLevels: true });
/** Room version 11 (https://spec.matrix.org/v1.19/rooms/v11/, MSC3820): redaction v11, create events have no `creator`. */
const V11: RoomVersionRules = freeze({
  ...V10,
  id: '11',
  redaction: REDACTION_V11,
  implicitRoomCreator: true,
});
/** Room version 12 (https://spec.matrix.org/v1.19/rooms/v12/, MSC4289 + MSC4291 + MSC4297): room ID = create event hash, state res v2.1,
 * redaction v12 (create events drop `room_id`, as Synapse). */
const V12: RoomVersionRules = freeze({
  ...V11,
  id: '12',
  roomIdFormat: 'create-event-hash',
  pduFormat: 'v12',
  redaction: REDACTION_V12,
  stateResolution: 'v2.1',
});

/**
 * The twelve stable room versions, keyed by identifier. Deep-frozen.
 *
 * @category Room versions
 */
export const ROOM_VERSIONS: Readonly<Record<string, RoomVersionRules>> = freeze({
  '1': V1,
  '2': V2,
  '3': V3,
  '4': V4,
  '5': V5,
  '6': V6,
  '7': V7,
  '8': V8,
  '9': V9,
  '10': V10,
  '11': V11,
  '12': V12,
});

/** Identifiers of the room versions this library knows, oldest first. */
export const KNOWN_ROOM_VERSION_IDS: readonly string[] = freeze(Object.keys(ROOM_VERSIONS));

/** Objects known to be valid rules (the built-ins and everything {@link defineRoomVersion} returned). */
const TRUSTED = new WeakSet<object>(Object.values(ROOM_VERSIONS));

// ---------------------------------------------------------------------------------------------------------------
// Errors

/**
 * Why a room version could not be used.
 * - `invalid_grammar`: not a string, or not 1-32 characters of `[a-z0-9.-]` (https://spec.matrix.org/v1.19/rooms/#room-version-grammar);
 *   Synapse answers a non-string `room_version` with 400 `M_BAD_JSON`.
 * - `unsupported`: well formed but unknown (spec 400 `M_INCOMPATIBLE_ROOM_VERSION`, Synapse `M_UNSUPPORTED_ROOM_VERSION`).
 * - `invalid_rules`: a rules object that does not have the {@link RoomVersionRules} shape.
 * - `conflicts_with_known`: {@link defineRoomVersion} was asked to redefine a built-in version.
 */
export type RoomVersionErrorReason =
  | 'invalid_grammar'
  | 'unsupported'
  | 'invalid_rules'
  | 'conflicts_with_known';

/**
 * A room version problem. `roomVersion` is the offending identifier when it was a string.
 *
 * @category Room versions
 */
export interface RoomVersionError extends LibraryError<'RoomVersionError', RoomVersionErrorReason> {
  /** The identifier concerned, when it was a string. */
  readonly roomVersion?: string;
}

function roomVersionError(
  reason: RoomVersionErrorReason,
  message: string,
  roomVersion?: string,
): RoomVersionError {
  return roomVersion === undefined
    ? { kind: 'RoomVersionError', reason, message, path: [] }
    : { kind: 'RoomVersionError', reason, message, path: [], roomVersion };
}

// ---------------------------------------------------------------------------------------------------------------
// Lookup

/** Longest allowed identifier: "MUST NOT exceed 32 codepoints" (https://spec.matrix.org/v1.19/rooms/#room-version-grammar). */
export const MAX_ROOM_VERSION_LENGTH = 32;

/**
 * True when `id` matches the room version grammar: 1-32 characters of `a-z`, `0-9`, `-`, `.`
 * (https://spec.matrix.org/v1.19/rooms/#room-version-grammar). Upper case is rejected (ruma allows it, the spec does not).
 *
 * @example isValidRoomVersionId('org.matrix.msc3757.10') // true
 * @example isValidRoomVersionId('V10') // false
 */
export function isValidRoomVersionId(id: unknown): id is string {
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ROOM_VERSION_LENGTH) return false;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    const ok = (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e;
    if (!ok) return false;
  }
  return true;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Options of {@link getRoomVersion}. */
export interface GetRoomVersionOptions {
  /** Custom versions (built with {@link defineRoomVersion}) to look identifiers up in, after the built-in ones. */
  readonly custom?: readonly RoomVersionRules[];
}

/**
 * The rules of a room version: the one place every function of this library turns "a version identifier or a rules
 * object" into rules. Never throws.
 *
 * - An identifier is checked against the grammar first (`invalid_grammar`), then looked up: the built-in versions,
 *   then `custom` (`unsupported` when it is in neither).
 * - A rules object is checked for the {@link RoomVersionRules} shape (`invalid_rules`); the built-ins and
 *   {@link defineRoomVersion} results are trusted without a check.
 *
 * @example getRoomVersion('10') // Right(rules of room version 10)
 * @example getRoomVersion(ROOM_VERSIONS['12']) // Right(the same object)
 * @example getRoomVersion('13') // Left({ reason: 'unsupported', roomVersion: '13' })
 * @example getRoomVersion('org.example.v12-no-hash-ids', { custom: [myVersion] }) // Right(myVersion)
 *
 * @category Room versions
 */
export function getRoomVersion(
  roomVersion: RoomVersionInput,
  options: GetRoomVersionOptions = {},
): E.Either<RoomVersionError, RoomVersionRules> {
  // Untyped callers may pass anything: the function never throws.
  const value: unknown = roomVersion;
  if (typeof value === 'object' && value !== null) {
    if (TRUSTED.has(value)) return E.right(value as RoomVersionRules);
    const problem = rulesProblem(value);
    return problem === undefined
      ? E.right(value as RoomVersionRules)
      : E.left(roomVersionError('invalid_rules', `invalid room version rules: ${problem}`));
  }
  if (!isValidRoomVersionId(value)) {
    return E.left(
      roomVersionError(
        'invalid_grammar',
        `room version must be 1-32 characters of [a-z0-9.-], got ${describe(value)}`,
        typeof value === 'string' ? value : undefined,
      ),
    );
  }
  if (Object.hasOwn(ROOM_VERSIONS, value)) return E.right(ROOM_VERSIONS[value] as RoomVersionRules);
  let custom: unknown;
  try {
    custom = typeof options === 'object' && options !== null ? options.custom : undefined;
  } catch {
    custom = undefined; // options that cannot be read: no custom versions
  }
  if (custom !== undefined && Array.isArray(custom)) {
    for (const rules of custom) {
      if (isRulesLike(rules) && idOf(rules) === value) return getRoomVersion(rules);
    }
  }
  return E.left(roomVersionError('unsupported', `unsupported room version ${JSON.stringify(value)}`, value));
}

// ---------------------------------------------------------------------------------------------------------------
// Custom versions

/** What {@link defineRoomVersion} may change: a new `id`, and any other rule. */
export type RoomVersionOverrides = {
  /** The new version's identifier: must match the room version grammar and not be a built-in version. */
  readonly id: string;
} & Partial<Omit<RoomVersionRules, 'id'>>;

/**
 * Builds a custom (by default `unstable`) room version from a base version and overrides, e.g. an experimental
 * version that behaves like 12 with another redaction table. The identifier must match the grammar and must not
 * be a built-in version. The result is a new deep-frozen object; the inputs are not frozen or changed.
 *
 * @example
 * const v = defineRoomVersion('12', { id: 'org.example.v12-no-hash-ids', roomIdFormat: 'server' });
 * getRoomVersion('org.example.v12-no-hash-ids', { custom: E.isRight(v) ? [v.right] : [] });
 */
export function defineRoomVersion(
  base: RoomVersionInput,
  overrides: RoomVersionOverrides,
): E.Either<RoomVersionError, RoomVersionRules> {
  const resolved = getRoomVersion(base);
  if (E.isLeft(resolved)) return resolved;
  if (typeof overrides !== 'object' || overrides === null) {
    return E.left(roomVersionError('invalid_rules', 'overrides must be an object with an id'));
  }
  const id: unknown = idOf(overrides as RoomVersionRules);
  if (!isValidRoomVersionId(id)) {
    return E.left(
      roomVersionError(
        'invalid_grammar',
        `room version must be 1-32 characters of [a-z0-9.-], got ${describe(id)}`,
        typeof id === 'string' ? id : undefined,
      ),
    );
  }
  if (Object.hasOwn(ROOM_VERSIONS, id)) {
    return E.left(
      roomVersionError('conflicts_with_known', `room version ${JSON.stringify(id)} is built in`, id),
    );
  }
  let candidate: RoomVersionRules;
  try {
    // Copy so that freezing never touches the caller's objects.
    candidate = structuredClone({ ...resolved.right, stability: 'unstable', ...overrides });
  } catch {
    return E.left(roomVersionError('invalid_rules', 'overrides must be plain data', id));
  }
  const problem = rulesProblem(candidate);
  if (problem !== undefined) {
    return E.left(roomVersionError('invalid_rules', `invalid room version rules: ${problem}`, id));
  }
  const frozen = freeze(candidate);
  TRUSTED.add(frozen);
  return E.right(frozen);
}

// ---------------------------------------------------------------------------------------------------------------
// Shape checks (for rules objects coming from untyped callers)

function isRulesLike(value: unknown): value is RoomVersionRules {
  return typeof value === 'object' && value !== null;
}

/** A rules object's `id`, or `undefined` when it cannot be read (a throwing getter or Proxy). */
function idOf(rules: RoomVersionRules): unknown {
  try {
    return rules.id;
  } catch {
    return undefined;
  }
}

const isStringArray = (value: unknown): value is readonly string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

function keepListProblem(list: unknown): string | undefined {
  if (list === 'all') return undefined;
  if (!Array.isArray(list)) return 'must be "all" or an array';
  for (const entry of list) {
    if (typeof entry === 'string') continue;
    if (
      typeof entry !== 'object' ||
      entry === null ||
      typeof (entry as { key?: unknown }).key !== 'string' ||
      !isStringArray((entry as { keep?: unknown }).keep)
    ) {
      return 'entries must be strings or { key, keep: string[] }';
    }
  }
  return undefined;
}

function redactionProblem(redaction: unknown): string | undefined {
  if (typeof redaction !== 'object' || redaction === null) return 'redaction must be an object';
  const r = redaction as Partial<Record<keyof RedactionRules, unknown>>;
  if (typeof r.name !== 'string') return 'redaction.name must be a string';
  if (!isStringArray(r.topLevelKeys)) return 'redaction.topLevelKeys must be an array of strings';
  if (typeof r.contentKeys !== 'object' || r.contentKeys === null || Array.isArray(r.contentKeys)) {
    return 'redaction.contentKeys must be an object';
  }
  for (const type of Object.keys(r.contentKeys)) {
    const problem = keepListProblem((r.contentKeys as Record<string, unknown>)[type]);
    if (problem !== undefined) return `redaction.contentKeys[${JSON.stringify(type)}] ${problem}`;
  }
  const dropped = r.topLevelKeysDroppedByType;
  if (dropped === undefined) return undefined;
  if (typeof dropped !== 'object' || dropped === null || Array.isArray(dropped)) {
    return 'redaction.topLevelKeysDroppedByType must be an object';
  }
  for (const type of Object.keys(dropped)) {
    if (!isStringArray((dropped as Record<string, unknown>)[type])) {
      return `redaction.topLevelKeysDroppedByType[${JSON.stringify(type)}] must be an array of strings`;
    }
  }
  return undefined;
}

const oneOf = (value: unknown, allowed: readonly string[]): boolean =>
  typeof value === 'string' && allowed.includes(value);

const isCount = (value: unknown): boolean =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** Describes the first problem with a rules object, or `undefined` when it has the right shape. Never throws. */
function rulesProblem(value: unknown): string | undefined {
  try {
    return readRulesProblem(value);
  } catch (error) {
    return `it cannot be read (${error instanceof Error ? error.message : 'a hostile object'})`;
  }
}

function readRulesProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const r = value as Partial<Record<keyof RoomVersionRules, unknown>>;
  if (!isValidRoomVersionId(r.id)) return 'id must be 1-32 characters of [a-z0-9.-]';
  if (!oneOf(r.stability, ['stable', 'unstable'])) return 'stability must be "stable" or "unstable"';
  if (!oneOf(r.eventIdFormat, ['v1', 'v3', 'v4'])) return 'eventIdFormat must be v1, v3 or v4';
  if (!oneOf(r.roomIdFormat, ['server', 'create-event-hash'])) return 'roomIdFormat is invalid';
  if (!oneOf(r.pduFormat, ['v1', 'v3', 'v12'])) return 'pduFormat must be v1, v3 or v12';
  const redaction = redactionProblem(r.redaction);
  if (redaction !== undefined) return redaction;
  if (typeof r.strictCanonicalJson !== 'boolean') return 'strictCanonicalJson must be a boolean';
  if (typeof r.enforceKeyValidity !== 'boolean') return 'enforceKeyValidity must be a boolean';
  if (typeof r.maxDepth !== 'bigint' || r.maxDepth < 0n) return 'maxDepth must be a non-negative bigint';
  const signers = r.signers as
    | { eventIdDomain?: unknown; restrictedJoinAuthoriser?: unknown }
    | null
    | undefined;
  if (
    typeof signers !== 'object' ||
    signers === null ||
    typeof signers.eventIdDomain !== 'boolean' ||
    typeof signers.restrictedJoinAuthoriser !== 'boolean'
  ) {
    return 'signers must be { eventIdDomain: boolean, restrictedJoinAuthoriser: boolean }';
  }
  if (!isCount(r.maxAuthEvents) || !isCount(r.maxPrevEvents)) {
    return 'maxAuthEvents and maxPrevEvents must be non-negative integers';
  }
  return undefined;
}
