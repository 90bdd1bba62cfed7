/**
 * A full invite over real HTTP on loopback (node:http servers, fetch clients). Each server publishes its own
 * `GET /_matrix/key/v2/server` answer built with buildServerKeys. On `PUT /_matrix/federation/v2/invite/...` the
 * invitee asks its key store what it lacks (`missing`), fetches the origin's key answer over HTTP, verifies it
 * with verifyServerKeys, adds it to the store, authenticates the request (X-Matrix, verifyRequest) and only then
 * calls receiveInvite. The inviter fetches the invitee's keys the same way and checks the answer
 * (verifyInviteResponse). Forged key answers and old keys are refused before receiveInvite runs.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signingKeyFromSeed } from '../../src/crypto/keys.js';
import type { SigningKey } from '../../src/crypto/types.js';
import { receiveInvite } from '../../src/invite/receive/receive.js';
import { buildInviteEvent } from '../../src/invite/send/build-event.js';
import { buildInviteRequest } from '../../src/invite/send/request.js';
import { verifyInviteResponse } from '../../src/invite/send/response.js';
import { encodeCanonicalJson } from '../../src/json/canonical.js';
import { parseJson } from '../../src/json/parse.js';
import type { JsonObject } from '../../src/json/value.js';
import { buildServerKeys } from '../../src/server-keys/build.js';
import { createServerKeyStore, type ServerKeyStore } from '../../src/server-keys/store.js';
import { verifyServerKeys } from '../../src/server-keys/verify.js';
import { parseXMatrixHeader } from '../../src/x-matrix/header.js';
import { signRequest } from '../../src/x-matrix/sign.js';
import { verifyRequest } from '../../src/x-matrix/verify.js';
import { inviteParams } from '../invite/send-helpers.js';
import {
  DAY,
  current1 as inviterKey,
  current2 as inviterNextKey,
  oldKey as inviterOldKey,
  NOW,
  right,
  signAs,
  stranger,
  text,
} from './helpers.js';

const INVITER = 'inviter.example';
const INVITEE = 'invitee.example';
const inviteeKey: SigningKey = right(
  signingKeyFromSeed({ seed: new Uint8Array(32).fill(0x31), version: 'b1' }),
);
const utf8 = new TextEncoder();
const unsigned = ({ signatures: _, ...rest }: JsonObject): JsonObject => rest;

/** Where each server name listens (the test's stand-in for server discovery). */
const directory = new Map<string, string>();
const servers: Server[] = [];

/** What each key server serves at /_matrix/key/v2/server (tests swap in forgeries). */
const published = new Map<string, Uint8Array>();
/** Every step, in order, as the servers saw it. */
const log: string[] = [];
let receiveInviteCalls = 0;

const ourAnswer = (
  serverName: string,
  signingKey: SigningKey | readonly SigningKey[],
  oldKeys = [] as { keyId: string; key: string; expiredTs: number }[],
) => right(buildServerKeys({ serverName, signingKey, validUntilTs: NOW + DAY, oldKeys })).bytes;

async function readBody(request: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

function send(response: ServerResponse, status: number, body: Uint8Array | object): void {
  const bytes = body instanceof Uint8Array ? body : utf8.encode(JSON.stringify(body));
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.length });
  response.end(bytes);
}

/** Fetches and verifies a server's key answer over HTTP. */
async function fetchKeys(
  whoAsks: string,
  serverName: string,
  store: ServerKeyStore,
): Promise<E.Either<string, ServerKeyStore>> {
  const base = directory.get(serverName);
  if (base === undefined) return E.left(`no route to ${serverName}`);
  log.push(`${whoAsks}: GET ${serverName}/_matrix/key/v2/server`);
  const response = await fetch(`${base}/_matrix/key/v2/server`);
  const body = new Uint8Array(await response.arrayBuffer());
  const verified = verifyServerKeys(body, { serverName, now: NOW });
  if (E.isLeft(verified)) {
    log.push(`${whoAsks}: keys of ${serverName} refused (${verified.left.reason})`);
    return E.left(verified.left.reason);
  }
  log.push(`${whoAsks}: keys of ${serverName} verified`);
  return E.mapLeft((error: { message: string }) => error.message)(store.add(verified.right));
}

/** The invitee's state: its key store, which grows as it fetches. */
let inviteeStore: ServerKeyStore = right(createServerKeyStore());

async function inviteeHandles(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const uri = request.url ?? '';
  if (request.method === 'GET' && uri === '/_matrix/key/v2/server') {
    send(response, 200, published.get(INVITEE) as Uint8Array);
    return;
  }
  const match = /^\/_matrix\/federation\/v2\/invite\/([^/]+)\/([^/]+)$/.exec(uri);
  if (request.method !== 'PUT' || match === null) {
    send(response, 404, { errcode: 'M_UNRECOGNIZED', error: 'Unrecognized request' });
    return;
  }
  const body = await readBody(request);
  const authorization = request.headers.authorization ?? '';
  const header = parseXMatrixHeader(authorization);
  if (E.isLeft(header)) {
    send(response, 400, { errcode: 'M_UNAUTHORIZED', error: header.left.message });
    return;
  }
  const { origin, key } = header.right;
  log.push(`invitee: PUT invite from ${origin} signed with ${key}`);
  // 1. Keys first: fetch what the store lacks for this request (valid now: X-Matrix checks the current time).
  const needed = right(inviteeStore.missing([{ serverName: origin, keyId: key, validAt: NOW }]));
  if (needed.length > 0) {
    const fetched = await fetchKeys('invitee', origin, inviteeStore);
    if (E.isLeft(fetched)) {
      send(response, 401, {
        errcode: 'M_UNAUTHORIZED',
        error: `cannot verify the keys of ${origin}: ${fetched.left}`,
      });
      return;
    }
    inviteeStore = fetched.right;
  }
  // 2. Then the request's X-Matrix signature, with the verified keys.
  const content = parseJson(body);
  const auth = verifyRequest(
    { method: 'PUT', uri, content: E.isRight(content) ? content.right : null, authorization },
    { serverName: INVITEE, keys: inviteeStore.lookup, now: NOW },
  );
  if (E.isLeft(auth)) {
    log.push(`invitee: X-Matrix refused (${auth.left.reason})`);
    send(response, auth.left.status, auth.left.body);
    return;
  }
  log.push(`invitee: X-Matrix verified (${auth.right.origin} ${auth.right.keyId})`);
  // 3. Only now the invite itself.
  receiveInviteCalls++;
  const result = receiveInvite(
    {
      apiVersion: 'v2',
      roomId: decodeURIComponent(match[1] as string),
      eventId: decodeURIComponent(match[2] as string),
      origin: auth.right.origin,
      body,
    },
    { serverName: INVITEE, signingKey: inviteeKey, keys: inviteeStore.lookup, now: NOW },
  );
  if (E.isLeft(result)) {
    log.push(`invitee: invite refused (${result.left.reason})`);
    send(response, result.left.status, result.left.body);
    return;
  }
  log.push('invitee: invite accepted and countersigned');
  send(response, 200, result.right.responseBytes);
}

async function inviterHandles(request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method === 'GET' && request.url === '/_matrix/key/v2/server') {
    log.push('inviter: served its keys');
    send(response, 200, published.get(INVITER) as Uint8Array);
    return;
  }
  send(response, 404, { errcode: 'M_UNRECOGNIZED', error: 'Unrecognized request' });
}

async function listen(name: string, handler: (q: IncomingMessage, r: ServerResponse) => Promise<void>) {
  const server = createServer((q, r) => {
    handler(q, r).catch((error: unknown) => send(r, 500, { errcode: 'M_UNKNOWN', error: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  directory.set(name, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
}

/** The inviter's side: build, sign and PUT the invite, then check the answer with the invitee's fetched keys. */
async function invite(signingKey: SigningKey = inviterKey, originServerTs = NOW - 1000) {
  const built = right(
    buildInviteEvent({ ...inviteParams('10'), originServerTs, serverName: INVITER, signingKey }),
  );
  const request = right(buildInviteRequest({ apiVersion: 'v2', roomVersion: '10', event: built.event }));
  const authorization = right(
    signRequest(
      { method: 'PUT', uri: request.path, origin: INVITER, destination: INVITEE, content: request.body },
      signingKey,
    ),
  );
  log.push(`inviter: PUT ${request.path.slice(0, 30)}…`);
  const response = await fetch(`${directory.get(INVITEE)}${request.path}`, {
    method: 'PUT',
    headers: { authorization, 'content-type': 'application/json' },
    body: right(encodeCanonicalJson(request.body)),
  });
  const body = new Uint8Array(await response.arrayBuffer());
  return { status: response.status, body, sent: built.event };
}

beforeAll(async () => {
  await listen(INVITER, inviterHandles);
  await listen(INVITEE, inviteeHandles);
  published.set(INVITEE, ourAnswer(INVITEE, inviteeKey));
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('an invite over HTTP, keys fetched and verified first', () => {
  it('refuses the invite when the inviter serves a forged key answer, before receiveInvite runs', async () => {
    const genuine = JSON.parse(new TextDecoder().decode(ourAnswer(INVITER, inviterKey))) as JsonObject;
    const forgeries: [string, Uint8Array][] = [
      ['valid_until_ts changed', utf8.encode(JSON.stringify({ ...genuine, valid_until_ts: NOW + 30 * DAY }))],
      [
        'signed by another key under the listed key ID',
        utf8.encode(text(signAs(unsigned(genuine), INVITER, stranger))),
      ],
      ['another server name', ourAnswer('evil.example', inviterKey)],
      ['not JSON', utf8.encode('<html>nope</html>')],
    ];
    for (const [name, forged] of forgeries) {
      published.set(INVITER, forged);
      log.length = 0;
      const answer = await invite();
      expect(answer.status, name).toBe(401);
      expect(JSON.parse(new TextDecoder().decode(answer.body)).errcode).toBe('M_UNAUTHORIZED');
      expect(
        log.some((line) => line.startsWith(`invitee: keys of ${INVITER} refused`)),
        name,
      ).toBe(true);
    }
    expect(receiveInviteCalls).toBe(0);
    expect(inviteeStore.keys).toEqual([]);
  });

  it('accepts the invite once the genuine answer is served: fetch, verify, X-Matrix, receiveInvite, in that order', async () => {
    published.set(
      INVITER,
      ourAnswer(INVITER, inviterKey, [
        { keyId: inviterOldKey.keyId, key: inviterOldKey.publicKey, expiredTs: NOW - DAY },
      ]),
    );
    log.length = 0;
    const answer = await invite();
    expect(answer.status).toBe(200);
    expect(log).toEqual([
      'inviter: PUT /_matrix/federation/v2/invite/…',
      `invitee: PUT invite from ${INVITER} signed with ${inviterKey.keyId}`,
      `invitee: GET ${INVITER}/_matrix/key/v2/server`,
      'inviter: served its keys',
      `invitee: keys of ${INVITER} verified`,
      `invitee: X-Matrix verified (${INVITER} ${inviterKey.keyId})`,
      'invitee: invite accepted and countersigned',
    ]);
    expect(receiveInviteCalls).toBe(1);

    // The inviter checks the answer with the invitee's keys, fetched and verified the same way.
    const inviterStore = right(await fetchKeys('inviter', INVITEE, right(createServerKeyStore())));
    const verified = verifyInviteResponse(
      { status: answer.status, body: answer.body },
      {
        apiVersion: 'v2',
        sentEvent: answer.sent,
        roomVersion: '10',
        inviteeServer: INVITEE,
        keys: inviterStore.lookup,
        now: NOW,
      },
    );
    expect(E.isRight(verified)).toBe(true);
    if (E.isRight(verified)) {
      expect(Object.keys(verified.right.event.signatures as JsonObject).sort()).toEqual([INVITEE, INVITER]);
    }
  });

  it('a second invite with the same key needs no fetch (the store has it)', async () => {
    log.length = 0;
    const answer = await invite();
    expect(answer.status).toBe(200);
    expect(log.filter((line) => line.includes('GET'))).toEqual([]);
    expect(receiveInviteCalls).toBe(2);
  });

  it("refuses a request signed with the inviter's old key (old_verify_keys only sign events)", async () => {
    log.length = 0;
    const answer = await invite(inviterOldKey, NOW - 2 * DAY);
    expect(answer.status).toBe(401);
    expect(log).toContain('invitee: X-Matrix refused (key_expired)');
    expect(receiveInviteCalls).toBe(2);
  });

  it('fetches again for a key it has not seen (a rotated key), then accepts', async () => {
    published.set(INVITER, ourAnswer(INVITER, [inviterKey, inviterNextKey]));
    log.length = 0;
    const answer = await invite(inviterNextKey);
    expect(answer.status).toBe(200);
    expect(log).toContain(`invitee: GET ${INVITER}/_matrix/key/v2/server`);
    expect(receiveInviteCalls).toBe(3);
  });
});
