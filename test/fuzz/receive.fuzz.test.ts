/**
 * Hostile input for `receiveInvite`: random bytes, random JSON, random values in a valid body, and
 * structure-aware mutations of valid signed invites (rooms 1-12, v1 and v2). Properties: never throws and never
 * answers `internal_error`; never mutates its (frozen) input; a rejection is a 4xx with an errcode; an accepted
 * invite's signed part (everything but `unsigned` and `signatures`) is exactly the original's; a respelling of a
 * valid body (escapes, whitespace, duplicate key with the last one right) is still accepted; raw text and the
 * parsed value give the same verdict; the built-in prototypes are untouched. Seeded: see support.ts.
 */
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { INVITE_REJECTION_REASONS } from '../../src/invite/receive/reasons.js';
import {
  type InviteAccepted,
  type InvitePolicy,
  type InviteRejection,
  type ReceivedInviteRequest,
  receiveInvite,
  SYNAPSE_COMPATIBLE_POLICY,
} from '../../src/invite/receive/receive.js';
import { parseJson } from '../../src/json/parse.js';
import { isJsonObject, type JsonValue } from '../../src/json/value.js';
import { jsonText, jsonValue } from '../helpers/json-arbitrary.js';
import { context } from '../invite/helpers.js';
import { type BaseInvite, baseInvite, canonicalOrMarker, redactedSignedPart, signedPart } from './invites.js';
import { applyMutation, mutationOf, pathsOf, updateAt } from './mutations.js';
import { assertPrototypesUntouched, check, deepFreeze, prototypeSnapshot, snapshot } from './support.js';

const encoder = new TextEncoder();
const BASES: readonly BaseInvite[] = [
  baseInvite('v1', '1'),
  baseInvite('v2', '2'),
  baseInvite('v2', '5'),
  baseInvite('v2', '6'),
  baseInvite('v2', '10'),
  baseInvite('v2', '11'),
  baseInvite('v2', '12'),
].map((b) => deepFreeze(b));

const frozenContext = deepFreeze({ ...context });
const REASONS = new Set<string>(INVITE_REJECTION_REASONS);

/** Calls receiveInvite on a frozen request; checks no throw, no mutation, prototypes, a well-formed answer. */
function receive(
  request: ReceivedInviteRequest,
  policy?: InvitePolicy,
): E.Either<InviteRejection, InviteAccepted> {
  const frozen = deepFreeze({ ...request });
  const before = snapshot(frozen);
  const protoBefore = prototypeSnapshot();
  const result = receiveInvite(frozen, policy === undefined ? frozenContext : { ...frozenContext, policy });
  expect(snapshot(frozen)).toBe(before);
  assertPrototypesUntouched(protoBefore);
  if (E.isLeft(result)) {
    const { reason, status, body } = result.left;
    if (reason === 'internal_error') throw new Error(`internal_error: ${result.left.message}`);
    expect(REASONS.has(reason)).toBe(true);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    expect(typeof body.errcode).toBe('string');
    expect(typeof body.error).toBe('string');
  } else {
    expect(isJsonObject(result.right.event)).toBe(true);
    expect(result.right.responseBytes.length).toBeGreaterThan(0);
  }
  return result;
}

const requestOf = (base: BaseInvite, body: ReceivedInviteRequest['body']): ReceivedInviteRequest => ({
  apiVersion: base.apiVersion,
  roomId: base.roomId,
  eventId: base.eventId,
  origin: base.origin,
  body,
});

const verdict = (r: E.Either<InviteRejection, InviteAccepted>): string =>
  E.isLeft(r) ? r.left.reason : 'accepted';

describe('receiveInvite under hostile input', () => {
  beforeAll(() => {
    for (const base of BASES) {
      const result = receive(requestOf(base, encoder.encode(canonicalOrMarker(base.body))));
      if (E.isLeft(result))
        throw new Error(`${base.label}: the base invite is rejected: ${result.left.message}`);
    }
  });

  it('random bytes are rejected cleanly (v1 and v2)', () => {
    check(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(...BASES), (bytes, base) => {
        expect(E.isLeft(receive(requestOf(base, bytes)))).toBe(true);
      }),
      300,
    );
  });

  it('random JSON texts and values are rejected cleanly, as text and as parsed values', () => {
    check(
      fc.property(
        fc.oneof(jsonText({ maxDepth: 4 }), fc.string()),
        fc.constantFrom(...BASES),
        (text, base) => {
          const asText = receive(requestOf(base, text));
          expect(E.isLeft(asText)).toBe(true);
          const parsed = parseJson(text);
          // (A string body is raw text by contract, so only non-string values can be handed over parsed.)
          if (E.isRight(parsed) && typeof parsed.right !== 'string')
            expect(verdict(receive(requestOf(base, parsed.right)))).toBe(verdict(asText));
        },
      ),
      300,
    );
  });

  it('a random value at any place of a valid body: clean answer, and never a changed signed part accepted', () => {
    const arb = fc.oneof(
      ...BASES.map((base) =>
        fc.tuple(fc.constant(base), fc.constantFrom(...pathsOf(base.body)), jsonValue({ maxDepth: 3 })),
      ),
    );
    check(
      fc.property(arb, ([base, path, value]) => {
        const body = updateAt(base.body, path, () => value);
        const result = receive(requestOf(base, body));
        if (E.isRight(result)) expect(signedPart(result.right.event)).toBe(signedPart(base.event));
      }),
      300,
    );
  });

  it('structure-aware mutations of valid invites: never a mutated signed field accepted, respellings accepted', () => {
    const arb = fc.oneof(...BASES.map((base) => fc.tuple(fc.constant(base), mutationOf(base.body))));
    const seen = { accepted: 0, rejected: 0 };
    check(
      fc.property(arb, ([base, mutation]) => {
        const mutated = applyMutation(base.body, mutation);
        const fromText = receive(requestOf(base, encoder.encode(mutated.text)));
        seen[E.isRight(fromText) ? 'accepted' : 'rejected']++;
        if (E.isRight(fromText)) {
          // unsigned may change; nothing covered by the signature or the content hash may.
          expect(signedPart(fromText.right.event)).toBe(signedPart(base.event));
        }
        if (mutated.value === undefined) {
          expect(verdict(fromText)).toBe('body_not_json');
          return;
        }
        if (canonicalOrMarker(mutated.value) === canonicalOrMarker(base.body)) {
          // Same value, other spelling (escapes, whitespace, a duplicate key whose last value is the real one).
          expect(verdict(fromText)).toBe('accepted');
        }
        // The parsed value takes the same way through the checks as the raw text; the raw-text nesting limit
        // (body_too_deep) is the one check a parsed value skips (documented: parsed values are passed through).
        if (typeof mutated.value === 'string') return; // a string body is raw text by contract
        const fromValue = receive(requestOf(base, mutated.value));
        if (E.isRight(fromValue)) expect(signedPart(fromValue.right.event)).toBe(signedPart(base.event));
        if (verdict(fromText) !== 'body_too_deep') expect(verdict(fromValue)).toBe(verdict(fromText));
      }),
      600,
    );
    // Not vacuous: both verdicts occur (unsigned-only changes and respellings are accepted).
    if (process.env.FUZZ_PATH === undefined) {
      expect(seen.accepted).toBeGreaterThan(20);
      expect(seen.rejected).toBeGreaterThan(200);
    }
  });

  it('Synapse-compatible policy: an accepted mutation never changes the redacted signed part', () => {
    const arb = fc.oneof(...BASES.map((base) => fc.tuple(fc.constant(base), mutationOf(base.body))));
    check(
      fc.property(arb, ([base, mutation]) => {
        const mutated = applyMutation(base.body, mutation);
        const result = receive(requestOf(base, encoder.encode(mutated.text)), SYNAPSE_COMPATIBLE_POLICY);
        if (E.isRight(result)) {
          expect(redactedSignedPart(result.right.event, base.roomVersion)).toBe(
            redactedSignedPart(base.event, base.roomVersion),
          );
        }
      }),
      200,
    );
  });

  it('hostile requests and contexts (wrong types everywhere) never throw', () => {
    const anything = fc.oneof(fc.anything(), jsonValue({ maxDepth: 2 }) as fc.Arbitrary<unknown>);
    check(
      fc.property(
        fc.constantFrom(...BASES),
        fc.record({
          field: fc.constantFrom('apiVersion', 'roomId', 'eventId', 'origin', 'body'),
          value: anything,
          contextField: fc.constantFrom('serverName', 'signingKey', 'keys', 'policy', 'now', 'none'),
          contextValue: anything,
        }),
        (base, { field, value, contextField, contextValue }) => {
          const request = { ...requestOf(base, canonicalOrMarker(base.body)), [field]: value };
          const ctx =
            contextField === 'none' ? frozenContext : { ...frozenContext, [contextField]: contextValue };
          const protoBefore = prototypeSnapshot();
          let result: E.Either<InviteRejection, InviteAccepted> | undefined;
          expect(() => {
            result = receiveInvite(request as unknown as ReceivedInviteRequest, ctx as typeof frozenContext);
          }).not.toThrow();
          assertPrototypesUntouched(protoBefore);
          if (result !== undefined && E.isLeft(result)) expect(result.left.reason).not.toBe('internal_error');
        },
      ),
      300,
    );
  });

  it('an authorize hook that throws anything (null-prototype objects too) gives internal_error, never a throw', () => {
    check(
      fc.property(fc.anything({ withNullPrototype: true, withBigInt: true }), (thrown) => {
        const base = BASES[4] as BaseInvite;
        const policy: InvitePolicy = {
          authorize: () => {
            throw thrown;
          },
        };
        const result = receiveInvite(requestOf(base, canonicalOrMarker(base.body)), {
          ...frozenContext,
          policy,
        });
        expect(E.isLeft(result) && result.left.reason).toBe('internal_error');
      }),
      200,
    );
  });

  it('keys lookups that throw or return junk never make receiveInvite throw', () => {
    const junk = fc.oneof(
      fc.anything({ withNullPrototype: true }),
      fc.constant('throw'),
      fc.record({ key: fc.oneof(fc.string(), fc.uint8Array({ maxLength: 40 })) }),
    );
    check(
      fc.property(fc.constantFrom(...BASES), junk, (base, answer) => {
        const keys = (): never | unknown => {
          if (answer === 'throw') throw new Error('lookup failed');
          return answer;
        };
        const result = receiveInvite(requestOf(base, canonicalOrMarker(base.body)), {
          ...frozenContext,
          keys: keys as typeof frozenContext.keys,
        });
        if (E.isLeft(result)) expect(result.left.reason).not.toBe('internal_error');
        else expect(signedPart(result.right.event)).toBe(signedPart(base.event));
      }),
      200,
    );
  });

  it('raw JSON values decoded from random JSON keep Object.prototype clean (keys __proto__, constructor)', () => {
    const hostile = fc.constantFrom(
      '{"__proto__":{"polluted":1}}',
      '{"event":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}},"room_version":"10"}',
      '{"room_version":"10","__proto__":{"event":{}},"invite_room_state":[{"__proto__":{"polluted":true}}]}',
    );
    check(
      fc.property(hostile, fc.constantFrom(...BASES), (text, base) => {
        receive(requestOf(base, text));
        receive(requestOf(base, encoder.encode(text)));
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      20,
    );
  });
});

/** Guards the oracle itself: the value written out as text and read back is the value. */
describe('fuzz mutation machinery', () => {
  it('writes text that parses back to the mutated value', () => {
    const base = BASES[4] as BaseInvite;
    check(
      fc.property(mutationOf(base.body), (mutation) => {
        const mutated = applyMutation(base.body, mutation);
        const parsed = parseJson(mutated.text, { maxDepth: 4096 });
        if (mutated.value === undefined) expect(E.isLeft(parsed)).toBe(true);
        else if (E.isRight(parsed))
          expect(canonicalOrMarker(parsed.right)).toBe(canonicalOrMarker(mutated.value));
        else throw new Error(`unparsable mutation text: ${parsed.left.message}`);
      }),
      200,
    );
  });

  it('mutation values are JSON values', () => {
    const base = BASES[0] as BaseInvite;
    const values: JsonValue[] = fc
      .sample(mutationOf(base.body), { seed: 1, numRuns: 20 })
      .map((m) => applyMutation(base.body, m).value ?? null);
    expect(values.length).toBe(20);
  });
});
