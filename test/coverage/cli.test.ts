/**
 * CLI paths the command tests leave out: `explain` on every input shape and signature situation, `verify` and
 * `receive` option and input errors, keys files (server key responses, old keys, expiry), the I/O plumbing
 * (`nodeIo`, failing stdin and files, JSON printing) and the `bin` entry point.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatJson, nodeIo, parseCommandArgs, readInput, runCommand } from '../../src/cli/io.js';
import { parseVerifyKeys } from '../../src/cli/keys.js';
import { signJson } from '../../src/crypto/json-signing.js';
import { signEvent } from '../../src/events/signing.js';
import { JsonFloat, type JsonObject } from '../../src/json/value.js';
import { KEY_FILES, memoryIo, run } from '../cli/helpers.js';
import { canonicalOrMarker } from '../fuzz/invites.js';
import { inviteeKey, inviterKey, right, signedInvite } from '../invite/helpers.js';

interface Explanation {
  verdict: string;
  summary: string[];
  signatures: {
    server_name: string;
    key_id: string;
    status: string;
    reason?: string;
    verifies_unredacted?: boolean;
  }[];
  content_hash: { valid?: boolean; matches?: boolean };
}

const json = (v: unknown): string => canonicalOrMarker(v as JsonObject);

async function explain(input: unknown, extra: string[] = ['--room-version', '10']) {
  const { code, io } = await run(
    ['explain', '--keys', 'keys.json', ...extra],
    KEY_FILES,
    typeof input === 'string' ? input : json(input),
  );
  return { code, io, out: code === 2 ? undefined : io.out() === '' ? undefined : (io.json() as Explanation) };
}

describe('explain: input shapes', () => {
  it('a v1 response [200, {"event": ...}] with --room-version', async () => {
    const { code, out } = await explain([200, { event: signedInvite('1') }], ['--room-version', '1']);
    expect(code).toBe(0);
    expect(out?.summary[0]).toContain('v1 response');
    expect(out?.summary.join('\n')).toContain('event_id field, room versions 1-2');
  });

  it('a v2 response {"event": ...} (no room_version) needs --room-version', async () => {
    const { out } = await explain({ event: signedInvite('10') });
    expect(out?.summary[0]).toContain('v2 response');
    expect((await explain({ event: signedInvite('10') }, [])).code).toBe(2);
  });

  it('other arrays and non-objects are rejected (exit 1)', async () => {
    const array = await explain([1, 2, 3]);
    expect(array.code).toBe(1);
    expect(array.io.err()).toContain('input must be an event, a v2 invite body or an invite response');
    const text = await explain('"just a string"');
    expect(text.code).toBe(1);
    expect(text.io.err()).toContain('input must be a JSON object');
  });

  it('an unknown room version is rejected (exit 1); a missing keys file or input is a usage error (exit 2)', async () => {
    expect((await explain(signedInvite('10'), ['--room-version', '99'])).code).toBe(1);
    expect((await run(['explain', '--keys', 'missing.json', '--room-version', '10'], {}, '{}')).code).toBe(2);
    expect((await run(['explain', '--room-version', '10', 'missing-input.json'], {}, '')).code).toBe(2);
  });
});

describe('explain: signatures', () => {
  it('no signatures object: "Signatures: none." and the required signer has not signed', async () => {
    const { code, out } = await explain({ ...signedInvite('10'), signatures: 'nope' });
    expect(code).toBe(1);
    expect(out?.summary).toContain('Signatures: none.');
    const other = await explain({
      ...signedInvite('10'),
      signatures: { 'other.example': { 'ed25519:9': 'x' } },
    });
    expect(other.out?.summary.join('\n')).toContain(
      'Required signer inviter.example (sender) has not signed.',
    );
  });

  it('a non-object server entry is skipped; a non-ed25519 key of another server is unknown_algorithm', async () => {
    const event = signedInvite('10');
    const signatures = {
      ...(event.signatures as JsonObject),
      'junk.example': 5,
      'other.example': { 'curve25519:1': 'x' },
    };
    const { out } = await explain({ ...event, signatures });
    expect(out?.signatures.map((s) => [s.server_name, s.status, s.reason])).toEqual([
      ['inviter.example', 'verified', undefined],
      ['other.example', 'skipped', 'unknown_algorithm'],
    ]);
  });

  it('a signature over the unredacted event is diagnosed as such', async () => {
    const template = signedInvite('10');
    const { signatures: _, ...unsignedEvent } = template;
    const wrong = right(
      signJson({ value: unsignedEvent, serverName: 'inviter.example', signingKey: inviterKey }),
    );
    const { code, out } = await explain(wrong);
    expect(code).toBe(1);
    expect(out?.signatures[0]).toMatchObject({ status: 'failed', verifies_unredacted: true });
    expect(out?.summary.join('\n')).toContain('the signer did not redact before signing');
  });

  it('a plain bad signature: "the signer signed other bytes"', async () => {
    const event = signedInvite('10');
    const { out } = await explain({ ...event, origin_server_ts: 1 });
    expect(out?.summary.join('\n')).toContain('the signer signed other bytes');
  });

  it('an extra, non-required signature that fails is diagnosed too', async () => {
    const event = signedInvite('10');
    const counter = right(
      signEvent({ event, roomVersion: '10', serverName: 'invitee.example', signingKey: inviteeKey }),
    );
    const sigs = counter.signatures as Record<string, Record<string, string>>;
    const bad = {
      ...sigs,
      'invitee.example': {
        'ed25519:2': (sigs['inviter.example'] as Record<string, string>)['ed25519:1'] as string,
      },
    };
    const { out } = await explain({ ...counter, signatures: bad });
    expect(out?.signatures.find((s) => s.server_name === 'invitee.example')).toMatchObject({
      status: 'failed',
    });
  });

  it('a third-party invite without the sender signature, and a malformed content hash', async () => {
    const event = signedInvite('10', {
      content: {
        membership: 'invite',
        third_party_invite: { signed: { mxid: '@bob:invitee.example', token: 't' } },
      },
    });
    const { out } = await explain({ ...event, hashes: { sha256: '***' } });
    expect(out?.content_hash.valid).toBe(false);
    expect(out?.summary.join('\n')).toContain('the content hash is malformed');
  });
});

describe('verify and receive: option and input errors', () => {
  it('verify --event needs --room-version; --room-version needs --event; bad keys or input', async () => {
    expect((await run(['verify', '--keys', 'keys.json', '--event'], KEY_FILES, '{}')).code).toBe(2);
    expect((await run(['verify', '--keys', 'keys.json', '--room-version', '10'], KEY_FILES, '{}')).code).toBe(
      2,
    );
    expect((await run(['verify', '--keys', 'nope.json'], KEY_FILES, '{}')).code).toBe(2);
    expect((await run(['verify', '--keys', 'keys.json', 'nope.json'], KEY_FILES, '{}')).code).toBe(2);
  });

  it('verify --event on an event that cannot be prepared is a rejection with a path', async () => {
    const { code, io } = await run(
      ['verify', '--keys', 'keys.json', '--event', '--room-version', '10'],
      KEY_FILES,
      '{"type":5}',
    );
    expect(code).toBe(1);
    expect(io.err()).toContain('matrix-invite verify:');
  });

  it('verify without --server-name on an object without signatures (exit 1)', async () => {
    const { code, io } = await run(['verify', '--keys', 'keys.json'], KEY_FILES, '{"a":1}');
    expect(code).toBe(1);
    expect(io.err()).toContain('the object has no signatures');
  });

  it('receive: bad key files, keys file and input are usage errors; --now is used', async () => {
    const base = [
      'receive',
      '--api',
      'v2',
      '--origin',
      'o',
      '--room-id',
      'r',
      '--event-id',
      'e',
      '--server-name',
      's',
    ];
    expect((await run([...base, '--key', 'nope.key', '--keys', 'keys.json'], KEY_FILES, '{}')).code).toBe(2);
    expect((await run([...base, '--key', 'invitee.key', '--keys', 'nope.json'], KEY_FILES, '{}')).code).toBe(
      2,
    );
    expect(
      (await run([...base, '--key', 'invitee.key', '--keys', 'keys.json', 'nope'], KEY_FILES, '{}')).code,
    ).toBe(2);
    const withNow = await run(
      [...base, '--key', 'invitee.key', '--keys', 'keys.json', '--now', '1700000000000'],
      KEY_FILES,
      '{}',
    );
    expect(withNow.code).toBe(1);
  });
});

describe('keys files', () => {
  const known = JSON.parse(KEY_FILES['keys.json']) as Record<string, Record<string, string>>;
  const pk = known['inviter.example']?.['ed25519:1'] as string;

  it('server key responses: valid_until_ts (also as a big integer), old_verify_keys with expired_ts', () => {
    const store = right(
      parseVerifyKeys({
        server_keys: [
          {
            server_name: 'a.example',
            valid_until_ts: 2n ** 60n,
            verify_keys: { 'ed25519:1': { key: pk } },
            old_verify_keys: {
              'ed25519:0': { key: pk, expired_ts: 5 },
              'ed25519:x': { key: pk, expired_ts: new JsonFloat(1.5) },
            },
          },
        ],
      }),
    );
    expect(store.lookup('a.example', 'ed25519:1')).toEqual({ key: pk, validUntilTs: 2 ** 60 });
    // Old keys are marked expired: event signatures only, never requests.
    expect(store.lookup('a.example', 'ed25519:0')).toEqual({ key: pk, validUntilTs: 5, expired: true });
    expect(store.lookup('a.example', 'ed25519:x')).toEqual({ key: pk, expired: true });
  });

  it('a key without base64, a bad old key and a bad response entry are usage errors', () => {
    expect(E.isLeft(parseVerifyKeys({ 'a.example': { 'ed25519:1': 5 } }))).toBe(true);
    expect(
      E.isLeft(
        parseVerifyKeys({
          server_name: 'a',
          verify_keys: { 'ed25519:1': pk },
          old_verify_keys: { 'ed25519:0': { key: 'x' } },
        }),
      ),
    ).toBe(true);
    expect(E.isLeft(parseVerifyKeys({ server_name: 'a', verify_keys: { 'ed25519:1': 'short' } }))).toBe(true);
    expect(E.isLeft(parseVerifyKeys([{ server_name: 'a', verify_keys: { 'ed25519:1': 'short' } }]))).toBe(
      true,
    );
  });
});

describe('I/O plumbing', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    vi.restoreAllMocks();
  });

  it('nodeIo reads files and writes to the process streams', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfi-cli-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'a.json'), '{"a":1}');
    const io = nodeIo();
    expect(new TextDecoder().decode((await io.readFile(join(dir, 'a.json'))) as Uint8Array)).toBe('{"a":1}');
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    io.stdout('o');
    io.stderr('e');
    expect(out).toHaveBeenCalledWith('o');
    expect(err).toHaveBeenCalledWith('e');
  });

  it('failing stdin, thrown commands and repeated options', async () => {
    const io = { ...memoryIo(), stdin: async () => Promise.reject(new Error('closed')) };
    const read = await readInput(io, undefined);
    expect(E.isLeft(read) && read.left.message).toBe('cannot read stdin: closed');
    const odd = { ...memoryIo(), stdin: async () => Promise.reject('weird') };
    expect(E.isLeft(await readInput(odd, '-'))).toBe(true);
    const thrown = memoryIo();
    expect(await runCommand(thrown, 'x', async () => Promise.reject(new Error('boom')))).toBe(1);
    expect(thrown.err()).toContain('internal error: boom');
    const thrownString = memoryIo();
    expect(await runCommand(thrownString, 'x', async () => Promise.reject('str'))).toBe(1);
    const args = parseCommandArgs(['--k', 'a', '--k', 'b'], { k: { type: 'string', multiple: true } }, 0);
    expect(E.isRight(args) && args.right.values.k).toBe('b');
  });

  it('formatJson: compact, undefined, bigints, floats and values without JSON form', () => {
    expect(formatJson({ a: [1, 2n ** 64n, new JsonFloat(1.5)], b: undefined }, 0)).toBe(
      '{"a":[1,18446744073709551616,1.5]}',
    );
    expect(formatJson(undefined)).toBe('null');
    expect(formatJson({ s: Symbol('x') }, 0)).toContain('Symbol(x)');
  });

  it('bin: runs the CLI with the package version', async () => {
    const argv = process.argv;
    const exitCode = process.exitCode;
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    process.argv = [argv[0] as string, 'bin', '--version'];
    try {
      await import('../../src/cli/bin.js');
      expect(out.mock.calls.map((c) => String(c[0])).join('')).toMatch(/\d+\.\d+\.\d+/);
    } finally {
      process.argv = argv;
      process.exitCode = exitCode;
    }
  });
});
