import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { parseKeyId } from '../../src/identifiers/key-id.js';

const parseKeyIdStrict = (input: unknown) => parseKeyId(input, { strict: true });

describe('parseKeyId with strict: true (ed25519:[a-zA-Z0-9_]+)', () => {
  it.each(['ed25519:1', 'ed25519:a_abcd', 'ed25519:auto', 'ed25519:policy_server', 'ed25519:ABC_xyz_09'])(
    'accepts %s',
    (keyId) => {
      const colon = keyId.indexOf(':');
      expect(parseKeyIdStrict(keyId)).toEqual(
        E.right({ keyId, algorithm: 'ed25519', version: keyId.slice(colon + 1) }),
      );
    },
  );

  it.each([
    [1, 'not_a_string', undefined],
    ['', 'empty', undefined],
    ['ed25519', 'missing_key_version', undefined],
    [':abc', 'invalid_algorithm', 0],
    ['ed25519:', 'invalid_key_version', 8],
    ['ed25519:a-b', 'invalid_key_version', 9],
    ['ed25519:a:b', 'invalid_key_version', 9],
    ['ed25519:a b', 'invalid_key_version', 9],
    ['ed25519:é', 'invalid_key_version', 8],
    ['Ed25519:1', 'unknown_algorithm', undefined],
    ['curve25519:abc', 'unknown_algorithm', undefined],
    ['signed_curve25519:AAAAHQ', 'unknown_algorithm', undefined],
  ])('%j → %s', (input, reason, index) => {
    const r = parseKeyIdStrict(input);
    expect(E.isLeft(r) && r.left.reason).toBe(reason);
    if (index !== undefined) expect(E.isLeft(r) && r.left.index).toBe(index);
  });

  it('reports unknown algorithms distinctly, with the algorithm', () => {
    expect(parseKeyIdStrict('ed448:1')).toEqual(
      E.left(
        expect.objectContaining({
          kind: 'IdentifierError',
          identifier: 'key_id',
          reason: 'unknown_algorithm',
          algorithm: 'ed448',
        }),
      ),
    );
  });
});

describe('parseKeyId, lenient (the default): split at the first colon, as Synapse reads received key IDs', () => {
  it('splits key IDs at the first colon, any algorithm and version', () => {
    expect(parseKeyId('ed25519:abc')).toEqual(
      E.right({ algorithm: 'ed25519', version: 'abc', keyId: 'ed25519:abc' }),
    );
    expect(parseKeyId('ed25519:a:b')).toEqual(
      E.right({ algorithm: 'ed25519', version: 'a:b', keyId: 'ed25519:a:b' }),
    );
    expect(parseKeyId('ed25519:a-b')).toEqual(
      E.right({ algorithm: 'ed25519', version: 'a-b', keyId: 'ed25519:a-b' }),
    );
    expect(E.isRight(parseKeyId('curve:1')) && parseKeyId('curve:1')).toMatchObject({
      right: { algorithm: 'curve' },
    });
    expect(parseKeyId('ed25519:1', null as unknown as object)).toEqual(
      E.right({ algorithm: 'ed25519', version: '1', keyId: 'ed25519:1' }),
    );
  });

  it.each([
    ['ed25519', 'missing_key_version'],
    ['ed25519:', 'invalid_key_version'],
    [':1', 'invalid_algorithm'],
    ['', 'empty'],
    [5, 'not_a_string'],
  ])('%j → %s', (input, reason) => {
    const r = parseKeyId(input);
    expect(E.isLeft(r) && r.left).toMatchObject({ kind: 'IdentifierError', identifier: 'key_id', reason });
  });
});
