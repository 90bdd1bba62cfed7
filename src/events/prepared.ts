/**
 * A prepared event: the redacted, unsigned canonical encoding computed once and shared by the signature check, the
 * reference hash (event ID) and a countersignature ("do each canonical encoding once per pipeline").
 *
 * Spec: server-server API "Signing events" and "Calculating the reference hash for an event"; both operate on the
 * event put through the room version's redaction algorithm, minus the top-level `signatures` and `unsigned`
 * (spec "Signing events"). `hashes` stays in, so the content hash is covered by signatures and event IDs.
 */
import * as E from 'fp-ts/lib/Either.js';
import { sha256, sha256Base64 } from '../crypto/sha256.js';
import { encodeBase64 } from '../encoding/base64.js';
import { isUint8Array } from '../encoding/bytes.js';
import { errorText } from '../errors/describe.js';
import {
  type CanonicalMembers,
  encodeCanonicalBytesReusing,
  encodeCanonicalJsonBytes,
} from '../json/canonical.js';
import { getOwn, isJsonObject, type JsonObject, type JsonValue, omitKeys } from '../json/value.js';
import type { RoomVersionInput, RoomVersionRules } from '../room-versions/rules.js';
import { type EventError, eventError, resolveRules } from './errors.js';
import { redactEvent } from './redaction.js';

/**
 * Relaxed (non-strict) canonical JSON bytes, as used for every hash and signature: Synapse computes event IDs and
 * hashes with relaxed canonical JSON even in room versions 6+ (`test_calculate_event_id_big_int_is_relaxed`); the
 * strict number rules are a separate validation step (see `validatePduShape`).
 */
export function canonicalBytesForHashing(value: JsonValue): E.Either<EventError, Uint8Array> {
  const encoded = encodeCanonicalJsonBytes(value, { strict: false });
  if (E.isRight(encoded)) return encoded;
  return E.left(
    eventError(
      'canonical_json',
      `event has no canonical JSON form: ${encoded.left.message}`,
      encoded.left.path,
      encoded.left,
    ),
  );
}

/** The event as signed and reference-hashed: redacted, then top-level `signatures` and `unsigned` removed. */
export function redactedForSigning(
  event: JsonObject,
  rules: RoomVersionRules,
): E.Either<EventError, JsonObject> {
  try {
    const redacted = redactEvent(event, rules);
    if (E.isLeft(redacted)) return redacted;
    // Spec 7.3: only the top-level keys go; nested `signatures` (third_party_invite.signed) stay signed.
    return E.right(omitKeys(redacted.right, ['signatures', 'unsigned']));
  } catch (error) {
    return E.left(eventError('invalid_input', `cannot prepare the event: ${errorText(error)}`));
  }
}

/**
 * An event with its signing input computed once. Obtain one with {@link prepareEvent}; it is immutable and does not
 * alias mutable caller state (the original event is never modified).
 */
export interface PreparedEvent {
  /** The event as given (not copied, never mutated). */
  readonly event: JsonObject;
  /** The room version rules it was prepared under. */
  readonly rules: RoomVersionRules;
  /** The redacted event without top-level `signatures` and `unsigned`: what is signed and reference-hashed. */
  readonly redacted: JsonObject;
  /** Relaxed canonical JSON (UTF-8) of {@link PreparedEvent.redacted}: the exact bytes signatures cover. */
  readonly signingBytes: Uint8Array;
  /** SHA-256 of {@link PreparedEvent.signingBytes} (the reference hash), computed on first use. */
  referenceHash(): Uint8Array;
  /**
   * The event ID derived from the reference hash: `$` + standard base64 (room 3) or URL-safe base64 (rooms 4+).
   * Rooms 1-2 carry `event_id` instead: `Left(event_id_not_computed)`.
   */
  eventId(): E.Either<EventError, string>;
}

/** Encodes a reference hash as an event ID for the room version's event ID format (spec 7.4). */
export function eventIdFromReferenceHash(
  hash: Uint8Array,
  rules: RoomVersionRules,
): E.Either<EventError, string> {
  try {
    if (!isUint8Array(hash) || hash.length !== 32) {
      return E.left(eventError('event_id_not_computed', 'the reference hash must be 32 bytes'));
    }
    switch (rules.eventIdFormat) {
      case 'v3':
        return E.right(`$${encodeBase64(hash)}`);
      case 'v4':
        return E.right(`$${encodeBase64(hash, { urlSafe: true })}`);
      default:
        return notDerived(rules);
    }
  } catch (error) {
    return E.left(eventError('unknown_room_version', `no event ID: ${errorText(error)}`));
  }
}

function notDerived(rules: RoomVersionRules): E.Either<EventError, never> {
  return E.left(
    eventError(
      'event_id_not_computed',
      `room version ${rules.id} carries event IDs in the event_id field; they are not derived from the reference hash`,
    ),
  );
}

/**
 * The event ID of signing bytes: {@link eventIdFromReferenceHash} of their SHA-256, hashed straight to base64 (no
 * digest bytes in between). For {@link PreparedEvent}, whose rules are already resolved.
 */
function eventIdFromSigningBytes(
  signingBytes: Uint8Array,
  rules: RoomVersionRules,
): E.Either<EventError, string> {
  switch (rules.eventIdFormat) {
    case 'v3':
      return E.right(`$${sha256Base64(signingBytes, 'standard')}`);
    case 'v4':
      return E.right(`$${sha256Base64(signingBytes, 'url-safe')}`);
    default:
      return notDerived(rules);
  }
}

/** Options of {@link prepareEvent}. */
export interface PrepareEventOptions {
  /**
   * The canonical members of the same event already encoded for another purpose (typically the content hash input,
   * `encodeCanonicalMembers(event, { omit: ['hashes', 'signatures', 'unsigned'] })`): unchanged members are reused
   * instead of encoded again. The bytes are identical either way.
   */
  readonly reuse?: CanonicalMembers;
}

/**
 * Redacts and canonically encodes an event once (spec 7.3), for signing, verifying and computing its ID.
 *
 * @example
 * const prepared = prepareEvent(event, '10'); // Right(PreparedEvent)
 * // prepared.right.eventId() -> Right('$...')
 */
export function prepareEvent(
  event: JsonObject,
  roomVersion: RoomVersionInput,
  options: PrepareEventOptions = {},
): E.Either<EventError, PreparedEvent> {
  try {
    if (!isJsonObject(event)) return E.left(eventError('not_an_object', 'event must be a JSON object'));
    const rules = resolveRules(roomVersion);
    if (E.isLeft(rules)) return rules;
    const redacted = redactedForSigning(event, rules.right);
    if (E.isLeft(redacted)) return redacted;
    let bytes: E.Either<EventError, Uint8Array>;
    if (options.reuse === undefined) {
      bytes = canonicalBytesForHashing(redacted.right);
    } else {
      const encoded = encodeCanonicalBytesReusing(redacted.right, options.reuse);
      bytes = E.isRight(encoded)
        ? encoded
        : E.left(
            eventError(
              'canonical_json',
              `event has no canonical JSON form: ${encoded.left.message}`,
              encoded.left.path,
              encoded.left,
            ),
          );
    }
    if (E.isLeft(bytes)) return bytes;
    return E.right(new Prepared(event, rules.right, redacted.right, bytes.right));
  } catch (error) {
    return E.left(eventError('invalid_input', `cannot prepare the event: ${errorText(error)}`));
  }
}

/**
 * The one implementation of {@link PreparedEvent}: frozen fields, methods on the prototype (no closures per event),
 * the reference hash and event ID computed on first use.
 */
class Prepared implements PreparedEvent {
  #referenceHash: Uint8Array | undefined;
  #eventId: E.Either<EventError, string> | undefined;

  constructor(
    readonly event: JsonObject,
    readonly rules: RoomVersionRules,
    readonly redacted: JsonObject,
    readonly signingBytes: Uint8Array,
  ) {
    Object.freeze(this);
  }

  referenceHash(): Uint8Array {
    this.#referenceHash ??= sha256(this.signingBytes);
    // A copy, so that a caller writing into it cannot corrupt later results.
    return this.#referenceHash.slice();
  }

  eventId(): E.Either<EventError, string> {
    // Frozen: the same answer is handed out on every call.
    this.#eventId ??= Object.freeze(eventIdFromSigningBytes(this.signingBytes, this.rules));
    return this.#eventId;
  }
}

/**
 * The same prepared event carrying another `event` with the same signing bytes: the countersigned event (signatures
 * are not signed), or its redacted copy (redaction is idempotent).
 */
export function withEvent(prepared: PreparedEvent, event: JsonObject): PreparedEvent {
  return new Prepared(event, prepared.rules, prepared.redacted, prepared.signingBytes);
}

/** The `event_id` field of a room 1-2 event, when it is a string. */
export function eventIdField(event: JsonObject): string | undefined {
  const id = getOwn(event, 'event_id');
  return typeof id === 'string' ? id : undefined;
}
