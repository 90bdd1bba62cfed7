/** `matrix-invite keys verify` and `keys build`, and old keys in `--keys` files. */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { parseVerifyKeys } from '../../src/cli/keys.js';
import { encodeBase64 } from '../../src/encoding/base64.js';
import { parseJson } from '../../src/json/parse.js';
import { verifyServerKeys } from '../../src/server-keys/verify.js';
import {
  current1,
  current2,
  DAY,
  NOTARY,
  NOW,
  notaryAnswer,
  notaryKey,
  oldKey,
  SERVER,
  signedAnswer,
  text,
  WEEK,
} from '../server-keys/helpers.js';
import { run } from './helpers.js';

const seed = (fill: number) => encodeBase64(new Uint8Array(32).fill(fill));
const FILES = {
  'server.key': `ed25519 a1 ${seed(0x11)}\ned25519 a2 ${seed(0x12)}\n`,
  'old.json': JSON.stringify({ [oldKey.keyId]: { key: oldKey.publicKey, expired_ts: NOW - DAY } }),
  'answer.json': text(signedAnswer({ valid_until_ts: NOW + 30 * DAY })),
  'notary-answer.json': text(notaryAnswer(signedAnswer())),
  'notary-keys.json': JSON.stringify({ [NOTARY]: { [notaryKey.keyId]: notaryKey.publicKey } }),
  'notary-old-only.json': JSON.stringify({
    server_name: NOTARY,
    valid_until_ts: 1,
    verify_keys: {},
    old_verify_keys: { [notaryKey.keyId]: { key: notaryKey.publicKey, expired_ts: 1 } },
  }),
};

describe('matrix-invite keys build', () => {
  it('prints the canonical answer signed by every key of the file, with old keys, valid for a day by default', async () => {
    const { code, io } = await run(
      [
        'keys',
        'build',
        '--server-name',
        SERVER,
        '--key',
        'server.key',
        '--now',
        String(NOW),
        '--old-keys',
        'old.json',
      ],
      FILES,
    );
    expect(code).toBe(0);
    const out = io.out();
    expect(out.endsWith('}\n')).toBe(true);
    const verified = verifyServerKeys(out.trimEnd(), { serverName: SERVER, now: NOW });
    expect(E.isRight(verified) && verified.right.servers[0]?.signedBy).toEqual([
      current1.keyId,
      current2.keyId,
    ]);
    expect(E.isRight(verified) && verified.right.servers[0]?.validUntilTs).toBe(NOW + DAY);
    expect(E.isRight(verified) && verified.right.lookup(SERVER, oldKey.keyId)?.expired).toBe(true);
    expect(out.trimEnd()).toBe(
      text(E.isRight(parseJson(out)) ? (parseJson(out) as E.Right<never>).right : null),
    );
  });

  it('--key-id picks one key, --valid-until sets the validity, -n leaves out the newline', async () => {
    const { code, io } = await run(
      [
        'keys',
        'build',
        '--server-name',
        SERVER,
        '--key',
        'server.key',
        '--key-id',
        'a2',
        '--valid-until',
        '5',
        '-n',
      ],
      FILES,
    );
    expect(code).toBe(0);
    expect(io.out().endsWith('}')).toBe(true);
    const verified = verifyServerKeys(io.out(), { serverName: SERVER, now: NOW });
    expect(E.isRight(verified) && verified.right.servers[0]?.signedBy).toEqual([current2.keyId]);
    expect(E.isRight(verified) && verified.right.servers[0]?.validUntilTs).toBe(5);
  });

  it.each([
    [['--key', 'server.key'], '--server-name is required'],
    [['--server-name', SERVER], '--key is required'],
    [['--server-name', SERVER, '--key', 'server.key', '--now', 'soon'], '--now must be'],
    [['--server-name', SERVER, '--key', 'server.key', '--valid-until', '1e3'], '--valid-until must be'],
    [['--server-name', SERVER, '--key', 'missing.key'], 'cannot read signing key file'],
    [['--server-name', SERVER, '--key', 'old.json'], 'signing key file:'],
    [['--server-name', SERVER, '--key', 'server.key', '--key-id', 'zz'], 'has no key "ed25519:zz"'],
    [
      ['--server-name', SERVER, '--key', 'server.key', '--old-keys', 'missing.json'],
      'cannot read old keys file',
    ],
    [
      ['--server-name', SERVER, '--key', 'server.key', '--old-keys', 'server.key'],
      'old keys file is not valid JSON',
    ],
    [['--server-name', SERVER, '--key', 'server.key', '--old-keys', 'notary-answer.json'], 'needs "key"'],
    [['--server-name', SERVER, '--key', 'server.key', '--old-keys', 'bad-old.json'], 'old keys file must be'],
    [['--server-name', 'not a name', '--key', 'server.key'], 'serverName is not a valid server name'],
    [['--server-name', SERVER, '--key', 'server.key', 'extra'], 'unexpected argument'],
  ])('%j is a usage error', async (args, message) => {
    const { code, io } = await run(['keys', 'build', ...args], { ...FILES, 'bad-old.json': '[]' });
    expect(code).toBe(2);
    expect(io.err()).toContain(message);
  });
});

describe('matrix-invite keys verify', () => {
  it('prints the keys, the capped validity and the refresh time of a good answer', async () => {
    const { code, io } = await run(
      ['keys', 'verify', '--server-name', SERVER, '--now', String(NOW), 'answer.json'],
      FILES,
    );
    expect(code).toBe(0);
    expect(io.json()).toEqual({
      valid: true,
      source: 'server',
      fetched_at: NOW,
      servers: [
        {
          server_name: SERVER,
          valid_until_ts: NOW + 30 * DAY,
          usable_until_ts: NOW + WEEK,
          refresh_at: NOW + WEEK / 2,
          signed_by: [current1.keyId],
          verify_keys: { [current1.keyId]: current1.publicKey },
          old_verify_keys: { [oldKey.keyId]: { key: oldKey.publicKey, expired_ts: NOW - DAY } },
        },
      ],
    });
  });

  it('reads stdin, and refuses an answer for another server with reason and path', async () => {
    const { code, io } = await run(
      ['keys', 'verify', '--server-name', 'other.example', '--now', String(NOW)],
      FILES,
      FILES['answer.json'],
    );
    expect(code).toBe(1);
    expect(io.json()).toMatchObject({ valid: false, reason: 'server_name_mismatch', path: '$.server_name' });
    expect(io.err()).toContain('matrix-invite keys verify:');
  });

  it('verifies a notary answer with --notary (and lists the notary signatures), refusing it without', async () => {
    const ok = await run(
      [
        'keys',
        'verify',
        '--server-name',
        `${SERVER},other.example`,
        '--now',
        String(NOW),
        '--notary',
        'notary-keys.json',
        'notary-answer.json',
      ],
      FILES,
    );
    expect(ok.code).toBe(0);
    expect(ok.io.json()).toMatchObject({
      source: 'query',
      servers: [
        { server_name: SERVER, notary_signed_by: [{ server_name: NOTARY, key_ids: [notaryKey.keyId] }] },
      ],
    });
    const without = await run(
      ['keys', 'verify', '--server-name', SERVER, '--now', String(NOW), 'notary-answer.json'],
      FILES,
    );
    expect(without.code).toBe(1);
    expect(without.io.json()).toMatchObject({ reason: 'invalid_server_name' });
  });

  it('--synapse accepts a padded key', async () => {
    const padded = text(
      signedAnswer({ verify_keys: { [current1.keyId]: { key: `${current1.publicKey}=` } } }),
    );
    const spec = await run(['keys', 'verify', '--server-name', SERVER, '--now', '1'], {}, padded);
    expect(spec.code).toBe(1);
    const synapse = await run(
      ['keys', 'verify', '--server-name', SERVER, '--now', '1', '--synapse'],
      {},
      padded,
    );
    expect(synapse.code).toBe(0);
  });

  it('defaults --now to the current time', async () => {
    const { code, io } = await run(['keys', 'verify', '--server-name', SERVER, 'answer.json'], FILES);
    expect(code).toBe(0);
    expect((io.json() as { fetched_at: number }).fetched_at).toBeGreaterThan(NOW - 365 * DAY);
  });

  it.each([
    [['answer.json'], '--server-name is required'],
    [['--server-name', SERVER, '--now', '1.5', 'answer.json'], '--now must be'],
    [['--server-name', SERVER, '--notary', 'missing.json', 'answer.json'], 'cannot read keys file'],
    [['--server-name', SERVER, '--notary', 'notary-old-only.json', 'answer.json'], 'holds no current keys'],
    [['--server-name', SERVER, 'missing.json'], 'cannot read input file'],
  ])('%j is a usage error', async (args, message) => {
    const { code, io } = await run(['keys', 'verify', ...args], FILES);
    expect(code).toBe(2);
    expect(io.err()).toContain(message);
  });
});

describe('matrix-invite keys', () => {
  it('lists its subcommands with --help, help keys, and with none (usage error)', async () => {
    for (const args of [
      ['keys', '--help'],
      ['help', 'keys'],
    ]) {
      const { code, io } = await run(args);
      expect(code).toBe(0);
      expect(io.out()).toContain('keys verify');
    }
    const none = await run(['keys']);
    expect(none.code).toBe(2);
    expect(none.io.err()).toContain('expected "verify" or "build"');
    const bad = await run(['keys', 'fetch']);
    expect(bad.code).toBe(2);
    expect(bad.io.err()).toContain('got "fetch"');
    expect((await run(['--help'])).io.out()).toContain('keys ');
  });

  it('subcommand help', async () => {
    for (const sub of ['verify', 'build']) {
      const { code, io } = await run(['keys', sub, '--help']);
      expect(code).toBe(0);
      expect(io.out()).toContain(`matrix-invite keys ${sub}`);
    }
  });
});

describe('--keys files: old keys are marked expired', () => {
  it('a server key response in a keys file gives old keys expired: true', () => {
    const parsed = parseJson(FILES['answer.json']);
    const store = E.isRight(parsed) ? parseVerifyKeys(parsed.right) : undefined;
    expect(store !== undefined && E.isRight(store)).toBe(true);
    if (store !== undefined && E.isRight(store)) {
      expect(store.right.lookup(SERVER, oldKey.keyId)).toEqual({
        key: oldKey.publicKey,
        validUntilTs: NOW - DAY,
        expired: true,
      });
      expect(store.right.lookup(SERVER, current1.keyId)).toEqual({
        key: current1.publicKey,
        validUntilTs: NOW + 30 * DAY,
      });
    }
  });
});
