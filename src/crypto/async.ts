/**
 * The async path, without a second copy of any pipeline.
 *
 * Every check of the library (`receiveInvite`, `verifyEventSignatures`, `verifyRequest`, `verifyInviteResponse`...)
 * is synchronous and takes two crypto inputs: a {@link KeyLookup} and an ed25519 verdict (a backend, or an
 * {@link Ed25519Verifier}). {@link runWithAsyncKeys} runs such a check as it is, several times:
 *
 * 1. a pass with what is known so far: the lookup answers from a table and records each key it was asked for and
 *    did not have (a {@link KeyRequest}); the verifier answers from a table of verdicts and records each signature it
 *    was asked about, answering `true` meanwhile so the pass goes on and finds what the later steps need;
 * 2. the recorded keys are awaited (the caller's async lookup is called as soon as a key is asked for; an answer
 *    given synchronously, from a warm cache, is used at once) and the recorded signatures are checked (Web Crypto),
 *    all in parallel;
 * 3. again, until a pass asks for nothing new: that pass only used real keys and real verdicts, so its result is
 *    exactly what the synchronous check gives with a lookup that knows the same keys.
 *
 * Passes are bounded (`maxPasses`, default 8); a last pass answers unknown keys with `undefined` and unknown
 * signatures with the synchronous default backend, so the result is always one the synchronous check can give.
 *
 * A lookup whose promise rejects (a failed fetch of `/_matrix/key/v2/server`) does not know the key: the check
 * reports an unknown key, as Synapse does when it cannot fetch one (`Keyring.process_request`, "Failed to find any
 * key to satisfy"). A lookup that throws before returning a promise, or answers something that is not a key, is a
 * programming error, reported as the synchronous check reports such a synchronous lookup (a caller error).
 */

import * as E from 'fp-ts/lib/Either.js';
import type { LibraryError } from '../errors/base.js';
import { describeValue, errorText } from '../errors/describe.js';
import {
  type AsyncCheckOptions,
  asyncSettingsProblem,
  type CheckCrypto,
  keyTableId,
  readAsyncSettings,
  runPasses,
} from './async-engine.js';
import type { AsyncKeyLookup, KeyLookup, KeyRequest } from './types.js';

export { type AsyncCheckOptions, type CheckCrypto, resolveAsyncBackendName } from './async-engine.js';

/**
 * The second input of {@link runWithAsyncKeys}: the async key lookup and the options.
 *
 * @category Keys
 */
export interface AsyncCheckContext extends AsyncCheckOptions {
  /** The async key lookup, `(serverName, keyId, validAt?) => Promise<VerifyKeyEntry | undefined>`. */
  readonly keys: AsyncKeyLookup;
}

/**
 * Why {@link runWithAsyncKeys} or {@link collectKeyRequests} could not run the check, always the caller's mistake:
 * `invalid_params` (`check` or `keys` is not a function), `invalid_options` (the context is not an object or cannot
 * be read, `backend` is no async backend, `maxPasses` is not a positive integer), `check_threw` (the caller's check threw; the library's checks never do).
 *
 * @category Keys
 */
export type AsyncCheckErrorReason = 'invalid_params' | 'invalid_options' | 'check_threw';

/**
 * A check that could not be run (`kind: 'AsyncCheckError'`).
 *
 * @category Keys
 */
export type AsyncCheckError = LibraryError<'AsyncCheckError', AsyncCheckErrorReason>;

function refuse(reason: AsyncCheckErrorReason, message: string): E.Either<AsyncCheckError, never> {
  return E.left({ kind: 'AsyncCheckError', reason, message, path: [] });
}

/**
 * Runs a synchronous check with an async key lookup and, optionally, Web Crypto verdicts (see the module
 * documentation): `Right` of the check's result, exactly what the synchronous check gives with a lookup that knows
 * the keys the async one returned. `check` receives the crypto inputs to pass to the synchronous function. The async
 * lookup is called once per distinct `(serverName, keyId, validAt)`, in parallel within a pass; a rejection counts as
 * an unknown key, a synchronous throw is replayed as a throwing lookup. The result waits for the lookup: give network
 * fetches their own timeout. `Left` (never a rejection) when `check` or `keys` is not a function, the context cannot
 * be read, or `check` throws.
 *
 * @example
 * const result = await runWithAsyncKeys(
 *   ({ keys, verifier }) => verifyEventSignatures({ event, roomVersion: '10', keys, verifier }),
 *   { keys: (server, keyId) => keyStore.fetch(server, keyId), backend: 'webcrypto' },
 * );
 * // Right(Right(report)), Right(Left(eventError)), or Left(asyncCheckError)
 */
export async function runWithAsyncKeys<T>(
  check: (crypto: CheckCrypto) => T,
  context: AsyncCheckContext,
): Promise<E.Either<AsyncCheckError, T>> {
  if (typeof check !== 'function') {
    return refuse('invalid_params', `check must be a function, got ${describeValue(check)}`);
  }
  if (typeof context !== 'object' || context === null) {
    return refuse(
      'invalid_options',
      `context must be { keys, backend?, maxPasses? }, got ${describeValue(context)}`,
    );
  }
  let settings: AsyncCheckContext;
  try {
    settings = { ...context }; // each setting read once
  } catch (error) {
    return refuse('invalid_options', `the context cannot be read: ${errorText(error)}`);
  }
  const { keys } = settings;
  if (typeof keys !== 'function') {
    return refuse('invalid_params', `keys must be a key lookup function, got ${describeValue(keys)}`);
  }
  const read = readAsyncSettings(settings);
  if (!read.ok) return refuse('invalid_options', `the context cannot be read: ${errorText(read.error)}`);
  const problem = asyncSettingsProblem(read.settings);
  if (problem !== undefined) return refuse('invalid_options', problem);
  try {
    return E.right(await runPasses(check, keys, read.settings));
  } catch (error) {
    return refuse('check_threw', `the check threw: ${errorText(error)}`);
  }
}

/**
 * One synchronous pass of a check, listing the keys it asked for that `keys` did not know: what to fetch (from
 * `/_matrix/key/v2/server` or a notary) before checking again. A key store's "what is missing" question takes this
 * list as it is. `Left` when `check` or `keys` is not a function, or `check` throws.
 *
 * @example
 * const collected = collectKeyRequests((keys) => verifyRequest(request, { serverName: 'me.example', keys }), store.lookup);
 * if (E.isRight(collected)) await fetchKeys(collected.right.keyRequests);
 */
export function collectKeyRequests<T>(
  check: (keys: KeyLookup) => T,
  keys: KeyLookup,
): E.Either<AsyncCheckError, { readonly result: T; readonly keyRequests: readonly KeyRequest[] }> {
  if (typeof check !== 'function') {
    return refuse('invalid_params', `check must be a function, got ${describeValue(check)}`);
  }
  if (typeof keys !== 'function') {
    return refuse('invalid_params', `keys must be a key lookup function, got ${describeValue(keys)}`);
  }
  const requests = new Map<string, KeyRequest>();
  const recording: KeyLookup = (serverName, keyIdentifier, validAt) => {
    const entry = keys(serverName, keyIdentifier, validAt);
    const id = keyTableId(serverName, keyIdentifier, validAt);
    if ((entry === undefined || entry === null) && !requests.has(id)) {
      requests.set(
        id,
        validAt === undefined
          ? { serverName, keyId: keyIdentifier }
          : { serverName, keyId: keyIdentifier, validAt },
      );
    }
    return entry;
  };
  try {
    const result = check(recording);
    return E.right({ result, keyRequests: [...requests.values()] });
  } catch (error) {
    return refuse('check_threw', `the check threw: ${errorText(error)}`);
  }
}

/** The options of a synchronous check, with the async helpers' `backend` (which may be `webcrypto`) and `maxPasses`. */
export type AsyncOptionsOf<Options> = Omit<Options, 'backend' | 'verifier'> & AsyncCheckOptions;
