/**
 * {@link verifyEventSignaturesAsync}: {@link verifyEventSignatures} with an async key lookup and, optionally, Web
 * Crypto verdicts. The synchronous function does the work (see `runWithAsyncKeys`).
 */
import * as E from 'fp-ts/lib/Either.js';
import type { AsyncCheckOptions } from '../crypto/async.js';
import { runSyncCheckAsync } from '../crypto/async-engine.js';
import type { AsyncKeyLookup } from '../crypto/types.js';
import { type EventError, eventError } from './errors.js';
import {
  type VerificationReport,
  type VerifyEventSignaturesParams,
  verifyEventSignatures,
} from './verify.js';

/**
 * What {@link verifyEventSignaturesAsync} checks: the parameters of {@link verifyEventSignatures}, with an async
 * `keys` lookup and an async `backend` (which may be `webcrypto`).
 */
export interface VerifyEventSignaturesAsyncParams
  extends Omit<VerifyEventSignaturesParams, 'keys' | 'backend' | 'verifier'>,
    AsyncCheckOptions {
  /** The verify keys you trust: an async lookup (e.g. a key store that fetches `/_matrix/key/v2/server`). */
  readonly keys: AsyncKeyLookup;
}

/**
 * {@link verifyEventSignatures} with an async key lookup (e.g. a key store that fetches `/_matrix/key/v2/server`).
 * The result is exactly the synchronous function's with a lookup that knows the keys the async one returned.
 * Never rejects.
 *
 * @example
 * const report = await verifyEventSignaturesAsync({
 *   event, roomVersion: '10', keys: (server, keyId) => keyStore.fetch(server, keyId), backend: 'webcrypto',
 * });
 */
export async function verifyEventSignaturesAsync(
  params: VerifyEventSignaturesAsyncParams,
): Promise<E.Either<EventError, VerificationReport>> {
  return runSyncCheckAsync(params, verifyEventSignatures, (problem) =>
    E.left(eventError('invalid_options', problem)),
  );
}
