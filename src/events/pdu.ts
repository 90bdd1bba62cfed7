/**
 * PDU shape per room version, as io-ts codecs (spec server-server API [PDUs](https://spec.matrix.org/v1.19/server-server-api/#pdus)
 * and the "Event format" of each room version page).
 *
 * - `PduV1Codec` (rooms 1-2): `event_id` required; `auth_events`/`prev_events` are `[event_id, {sha256}]` pairs.
 * - `PduV3Codec` (rooms 3-11): plain event ID lists; `event_id` must be absent.
 * - `PduV12Codec` (room 12): as v3, `room_id` must start with `!` and is absent only (and always) on `m.room.create`.
 *
 * Required everywhere: `type` (string), `content` (object), `sender` (string), `origin_server_ts` (integer),
 * `depth` (integer, 0 <= depth <= the version's maximum), `hashes` (object of strings with `sha256`), `signatures`
 * (object of objects of strings), `room_id` (string), `auth_events` (<= 10), `prev_events` (<= 20). Optional:
 * `state_key` (string), `unsigned` (object). Unknown fields are kept: the codecs never strip or copy.
 *
 * Numbers follow the library's JSON model: integers are `number` (safe) or `bigint`; a {@link JsonFloat} (`1.0`,
 * `1e2`) is never an integer, and booleans are not integers (unlike Python's `bool`).
 */
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import type { JsonPath, LibraryError } from '../errors/base.js';
import { errorText } from '../errors/describe.js';
import { checkStrictCanonicalJson } from '../json/canonical.js';
import { getOwn, isJsonObject, type JsonArray, type JsonObject } from '../json/value.js';
import type { PduFormat, RoomVersionInput, RoomVersionRules } from '../room-versions/rules.js';
import { getRoomVersion } from '../room-versions/versions.js';

/**
 * Why an event does not have the PDU shape of its room version. At /invite every one becomes `invalid_pdu`
 * (`src/invite/receive/validate.ts`), mapped to a Matrix error by `src/errors/matrix.ts`.
 */
export type PduErrorReason =
  /** A caller error: the event, the rules or the options cannot be read (a throwing getter or Proxy). */
  | 'invalid_input'
  | 'not_an_object'
  | 'unknown_room_version'
  /** Strict canonical JSON (rooms 6+): a float, `-0`, or an integer outside +/-(2^53-1) anywhere in the event. */
  | 'not_canonical_json'
  | 'missing_field'
  | 'wrong_type'
  | 'not_an_integer'
  | 'depth_out_of_range'
  | 'missing_sha256'
  | 'too_many_auth_events'
  | 'too_many_prev_events'
  | 'invalid_event_reference'
  /** Rooms 3+ derive the event ID; an `event_id` key is refused (Synapse: "Invalid event JSON"). */
  | 'event_id_not_allowed'
  /** Room 12 `m.room.create` has no `room_id`. */
  | 'room_id_not_allowed'
  /** Room 12 `room_id` must start with `!`. */
  | 'invalid_room_id';

/** One shape violation. */
export interface PduIssue {
  /** The machine reason of this violation. */
  readonly reason: PduErrorReason;
  /** A human explanation prefixed with the JSONPath-like location, e.g. `$.depth: depth -1 is outside 0..N`. */
  readonly message: string;
  /** Where in the event the violation is (keys and indices, outermost first); empty for the whole event. */
  readonly path: JsonPath;
}

/** Why an event does not have the PDU shape of its room version; `issues` lists every violation found. */
export interface PduError extends LibraryError<'PduError', PduErrorReason> {
  /** Every violation found, in report order, duplicates removed; the error's own fields are the first one's. */
  readonly issues: readonly PduIssue[];
}

/**
 * A PDU of any room version after {@link validatePduShape}: the original object, typed.
 *
 * @category Sending
 */
export interface Pdu extends JsonObject {
  /** The event type, e.g. `m.room.member`. */
  readonly type: string;
  /** The state key: present on state events (for a membership, the user ID it is about). */
  readonly state_key?: string;
  /** The room ID: absent only on a room version 12 `m.room.create` (its room ID derives from its event ID). */
  readonly room_id?: string;
  /** Rooms 1-2 only: the event ID (`$opaque:server`); later versions derive it from the reference hash. */
  readonly event_id?: string;
  /** The event content, a JSON object. */
  readonly content: JsonObject;
  /** The user ID of the sender, as sent (its format is not checked here). */
  readonly sender: string;
  /** Milliseconds since the Unix epoch on the origin server: an integer, `bigint` beyond 2^53-1. */
  readonly origin_server_ts: number | bigint;
  /** The event's depth in the room DAG: an integer from 0 to the room version's maximum. */
  readonly depth: number | bigint;
  /** Content hashes by algorithm (unpadded base64); `sha256` is always present. */
  readonly hashes: { readonly sha256: string; readonly [algorithm: string]: string };
  /** Signatures: server name -> key ID (`ed25519:...`) -> unpadded base64 signature. */
  readonly signatures: { readonly [server: string]: { readonly [keyId: string]: string } };
  /** Plain event IDs (rooms 3+) or `[event_id, {sha256}]` pairs (rooms 1-2). */
  readonly auth_events: JsonArray;
  /** The previous events: same format as `auth_events`, at most the room version's limit (20). */
  readonly prev_events: JsonArray;
  /** Data outside every hash and signature (e.g. v1 invites' `invite_room_state`). */
  readonly unsigned?: JsonObject;
}

// Failure messages carry their reason as `reason|text`, decoded by the reporter.
const fail = (u: unknown, c: t.Context, reason: PduErrorReason, text: string): t.Validation<never> =>
  t.failure(u, c, `${reason}|${text}`);

const describe = (u: unknown): string => {
  if (u === undefined) return 'nothing';
  if (u === null) return 'null';
  if (Array.isArray(u)) return 'an array';
  if (typeof u === 'object') return isJsonObject(u) ? 'an object' : 'a float';
  return `a ${typeof u}`;
};

const typeFailure = (u: unknown, c: t.Context, expected: string): t.Validation<never> =>
  u === undefined
    ? fail(u, c, 'missing_field', `missing (${expected})`)
    : fail(u, c, 'wrong_type', `expected ${expected}, got ${describe(u)}`);

/** A string. */
export const StringC = new t.Type<string, string, unknown>(
  'string',
  (u): u is string => typeof u === 'string',
  (u, c) => (typeof u === 'string' ? t.success(u) : typeFailure(u, c, 'a string')),
  t.identity,
);

/** A JSON object (not an array, not null, not a float). */
export const JsonObjectC = new t.Type<JsonObject, JsonObject, unknown>(
  'JsonObject',
  isJsonObject,
  (u, c) => (isJsonObject(u) ? t.success(u) : typeFailure(u, c, 'an object')),
  t.identity,
);

const isInteger = (u: unknown): u is number | bigint =>
  typeof u === 'bigint' || (typeof u === 'number' && Number.isInteger(u));

/** A JSON integer: a safe-integer `number` or a `bigint`. Floats (`JsonFloat`, `1.5`) and booleans are not. */
export const IntegerC = new t.Type<number | bigint, number | bigint, unknown>(
  'integer',
  isInteger,
  (u, c) => {
    if (isInteger(u)) return t.success(u);
    return u === undefined
      ? typeFailure(u, c, 'an integer')
      : fail(u, c, 'not_an_integer', `expected an integer, got ${describe(u)}`);
  },
  t.identity,
);

/** `depth`: an integer in `0..maxDepth` (bigint-aware). */
export function depthCodec(maxDepth: bigint): t.Type<number | bigint, number | bigint, unknown> {
  return new t.Type<number | bigint, number | bigint, unknown>(
    'depth',
    (u): u is number | bigint => isInteger(u) && BigInt(u) >= 0n && BigInt(u) <= maxDepth,
    (u, c) => {
      const integer = IntegerC.validate(u, c);
      if (E.isLeft(integer)) return integer;
      const value = BigInt(integer.right);
      if (value < 0n || value > maxDepth)
        return fail(u, c, 'depth_out_of_range', `depth ${value} is outside 0..${maxDepth}`);
      return t.success(integer.right);
    },
    t.identity,
  );
}

/** An object whose values are all strings; `required` keys must be present. */
function stringMapCodec(
  name: string,
  required: readonly { key: string; reason: PduErrorReason }[] = [],
): t.Type<{ readonly [k: string]: string }, JsonObject, unknown> {
  const is = (u: unknown): u is { readonly [k: string]: string } =>
    isJsonObject(u) &&
    Object.values(u).every((v) => typeof v === 'string') &&
    required.every((r) => Object.hasOwn(u, r.key));
  return new t.Type<{ readonly [k: string]: string }, JsonObject, unknown>(
    name,
    is,
    (u, c) => {
      if (!isJsonObject(u)) return typeFailure(u, c, 'an object of strings');
      const errors: t.ValidationError[] = [];
      for (const r of required) {
        if (!Object.hasOwn(u, r.key)) {
          errors.push({ value: u, context: c, message: `${r.reason}|${name} has no ${r.key}` });
        }
      }
      for (const key of Object.keys(u)) {
        const value = getOwn(u, key);
        if (typeof value !== 'string') {
          const ctx = t.appendContext(c, key, StringC, value);
          errors.push({
            value,
            context: ctx,
            message: `wrong_type|expected a string, got ${describe(value)}`,
          });
        }
      }
      return errors.length > 0 ? t.failures(errors) : t.success(u as { readonly [k: string]: string });
    },
    t.identity,
  );
}

/** `hashes`: an object of strings with a `sha256` entry. */
export const HashesC = stringMapCodec('hashes', [{ key: 'sha256', reason: 'missing_sha256' }]);
const KeyIdToSignatureC = stringMapCodec('signatures of a server');

/** `signatures`: an object of objects of strings (server name -> key ID -> signature). */
export const SignaturesC = new t.Type<
  { readonly [server: string]: { readonly [keyId: string]: string } },
  JsonObject,
  unknown
>(
  'signatures',
  (u): u is { readonly [server: string]: { readonly [keyId: string]: string } } =>
    isJsonObject(u) && Object.values(u).every((v) => KeyIdToSignatureC.is(v)),
  (u, c) => {
    if (!isJsonObject(u)) return typeFailure(u, c, 'an object of objects of strings');
    const errors: t.ValidationError[] = [];
    for (const server of Object.keys(u)) {
      const value = getOwn(u, server);
      const result = KeyIdToSignatureC.validate(value, t.appendContext(c, server, KeyIdToSignatureC, value));
      if (E.isLeft(result)) errors.push(...result.left);
    }
    return errors.length > 0
      ? t.failures(errors)
      : t.success(u as { readonly [server: string]: { readonly [keyId: string]: string } });
  },
  t.identity,
);

/** A room 1-2 event reference: exactly `[event_id, {sha256: ...}]` (an object of strings). */
const EventRefPairC = new t.Type<readonly [string, JsonObject], readonly unknown[], unknown>(
  'event reference pair',
  (u): u is readonly [string, JsonObject] =>
    Array.isArray(u) && u.length === 2 && typeof u[0] === 'string' && HashesC.is(u[1]),
  (u, c) => {
    if (!Array.isArray(u) || u.length !== 2) {
      return fail(u, c, 'invalid_event_reference', 'expected an [event_id, {"sha256": hash}] pair');
    }
    const errors: t.ValidationError[] = [];
    const id = StringC.validate(u[0], t.appendContext(c, '0', StringC, u[0]));
    if (E.isLeft(id)) errors.push(...id.left);
    const hashes = HashesC.validate(u[1], t.appendContext(c, '1', HashesC, u[1]));
    if (E.isLeft(hashes)) errors.push(...hashes.left);
    return errors.length > 0 ? t.failures(errors) : t.success(u as unknown as readonly [string, JsonObject]);
  },
  (a) => a,
);

/** A bounded list of event references (`auth_events`, `prev_events`). */
function refListCodec(
  name: 'auth_events' | 'prev_events',
  item: t.Mixed,
  max: number,
): t.Type<readonly unknown[], readonly unknown[], unknown> {
  const reason: PduErrorReason = name === 'auth_events' ? 'too_many_auth_events' : 'too_many_prev_events';
  return new t.Type<readonly unknown[], readonly unknown[], unknown>(
    name,
    (u): u is readonly unknown[] => Array.isArray(u) && u.length <= max && u.every((x) => item.is(x)),
    (u, c) => {
      if (!Array.isArray(u)) return typeFailure(u, c, 'an array');
      const errors: t.ValidationError[] = [];
      if (u.length > max)
        errors.push({
          value: u,
          context: c,
          message: `${reason}|${u.length} entries, at most ${max} allowed`,
        });
      u.forEach((x, i) => {
        const result = item.validate(x, t.appendContext(c, String(i), item, x));
        if (E.isLeft(result)) errors.push(...result.left);
      });
      return errors.length > 0 ? t.failures(errors) : t.success(u);
    },
    t.identity,
  );
}

/** Limits a PDU codec depends on; {@link RoomVersionRules} satisfies it. */
export interface PduCodecParams {
  /** The event format: `v1` (rooms 1-2), `v3` (rooms 3-11) or `v12` (room 12). */
  readonly pduFormat: PduFormat;
  /** The largest allowed `depth`, inclusive. */
  readonly maxDepth: bigint;
  /** The most `auth_events` entries allowed (10 in every shipped room version). */
  readonly maxAuthEvents: number;
  /** The most `prev_events` entries allowed (20 in every shipped room version). */
  readonly maxPrevEvents: number;
}

/** A codec that refuses every value, for parameters that are not valid (the caller's mistake, said in each issue). */
function refuseAll(why: string): t.Type<Pdu, JsonObject, unknown> {
  return new t.Type<Pdu, JsonObject, unknown>(
    'InvalidPduCodec',
    (u): u is Pdu => false,
    (u, c) => t.failure(u, c, `unknown_room_version|${why}`),
    (a) => a,
  );
}

/** The codec parameters read once as plain values, or why they cannot be used. */
function readCodecParams(params: PduCodecParams): PduCodecParams | string {
  try {
    if (typeof params !== 'object' || params === null) return 'the PDU codec parameters are not an object';
    const { pduFormat, maxDepth, maxAuthEvents, maxPrevEvents } = params;
    if (pduFormat !== 'v1' && pduFormat !== 'v3' && pduFormat !== 'v12')
      return 'pduFormat must be v1, v3 or v12';
    if (typeof maxDepth !== 'bigint') return 'maxDepth must be a bigint';
    if (typeof maxAuthEvents !== 'number' || typeof maxPrevEvents !== 'number') {
      return 'maxAuthEvents and maxPrevEvents must be numbers';
    }
    return { pduFormat, maxDepth, maxAuthEvents, maxPrevEvents };
  } catch (error) {
    return `the PDU codec parameters cannot be read: ${errorText(error)}`;
  }
}

/**
 * Builds the PDU codec for an event format and its limits. The decoded value is the input object itself. Never
 * throws: parameters that cannot be used give a codec refusing every value with `unknown_room_version`.
 */
export function makePduCodec(rawParams: PduCodecParams): t.Type<Pdu, JsonObject, unknown> {
  const params = readCodecParams(rawParams);
  if (typeof params === 'string') return refuseAll(params);
  const ref = params.pduFormat === 'v1' ? EventRefPairC : StringC;
  const required: t.Props = {
    type: StringC,
    content: JsonObjectC,
    sender: StringC,
    origin_server_ts: IntegerC,
    depth: depthCodec(params.maxDepth),
    hashes: HashesC,
    signatures: SignaturesC,
    auth_events: refListCodec('auth_events', ref, params.maxAuthEvents),
    prev_events: refListCodec('prev_events', ref, params.maxPrevEvents),
  };
  const optional: t.Props = { state_key: StringC, unsigned: JsonObjectC };
  if (params.pduFormat === 'v1') {
    required.event_id = StringC;
    required.room_id = StringC;
  } else if (params.pduFormat === 'v3') {
    required.room_id = StringC;
  } else {
    optional.room_id = StringC;
  }
  const inner = t.intersection([t.type(required), t.partial(optional)]);
  const name = `Pdu${params.pduFormat.toUpperCase()}`;
  const validate = (u: unknown, c: t.Context): t.Validation<Pdu> => {
    if (!isJsonObject(u)) return typeFailure(u, c, 'an object');
    const errors: t.ValidationError[] = [];
    const shape = inner.validate(u, t.appendContext(c, '', inner, u));
    if (E.isLeft(shape)) errors.push(...shape.left);
    const here = (key: string) => t.appendContext(c, key, StringC, getOwn(u, key));
    if (params.pduFormat !== 'v1' && Object.hasOwn(u, 'event_id')) {
      errors.push({
        value: getOwn(u, 'event_id'),
        context: here('event_id'),
        message: 'event_id_not_allowed|event_id must be absent: the event ID is the reference hash',
      });
    }
    if (params.pduFormat === 'v12') {
      const isCreate = getOwn(u, 'type') === 'm.room.create';
      const roomId = getOwn(u, 'room_id');
      if (isCreate && Object.hasOwn(u, 'room_id')) {
        errors.push({
          value: roomId,
          context: here('room_id'),
          message: 'room_id_not_allowed|m.room.create has no room_id',
        });
      } else if (!isCreate && !Object.hasOwn(u, 'room_id')) {
        errors.push({
          value: undefined,
          context: here('room_id'),
          message: 'missing_field|missing (a string)',
        });
      } else if (typeof roomId === 'string' && !roomId.startsWith('!')) {
        errors.push({
          value: roomId,
          context: here('room_id'),
          message: 'invalid_room_id|room_id must start with !',
        });
      }
    }
    return errors.length > 0 ? t.failures(errors) : t.success(u as Pdu);
  };
  return new t.Type<Pdu, JsonObject, unknown>(
    name,
    (u): u is Pdu => E.isRight(validate(u, [])),
    validate,
    t.identity,
  );
}

/*
 * The happy path without io-ts: a plain predicate accepting exactly what the codec of the same parameters accepts
 * (checked against it on random events in test/events/pdu.test.ts). io-ts then runs only to report a rejection,
 * with every issue and its path; building its intermediate results for every valid event cost about a microsecond.
 */

function isStringMap(u: unknown, required?: string): boolean {
  if (!isJsonObject(u)) return false;
  for (const key of Object.keys(u)) if (typeof u[key] !== 'string') return false;
  return required === undefined || Object.hasOwn(u, required);
}

function isSignatures(u: unknown): boolean {
  if (!isJsonObject(u)) return false;
  for (const server of Object.keys(u)) if (!isStringMap(u[server])) return false;
  return true;
}

function isRefList(u: unknown, pairs: boolean, max: number): boolean {
  if (!Array.isArray(u) || u.length > max) return false;
  for (const item of u as readonly unknown[]) {
    if (pairs) {
      if (!Array.isArray(item) || item.length !== 2 || typeof item[0] !== 'string') return false;
      if (!isStringMap(item[1], 'sha256')) return false;
    } else if (typeof item !== 'string') return false;
  }
  return true;
}

/** True when the codec {@link makePduCodec} of `params` would accept `u` (without building its report). */
export function conformsToPdu(u: unknown, params: PduCodecParams): u is Pdu {
  if (!isJsonObject(u)) return false;
  const depth = u.depth;
  const roomId = u.room_id;
  const stateKey = u.state_key;
  const unsigned = u.unsigned;
  const v1 = params.pduFormat === 'v1';
  if (
    typeof u.type !== 'string' ||
    !isJsonObject(u.content) ||
    typeof u.sender !== 'string' ||
    !isInteger(u.origin_server_ts) ||
    !isInteger(depth) ||
    depth < 0 ||
    depth > params.maxDepth ||
    !isStringMap(u.hashes, 'sha256') ||
    !isSignatures(u.signatures) ||
    !isRefList(u.auth_events, v1, params.maxAuthEvents) ||
    !isRefList(u.prev_events, v1, params.maxPrevEvents) ||
    (stateKey !== undefined && typeof stateKey !== 'string') ||
    (unsigned !== undefined && !isJsonObject(unsigned))
  ) {
    return false;
  }
  if (v1) return typeof u.event_id === 'string' && typeof roomId === 'string';
  if (Object.hasOwn(u, 'event_id')) return false;
  if (params.pduFormat === 'v3') return typeof roomId === 'string';
  // v12: `room_id` absent exactly on m.room.create, else a string starting with `!`.
  if (u.type === 'm.room.create') return !Object.hasOwn(u, 'room_id');
  // (An own `room_id` holding `undefined` passes the codec's optional member: only caller-built objects have one.)
  return (
    Object.hasOwn(u, 'room_id') &&
    (roomId === undefined || (typeof roomId === 'string' && roomId.startsWith('!')))
  );
}

const TWO_63 = 2n ** 63n - 1n;
const TWO_53 = 2n ** 53n - 1n;

/** Rooms 1-2 (`event_id`, reference pairs); depth bound 2^63-1. */
export const PduV1Codec = makePduCodec({
  pduFormat: 'v1',
  maxDepth: TWO_63,
  maxAuthEvents: 10,
  maxPrevEvents: 20,
});
/** Rooms 3-11 (plain reference lists, no `event_id`); depth bound 2^63-1 (rooms 6+ tighten it: use the rules). */
export const PduV3Codec = makePduCodec({
  pduFormat: 'v3',
  maxDepth: TWO_63,
  maxAuthEvents: 10,
  maxPrevEvents: 20,
});
/** Room 12 (as v3; `m.room.create` has no `room_id`); depth bound 2^53-1. */
export const PduV12Codec = makePduCodec({
  pduFormat: 'v12',
  maxDepth: TWO_53,
  maxAuthEvents: 10,
  maxPrevEvents: 20,
});

const codecCache = new WeakMap<RoomVersionRules, t.Type<Pdu, JsonObject, unknown>>();

/** The PDU codec of a room version (cached per rules object; rules that cannot be used give a refusing codec). */
export function pduCodecFor(rules: RoomVersionRules): t.Type<Pdu, JsonObject, unknown> {
  if (typeof rules !== 'object' || rules === null)
    return refuseAll('the room version rules are not an object');
  let codec = codecCache.get(rules);
  if (codec === undefined) {
    codec = makePduCodec(rules);
    codecCache.set(rules, codec);
  }
  return codec;
}

/**
 * Turns an io-ts context into a JSON path (intersection/union member indices are not path segments). Never throws:
 * what is not an io-ts context gives the path read so far.
 */
export function contextToPath(context: t.Context): JsonPath {
  const path: (string | number)[] = [];
  try {
    for (let i = 1; i < context.length; i++) {
      const entry = context[i] as t.ContextEntry;
      const parent = context[i - 1] as t.ContextEntry;
      const tag = (parent.type as { _tag?: string })._tag;
      if (tag === 'IntersectionType' || tag === 'UnionType' || entry.key === '') continue;
      path.push(Array.isArray(parent.actual) && /^\d+$/.test(entry.key) ? Number(entry.key) : entry.key);
    }
  } catch {
    // Not an io-ts context.
  }
  return path;
}

/** Short, human-readable report of io-ts errors: `$.path: message` per line. */
export function reportPduIssues(errors: t.Errors): PduIssue[] {
  const seen = new Set<string>();
  const issues: PduIssue[] = [];
  if (!Array.isArray(errors)) return issues;
  for (const error of errors) {
    if (typeof error !== 'object' || error === null) continue;
    const path = contextToPath(error.context);
    const raw = error.message ?? `wrong_type|invalid value`;
    const bar = raw.indexOf('|');
    const reason = (bar > 0 ? raw.slice(0, bar) : 'wrong_type') as PduErrorReason;
    const text = bar > 0 ? raw.slice(bar + 1) : raw;
    const key = `${JSON.stringify(path)}|${reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ reason, message: `${formatPath(path)}: ${text}`, path });
  }
  return issues;
}

function formatPath(path: JsonPath): string {
  let out = '$';
  for (const segment of path)
    out +=
      typeof segment === 'number'
        ? `[${segment}]`
        : /^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)
          ? `.${segment}`
          : `[${JSON.stringify(segment)}]`;
  return out;
}

/** Options of {@link validatePduShape}. */
export interface ValidatePduOptions {
  /**
   * Override the depth bound. Synapse bounds `depth` to 2^53-1 in every room version (stricter than the spec's
   * 2^63-1 for rooms 1-5); pass `2n ** 53n - 1n` to match it.
   */
  readonly maxDepth?: bigint;
  /** Override whether strict canonical JSON is enforced (default: the room version's rule, rooms 6+). */
  readonly strictCanonicalJson?: boolean;
}

/** What {@link validatePduShape} checks. */
export interface ValidatePduShapeParams extends ValidatePduOptions {
  /** The event, any value (it is checked, not trusted). */
  readonly event: unknown;
  /** The room's version (`"10"`) or rules: they choose the PDU format and limits. */
  readonly roomVersion: RoomVersionInput;
}

function pduError(issues: readonly PduIssue[]): PduError {
  const first = issues[0] as PduIssue;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return {
    kind: 'PduError',
    reason: first.reason,
    message: `${first.message}${more}`,
    path: first.path,
    issues,
  };
}

/**
 * Validates the PDU shape of an event for its room version (spec server-server API
 * [PDUs](https://spec.matrix.org/v1.19/server-server-api/#pdus) and the room version pages): strict canonical JSON
 * (rooms 6+, whole event including `unsigned`), then the fields, their types and limits. Returns the input object
 * itself, typed as {@link Pdu}; unknown keys are kept. Every violation is listed in `issues`.
 *
 * @example validatePduShape({ event, roomVersion: '10' }) // Right(event) or Left({ reason: 'depth_out_of_range', path: ['depth'] })
 */
export function validatePduShape(params: ValidatePduShapeParams): E.Either<PduError, Pdu> {
  if (typeof params !== 'object' || params === null) {
    return E.left(
      pduError([
        { reason: 'invalid_input', message: 'validatePduShape takes { event, roomVersion }', path: [] },
      ]),
    );
  }
  try {
    const { event, roomVersion, ...options } = params;
    const resolved = getRoomVersion(roomVersion);
    if (E.isLeft(resolved)) {
      return E.left(pduError([{ reason: 'unknown_room_version', message: resolved.left.message, path: [] }]));
    }
    const rules = resolved.right;
    if (!isJsonObject(event)) {
      return E.left(
        pduError([{ reason: 'not_an_object', message: 'event must be a JSON object', path: [] }]),
      );
    }
    if (options.strictCanonicalJson ?? rules.strictCanonicalJson) {
      const strict = checkStrictCanonicalJson(event);
      if (E.isLeft(strict)) {
        return E.left(
          pduError([
            {
              reason: 'not_canonical_json',
              message: `${formatPath(strict.left.path)}: ${strict.left.message}`,
              path: strict.left.path,
            },
          ]),
        );
      }
    }
    // The rules were shape-checked by getRoomVersion; a `maxDepth` option is read as makePduCodec reads it.
    const codecParams: PduCodecParams | string =
      options.maxDepth === undefined
        ? rules
        : readCodecParams({ ...rules, pduFormat: rules.pduFormat, maxDepth: options.maxDepth });
    if (typeof codecParams !== 'string' && conformsToPdu(event, codecParams)) return E.right(event);
    // Rejected: io-ts builds the report (every issue, with its path).
    const codec =
      options.maxDepth === undefined
        ? pduCodecFor(rules)
        : makePduCodec({ ...rules, pduFormat: rules.pduFormat, maxDepth: options.maxDepth });
    const result = codec.validate(event, [{ key: '', type: codec, actual: event }]);
    return E.isLeft(result) ? E.left(pduError(reportPduIssues(result.left))) : E.right(result.right);
  } catch (error) {
    return E.left({
      kind: 'PduError',
      reason: 'invalid_input',
      message: `cannot check the event: ${errorText(error)}`,
      path: [],
      issues: [],
    });
  }
}
