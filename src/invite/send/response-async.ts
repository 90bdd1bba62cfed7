/**
 * {@link verifyInviteResponseAsync}: {@link verifyInviteResponse} with an async key lookup and, optionally, Web
 * Crypto verdicts. The synchronous function does the work (see `runWithAsyncKeys`).
 */
import type * as E from 'fp-ts/lib/Either.js';
import { type AsyncOptionsOf, runWithAsyncKeys, splitAsyncOptions } from '../../crypto/async.js';
import type { AsyncKeyLookup } from '../../crypto/types.js';
import {
  type InviteResponseError,
  type VerifiedInviteResponse,
  type VerifyInviteResponseOptions,
  type VerifyInviteResponseParams,
  verifyInviteResponse,
} from './response.js';

/** {@link VerifyInviteResponseParams} with an async key lookup. */
export interface AsyncVerifyInviteResponseParams extends Omit<VerifyInviteResponseParams, 'keys'> {
  /** Verification keys; the invitee server's key is fetched when needed. */
  readonly keys: AsyncKeyLookup;
}

/** Options of {@link verifyInviteResponseAsync}: those of {@link verifyInviteResponse}, with an async `backend`. */
export type VerifyInviteResponseAsyncOptions = AsyncOptionsOf<VerifyInviteResponseOptions>;

/**
 * {@link verifyInviteResponse} with an async key lookup: checks the invitee's answer, fetching the invitee
 * server's key when needed. Never rejects.
 *
 * @example
 * const verified = await verifyInviteResponseAsync({ ...answer, keys: (server, keyId) => keyStore.fetch(server, keyId) });
 */
export async function verifyInviteResponseAsync(
  params: AsyncVerifyInviteResponseParams,
  options?: VerifyInviteResponseAsyncOptions,
): Promise<E.Either<InviteResponseError, VerifiedInviteResponse>> {
  if (typeof params !== 'object' || params === null || typeof params.keys !== 'function') {
    return verifyInviteResponse(
      params as unknown as VerifyInviteResponseParams,
      splitAsyncOptions<VerifyInviteResponseOptions>(options).rest,
    );
  }
  const split = splitAsyncOptions<VerifyInviteResponseOptions>(options);
  return runWithAsyncKeys(
    ({ keys, verifier }) => verifyInviteResponse({ ...params, keys }, { ...split.rest, verifier }),
    params.keys,
    split.async,
  );
}
