/**
 * The redaction algorithm (spec: "Redactions" in each room version page, https://spec.matrix.org/v1.19/rooms/v11/#redactions;
 * the table of each room version). Redaction decides what event signatures and reference hashes (event IDs) cover, so it is
 * driven only by the room version's keep-list tables ({@link RedactionRules}); there is no per-version branch here.
 */
import * as E from 'fp-ts/lib/Either.js';
import { errorText } from '../errors/describe.js';
import {
  isJsonObject,
  type JsonObject,
  type JsonObjectInput,
  type JsonValue,
  type MutableJsonObject,
  setOwn,
} from '../json/value.js';
import type { ContentKeepList, RedactionRules, RoomVersionInput } from '../room-versions/rules.js';
import { type EventError, type EventErrorReason, resolveRules } from './errors.js';

const redactionError = (reason: EventErrorReason, message: string, path: readonly string[]): EventError => ({
  kind: 'EventError',
  reason,
  message,
  path,
});

/**
 * An own member of `object`, or `undefined`. Unlike `getOwn` it lets a throwing getter or Proxy trap escape, so that
 * the caller turns it into an `invalid_input` Left instead of redacting as if the member were absent.
 */
function readOwn(object: JsonObject, key: string): JsonValue | undefined {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** Top-level keep-lists as sets, cached per (frozen) table. */
const topLevelSets = new WeakMap<readonly string[], ReadonlySet<string>>();

function topLevelSet(keys: readonly string[]): ReadonlySet<string> {
  const cached = topLevelSets.get(keys);
  if (cached !== undefined) return cached;
  const set = new Set(keys);
  if (Object.isFrozen(keys)) topLevelSets.set(keys, set);
  return set;
}

/** Applies one keep-list to a `content` object. */
function applyKeepList(content: JsonObject, keepList: ContentKeepList): JsonObject {
  const out: MutableJsonObject = {};
  if (keepList === 'all') {
    // v11 m.room.create: "all keys" are kept (MSC2176).
    for (const key of Object.keys(content)) setOwn(out, key, content[key] as JsonValue);
    return out;
  }
  for (const entry of keepList) {
    if (typeof entry === 'string') {
      const value = readOwn(content, entry);
      if (value !== undefined) setOwn(out, entry, value);
      continue;
    }
    // `{ key, keep }` (v11 `third_party_invite`, MSC3821): kept only when it is an object, reduced to `keep`;
    // a non-object value is dropped, an object without `signed` becomes `{}` (Synapse, ruma).
    const nested = readOwn(content, entry.key);
    if (!isJsonObject(nested)) continue;
    const reduced: MutableJsonObject = {};
    for (const subKey of entry.keep) {
      const value = readOwn(nested, subKey);
      if (value !== undefined) setOwn(reduced, subKey, value);
    }
    setOwn(out, entry.key, reduced);
  }
  return out;
}

/** The top-level keys a table removes from events of one type although it keeps them for others. */
function droppedForType(rules: RedactionRules, type: string): readonly string[] | undefined {
  const table = rules.topLevelKeysDroppedByType;
  return table !== undefined && Object.hasOwn(table, type) ? table[type] : undefined;
}

/** The `content` of a redacted event, for a `content` already known to be an object. Throws on unreadable input. */
function redactKnownContent(type: string, content: JsonObject, rules: RedactionRules): JsonObject {
  const keepList = Object.hasOwn(rules.contentKeys, type) ? rules.contentKeys[type] : undefined;
  return keepList === undefined ? {} : applyKeepList(content, keepList);
}

/**
 * Redacts an event's `content` with one redaction table: the keys the table lists for `type` are kept, every
 * other event type gets `{}`. Returns a new object; nested values are shared with the input, not copied.
 * Never throws: a `content` that is not an object is `invalid_content`; rules or content that cannot be read
 * (not a table, a throwing getter or Proxy) are `invalid_input`.
 *
 * @example redactContent('m.room.member', { membership: 'invite', displayname: 'Bob' }, REDACTION_V9)
 * // Right({ membership: 'invite' })
 */
export function redactContent(
  type: string,
  content: JsonObject,
  rules: RedactionRules,
): E.Either<EventError, JsonObject> {
  if (!isJsonObject(content)) {
    return E.left(redactionError('invalid_content', '"content" must be a JSON object', ['content']));
  }
  try {
    if (typeof type !== 'string')
      return E.left(redactionError('invalid_type', '"type" must be a string', ['type']));
    const contentKeys: unknown = rules.contentKeys;
    if (typeof contentKeys !== 'object' || contentKeys === null) {
      return E.left(redactionError('invalid_input', 'rules must be a redaction table with contentKeys', []));
    }
    return E.right(redactKnownContent(type, content, rules));
  } catch (error) {
    return E.left(
      redactionError('invalid_input', `cannot read the content: ${errorText(error)}`, ['content']),
    );
  }
}

/**
 * Redacts an event with the algorithm of its room version (spec [Redactions](https://spec.matrix.org/v1.19/rooms/v11/#redactions)):
 * top-level keys outside the version's keep-list are removed (including `unsigned`), and `content` is reduced
 * to the keys kept for the event's `type`.
 *
 * The input is never mutated; the result is a new object whose top level and `content` are fresh, while deeper
 * values are shared with the input. Keys such as `__proto__` are ordinary data. In room version 12 an
 * `m.room.create` event loses `room_id` (Synapse's `redact()`; the event format omits it there, so valid create
 * events are unaffected); the spec's redaction text, unchanged from v11, would keep it.
 *
 * Differences from Synapse's `prune_event_dict`, none of which reach signed or hashed bytes: Synapse also
 * returns an `unsigned` object carrying `age_ts`/`replaces_state`/`redacted_because` for clients; signatures and
 * reference hashes strip `unsigned` anyway.
 *
 * @param roomVersion a room version identifier (`"10"`) or a rules object
 * @example
 * redactEvent({ type: 'm.room.member', content: { membership: 'invite', displayname: 'B' }, origin: 'x' }, '11')
 * // Right({ type: 'm.room.member', content: { membership: 'invite' } })
 */
export function redactEvent(
  event: JsonObjectInput,
  roomVersion: RoomVersionInput,
): E.Either<EventError, JsonObject> {
  const resolved = resolveRules(roomVersion);
  if (E.isLeft(resolved)) return resolved;
  const rules = resolved.right.redaction;
  if (!isJsonObject(event))
    return E.left(redactionError('not_an_object', 'the event must be a JSON object', []));
  try {
    return redactObject(event, rules);
  } catch (error) {
    // A throwing getter or Proxy handed in by the caller: nothing to redact, and not the peer's fault.
    return E.left(redactionError('invalid_input', `cannot read the event: ${errorText(error)}`, []));
  }
}

/** {@link redactEvent} on an object; throws when a member cannot be read (the caller turns it into a Left). */
function redactObject(event: JsonObject, rules: RedactionRules): E.Either<EventError, JsonObject> {
  const type = readOwn(event, 'type');
  if (type === undefined) return E.left(redactionError('missing_type', 'the event has no "type"', ['type']));
  if (typeof type !== 'string') {
    return E.left(redactionError('invalid_type', '"type" must be a string', ['type']));
  }
  const content = readOwn(event, 'content');
  if (content === undefined) {
    return E.left(redactionError('missing_content', 'the event has no "content"', ['content']));
  }
  if (!isJsonObject(content)) {
    return E.left(redactionError('invalid_content', '"content" must be a JSON object', ['content']));
  }

  const keep = topLevelSet(rules.topLevelKeys);
  const dropped = droppedForType(rules, type);
  const out: MutableJsonObject = {};
  for (const key of Object.keys(event)) {
    if (!keep.has(key) || dropped?.includes(key) === true) continue;
    setOwn(
      out,
      key,
      key === 'content' ? redactKnownContent(type, content, rules) : (event[key] as JsonValue),
    );
  }
  return E.right(out);
}
