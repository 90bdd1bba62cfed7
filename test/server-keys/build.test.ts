/**
 * buildServerKeys: our own `GET /_matrix/key/v2/server` answer, laid out as Synapse's `LocalKey` resource
 * (`synapse/rest/key/v2/local_key_resource.py`: `old_verify_keys` always present, signed by every current key),
 * as canonical JSON bytes. The interop suite checks the bytes and signatures against python-signedjson.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { verifyJsonSignature } from '../../src/crypto/json-signing.js';
import type { SigningKey } from '../../src/crypto/types.js';
import { encodeCanonicalJson } from '../../src/json/canonical.js';
import { type BuildServerKeysParams, buildServerKeys } from '../../src/server-keys/build.js';
import { verifyServerKeys } from '../../src/server-keys/verify.js';
import { current1, current2, DAY, left, NOW, oldKey, right, SERVER } from './helpers.js';

const base: BuildServerKeysParams = { serverName: SERVER, signingKey: current1, validUntilTs: NOW + DAY };
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('buildServerKeys', () => {
  it('builds the canonical, self-signed answer with an empty old_verify_keys', () => {
    const built = right(buildServerKeys(base));
    expect(decode(built.bytes)).toBe(right(encodeCanonicalJson(built.json)));
    const { signatures, ...unsigned } = built.json;
    expect(unsigned).toEqual({
      server_name: SERVER,
      valid_until_ts: NOW + DAY,
      verify_keys: { [current1.keyId]: { key: current1.publicKey } },
      old_verify_keys: {},
    });
    expect(Object.keys((signatures as Record<string, object>)[SERVER] ?? {})).toEqual([current1.keyId]);
    expect(E.isRight(verifyJsonSignature(built.json, SERVER, current1.keyId, current1.publicKey))).toBe(true);
    expect(decode(built.bytes).startsWith('{"old_verify_keys":{},"server_name":')).toBe(true);
  });

  it('lists old keys with their expired_ts (bytes or base64 keys) and signs with every current key', () => {
    const built = right(
      buildServerKeys({
        ...base,
        signingKey: [current1, current2],
        oldKeys: [
          { keyId: oldKey.keyId, key: oldKey.publicKey, expiredTs: NOW - DAY },
          { keyId: 'ed25519:older', key: oldKey.publicKeyBytes, expiredTs: 1 },
        ],
      }),
    );
    expect(built.json.old_verify_keys).toEqual({
      [oldKey.keyId]: { key: oldKey.publicKey, expired_ts: NOW - DAY },
      'ed25519:older': { key: oldKey.publicKey, expired_ts: 1 },
    });
    for (const key of [current1, current2]) {
      expect(E.isRight(verifyJsonSignature(built.json, SERVER, key.keyId, key.publicKey))).toBe(true);
    }
    const verified = right(verifyServerKeys(built.bytes, { serverName: SERVER, now: NOW }));
    expect(verified.servers[0]?.signedBy).toEqual([current1.keyId, current2.keyId]);
    expect(verified.lookup(SERVER, 'ed25519:older')).toEqual({
      key: oldKey.publicKey,
      validUntilTs: 1,
      expired: true,
    });
  });

  it('is deterministic (ed25519 signatures are)', () => {
    expect(decode(right(buildServerKeys(base)).bytes)).toBe(decode(right(buildServerKeys(base)).bytes));
  });

  const throwingKey: SigningKey = {
    ...current1,
    sign: () => {
      throw new Error('HSM offline');
    },
  };
  const bad: [string, unknown, (string | number)[]][] = [
    ['params null', null, []],
    ['a bad server name', { ...base, serverName: 'a b' }, ['serverName']],
    ['validUntilTs a float', { ...base, validUntilTs: 1.5 }, ['validUntilTs']],
    ['validUntilTs negative', { ...base, validUntilTs: -1 }, ['validUntilTs']],
    ['no signing key', { ...base, signingKey: [] }, ['signingKey']],
    ['a signing key that is not one', { ...base, signingKey: [{ keyId: 'ed25519:x' }] }, ['signingKey', 0]],
    [
      'a signing key with a bad key ID',
      { ...base, signingKey: { ...current1, keyId: 'ed25519:a-b' } },
      ['signingKey', 0],
    ],
    ['the same key twice', { ...base, signingKey: [current1, current1] }, ['signingKey', 1]],
    ['oldKeys not an array', { ...base, oldKeys: {} }, ['oldKeys']],
    ['an old key null', { ...base, oldKeys: [null] }, ['oldKeys', 0]],
    [
      'an old key ID bad',
      { ...base, oldKeys: [{ keyId: 'old', key: oldKey.publicKey, expiredTs: 1 }] },
      ['oldKeys', 0, 'keyId'],
    ],
    [
      'an old key ID that is current',
      { ...base, oldKeys: [{ keyId: current1.keyId, key: oldKey.publicKey, expiredTs: 1 }] },
      ['oldKeys', 0, 'keyId'],
    ],
    [
      'an old key listed twice',
      {
        ...base,
        oldKeys: [
          { keyId: oldKey.keyId, key: oldKey.publicKey, expiredTs: 1 },
          { keyId: oldKey.keyId, key: oldKey.publicKey, expiredTs: 2 },
        ],
      },
      ['oldKeys', 1, 'keyId'],
    ],
    [
      'an old key of 31 bytes',
      { ...base, oldKeys: [{ keyId: oldKey.keyId, key: new Uint8Array(31), expiredTs: 1 }] },
      ['oldKeys', 0, 'key'],
    ],
    [
      'an old key without key',
      { ...base, oldKeys: [{ keyId: oldKey.keyId, expiredTs: 1 }] },
      ['oldKeys', 0, 'key'],
    ],
    [
      'an old key without expiredTs',
      { ...base, oldKeys: [{ keyId: oldKey.keyId, key: oldKey.publicKey }] },
      ['oldKeys', 0, 'expiredTs'],
    ],
    ['a signing key that throws', { ...base, signingKey: throwingKey }, ['signingKey']],
    [
      'a throwing getter',
      Object.defineProperty({}, 'serverName', {
        get: () => {
          throw new Error('boom');
        },
      }),
      [],
    ],
  ];
  it.each(bad)('refuses %s as invalid_context', (_name, params, path) => {
    const error = left(buildServerKeys(params as BuildServerKeysParams));
    expect(error.reason).toBe('invalid_context');
    expect(error.path).toEqual(path);
  });
});
