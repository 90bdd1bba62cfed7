/**
 * verifyServerKeys: the shape and signature rules of spec `definitions/keys.yaml`
 * (https://spec.matrix.org/v1.19/server-server-api/#get_matrixkeyv2server), notary answers
 * (https://spec.matrix.org/v1.19/server-server-api/#querying-keys-through-another-server), every refusal with its
 * reason and JSON path, and gomatrixserverlib's keyring test answer.
 */
import { readFileSync } from 'node:fs';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { parseJson } from '../../src/json/parse.js';
import type { JsonObject, JsonValue } from '../../src/json/value.js';
import { JsonFloat } from '../../src/json/value.js';
import type { ServerKeysError } from '../../src/server-keys/errors.js';
import type { VerifiedServerKeys, VerifyServerKeysOptions } from '../../src/server-keys/types.js';
import { verifyServerKeys } from '../../src/server-keys/verify.js';
import { deepFreeze } from '../fuzz/support.js';
import {
  bytes,
  current1,
  current2,
  DAY,
  left,
  NOTARY,
  NOW,
  notaryAnswer,
  notaryKey,
  oldKey,
  right,
  SERVER,
  signAs,
  signedAnswer,
  stranger,
  TRUSTED_NOTARY,
  text,
  unsignedAnswer,
  WEEK,
} from './helpers.js';

const direct = { serverName: SERVER, now: NOW };

/** current1's signature copied under current2's key ID: one good signature, one bad. */
function swapSignature(answer: JsonObject): JsonObject {
  const signatures = (answer.signatures as Record<string, Record<string, string>>)[SERVER] ?? {};
  return {
    ...answer,
    signatures: { [SERVER]: { ...signatures, [current2.keyId]: signatures[current1.keyId] ?? '' } },
  };
}
const viaNotary = { serverName: SERVER, now: NOW, notaries: [TRUSTED_NOTARY] };

function refused(
  body: Uint8Array | string | JsonValue,
  options: VerifyServerKeysOptions = direct,
): ServerKeysError {
  const error = left(verifyServerKeys(body, options));
  expect(error.kind).toBe('ServerKeysError');
  return error;
}

describe('verifyServerKeys: a direct answer (GET /_matrix/key/v2/server)', () => {
  it('accepts a self-signed answer given as bytes, text or a parsed value, the same way', () => {
    const answer = signedAnswer();
    const fromBytes = right(verifyServerKeys(bytes(answer), direct));
    const fromText = right(verifyServerKeys(text(answer), direct));
    const fromValue = right(verifyServerKeys(deepFreeze(answer), direct));
    for (const verified of [fromBytes, fromText, fromValue]) {
      expect(verified.source).toBe('server');
      expect(verified.fetchedAt).toBe(NOW);
      expect(verified.servers).toHaveLength(1);
      const [server] = verified.servers;
      expect(server?.serverName).toBe(SERVER);
      expect(server?.validUntilTs).toBe(NOW + DAY);
      expect(server?.signedBy).toEqual([current1.keyId]);
      expect(server?.notarySignatures).toEqual([]);
      expect(server?.path).toEqual([]);
      expect(server?.keys).toEqual([
        {
          serverName: SERVER,
          keyId: current1.keyId,
          key: current1.publicKey,
          old: false,
          validUntilTs: NOW + DAY,
        },
        {
          serverName: SERVER,
          keyId: oldKey.keyId,
          key: oldKey.publicKey,
          old: true,
          validUntilTs: NOW - DAY,
        },
      ]);
    }
    expect(fromValue.servers[0]?.json).toBe(answer);
  });

  it('its lookup gives current keys with valid_until_ts and old keys marked expired with expired_ts', () => {
    const verified = right(verifyServerKeys(bytes(signedAnswer()), direct));
    expect(verified.lookup(SERVER, current1.keyId)).toEqual({
      key: current1.publicKey,
      validUntilTs: NOW + DAY,
    });
    expect(verified.lookup(SERVER, oldKey.keyId)).toEqual({
      key: oldKey.publicKey,
      validUntilTs: NOW - DAY,
      expired: true,
    });
    expect(verified.lookup(SERVER, 'ed25519:nope')).toBeUndefined();
    expect(verified.lookup('other.example', current1.keyId)).toBeUndefined();
  });

  it('its lookup caps valid_until_ts at 7 days after the fetch (spec: "the lesser of this field and 7 days")', () => {
    const far = signedAnswer({ valid_until_ts: NOW + 30 * DAY });
    const verified = right(verifyServerKeys(far, direct));
    expect(verified.servers[0]?.validUntilTs).toBe(NOW + 30 * DAY); // as published
    expect(verified.lookup(SERVER, current1.keyId)?.validUntilTs).toBe(NOW + WEEK);
  });

  it('accepts an answer whose valid_until_ts is already past (old events still need its keys)', () => {
    const stale = signedAnswer({ valid_until_ts: NOW - 2 * DAY });
    const verified = right(verifyServerKeys(stale, direct));
    expect(verified.lookup(SERVER, current1.keyId)?.validUntilTs).toBe(NOW - 2 * DAY);
  });

  it('several current keys signing: every signature by a listed key verifies', () => {
    const verified = right(verifyServerKeys(signedAnswer({}, true), direct));
    expect(verified.servers[0]?.signedBy).toEqual([current1.keyId, current2.keyId]);
    expect(verified.servers[0]?.keys.filter((k) => !k.old).map((k) => k.keyId)).toEqual([
      current1.keyId,
      current2.keyId,
    ]);
  });

  it('one of two listed keys signing is enough (Synapse accepts it; gomatrixserverlib wants every key)', () => {
    const answer = signAs(unsignedAnswer({}, true), SERVER, current2);
    expect(right(verifyServerKeys(answer, direct)).servers[0]?.signedBy).toEqual([current2.keyId]);
  });

  it('ignores signatures by keys it does not list (another key, an old key) and other servers', () => {
    const answer = signAs(signAs(signedAnswer(), SERVER, oldKey), 'other.example', stranger);
    expect(right(verifyServerKeys(answer, direct)).servers[0]?.signedBy).toEqual([current1.keyId]);
  });

  it('skips keys of other algorithms, listing them in ignoredKeyIds', () => {
    const answer = signedAnswer({
      verify_keys: { [current1.keyId]: { key: current1.publicKey }, 'curve25519:x': { key: 'AAAA' } },
      old_verify_keys: { 'ed448:y': { nonsense: true } },
    });
    const verified = right(verifyServerKeys(answer, direct));
    expect(verified.servers[0]?.ignoredKeyIds).toEqual(['curve25519:x', 'ed448:y']);
    expect(verified.servers[0]?.keys.map((k) => k.keyId)).toEqual([current1.keyId]);
  });

  it('treats a key ID listed in both verify_keys and old_verify_keys as old, as Synapse does', () => {
    const answer = signedAnswer({
      old_verify_keys: { [current1.keyId]: { key: current1.publicKey, expired_ts: NOW - DAY } },
    });
    const verified = right(verifyServerKeys(answer, direct));
    expect(verified.servers[0]?.keys).toEqual([
      {
        serverName: SERVER,
        keyId: current1.keyId,
        key: current1.publicKey,
        old: true,
        validUntilTs: NOW - DAY,
      },
    ]);
    expect(verified.lookup(SERVER, current1.keyId)?.expired).toBe(true);
  });

  it('keeps old_verify_keys optional, and unknown top-level fields (tls_fingerprints) are signed like the rest', () => {
    const { old_verify_keys: _, ...rest } = unsignedAnswer();
    const answer = signAs({ ...rest, tls_fingerprints: [{ sha256: 'abc' }] }, SERVER, current1);
    const verified = right(verifyServerKeys(answer, direct));
    expect(verified.servers[0]?.keys.map((k) => k.keyId)).toEqual([current1.keyId]);
    const tampered = { ...answer, tls_fingerprints: [{ sha256: 'abd' }] };
    expect(refused(tampered).reason).toBe('bad_signature');
  });

  it('takes integers beyond 2^53 exactly and clamps them to Number.MAX_SAFE_INTEGER', () => {
    const big = signedAnswer({ valid_until_ts: 2n ** 63n - 1n });
    const verified = right(verifyServerKeys(text(big), direct));
    expect(verified.servers[0]?.validUntilTs).toBe(Number.MAX_SAFE_INTEGER);
    const small = signedAnswer({ valid_until_ts: BigInt(NOW) });
    expect(right(verifyServerKeys(small, direct)).servers[0]?.validUntilTs).toBe(NOW);
  });
});

describe('verifyServerKeys: refusals, each with its reason and JSON path', () => {
  const cases: [string, () => ServerKeysError, ServerKeysError['reason'], (string | number)[]][] = [
    ['not an object', () => refused(bytes([1, 2])), 'not_object', []],
    ['invalid UTF-8', () => refused(new Uint8Array([0x7b, 0xff, 0x7d])), 'invalid_json', []],
    [
      "bad JSON text (the path is the parser's)",
      () => refused('{"server_name": '),
      'invalid_json',
      ['server_name'],
    ],
    [
      'no server_name',
      () => refused(signAs({ ...unsignedAnswer(), server_name: 5 }, SERVER, current1)),
      'invalid_server_name',
      ['server_name'],
    ],
    [
      'another server',
      () => refused(signedAnswer(), { serverName: 'other.example', now: NOW }),
      'server_name_mismatch',
      ['server_name'],
    ],
    [
      'valid_until_ts a string',
      () => refused(signedAnswer({ valid_until_ts: '1' })),
      'invalid_valid_until_ts',
      ['valid_until_ts'],
    ],
    [
      'valid_until_ts a float',
      () => refused(signedAnswer({ valid_until_ts: new JsonFloat(NOW) })),
      'invalid_valid_until_ts',
      ['valid_until_ts'],
    ],
    [
      'valid_until_ts negative',
      () => refused(signedAnswer({ valid_until_ts: -1 })),
      'invalid_valid_until_ts',
      ['valid_until_ts'],
    ],
    [
      'valid_until_ts beyond int64',
      () => refused(signedAnswer({ valid_until_ts: 2n ** 63n })),
      'invalid_valid_until_ts',
      ['valid_until_ts'],
    ],
    [
      'valid_until_ts missing',
      () => refused(signedAnswer({ valid_until_ts: null })),
      'invalid_valid_until_ts',
      ['valid_until_ts'],
    ],
    [
      'verify_keys missing',
      () => refused(signedAnswer({ verify_keys: null })),
      'invalid_verify_keys',
      ['verify_keys'],
    ],
    [
      'verify_keys an array',
      () => refused(signedAnswer({ verify_keys: [] })),
      'invalid_verify_keys',
      ['verify_keys'],
    ],
    [
      'a verify key not an object',
      () => refused(signedAnswer({ verify_keys: { [current1.keyId]: current1.publicKey } })),
      'invalid_verify_keys',
      ['verify_keys', current1.keyId],
    ],
    [
      'old_verify_keys null',
      () => refused(signedAnswer({ old_verify_keys: null })),
      'invalid_old_verify_keys',
      ['old_verify_keys'],
    ],
    [
      'an old key not an object',
      () => refused(signedAnswer({ old_verify_keys: { 'ed25519:o': 1 } })),
      'invalid_old_verify_keys',
      ['old_verify_keys', 'ed25519:o'],
    ],
    [
      'a key version outside [a-zA-Z0-9_]',
      () =>
        refused(
          signedAnswer({
            verify_keys: {
              [current1.keyId]: { key: current1.publicKey },
              'ed25519:a-b': { key: current2.publicKey },
            },
          }),
        ),
      'invalid_key_id',
      ['verify_keys', 'ed25519:a-b'],
    ],
    [
      'an empty key version',
      () =>
        refused(signedAnswer({ old_verify_keys: { 'ed25519:': { key: oldKey.publicKey, expired_ts: 1 } } })),
      'invalid_key_id',
      ['old_verify_keys', 'ed25519:'],
    ],
    [
      'no "key"',
      () => refused(signedAnswer({ verify_keys: { [current1.keyId]: {} } })),
      'invalid_key',
      ['verify_keys', current1.keyId],
    ],
    [
      'a key not a string',
      () => refused(signedAnswer({ verify_keys: { [current1.keyId]: { key: 7 } } })),
      'invalid_key',
      ['verify_keys', current1.keyId],
    ],
    [
      'a padded key (spec: unpadded)',
      () => refused(signedAnswer({ verify_keys: { [current1.keyId]: { key: `${current1.publicKey}=` } } })),
      'invalid_key',
      ['verify_keys', current1.keyId, 'key'],
    ],
    [
      'a 31-byte key',
      () =>
        refused(
          signedAnswer({ verify_keys: { [current1.keyId]: { key: current1.publicKey.slice(0, 42) } } }),
        ),
      'invalid_key',
      ['verify_keys', current1.keyId, 'key'],
    ],
    [
      'expired_ts missing',
      () => refused(signedAnswer({ old_verify_keys: { [oldKey.keyId]: { key: oldKey.publicKey } } })),
      'invalid_expired_ts',
      ['old_verify_keys', oldKey.keyId, 'expired_ts'],
    ],
    [
      'expired_ts a float',
      () =>
        refused(
          signedAnswer({
            old_verify_keys: { [oldKey.keyId]: { key: oldKey.publicKey, expired_ts: new JsonFloat(1.5) } },
          }),
        ),
      'invalid_expired_ts',
      ['old_verify_keys', oldKey.keyId, 'expired_ts'],
    ],
    ['no signatures', () => refused(unsignedAnswer()), 'invalid_signatures', ['signatures']],
    [
      'signatures not an object',
      () => refused({ ...unsignedAnswer(), signatures: [] }),
      'invalid_signatures',
      ['signatures'],
    ],
    [
      'the server entry not an object',
      () => refused({ ...unsignedAnswer(), signatures: { [SERVER]: 'x' } }),
      'invalid_signatures',
      ['signatures', SERVER],
    ],
    [
      'signed by another server only',
      () => refused(signAs(unsignedAnswer(), 'other.example', current1)),
      'not_self_signed',
      ['signatures', SERVER],
    ],
    [
      'signed by an unlisted key only',
      () => refused(signAs(unsignedAnswer(), SERVER, current2)),
      'not_self_signed',
      ['signatures', SERVER],
    ],
    [
      'signed by its old key only',
      () => refused(signAs(unsignedAnswer(), SERVER, oldKey)),
      'not_self_signed',
      ['signatures', SERVER],
    ],
    [
      'a listed key with another algorithm only',
      () => refused({ ...unsignedAnswer(), signatures: { [SERVER]: { 'curve25519:x': 'AAAA' } } }),
      'not_self_signed',
      ['signatures', SERVER],
    ],
    [
      'a changed valid_until_ts',
      () => refused({ ...signedAnswer(), valid_until_ts: NOW + 2 * DAY }),
      'bad_signature',
      ['signatures', SERVER, current1.keyId],
    ],
    [
      'a changed key',
      () =>
        refused({
          ...signedAnswer(),
          old_verify_keys: { [oldKey.keyId]: { key: current2.publicKey, expired_ts: NOW - DAY } },
        }),
      'bad_signature',
      ['signatures', SERVER, current1.keyId],
    ],
    [
      'a signature by another key under a listed ID',
      () => refused(signAs(unsignedAnswer(), SERVER, stranger)),
      'bad_signature',
      ['signatures', SERVER, current1.keyId],
    ],
    [
      'a good and a bad signature',
      () => refused(swapSignature(signedAnswer({}, true))),
      'bad_signature',
      ['signatures', SERVER, current2.keyId],
    ],
    [
      'a signature that is not a string',
      () => refused({ ...unsignedAnswer(), signatures: { [SERVER]: { [current1.keyId]: 5 } } }),
      'bad_signature',
      ['signatures', SERVER, current1.keyId],
    ],
  ];
  it.each(cases)('%s', (_name, run, reason, path) => {
    const error = run();
    expect(error.reason).toBe(reason);
    expect(error.path).toEqual(path);
    expect(error.message.length).toBeGreaterThan(0);
  });

  it('names the server of the failing answer when it is known', () => {
    expect(refused({ ...signedAnswer(), valid_until_ts: 1 }).serverName).toBe(SERVER);
    expect(refused(bytes([])).serverName).toBeUndefined();
  });

  it('carries the parser error for invalid JSON', () => {
    const error = refused('{"a": 1, }');
    expect(error.cause?.kind).toBe('JsonError');
  });
});

describe('verifyServerKeys: compatibility "synapse"', () => {
  const synapse: VerifyServerKeysOptions = { ...direct, compatibility: 'synapse' };
  it('accepts key versions outside the spec grammar, as signedjson does', () => {
    const answer = signAs(
      unsignedAnswer({ verify_keys: { 'ed25519:a-b.c': { key: current1.publicKey } } }),
      SERVER,
      // The same key under the odd ID: sign by hand under that ID.
      { ...current1, keyId: 'ed25519:a-b.c' },
    );
    expect(refused(answer).reason).toBe('invalid_key_id');
    const verified = right(verifyServerKeys(answer, synapse));
    expect(verified.servers[0]?.signedBy).toEqual(['ed25519:a-b.c']);
  });

  it('accepts padded keys (python-unpaddedbase64 reads them) and normalises them', () => {
    const answer = signedAnswer({ verify_keys: { [current1.keyId]: { key: `${current1.publicKey}=` } } });
    const verified = right(verifyServerKeys(answer, synapse));
    expect(verified.servers[0]?.keys[0]?.key).toBe(current1.publicKey);
  });

  it('still skips other algorithms, and refuses a 31-byte key', () => {
    const answer = signedAnswer({
      verify_keys: { [current1.keyId]: { key: current1.publicKey }, ed25519x: { key: 'A' } },
    });
    expect(right(verifyServerKeys(answer, synapse)).servers[0]?.ignoredKeyIds).toEqual(['ed25519x']);
    expect(refused(answer).reason).toBe('invalid_key_id');
    const short = signedAnswer({
      verify_keys: { [current1.keyId]: { key: current1.publicKey.slice(0, 42) } },
    });
    expect(refused(short, synapse).reason).toBe('invalid_key');
  });
});

describe('verifyServerKeys: notary answers (POST /_matrix/key/v2/query)', () => {
  it('accepts entries signed by the server and a trusted notary', () => {
    const body = notaryAnswer(signedAnswer());
    const verified = right(verifyServerKeys(bytes(body), viaNotary));
    expect(verified.source).toBe('query');
    expect(verified.servers[0]?.path).toEqual(['server_keys', 0]);
    expect(verified.servers[0]?.notarySignatures).toEqual([
      { serverName: NOTARY, keyIds: [notaryKey.keyId] },
    ]);
    expect(verified.lookup(SERVER, current1.keyId)?.key).toBe(current1.publicKey);
  });

  it('accepts an empty server_keys (the server could not be reached)', () => {
    const verified = right(verifyServerKeys({ server_keys: [] }, viaNotary));
    expect(verified.servers).toEqual([]);
  });

  it('accepts entries for several requested servers, and a notary vouching for itself', () => {
    const notarySelf = signAs(
      {
        server_name: NOTARY,
        valid_until_ts: NOW + DAY,
        verify_keys: { [notaryKey.keyId]: { key: notaryKey.publicKey } },
      },
      NOTARY,
      notaryKey,
    );
    const body = { server_keys: [signAs(signedAnswer(), NOTARY, notaryKey), notarySelf] };
    const verified = right(verifyServerKeys(body, { ...viaNotary, serverName: [SERVER, NOTARY] }));
    expect(verified.servers.map((s) => s.serverName)).toEqual([SERVER, NOTARY]);
    expect(verified.servers[1]?.signedBy).toEqual([notaryKey.keyId]);
  });

  it('one trusted notary signing is enough when several are trusted', () => {
    const other = { serverName: 'other-notary.example', verifyKeys: { 'ed25519:x': stranger.publicKey } };
    const verified = right(
      verifyServerKeys(notaryAnswer(signedAnswer()), { ...viaNotary, notaries: [other, TRUSTED_NOTARY] }),
    );
    expect(verified.servers[0]?.notarySignatures.map((n) => n.serverName)).toEqual([NOTARY]);
  });

  const notaryCases: [string, JsonValue, ServerKeysError['reason'], (string | number)[]][] = [
    [
      'no notary signature',
      { server_keys: [signedAnswer()] },
      'notary_signature_missing',
      ['server_keys', 0, 'signatures'],
    ],
    [
      'a notary signature by another key under the trusted ID',
      { server_keys: [signAs(signedAnswer(), NOTARY, { ...stranger, keyId: notaryKey.keyId })] },
      'bad_notary_signature',
      ['server_keys', 0, 'signatures', NOTARY, notaryKey.keyId],
    ],
    [
      'a notary signature by an untrusted key ID',
      { server_keys: [signAs(signedAnswer(), NOTARY, { ...stranger, keyId: 'ed25519:zz' })] },
      'notary_signature_missing',
      ['server_keys', 0, 'signatures'],
    ],
    [
      'a changed entry after the notary signed',
      { server_keys: [{ ...signAs(signedAnswer(), NOTARY, notaryKey), valid_until_ts: NOW }] },
      'bad_signature',
      ['server_keys', 0, 'signatures', SERVER, current1.keyId],
    ],
    [
      'the notary entry not an object',
      {
        server_keys: [
          { ...signedAnswer(), signatures: { ...(signedAnswer().signatures as JsonObject), [NOTARY]: [] } },
        ],
      },
      'invalid_signatures',
      ['server_keys', 0, 'signatures', NOTARY],
    ],
    [
      'a notary-signed but not self-signed entry',
      { server_keys: [signAs(unsignedAnswer(), NOTARY, notaryKey)] },
      'not_self_signed',
      ['server_keys', 0, 'signatures', SERVER],
    ],
    [
      'an entry for an unrequested server',
      notaryAnswer(
        signedAnswer(),
        signAs({ ...unsignedAnswer(), server_name: 'evil.example' }, 'evil.example', current1),
      ),
      'server_name_mismatch',
      ['server_keys', 1, 'server_name'],
    ],
    ['no server_keys', { server_name: SERVER }, 'invalid_server_keys', ['server_keys']],
    ['server_keys an object', { server_keys: {} }, 'invalid_server_keys', ['server_keys']],
    ['an entry not an object', { server_keys: [1] }, 'not_object', ['server_keys', 0]],
    ['a body not an object', [signedAnswer()], 'not_object', []],
    [
      'a direct answer where a notary answer was expected',
      signedAnswer(),
      'invalid_server_keys',
      ['server_keys'],
    ],
  ];
  it.each(notaryCases)('refuses %s', (_name, body, reason, path) => {
    const error = refused(body, viaNotary);
    expect(error.reason).toBe(reason);
    expect(error.path).toEqual(path);
  });

  it('refuses a notary answer given as a direct one (no server_name at the top)', () => {
    expect(refused(notaryAnswer(signedAnswer())).reason).toBe('invalid_server_name');
  });
});

describe('verifyServerKeys: caller mistakes are invalid_context, never thrown', () => {
  const bad: [string, unknown][] = [
    ['options null', null],
    ['options a string', 'keys.example'],
    ['serverName empty', { serverName: '', now: NOW }],
    ['serverName an empty array', { serverName: [], now: NOW }],
    ['serverName with a number', { serverName: [SERVER, 1], now: NOW }],
    ['now missing', { serverName: SERVER }],
    ['now NaN', { serverName: SERVER, now: Number.NaN }],
    ['now negative', { serverName: SERVER, now: -1 }],
    ['now a string', { serverName: SERVER, now: '1' }],
    ['compatibility unknown', { ...direct, compatibility: 'dendrite' }],
    ['notaries empty', { ...direct, notaries: [] }],
    ['notaries not an array', { ...direct, notaries: TRUSTED_NOTARY }],
    ['a notary null', { ...direct, notaries: [null] }],
    ['a notary without a name', { ...direct, notaries: [{ verifyKeys: TRUSTED_NOTARY.verifyKeys }] }],
    ['a notary without keys', { ...direct, notaries: [{ serverName: NOTARY, verifyKeys: {} }] }],
    [
      'a notary key of 31 bytes',
      { ...direct, notaries: [{ serverName: NOTARY, verifyKeys: { 'ed25519:n': 'AAAA' } }] },
    ],
    [
      'a throwing getter',
      Object.defineProperty({ serverName: SERVER }, 'now', {
        get: () => {
          throw new Error('boom');
        },
      }),
    ],
  ];
  it.each(bad)('%s', (_name, options) => {
    const error = left(verifyServerKeys(bytes(signedAnswer()), options as VerifyServerKeysOptions));
    expect(error.reason).toBe('invalid_context');
  });

  it('a parsed value with a throwing getter is invalid_context', () => {
    const hostile = Object.defineProperty({ ...signedAnswer() }, 'verify_keys', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    expect(left(verifyServerKeys(hostile as JsonObject, direct)).reason).toBe('invalid_context');
  });

  it("a value no JSON parser gives (a function, undefined, a Map) is invalid_context, not the server's fault", () => {
    for (const value of [() => 1, undefined, new Map(), { ...signedAnswer(), extra: new Date(0) }]) {
      expect(left(verifyServerKeys(value as unknown as JsonValue, direct)).reason).toBe('invalid_context');
    }
    // JSON the key server could send, but not an object, is the server's answer: not_object.
    expect(left(verifyServerKeys(null, direct)).reason).toBe('not_object');
    expect(left(verifyServerKeys([1], direct)).reason).toBe('not_object');
  });

  it('a parsed value with NaN (no JSON text has it) is invalid_context, naming where', () => {
    const answer = { ...signedAnswer(), extra: Number.NaN };
    const error = left(verifyServerKeys(answer as JsonObject, direct));
    expect([error.reason, error.message]).toEqual([
      'invalid_context',
      'the answer must be the raw bytes (Uint8Array), the text or a parsed JSON value: answer.extra is a number (NaN)',
    ]);
  });
});

// Fixture: matrix-org/gomatrixserverlib keyring_test.go, `testKeys` ("taken from a copy of synapse"), verified by
// TestVerifyJSONsSuccess with ServerName "localhost:8800" at AtTS 1493142432964 (commit ffcbbd38), transcribed
// byte for byte into test/fixtures/gomatrixserverlib-keyring-testkeys.json.
const GMSL_TEXT = readFileSync(
  new URL('../fixtures/gomatrixserverlib-keyring-testkeys.json', import.meta.url),
  'utf8',
);
const GMSL_AT = 1493142432964;

describe("gomatrixserverlib's keyring test answer (keyring_test.go testKeys)", () => {
  let verified: VerifiedServerKeys;
  it('verifies at the time TestVerifyJSONsSuccess uses, in both modes', () => {
    verified = right(verifyServerKeys(GMSL_TEXT, { serverName: 'localhost:8800', now: GMSL_AT }));
    right(
      verifyServerKeys(GMSL_TEXT, { serverName: 'localhost:8800', now: GMSL_AT, compatibility: 'synapse' }),
    );
    const [server] = verified.servers;
    expect(server?.signedBy).toEqual(['ed25519:a_Obwu']);
    expect(server?.validUntilTs).toBe(1493142432964);
    expect(server?.keys).toEqual([
      {
        serverName: 'localhost:8800',
        keyId: 'ed25519:a_Obwu',
        key: '2UwTWD4+tgTgENV7znGGNqhAOGY+BW1mRAnC6W6FBQg',
        old: false,
        validUntilTs: 1493142432964,
      },
      {
        serverName: 'localhost:8800',
        keyId: 'ed25519:old',
        key: 'O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik',
        old: true,
        validUntilTs: 929059200,
      },
    ]);
  });

  it('its lookup: the current key valid until valid_until_ts, the old key until expired_ts', () => {
    expect(verified.lookup('localhost:8800', 'ed25519:a_Obwu')).toEqual({
      key: '2UwTWD4+tgTgENV7znGGNqhAOGY+BW1mRAnC6W6FBQg',
      validUntilTs: 1493142432964,
    });
    expect(verified.lookup('localhost:8800', 'ed25519:old')).toEqual({
      key: 'O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik',
      validUntilTs: 929059200,
      expired: true,
    });
  });

  it('is refused for another server (TestVerifyJSONsUnknownServerFails asks for "unknown:8800")', () => {
    expect(left(verifyServerKeys(GMSL_TEXT, { serverName: 'unknown:8800', now: GMSL_AT })).reason).toBe(
      'server_name_mismatch',
    );
  });

  it('is refused with one character of the signed part changed', () => {
    const tampered = GMSL_TEXT.replace('"sha256": "I2oh', '"sha256": "I2oi');
    expect(tampered).not.toBe(GMSL_TEXT);
    expect(left(verifyServerKeys(tampered, { serverName: 'localhost:8800', now: GMSL_AT })).reason).toBe(
      'bad_signature',
    );
  });

  it('parses as the Go test wrote it (tabs, key order as written)', () => {
    const parsed = right(parseJson(GMSL_TEXT)) as JsonObject;
    expect(Object.keys(parsed)).toEqual([
      'old_verify_keys',
      'server_name',
      'signatures',
      'tls_fingerprints',
      'valid_until_ts',
      'verify_keys',
    ]);
    expect(E.isRight(verifyServerKeys(parsed, { serverName: 'localhost:8800', now: GMSL_AT }))).toBe(true);
  });
});
