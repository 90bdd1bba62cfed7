/**
 * Signing events (spec server-server API "Signing events"; protocol.md 7.1, 7.3, 2.1).
 *
 * 1. Compute the content hash and set `hashes.sha256` (other hash algorithms are kept, and are then signed).
 * 2. Redact with the room version's algorithm, drop top-level `signatures` and `unsigned`, canonical JSON.
 * 3. Sign those bytes; merge the signature under `signatures[serverName][keyId]`. Every other signature (including
 *    a policy server's `ed25519:policy_server`) and `unsigned` stay untouched.
 *
 * A countersignature (the invited server signing an invite) is step 3 alone on the received event: never recompute
 * a received event's `hashes` (pitfall 25).
 */
import * as E from 'fp-ts/lib/Either.js';
import { addSignature, signCanonicalBytes } from '../crypto/json-signing.js';
import type { SigningKey } from '../crypto/types.js';
import { errorText } from '../errors/describe.js';
import {
  getOwn,
  isJsonObject,
  type JsonObject,
  type MutableJsonObject,
  setOwn,
  withKey,
} from '../json/value.js';
import { type EventError, eventError, type RoomVersionInput, resolveRules } from './errors.js';
import { computeContentHash } from './hashes.js';
import { type PreparedEvent, prepareEvent } from './prepared.js';

/** The result of signing: the signed event, its prepared form (for the event ID) and the new signature. */
export interface SignedEvent {
  /** The event with `hashes.sha256` set and the signature merged in. */
  readonly event: JsonObject;
  /**
   * The prepared form of {@link SignedEvent.event}. Signatures are not part of the signed bytes, so its
   * `signingBytes`, `referenceHash()` and `eventId()` are those of the signed event.
   */
  readonly prepared: PreparedEvent;
  /** The new signature, unpadded standard base64. */
  readonly signature: string;
}

function signingFailure(error: {
  reason: string;
  message: string;
  path: readonly (string | number)[];
}): EventError {
  const reason =
    error.reason === 'signatures_not_object' || error.reason === 'server_signatures_not_object'
      ? 'signatures_malformed'
      : 'signing_failed';
  return eventError(reason, error.message, error.path);
}

/**
 * Signs an already prepared event with `signingKey` and merges the signature under
 * `signatures[serverName][signingKey.keyId]`. The signed bytes are `prepared.signingBytes`: nothing is
 * re-encoded. Used for countersigning a received invite. Fails if `signatures` or `signatures[serverName]` exists
 * but is not an object.
 *
 * @example countersign(prepared, 'invitee.example', key) // Right({ ...event, signatures: { ..., 'invitee.example': {...} } })
 */
export function countersign(
  prepared: PreparedEvent,
  serverName: string,
  signingKey: SigningKey,
): E.Either<EventError, SignedEvent> {
  try {
    if (typeof prepared !== 'object' || prepared === null || !isJsonObject(prepared.event)) {
      return E.left(eventError('not_an_object', 'prepared must come from prepareEvent'));
    }
    const signature = signCanonicalBytes(prepared.signingBytes, signingKey);
    if (E.isLeft(signature)) return E.left(signingFailure(signature.left));
    const signed = addSignature(prepared.event, serverName, signingKey.keyId, signature.right);
    if (E.isLeft(signed)) return E.left(signingFailure(signed.left));
    const preparedSigned: PreparedEvent = Object.freeze({ ...prepared, event: signed.right });
    return E.right({ event: signed.right, prepared: preparedSigned, signature: signature.right });
  } catch (error) {
    return E.left(eventError('signing_failed', `cannot countersign: ${errorText(error)}`));
  }
}

/**
 * Hashes and signs an event: sets `hashes.sha256`, then signs the redacted form and merges the signature. Returns
 * the signed event with its {@link PreparedEvent} (one redaction and one canonical encoding of the signed form).
 */
export function signEventPrepared(
  event: JsonObject,
  roomVersion: RoomVersionInput,
  serverName: string,
  signingKey: SigningKey,
): E.Either<EventError, SignedEvent> {
  if (!isJsonObject(event)) return E.left(eventError('not_an_object', 'event must be a JSON object'));
  const rules = resolveRules(roomVersion);
  if (E.isLeft(rules)) return rules;
  const existing = getOwn(event, 'hashes');
  if (existing !== undefined && !isJsonObject(existing)) {
    return E.left(eventError('hashes_malformed', 'hashes must be an object', ['hashes']));
  }
  const hash = computeContentHash(event);
  if (E.isLeft(hash)) return hash;
  // Other algorithms already present are kept (Synapse: `event_dict.setdefault("hashes", {})[name] = ...`).
  const hashes: MutableJsonObject = {};
  if (existing !== undefined)
    for (const key of Object.keys(existing)) setOwn(hashes, key, existing[key] ?? null);
  setOwn(hashes, 'sha256', hash.right);
  const prepared = prepareEvent(withKey(event, 'hashes', hashes), rules.right);
  if (E.isLeft(prepared)) return prepared;
  return countersign(prepared.right, serverName, signingKey);
}

/**
 * Hashes and signs an event (spec "Signing events"): a new event with `hashes.sha256` set and
 * `signatures[serverName][signingKey.keyId]` added; other signatures, other hashes and `unsigned` are kept. The
 * input is not modified.
 *
 * @example signEvent(event, '10', 'inviter.example', key) // Right(signed event)
 */
export function signEvent(
  event: JsonObject,
  roomVersion: RoomVersionInput,
  serverName: string,
  signingKey: SigningKey,
): E.Either<EventError, JsonObject> {
  const signed = signEventPrepared(event, roomVersion, serverName, signingKey);
  return E.isLeft(signed) ? signed : E.right(signed.right.event);
}
