/** One test per rejection reason, for v1 and v2 where the reason applies, with the spec and Synapse answers. */
import { describe, expect, it } from 'vitest';
import { SPEC_ERROR_MAPPING, SYNAPSE_ERROR_MAPPING } from '../../src/errors/matrix.js';
import { INVITE_REJECTION_REASONS } from '../../src/invite/receive/reasons.js';
import { type InviteContext, receiveInvite } from '../../src/invite/receive/receive.js';
import { JsonFloat } from '../../src/json/value.js';
import { canonical, context, left, requestFor, right, signedInvite } from './helpers.js';
import { CASES, invite, raw } from './rejection-cases.js';

describe('one rejection per reason', () => {
  it('every reason has a case', () => {
    expect(new Set(CASES.map((c) => c.reason))).toEqual(new Set(INVITE_REJECTION_REASONS));
  });

  for (const c of CASES) {
    for (const api of c.apis) {
      it(`${c.reason} (${api})`, () => {
        const built = c.build(api);
        const rejection = left(receiveInvite(built.request, built.context ?? context));
        expect(rejection.reason).toBe(c.reason);
        expect(rejection.kind).toBe('InviteRejection');
        expect(rejection.message.length).toBeGreaterThan(0);
        const spec = SPEC_ERROR_MAPPING[c.reason];
        expect(rejection.status).toBe(spec.status);
        expect(rejection.body.errcode).toBe(spec.errcode);
        expect(typeof rejection.body.error).toBe('string');
        if (c.path !== undefined) expect(rejection.path).toEqual(c.path(api));
        // The Synapse-compatible table answers the same reason its own way.
        const synapse = left(
          receiveInvite(built.request, {
            ...(built.context ?? context),
            policy: { ...(built.context?.policy ?? {}), errorMapping: SYNAPSE_ERROR_MAPPING },
          }),
        );
        expect(synapse.reason).toBe(c.reason);
        expect(synapse.body.errcode).toBe(SYNAPSE_ERROR_MAPPING[c.reason].errcode);
      });
    }
  }

  it('M_INCOMPATIBLE_ROOM_VERSION carries room_version (spec); Synapse omits it', () => {
    const request = raw('v2', '{"room_version": "13", "event": {}}');
    expect(left(receiveInvite(request, context)).body).toEqual({
      errcode: 'M_INCOMPATIBLE_ROOM_VERSION',
      error: 'this server does not support room version "13"',
      room_version: '13',
    });
    expect(
      left(receiveInvite(request, { ...context, policy: { errorMapping: SYNAPSE_ERROR_MAPPING } })).body,
    ).toEqual({
      errcode: 'M_UNSUPPORTED_ROOM_VERSION',
      error: 'Homeserver does not support this room version',
    });
  });

  it('signature failures: spec 400 M_INVALID_PARAM, Synapse 403 M_FORBIDDEN', () => {
    const request = { ...invite('v2') };
    const noKeys = { ...context, keys: () => undefined };
    expect(left(receiveInvite(request, noKeys)).status).toBe(400);
    const synapse = left(
      receiveInvite(request, { ...noKeys, policy: { errorMapping: SYNAPSE_ERROR_MAPPING } }),
    );
    expect([synapse.status, synapse.body.errcode]).toEqual([403, 'M_FORBIDDEN']);
  });

  it('a throwing key lookup is a typed rejection, not an exception, and a caller error (500)', () => {
    const throwing: InviteContext = {
      ...context,
      keys: () => {
        throw new Error('boom');
      },
    };
    expect(left(receiveInvite(invite('v2'), throwing))).toMatchObject({
      reason: 'invalid_context',
      status: 500,
    });
  });

  it('RV1-5 are not strict: a float in a v1 (room 1) invite is accepted and signed over Python`s rendering', () => {
    const event = signedInvite('1', { content: { membership: 'invite', weight: new JsonFloat(1) } });
    right(receiveInvite(requestFor('v1', '1', event), context));
    expect(canonical(event)).toContain('"weight":1.0');
  });
});
