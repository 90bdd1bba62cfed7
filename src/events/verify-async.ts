/**
 * {@link verifyEventSignaturesAsync}: {@link verifyEventSignatures} with an async key lookup and, optionally, Web
 * Crypto verdicts. The synchronous function does the work (see `runWithAsyncKeys`).
 */
import type * as E from 'fp-ts/lib/Either.js';
import { type AsyncOptionsOf, runWithAsyncKeys, splitAsyncOptions } from '../crypto/async.js';
import type { AsyncKeyLookup } from '../crypto/types.js';
import type { JsonObject } from '../json/value.js';
import type { RoomVersionInput } from './errors.js';
import {
  type EventVerifyError,
  type VerificationReport,
  type VerifyEventOptions,
  verifyEventSignatures,
} from './verify.js';

/** Options of {@link verifyEventSignaturesAsync}: those of {@link verifyEventSignatures}, with an async `backend`. */
export type VerifyEventAsyncOptions = AsyncOptionsOf<VerifyEventOptions>;

/**
 * {@link verifyEventSignatures} with an async key lookup (e.g. a key store that fetches `/_matrix/key/v2/server`).
 * The result is exactly the synchronous function's with a lookup that knows the keys the async one returned.
 * Never rejects.
 *
 * @example
 * const report = await verifyEventSignaturesAsync(event, '10', (server, keyId) => keyStore.fetch(server, keyId), {
 *   backend: 'webcrypto',
 * });
 */
export function verifyEventSignaturesAsync(
  event: JsonObject,
  roomVersion: RoomVersionInput,
  keys: AsyncKeyLookup,
  options?: VerifyEventAsyncOptions,
): Promise<E.Either<EventVerifyError, VerificationReport>> {
  const split = splitAsyncOptions<VerifyEventOptions>(options);
  return runWithAsyncKeys(
    ({ keys: known, verifier }) =>
      verifyEventSignatures(event, roomVersion, known, { ...split.rest, verifier }),
    keys,
    split.async,
  );
}
