/**
 * When a verify key may be used: one rule for every signature check (events, invite answers, X-Matrix requests).
 *
 * - A key is valid until its `validUntilTs`; a key without one has no known limit (the caller vouches for it, as
 *   Synapse does for its own key, stored with a "fake future timestamp" of 2^63 in `synapse/crypto/keyring.py`).
 * - With `now`, that validity is capped at `now + 7 days`: spec server-server API "Retrieving server keys" ("the
 *   lesser of `valid_until_ts` and 7 days into the future") and room version 5 ("Servers MUST use the lesser of
 *   `valid_until_ts` and 7 days into the future when determining if a key is valid",
 *   https://spec.matrix.org/v1.19/rooms/v5/). Without `now` there is no cap: Synapse applies none, neither when
 *   fetching (`BaseV2KeyFetcher.process_v2_response` stores `valid_until_ts` as served) nor when verifying.
 * - A key may verify a signature made at time `t` when that (capped) validity is at least `t`: Synapse's
 *   `Keyring.process_request` skips a key whose `valid_until_ts < minimum_valid_until_ts`, where the minimum is the
 *   event's `origin_server_ts` in room versions 5+ (0 before, i.e. no check) and the current time for a request.
 *
 * Synapse reads a stored key with no recorded validity as 0 (`get_server_keys_json`: "it won't match key requests
 * that define a minimum"); give such keys `validUntilTs: 0` to get that verdict.
 */
import type { VerifyKeyEntry } from './types.js';

/** Seven days in milliseconds: the longest a key's validity may be trusted into the future (spec). */
export const MAX_KEY_VALIDITY_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * The time (ms since the epoch) until which a key may be used: its `validUntilTs` (`Infinity` when absent), capped at
 * `now + 7 days` when `now` is given.
 */
export function keyValidUntil(entry: VerifyKeyEntry, now?: number): number {
  const raw: unknown = entry.validUntilTs;
  // Not a number (an untyped caller's mistake): NaN, which is valid at no time.
  const until = raw === undefined ? Number.POSITIVE_INFINITY : typeof raw === 'number' ? raw : Number.NaN;
  return now === undefined ? until : Math.min(until, now + MAX_KEY_VALIDITY_MS);
}

/** Whether a key may verify a signature made at `at` (ms): its validity ({@link keyValidUntil}) is at least `at`. */
export function isKeyValidAt(entry: VerifyKeyEntry, at: number | bigint, now?: number): boolean {
  const until = keyValidUntil(entry, now);
  if (until === Number.POSITIVE_INFINITY) return true;
  if (Number.isNaN(until) || until === Number.NEGATIVE_INFINITY) return false;
  return typeof at === 'bigint' ? BigInt(Math.floor(until)) >= at : until >= at;
}
