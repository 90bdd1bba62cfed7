/**
 * {@link verifyRequestAsync}: {@link verifyRequest} with an async key lookup and, optionally, Web Crypto verdicts.
 * The synchronous function does the work (see `runWithAsyncKeys`).
 */
import type * as E from 'fp-ts/lib/Either.js';
import { type AsyncOptionsOf, runWithAsyncKeys, splitAsyncOptions } from '../crypto/async.js';
import type { AsyncKeyLookup } from '../crypto/types.js';
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
 * when needed. Never rejects.
 *
 * @example
 * const verified = await verifyRequestAsync(request, 'invitee.example', (server, keyId) => keyStore.fetch(server, keyId));
 */
export function verifyRequestAsync(
  request: IncomingXMatrixRequest,
  ourServerName: string,
  keys: AsyncKeyLookup,
  options?: VerifyRequestAsyncOptions,
): Promise<E.Either<XMatrixVerifyError, VerifiedRequest>> {
  const split = splitAsyncOptions<VerifyRequestOptions>(options);
  return runWithAsyncKeys(
    ({ keys: known, verifier }) => verifyRequest(request, ourServerName, known, { ...split.rest, verifier }),
    keys,
    split.async,
  );
}
