/**
 * {@link receiveInviteAsync}: {@link receiveInvite} with an async key lookup and, optionally, Web Crypto verdicts.
 * The synchronous function does the work (see `runWithAsyncKeys`).
 */
import type * as E from 'fp-ts/lib/Either.js';
import { type AsyncCheckOptions, runWithAsyncKeys } from '../../crypto/async.js';
import type { AsyncKeyLookup } from '../../crypto/types.js';
import { settingsCopy } from '../../errors/options.js';
import {
  type InviteAccepted,
  type InviteContext,
  type InvitePolicy,
  type InviteRejection,
  type ReceivedInviteRequest,
  receiveInvite,
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
 * that knows the keys the async one returned. Signature checks use `context.backend`, else `policy.backend`, else
 * the process's async backend (Web Crypto where the synchronous default would be `noble`). The synchronous
 * pipeline runs a few times (1 to 4 typically), so `policy.authorize` may be called more than once: it must be pure.
 * Never rejects.
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
  const fields = settingsCopy(context);
  const policy: InvitePolicy | undefined = fields?.policy === undefined ? {} : settingsCopy(fields.policy);
  if (fields === undefined || policy === undefined || typeof fields.keys !== 'function') {
    return receiveInvite(request, context as unknown as InviteContext);
  }
  const { backend: asyncBackend, maxPasses, keys: asyncKeys, ...rest } = fields;
  const backend = asyncBackend ?? policy.backend;
  return runWithAsyncKeys(
    ({ keys, verifier }) => receiveInvite(request, { ...rest, keys, policy: { ...policy, verifier } }),
    {
      keys: asyncKeys,
      ...(backend === undefined ? {} : { backend }),
      ...(maxPasses === undefined ? {} : { maxPasses }),
    },
  );
}
