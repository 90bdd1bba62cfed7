/**
 * Hostile input for the server keys module: random bytes, text and JSON as key answers, junk options, and
 * structure-aware mutations of a signed `/_matrix/key/v2/server` answer and of a notary answer (sent as wire text
 * and as parsed values). Properties: verifyServerKeys never throws and never mutates its (frozen) input; every
 * refusal is a typed ServerKeysError; an accepted mutation has exactly the original's signed part (so its keys are
 * the original's: no key can be slipped past the signature); the key store, `missing`, buildKeyQueryRequest and
 * buildServerKeys never throw on junk; the built-in prototypes are untouched.
 */
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { signingBytes } from '../../src/crypto/json-signing.js';
import { isJsonObject, type JsonValue } from '../../src/json/value.js';
import { buildServerKeys } from '../../src/server-keys/build.js';
import type { ServerKeysError } from '../../src/server-keys/errors.js';
import { buildKeyQueryRequest, createServerKeyStore } from '../../src/server-keys/store.js';
import type { VerifiedServerKeys, VerifyServerKeysOptions } from '../../src/server-keys/types.js';
import { verifyServerKeys } from '../../src/server-keys/verify.js';
import { jsonText, jsonValue } from '../helpers/json-arbitrary.js';
import { NOW, notaryAnswer, SERVER, signedAnswer, TRUSTED_NOTARY } from '../server-keys/helpers.js';
import { applyMutation, mutationOf } from './mutations.js';
import { assertPrototypesUntouched, check, deepFreeze, prototypeSnapshot, snapshot } from './support.js';

const REASONS: readonly ServerKeysError['reason'][] = [
  'invalid_context',
  'invalid_json',
  'not_object',
  'invalid_server_keys',
  'invalid_server_name',
  'server_name_mismatch',
  'invalid_verify_keys',
  'invalid_old_verify_keys',
  'invalid_key_id',
  'invalid_key',
  'invalid_valid_until_ts',
  'invalid_expired_ts',
  'invalid_signatures',
  'not_self_signed',
  'bad_signature',
  'notary_signature_missing',
  'bad_notary_signature',
];

const DIRECT: VerifyServerKeysOptions = deepFreeze({ serverName: SERVER, now: NOW });
const VIA_NOTARY: VerifyServerKeysOptions = deepFreeze({
  serverName: SERVER,
  now: NOW,
  notaries: [TRUSTED_NOTARY],
});
const ANSWER = deepFreeze(signedAnswer({}, true));
const NOTARY_ANSWER = deepFreeze(notaryAnswer(signedAnswer()));

function verify(body: unknown, options: unknown): E.Either<ServerKeysError, VerifiedServerKeys> {
  const frozen = deepFreeze(body);
  const before = snapshot(frozen);
  const protoBefore = prototypeSnapshot();
  const result = verifyServerKeys(frozen as JsonValue, options as VerifyServerKeysOptions);
  expect(snapshot(frozen)).toBe(before);
  assertPrototypesUntouched(protoBefore);
  if (E.isLeft(result)) {
    expect(result.left.kind).toBe('ServerKeysError');
    expect(REASONS).toContain(result.left.reason);
    expect(Array.isArray(result.left.path)).toBe(true);
  } else {
    for (const server of result.right.servers) expect(server.signedBy.length).toBeGreaterThan(0);
  }
  return result;
}

/** The signed part of a server answer (canonical bytes without signatures and unsigned). */
function signedPart(entry: JsonValue | undefined): string {
  const bytes = isJsonObject(entry) ? signingBytes(entry) : undefined;
  return bytes !== undefined && E.isRight(bytes) ? Buffer.from(bytes.right).toString('hex') : '<none>';
}

/** The signed parts of the server answers in a body (one for a direct answer, one per notary entry). */
function signedParts(value: JsonValue): string[] {
  const entries = isJsonObject(value) && Array.isArray(value.server_keys) ? value.server_keys : [value];
  return entries.map(signedPart);
}

describe('verifyServerKeys under hostile input', () => {
  it('random bytes and text never throw', () => {
    check(
      fc.property(
        fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 200 })),
        (body) => {
          verify(body, DIRECT);
          verify(body, VIA_NOTARY);
        },
      ),
      800,
    );
  });

  it('random JSON texts and values, and anything at all, never throw', () => {
    check(
      fc.property(fc.oneof(jsonText({ maxDepth: 3 }), jsonValue({ maxDepth: 3 }), fc.anything()), (body) => {
        verify(body, DIRECT);
        verify(body, VIA_NOTARY);
      }),
      800,
    );
  });

  it('junk options never throw and are invalid_context', () => {
    check(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.record({ serverName: fc.anything(), now: fc.anything() }),
          fc.record({ serverName: fc.constant(SERVER), now: fc.constant(NOW), notaries: fc.anything() }),
          fc.record({ serverName: fc.constant(SERVER), now: fc.constant(NOW), compatibility: fc.anything() }),
        ),
        (options) => {
          const result = verify(ANSWER, options);
          if (E.isRight(result)) {
            // Only options that happen to be valid may pass.
            expect((options as { serverName?: unknown } | undefined)?.serverName).toBe(SERVER);
          } else {
            expect(['invalid_context', 'server_name_mismatch', 'invalid_server_keys']).toContain(
              result.left.reason,
            );
          }
        },
      ),
      800,
    );
  });

  for (const [name, base, options] of [
    ['a direct answer', ANSWER, DIRECT],
    ['a notary answer', NOTARY_ANSWER, VIA_NOTARY],
  ] as const) {
    const original = signedParts(base);
    it(`mutations of ${name}: every accepted server answer has an original signed part`, () => {
      check(
        fc.property(mutationOf(base), fc.boolean(), (mutation, asValue) => {
          const mutated = applyMutation(base, mutation);
          const result = verify(
            asValue && mutated.value !== undefined ? mutated.value : mutated.text,
            options,
          );
          if (E.isRight(result)) {
            for (const server of result.right.servers) expect(original).toContain(signedPart(server.json));
          }
        }),
        700,
      );
    });
  }
});

function right<A>(either: E.Either<unknown, A>): A {
  if (E.isLeft(either)) throw new Error('expected Right');
  return either.right;
}

describe('the key store and the builders under junk', () => {
  const verified = right(verifyServerKeys(ANSWER, DIRECT));
  const store = right(createServerKeyStore([verified]));

  it('createServerKeyStore, add, missing and buildKeyQueryRequest never throw', () => {
    check(
      fc.property(fc.anything(), fc.anything(), (a, b) => {
        const protoBefore = prototypeSnapshot();
        for (const result of [
          createServerKeyStore(a as VerifiedServerKeys[], b as object),
          store.add(a as VerifiedServerKeys),
          store.missing(a as never),
          buildKeyQueryRequest(a as never),
        ]) {
          if (E.isLeft(result)) expect(result.left.reason).toBe('invalid_context');
        }
        expect(store.lookup(a as string, b as string)).toBeUndefined();
        assertPrototypesUntouched(protoBefore);
      }),
      800,
    );
  });

  it('missing over arbitrary well-typed requests answers a subset of them', () => {
    const request = fc.record(
      {
        serverName: fc.oneof(fc.constant(SERVER), fc.string({ maxLength: 8 })),
        keyId: fc.oneof(
          fc.constantFrom('ed25519:a1', 'ed25519:a2', 'ed25519:old1'),
          fc.string({ maxLength: 8 }),
        ),
        validAt: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
      },
      { requiredKeys: ['serverName', 'keyId'] },
    );
    check(
      fc.property(fc.array(request, { maxLength: 8 }), (requests) => {
        const missing = right(store.missing(requests));
        for (const m of missing) {
          expect(requests.some((r) => r.serverName === m.serverName && r.keyId === m.keyId)).toBe(true);
          const entry = store.lookup(m.serverName, m.keyId);
          if (entry !== undefined)
            expect((entry.validUntilTs ?? 0) < (m.validAt ?? Number.NEGATIVE_INFINITY)).toBe(true);
        }
        right(buildKeyQueryRequest(requests));
      }),
      800,
    );
  });

  it('buildServerKeys never throws on junk parameters', () => {
    check(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.record({
            serverName: fc.anything(),
            signingKey: fc.anything(),
            validUntilTs: fc.anything(),
            oldKeys: fc.anything(),
          }),
        ),
        (params) => {
          const result = buildServerKeys(params as never);
          expect(E.isLeft(result) && result.left.reason).toBe('invalid_context');
        },
      ),
      600,
    );
  });
});
