/**
 * Event size limits (spec client-server API [Size limits](https://spec.matrix.org/v1.19/client-server-api/#size-limits)).
 *
 * - The complete event, "formatted with the federation event format, including any signatures, and encoded as
 *   Canonical JSON", must not exceed 65536 bytes (not 65535).
 * - `type`, `state_key`, `sender`, `room_id` and `event_id` must not exceed 255 bytes each.
 *
 * Lengths are UTF-8 bytes, never `string.length` (64 cat emoji are 128 UTF-16 units but 256 bytes). Synapse does not
 * apply these limits at /invite; they are the spec's rules for any PDU.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { JsonPath } from '../errors/base.js';
import { errorText } from '../errors/describe.js';
import { utf8ByteLength } from '../identifiers/common.js';
import { encodeCanonicalJson } from '../json/canonical.js';
import { getOwn, isJsonObject, type JsonObject, type JsonObjectInput, omitKeys } from '../json/value.js';
import { utf8Length } from '../platform/text.js';
import type { EventError, EventErrorReason } from './errors.js';

/** Largest canonical event, in bytes (signatures included). */
export const MAX_PDU_SIZE_BYTES = 65536;
/** Largest `type`, `state_key`, `sender`, `room_id`, `event_id`, in UTF-8 bytes. */
export const MAX_EVENT_FIELD_BYTES = 255;
/** The top-level string fields bounded by {@link MAX_EVENT_FIELD_BYTES}. */
export const LIMITED_EVENT_FIELDS = ['type', 'state_key', 'sender', 'room_id', 'event_id'] as const;

function limitError(
  reason: EventErrorReason,
  message: string,
  path: JsonPath,
  sizes?: { limit: number; actual: number },
): EventError {
  return sizes === undefined
    ? { kind: 'EventError', reason, message, path }
    : { kind: 'EventError', reason, message, path, limit: sizes.limit, actual: sizes.actual };
}

/** Options of {@link checkEventLimits}. */
export interface EventSizeOptions {
  /** Override the 65536-byte limit. */
  readonly maxBytes?: number;
  /**
   * Leave top-level `unsigned` out of the measurement. Default false: the event is measured as given. [AMBIG] The
   * spec does not say whether `unsigned` (e.g. v1 `invite_room_state`) counts; Synapse's event-auth check measures
   * the PDU JSON including `unsigned`.
   */
  readonly excludeUnsigned?: boolean;
}

/**
 * Checks the canonical size of the whole event (signatures included): `Right(byteLength)` when it is at most 65536
 * bytes. Relaxed canonical JSON is used for measuring (strictness is a separate check). Internal: see
 * {@link checkEventLimits}.
 */
export function checkEventSize(
  event: JsonObject,
  rawOptions: EventSizeOptions = {},
): E.Either<EventError, number> {
  try {
    const options: EventSizeOptions = rawOptions ?? {};
    if (!isJsonObject(event)) return E.left(limitError('not_an_object', 'event must be a JSON object', []));
    const measured = options.excludeUnsigned === true ? omitKeys(event, ['unsigned']) : event;
    const encoded = encodeCanonicalJson(measured);
    if (E.isLeft(encoded)) {
      return E.left(
        limitError(
          'canonical_json',
          `event has no canonical JSON form: ${encoded.left.message}`,
          encoded.left.path,
        ),
      );
    }
    const limit = options.maxBytes ?? MAX_PDU_SIZE_BYTES;
    // Canonical JSON strings are well-formed, so the length is exact (and native where `node:buffer` exists).
    const actual = utf8Length(encoded.right);
    if (actual > limit) {
      return E.left(
        limitError('event_too_large', `event is ${actual} bytes of canonical JSON, more than ${limit}`, [], {
          limit,
          actual,
        }),
      );
    }
    return E.right(actual);
  } catch (error) {
    return E.left(limitError('invalid_input', `cannot measure the event: ${errorText(error)}`, []));
  }
}

/**
 * Checks the 255-byte limits on `type`, `state_key`, `sender`, `room_id` and `event_id`. Fields that are absent or
 * not strings are left to the PDU shape check. Internal: see {@link checkEventLimits}.
 */
export function checkEventFieldLimits(event: JsonObject): E.Either<EventError, JsonObject> {
  if (!isJsonObject(event)) return E.left(limitError('not_an_object', 'event must be a JSON object', []));
  for (const field of LIMITED_EVENT_FIELDS) {
    const value = getOwn(event, field);
    if (typeof value !== 'string') continue;
    const actual = utf8ByteLength(value);
    if (actual > MAX_EVENT_FIELD_BYTES) {
      return E.left(
        limitError(
          'field_too_large',
          `${field} is ${actual} bytes, more than ${MAX_EVENT_FIELD_BYTES}`,
          [field],
          {
            limit: MAX_EVENT_FIELD_BYTES,
            actual,
          },
        ),
      );
    }
  }
  return E.right(event);
}

/**
 * Checks an event against the spec's size limits: `type`, `state_key`, `sender`, `room_id` and `event_id` at most
 * 255 bytes each (`field_too_large`), then the whole canonical event, signatures included, at most 65536 bytes
 * (`event_too_large`). `Right(byteLength)` of the canonical event; the errors carry `limit` and `actual`.
 *
 * @example checkEventLimits(event) // Right(812)
 * @example checkEventLimits({ ...event, sender: `@${'a'.repeat(300)}:x` }) // Left({ reason: 'field_too_large', path: ['sender'], limit: 255, actual: 304 })
 */
export function checkEventLimits(
  event: JsonObjectInput,
  options: EventSizeOptions = {},
): E.Either<EventError, number> {
  const object = event as JsonObject;
  const fields = checkEventFieldLimits(object);
  return E.isLeft(fields)
    ? fields
    : checkEventSize(object, typeof options === 'object' && options !== null ? options : {});
}
