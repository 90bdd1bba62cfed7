/**
 * {@link verifyInviteResponseAsync}: {@link verifyInviteResponse} with an async key lookup and, optionally, Web
 * Crypto verdicts. The synchronous function does the work (see `runWithAsyncKeys`).
 */
import type * as E from 'fp-ts/lib/Either.js';
import type { AsyncOptionsOf } from '../../crypto/async.js';
import { runPasses, splitAsyncOptions, unreadable } from '../../crypto/async-engine.js';
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
 * server's key when needed (a rejected fetch is an unknown key). Garbage params or options get the synchronous
 * function's answer. Never rejects.
 *
 * @example
 * const verified = await verifyInviteResponseAsync({ ...answer, keys: (server, keyId) => keyStore.fetch(server, keyId) });
 */
export async function verifyInviteResponseAsync(
  params: AsyncVerifyInviteResponseParams,
  options?: VerifyInviteResponseAsyncOptions,
): Promise<E.Either<InviteResponseError, VerifiedInviteResponse>> {
  const split = splitAsyncOptions<VerifyInviteResponseOptions>(options);
  // The params are read once (a plain copy): every pass sees the same values, and a throwing getter is the
  // synchronous function's to report.
  let copy: AsyncVerifyInviteResponseParams | undefined;
  let unusable: unknown = params;
  try {
    if (typeof params === 'object' && params !== null) {
      copy = { ...params };
      unusable = copy;
    }
  } catch (error) {
    unusable = unreadable(error);
  }
  if (!split.usable || copy === undefined || typeof copy.keys !== 'function') {
    return verifyInviteResponse(unusable as VerifyInviteResponseParams, split.rest);
  }
  const known = copy;
  return runPasses(
    ({ keys, verifier }) => verifyInviteResponse({ ...known, keys }, { ...split.rest, verifier }),
    known.keys,
    split.async,
  );
}
