/**
 * Countersigning an accepted invite (spec: "The event with the invited server's signature added. All other fields
 * of the events should remain untouched").
 *
 * The signature covers the redacted event without `signatures` and `unsigned` (the prepared signing bytes, reused
 * from the signature check: nothing is re-encoded). It is merged under `signatures[serverName][keyId]`; every other
 * signature, including a policy server's `ed25519:policy_server`, is kept, and `hashes` is never recomputed.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { SigningKey } from '../../crypto/types.js';
import { describeValue, errorText } from '../../errors/describe.js';
import { type PreparedEvent, withEvent } from '../../events/prepared.js';
import { redactEvent } from '../../events/redaction.js';
import { countersignPrepared } from '../../events/signing.js';
import { isJsonObject, type JsonObject } from '../../json/value.js';
import { type InviteError, inviteError } from './reasons.js';

/** Options of {@link countersignInvite}. */
export interface CountersignInviteOptions {
  /**
   * Countersign and return the **redacted** copy (Synapse's answer to a content hash mismatch: the event is replaced
   * by its redacted form, whose signed bytes are the same). Default `false`.
   */
  readonly redact?: boolean;
}

/**
 * Adds our server's signature to a validated invite (see `validateInviteEvent`, whose `prepared` this takes).
 * Returns a new event; the input is not modified.
 *
 * @example countersignInvite(validated.prepared, 'invitee.example', signingKey) // Right({ ..., signatures: { 'inviter.example': ..., 'invitee.example': ... } })
 */
export function countersignInvite(
  prepared: PreparedEvent,
  serverName: string,
  signingKey: SigningKey,
  rawOptions: CountersignInviteOptions = {},
): E.Either<InviteError, JsonObject> {
  try {
    if (typeof prepared !== 'object' || prepared === null || !isJsonObject(prepared.event)) {
      return E.left(
        inviteError('invalid_context', 'prepared must be the prepared event of validateInviteEvent'),
      );
    }
    const key = signingKey as Partial<SigningKey> | null | undefined;
    if (
      typeof key !== 'object' ||
      key === null ||
      typeof key.sign !== 'function' ||
      typeof key.keyId !== 'string'
    ) {
      return E.left(
        inviteError('invalid_context', `signingKey must be a SigningKey, got ${describeValue(signingKey)}`),
      );
    }
    if (typeof serverName !== 'string' || serverName === '') {
      return E.left(
        inviteError(
          'invalid_context',
          `serverName must be a non-empty string, got ${describeValue(serverName)}`,
        ),
      );
    }
    const options: CountersignInviteOptions = rawOptions ?? {};
    let target = prepared;
    if (options.redact === true) {
      // Redaction is idempotent, so the redacted copy has exactly the same signing bytes.
      const redacted = redactEvent(prepared.event, prepared.rules);
      if (E.isLeft(redacted)) {
        return E.left(
          inviteError(
            'countersign_failed',
            `cannot redact the event: ${redacted.left.message}`,
            redacted.left.path,
          ),
        );
      }
      target = withEvent(prepared, redacted.right);
    }
    const signed = countersignPrepared(target, serverName, signingKey);
    if (E.isLeft(signed)) {
      return E.left(
        inviteError('countersign_failed', `cannot countersign: ${signed.left.message}`, signed.left.path, {
          cause: signed.left,
        }),
      );
    }
    return E.right(signed.right.event);
  } catch (error) {
    return E.left(inviteError('invalid_context', `cannot countersign: ${errorText(error)}`));
  }
}
