/**
 * {@link receiveInviteAsync}: {@link receiveInvite} with an async key lookup and, optionally, Web Crypto verdicts.
 * The synchronous function does the work (see `runWithAsyncKeys`).
 */
import * as E from 'fp-ts/lib/Either.js';
import type { AsyncCheckOptions } from '../../crypto/async.js';
import { readAsyncSettings, runPasses, unreadable } from '../../crypto/async-engine.js';
import type { AsyncKeyLookup } from '../../crypto/types.js';
import { errorText } from '../../errors/describe.js';
import { SPEC_ERROR_MAPPING, toMatrixError } from '../../errors/matrix.js';
import { inviteError } from './reasons.js';
import {
  type InviteAccepted,
  type InviteContext,
  type InvitePolicy,
  type InviteRejection,
  type ReceivedInviteRequest,
  receiveInvite,
} from './receive.js';

/** {@link InviteContext} with an async key lookup (a key store that may fetch from the network). */
export interface AsyncInviteContext extends Omit<InviteContext, 'keys'> {
  /** Verification keys of other servers; called once per missing key, in parallel. */
  readonly keys: AsyncKeyLookup;
}

/** The context read once (plain copies), or what to hand to the synchronous function to answer instead. */
function readContext(
  context: AsyncInviteContext,
): { readonly context: AsyncInviteContext; readonly policy: InvitePolicy } | { readonly unusable: unknown } {
  try {
    if (typeof context !== 'object' || context === null) return { unusable: context };
    const copy = { ...context };
    const policy: unknown = copy.policy;
    if (
      typeof copy.keys !== 'function' ||
      (policy !== undefined && (typeof policy !== 'object' || policy === null))
    ) {
      return { unusable: copy };
    }
    return { context: copy, policy: policy === undefined ? {} : { ...(policy as InvitePolicy) } };
  } catch (error) {
    return { unusable: unreadable(error) };
  }
}

/**
 * {@link receiveInvite} with an async key lookup: the answer is exactly the synchronous function's with a lookup
 * that knows the keys the async one returned. A lookup whose promise rejects (a failed fetch) knows no key: the
 * invite is refused as `signing_key_unknown`, as by a synchronous lookup answering `undefined`, never as a caller
 * error. Signature checks use `options.backend`, else `policy.backend`, else the process's async backend (Web Crypto
 * where the synchronous default would be `noble`). The synchronous pipeline runs a few times (1 to 4 typically), so
 * `policy.authorize` may be called more than once: it must be pure. A context the synchronous function refuses gets
 * its answer. Never rejects.
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
  options: AsyncCheckOptions = {},
): Promise<E.Either<InviteRejection, InviteAccepted>> {
  const read = readContext(context);
  // The synchronous function says what is wrong with the context.
  if ('unusable' in read) return receiveInvite(request, read.unusable as InviteContext);
  const settings = readAsyncSettings(options, read.policy.backend);
  if (!settings.ok) {
    const error = inviteError('invalid_context', `the options cannot be read: ${errorText(settings.error)}`);
    return E.left({ ...error, ...toMatrixError(error, SPEC_ERROR_MAPPING) });
  }
  const { context: known, policy } = read;
  return runPasses(
    ({ keys, verifier }) => receiveInvite(request, { ...known, keys, policy: { ...policy, verifier } }),
    known.keys,
    settings.settings,
  );
}
