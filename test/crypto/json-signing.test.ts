import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { availableBackends } from '../../src/crypto/ed25519.js';
import {
  addSignature,
  type SignJsonParams,
  signCanonicalBytes,
  signingBytes,
  signJson,
  type VerifyJsonSignaturesParams,
  verifyJsonSignature,
  verifyJsonSignatures,
} from '../../src/crypto/json-signing.js';
import { keyLookupFrom, signingKeyFromSeed, type VerifyKeyTable } from '../../src/crypto/keys.js';
import type { KeyLookup, SigningKey } from '../../src/crypto/types.js';
import { getOwn, type JsonObject, type JsonValue } from '../../src/json/value.js';
import { vectors } from '../helpers/fixtures.js';

const backends = availableBackends();
const right = <A>(either: E.Either<unknown, A>): A => {
  if (E.isLeft(either)) throw new Error(`expected Right, got ${JSON.stringify(either.left)}`);
  return either.right;
};
const reason = (either: E.Either<{ reason: string }, unknown>): string | undefined =>
  E.isLeft(either) ? either.left.reason : undefined;
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const sigOf = (obj: JsonObject, server: string, keyId: string): unknown =>
  ((obj.signatures as JsonObject)[server] as JsonObject)[keyId];

const spec = vectors.keys.spec as { seed: string; public_key: string };
const specKey = (version = '1', backend = backends[0]): SigningKey =>
  right(signingKeyFromSeed({ seed: spec.seed, version, ...(backend === undefined ? {} : { backend }) }));

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

describe('json_signing vectors', () => {
  for (const v of vectors.json_signing) {
    if (v.seed === undefined) {
      it(`${v.id}: signed bytes`, () => {
        expect(text(right(signingBytes(JSON.parse(v.input_json_text))))).toBe(v.expected_signed_bytes);
      });
      continue;
    }
    for (const backend of backends) {
      it(`${v.id}: signature and signed bytes (${backend})`, () => {
        const input = deepFreeze(JSON.parse(v.input_json_text) as JsonObject);
        const version = (v.key_id as string).split(':')[1] as string;
        const key = right(signingKeyFromSeed({ seed: v.seed, version, backend }));
        expect(text(right(signingBytes(input)))).toBe(v.expected_signed_bytes);
        const signed = right(signJson({ value: input, serverName: v.server_name, signingKey: key }));
        expect(sigOf(signed, v.server_name, v.key_id)).toBe(v.expected_signature);
        expect(Object.keys(signed.signatures as JsonObject)).toEqual([v.server_name]);
        const publicKey = vectors.keys[v.key]?.public_key as string;
        expect(
          right(verifyJsonSignature(signed, v.server_name, v.key_id, publicKey, { backend })),
        ).toBeUndefined();
        expect(
          right(
            verifyJsonSignatures({
              value: signed,
              serverName: v.server_name,
              keys: (s, k) => (s === v.server_name && k === v.key_id ? { key: publicKey } : undefined),
              backend,
            }),
          ),
        ).toEqual([v.key_id]);
      });
    }
  }

  it('spec-empty: the signed output is exactly {"signatures":{"domain":{"ed25519:1":<sig>}}}', () => {
    const v = vectors.json_signing.find((x) => x.id === 'spec-empty');
    expect(right(signJson({ value: {}, serverName: 'domain', signingKey: specKey() }))).toEqual({
      signatures: { domain: { 'ed25519:1': v?.expected_signature } },
    });
  });
});

describe('negative json_signature vectors', () => {
  const expectedReason: Record<string, string | undefined> = {
    'gmsl-extra-key': 'invalid_signature',
    'gmsl-modified-signature': 'invalid_signature',
    'gmsl-no-signatures': 'missing_signatures',
    'gmsl-empty-signatures': 'missing_server',
    'gmsl-empty-domain': 'unknown_key_id',
    'gmsl-wrong-key-id': 'unknown_key_id',
    'gmsl-not-base64': 'bad_base64',
    'gmsl-padded-signature': undefined,
    'ruma-signatures-not-object': 'server_signatures_not_object',
  };
  const negatives = vectors.negative.filter((v) => v.kind === 'json_signature');
  it('covers every vector', () => {
    expect(negatives.map((v) => v.id).sort()).toEqual(Object.keys(expectedReason).sort());
  });
  for (const v of negatives) {
    for (const backend of backends) {
      it(`${v.id}: python-signedjson says ${v.python_signedjson_result} (${backend})`, () => {
        const obj = JSON.parse(v.input_json_text) as JsonObject;
        const publicKey = vectors.keys[v.key]?.public_key as string;
        const result = verifyJsonSignature(obj, v.server_name, v.key_id, publicKey, { backend });
        expect(E.isRight(result)).toBe(String(v.python_signedjson_result).startsWith('accept'));
        expect(reason(result)).toBe(expectedReason[v.id]);
      });
    }
  }

  it('gmsl-padded-signature: accepted in synapse and lenient mode, rejected in strict mode', () => {
    const v = vectors.negative.find((x) => x.id === 'gmsl-padded-signature');
    const obj = JSON.parse(v?.input_json_text) as JsonObject;
    expect(
      E.isRight(verifyJsonSignature(obj, 'domain', 'ed25519:1', spec.public_key, { base64Mode: 'lenient' })),
    ).toBe(true);
    expect(
      reason(verifyJsonSignature(obj, 'domain', 'ed25519:1', spec.public_key, { base64Mode: 'strict' })),
    ).toBe('bad_base64');
  });
});

describe('signJson', () => {
  it('keeps other signatures and unsigned, does not mutate the input, and only strips top-level keys', () => {
    const input = deepFreeze({
      content: { signatures: { nested: 'kept and signed' }, unsigned: { also: 'signed' } },
      signatures: { other: { 'ed25519:x': 'abc' }, domain: { 'ed25519:policy_server': 'def' } },
      unsigned: { age: 5 },
    } satisfies JsonObject);
    const snapshot = JSON.stringify(input);
    const signed = right(signJson({ value: input, serverName: 'domain', signingKey: specKey() }));
    expect(JSON.stringify(input)).toBe(snapshot);
    expect(signed.unsigned).toEqual({ age: 5 });
    expect(signed.signatures).toEqual({
      other: { 'ed25519:x': 'abc' },
      domain: { 'ed25519:policy_server': 'def', 'ed25519:1': sigOf(signed, 'domain', 'ed25519:1') },
    });
    expect(text(right(signingBytes(input)))).toBe(
      '{"content":{"signatures":{"nested":"kept and signed"},"unsigned":{"also":"signed"}}}',
    );
    // Changing nested `signatures` breaks the signature; changing top-level unsigned does not.
    const nestedChanged = { ...signed, content: { signatures: {}, unsigned: { also: 'signed' } } };
    expect(reason(verifyJsonSignature(nestedChanged, 'domain', 'ed25519:1', spec.public_key))).toBe(
      'invalid_signature',
    );
    const unsignedChanged = { ...signed, unsigned: { age: 6, more: [1] } };
    expect(E.isRight(verifyJsonSignature(unsignedChanged, 'domain', 'ed25519:1', spec.public_key))).toBe(
      true,
    );
  });

  it('replaces an existing signature under the same key ID', () => {
    const signed = right(
      signJson({
        value: { signatures: { domain: { 'ed25519:1': 'old' } }, a: 1 },
        serverName: 'domain',
        signingKey: specKey(),
      }),
    );
    expect(sigOf(signed, 'domain', 'ed25519:1')).not.toBe('old');
    expect(E.isRight(verifyJsonSignature(signed, 'domain', 'ed25519:1', spec.public_key))).toBe(true);
  });

  it('refuses malformed signatures objects and non-objects', () => {
    const key = specKey();
    expect(reason(signJson({ value: { signatures: 'x' }, serverName: 'domain', signingKey: key }))).toBe(
      'signatures_not_object',
    );
    expect(reason(signJson({ value: { signatures: [] }, serverName: 'domain', signingKey: key }))).toBe(
      'signatures_not_object',
    );
    expect(
      reason(signJson({ value: { signatures: { domain: 'x' } }, serverName: 'domain', signingKey: key })),
    ).toBe('server_signatures_not_object');
    expect(
      reason(signJson({ value: { signatures: { domain: [1] } }, serverName: 'domain', signingKey: key })),
    ).toBe('server_signatures_not_object');
    expect(
      reason(signJson({ value: [] as unknown as JsonObject, serverName: 'domain', signingKey: key })),
    ).toBe('not_object');
    expect(reason(signJson({ value: { bad: '\uD800' }, serverName: 'domain', signingKey: key }))).toBe(
      'canonical_json',
    );
  });

  it('handles __proto__ as a key, server name and key ID', () => {
    const input = JSON.parse(
      '{"__proto__":{"x":1},"signatures":{"__proto__":{"ed25519:0":"z"}}}',
    ) as JsonObject;
    const key = specKey('1');
    const signed = right(signJson({ value: input, serverName: '__proto__', signingKey: key }));
    expect(Object.getPrototypeOf(signed)).toBe(Object.prototype);
    expect(Object.hasOwn(signed, '__proto__')).toBe(true);
    expect(text(right(signingBytes(signed)))).toBe('{"__proto__":{"x":1}}');
    expect(Object.keys(signed.signatures as JsonObject)).toEqual(['__proto__']);
    expect(Object.keys(getOwn(signed.signatures as JsonObject, '__proto__') as JsonObject)).toEqual([
      'ed25519:0',
      'ed25519:1',
    ]);
    expect(E.isRight(verifyJsonSignature(signed, '__proto__', 'ed25519:1', spec.public_key))).toBe(true);
    expect(E.isRight(verifyJsonSignature(signed, '__proto__', 'ed25519:0', spec.public_key))).toBe(false);
    const withKey = right(addSignature({}, 'd', '__proto__', 'sig'));
    expect(Object.hasOwn((withKey.signatures as JsonObject).d as JsonObject, '__proto__')).toBe(true);
  });

  it('signCanonicalBytes + addSignature equals signJson (bytes computed once)', () => {
    const obj: JsonObject = { type: 'm.room.member', content: { membership: 'invite' }, unsigned: { a: 1 } };
    const key = specKey();
    const bytes = right(signingBytes(obj));
    const viaBytes = right(addSignature(obj, 'domain', key.keyId, right(signCanonicalBytes(bytes, key))));
    expect(viaBytes).toEqual(right(signJson({ value: obj, serverName: 'domain', signingKey: key })));
    expect(
      E.isRight(verifyJsonSignature(viaBytes, 'domain', key.keyId, key.publicKey, { signedBytes: bytes })),
    ).toBe(true);
    // signedBytes is trusted as given: other bytes fail.
    const otherBytes = new TextEncoder().encode('{}');
    expect(
      reason(verifyJsonSignature(viaBytes, 'domain', key.keyId, key.publicKey, { signedBytes: otherBytes })),
    ).toBe('invalid_signature');
  });
});

describe('verifyJsonSignature errors', () => {
  const key = specKey();
  const signed = right(signJson({ value: { a: 1 }, serverName: 'domain', signingKey: key }));
  const sig = sigOf(signed, 'domain', 'ed25519:1') as string;

  it('gives typed reasons', () => {
    const cases: [JsonObject, string][] = [
      [{ a: 1, signatures: { domain: { 'ed25519:1': 5 } } }, 'signature_not_string'],
      [{ a: 1, signatures: { domain: { 'ed25519:1': sig.slice(0, 40) } } }, 'wrong_signature_length'],
      [{ a: 1, signatures: { domain: { 'ed25519:1': `${sig}AAAA` } } }, 'wrong_signature_length'],
      [{ a: 1, signatures: { domain: { 'ed25519:1': 'é' } } }, 'bad_base64'],
      [{ a: 1, signatures: null }, 'signatures_not_object'],
      [{ a: 1, signatures: ['domain'] }, 'signatures_not_object'],
      [{ a: 1, signatures: { domain: null } }, 'server_signatures_not_object'],
      [{ a: 2, signatures: { domain: { 'ed25519:1': sig } } }, 'invalid_signature'],
    ];
    for (const [obj, expected] of cases)
      expect(reason(verifyJsonSignature(obj, 'domain', 'ed25519:1', key.publicKey))).toBe(expected);
    expect(reason(verifyJsonSignature(signed, 'domain', 'ed25519:1', 'AAAA'))).toBe('invalid_verify_key');
    expect(reason(verifyJsonSignature(signed, 'domain', 'ed25519:1', new Uint8Array(32)))).toBe(
      'invalid_signature',
    );
    expect(
      reason(verifyJsonSignature({ signatures: { d: { 'curve:1': sig } } }, 'd', 'curve:1', key.publicKey)),
    ).toBe('unsupported_algorithm');
    expect(reason(verifyJsonSignature('x' as unknown as JsonObject, 'd', 'ed25519:1', key.publicKey))).toBe(
      'not_object',
    );
    const left = verifyJsonSignature(
      { a: 2, signatures: { domain: { 'ed25519:1': sig } } },
      'domain',
      'ed25519:1',
      key.publicKey,
    );
    expect(E.isLeft(left) && [left.left.kind, left.left.path, left.left.keyId]).toEqual([
      'SignatureError',
      ['signatures', 'domain', 'ed25519:1'],
      'ed25519:1',
    ]);
  });

  it('never throws on arbitrary values', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.string(), (obj, signatures, server) => {
        const withSigs = { obj, signatures } as unknown as JsonObject;
        for (const candidate of [obj as JsonObject, withSigs]) {
          const one = verifyJsonSignature(candidate, server, 'ed25519:1', key.publicKey);
          const all = verifyJsonSignatures({
            value: candidate,
            serverName: server,
            keys: () => ({ key: key.publicKey }),
          });
          expect(E.isLeft(one)).toBe(true);
          expect(E.isLeft(all)).toBe(true);
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('verifyJsonSignatures (Synapse/ruma rule)', () => {
  const k1 = specKey('1');
  const k2 = right(signingKeyFromSeed({ seed: vectors.keys.gmsl_keyring?.seed, version: '2' }));
  const base: JsonObject = { hello: 'world' };
  const both = right(
    signJson({
      value: right(signJson({ value: base, serverName: 'domain', signingKey: k1 })),
      serverName: 'domain',
      signingKey: k2,
    }),
  );
  const keys: Record<string, string> = { 'ed25519:1': k1.publicKey, 'ed25519:2': k2.publicKey };
  const lookup: KeyLookup = (server, keyId) =>
    server === 'domain' && Object.hasOwn(keys, keyId) ? { key: keys[keyId] as string } : undefined;

  it('requires every known key to verify and at least one', () => {
    expect(right(verifyJsonSignatures({ value: both, serverName: 'domain', keys: lookup }))).toEqual([
      'ed25519:1',
      'ed25519:2',
    ]);
    const oneBad = right(
      addSignature(both, 'domain', 'ed25519:2', sigOf(both, 'domain', 'ed25519:1') as string),
    );
    expect(reason(verifyJsonSignatures({ value: oneBad, serverName: 'domain', keys: lookup }))).toBe(
      'invalid_signature',
    );
  });

  it('skips unknown keys (e.g. a policy server key) and unknown algorithms', () => {
    const extra = right(
      addSignature(
        right(addSignature(both, 'domain', 'ed25519:policy_server', 'garbage!')),
        'domain',
        'curve25519:9',
        'x',
      ),
    );
    expect(right(verifyJsonSignatures({ value: extra, serverName: 'domain', keys: lookup }))).toEqual([
      'ed25519:1',
      'ed25519:2',
    ]);
    const onlyOne: KeyLookup = (s, k) => (k === 'ed25519:2' ? lookup(s, k) : undefined);
    expect(right(verifyJsonSignatures({ value: extra, serverName: 'domain', keys: onlyOne }))).toEqual([
      'ed25519:2',
    ]);
  });

  it('fails when nothing is verifiable', () => {
    expect(reason(verifyJsonSignatures({ value: both, serverName: 'domain', keys: () => undefined }))).toBe(
      'no_known_keys',
    );
    const otherAlg: JsonObject = { signatures: { domain: { 'curve25519:1': 'x', ed25519x: 'y' } } };
    expect(reason(verifyJsonSignatures({ value: otherAlg, serverName: 'domain', keys: lookup }))).toBe(
      'no_supported_signatures',
    );
    const noVersion: JsonObject = { signatures: { domain: { ed25519: 'x' } } };
    expect(reason(verifyJsonSignatures({ value: noVersion, serverName: 'domain', keys: lookup }))).toBe(
      'invalid_key_id',
    );
    expect(reason(verifyJsonSignatures({ value: both, serverName: 'elsewhere', keys: lookup }))).toBe(
      'missing_server',
    );
    expect(
      reason(
        verifyJsonSignatures({ value: { signatures: { domain: {} } }, serverName: 'domain', keys: lookup }),
      ),
    ).toBe('no_supported_signatures');
  });

  it('turns a throwing lookup or a bad stored key into an error', () => {
    const throwing: KeyLookup = () => {
      throw new Error('db down');
    };
    expect(reason(verifyJsonSignatures({ value: both, serverName: 'domain', keys: throwing }))).toBe(
      'key_lookup_failed',
    );
    expect(
      reason(verifyJsonSignatures({ value: both, serverName: 'domain', keys: () => ({ key: 'short' }) })),
    ).toBe('invalid_verify_key');
    // A lookup answering something other than undefined or { key, validUntilTs? } is the caller's mistake.
    for (const junk of [
      Promise.resolve(undefined),
      null,
      5,
      { key: 5 },
      { key: 'AAAA', validUntilTs: 'x' },
    ]) {
      expect(
        reason(
          verifyJsonSignatures({
            value: both,
            serverName: 'domain',
            keys: (() => junk) as unknown as KeyLookup,
          }),
        ),
      ).toBe('key_lookup_failed');
    }
  });

  it('takes a table of keys through keyLookupFrom', () => {
    const table = keyLookupFrom({
      domain: { 'ed25519:1': k1.publicKey, 'ed25519:2': { key: k2.publicKeyBytes } },
    });
    expect(right(verifyJsonSignatures({ value: both, serverName: 'domain', keys: table }))).toEqual([
      'ed25519:1',
      'ed25519:2',
    ]);
    const onlyFirst = keyLookupFrom({ domain: { 'ed25519:1': k1.publicKey } });
    expect(right(verifyJsonSignatures({ value: both, serverName: 'domain', keys: onlyFirst }))).toEqual([
      'ed25519:1',
    ]);
  });

  it('refuses parameters that are not { value, serverName, keys } without throwing', () => {
    expect(reason(verifyJsonSignatures(null as unknown as VerifyJsonSignaturesParams))).toBe('not_object');
    expect(
      reason(verifyJsonSignatures({ value: both, serverName: 'domain', keys: 'x' as unknown as KeyLookup })),
    ).toBe('key_lookup_failed');
    expect(
      reason(
        verifyJsonSignatures({ value: [] as unknown as JsonObject, serverName: 'domain', keys: lookup }),
      ),
    ).toBe('not_object');
    expect(reason(signJson(null as unknown as SignJsonParams))).toBe('not_object');
    expect(reason(signJson({ value: {}, serverName: 5 as unknown as string, signingKey: k1 }))).toBe(
      'invalid_signature_value',
    );
    expect(reason(signJson({ value: {}, serverName: 'domain', signingKey: {} as SigningKey }))).toBe(
      'signing_failed',
    );
  });
});

describe('keyLookupFrom', () => {
  const bytes = new Uint8Array(32).fill(7);
  const table = {
    'a.example': { 'ed25519:1': 'abc', 'ed25519:2': bytes, 'ed25519:3': { key: 'def', validUntilTs: 5 } },
    'b.example': { 'ed25519:1': { key: bytes } },
  };

  it('finds keys by server and key ID, as { key, validUntilTs? }', () => {
    const keys = keyLookupFrom(table);
    expect(keys('a.example', 'ed25519:1')).toEqual({ key: 'abc' });
    expect(keys('a.example', 'ed25519:2')).toEqual({ key: bytes });
    expect(keys('a.example', 'ed25519:3')).toEqual({ key: 'def', validUntilTs: 5 });
    expect(keys('b.example', 'ed25519:1')).toEqual({ key: bytes });
    expect(keys('a.example', 'ed25519:9')).toBeUndefined();
    expect(keys('c.example', 'ed25519:1')).toBeUndefined();
  });

  it('copies the table: later changes (and changes to key bytes) are not seen', () => {
    const mutable: Record<string, Record<string, string | Uint8Array>> = {
      'a.example': { 'ed25519:1': 'abc', 'ed25519:2': Uint8Array.from(bytes) },
    };
    const keys = keyLookupFrom(mutable);
    (mutable['a.example'] as Record<string, string | Uint8Array>)['ed25519:1'] = 'changed';
    ((mutable['a.example'] as Record<string, Uint8Array>)['ed25519:2'] as Uint8Array).fill(0);
    mutable['z.example'] = { 'ed25519:1': 'new' };
    expect(keys('a.example', 'ed25519:1')).toEqual({ key: 'abc' });
    expect(keys('a.example', 'ed25519:2')).toEqual({ key: bytes });
    expect(keys('z.example', 'ed25519:1')).toBeUndefined();
  });

  it('never resolves prototype members, skips entries that are not keys, never throws', () => {
    const keys = keyLookupFrom(
      JSON.parse(
        '{"__proto__": {"ed25519:1": "abc"}, "x": {"ed25519:1": 5, "ed25519:2": {"key": 1}, "ed25519:3": null}, "y": 7}',
      ),
    );
    expect(keys('__proto__', 'ed25519:1')).toEqual({ key: 'abc' });
    expect(keys('constructor', 'ed25519:1')).toBeUndefined();
    expect(keys('a', 'constructor')).toBeUndefined();
    expect(keys('x', 'ed25519:1')).toBeUndefined();
    expect(keys('x', 'ed25519:2')).toBeUndefined();
    expect(keys('x', 'ed25519:3')).toBeUndefined();
    expect(keys('y', 'ed25519:1')).toBeUndefined();
    expect(keyLookupFrom(null as unknown as VerifyKeyTable)('a', 'b')).toBeUndefined();
    expect(
      keyLookupFrom({
        'a.example': { 'ed25519:1': { key: 'k', validUntilTs: 'soon' } },
      } as unknown as VerifyKeyTable)('a.example', 'ed25519:1'),
    ).toEqual({ key: 'k' });
  });
});

describe('properties', () => {
  const key: fc.Arbitrary<string> = fc.string({ unit: 'grapheme', maxLength: 6 });
  const { json } = fc.letrec<{ json: JsonValue }>((tie) => ({
    json: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.string({ unit: 'grapheme', maxLength: 8 }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('json'), { maxLength: 4 }),
      fc.dictionary(key, tie('json'), { maxKeys: 4 }),
    ),
  }));
  const objects = fc.dictionary(key, json, { maxKeys: 6 }) as fc.Arbitrary<JsonObject>;

  it('sign then verify succeeds on every backend and leaves the input untouched', () => {
    const keysByBackend = backends.map((b) => specKey('1', b));
    fc.assert(
      fc.property(objects, fc.string({ minLength: 1, maxLength: 10 }), (obj, server) => {
        const before = JSON.stringify(obj);
        const results = keysByBackend.map((k) =>
          right(signJson({ value: obj, serverName: server, signingKey: k })),
        );
        expect(JSON.stringify(obj)).toBe(before);
        const sigs = new Set(results.map((r) => sigOf(r, server, 'ed25519:1')));
        expect(sigs.size).toBe(1);
        for (const backend of backends) {
          expect(
            E.isRight(
              verifyJsonSignature(results[0] as JsonObject, server, 'ed25519:1', spec.public_key, {
                backend,
              }),
            ),
          ).toBe(true);
        }
      }),
      { seed: 1234, numRuns: 150 },
    );
  });

  it('changing any signed top-level value breaks the signature', () => {
    fc.assert(
      fc.property(
        objects.filter((o) => Object.keys(o).some((k) => k !== 'signatures' && k !== 'unsigned')),
        fc.nat(),
        (obj, pick) => {
          const signed = right(signJson({ value: obj, serverName: 'domain', signingKey: specKey() }));
          const candidates = Object.keys(obj).filter((k) => k !== 'signatures' && k !== 'unsigned');
          const target = candidates[pick % candidates.length] as string;
          const mutated = { ...signed, [target]: { mutated: [obj[target] ?? null] } };
          expect(reason(verifyJsonSignature(mutated, 'domain', 'ed25519:1', spec.public_key))).toBe(
            'invalid_signature',
          );
        },
      ),
      { seed: 99, numRuns: 150 },
    );
  });
});
