/**
 * The async path under hostile input: structure-aware mutations and random values in valid signed invites (rooms
 * 1-12, v1 and v2), policies spec and Synapse. `receiveInviteAsync` with an out-of-order async key lookup and Web
 * Crypto verdicts must answer exactly what `receiveInvite` answers, byte for byte. Seeded: see support.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type InvitePolicy,
  type ReceivedInviteRequest,
  receiveInvite,
  SYNAPSE_COMPATIBLE_POLICY,
} from '../../src/invite/receive/receive.js';
import { receiveInviteAsync } from '../../src/invite/receive/receive-async.js';
import { asyncOf, snapshot } from '../helpers/async-keys.js';
import { jsonValue } from '../helpers/json-arbitrary.js';
import { context } from '../invite/helpers.js';
import { type BaseInvite, baseInvite } from './invites.js';
import { applyMutation, mutationOf, pathsOf, updateAt } from './mutations.js';
import { checkAsync } from './support.js';

const encoder = new TextEncoder();
const BASES: readonly BaseInvite[] = [
  baseInvite('v1', '1'),
  baseInvite('v2', '4'),
  baseInvite('v2', '10'),
  baseInvite('v2', '12'),
];
const POLICIES: readonly InvitePolicy[] = [{}, { inviteRoomState: 'enforce' }, SYNAPSE_COMPATIBLE_POLICY];

const requestOf = (base: BaseInvite, body: ReceivedInviteRequest['body']): ReceivedInviteRequest => ({
  apiVersion: base.apiVersion,
  roomId: base.roomId,
  eventId: base.eventId,
  origin: base.origin,
  body,
});

async function same(request: ReceivedInviteRequest, policy: InvitePolicy): Promise<void> {
  const sync = receiveInvite(request, { ...context, policy });
  const viaAsync = await receiveInviteAsync(request, {
    ...context,
    policy,
    keys: asyncOf(context.keys),
    backend: 'webcrypto',
  });
  expect(snapshot(viaAsync)).toBe(snapshot(sync));
}

describe('receiveInviteAsync equals receiveInvite under hostile input', () => {
  it('structure-aware mutations of valid invites', async () => {
    const arb = fc.oneof(
      ...BASES.map((base) =>
        fc.tuple(fc.constant(base), mutationOf(base.body), fc.constantFrom(...POLICIES)),
      ),
    );
    await checkAsync(
      fc.asyncProperty(arb, async ([base, mutation, policy]) => {
        await same(requestOf(base, encoder.encode(applyMutation(base.body, mutation).text)), policy);
      }),
      150,
    );
  });

  it('a random value at any place of a valid body', async () => {
    const arb = fc.oneof(
      ...BASES.map((base) =>
        fc.tuple(
          fc.constant(base),
          fc.constantFrom(...pathsOf(base.body)),
          jsonValue({ maxDepth: 3 }),
          fc.constantFrom(...POLICIES),
        ),
      ),
    );
    await checkAsync(
      fc.asyncProperty(arb, async ([base, path, value, policy]) => {
        await same(
          requestOf(
            base,
            updateAt(base.body, path, () => value),
          ),
          policy,
        );
      }),
      150,
    );
  });
});
