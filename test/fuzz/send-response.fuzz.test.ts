/**
 * Hostile input for `verifyInviteResponse` (the inviting server reading the invitee's answer): random bytes and
 * JSON, junk params, and structure-aware mutations of real answers (v1 `[200, {"event": ...}]`, v2
 * `{"event": ...}`) in rooms 1, 5, 10 and 12. Properties: never throws; never mutates its (frozen) input; an
 * accepted answer's event has exactly the sent event's signed part and an invitee signature that verified; the
 * built-in prototypes are untouched.
 */
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { receiveInvite } from '../../src/invite/receive/receive.js';
import type { InviteSendError } from '../../src/invite/send/common.js';
import type { InviteHttpResponse } from '../../src/invite/send/fallback.js';
import {
  type VerifiedInviteResponse,
  type VerifyInviteResponseContext,
  verifyInviteResponse,
} from '../../src/invite/send/response.js';
import { parseJson } from '../../src/json/parse.js';
import type { JsonObject, JsonValue } from '../../src/json/value.js';
import { jsonText, jsonValue } from '../helpers/json-arbitrary.js';
import { context, INVITEE, keys, right } from '../invite/helpers.js';
import { type BaseInvite, baseInvite, canonicalOrMarker, signedPart } from './invites.js';
import { applyMutation, mutationOf } from './mutations.js';
import { assertPrototypesUntouched, check, deepFreeze, prototypeSnapshot, snapshot } from './support.js';

const encoder = new TextEncoder();

/** The answer and what was sent, in one object: `verifyInviteResponse(params, params)`. */
type VerifyInviteResponseParams = InviteHttpResponse & VerifyInviteResponseContext;

interface Answer {
  readonly base: BaseInvite;
  readonly response: JsonValue;
}

const ANSWERS: readonly Answer[] = [
  baseInvite('v1', '1'),
  baseInvite('v2', '5'),
  baseInvite('v2', '10'),
  baseInvite('v2', '12'),
].map((base) => {
  const accepted = right(
    receiveInvite(
      {
        apiVersion: base.apiVersion,
        roomId: base.roomId,
        eventId: base.eventId,
        origin: base.origin,
        body: encoder.encode(canonicalOrMarker(base.body)),
      },
      context,
    ),
  );
  return deepFreeze({ base, response: right(parseJson(accepted.responseBytes)) });
});

function verify(params: VerifyInviteResponseParams): E.Either<InviteSendError, VerifiedInviteResponse> {
  const frozen = deepFreeze(params);
  const before = snapshot(frozen);
  const protoBefore = prototypeSnapshot();
  const result = verifyInviteResponse(frozen, { ...frozen });
  expect(snapshot(frozen)).toBe(before);
  assertPrototypesUntouched(protoBefore);
  if (E.isLeft(result)) expect(typeof result.left.reason).toBe('string');
  else {
    expect(result.right.inviteeKeyIds.length).toBeGreaterThan(0);
    expect(signedPart(result.right.event)).toBe(signedPart(params.sentEvent as JsonObject));
  }
  return result;
}

const paramsOf = (
  answer: Answer,
  body: string | Uint8Array | JsonValue,
  status = 200,
): VerifyInviteResponseParams => ({
  apiVersion: answer.base.apiVersion,
  status,
  body,
  sentEvent: answer.base.event,
  roomVersion: answer.base.roomVersion,
  inviteeServer: INVITEE,
  keys,
});

describe('verifyInviteResponse under hostile input', () => {
  it('the real answers verify (sanity)', () => {
    for (const answer of ANSWERS) {
      expect(E.isRight(verify(paramsOf(answer, encoder.encode(canonicalOrMarker(answer.response)))))).toBe(
        true,
      );
    }
  });

  it('random bytes, texts and JSON values as the body, any status: never throws, never accepted', () => {
    check(
      fc.property(
        fc.constantFrom(...ANSWERS),
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          jsonText({ maxDepth: 3 }),
          jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>,
        ),
        fc.oneof(fc.constantFrom(200, 201, 400, 403, 404, 429, 500), fc.integer()),
        (answer, body, status) => {
          expect(E.isLeft(verify(paramsOf(answer, body, status)))).toBe(true);
        },
      ),
      500,
    );
  });

  it('mutated answers: an accepted one always carries the sent event and a verified invitee signature', () => {
    const arb = fc.oneof(...ANSWERS.map((a) => fc.tuple(fc.constant(a), mutationOf(a.response))));
    const seen = { accepted: 0, rejected: 0 };
    check(
      fc.property(arb, ([answer, mutation]) => {
        const mutated = applyMutation(answer.response, mutation);
        const result = verify(paramsOf(answer, encoder.encode(mutated.text)));
        seen[E.isRight(result) ? 'accepted' : 'rejected']++;
        // A parsed value skips the raw text's nesting limit; otherwise both ways give the same verdict.
        const tooDeep = (() => {
          const parsed = parseJson(mutated.text);
          return E.isLeft(parsed) && parsed.left.reason === 'too_deep';
        })();
        if (mutated.value !== undefined && typeof mutated.value !== 'string' && !tooDeep) {
          const fromValue = verify(paramsOf(answer, mutated.value));
          expect(E.isRight(fromValue)).toBe(E.isRight(result));
        }
      }),
      600,
    );
    if (process.env.FUZZ_PATH === undefined) {
      expect(seen.accepted).toBeGreaterThan(10);
      expect(seen.rejected).toBeGreaterThan(200);
    }
  });

  it('junk params (sent event, room version, keys, invitee server, options) never throw', () => {
    const answer = ANSWERS[2] as Answer;
    const good = paramsOf(answer, encoder.encode(canonicalOrMarker(answer.response)));
    check(
      fc.property(
        fc.constantFrom(
          'apiVersion',
          'status',
          'sentEvent',
          'roomVersion',
          'inviteeServer',
          'keys',
          'params',
        ),
        fc.oneof(fc.anything(), jsonValue({ maxDepth: 2 }) as fc.Arbitrary<unknown>),
        fc.anything(),
        (field, junk, options) => {
          const params = field === 'params' ? junk : { ...good, [field]: junk };
          const protoBefore = prototypeSnapshot();
          let result: E.Either<InviteSendError, VerifiedInviteResponse> | undefined;
          expect(() => {
            result = verifyInviteResponse(
              params as VerifyInviteResponseParams,
              {
                ...(params as object),
                ...(options as object),
              } as VerifyInviteResponseContext,
            );
          }).not.toThrow();
          assertPrototypesUntouched(protoBefore);
          if (result !== undefined && E.isRight(result))
            expect(signedPart(result.right.event)).toBe(
              signedPart((params as { sentEvent: JsonObject }).sentEvent),
            );
        },
      ),
      500,
    );
  });
});
