/**
 * X-Matrix and old keys: spec "Publishing Keys" (https://spec.matrix.org/v1.19/server-server-api/#publishing-keys)
 * says `old_verify_keys` "are only valid for signing events", so verifyRequest refuses a key marked `expired`
 * even without `now` (Synapse refuses it through its validity check at the current time: an old key's
 * `valid_until_ts` is its `expired_ts`).
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { KeyLookup } from '../../src/crypto/types.js';
import { signRequest } from '../../src/x-matrix/sign.js';
import { verifyRequest } from '../../src/x-matrix/verify.js';
import { NOW, oldKey, right, SERVER } from './helpers.js';

const request = { method: 'GET', uri: '/_matrix/federation/v1/version' };
const authorization = right(
  signRequest({ ...request, origin: SERVER, destination: 'invitee.example' }, oldKey),
);

describe('verifyRequest with old keys', () => {
  it('accepts the signature when the key is a current one', () => {
    const keys: KeyLookup = () => ({ key: oldKey.publicKey, validUntilTs: NOW + 1 });
    expect(
      E.isRight(verifyRequest({ ...request, authorization }, { serverName: 'invitee.example', keys })),
    ).toBe(true);
  });

  it('refuses the same signature, with or without now, when the key is marked expired (old_verify_keys)', () => {
    const keys: KeyLookup = () => ({ key: oldKey.publicKey, validUntilTs: NOW + 1, expired: true });
    for (const options of [{}, { now: NOW }]) {
      const result = verifyRequest(
        { ...request, authorization },
        { serverName: 'invitee.example', keys, ...options },
      );
      expect(E.isLeft(result) && result.left.reason).toBe('key_expired');
      expect(E.isLeft(result) && result.left.status).toBe(401);
      expect(E.isLeft(result) && result.left.message).toContain('old_verify_keys');
    }
  });

  it('expired: false is a current key', () => {
    const keys: KeyLookup = () => ({ key: oldKey.publicKey, expired: false });
    expect(
      E.isRight(verifyRequest({ ...request, authorization }, { serverName: 'invitee.example', keys })),
    ).toBe(true);
  });
});
