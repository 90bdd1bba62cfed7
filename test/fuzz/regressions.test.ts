/**
 * Bugs the fuzz suites found, pinned as plain tests (each names the property that caught it).
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { receiveInvite } from '../../src/invite/receive/index.js';
import { JsonFloat, type JsonValue, type MutableJsonObject, setOwn } from '../../src/json/value.js';
import { context, requestFor, signedInvite } from '../invite/helpers.js';

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
});
