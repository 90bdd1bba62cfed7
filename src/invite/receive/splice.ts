/**
 * Internal (not exported from the package): "each canonical encoding once per pipeline". The event is encoded once,
 * without `unsigned`, `signatures` and `hashes` (the content hash input). Canonical JSON of an object is `{` +
 * members sorted by key code point, joined by `,` + `}`, so the canonical JSON of any object sharing members with
 * the event (its redacted form: the signed bytes; the countersigned event: the response) is assembled from those
 * member texts, and only the members that differ are encoded.
 */
import * as nodeCrypto from 'node:crypto';
import { createHash } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import { type EventError, eventError } from '../../events/errors.js';
import { eventIdFromReferenceHash, type PreparedEvent, redactedForSigning } from '../../events/prepared.js';
import { type CanonicalJsonError, encodeCanonicalJson, sortKeysByCodePoint } from '../../json/canonical.js';
import { type JsonObject, type JsonValue, type MutableJsonObject, setOwn } from '../../json/value.js';
import type { RoomVersionRules } from '../../room-versions/rules.js';

/** The canonical JSON text of an object with the position of each top-level member. */
export interface CanonicalIndex {
  /** The object that was encoded. */
  readonly source: JsonObject;
  /** Its canonical JSON text. */
  readonly text: string;
  /** Member text (`"key":value`) by key. */
  readonly members: ReadonlyMap<string, string>;
}

/** SHA-256, one-shot when the runtime has `crypto.hash` (Node 20.12+), which avoids a Hash object. */
export function sha256(data: Uint8Array | string): Uint8Array {
  return oneShot === undefined
    ? new Uint8Array(createHash('sha256').update(data).digest())
    : new Uint8Array(oneShot('sha256', data, 'buffer') as Buffer);
}
const oneShot = (
  nodeCrypto as { hash?: (algorithm: string, data: Uint8Array | string, encoding: 'buffer') => Buffer }
).hash;

/** A canonical JSON member key: JSON.stringify escapes exactly like canonical JSON for well-formed strings. */
function memberKey(key: string): string | undefined {
  const cached = KEY_CACHE.get(key);
  if (cached !== undefined) return cached;
  return key.isWellFormed() ? JSON.stringify(key) : undefined;
}
/** The PDU's top-level keys, pre-encoded. */
const KEY_CACHE: ReadonlyMap<string, string> = new Map(
  [
    'auth_events',
    'content',
    'depth',
    'event_id',
    'hashes',
    'origin',
    'origin_server_ts',
    'prev_events',
    'room_id',
    'sender',
    'signatures',
    'state_key',
    'type',
    'unsigned',
  ].map((key) => [key, JSON.stringify(key)]),
);

/**
 * Encodes `source` without the top-level keys `omitted` as canonical JSON, member by member (so that the members can
 * be reused). Errors carry the path inside `source`.
 */
export function encodeMembers(
  source: JsonObject,
  omitted: readonly string[],
  strict: boolean,
): E.Either<CanonicalJsonError, CanonicalIndex> {
  const keys = sortKeysByCodePoint(Object.keys(source).filter((key) => !omitted.includes(key)));
  const members = new Map<string, string>();
  const parts: string[] = new Array(keys.length);
  const kept: MutableJsonObject = {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const value = source[key] as JsonValue;
    const encodedKey = memberKey(key);
    if (encodedKey === undefined) {
      return E.left({
        kind: 'CanonicalJsonError',
        reason: 'lone_surrogate',
        message: 'key contains a lone surrogate',
        path: [key],
      });
    }
    const encoded = encodeCanonicalJson(value, { strict });
    if (E.isLeft(encoded)) return E.left({ ...encoded.left, path: [key, ...encoded.left.path] });
    const member = `${encodedKey}:${encoded.right}`;
    parts[i] = member;
    members.set(key, member);
    setOwn(kept, key, value);
  }
  return E.right({ source: kept, text: `{${parts.join(',')}}`, members });
}

/**
 * The canonical JSON text of `target`, reusing the member texts of `index` for members whose value is the very
 * same (same reference, or equal primitive) as in the indexed object. `undefined` when a member cannot be encoded.
 */
export function assembleCanonical(target: JsonObject, index: CanonicalIndex): string | undefined {
  const keys = sortKeysByCodePoint(Object.keys(target));
  const parts: string[] = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const value = target[key] as JsonValue;
    const reused = index.members.get(key);
    if (reused !== undefined && Object.hasOwn(index.source, key) && sameValue(index.source[key], value)) {
      parts[i] = reused;
      continue;
    }
    const encodedKey = memberKey(key);
    const encoded = encodeCanonicalJson(value);
    if (encodedKey === undefined || E.isLeft(encoded)) return undefined;
    parts[i] = `${encodedKey}:${encoded.right}`;
  }
  return `{${parts.join(',')}}`;
}

function sameValue(a: JsonValue | undefined, b: JsonValue): boolean {
  return typeof a === 'number' && typeof b === 'number' ? Object.is(a, b) : a === b;
}

const utf8 = new TextEncoder();

/**
 * A {@link PreparedEvent} whose signed bytes are assembled from `index` (the canonical JSON of the same event
 * without some top-level keys): only the redacted `content` and the members missing from the index are encoded.
 * Same result as `prepareEvent(event, rules)`.
 */
export function prepareFromIndex(
  event: JsonObject,
  rules: RoomVersionRules,
  index: CanonicalIndex,
): E.Either<EventError, PreparedEvent> {
  const redacted = redactedForSigning(event, rules);
  if (E.isLeft(redacted)) return redacted;
  const text = assembleCanonical(redacted.right, index);
  if (text === undefined)
    return E.left(eventError('canonical_json', 'the redacted event has no canonical JSON form'));
  const signingBytes = utf8.encode(text);
  let hash: Uint8Array | undefined;
  const referenceHash = (): Uint8Array => {
    hash ??= sha256(signingBytes);
    return hash.slice();
  };
  return E.right(
    Object.freeze({
      event,
      rules,
      redacted: redacted.right,
      signingBytes,
      referenceHash,
      eventId: () => eventIdFromReferenceHash(referenceHash(), rules),
    }),
  );
}
