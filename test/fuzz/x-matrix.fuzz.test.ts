/**
 * Hostile input for `parseXMatrixHeader` and `verifyRequest`: random strings and values, headers assembled from
 * hostile parts (quotes, backslashes, commas, case, controls, unicode), and mutations of a correctly signed
 * request. Properties: never throws; never mutates its (frozen) input; a parsed header has string parameters and
 * formats and parses back to itself; an accepted request signed exactly what was verified (method, uri, origin,
 * destination, canonical content); the built-in prototypes are untouched.
 */
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { encodeCanonicalJson } from '../../src/json/canonical.js';
import type { JsonValue, JsonValueInput } from '../../src/json/value.js';
import type { XMatrixError, XMatrixRejection } from '../../src/x-matrix/errors.js';
import { formatXMatrixHeader, parseXMatrixHeader, type XMatrixHeader } from '../../src/x-matrix/header.js';
import { signRequest } from '../../src/x-matrix/sign.js';
import {
  type IncomingXMatrixRequest,
  type VerifiedRequest,
  verifyRequest,
} from '../../src/x-matrix/verify.js';
import { jsonValue } from '../helpers/json-arbitrary.js';
import { INVITEE, INVITER, inviterKey, keys, right } from '../invite/helpers.js';
import { applyMutation, mutationOf } from './mutations.js';
import { assertPrototypesUntouched, check, deepFreeze, prototypeSnapshot, snapshot } from './support.js';

function parseHeader(value: unknown): E.Either<XMatrixError, XMatrixHeader> {
  const protoBefore = prototypeSnapshot();
  const result = parseXMatrixHeader(value);
  assertPrototypesUntouched(protoBefore);
  if (E.isRight(result)) {
    const h = result.right;
    for (const v of [h.origin, h.key, h.sig]) expect(typeof v).toBe('string');
    if (h.destination !== undefined) expect(typeof h.destination).toBe('string');
  } else {
    expect(typeof result.left.reason).toBe('string');
  }
  return result;
}

const token = fc.oneof(
  fc.constantFrom('origin', 'destination', 'key', 'sig', 'ORIGIN', 'Key', 'SIG', 'foo', '', ' ', 'origin '),
  fc.string({ unit: 'binary-ascii', maxLength: 6 }),
);
const value = fc.oneof(
  fc.constantFrom(
    'inviter.example',
    'ed25519:1',
    'c2ln',
    '"quoted"',
    '"a\\"b"',
    '"\\\\"',
    '"unterminated',
    '\\',
    '""',
    'é',
    '\u0000',
    '"\u0007"',
    '🐈',
  ),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.string({ unit: 'binary-ascii', maxLength: 8 }).map((s) => `"${s}"`),
);
const separator = fc.constantFrom(',', ', ', ' ,', ',,', ' ', '\t,', ';');
const headerText = fc
  .tuple(
    fc.constantFrom('X-Matrix ', 'x-matrix ', 'X-MATRIX  ', 'X-Matrix', 'Bearer ', '', 'X-Matrix\t'),
    fc.array(fc.tuple(token, fc.constantFrom('=', '= ', ' =', '', '=='), value), { maxLength: 6 }),
    separator,
  )
  .map(([scheme, params, sep]) => scheme + params.map(([n, eq, v]) => `${n}${eq}${v}`).join(sep));

describe('parseXMatrixHeader under hostile input', () => {
  it('random strings and values never throw', () => {
    check(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), fc.anything() as fc.Arbitrary<unknown>),
        (input) => {
          const result = parseHeader(input);
          if (typeof input !== 'string') expect(E.isLeft(result) && result.left.reason).toBe('not_a_string');
        },
      ),
      1500,
    );
  });

  it('headers assembled from hostile parts: a parsed header formats and parses back to itself', () => {
    check(
      fc.property(headerText, (text) => {
        const result = parseHeader(text);
        if (E.isLeft(result)) return;
        const h = result.right;
        if (h.destination === undefined) return; // formatting always writes a destination
        const formatted = formatXMatrixHeader({
          origin: h.origin,
          key: h.key,
          sig: h.sig,
          destination: h.destination,
        });
        // Some parsed values cannot be written back (non-ASCII, quotes): formatting refuses them cleanly.
        if (E.isRight(formatted)) {
          const again = parseHeader(formatted.right);
          expect(E.isRight(again) && snapshot({ ...again.right })).toBe(snapshot({ ...h }));
        }
      }),
      2000,
    );
  });
});

const content = { room_version: '10', event: { type: 'm.room.member', n: 1 }, unicode: 'Zoë 🐈' };
const SIGNED: IncomingXMatrixRequest & { readonly authorization: string } = deepFreeze({
  method: 'PUT',
  uri: '/_matrix/federation/v2/invite/%21room%3Ainviter.example/%24ev',
  destination: INVITEE,
  content,
  authorization: right(
    signRequest(
      {
        method: 'PUT',
        uri: '/_matrix/federation/v2/invite/%21room%3Ainviter.example/%24ev',
        origin: INVITER,
        destination: INVITEE,
        content,
      },
      inviterKey,
    ),
  ),
});

function verify(request: unknown, ours: unknown = INVITEE): E.Either<XMatrixRejection, VerifiedRequest> {
  const frozen = deepFreeze(request);
  const before = snapshot(frozen);
  const protoBefore = prototypeSnapshot();
  const result = verifyRequest(frozen as IncomingXMatrixRequest, { serverName: ours as string, keys });
  expect(snapshot(frozen)).toBe(before);
  assertPrototypesUntouched(protoBefore);
  if (E.isLeft(result)) {
    // 400/401 for the peer's request; 500 only for the caller's own mistakes (wrong types in what it built).
    const callerError = result.left.reason === 'invalid_request' || result.left.reason === 'invalid_context';
    expect(
      callerError ? result.left.status === 500 : result.left.status === 400 || result.left.status === 401,
    ).toBe(true);
    expect(typeof result.left.body.errcode).toBe('string');
  }
  return result;
}

const canonicalContent = (c: JsonValueInput | null | undefined): string => {
  if (c === undefined || c === null) return '<none>';
  const encoded = encodeCanonicalJson(c);
  return E.isRight(encoded) ? encoded.right : '<invalid>';
};

/** What the signature covers, as the verifier saw it. */
function signedFields(request: IncomingXMatrixRequest, verified: VerifiedRequest): string {
  return JSON.stringify([
    request.method,
    request.uri,
    verified.origin,
    request.destination ?? INVITEE,
    canonicalContent(request.content),
  ]);
}

describe('verifyRequest under hostile input', () => {
  const original = signedFields(SIGNED, right(verify(SIGNED)));

  it('mutations of the signed request: accepted only when the signed fields are unchanged', () => {
    const stringMutation = (s: string) =>
      fc
        .tuple(
          fc.nat(),
          fc.nat(3),
          fc.constantFrom('', 'a', '%', '/', '"', '\\', ',', ' ', 'É', '🐈', '\u0000'),
        )
        .map(([at, cut, insert]) => {
          const i = s.length === 0 ? 0 : at % s.length;
          return s.slice(0, i) + insert + s.slice(i + cut);
        });
    const mutated: fc.Arbitrary<IncomingXMatrixRequest> = fc.oneof(
      stringMutation(SIGNED.method).map((method) => ({ ...SIGNED, method })),
      stringMutation(SIGNED.uri).map((uri) => ({ ...SIGNED, uri })),
      fc
        .oneof(stringMutation(INVITEE), fc.constant(undefined))
        .map((destination) =>
          destination === undefined
            ? { method: SIGNED.method, uri: SIGNED.uri, content, authorization: SIGNED.authorization }
            : { ...SIGNED, destination },
        ),
      stringMutation(SIGNED.authorization).map((authorization) => ({ ...SIGNED, authorization })),
      fc
        .constantFrom(
          (a: string) => a.toLowerCase(),
          (a: string) => a.replace('X-Matrix', 'x-MATRIX'),
          (a: string) => a.replaceAll(',', ', '),
          (a: string) => a.replace('origin=', 'ORIGIN='),
          (a: string) => a.replace(/"([^"]*)"/g, '$1'),
          (a: string) => a.replace(/destination="[^"]*",?/, ''),
          (a: string) => `${a},origin="evil.example"`,
          (a: string) => a.replace('sig="', 'sig="A'),
        )
        .map((f) => ({ ...SIGNED, authorization: f(SIGNED.authorization) })),
      mutationOf(content as JsonValue).map((m) => ({
        ...SIGNED,
        content: applyMutation(content, m).value ?? null,
      })),
    );
    check(
      fc.property(mutated, (request) => {
        const result = verify(request);
        if (E.isRight(result)) expect(signedFields(request, result.right)).toBe(original);
      }),
      1500,
    );
  });

  it('random requests, wrong types and junk server names never throw', () => {
    const field = fc.oneof(fc.anything(), jsonValue({ maxDepth: 2 }) as fc.Arbitrary<unknown>, headerText);
    check(
      fc.property(
        fc.constantFrom('method', 'uri', 'destination', 'content', 'authorization', 'none'),
        field,
        fc.oneof(fc.constant(INVITEE), fc.anything()),
        (name, junk, ours) => {
          const request = name === 'none' ? junk : { ...SIGNED, [name]: junk };
          const result = verify(request, ours);
          if (name === 'none' && (typeof junk !== 'object' || junk === null))
            expect(E.isLeft(result)).toBe(true);
        },
      ),
      1000,
    );
  });
});
