/**
 * Bugs the fuzz suites found, pinned as plain tests (each names the property that caught it).
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { verifyEventSignatures } from '../../src/events/index.js';
import { receiveInvite } from '../../src/invite/receive/index.js';
import { buildInviteRequest, verifyInviteResponse } from '../../src/invite/send/index.js';
import { JsonFloat, type JsonValue, type MutableJsonObject, setOwn } from '../../src/json/value.js';
import { context, INVITEE, keys, requestFor, signedInvite } from '../invite/helpers.js';

function protoHolding(value: JsonValue): JsonValue {
  const out: MutableJsonObject = {};
  setOwn(out, '__proto__', value);
  return out;
}

describe('fuzz regressions', () => {
  // receive.fuzz "a random value at any place of a valid body": the rejection message ran JSON.stringify over
  // content.membership, which throws on a bigint, so the answer was 500 internal_error instead of 400.
  it.each<[string, JsonValue]>([
    ['a bigint', 2n ** 64n],
    ['an object holding a bigint under __proto__', protoHolding([9007199254740992n])],
    ['a float', new JsonFloat(1.5)],
    ['an array', ['invite']],
    ['null', null],
    ['a long string', 'x'.repeat(5000)],
  ])('content.membership as %s is not_invite_membership (400), not internal_error', (_, membership) => {
    const event = signedInvite('1', { content: { membership } });
    const result = receiveInvite(requestFor('v1', '1', event, { raw: false }), context);
    expect(E.isLeft(result) && result.left.reason).toBe('not_invite_membership');
    if (E.isLeft(result)) {
      expect(result.left.status).toBe(400);
      expect(result.left.message.length).toBeLessThan(200);
    }
  });

  // receive.fuzz / send-response.fuzz "junk ... never throw": String(value) throws on an object without a
  // primitive conversion, and three messages used it on caller-supplied values.
  const noPrimitive = [Object.create(null) as unknown, { toString: null } as unknown];

  it.each(noPrimitive)(
    'an authorize hook throwing %s gives internal_error, receiveInvite does not throw',
    (thrown) => {
      const event = signedInvite('10');
      const result = receiveInvite(requestFor('v2', '10', event), {
        ...context,
        policy: {
          authorize: () => {
            throw thrown;
          },
        },
      });
      expect(E.isLeft(result) && result.left.reason).toBe('internal_error');
      if (E.isLeft(result)) expect(result.left.status).toBe(500);
    },
  );

  it.each(noPrimitive)('verifyInviteResponse with apiVersion or status %s answers Left', (junk) => {
    const sentEvent = signedInvite('10');
    const params = {
      apiVersion: 'v2',
      status: 200,
      body: '{}',
      sentEvent,
      roomVersion: '10',
      inviteeServer: INVITEE,
      keys,
    };
    const badApi = verifyInviteResponse({ ...params, apiVersion: junk } as unknown as Parameters<
      typeof verifyInviteResponse
    >[0]);
    // Issue #10: the caller's own apiVersion and status are caller errors (were bad_response_shape, error_status).
    expect(E.isLeft(badApi) && badApi.left.reason).toBe('invalid_params');
    const badStatus = verifyInviteResponse({ ...params, status: junk } as unknown as Parameters<
      typeof verifyInviteResponse
    >[0]);
    expect(E.isLeft(badStatus) && badStatus.left.reason).toBe('invalid_params');
  });

  it.each(noPrimitive)('buildInviteRequest with apiVersion %s answers invalid_api_version', (junk) => {
    const result = buildInviteRequest({
      apiVersion: junk,
      event: signedInvite('10'),
      roomVersion: '10',
    } as unknown as Parameters<typeof buildInviteRequest>[0]);
    expect(E.isLeft(result) && result.left.reason).toBe('invalid_api_version');
  });

  // events.fuzz "junk options never throw": verifyEventSignatures read `options.skipContentHash` on null.
  it('verifyEventSignatures with options null verifies as with none', () => {
    expect(E.isRight(verifyEventSignatures(signedInvite('10'), '10', keys, null as never))).toBe(true);
  });
  // Issue #10 (caller errors): options that are not an object are the caller's mistake, said so.
  it.each([5, 'x'])('verifyEventSignatures with options %s is invalid_options', (options) => {
    const result = verifyEventSignatures(signedInvite('10'), '10', keys, options as never);
    expect(E.isLeft(result) && result.left.reason).toBe('invalid_options');
  });
});
