/**
 * Calling the caller's key lookup safely. A lookup is pure and synchronous and answers `undefined` (unknown key) or a
 * {@link VerifyKeyEntry}; anything else (a Promise, a key that is not a string or bytes, a `validUntilTs` that is not
 * a number) and a throw are the caller's mistakes, reported as such rather than as the peer's unknown or bad key.
 */

import { isUint8Array } from '../encoding/bytes.js';
import { describeUnknown, describeValue } from '../errors/describe.js';
import type { KeyLookup, VerifyKeyEntry } from './types.js';

/** What a lookup answered: a key (copied, so its getters are read once), no key, or a caller mistake. */
export type KeyLookupOutcome =
  | { readonly kind: 'found'; readonly entry: VerifyKeyEntry }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'invalid'; readonly message: string };

const UNKNOWN: KeyLookupOutcome = Object.freeze({ kind: 'unknown' });

/**
 * Calls `keys(serverName, keyId, validAt)` and checks the answer; never throws. `validAt` (the time the key must be
 * valid at, when that matters) is passed only when given, so two-argument lookups see what they always saw.
 */
export function lookUpVerifyKey(
  keys: KeyLookup,
  serverName: string,
  keyId: string,
  validAt?: number,
): KeyLookupOutcome {
  const what = `the key lookup for ${serverName} ${keyId}`;
  const invalid = (problem: string): KeyLookupOutcome => ({ kind: 'invalid', message: `${what} ${problem}` });
  let answer: unknown;
  try {
    answer = validAt === undefined ? keys(serverName, keyId) : keys(serverName, keyId, validAt);
  } catch (error) {
    return invalid(`threw: ${error instanceof Error ? error.message : describeUnknown(error)}`);
  }
  if (answer === undefined) return UNKNOWN;
  try {
    if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) {
      return invalid(`returned ${describeValue(answer)}, not undefined or { key, validUntilTs? }`);
    }
    if (typeof (answer as { then?: unknown }).then === 'function') {
      return invalid(`returned ${describeValue(answer)}: lookups are synchronous, fetch keys before calling`);
    }
    const { key, validUntilTs, expired } = answer as {
      key?: unknown;
      validUntilTs?: unknown;
      expired?: unknown;
    };
    if (typeof key !== 'string' && !isUint8Array(key)) {
      return invalid(`returned a key that is ${describeValue(key)}, not a base64 string or bytes`);
    }
    if (validUntilTs !== undefined && (typeof validUntilTs !== 'number' || Number.isNaN(validUntilTs))) {
      return invalid(`returned a validUntilTs that is ${describeValue(validUntilTs)}, not a number of ms`);
    }
    if (expired !== undefined && typeof expired !== 'boolean') {
      return invalid(`returned an expired flag that is ${describeValue(expired)}, not a boolean`);
    }
    const entry: { key: string | Uint8Array; validUntilTs?: number; expired?: boolean } = { key };
    if (validUntilTs !== undefined) entry.validUntilTs = validUntilTs;
    if (expired !== undefined) entry.expired = expired;
    return { kind: 'found', entry };
  } catch (error) {
    return invalid(
      `returned an unreadable answer: ${error instanceof Error ? error.message : describeUnknown(error)}`,
    );
  }
}
