/**
 * {@link verifyEventSignaturesAsync}: {@link verifyEventSignatures} with an async key lookup and, optionally, Web
 * Crypto verdicts. The synchronous function does the work (see `runWithAsyncKeys`).
 */
import type * as E from 'fp-ts/lib/Either.js';
import type { AsyncOptionsOf } from '../crypto/async.js';
import { runPasses, splitAsyncOptions } from '../crypto/async-engine.js';
import type { AsyncKeyLookup, KeyLookup } from '../crypto/types.js';
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
 * The result is exactly the synchronous function's with a lookup that knows the keys the async one returned (a
 * rejected lookup knows none). Garbage `keys` or options get the synchronous function's answer. Never rejects.
 *
 * @example
 * const report = await verifyEventSignaturesAsync(event, '10', (server, keyId) => keyStore.fetch(server, keyId), {
 *   backend: 'webcrypto',
 * });
 */
export async function verifyEventSignaturesAsync(
  event: JsonObject,
  roomVersion: RoomVersionInput,
  keys: AsyncKeyLookup,
  options?: VerifyEventAsyncOptions,
): Promise<E.Either<EventVerifyError, VerificationReport>> {
  const split = splitAsyncOptions<VerifyEventOptions>(options);
  if (!split.usable || typeof keys !== 'function') {
    return verifyEventSignatures(event, roomVersion, keys as unknown as KeyLookup, split.rest);
  }
  return runPasses(
    ({ keys: known, verifier }) =>
      verifyEventSignatures(event, roomVersion, known, { ...split.rest, verifier }),
    keys,
    split.async,
  );
}
