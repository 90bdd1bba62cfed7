/**
 * Verifying the invitee's answer (spec server-server API "Inviting to a room": "The event with the invited server's
 * signature added. All other fields of the events should remain untouched.").
 *
 * Synapse checks only the inviter's own signature on the returned event, merges the returned signatures wholesale and
 * never compares the event with the one it sent. Here, in order:
 * 1. the status is 200 and the body has the exact shape: v1 `[200, {"event": ...}]` (two elements, the integer 200,
 *    an object), v2 `{"event": ...}` (an object);
 * 2. the event passes the room version's PDU shape, with strict canonical JSON in rooms 6+ (give the body raw, as
 *    text or bytes, so that `1.0` and big integers are seen);
 * 3. every field other than `signatures` and `unsigned` equals what was sent (compared as canonical JSON);
 * 4. every signature that was sent is still there, unchanged, and no server that signed the sent event gained
 *    signatures;
 * 5. the invitee server (the server of the sent event's `state_key`: the text after its first `:`) signed, with at
 *    least one known key and no bad signature (rooms 5+: keys valid at `origin_server_ts`). Option `lenient` turns a
 *    missing or unverifiable (no known key) invitee signature into a warning; a bad one always fails. Signatures of
 *    any other server never count as the invitee's.
 *
 * The result is the sent event (its `unsigned` dropped) with the invitee's signatures added: ready to send to the
 * room. Signatures of other servers in the answer are dropped and reported as a warning.
 */
import * as E from 'fp-ts/lib/Either.js';
import { ed25519OptionsOf } from '../../crypto/backends.js';
import { type SignatureError, verifyServerSignatures } from '../../crypto/json-signing.js';
import { lookUpVerifyKey } from '../../crypto/key-lookup.js';
import { isKeyValidAt } from '../../crypto/key-validity.js';
import type { Ed25519BackendName, Ed25519Verifier, KeyLookup } from '../../crypto/types.js';
import { isUint8Array } from '../../encoding/bytes.js';
import type { JsonPath, LibraryError } from '../../errors/base.js';
import { describeUnknown, describeValue, errorText } from '../../errors/describe.js';
import {
  BACKEND_NAMES,
  BASE64_MODES,
  booleanProblem,
  checkedContext,
  enumProblem,
  finiteNumberProblem,
  firstProblem,
  functionProblem,
} from '../../errors/options.js';
import { validatePduShape } from '../../events/pdu.js';
import { prepareEvent } from '../../events/prepared.js';
import { encodeCanonicalJson } from '../../json/canonical.js';
import { jsonValueProblem } from '../../json/check-value.js';
import { parseJson } from '../../json/parse.js';
import {
  getOwn,
  isJsonObject,
  type JsonObject,
  type JsonObjectInput,
  type JsonValue,
  type MutableJsonObject,
  omitKeys,
  setOwn,
} from '../../json/value.js';
import type { RoomVersionInput } from '../../room-versions/rules.js';
import { getRoomVersion } from '../../room-versions/versions.js';
import type { InviteApiVersion } from '../api-version.js';
import type { InviteEvent } from '../invite-event.js';
import type { InviteSendError, InviteSendErrorReason } from './common.js';
import { type InviteErrorInterpretation, interpretInviteError } from './errors.js';
import type { InviteHttpResponse } from './fallback.js';

/**
 * Why an accepted answer deserves attention.
 *
 * @category Sending
 */
export type InviteResponseWarningReason =
  /** Lenient mode: the invitee did not sign. */
  | 'missing_invitee_signature'
  /** Lenient mode: the invitee's signature could not be checked (no known key). */
  | 'unverifiable_invitee_signature'
  /** v2: the container has keys besides `event`; v1: the object has keys besides `event`. Ignored. */
  | 'extra_response_keys'
  /** Signatures of servers other than the sending ones and the invitee were in the answer; dropped. */
  | 'unexpected_signatures';

/**
 * A warning on an accepted answer.
 *
 * @category Sending
 */
export interface InviteResponseWarning {
  /** Why the answer deserves attention. */
  readonly reason: InviteResponseWarningReason;
  /** A human explanation, for logs. */
  readonly message: string;
  /** Where in the response body the warning is (v2 paths start with `event`; v1 with `1`). */
  readonly path: JsonPath;
}

/**
 * What the inviting server sent, and how to judge the answer: the second parameter of {@link verifyInviteResponse}.
 *
 * @category Sending
 */
export interface VerifyInviteResponseContext {
  /** The endpoint the request went to. */
  readonly apiVersion: InviteApiVersion;
  /** The event as sent (`buildInviteEvent`'s `event`). */
  readonly sentEvent: JsonObjectInput;
  /** The room version of the invite: an identifier (`"10"`) or a rules object. */
  readonly roomVersion: RoomVersionInput;
  /** Verify keys; the invitee server's key must be known for a strict check (`keyLookupFrom` builds a lookup). */
  readonly keys: KeyLookup;
  /**
   * The invitee's server. Default: the server of the sent event's `state_key` (the text after its first `:`),
   * which is the only right answer; a different one is a caller error (`invalid_context`).
   */
  readonly inviteeServer?: string;
  /** Downgrade a missing or unverifiable (no known key) invitee signature to a warning. Default false. */
  readonly lenient?: boolean;
  /** Current time (ms): caps a key's validity at `now + 7 days` (spec "the lesser of valid_until_ts and 7 days"). */
  readonly now?: number;
  /** ed25519 backend for verification (verdicts are libsodium's with every backend). */
  readonly backend?: Ed25519BackendName;
  /** A signature verdict function used instead of `backend` (the async helpers supply one). */
  readonly verifier?: Ed25519Verifier;
  /** Signature base64 decoding (default `lenient`: padding optional, either alphabet). */
  readonly base64Mode?: 'lenient' | 'strict' | 'synapse';
}

/**
 * An accepted answer.
 *
 * @category Sending
 */
export interface VerifiedInviteResponse {
  /** The sent event with the invitee's signatures added (no `unsigned`): send this one to the room. */
  readonly event: InviteEvent;
  /** The event ID (`event_id` in rooms 1-2, computed in rooms 3+). */
  readonly eventId: string;
  /** The invitee's key IDs that verified (empty only in lenient mode). */
  readonly inviteeKeyIds: readonly string[];
  /** What was accepted but deserves attention (lenient downgrades, extra keys, dropped signatures); may be empty. */
  readonly warnings: readonly InviteResponseWarning[];
}

function fail(
  reason: InviteSendErrorReason,
  message: string,
  path: JsonPath = [],
  extra: { interpretation?: InviteErrorInterpretation; cause?: LibraryError<string, string> } = {},
): E.Either<InviteSendError, never> {
  return E.left({ kind: 'InviteSendError', reason, message, path, ...extra });
}

function canonical(value: JsonValue): string | undefined {
  const encoded = encodeCanonicalJson(value);
  return E.isRight(encoded) ? encoded.right : undefined;
}

/** Extracts the returned event from the body, checking the exact shape (v1: `[200, {...}]`, v2: `{...}`). */
function extractEvent(
  apiVersion: InviteApiVersion,
  body: JsonValue,
  warnings: InviteResponseWarning[],
): E.Either<InviteSendError, JsonValue> {
  let container: JsonValue;
  let prefix: JsonPath;
  if (apiVersion === 'v1') {
    // invites-v1.yaml: `type: array, minItems: 2, maxItems: 2`, items 200 and {"event": ...}.
    if (!Array.isArray(body)) return fail('bad_response_shape', 'v1 answers are [200, {"event": ...}]');
    if (body.length !== 2) {
      return fail('bad_response_shape', `v1 answers have exactly 2 elements, got ${body.length}`);
    }
    const code = body[0];
    if (!((typeof code === 'number' && code === 200) || (typeof code === 'bigint' && code === 200n))) {
      return fail('bad_response_shape', 'the first element of a v1 answer must be the integer 200', [0]);
    }
    container = body[1] as JsonValue;
    prefix = [1];
  } else {
    container = body;
    prefix = [];
  }
  if (!isJsonObject(container)) {
    return fail('bad_response_shape', `expected an object {"event": ...}`, prefix);
  }
  const event = getOwn(container, 'event');
  if (!isJsonObject(event))
    return fail('bad_response_shape', '"event" must be an object', [...prefix, 'event']);
  const extra = Object.keys(container).filter((k) => k !== 'event');
  if (extra.length > 0) {
    warnings.push({
      reason: 'extra_response_keys',
      message: `ignored keys beside "event": ${extra.map((k) => JSON.stringify(k)).join(', ')}`,
      path: prefix,
    });
  }
  return E.right(event);
}

/** The first top-level key (other than signatures/unsigned) whose value differs, or undefined. */
function firstDifference(sent: JsonObject, returned: JsonObject): string | undefined {
  const keys = new Set([...Object.keys(sent), ...Object.keys(returned)]);
  for (const key of keys) {
    if (key === 'signatures' || key === 'unsigned') continue;
    const a = getOwn(sent, key);
    const b = getOwn(returned, key);
    if (a === undefined || b === undefined) {
      if (a !== b) return key;
      continue;
    }
    const ca = canonical(a);
    if (ca === undefined || ca !== canonical(b)) return key;
  }
  return undefined;
}

/**
 * The invitee's server: the text after the first `:` of the sent event's `state_key` (spec "Inviting to a room": the
 * invited server countersigns). It must not be a server that already signed the sent event, whose signatures would
 * otherwise pass for the countersignature; a caller-given `inviteeServer` must be the same.
 */
function inviteeServerOf(sentEvent: JsonObject, given: unknown): E.Either<InviteSendError, string> {
  const stateKey = getOwn(sentEvent, 'state_key');
  const colon = typeof stateKey === 'string' ? stateKey.indexOf(':') : -1;
  if (typeof stateKey !== 'string' || colon < 0 || colon === stateKey.length - 1) {
    return fail('invalid_sent_event', 'the sent event has no state_key naming a user on a server', [
      'state_key',
    ]);
  }
  const server = stateKey.slice(colon + 1);
  if (given !== undefined && given !== server) {
    return fail(
      'invalid_context',
      `inviteeServer is ${describeUnknown(typeof given === 'string' ? JSON.stringify(given) : given)}, but the invitee ${JSON.stringify(stateKey)} is on ${JSON.stringify(server)}`,
    );
  }
  const signatures = getOwn(sentEvent, 'signatures');
  if (isJsonObject(signatures) && Object.hasOwn(signatures, server)) {
    return fail(
      'invalid_sent_event',
      `the invitee's server ${JSON.stringify(server)} already signed the sent event: its signatures cannot stand for a countersignature`,
      ['signatures', server],
    );
  }
  return E.right(server);
}

/** Caller mistakes in the context (`invalid_context`), read once up front; `undefined` when usable. */
function contextProblem(context: VerifyInviteResponseContext): string | undefined {
  if (typeof context !== 'object' || context === null) {
    return `context must be { apiVersion, sentEvent, roomVersion, keys }, got ${describeValue(context)}`;
  }
  return firstProblem(
    () =>
      context.apiVersion === 'v1' || context.apiVersion === 'v2'
        ? undefined
        : `apiVersion must be "v1" or "v2", got ${describeValue(context.apiVersion)}`,
    () =>
      context.inviteeServer === undefined || typeof context.inviteeServer === 'string'
        ? undefined
        : `inviteeServer must be a string, got ${describeValue(context.inviteeServer)}`,
    () =>
      typeof context.keys === 'function'
        ? undefined
        : `keys must be a key lookup function, got ${describeValue(context.keys)}`,
    () => booleanProblem('lenient', context.lenient),
    () => finiteNumberProblem('now', context.now),
    () => enumProblem('backend', context.backend, BACKEND_NAMES),
    () => functionProblem('verifier', context.verifier),
    () => enumProblem('base64Mode', context.base64Mode, BASE64_MODES),
  );
}

/** Caller mistakes in the response (`invalid_params`): not `{ status, body }` as HTTP gives it. */
function responseProblem(response: InviteHttpResponse): string | undefined {
  if (typeof response !== 'object' || response === null)
    return `response must be { status, body }, got ${describeValue(response)}`;
  if (typeof response.status !== 'number')
    return `response.status must be the HTTP status (a number), got ${describeValue(response.status)}`;
  const body: unknown = response.body;
  if (typeof body === 'string' || isUint8Array(body) || body === undefined) return undefined;
  const problem = jsonValueProblem(body);
  return problem === undefined
    ? undefined
    : `response.body must be the raw bytes (Uint8Array), the text or a parsed JSON value: ${problem.replace(/^\$/, 'body')}`;
}

function isInteger(value: unknown): value is number | bigint {
  return typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value));
}

/**
 * Verifies the invitee's answer to an invite request (see the module documentation for the checks) and returns
 * the doubly signed event. `response` is the HTTP answer, as {@link shouldFallbackToV1} and
 * {@link interpretInviteError} take it (the body best raw, as text or bytes). Never throws; the inputs are not
 * modified.
 *
 * @example
 * verifyInviteResponse({ status: 200, body: responseText }, { apiVersion: 'v2', sentEvent: built.event,
 *   roomVersion: '10', keys })
 * // Right({ event: {..., signatures: {'inviter.example': {...}, 'invitee.example': {...}}}, eventId, ... })
 *
 * @category Sending
 */
export function verifyInviteResponse(
  response: InviteHttpResponse,
  context: VerifyInviteResponseContext,
): E.Either<InviteSendError, VerifiedInviteResponse> {
  // The context's settings are read once, from a copy: a getter cannot answer differently later.
  const read = checkedContext(context, contextProblem);
  if ('problem' in read) return fail('invalid_context', read.problem);
  try {
    const responseIssue = responseProblem(response);
    if (responseIssue !== undefined) return fail('invalid_params', responseIssue);
    return verifyResponse(response, read.settings);
  } catch (error) {
    return fail('invalid_params', `the response cannot be read: ${errorText(error)}`);
  }
}

function verifyResponse(
  response: InviteHttpResponse,
  context: VerifyInviteResponseContext,
): E.Either<InviteSendError, VerifiedInviteResponse> {
  const options = context;
  const { apiVersion, keys } = context;
  const sentEvent = context.sentEvent as JsonObject;
  const status = response.status;
  const resolved = getRoomVersion(context.roomVersion);
  if (E.isLeft(resolved))
    return fail('unknown_room_version', resolved.left.message, [], { cause: resolved.left });
  const rules = resolved.right;
  const prepared = prepareEvent(sentEvent, rules);
  if (E.isLeft(prepared))
    return fail('invalid_sent_event', prepared.left.message, [], { cause: prepared.left });
  // The invitee is the server of the sent event's state_key (spec: the invited user's server countersigns).
  const invitee = inviteeServerOf(sentEvent, context.inviteeServer);
  if (E.isLeft(invitee)) return invitee;
  const inviteeServer = invitee.right;

  if (status !== 200) {
    const body = response.body;
    const raw = typeof body === 'string' || isUint8Array(body) || isJsonObject(body) ? body : null;
    const interpretation = interpretInviteError({ status, body: raw });
    // `interpretation.errcode` defaults to M_UNKNOWN; say so when the invitee sent no errcode at all.
    const sent =
      interpretation.remoteErrcode === undefined
        ? 'without a Matrix error code'
        : `${interpretation.remoteErrcode}${interpretation.error === undefined ? '' : `: ${interpretation.error}`}`;
    return fail('error_status', `the invitee's server answered ${describeUnknown(status)} ${sent}`, [], {
      interpretation,
    });
  }

  let body: JsonValue;
  const raw = response.body;
  if (typeof raw === 'string' || isUint8Array(raw)) {
    const parsed = parseJson(raw);
    if (E.isLeft(parsed))
      return fail('invalid_json', `the answer is not JSON: ${parsed.left.message}`, [], {
        cause: parsed.left,
      });
    body = parsed.right;
  } else {
    body = (raw ?? null) as JsonValue;
  }

  const warnings: InviteResponseWarning[] = [];
  const extracted = extractEvent(apiVersion, body, warnings);
  if (E.isLeft(extracted)) return extracted;
  const returned = extracted.right;
  const eventPath: JsonPath = apiVersion === 'v1' ? [1, 'event'] : ['event'];

  // 2. PDU shape, strict canonical JSON in rooms 6+ (Synapse `event_from_pdu_json`).
  const shape = validatePduShape({ event: returned, roomVersion: rules });
  if (E.isLeft(shape)) {
    const reason = shape.left.reason === 'not_canonical_json' ? 'not_canonical_json' : 'invalid_pdu';
    return fail(reason, shape.left.message, [...eventPath, ...shape.left.path], { cause: shape.left });
  }
  const returnedEvent: JsonObject = shape.right;

  // 3. Everything but signatures and unsigned is what was sent.
  const differing = firstDifference(sentEvent, returnedEvent);
  if (differing !== undefined) {
    return fail(
      'event_mismatch',
      `the returned event's ${JSON.stringify(differing)} differs from the one sent`,
      [...eventPath, differing],
    );
  }

  // 4. The sent signatures are all there, unchanged (a policy server's included).
  const sentSignatures = getOwn(sentEvent, 'signatures');
  const sentSigs: JsonObject = isJsonObject(sentSignatures) ? sentSignatures : {};
  const returnedSigs = getOwn(returnedEvent, 'signatures') as JsonObject;
  for (const server of Object.keys(sentSigs)) {
    const sentServer = getOwn(sentSigs, server);
    const backServer = getOwn(returnedSigs, server);
    const path = [...eventPath, 'signatures', server];
    if (!isJsonObject(sentServer)) continue;
    if (!isJsonObject(backServer)) {
      return fail('inviter_signature_changed', `the signatures of ${server} were removed`, path);
    }
    for (const keyId of Object.keys(sentServer)) {
      if (getOwn(backServer, keyId) !== getOwn(sentServer, keyId)) {
        return fail(
          'inviter_signature_changed',
          `the signature ${keyId} of ${server} was removed or changed`,
          [...path, keyId],
        );
      }
    }
    if (server !== inviteeServer) {
      const added = Object.keys(backServer).filter((k) => !Object.hasOwn(sentServer, k));
      if (added.length > 0) {
        return fail(
          'inviter_signature_changed',
          `signatures were added under ${server}: ${added.join(', ')}`,
          [...path, added[0] as string],
        );
      }
    }
  }

  // 5. The invitee's signature (the step Synapse skips: "TODO: Make sure the signatures actually are correct").
  const inviteeSigs = getOwn(returnedSigs, inviteeServer);
  const inviteePath = [...eventPath, 'signatures', inviteeServer];
  let inviteeKeyIds: readonly string[] = [];
  const downgrade = (
    reason: 'missing_invitee_signature' | 'unverifiable_invitee_signature',
    message: string,
  ) => {
    if (options.lenient !== true) return fail(reason, message, inviteePath);
    warnings.push({ reason, message, path: inviteePath });
    return undefined;
  };
  if (inviteeSigs === undefined || (isJsonObject(inviteeSigs) && Object.keys(inviteeSigs).length === 0)) {
    const refused = downgrade('missing_invitee_signature', `${inviteeServer} did not sign the invite`);
    if (refused !== undefined) return refused;
  } else {
    const validAt = rules.enforceKeyValidity ? getOwn(sentEvent, 'origin_server_ts') : undefined;
    let lookupProblem: string | undefined;
    const lookupAt = isInteger(validAt) ? Number(validAt) : undefined;
    const lookup: KeyLookup = (server, keyId) => {
      const found = lookUpVerifyKey(keys, server, keyId, lookupAt);
      if (found.kind === 'invalid') lookupProblem ??= found.message;
      if (found.kind !== 'found') return undefined;
      // Rooms 5+: the key must be valid at origin_server_ts (one rule, src/crypto/key-validity.ts).
      if (isInteger(validAt) && !isKeyValidAt(found.entry, validAt, options.now)) return undefined;
      return found.entry;
    };
    const withInviteeOnly: MutableJsonObject = {};
    setOwn(withInviteeOnly, inviteeServer, inviteeSigs);
    const verified = verifyServerSignatures({ signatures: withInviteeOnly }, inviteeServer, lookup, {
      signedBytes: prepared.right.signingBytes,
      base64Mode: options.base64Mode ?? 'lenient',
      ...ed25519OptionsOf(options),
    });
    // The caller's key lookup answered junk or threw: its mistake, not the invitee's.
    if (lookupProblem !== undefined) return fail('invalid_context', lookupProblem, inviteePath);
    if (E.isLeft(verified)) {
      const unverifiable: readonly SignatureError['reason'][] = [
        'no_known_keys',
        'no_supported_signatures',
        'invalid_key_id',
        'key_lookup_failed',
      ];
      const message = `the signature of ${inviteeServer}: ${verified.left.message}`;
      if (unverifiable.includes(verified.left.reason)) {
        const refused = downgrade('unverifiable_invitee_signature', message);
        if (refused !== undefined) return refused;
      } else {
        return fail('bad_invitee_signature', message, [...eventPath, ...verified.left.path], {
          cause: verified.left,
        });
      }
    } else {
      inviteeKeyIds = verified.right;
    }
  }

  // The doubly signed event: the sent event (minus unsigned) with the invitee's signatures merged in.
  const signatures: MutableJsonObject = {};
  for (const server of Object.keys(sentSigs)) setOwn(signatures, server, sentSigs[server] as JsonValue);
  if (isJsonObject(inviteeSigs) && Object.keys(inviteeSigs).length > 0)
    setOwn(signatures, inviteeServer, inviteeSigs);
  const dropped = Object.keys(returnedSigs).filter(
    (s) => !Object.hasOwn(signatures, s) && s !== inviteeServer,
  );
  if (dropped.length > 0) {
    warnings.push({
      reason: 'unexpected_signatures',
      message: `dropped signatures of ${dropped.join(', ')}`,
      path: [...eventPath, 'signatures'],
    });
  }
  const event: MutableJsonObject = {};
  const base = omitKeys(sentEvent, ['unsigned']);
  for (const key of Object.keys(base)) setOwn(event, key, base[key] as JsonValue);
  setOwn(event, 'signatures', signatures);

  let eventId: string;
  if (rules.eventIdFormat === 'v1') {
    const id = getOwn(sentEvent, 'event_id');
    if (typeof id !== 'string')
      return fail('invalid_sent_event', 'rooms 1-2: the sent event has no event_id');
    eventId = id;
  } else {
    const id = prepared.right.eventId();
    if (E.isLeft(id)) return fail('invalid_sent_event', id.left.message, [], { cause: id.left });
    eventId = id.right;
  }
  return E.right({ event: event as InviteEvent, eventId, inviteeKeyIds, warnings });
}
