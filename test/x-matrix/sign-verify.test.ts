/**
 * Signing and verifying X-Matrix requests (spec "Request Authentication"): the wire examples' headers verify here, a destination
 * that is not ours is 401, a missing one is accepted, every failure has a typed reason.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { SPEC_ERROR_MAPPING, SYNAPSE_ERROR_MAPPING } from '../../src/errors/matrix.js';
import { parseJson } from '../../src/json/parse.js';
import type { JsonValue } from '../../src/json/value.js';
import { requestSigningObject, signRequest } from '../../src/x-matrix/sign.js';
import {
  type IncomingXMatrixRequest,
  type VerifyRequestContext,
  verifyRequest,
} from '../../src/x-matrix/verify.js';
import { vectors } from '../helpers/fixtures.js';
import {
  bothKeys,
  INVITEE,
  INVITER,
  inviteeKey,
  inviterKey,
  left,
  lookupOf,
  right,
  strangerKey,
} from '../invite/send-helpers.js';

const body = (text: string): JsonValue => right(parseJson(text));

describe('wire examples', () => {
  it.each(vectors.wire_examples.map((w) => [w.id, w] as const))(
    '%s: the header verifies at the invitee',
    (_id, wire) => {
      const request: IncomingXMatrixRequest = {
        method: wire.method,
        uri: wire.path,
        content: body(wire.request_body_json_text),
        authorization: wire.authorization_header,
      };
      const verified = right(verifyRequest(request, { serverName: INVITEE, keys: bothKeys }));
      expect(verified).toMatchObject({ origin: INVITER, keyId: 'ed25519:1', destination: INVITEE });
      // The unencoded path is another uri: the signature does not cover it (spec "Request Authentication": the uri is the path as sent).
      expect(
        left(verifyRequest({ ...request, uri: wire.path_unencoded }, { serverName: INVITEE, keys: bothKeys }))
          .reason,
      ).toBe('invalid_signature');
    },
  );
});

describe('signRequest / verifyRequest', () => {
  const request = {
    method: 'PUT',
    uri: '/_matrix/federation/v2/invite/%21r%3Ax/%24ab%2Fc%2Bd?x=1',
    origin: INVITER,
    destination: INVITEE,
    content: { a: [1, 2n ** 60n, null], b: 'é' },
  };
  const header = right(signRequest(request, inviterKey));
  const incoming: IncomingXMatrixRequest = {
    method: request.method,
    uri: request.uri,
    content: request.content,
    authorization: header,
  };

  it('round trip', () => {
    expect(header).toMatch(
      /^X-Matrix origin="inviter\.example",destination="invitee\.example",key="ed25519:1",sig="[A-Za-z0-9+/]{86}"$/,
    );
    expect(right(verifyRequest(incoming, { serverName: INVITEE, keys: bothKeys })).keyId).toBe('ed25519:1');
  });

  it('no body: content left out; a null body counts as none (as Synapse)', () => {
    const get = {
      method: 'GET',
      uri: '/_matrix/federation/v1/version',
      origin: INVITER,
      destination: INVITEE,
    };
    expect(requestSigningObject(get)).toEqual(get);
    expect(requestSigningObject({ ...get, content: null })).toEqual(get);
    const h = right(signRequest(get, inviterKey));
    expect(
      E.isRight(verifyRequest({ ...get, authorization: h }, { serverName: INVITEE, keys: bothKeys })),
    ).toBe(true);
    expect(
      E.isRight(
        verifyRequest({ ...get, content: null, authorization: h }, { serverName: INVITEE, keys: bothKeys }),
      ),
    ).toBe(true);
    expect(
      left(verifyRequest({ ...get, content: {}, authorization: h }, { serverName: INVITEE, keys: bothKeys }))
        .reason,
    ).toBe('invalid_signature');
  });

  it.each<[string, Partial<IncomingXMatrixRequest>]>([
    ['another method', { method: 'POST' }],
    ['another uri', { uri: '/_matrix/federation/v2/invite/!r:x/$ab/c+d?x=1' }],
    ['another body', { content: { a: [1, 2n ** 60n, null], b: 'e' } }],
    ['no body', { content: null }],
  ])('%s → invalid_signature (401)', (_name, change) => {
    const error = left(verifyRequest({ ...incoming, ...change }, { serverName: INVITEE, keys: bothKeys }));
    expect(error).toMatchObject({
      reason: 'invalid_signature',
      status: 401,
      body: { errcode: 'M_UNAUTHORIZED' },
    });
  });

  // Synapse `synapse/federation/transport/server/_base.py`, `Authenticator.authenticate_request`: no Authorization
  // header, or none starting with X-Matrix (other schemes are skipped), is 401 M_UNAUTHORIZED "Missing Authorization
  // headers"; only an X-Matrix header that does not parse is 400 ("Malformed Authorization header"). The spec's
  // "Request Authentication" (https://spec.matrix.org/v1.19/server-server-api/#request-authentication) says every
  // request is authenticated and names no code for a missing header.
  it.each<[string, Partial<Record<'authorization', unknown>>]>([
    ['no authorization member', {}],
    ['authorization: undefined', { authorization: undefined }],
    ['authorization: null (fetch Headers.get)', { authorization: null }],
    ['an empty array (no header)', { authorization: [] }],
    ['an empty header', { authorization: '' }],
    ['another scheme', { authorization: 'Bearer x' }],
    ['only other schemes', { authorization: ['Bearer x', 'Basic eA=='] }],
  ])('%s → missing_authorization, 401 M_UNAUTHORIZED in both tables', (_name, authorization) => {
    const { authorization: _signed, ...rest } = incoming;
    const request = { ...rest, ...authorization } as IncomingXMatrixRequest;
    const spec = left(verifyRequest(request, { serverName: INVITEE, keys: bothKeys }));
    expect(spec).toMatchObject({
      kind: 'XMatrixError',
      reason: 'missing_authorization',
      status: 401,
      body: { errcode: 'M_UNAUTHORIZED' },
    });
    const synapse = left(
      verifyRequest(request, { serverName: INVITEE, keys: bothKeys, errorMapping: SYNAPSE_ERROR_MAPPING }),
    );
    expect([synapse.status, synapse.body]).toEqual([
      401,
      { errcode: 'M_UNAUTHORIZED', error: 'Missing Authorization headers' },
    ]);
  });

  it('several Authorization values: other schemes are skipped (as Synapse), one X-Matrix header is verified', () => {
    const verified = (authorization: unknown) =>
      verifyRequest({ ...incoming, authorization } as IncomingXMatrixRequest, {
        serverName: INVITEE,
        keys: bothKeys,
      });
    expect(right(verified([header])).origin).toBe(INVITER);
    expect(right(verified(['Bearer x', header])).origin).toBe(INVITER);
    // Two X-Matrix headers: Synapse merges their signatures; this library verifies one, and refuses the ambiguity.
    expect(left(verified([header, header])).reason).toBe('malformed_header');
    // Not a header value at all: the HTTP layer's mistake.
    expect(left(verified(42))).toMatchObject({ reason: 'invalid_request', status: 500 });
    expect(left(verified([header, 42]))).toMatchObject({ reason: 'invalid_request', status: 500 });
  });

  it('a destination that is not ours → destination_mismatch, 401', () => {
    const error = left(verifyRequest(incoming, { serverName: 'other.example', keys: bothKeys }));
    expect(error).toMatchObject({
      reason: 'destination_mismatch',
      status: 401,
      body: { errcode: 'M_UNAUTHORIZED' },
    });
    expect(SPEC_ERROR_MAPPING.destination_mismatch).toEqual({ status: 401, errcode: 'M_UNAUTHORIZED' });
    expect(SYNAPSE_ERROR_MAPPING.destination_mismatch).toEqual({ status: 401, errcode: 'M_UNAUTHORIZED' });
  });

  it('a missing destination is accepted; the signed object still names us', () => {
    const withoutDestination = header.replace(',destination="invitee.example"', '');
    expect(
      right(
        verifyRequest(
          { ...incoming, authorization: withoutDestination },
          { serverName: INVITEE, keys: bothKeys },
        ),
      ).destination,
    ).toBeUndefined();
    // Signed for another destination, header without destination: the signature fails.
    const forOther = right(signRequest({ ...request, destination: 'other.example' }, inviterKey)).replace(
      ',destination="other.example"',
      '',
    );
    expect(
      left(verifyRequest({ ...incoming, authorization: forOther }, { serverName: INVITEE, keys: bothKeys }))
        .reason,
    ).toBe('invalid_signature');
    // A server with several names can say which one the request was for.
    expect(
      E.isRight(
        verifyRequest(
          { ...incoming, authorization: forOther, destination: 'other.example' },
          { serverName: INVITEE, keys: bothKeys },
        ),
      ),
    ).toBe(true);
  });

  it('the header may be written differently (case, spaces, tokens) and still verify', () => {
    const parts = /origin="(.*)",destination="(.*)",key="(.*)",sig="(.*)"/.exec(header);
    const [, origin, destination, key, sig] = parts ?? [];
    const variant = `x-matrix   SIG=${sig} , Key=${key},\tdestination="${destination}",origin=${origin},extra="ignored"`;
    expect(
      E.isRight(
        verifyRequest({ ...incoming, authorization: variant }, { serverName: INVITEE, keys: bothKeys }),
      ),
    ).toBe(true);
  });

  it('typed failures', () => {
    const cases: [string, E.Either<{ reason: string; status: number }, unknown>, string, number][] = [
      [
        'malformed',
        verifyRequest(
          { ...incoming, authorization: 'X-Matrix nope' },
          { serverName: INVITEE, keys: bothKeys },
        ),
        'malformed_header',
        400,
      ],
      [
        'unknown key',
        verifyRequest(incoming, { serverName: INVITEE, keys: lookupOf([[INVITEE, inviteeKey]]) }),
        'unknown_key',
        401,
      ],
      [
        'wrong key',
        verifyRequest(incoming, {
          serverName: INVITEE,
          keys: lookupOf([[INVITER, { ...strangerKey, keyId: 'ed25519:1' }]]),
        }),
        'invalid_signature',
        401,
      ],
      [
        'unsupported algorithm',
        verifyRequest(
          { ...incoming, authorization: header.replace('ed25519:1', 'curve25519:1') },
          { serverName: INVITEE, keys: bothKeys },
        ),
        'unsupported_algorithm',
        401,
      ],
      [
        'expired key',
        verifyRequest(incoming, {
          serverName: INVITEE,
          keys: lookupOf([[INVITER, inviterKey, 1000]]),
          now: 2000,
        }),
        'key_expired',
        401,
      ],
      [
        'garbage signature',
        verifyRequest(
          { ...incoming, authorization: header.replace(/sig="[^"]*"/, 'sig="!!"') },
          { serverName: INVITEE, keys: bothKeys },
        ),
        'invalid_signature',
        401,
      ],
      [
        'lone surrogate body',
        verifyRequest({ ...incoming, content: '\ud800' }, { serverName: INVITEE, keys: bothKeys }),
        'canonical_json',
        400,
      ],
      ['no server name', verifyRequest(incoming, { serverName: '', keys: bothKeys }), 'invalid_context', 500],
      [
        'keys not a lookup',
        verifyRequest(incoming, { serverName: INVITEE, keys: 5 as unknown as typeof bothKeys }),
        'invalid_context',
        500,
      ],
      [
        'no context',
        verifyRequest(incoming, null as unknown as VerifyRequestContext),
        'invalid_context',
        500,
      ],
      [
        'method not a string',
        verifyRequest(
          { ...incoming, method: 5 as unknown as string },
          { serverName: INVITEE, keys: bothKeys },
        ),
        'invalid_request',
        500,
      ],
    ];
    for (const [name, result, reason, status] of cases) {
      expect(E.isLeft(result), name).toBe(true);
      if (E.isLeft(result)) expect(result.left, name).toMatchObject({ kind: 'XMatrixError' });
      if (E.isLeft(result))
        expect([name, result.left.reason, result.left.status]).toEqual([name, reason, status]);
    }
    const throwing = () => {
      throw new Error('boom');
    };
    expect(left(verifyRequest(incoming, { serverName: INVITEE, keys: throwing })).reason).toBe(
      'invalid_context',
    );
    expect(
      E.isRight(
        verifyRequest(incoming, { serverName: INVITEE, keys: lookupOf([[INVITER, inviterKey, 1000]]) }),
      ),
    ).toBe(true);
    expect(
      left(verifyRequest(incoming, { serverName: INVITEE, keys: () => 5 as unknown as undefined })).reason,
    ).toBe('invalid_context');
  });

  it('caller mistakes are caller errors (500, naming what was wrong), never a 401 to the peer', () => {
    const cases: [
      string,
      E.Either<{ reason: string; status: number; message: string }, unknown>,
      string,
      string,
    ][] = [
      [
        'a lookup answering a Promise',
        verifyRequest(incoming, {
          serverName: INVITEE,
          keys: ((s: string, k: string) => Promise.resolve(bothKeys(s, k))) as never,
        }),
        'invalid_context',
        'Promise',
      ],
      [
        'a lookup answering junk',
        verifyRequest(incoming, { serverName: INVITEE, keys: (() => ({ key: 1 })) as never }),
        'invalid_context',
        'key',
      ],
      [
        'now: NaN',
        verifyRequest(incoming, { serverName: INVITEE, keys: bothKeys, now: Number.NaN }),
        'invalid_context',
        'now must',
      ],
      [
        'backend: bogus',
        verifyRequest(incoming, { serverName: INVITEE, keys: bothKeys, backend: 'x' as never }),
        'invalid_context',
        'backend must',
      ],
      [
        'an ArrayBuffer body',
        verifyRequest(
          { ...incoming, content: new ArrayBuffer(2) as never },
          { serverName: INVITEE, keys: bothKeys },
        ),
        'invalid_request',
        'ArrayBuffer',
      ],
      [
        'a method that is not a string',
        verifyRequest({ ...incoming, method: 5 as never }, { serverName: INVITEE, keys: bothKeys }),
        'invalid_request',
        'request.method',
      ],
    ];
    for (const [name, result, reason, mentions] of cases) {
      expect(E.isLeft(result), name).toBe(true);
      if (E.isLeft(result)) {
        expect([name, result.left.reason, result.left.status]).toEqual([name, reason, 500]);
        expect(result.left.message, name).toContain(mentions);
      }
    }
  });

  it('signRequest refuses what it cannot write, never throws', () => {
    expect(left(signRequest({ ...request, origin: 'a"b' }, inviterKey)).reason).toBe('invalid_header_value');
    expect(left(signRequest({ ...request, content: '\ud800' }, inviterKey)).reason).toBe('canonical_json');
    expect(left(signRequest({ ...request, uri: 5 as unknown as string }, inviterKey)).reason).toBe(
      'invalid_request',
    );
    expect(left(signRequest(null as unknown as typeof request, inviterKey)).reason).toBe('invalid_request');
    for (const garbage of [null, 5, 'x', { authorization: 5 }]) {
      expect(
        E.isLeft(
          verifyRequest(garbage as unknown as IncomingXMatrixRequest, {
            serverName: INVITEE,
            keys: bothKeys,
          }),
        ),
      ).toBe(true);
    }
  });
});
