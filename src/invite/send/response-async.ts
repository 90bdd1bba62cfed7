/**
 * {@link verifyInviteResponseAsync}: {@link verifyInviteResponse} with an async key lookup and, optionally, Web
 * Crypto verdicts. The synchronous function does the work (see `runWithAsyncKeys`).
 */
import * as E from 'fp-ts/lib/Either.js';
import type { AsyncCheckOptions } from '../../crypto/async.js';
import { runSyncCheckAsync } from '../../crypto/async-engine.js';
import type { AsyncKeyLookup } from '../../crypto/types.js';
import { type InviteSendError, sendError } from './common.js';
import type { InviteHttpResponse } from './fallback.js';
import {
  type VerifiedInviteResponse,
  type VerifyInviteResponseContext,
  verifyInviteResponse,
} from './response.js';

/**
 * The context of {@link verifyInviteResponseAsync}: that of {@link verifyInviteResponse}, with an async `keys`
 * lookup and an async `backend` (which may be `webcrypto`).
 *
 * @category Sending
 */
export interface VerifyInviteResponseAsyncContext
  extends Omit<VerifyInviteResponseContext, 'keys' | 'backend' | 'verifier'>,
    AsyncCheckOptions {
  /** Verification keys; the invitee server's key is fetched when needed. */
  readonly keys: AsyncKeyLookup;
}

/**
 * {@link verifyInviteResponse} with an async key lookup: checks the invitee's answer, fetching the invitee
 * server's key when needed. Never rejects.
 *
 * @example
 * const verified = await verifyInviteResponseAsync(response, { apiVersion: 'v2', sentEvent, roomVersion: '10',
 *   keys: (server, keyId) => keyStore.fetch(server, keyId) });
 *
 * @category Sending
 */
export async function verifyInviteResponseAsync(
  response: InviteHttpResponse,
  context: VerifyInviteResponseAsyncContext,
): Promise<E.Either<InviteSendError, VerifiedInviteResponse>> {
  return runSyncCheckAsync(
    context,
    (settings: VerifyInviteResponseContext) => verifyInviteResponse(response, settings),
    (problem) => E.left(sendError('invalid_context', problem)),
  );
}
