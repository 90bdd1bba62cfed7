/** verifyRequestAsync gives exactly verifyRequest's results (wire examples and every failure), on every backend. */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { collectKeyRequests } from '../../src/crypto/async.js';
import type { Ed25519AsyncBackendName, KeyLookup } from '../../src/crypto/types.js';
import { parseJson } from '../../src/json/parse.js';
import type { JsonValue } from '../../src/json/value.js';
import { signRequest } from '../../src/x-matrix/sign.js';
import {
  type IncomingXMatrixRequest,
  type VerifyRequestContext,
  verifyRequest,
} from '../../src/x-matrix/verify.js';
import { verifyRequestAsync } from '../../src/x-matrix/verify-async.js';
import { asyncOf, rejecting, snapshot } from '../helpers/async-keys.js';
import { vectors } from '../helpers/fixtures.js';
import {
  bothKeys,
  INVITEE,
  INVITER,
  inviterKey,
  lookupOf,
  right,
  strangerKey,
} from '../invite/send-helpers.js';

const BACKENDS: readonly (Ed25519AsyncBackendName | undefined)[] = [
  'webcrypto',
  'sodium',
  'noble',
  undefined,
];

const request = {
  method: 'PUT',
  uri: '/_matrix/federation/v2/invite/%21r%3Ax/%24ab',
  origin: INVITER,
  destination: INVITEE,
  content: { a: [1, 2n ** 60n, null], b: 'é' },
};
const header = right(signRequest(request, inviterKey));
const incoming: IncomingXMatrixRequest = {
  method: 'PUT',
  uri: request.uri,
  content: request.content,
  authorization: header,
};

const wire = vectors.wire_examples.map(
  (w): IncomingXMatrixRequest => ({
    method: w.method,
    uri: w.path,
    content: right(parseJson(w.request_body_json_text)) as JsonValue,
    authorization: w.authorization_header,
  }),
);

const cases: [
  string,
  IncomingXMatrixRequest,
  KeyLookup,
  Omit<VerifyRequestContext, 'serverName' | 'keys'>,
][] = [
  ...wire.map(
    (
      w,
      i,
    ): [string, IncomingXMatrixRequest, KeyLookup, Omit<VerifyRequestContext, 'serverName' | 'keys'>] => [
      `wire example ${i}`,
      w,
      bothKeys,
      {},
    ],
  ),
  ['signed here', incoming, bothKeys, {}],
  ['another uri', { ...incoming, uri: `${request.uri}x` }, bothKeys, {}],
  ['unknown key', incoming, lookupOf([[INVITER, strangerKey]]), {}],
  [
    'wrong key under the known ID',
    incoming,
    lookupOf([[INVITER, { ...strangerKey, keyId: 'ed25519:1' }]]),
    {},
  ],
  ['expired at now', incoming, lookupOf([[INVITER, inviterKey, 5]]), { now: 10 }],
  ['valid at now', incoming, lookupOf([[INVITER, inviterKey, 50]]), { now: 10 }],
  ['malformed header', { ...incoming, authorization: 'X-Matrix nope' }, bothKeys, {}],
  [
    'throwing lookup',
    incoming,
    () => {
      throw new Error('boom');
    },
    {},
  ],
  ['base64 mode strict', incoming, bothKeys, { base64Mode: 'strict' }],
];

describe('verifyRequestAsync equals verifyRequest', () => {
  for (const [name, req, keys, options] of cases) {
    it(name, async () => {
      const sync = verifyRequest(req, { serverName: INVITEE, keys, ...options });
      for (const backend of BACKENDS) {
        const result = await verifyRequestAsync(req, {
          serverName: INVITEE,
          keys: asyncOf(keys),
          ...options,
          ...(backend ? { backend } : {}),
        });
        expect(snapshot(result)).toBe(snapshot(sync));
      }
    });
  }

  it('a rejected fetch of the origin key is unknown_key (401), as a lookup that does not know it', async () => {
    const sync = verifyRequest(incoming, { serverName: INVITEE, keys: () => undefined });
    expect(E.isLeft(sync) && [sync.left.reason, sync.left.status, sync.left.body.errcode]).toEqual([
      'unknown_key',
      401,
      'M_UNAUTHORIZED',
    ]);
    for (const backend of BACKENDS) {
      const result = await verifyRequestAsync(incoming, {
        serverName: INVITEE,
        keys: rejecting(bothKeys),
        ...(backend ? { backend } : {}),
      });
      expect(snapshot(result)).toBe(snapshot(sync));
    }
  });

  it('garbage keys or contexts get the synchronous answer, never a rejection', async () => {
    const hostile = Object.defineProperty({ serverName: INVITEE, keys: asyncOf(bothKeys) }, 'maxPasses', {
      enumerable: true,
      get: () => {
        throw new Error('getter');
      },
    });
    for (const context of [{ serverName: INVITEE, keys: 'nope' }, 7]) {
      expect(snapshot(await verifyRequestAsync(incoming, context as never))).toBe(
        snapshot(verifyRequest(incoming, context as never)),
      );
    }
    const unreadable = await verifyRequestAsync(incoming, hostile as never);
    expect(E.isLeft(unreadable) && unreadable.left.message).toContain('getter');
    expect(E.isLeft(unreadable) && unreadable.left.status).toBe(500);
  });

  it('asks for the origin key at `now` when given', () => {
    const noKeys: KeyLookup = () => undefined;
    const at = right(
      collectKeyRequests((keys) => verifyRequest(incoming, { serverName: INVITEE, keys, now: 1234 }), noKeys),
    );
    expect(at.keyRequests).toEqual([{ serverName: INVITER, keyId: 'ed25519:1', validAt: 1234 }]);
    expect(E.isLeft(at.result) && at.result.left.reason).toBe('unknown_key');
    const plain = right(
      collectKeyRequests((keys) => verifyRequest(incoming, { serverName: INVITEE, keys }), noKeys),
    );
    expect(plain.keyRequests).toEqual([{ serverName: INVITER, keyId: 'ed25519:1' }]);
  });
});
