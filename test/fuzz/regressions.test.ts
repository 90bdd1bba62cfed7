/**
 * Bugs the fuzz suites found, pinned as plain tests (each names the property that caught it).
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { verifyEventSignatures } from '../../src/events/verify.js';
import { receiveInvite } from '../../src/invite/receive/receive.js';
import type { InviteHttpResponse } from '../../src/invite/send/fallback.js';
import { buildInviteRequest } from '../../src/invite/send/request.js';
import { type VerifyInviteResponseContext, verifyInviteResponse } from '../../src/invite/send/response.js';
import { JsonFloat, type JsonValue, type MutableJsonObject, setOwn } from '../../src/json/value.js';
import { context, keys, requestFor, signedInvite } from '../invite/helpers.js';

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
    const response = { status: 200, body: '{}' };
    const sent = { apiVersion: 'v2', sentEvent, roomVersion: '10', keys } as const;
    const badApi = verifyInviteResponse(response, {
      ...sent,
      apiVersion: junk,
    } as unknown as VerifyInviteResponseContext);
    // Issue #10: the caller's own apiVersion and status are caller errors (were bad_response_shape, error_status).
    expect(E.isLeft(badApi) && badApi.left.reason).toBe('invalid_context');
    const badStatus = verifyInviteResponse(
      { ...response, status: junk } as unknown as InviteHttpResponse,
      sent,
    );
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

  // events.fuzz "junk options never throw": verifyEventSignatures read `options.skipContentHash` on null. The
  // options now travel in the one parameter object: junk there is a typed error, never a throw.
  it.each([null, 5, 'x'])('verifyEventSignatures with parameters %s is a typed error', (params) => {
    const result = verifyEventSignatures(params as never);
    expect(E.isLeft(result) && result.left.reason).toBe('invalid_input');
  });
  // Issue #10 (caller errors): options of the wrong type are the caller's mistake, said so.
  it.each([Number.NaN, 'x'])('verifyEventSignatures with option now %s is invalid_options', (now) => {
    const result = verifyEventSignatures({
      event: signedInvite('10'),
      roomVersion: '10',
      keys,
      now: now as never,
    });
    expect(E.isLeft(result) && result.left.reason).toBe('invalid_options');
  });
});
