/**
 * The async helpers give exactly the synchronous results: every rejection reason of receive-rejections (v1 and
 * v2), acceptances in every room version under the spec and Synapse-compatible policies, and the answers of
 * send-response, with an async key lookup answering out of order, on Web Crypto and on synchronous backends.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { AsyncKeyLookup, Ed25519AsyncBackendName } from '../../src/crypto/types.js';
import { prepareEvent } from '../../src/events/prepared.js';
import { countersignPrepared, signEvent } from '../../src/events/signing.js';
import {
  type InviteContext,
  receiveInvite,
  SYNAPSE_COMPATIBLE_POLICY,
} from '../../src/invite/receive/receive.js';
import { receiveInviteAsync } from '../../src/invite/receive/receive-async.js';
import { buildInviteEvent } from '../../src/invite/send/build-event.js';
import type { InviteHttpResponse } from '../../src/invite/send/fallback.js';
import { type VerifyInviteResponseContext, verifyInviteResponse } from '../../src/invite/send/response.js';
import { verifyInviteResponseAsync } from '../../src/invite/send/response-async.js';
import type { JsonObject } from '../../src/json/value.js';
import { asyncOf, rejecting, snapshot } from '../helpers/async-keys.js';
import { ALL_ROOM_VERSIONS, context, requestFor, right, roomStateFor, signedInvite } from './helpers.js';
import { CASES } from './rejection-cases.js';
import {
  bothKeys,
  INVITEE,
  INVITER,
  inviteeKey,
  inviteParams,
  inviterKey,
  lookupOf,
  strangerKey,
  stringify,
} from './send-helpers.js';

const BACKENDS: readonly (Ed25519AsyncBackendName | undefined)[] = ['webcrypto', 'noble', undefined];

function asyncContext(ctx: InviteContext, calls?: string[]) {
  return { ...ctx, keys: asyncOf(ctx.keys, calls) };
}

describe('receiveInviteAsync equals receiveInvite: every rejection reason', () => {
  for (const c of CASES) {
    for (const api of c.apis) {
      it(`${c.reason} (${api})`, async () => {
        const built = c.build(api);
        const ctx = built.context ?? context;
        const sync = receiveInvite(built.request, ctx);
        expect(E.isLeft(sync) && sync.left.reason).toBe(c.reason);
        for (const backend of BACKENDS) {
          const result = await receiveInviteAsync(built.request, {
            ...asyncContext(ctx),
            ...(backend ? { backend } : {}),
          });
          expect(snapshot(result)).toBe(snapshot(sync));
        }
      });
    }
  }
});

describe('receiveInviteAsync equals receiveInvite: acceptances', () => {
  for (const version of ALL_ROOM_VERSIONS) {
    const apis = version === '1' || version === '2' ? (['v1', 'v2'] as const) : (['v2'] as const);
    for (const api of apis) {
      it(`room ${version} (${api}), spec and Synapse policies, with invite_room_state`, async () => {
        const request = requestFor(api, version, signedInvite(version));
        for (const policy of [{ inviteRoomState: 'enforce' as const }, SYNAPSE_COMPATIBLE_POLICY]) {
          const ctx: InviteContext = { ...context, policy };
          const sync = receiveInvite(request, ctx);
          expect(E.isRight(sync)).toBe(true);
          for (const backend of BACKENDS) {
            const calls: string[] = [];
            const result = await receiveInviteAsync(request, {
              ...asyncContext(ctx, calls),
              ...(backend ? { backend } : {}),
            });
            expect(snapshot(result)).toBe(snapshot(sync));
            // Each distinct key is fetched once; rooms 5+ ask for it at the event's origin_server_ts.
            expect(new Set(calls).size).toBe(calls.length);
            if (Number(version) >= 5) expect(calls).toContain(`${INVITER} ed25519:1 1700000000000`);
            else expect(calls).toContain(`${INVITER} ed25519:1 -`);
          }
        }
      });
    }
  }

  it('answers with a key store that only knows keys asynchronously (nothing synchronous at all)', async () => {
    const store = new Map([[`${INVITER} ed25519:1`, { key: inviterKey.publicKey }]]);
    const keys: AsyncKeyLookup = async (server, keyId) => store.get(`${server} ${keyId}`);
    const request = requestFor('v2', '12', signedInvite('12'));
    const result = await receiveInviteAsync(request, { ...context, keys, backend: 'webcrypto' });
    expect(snapshot(result)).toBe(snapshot(receiveInvite(request, context)));
    expect(E.isRight(result) && result.right.inviteRoomState.every((e) => e.status === 'verified')).toBe(
      true,
    );
  });

  it('a rejecting async lookup (a failed key fetch) is an unknown key, as a lookup that does not know it', async () => {
    const request = requestFor('v2', '10', signedInvite('10'));
    for (const policy of [{}, SYNAPSE_COMPATIBLE_POLICY]) {
      const unknown: InviteContext = { ...context, policy, keys: () => undefined };
      const sync = receiveInvite(request, unknown);
      for (const backend of BACKENDS) {
        const result = await receiveInviteAsync(request, {
          ...context,
          policy,
          keys: rejecting(context.keys),
          ...(backend ? { backend } : {}),
        });
        expect(snapshot(result)).toBe(snapshot(sync));
      }
    }
    // The peer's answer, never a caller error: the spec mapping's 400 M_INVALID_PARAM, Synapse's 403 M_FORBIDDEN
    // (its keyring refuses an event whose key it could not fetch: "Failed to find any key to satisfy").
    const spec = await receiveInviteAsync(request, { ...context, keys: rejecting(context.keys) });
    expect(E.isLeft(spec) && [spec.left.reason, spec.left.status, spec.left.body.errcode]).toEqual([
      'signing_key_unknown',
      400,
      'M_INVALID_PARAM',
    ]);
    const synapse = await receiveInviteAsync(request, {
      ...context,
      policy: SYNAPSE_COMPATIBLE_POLICY,
      keys: rejecting(context.keys),
    });
    expect(E.isLeft(synapse) && [synapse.left.status, synapse.left.body.errcode]).toEqual([
      403,
      'M_FORBIDDEN',
    ]);
  });

  it("a failed fetch of an invite_room_state key is that entry's unknown key, whatever the policy", async () => {
    // A name event sent by a resident server: its key is fetched separately from the inviter's.
    const resident = 'resident.example';
    const name = right(
      signEvent({
        event: {
          type: 'm.room.name',
          state_key: '',
          sender: `@carol:${resident}`,
          room_id: `!room:${INVITER}`,
          content: { name: 'Test' },
          origin_server_ts: 1700000000001,
          depth: 2,
          auth_events: [],
          prev_events: [],
        },
        roomVersion: '10',
        serverName: resident,
        signingKey: strangerKey,
      }),
    );
    const request = requestFor('v2', '10', signedInvite('10'), {
      inviteRoomState: [...roomStateFor('10'), name],
    });
    const all = lookupOf([
      [INVITER, inviterKey],
      [resident, strangerKey],
    ]);
    const fetched: InviteContext = { ...context, keys: all };
    expect(E.isRight(receiveInvite(request, fetched))).toBe(true);
    const statuses = (result: ReturnType<typeof receiveInvite>) =>
      E.isRight(result) ? result.right.inviteRoomState.map((entry) => entry.status) : result.left.reason;
    expect(statuses(receiveInvite(request, { ...fetched, policy: { inviteRoomState: 'enforce' } }))).toEqual([
      'verified',
      'verified',
    ]);
    for (const inviteRoomState of ['enforce', 'warn'] as const) {
      const policy = { inviteRoomState };
      const sync = receiveInvite(request, { ...context, policy }); // knows the inviter's key only
      const result = await receiveInviteAsync(request, {
        ...context,
        policy,
        keys: rejecting(all, (server) => server === resident),
      });
      expect(snapshot(result)).toBe(snapshot(sync));
      // An entry whose keys are all unknown is unverified, not invalid: the invite is still accepted.
      expect(statuses(result)).toEqual(['verified', 'unverified']);
    }
  });

  it('a lookup that throws before returning a promise is a programming error, as a throwing synchronous one', async () => {
    const request = requestFor('v2', '10', signedInvite('10'));
    const throwing: InviteContext = {
      ...context,
      keys: () => {
        throw new Error('boom');
      },
    };
    const sync = receiveInvite(request, throwing);
    expect(E.isLeft(sync) && [sync.left.reason, sync.left.status]).toEqual(['invalid_context', 500]);
    const result = await receiveInviteAsync(request, { ...throwing, backend: 'webcrypto' });
    expect(snapshot(result)).toBe(snapshot(sync));
  });

  it('garbage context (and async settings) get the synchronous answers, never a rejection of the promise', async () => {
    const request = requestFor('v2', '10', signedInvite('10'));
    for (const bad of [null, 7, { ...context, keys: 'nope' }, { ...context, keys: undefined }]) {
      const result = await receiveInviteAsync(request, bad as never);
      expect(snapshot(result)).toBe(snapshot(receiveInvite(request, bad as never)));
    }
    // Async settings of the wrong value are the caller's mistake, as the synchronous settings are
    // (test/crypto/async-options.test.ts).
    const withGarbageOptions = await receiveInviteAsync(request, {
      ...asyncContext(context),
      backend: 'bogus' as never,
      maxPasses: Number.NaN,
    });
    expect(
      E.isLeft(withGarbageOptions) && [withGarbageOptions.left.reason, withGarbageOptions.left.status],
    ).toEqual(['invalid_context', 500]);
  });

  it('uses policy.backend when no async backend is given', async () => {
    const request = requestFor('v2', '10', signedInvite('10'));
    const ctx: InviteContext = { ...context, policy: { backend: 'noble' } };
    expect(snapshot(await receiveInviteAsync(request, asyncContext(ctx)))).toBe(
      snapshot(receiveInvite(request, ctx)),
    );
  });
});

/** The answer and what was sent, in one object: `verifyInviteResponse(params, params)`. */
type VerifyInviteResponseParams = InviteHttpResponse & VerifyInviteResponseContext;

describe('verifyInviteResponseAsync equals verifyInviteResponse', () => {
  const sent = (rv = '10'): JsonObject =>
    right(buildInviteEvent({ ...inviteParams(rv), serverName: INVITER, signingKey: inviterKey })).event;
  const countersigned = (event: JsonObject, rv = '10', key = inviteeKey, server = INVITEE): JsonObject =>
    right(countersignPrepared(right(prepareEvent(event, rv)), server, key)).event;
  const event = sent();
  const expired = lookupOf([
    [INVITER, inviterKey],
    [INVITEE, inviteeKey, 1699999999999],
  ]);
  const cases: [string, Partial<VerifyInviteResponseParams>, boolean][] = [
    ['accepted', { body: stringify({ event: countersigned(event) }) }, false],
    ['missing invitee signature', { body: stringify({ event }) }, false],
    ['missing, lenient', { body: stringify({ event }) }, true],
    [
      'forged',
      { body: stringify({ event: countersigned(event, '10', { ...strangerKey, keyId: 'ed25519:2' }) }) },
      false,
    ],
    ['unknown key', { body: stringify({ event: countersigned(event, '10', strangerKey) }) }, false],
    ['unknown key, lenient', { body: stringify({ event: countersigned(event, '10', strangerKey) }) }, true],
    [
      'extra unknown key',
      { body: stringify({ event: countersigned(countersigned(event), '10', strangerKey) }) },
      false,
    ],
    ['expired key (room 10)', { body: stringify({ event: countersigned(event) }), keys: expired }, false],
    [
      'expired key ignored (room 4)',
      {
        body: stringify({ event: countersigned(sent('4'), '4') }),
        sentEvent: sent('4'),
        roomVersion: '4',
        keys: expired,
      },
      false,
    ],
    [
      'v1 answer (room 1)',
      {
        apiVersion: 'v1',
        body: stringify([200, { event: countersigned(sent('1'), '1') }]),
        sentEvent: sent('1'),
        roomVersion: '1',
      },
      false,
    ],
    ['error status', { status: 403, body: '{"errcode":"M_FORBIDDEN","error":"no"}' }, false],
    ['not JSON', { body: '{' }, false],
    [
      'throwing lookup',
      {
        body: stringify({ event: countersigned(event) }),
        keys: () => {
          throw new Error('boom');
        },
      },
      false,
    ],
  ];
  for (const [name, overrides, lenient] of cases) {
    it(name, async () => {
      const params: VerifyInviteResponseParams = {
        apiVersion: 'v2',
        status: 200,
        body: '',
        sentEvent: event,
        roomVersion: '10',
        inviteeServer: INVITEE,
        keys: bothKeys,
        ...overrides,
      };
      const sync = verifyInviteResponse(params, { ...params, lenient });
      for (const backend of BACKENDS) {
        const result = await verifyInviteResponseAsync(params, {
          ...params,
          keys: asyncOf(params.keys),
          lenient,
          ...(backend ? { backend } : {}),
        });
        expect(snapshot(result)).toBe(snapshot(sync));
      }
    });
  }

  it('a rejected fetch of the invitee key is an unknown key, as a lookup that does not know it', async () => {
    const body = stringify({ event: countersigned(event) });
    const response = { status: 200, body };
    const sent = { apiVersion: 'v2' as const, sentEvent: event, roomVersion: '10' };
    const withoutInvitee = lookupOf([[INVITER, inviterKey]]);
    for (const lenient of [false, true]) {
      const sync = verifyInviteResponse(response, { ...sent, keys: withoutInvitee, lenient });
      const result = await verifyInviteResponseAsync(response, {
        ...sent,
        keys: rejecting(bothKeys, (server) => server === INVITEE),
        lenient,
      });
      expect(snapshot(result)).toBe(snapshot(sync));
    }
  });

  it('garbage params get the synchronous answer', async () => {
    const response = { status: 200, body: '{}' };
    for (const bad of [null, { keys: 3 }]) {
      expect(snapshot(await verifyInviteResponseAsync(response, bad as never))).toBe(
        snapshot(verifyInviteResponse(response, bad as never)),
      );
    }
  });
});
