/**
 * A correct invite endpoint built on the library: body limit, X-Matrix (`verifyRequest`) with keys from a
 * server-key store, then `receiveInvite`. Used in-process by the conformance tests and behind node:http by the
 * CLI end-to-end test. `keysFor` is the key source: a pre-seeded store, or one that fetches what it lacks.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { ConformanceRequest, ConformanceResponse } from '../../src/conformance/index.js';
import { signingKeyFromSeed } from '../../src/crypto/keys.js';
import type { KeyLookup, SigningKey } from '../../src/crypto/types.js';
import { type InvitePolicy, receiveInvite } from '../../src/invite/receive/receive.js';
import { parseJson } from '../../src/json/parse.js';
import { isJsonObject, type JsonValue } from '../../src/json/value.js';
import { buildServerKeys } from '../../src/server-keys/build.js';
import { parseXMatrixHeader } from '../../src/x-matrix/header.js';
import { verifyRequest } from '../../src/x-matrix/verify.js';

/** 2026-01-01T00:00:00Z. */
export const NOW = 1_767_225_600_000;
/** The target: a server name with a port (the port-unaware defect shows on it). */
export const TARGET = 'invitee.test:8448';
export const INVITEE = '@bob:invitee.test:8448';
export const targetKey: SigningKey = (() => {
  const key = signingKeyFromSeed({ seed: new Uint8Array(32).fill(0x51), version: 't1' });
  if (E.isLeft(key)) throw new Error(key.left.message);
  return key.right;
})();

/** Synapse's request limit: 200 × 65536 bytes (synapse/api/constants.py MAX_REQUEST_SIZE). */
export const MAX_BODY_BYTES = 200 * 65536;
/** A smaller limit for the many runs of the defect matrix (the kit's `bodyLimitBytes` follows it). */
export const SMALL_BODY_LIMIT = 1 << 20;
const INVITE_PATH = /^\/_matrix\/federation\/(v1|v2)\/invite\/([^/?]+)\/([^/?]+)$/;
const utf8 = new TextEncoder();

/** Resolves the keys an invite from `servers` needs (the X-Matrix origin and the event's sender's server). */
export type KeySource = (servers: readonly string[]) => Promise<KeyLookup>;

/** A JSON answer. */
export function answer(status: number, body: object | Uint8Array): ConformanceResponse {
  return { status, body: body instanceof Uint8Array ? body : utf8.encode(JSON.stringify(body)) };
}

/** Our own GET /_matrix/key/v2/server answer. */
export function ownKeyAnswer(serverName: string, key: SigningKey, now: number): Uint8Array {
  const built = buildServerKeys({ serverName, signingKey: key, validUntilTs: now + 86_400_000 });
  if (E.isLeft(built)) throw new Error(built.left.message);
  return built.right.bytes;
}

/** The sender's server of the event in a parsed invite body (v2: `event.sender`, v1: `sender`). */
export function senderServer(body: JsonValue | undefined): string | undefined {
  const event = isJsonObject(body) && isJsonObject(body.event) ? body.event : body;
  const sender = isJsonObject(event) ? event.sender : undefined;
  return typeof sender === 'string' && sender.includes(':')
    ? sender.slice(sender.indexOf(':') + 1)
    : undefined;
}

export interface ReferenceTargetOptions {
  readonly serverName?: string;
  readonly signingKey?: SigningKey;
  readonly keysFor: KeySource;
  readonly now?: number;
  readonly policy?: InvitePolicy;
  /** The request body limit (default Synapse's, {@link MAX_BODY_BYTES}). */
  readonly maxBodyBytes?: number;
}

/** The endpoint, as a function of the request. */
export function referenceTarget(
  options: ReferenceTargetOptions,
): (request: ConformanceRequest) => Promise<ConformanceResponse> {
  const serverName = options.serverName ?? TARGET;
  const signingKey = options.signingKey ?? targetKey;
  const now = options.now ?? NOW;
  return async (request) => {
    if (request.method === 'GET' && request.path === '/_matrix/key/v2/server') {
      return answer(200, ownKeyAnswer(serverName, signingKey, now));
    }
    const match = INVITE_PATH.exec(request.path);
    if (request.method !== 'PUT' || match === null) {
      return answer(404, { errcode: 'M_UNRECOGNIZED', error: 'Unrecognized request' });
    }
    // 1. Bound the body before reading it (Synapse: 413 from the HTTP layer).
    if (request.body.length > (options.maxBodyBytes ?? MAX_BODY_BYTES)) {
      return answer(413, { errcode: 'M_TOO_LARGE', error: 'Request content is too large' });
    }
    // 2. X-Matrix (no header at all: verifyRequest answers 401 M_UNAUTHORIZED, as Synapse).
    const authorization = request.headers.authorization;
    const content = parseJson(request.body);
    if (E.isLeft(content)) return answer(400, { errcode: 'M_NOT_JSON', error: 'Content not JSON.' });
    // Keys are fetched only for a header that names an origin (none for a request without one).
    const header = parseXMatrixHeader(authorization);
    const origin = E.isRight(header) ? header.right.origin : undefined;
    const keys = await options.keysFor(
      origin === undefined ? [] : [origin, senderServer(content.right) ?? origin],
    );
    const auth = verifyRequest(
      { method: request.method, uri: request.path, content: content.right, authorization },
      { serverName, keys, now },
    );
    if (E.isLeft(auth)) return answer(auth.left.status, auth.left.body);
    // 3. The invite.
    const result = receiveInvite(
      {
        apiVersion: match[1] as 'v1' | 'v2',
        roomId: decodeURIComponent(match[2] as string),
        eventId: decodeURIComponent(match[3] as string),
        origin: auth.right.origin,
        body: request.body,
      },
      {
        serverName,
        signingKey,
        keys,
        now,
        ...(options.policy === undefined ? {} : { policy: options.policy }),
      },
    );
    return E.isRight(result)
      ? answer(200, result.right.responseBytes)
      : answer(result.left.status, result.left.body);
  };
}
