import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { availableBackends, verifyEd25519 } from '../../src/crypto/ed25519.js';
import {
  decodeVerifyKey,
  formatSigningKeyFile,
  formatSigningKeyLine,
  type GenerateSigningKeyParams,
  generateSigningKey,
  isValidKeyVersion,
  parseSigningKeyFile,
  type SigningKeyFromSeedParams,
  signingKeyFromSeed,
} from '../../src/crypto/keys.js';
import { decodeBase64, encodeBase64 } from '../../src/encoding/base64.js';
import { bytesToHex, hexToBytes, vectors } from '../helpers/fixtures.js';

const backends = availableBackends();
const right = <A>(either: E.Either<unknown, A>): A => {
  if (E.isLeft(either)) throw new Error(`expected Right, got ${JSON.stringify(either.left)}`);
  return either.right;
};
const leftReason = (either: E.Either<{ reason: string }, unknown>): string | undefined =>
  E.isLeft(either) ? either.left.reason : undefined;
const b64 = (s: string) => right(decodeBase64(s));

describe('vectors.keys', () => {
  for (const [name, key] of Object.entries(vectors.keys)) {
    for (const backend of backends) {
      it(`${name}: seed gives the recorded public key (${backend})`, () => {
        const signingKey = right(signingKeyFromSeed({ seed: key.seed, version: '1', backend }));
        expect(signingKey.publicKey).toBe(key.public_key);
        expect(bytesToHex(signingKey.publicKeyBytes)).toBe(bytesToHex(b64(key.public_key)));
        expect(signingKey.backend).toBe(backend);
        expect(signingKey.keyId).toBe('ed25519:1');
        expect(signingKey.algorithm).toBe('ed25519');
        // Raw bytes give the same key as the base64 string.
        const fromBytes = right(signingKeyFromSeed({ seed: b64(key.seed), version: '1', backend }));
        expect(fromBytes.publicKey).toBe(key.public_key);
      });
    }
    it(`${name}: seed encodings agree`, () => {
      if (key.seed_hex !== undefined) expect(bytesToHex(b64(key.seed))).toBe(key.seed_hex);
      if (key.pkcs8_der_base64 !== undefined) {
        const der = b64(key.pkcs8_der_base64);
        expect(encodeBase64(der.subarray(16, 48))).toBe(key.seed);
        expect(encodeBase64(der.subarray(der.length - 32))).toBe(key.public_key);
      }
      if (key.pkcs8_der_hex !== undefined) {
        expect(key.pkcs8_der_hex).toBe(`302e020100300506032b657004220420${bytesToHex(b64(key.seed))}`);
      }
    });
  }
});

describe('signingKeyFromSeed', () => {
  const seed = vectors.keys.spec?.seed as string;

  it('keeps the seed out of the object', () => {
    const key = right(signingKeyFromSeed({ seed, version: 'a_abcd' }));
    const seedHex = bytesToHex(b64(seed));
    const dump = JSON.stringify(key) + JSON.stringify(Object.getOwnPropertyNames(key));
    expect(dump).not.toContain(seed);
    expect(Object.keys(key)).not.toContain('seed');
    for (const name of Object.getOwnPropertyNames(key)) {
      const value = (key as unknown as Record<string, unknown>)[name];
      if (value instanceof Uint8Array) expect(bytesToHex(value)).not.toBe(seedHex);
      if (typeof value === 'string') expect(value).not.toBe(seed);
    }
    expect(Object.isFrozen(key)).toBe(true);
  });

  it('copies the seed and the public key: later mutation changes nothing', () => {
    const bytes = b64(seed);
    const key = right(signingKeyFromSeed({ seed: bytes, version: '1' }));
    const before = bytesToHex(key.sign(new Uint8Array([1])));
    bytes.fill(0);
    key.publicKeyBytes.fill(0);
    expect(bytesToHex(key.sign(new Uint8Array([1])))).toBe(before);
    expect(key.publicKey).toBe(vectors.keys.spec?.public_key);
    expect(
      verifyEd25519({
        publicKey: key.publicKeyBytes,
        message: new Uint8Array([1]),
        signature: hexToBytes(before),
      }),
    ).toBe(true);
  });

  it('validates the version grammar [a-zA-Z0-9_]+', () => {
    for (const ok of ['1', 'a_abcd', 'A_Obwu', '___', 'x9']) expect(isValidKeyVersion(ok)).toBe(true);
    for (const bad of ['', 'a-b', 'a:b', 'é', 'a b', 'a\n', '1.0']) {
      expect(isValidKeyVersion(bad)).toBe(false);
      expect(leftReason(signingKeyFromSeed({ seed, version: bad }))).toBe('invalid_version');
    }
    expect(leftReason(signingKeyFromSeed({ seed, version: 7 as unknown as string }))).toBe('invalid_version');
  });

  it('requires 32 bytes of seed', () => {
    expect(leftReason(signingKeyFromSeed({ seed: new Uint8Array(31), version: '1' }))).toBe('invalid_seed');
    expect(leftReason(signingKeyFromSeed({ seed: new Uint8Array(33), version: '1' }))).toBe('invalid_seed');
    expect(leftReason(signingKeyFromSeed({ seed: 'AAAA', version: '1' }))).toBe('invalid_seed');
    expect(leftReason(signingKeyFromSeed({ seed: 'A$AA', version: '1' }))).toBe('bad_base64');
    expect(leftReason(signingKeyFromSeed({ seed: null as unknown as string, version: '1' }))).toBe(
      'invalid_seed',
    );
  });
});

describe('signing key files', () => {
  const spec = vectors.keys.spec as { seed: string; public_key: string };
  const gmsl = vectors.keys.gmsl_keyring as { seed: string; public_key: string };

  it('parses one or more lines (python-signedjson read_signing_keys format)', () => {
    const keys = right(
      parseSigningKeyFile(`ed25519 a_abcd ${spec.seed}\r\n\ned25519  a_Obwu\t${gmsl.seed}\n`),
    );
    expect(keys.map((k) => [k.keyId, k.publicKey])).toEqual([
      ['ed25519:a_abcd', spec.public_key],
      ['ed25519:a_Obwu', gmsl.public_key],
    ]);
  });

  it('reports the failing line', () => {
    const cases: [string, string, number | undefined][] = [
      [`ed25519 a ${spec.seed}\nrsa b ${spec.seed}`, 'unsupported_algorithm', 2],
      [`ed25519 a`, 'invalid_key_file', 1],
      [`ed25519 a ${spec.seed} extra`, 'invalid_key_file', 1],
      [`\n\ned25519 a-b ${spec.seed}`, 'invalid_version', 3],
      [`ed25519 a AAAA`, 'invalid_seed', 1],
      ['', 'invalid_key_file', undefined],
      ['  \n', 'invalid_key_file', undefined],
    ];
    for (const [text, reason, line] of cases) {
      const result = parseSigningKeyFile(text);
      expect(E.isLeft(result) && [result.left.reason, result.left.line]).toEqual([reason, line]);
    }
    expect(leftReason(parseSigningKeyFile(42 as unknown as string))).toBe('invalid_key_file');
  });

  it('formats lines that parse back to the same key', () => {
    const line = right(formatSigningKeyLine('a_abcd', b64(spec.seed)));
    // The spec's seed has non-zero trailing bits ('...XA1'); the canonical encoding ends in '...XA0'.
    expect(line).toBe(`ed25519 a_abcd ${spec.seed.slice(0, -1)}0\n`);
    expect(right(formatSigningKeyLine('a_Obwu', b64(gmsl.seed)))).toBe(`ed25519 a_Obwu ${gmsl.seed}\n`);
    const file = right(
      formatSigningKeyFile([
        { version: 'a', seed: b64(spec.seed) },
        { version: 'b', seed: b64(gmsl.seed) },
      ]),
    );
    expect(right(parseSigningKeyFile(file)).map((k) => k.publicKey)).toEqual([
      spec.public_key,
      gmsl.public_key,
    ]);
    expect(leftReason(formatSigningKeyLine('a b', b64(spec.seed)))).toBe('invalid_version');
    expect(leftReason(formatSigningKeyLine('a', new Uint8Array(3)))).toBe('invalid_seed');
  });

  it('generates random keys that round-trip through a key file', () => {
    const a = right(generateSigningKey({ version: 'auto_1' }));
    const b = right(generateSigningKey({ version: 'auto_2' }));
    expect(bytesToHex(a.seed)).not.toBe(bytesToHex(b.seed));
    const parsed = right(parseSigningKeyFile(a.keyFileLine + b.keyFileLine));
    expect(parsed.map((k) => k.publicKey)).toEqual([a.signingKey.publicKey, b.signingKey.publicKey]);
    expect(leftReason(generateSigningKey({ version: 'bad version' }))).toBe('invalid_version');
  });
});

describe('decodeVerifyKey', () => {
  const pk = vectors.keys.spec?.public_key as string;

  it('decodes base64 (padded or not, either alphabet) and raw bytes of 32 bytes', () => {
    const expected = bytesToHex(b64(pk));
    expect(bytesToHex(right(decodeVerifyKey(pk)))).toBe(expected);
    expect(bytesToHex(right(decodeVerifyKey(`${pk}=`)))).toBe(expected);
    expect(bytesToHex(right(decodeVerifyKey(pk.replace(/\+/g, '-').replace(/\//g, '_'))))).toBe(expected);
    expect(bytesToHex(right(decodeVerifyKey(b64(pk))))).toBe(expected);
  });

  it('rejects other lengths and garbage', () => {
    expect(leftReason(decodeVerifyKey(pk.slice(0, -4)))).toBe('invalid_verify_key');
    expect(leftReason(decodeVerifyKey('not base64!'))).toBe('bad_base64');
    expect(leftReason(decodeVerifyKey(new Uint8Array(33)))).toBe('invalid_verify_key');
    expect(leftReason(decodeVerifyKey({} as unknown as string))).toBe('invalid_verify_key');
  });
});

describe('one object per call', () => {
  it('refuses parameters that are not an object, without throwing', () => {
    expect(leftReason(signingKeyFromSeed(null as unknown as SigningKeyFromSeedParams))).toBe('invalid_input');
    expect(leftReason(generateSigningKey(undefined as unknown as GenerateSigningKeyParams))).toBe(
      'invalid_input',
    );
  });

  it('passes the backend through', () => {
    for (const backend of availableBackends()) {
      expect(right(signingKeyFromSeed({ seed: new Uint8Array(32), version: '1', backend })).backend).toBe(
        backend,
      );
      expect(right(generateSigningKey({ version: '1', backend })).signingKey.backend).toBe(backend);
      expect(right(parseSigningKeyFile(`ed25519 1 ${'A'.repeat(43)}`, { backend }))[0]?.backend).toBe(
        backend,
      );
    }
  });
});
