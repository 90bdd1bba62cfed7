/**
 * {@link verifyRequestAsync}: {@link verifyRequest} with an async key lookup and, optionally, Web Crypto verdicts.
 * The synchronous function does the work (see `runWithAsyncKeys`).
 */
import type * as E from 'fp-ts/lib/Either.js';
import type { AsyncCheckOptions } from '../crypto/async.js';
import { runSyncCheckAsync } from '../crypto/async-engine.js';
import type { AsyncKeyLookup } from '../crypto/types.js';
import type { XMatrixRejection } from './errors.js';
import {
  contextRejection,
  type IncomingXMatrixRequest,
  type VerifiedRequest,
  type VerifyRequestContext,
  verifyRequest,
} from './verify.js';

/**
 * The context of {@link verifyRequestAsync}: that of {@link verifyRequest}, with an async `keys` lookup and an async
 * `backend` (which may be `webcrypto`).
 *
 * @category X-Matrix
 */
export interface VerifyRequestAsyncContext
  extends Omit<VerifyRequestContext, 'keys' | 'backend' | 'verifier'>,
    AsyncCheckOptions {
  /** Verify keys of other servers: an async lookup, called once per missing key. */
  readonly keys: AsyncKeyLookup;
}

/**
 * {@link verifyRequest} with an async key lookup: authenticates an X-Matrix request, fetching the origin's key
 * when needed. Never rejects; a rejection carries its `status` and `body`, as the synchronous one does.
 *
 * @example
 * const auth = await verifyRequestAsync(request, { serverName: 'invitee.example', keys: (server, keyId) => keyStore.fetch(server, keyId) });
 *
 * @category X-Matrix
 */
export async function verifyRequestAsync(
  request: IncomingXMatrixRequest,
  context: VerifyRequestAsyncContext,
): Promise<E.Either<XMatrixRejection, VerifiedRequest>> {
  return runSyncCheckAsync(
    context,
    (settings: VerifyRequestContext) => verifyRequest(request, settings),
    (problem, rest) => contextRejection(problem, rest.errorMapping),
  );
}
