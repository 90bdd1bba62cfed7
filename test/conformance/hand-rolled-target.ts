/**
 * An invite endpoint written by hand from the library's building blocks (not `receiveInvite`), one check per
 * step, so that each defect class the conformance kit must catch is one switch:
 *
 * - `full-event-countersignature`: signs the full event instead of its redacted form;
 * - `bare-v1-answer`: answers v1 with `[200, event]` instead of `[200, {"event": event}]`;
 * - `no-sender-origin-check`: accepts events whose sender is not on the X-Matrix origin;
 * - `no-signature-check`: does not verify the sender's server's signature;
 * - `no-content-hash-check`: does not compare the content hash;
 * - `port-unaware-locality`: takes a user's server from `id.split(':')[1]`, dropping the port;
 * - `no-x-matrix-check`: never looks at the Authorization header.
 *
 * Without a defect it follows the spec (and passes every case).
 */
import * as E from 'fp-ts/lib/Either.js';
import type { ConformanceRequest, ConformanceResponse } from '../../src/conformance/index.js';
import { signJson } from '../../src/crypto/json-signing.js';
import type { KeyLookup, SigningKey } from '../../src/crypto/types.js';
import { checkContentHash, computeEventId } from '../../src/events/hashes.js';
import { checkEventLimits } from '../../src/events/limits.js';
import { validatePduShape } from '../../src/events/pdu.js';
import { prepareEvent } from '../../src/events/prepared.js';
import { countersignPrepared } from '../../src/events/signing.js';
import { verifyEventSignatures } from '../../src/events/verify.js';
import { checkStrictCanonicalJson, encodeCanonicalJson } from '../../src/json/canonical.js';
import { parseJson } from '../../src/json/parse.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../src/json/value.js';
import { getRoomVersion } from '../../src/room-versions/versions.js';
import { parseXMatrixHeader } from '../../src/x-matrix/header.js';
import { verifyRequest } from '../../src/x-matrix/verify.js';
import {
  answer,
  NOW,
  ownKeyAnswer,
  SMALL_BODY_LIMIT,
  senderServer,
  TARGET,
  targetKey,
} from './reference-target.js';

export const DEFECTS = [
  'full-event-countersignature',
  'bare-v1-answer',
  'no-sender-origin-check',
  'no-signature-check',
  'no-content-hash-check',
  'port-unaware-locality',
  'no-x-matrix-check',
] as const;
export type Defect = (typeof DEFECTS)[number];

const INVITE_PATH = /^\/_matrix\/federation\/(v1|v2)\/invite\/([^/?]+)\/([^/?]+)$/;
const SUPPORTED = new Set(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']);
const invalid = (error: string) => answer(400, { errcode: 'M_INVALID_PARAM', error });

export interface HandRolledOptions {
  readonly defect?: Defect;
  readonly keys: KeyLookup;
  readonly serverName?: string;
  readonly signingKey?: SigningKey;
}

export function handRolledTarget(
  options: HandRolledOptions,
): (request: ConformanceRequest) => Promise<ConformanceResponse> {
  const serverName = options.serverName ?? TARGET;
  const signingKey = options.signingKey ?? targetKey;
  const has = (defect: Defect) => options.defect === defect;
  // Right: the server name of a user ID is everything after the first colon. Wrong: the second field only.
  const domainOf = (id: string) =>
    has('port-unaware-locality') ? id.split(':')[1] : id.slice(id.indexOf(':') + 1);

  return async (request) => {
    if (request.method === 'GET' && request.path === '/_matrix/key/v2/server') {
      return answer(200, ownKeyAnswer(serverName, signingKey, NOW));
    }
    const match = INVITE_PATH.exec(request.path);
    if (request.method !== 'PUT' || match === null)
      return answer(404, { errcode: 'M_UNRECOGNIZED', error: '' });
    const [, api, pathRoomId, pathEventId] = match as unknown as [string, 'v1' | 'v2', string, string];
    if (request.body.length > SMALL_BODY_LIMIT)
      return answer(413, { errcode: 'M_TOO_LARGE', error: 'too large' });
    const parsed = parseJson(request.body);
    if (E.isLeft(parsed) || !isJsonObject(parsed.right))
      return answer(400, { errcode: 'M_NOT_JSON', error: '' });
    const body = parsed.right;

    // X-Matrix.
    const authorization = request.headers.authorization;
    let origin: string;
    if (has('no-x-matrix-check')) {
      const header = parseXMatrixHeader(authorization);
      origin = E.isRight(header) ? header.right.origin : (senderServer(body) ?? '');
    } else {
      const auth = verifyRequest(
        { method: 'PUT', uri: request.path, content: body, authorization },
        { serverName, keys: options.keys, now: NOW },
      );
      if (E.isLeft(auth)) return answer(auth.left.status, auth.left.body);
      origin = auth.right.origin;
    }

    // Room version and event.
    const roomVersion = api === 'v1' ? '1' : body.room_version;
    if (typeof roomVersion !== 'string' || !SUPPORTED.has(roomVersion)) {
      return answer(400, {
        errcode: 'M_INCOMPATIBLE_ROOM_VERSION',
        error: 'unsupported room version',
        room_version: String(roomVersion),
      });
    }
    const rules = getRoomVersion(roomVersion);
    if (E.isLeft(rules)) return answer(500, { errcode: 'M_UNKNOWN', error: rules.left.message });
    if (rules.right.strictCanonicalJson && E.isLeft(checkStrictCanonicalJson(body))) {
      return answer(400, { errcode: 'M_BAD_JSON', error: 'not canonical JSON' });
    }
    const event = api === 'v1' ? body : body.event;
    const shape = validatePduShape({ event, roomVersion: rules.right });
    if (E.isLeft(shape)) return answer(400, { errcode: 'M_BAD_JSON', error: shape.left.message });
    const pdu = event as JsonObject;
    if (E.isLeft(checkEventLimits(pdu)))
      return answer(400, { errcode: 'M_TOO_LARGE', error: 'event too large' });

    // Path IDs.
    let id: JsonValue | undefined = pdu.event_id;
    if (rules.right.eventIdFormat !== 'v1') {
      const computed = computeEventId(pdu, rules.right);
      id = E.isRight(computed) ? computed.right : undefined;
    }
    if (pdu.room_id !== decodeURIComponent(pathRoomId) || id !== decodeURIComponent(pathEventId)) {
      return invalid('the path does not match the event');
    }

    // The invite rules.
    const content = pdu.content as JsonObject;
    if (pdu.type !== 'm.room.member' || content.membership !== 'invite') return invalid('not an invite');
    const stateKey = String(pdu.state_key);
    if (domainOf(stateKey) !== serverName) return invalid('the invite is not for this server');
    if (!has('no-sender-origin-check') && domainOf(String(pdu.sender)) !== origin) {
      return invalid('the sender is not on the origin server');
    }
    if (!has('no-signature-check')) {
      const verified = verifyEventSignatures({
        event: pdu,
        roomVersion: rules.right,
        keys: options.keys,
        skipContentHash: true,
        now: NOW,
      });
      if (E.isLeft(verified)) return invalid(`signature check: ${verified.left.message}`);
    }
    if (!has('no-content-hash-check')) {
      const hash = checkContentHash(pdu);
      if (E.isLeft(hash) || !hash.right.matches) return invalid('content hash mismatch');
    }
    if (roomVersion === '12') {
      const state = body.invite_room_state;
      if (!Array.isArray(state) || !state.some((e) => isJsonObject(e) && e.type === 'm.room.create')) {
        return invalid('invite_room_state lacks the create event');
      }
    }

    // Countersign and answer.
    let signed: JsonObject;
    if (has('full-event-countersignature')) {
      const result = signJson({ value: pdu, serverName, signingKey });
      if (E.isLeft(result)) return answer(500, { errcode: 'M_UNKNOWN', error: result.left.message });
      signed = result.right;
    } else {
      const prepared = prepareEvent(pdu, rules.right);
      const result = E.isLeft(prepared)
        ? prepared
        : countersignPrepared(prepared.right, serverName, signingKey);
      if (E.isLeft(result)) return answer(500, { errcode: 'M_UNKNOWN', error: result.left.message });
      signed = result.right.event;
    }
    const response: JsonValue =
      api === 'v2' ? { event: signed } : has('bare-v1-answer') ? [200, signed] : [200, { event: signed }];
    const text = encodeCanonicalJson(response);
    return E.isLeft(text)
      ? answer(500, { errcode: 'M_UNKNOWN', error: text.left.message })
      : answer(200, new TextEncoder().encode(text.right));
  };
}
