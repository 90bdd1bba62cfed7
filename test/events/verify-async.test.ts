/**
 * verifyEventSignaturesAsync gives exactly verifyEventSignatures' results: the gomatrixserverlib negatives of
 * vectors.json, several required servers (restricted joins), unknown, expired and throwing keys, bad signatures,
 * on every backend; and the key requests carry `validAt` in rooms 5+.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { collectKeyRequests, runWithAsyncKeys } from '../../src/crypto/async.js';
import type { Ed25519AsyncBackendName, KeyLookup } from '../../src/crypto/types.js';
import { signEvent } from '../../src/events/signing.js';
import { type VerifyEventOptions, verifyEventSignatures } from '../../src/events/verify.js';
import { verifyEventSignaturesAsync } from '../../src/events/verify-async.js';
import type { JsonObject } from '../../src/json/value.js';
import { asyncOf, snapshot } from '../helpers/async-keys.js';
import { type Vector, vectors } from '../helpers/fixtures.js';
import { ALL_ROOM_VERSIONS, lookupOf, namedKey, parseEvent, right } from './helpers.js';

const BACKENDS: readonly (Ed25519AsyncBackendName | undefined)[] = ['webcrypto', 'node', 'noble', undefined];
const spec = namedKey('spec', '1');
const other = namedKey('gmsl_keyring', 'a_Obwu');
const stranger = namedKey('gmsl_keyring', 'x');

function joinEvent(
  rv: string,
  signers: readonly ['inviter.example' | 'resident.example', typeof spec][],
): JsonObject {
  let event: JsonObject = {
    type: 'm.room.member',
    state_key: '@bob:invitee.example',
    sender: '@bob:inviter.example',
    room_id: '!room:inviter.example',
    origin_server_ts: 1_700_000_000_000,
    depth: 10,
    auth_events: [],
    prev_events: [],
    content: { membership: 'join', join_authorised_via_users_server: '@admin:resident.example' },
    ...(Number(rv) <= 2 ? { event_id: '$abc:elsewhere.example' } : {}),
  };
  for (const [server, key] of signers)
    event = right(signEvent({ event, roomVersion: rv, serverName: server, signingKey: key }));
  return event;
}

const bothServers = lookupOf([
  ['inviter.example', spec],
  ['resident.example', other],
]);

async function expectSameEverywhere(
  event: JsonObject,
  rv: string,
  keys: KeyLookup,
  options: VerifyEventOptions = {},
) {
  const sync = verifyEventSignatures({ event, roomVersion: rv, keys, ...options });
  for (const backend of BACKENDS) {
    const result = await verifyEventSignaturesAsync({
      event,
      roomVersion: rv,
      keys: asyncOf(keys),
      ...options,
      ...(backend ? { backend } : {}),
    });
    expect(snapshot(result)).toBe(snapshot(sync));
  }
  return sync;
}

describe('verifyEventSignaturesAsync equals verifyEventSignatures', () => {
  for (const vector of vectors.negative.filter((v) => v.kind === 'event_signature') as Vector[]) {
    it(`${vector.id} (vectors.json), rooms 1-12`, async () => {
      const event = parseEvent(vector.input_json_text);
      const keys = lookupOf([[vector.server_name, namedKey(vector.key, '1')]]);
      for (const rv of ALL_ROOM_VERSIONS) await expectSameEverywhere(event, rv, keys);
    });
  }

  it('several required servers (restricted join, event_id domain), every room version', async () => {
    for (const rv of ALL_ROOM_VERSIONS) {
      const signed = joinEvent(rv, [
        ['inviter.example', spec],
        ['resident.example', other],
      ]);
      await expectSameEverywhere(signed, rv, bothServers);
      await expectSameEverywhere(signed, rv, lookupOf([['inviter.example', spec]]));
      await expectSameEverywhere(joinEvent(rv, [['inviter.example', spec]]), rv, bothServers);
      const forged = joinEvent(rv, [
        ['inviter.example', spec],
        ['resident.example', stranger],
      ]);
      await expectSameEverywhere(
        forged,
        rv,
        lookupOf([
          ['inviter.example', spec],
          ['resident.example', { ...other, keyId: stranger.keyId }],
        ]),
      );
    }
  });

  it('expired keys, the 7-day cap, unknown and throwing lookups, tampered content', async () => {
    const event = joinEvent('10', [
      ['inviter.example', spec],
      ['resident.example', other],
    ]);
    const expired = lookupOf([
      ['inviter.example', spec, 1_699_999_999_999],
      ['resident.example', other],
    ]);
    await expectSameEverywhere(event, '10', expired);
    await expectSameEverywhere(event, '4', expired);
    await expectSameEverywhere(event, '10', bothServers, { now: 1_600_000_000_000 });
    await expectSameEverywhere(event, '10', () => undefined);
    await expectSameEverywhere(event, '10', () => {
      throw new Error('boom');
    });
    await expectSameEverywhere({ ...event, depth: 11 }, '10', bothServers);
    await expectSameEverywhere({ ...event, content: { membership: 'join' } }, '10', bothServers, {
      skipContentHash: true,
    });
  });
});

describe('key requests', () => {
  const event = joinEvent('10', [
    ['inviter.example', spec],
    ['resident.example', other],
  ]);

  it('list every missing key of every required server, with validAt in rooms 5+', () => {
    const noKeys: KeyLookup = () => undefined;
    const { result, keyRequests } = right(
      collectKeyRequests((keys) => verifyEventSignatures({ event, roomVersion: '10', keys }), noKeys),
    );
    expect(E.isLeft(result) && result.left.reason).toBe('no_verifiable_signature');
    expect(keyRequests).toEqual([
      { serverName: 'inviter.example', keyId: 'ed25519:1', validAt: 1_700_000_000_000 },
      { serverName: 'resident.example', keyId: 'ed25519:a_Obwu', validAt: 1_700_000_000_000 },
    ]);
    // Room 4: no key validity (no validAt) and no restricted joins (the inviter alone is required).
    const room4 = right(
      collectKeyRequests((keys) => verifyEventSignatures({ event, roomVersion: '4', keys }), noKeys),
    );
    expect(room4.keyRequests).toEqual([{ serverName: 'inviter.example', keyId: 'ed25519:1' }]);
    const known = right(
      collectKeyRequests((keys) => verifyEventSignatures({ event, roomVersion: '10', keys }), bothServers),
    );
    expect(known.keyRequests).toEqual([]);
    expect(E.isRight(known.result)).toBe(true);
  });

  it('the async lookup is called once per key, in parallel, and Web Crypto once per signature', async () => {
    const calls: string[] = [];
    let inFlight = 0;
    let most = 0;
    const keys = async (server: string, keyId: string, validAt?: number) => {
      calls.push(`${server} ${keyId} ${validAt}`);
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return bothServers(server, keyId);
    };
    const checked: number[] = [];
    const result = right(
      await runWithAsyncKeys(
        ({ keys: known, verifier }) =>
          verifyEventSignatures({
            event,
            roomVersion: '10',
            keys: known,
            verifier: (pk, msg, sig) => {
              const verdict = verifier(pk, msg, sig);
              checked.push(verdict ? 1 : 0);
              return verdict;
            },
          }),
        { keys, backend: 'webcrypto' },
      ),
    );
    expect(E.isRight(result)).toBe(true);
    expect(calls).toEqual([
      'inviter.example ed25519:1 1700000000000',
      'resident.example ed25519:a_Obwu 1700000000000',
    ]);
    expect(most).toBe(2);
    // pass 1: no keys; pass 2: two provisional verdicts; pass 3: the two real ones
    expect(checked).toEqual([1, 1, 1, 1]);
  });
});
