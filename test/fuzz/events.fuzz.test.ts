/**
 * Hostile input for `verifyEventSignatures`: random JSON events, junk room versions and key lookups, and
 * structure-aware mutations of signed events of every room version. Properties: never throws; never mutates its
 * (frozen) input; a `Right` (every required server verified) means the redacted signed part is the original's,
 * and a matching content hash means the whole signed part is; the built-in prototypes are untouched.
 */
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { KeyLookup } from '../../src/crypto/types.js';
import type { EventError } from '../../src/events/errors.js';
import {
  type VerificationReport,
  type VerifyEventOptions,
  verifyEventSignatures,
} from '../../src/events/verify.js';
import { isJsonObject, type JsonObject } from '../../src/json/value.js';
import { jsonValue } from '../helpers/json-arbitrary.js';
import { ALL_ROOM_VERSIONS, keys, signedInvite } from '../invite/helpers.js';
import { redactedSignedPart, signedPart } from './invites.js';
import { applyMutation, mutationOf } from './mutations.js';
import { assertPrototypesUntouched, check, deepFreeze, prototypeSnapshot, snapshot } from './support.js';

const SIGNED = ALL_ROOM_VERSIONS.map((rv) =>
  deepFreeze({
    rv,
    event: signedInvite(rv, {
      content: { membership: 'invite', displayname: 'Zoë 🐈', ...(Number(rv) <= 5 ? { n: 2n ** 70n } : {}) },
    }),
  }),
);

function verify(
  event: unknown,
  rv: unknown,
  lookup: KeyLookup = keys,
  options?: VerifyEventOptions,
): E.Either<EventError, VerificationReport> {
  const frozen = deepFreeze(event);
  const before = snapshot(frozen);
  const protoBefore = prototypeSnapshot();
  const result = verifyEventSignatures({
    event: frozen as JsonObject,
    roomVersion: rv as string,
    keys: lookup,
    ...options,
  });
  expect(snapshot(frozen)).toBe(before);
  assertPrototypesUntouched(protoBefore);
  if (E.isLeft(result)) expect(typeof result.left.reason).toBe('string');
  return result;
}

describe('verifyEventSignatures under hostile input', () => {
  it('the signed events verify (sanity)', () => {
    for (const { rv, event } of SIGNED) expect(E.isRight(verify(event, rv))).toBe(true);
  });

  it('random JSON events and junk room versions never throw', () => {
    check(
      fc.property(
        fc.oneof(jsonValue({ maxDepth: 4 }), fc.anything() as fc.Arbitrary<unknown>),
        fc.oneof(
          fc.constantFrom<unknown>(...ALL_ROOM_VERSIONS, '13', '', 'org.matrix.msc', 10, null),
          fc.anything(),
        ),
        (event, rv) => {
          const result = verify(event, rv);
          if (!isJsonObject(event as JsonObject)) expect(E.isLeft(result)).toBe(true);
        },
      ),
      600,
    );
  });

  it('mutated signed events: a verified event has the original redacted signed part; a matching hash the whole', () => {
    const arb = fc.oneof(...SIGNED.map((s) => fc.tuple(fc.constant(s), mutationOf(s.event))));
    const seen = { verified: 0, failed: 0 };
    check(
      fc.property(arb, ([{ rv, event }, mutation]) => {
        const mutated = applyMutation(event, mutation);
        if (mutated.value === undefined || !isJsonObject(mutated.value)) return;
        const result = verify(mutated.value, rv);
        seen[E.isRight(result) ? 'verified' : 'failed']++;
        if (E.isLeft(result)) return;
        expect(redactedSignedPart(mutated.value, rv)).toBe(redactedSignedPart(event, rv));
        if (result.right.contentHash?.matches === true)
          expect(signedPart(mutated.value)).toBe(signedPart(event));
      }),
      800,
    );
    if (process.env.FUZZ_PATH === undefined) {
      expect(seen.verified).toBeGreaterThan(20);
      expect(seen.failed).toBeGreaterThan(200);
    }
  });

  it('key lookups that throw or answer junk, and junk options, never throw', () => {
    const answer = fc.oneof(
      fc.anything(),
      fc.constant('throw'),
      fc.record({
        key: fc.oneof(fc.string(), fc.uint8Array({ maxLength: 40 })),
        validUntilTs: fc.anything(),
      }),
    );
    // Options: anything (null included), or objects with junk members.
    const junkOptions = fc.oneof(
      fc.anything(),
      fc.dictionary(
        fc.constantFrom('now', 'backend', 'base64Mode', 'skipContentHash', 'contentHashDialect'),
        fc.anything(),
      ),
    );
    check(
      fc.property(fc.constantFrom(...SIGNED), answer, junkOptions, ({ rv, event }, reply, options) => {
        const lookup = (() => {
          if (reply === 'throw') throw new Error('lookup failed');
          return reply;
        }) as unknown as KeyLookup;
        const result = verify(event, rv, lookup, options as VerifyEventOptions);
        if (E.isRight(result)) expect(result.right.servers.length).toBeGreaterThan(0);
      }),
      400,
    );
  });
});
