/**
 * {@link receiveInviteAsync}: {@link receiveInvite} with an async key lookup and, optionally, Web Crypto verdicts.
 * The synchronous function does the work (see `runWithAsyncKeys`).
 */
import type * as E from 'fp-ts/lib/Either.js';
import type { AsyncCheckOptions } from '../../crypto/async.js';
import { asyncSettingsProblem, copySettings, runPasses } from '../../crypto/async-engine.js';
import type { AsyncKeyLookup } from '../../crypto/types.js';
import {
  type InviteAccepted,
  type InviteContext,
  type InvitePolicy,
  type InviteRejection,
  type ReceivedInviteRequest,
  receiveInvite,
  settingsRejection,
} from './receive.js';

/**
 * {@link InviteContext} with an async key lookup (a key store that may fetch from the network), and who checks
 * signatures (`backend`, which may be `webcrypto`) and how many passes the pipeline may take (`maxPasses`).
 *
 * @category Receiving
 */
export interface AsyncInviteContext extends Omit<InviteContext, 'keys'>, AsyncCheckOptions {
  /** Verification keys of other servers; called once per missing key, in parallel. */
  readonly keys: AsyncKeyLookup;
}

/**
 * {@link receiveInvite} with an async key lookup: the answer is exactly the synchronous function's with a lookup
 * that knows the keys the async one returned. A lookup whose promise rejects (a failed fetch) knows no key: the
 * invite is refused as `signing_key_unknown`, as by a synchronous lookup answering `undefined`, never as a caller
 * error. Signature checks use `context.backend`, else `policy.backend`, else
 * the process's async backend (Web Crypto where the synchronous default would be `noble`). The synchronous
 * pipeline runs a few times (1 to 4 typically), so `policy.authorize` may be called more than once: it must be pure.
 * A context the synchronous function refuses gets its answer. Never rejects.
 *
 * @category Receiving
 *
 * @example
 * const result = await receiveInviteAsync(
 *   { apiVersion: 'v2', roomId, eventId, origin, body },
 *   { serverName: 'invitee.example', signingKey, keys: (server, keyId) => keyStore.fetch(server, keyId) },
 * );
 */
export async function receiveInviteAsync(
  request: ReceivedInviteRequest,
  context: AsyncInviteContext,
): Promise<E.Either<InviteRejection, InviteAccepted>> {
  // Each setting read once; a context (or policy) that is not an object or cannot be read, or a `keys` that is not a
  // function: the synchronous function says what is wrong.
  const read = copySettings(context);
  if ('unusable' in read) return receiveInvite(request, read.unusable as InviteContext);
  const fields = read.copy;
  const readPolicy = fields.policy === undefined ? { copy: {} as InvitePolicy } : copySettings(fields.policy);
  if ('unusable' in readPolicy || typeof fields.keys !== 'function') {
    const policy = 'unusable' in readPolicy ? readPolicy.unusable : readPolicy.copy;
    return receiveInvite(request, { ...fields, policy } as unknown as InviteContext);
  }
  const policy = readPolicy.copy;
  const { backend: asyncBackend, maxPasses, keys: asyncKeys, ...rest } = fields;
  // The context's own async settings; `policy.backend` is checked by receiveInvite (a synchronous backend).
  const problem = asyncSettingsProblem({ backend: asyncBackend, maxPasses });
  if (problem !== undefined) return settingsRejection(problem);
  const backend = asyncBackend ?? policy.backend;
  return runPasses(
    ({ keys, verifier }) => receiveInvite(request, { ...rest, keys, policy: { ...policy, verifier } }),
    asyncKeys,
    { backend, maxPasses },
  );
}
