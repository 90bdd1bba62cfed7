/**
 * Signing events (spec server-server API [Signing events](https://spec.matrix.org/v1.19/server-server-api/#signing-events)).
 *
 * - {@link signEvent} is for events you author: it computes the content hash, sets `hashes.sha256`, redacts with
 *   the room version's algorithm, drops top-level `signatures` and `unsigned`, signs the canonical JSON and merges
 *   the signature under `signatures[serverName][keyId]`.
 * - {@link countersignEvent} is for events you received (the invited server countersigning an invite): only the
 *   last step. A received event's `hashes` is never recomputed, so altered content is never silently re-hashed.
 *
 * Both keep every other signature (including a policy server's `ed25519:policy_server`), other hash algorithms and
 * `unsigned`, and never modify their input.
 */
import * as E from 'fp-ts/lib/Either.js';
import { addSignature, signCanonicalBytes } from '../crypto/json-signing.js';
import type { SigningKey } from '../crypto/types.js';
import { errorText } from '../errors/describe.js';
import {
  getOwn,
  isJsonObject,
  type JsonObject,
  type JsonObjectInput,
  type JsonValue,
  type MutableJsonObject,
  setOwn,
  withKey,
} from '../json/value.js';
import type { RoomVersionInput } from '../room-versions/rules.js';
import { type EventError, eventError, resolveRules } from './errors.js';
import { computeContentHash } from './hashes.js';
import { type PreparedEvent, prepareEvent, withEvent } from './prepared.js';

/**
 * A signed event: any JSON object with `hashes.sha256` and `signatures` typed. What {@link signEvent} and
 * {@link countersignEvent} return (and what a {@link Pdu} is too).
 */
export interface SignedEvent extends JsonObject {
  /** The event type, e.g. `m.room.member`. */
  readonly type: string;
  /** The event content. */
  readonly content: JsonObject;
  /** Content hashes by algorithm, unpadded standard base64; `sha256` is always there. */
  readonly hashes: { readonly sha256: string; readonly [algorithm: string]: string };
  /** Signatures: server name → key ID (`ed25519:...`) → unpadded base64 signature. */
  readonly signatures: { readonly [serverName: string]: { readonly [keyId: string]: string } };
}

/** The result of signing a prepared event: the signed event, its prepared form and the new signature. Internal. */
export interface SignedPreparedEvent {
  /** The event with the signature merged in. */
  readonly event: JsonObject;
  /**
   * The prepared form of {@link SignedPreparedEvent.event}. Signatures are not part of the signed bytes, so its
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
 * re-encoded. Internal: the public forms are {@link signEvent} and {@link countersignEvent}.
 */
export function countersignPrepared(
  prepared: PreparedEvent,
  serverName: string,
  signingKey: SigningKey,
): E.Either<EventError, SignedPreparedEvent> {
  try {
    if (typeof prepared !== 'object' || prepared === null || !isJsonObject(prepared.event)) {
      return E.left(eventError('not_an_object', 'prepared must come from prepareEvent'));
    }
    const signature = signCanonicalBytes(prepared.signingBytes, signingKey);
    if (E.isLeft(signature)) return E.left(signingFailure(signature.left));
    const signed = addSignature(prepared.event, serverName, signingKey.keyId, signature.right);
    if (E.isLeft(signed)) return E.left(signingFailure(signed.left));
    const preparedSigned = withEvent(prepared, signed.right);
    return E.right({ event: signed.right, prepared: preparedSigned, signature: signature.right });
  } catch (error) {
    return E.left(eventError('signing_failed', `cannot countersign: ${errorText(error)}`));
  }
}

/**
 * Hashes and signs an event (see {@link signEvent}), returning its prepared form too. Internal. A `hashes.sha256`
 * already present must be the recomputed one (`content_hash_mismatch` otherwise).
 */
export function signEventPrepared(
  event: JsonObject,
  roomVersion: RoomVersionInput,
  serverName: string,
  signingKey: SigningKey,
): E.Either<EventError, SignedPreparedEvent> {
  if (!isJsonObject(event)) return E.left(eventError('not_an_object', 'event must be a JSON object'));
  const rules = resolveRules(roomVersion);
  if (E.isLeft(rules)) return rules;
  const existing = getOwn(event, 'hashes');
  if (existing !== undefined && !isStringMap(existing)) {
    return E.left(eventError('hashes_malformed', 'hashes must be an object of strings', ['hashes']));
  }
  const hash = computeContentHash(event);
  if (E.isLeft(hash)) return hash;
  const previous = existing === undefined ? undefined : getOwn(existing, 'sha256');
  if (previous !== undefined && previous !== hash.right) {
    return E.left(
      eventError(
        'content_hash_mismatch',
        `hashes.sha256 is ${JSON.stringify(previous)}, but the content hashes to ${hash.right}: the event changed after it was hashed (countersign events you received with countersignEvent)`,
        ['hashes', 'sha256'],
      ),
    );
  }
  // Other algorithms already present are kept (Synapse: `event_dict.setdefault("hashes", {})[name] = ...`).
  const hashes: MutableJsonObject = {};
  if (existing !== undefined)
    for (const key of Object.keys(existing)) setOwn(hashes, key, existing[key] ?? null);
  setOwn(hashes, 'sha256', hash.right);
  const prepared = prepareEvent(withKey(event, 'hashes', hashes), rules.right);
  if (E.isLeft(prepared)) return prepared;
  return countersignPrepared(prepared.right, serverName, signingKey);
}

function isStringMap(value: JsonValue | undefined): value is JsonObject {
  return isJsonObject(value) && Object.values(value).every((v) => typeof v === 'string');
}

/** Checks what `signatures` must be in a signed event: absent, or an object of objects of strings. */
function signaturesProblem(event: JsonObject): EventError | undefined {
  const signatures = getOwn(event, 'signatures');
  if (signatures === undefined) return undefined;
  if (!isJsonObject(signatures)) {
    return eventError('signatures_malformed', 'signatures must be an object', ['signatures']);
  }
  for (const server of Object.keys(signatures)) {
    const entry = getOwn(signatures, server);
    if (!isStringMap(entry)) {
      return eventError('signatures_malformed', `signatures of ${server} must be an object of strings`, [
        'signatures',
        server,
      ]);
    }
  }
  return undefined;
}

function keyProblem(signingKey: unknown): EventError | undefined {
  const key = signingKey as Partial<SigningKey> | null | undefined;
  return typeof key === 'object' &&
    key !== null &&
    typeof key.sign === 'function' &&
    typeof key.keyId === 'string'
    ? undefined
    : eventError('invalid_input', 'signingKey must be a SigningKey');
}

/** What {@link signEvent} signs, and with which key. */
export interface SignEventParams {
  /** The event you author (not modified): any JSON object with `type` and `content`. */
  readonly event: JsonObjectInput;
  /** The room's version (`"10"`) or rules: they choose the redaction algorithm. */
  readonly roomVersion: RoomVersionInput;
  /** Your server's signing key. */
  readonly signingKey: SigningKey;
  /** The signing server's name. Default: the server of `sender` (the text after its first `:`). */
  readonly serverName?: string;
}

/**
 * Hashes and signs an event you author (spec "Signing events"): a new event with `hashes.sha256` set and
 * `signatures[serverName][signingKey.keyId]` added; other signatures, other hash algorithms and `unsigned` are kept.
 * The input is not modified.
 *
 * An event that already carries a `hashes.sha256` is signed only when that hash is still right: a differing one is
 * `content_hash_mismatch`, never silently replaced (the content changed after it was hashed, or the event is
 * someone else's: use {@link countersignEvent} for events you received).
 *
 * @example signEvent({ event, roomVersion: '10', signingKey }) // Right(signed event), signed as the sender's server
 */
export function signEvent(params: SignEventParams): E.Either<EventError, SignedEvent> {
  try {
    if (typeof params !== 'object' || params === null) {
      return E.left(
        eventError('invalid_input', 'signEvent takes { event, roomVersion, signingKey, serverName? }'),
      );
    }
    const event = params.event as JsonObject;
    if (!isJsonObject(event)) return E.left(eventError('not_an_object', 'event must be a JSON object'));
    const badKey = keyProblem(params.signingKey);
    if (badKey !== undefined) return E.left(badKey);
    let serverName = params.serverName;
    if (serverName === undefined) {
      const sender = getOwn(event, 'sender');
      const colon = typeof sender === 'string' ? sender.indexOf(':') : -1;
      if (typeof sender !== 'string' || colon < 0) {
        return E.left(
          eventError('invalid_sender', 'sender must be a user ID when no serverName is given', ['sender']),
        );
      }
      serverName = sender.slice(colon + 1);
    } else if (typeof serverName !== 'string') {
      return E.left(eventError('invalid_input', 'serverName must be a string'));
    }
    const malformed = signaturesProblem(event);
    if (malformed !== undefined) return E.left(malformed);
    const signed = signEventPrepared(event, params.roomVersion, serverName, params.signingKey);
    return E.isLeft(signed) ? signed : E.right(signed.right.event as SignedEvent);
  } catch (error) {
    return E.left(eventError('invalid_input', `the parameters cannot be read: ${errorText(error)}`));
  }
}

/** What {@link countersignEvent} signs, and with which key. */
export interface CountersignEventParams {
  /** The event you received (not modified): a PDU with `hashes.sha256`. */
  readonly event: JsonObjectInput;
  /** The room's version (`"10"`) or rules: they choose the redaction algorithm. */
  readonly roomVersion: RoomVersionInput;
  /** Your server's signing key. */
  readonly signingKey: SigningKey;
  /** Your server's name: the signature goes under `signatures[serverName]`. */
  readonly serverName: string;
}

/**
 * Adds your server's signature to an event you received (the invited server's countersignature, spec "Inviting to
 * a room": "The event with the invited server's signature added. All other fields of the events should remain
 * untouched"). Only `signatures` changes: `hashes` is never recomputed (the event must carry a `hashes.sha256`;
 * whether it matches is the receiver's check, not this function's). The input is not modified.
 *
 * @example countersignEvent({ event: received, roomVersion: '10', signingKey, serverName: 'invitee.example' })
 */
export function countersignEvent(params: CountersignEventParams): E.Either<EventError, SignedEvent> {
  try {
    if (typeof params !== 'object' || params === null) {
      return E.left(
        eventError('invalid_input', 'countersignEvent takes { event, roomVersion, signingKey, serverName }'),
      );
    }
    const event = params.event as JsonObject;
    if (!isJsonObject(event)) return E.left(eventError('not_an_object', 'event must be a JSON object'));
    const badKey = keyProblem(params.signingKey);
    if (badKey !== undefined) return E.left(badKey);
    if (typeof params.serverName !== 'string') {
      return E.left(eventError('invalid_input', 'serverName must be a string'));
    }
    const hashes = getOwn(event, 'hashes');
    if (!isStringMap(hashes)) {
      return E.left(eventError('hashes_malformed', 'hashes must be an object of strings', ['hashes']));
    }
    if (getOwn(hashes, 'sha256') === undefined) {
      return E.left(eventError('hashes_missing_sha256', 'hashes has no sha256 entry', ['hashes']));
    }
    const malformed = signaturesProblem(event);
    if (malformed !== undefined) return E.left(malformed);
    const prepared = prepareEvent(event, params.roomVersion);
    if (E.isLeft(prepared)) return prepared;
    const signed = countersignPrepared(prepared.right, params.serverName, params.signingKey);
    return E.isLeft(signed) ? signed : E.right(signed.right.event as SignedEvent);
  } catch (error) {
    return E.left(eventError('invalid_input', `the parameters cannot be read: ${errorText(error)}`));
  }
}
