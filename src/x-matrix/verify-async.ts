/**
 * {@link verifyRequestAsync}: {@link verifyRequest} with an async key lookup and, optionally, Web Crypto verdicts.
 * The synchronous function does the work (see `runWithAsyncKeys`).
 */
import type * as E from 'fp-ts/lib/Either.js';
import type { AsyncOptionsOf } from '../crypto/async.js';
import { runPasses, splitAsyncOptions } from '../crypto/async-engine.js';
import type { AsyncKeyLookup, KeyLookup } from '../crypto/types.js';
import {
  type IncomingXMatrixRequest,
  type VerifiedRequest,
  type VerifyRequestOptions,
  verifyRequest,
  type XMatrixVerifyError,
} from './verify.js';

/** Options of {@link verifyRequestAsync}: those of {@link verifyRequest}, with an async `backend`. */
export type VerifyRequestAsyncOptions = AsyncOptionsOf<VerifyRequestOptions>;

/**
 * {@link verifyRequest} with an async key lookup: authenticates an X-Matrix request, fetching the origin's key
 * when needed (a rejected fetch is an unknown key: `unknown_key`, 401). Garbage `keys` or options get the
 * synchronous function's answer. Never rejects.
 *
 * @example
 * const verified = await verifyRequestAsync(request, 'invitee.example', (server, keyId) => keyStore.fetch(server, keyId));
 */
export async function verifyRequestAsync(
  request: IncomingXMatrixRequest,
  ourServerName: string,
  keys: AsyncKeyLookup,
  options?: VerifyRequestAsyncOptions,
): Promise<E.Either<XMatrixVerifyError, VerifiedRequest>> {
  const split = splitAsyncOptions<VerifyRequestOptions>(options);
  if (!split.usable || typeof keys !== 'function') {
    return verifyRequest(request, ourServerName, keys as unknown as KeyLookup, split.rest);
  }
  return runPasses(
    ({ keys: known, verifier }) => verifyRequest(request, ourServerName, known, { ...split.rest, verifier }),
    keys,
    split.async,
  );
}
