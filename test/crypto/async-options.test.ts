/**
 * The async helpers refuse option values they cannot use as the caller's mistake (`invalid_context`, 500, or
 * `invalid_options` where the synchronous function has no HTTP answer), naming the option: a `backend` that is no
 * async backend, a `maxPasses` that is not a positive integer. Before, such values were silently replaced by the
 * defaults, so a typo (`backend: 'webcrpyto'`) ran another backend than the one asked for. The Web Crypto signer
 * answers a `Left` for a message that is not bytes, as `signEd25519` does, instead of rejecting.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { runWithAsyncKeys } from '../../src/crypto/async.js';
import type { AsyncKeyLookup } from '../../src/crypto/types.js';
import { createWebCryptoSigner, webCryptoEd25519Available } from '../../src/crypto/webcrypto.js';
import { verifyEventSignaturesAsync } from '../../src/events/verify-async.js';
import { receiveInviteAsync } from '../../src/invite/receive/receive-async.js';
import { verifyInviteResponseAsync } from '../../src/invite/send/response-async.js';
import { signRequest } from '../../src/x-matrix/sign.js';
import { verifyRequestAsync } from '../../src/x-matrix/verify-async.js';
import { context, INVITEE, INVITER, keys, requestFor, right, signedInvite } from '../invite/helpers.js';
import { bothKeys, inviterKey } from '../invite/send-helpers.js';

const asyncKeys: AsyncKeyLookup = async (server, keyId, validAt) => keys(server, keyId, validAt);
const event = signedInvite('10');
const uri = '/_matrix/federation/v2/invite/%21r%3Ax/%24e';
const authorization = right(
  signRequest({ method: 'PUT', uri, origin: INVITER, destination: INVITEE, content: {} }, inviterKey),
);

/** Each helper called with valid parameters plus `options`, answering `[reason, status?, message]` or 'ok'. */
const HELPERS: readonly (readonly [string, (options: object) => Promise<unknown>])[] = [
  [
    'receiveInviteAsync',
    (options) =>
      receiveInviteAsync(requestFor('v2', '10', event), { ...context, keys: asyncKeys, ...options }),
  ],
  [
    'verifyEventSignaturesAsync',
    (options) => verifyEventSignaturesAsync({ event, roomVersion: '10', keys: asyncKeys, ...options }),
  ],
  [
    'verifyRequestAsync',
    (options) =>
      verifyRequestAsync(
        { method: 'PUT', uri, content: {}, authorization },
        { serverName: INVITEE, keys: async (s, k) => bothKeys(s, k), ...options },
      ),
  ],
  [
    'verifyInviteResponseAsync',
    (options) =>
      verifyInviteResponseAsync(
        { status: 200, body: JSON.stringify({ event }) },
        { apiVersion: 'v2', sentEvent: event, roomVersion: '10', keys: asyncKeys, lenient: true, ...options },
      ),
  ],
  ['runWithAsyncKeys', (options) => runWithAsyncKeys(() => 'checked', { keys: asyncKeys, ...options })],
];

/** The caller-error reason each helper answers with (its synchronous function's). */
const CALLER_ERROR: Readonly<Record<string, readonly [string, number | undefined]>> = {
  receiveInviteAsync: ['invalid_context', 500],
  verifyEventSignaturesAsync: ['invalid_options', undefined],
  verifyRequestAsync: ['invalid_context', 500],
  verifyInviteResponseAsync: ['invalid_context', undefined],
  runWithAsyncKeys: ['invalid_options', undefined],
};

const BAD: readonly (readonly [string, object, string])[] = [
  ['backend: "bogus"', { backend: 'bogus' }, 'backend must be'],
  [
    'backend: "auto" (a configureCrypto setting, not a per-call backend)',
    { backend: 'auto' },
    'backend must be',
  ],
  ['backend: 7', { backend: 7 }, 'backend must be'],
  ['maxPasses: "x"', { maxPasses: 'x' }, 'maxPasses must be a positive integer'],
  ['maxPasses: -1', { maxPasses: -1 }, 'maxPasses must be a positive integer'],
  ['maxPasses: 0', { maxPasses: 0 }, 'maxPasses must be a positive integer'],
  ['maxPasses: 1.5', { maxPasses: 1.5 }, 'maxPasses must be a positive integer'],
  ['maxPasses: NaN', { maxPasses: Number.NaN }, 'maxPasses must be a positive integer'],
  ['maxPasses: Infinity', { maxPasses: Number.POSITIVE_INFINITY }, 'maxPasses must be a positive integer'],
];

describe('async helpers: bad option values are caller errors naming the option', () => {
  for (const [name, call] of HELPERS) {
    it(`${name}: valid options run the check`, async () => {
      for (const options of [
        {},
        { backend: 'noble' },
        { backend: 'webcrypto', maxPasses: 3 },
        { maxPasses: 2 },
      ]) {
        const result = (await call(options)) as E.Either<{ reason: string }, unknown>;
        expect(E.isRight(result), `${name} ${JSON.stringify(options)}`).toBe(true);
      }
    });

    it.each(BAD)(`${name}: %s`, async (_label, options, mentions) => {
      const result = (await call(options)) as E.Either<
        { reason: string; status?: number; message: string },
        unknown
      >;
      const [reason, status] = CALLER_ERROR[name] ?? [];
      expect(E.isLeft(result)).toBe(true);
      if (E.isLeft(result)) {
        expect([result.left.reason, result.left.status]).toEqual([reason, status]);
        expect(result.left.message).toContain(mentions);
      }
    });
  }
});

describe('createWebCryptoSigner: the signer never rejects', () => {
  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'message'],
    ['an array of numbers', [1, 2, 3]],
    ['an ArrayBuffer', new ArrayBuffer(4)],
    [
      'a throwing Proxy',
      new Proxy(
        {},
        {
          get() {
            throw new Error('hostile');
          },
          getPrototypeOf() {
            throw new Error('hostile');
          },
        },
      ),
    ],
  ])('%s → Left(invalid_input)', async (_name, message) => {
    if (!(await webCryptoEd25519Available())) return; // Node 20+ has it; the runtimes suite covers the others
    const signer = await createWebCryptoSigner(new Uint8Array(32).fill(7));
    if (signer === undefined) throw new Error('no signer');
    const signed = await signer(message as Uint8Array);
    expect(E.isLeft(signed) && signed.left).toMatchObject({ kind: 'KeyError', reason: 'invalid_input' });
    expect(E.isRight(await signer(new Uint8Array([1, 2, 3])))).toBe(true);
  });
});
