import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { parseVerifyKeys } from '../../src/cli/keys.js';
import { signJson } from '../../src/crypto/json-signing.js';
import { parseSigningKeyFile, signingKeyFromSeed } from '../../src/crypto/keys.js';
import { countersignEvent, signEvent } from '../../src/events/signing.js';
import { parseJson } from '../../src/json/parse.js';
import type { JsonObject } from '../../src/json/value.js';
import { vectors } from '../helpers/fixtures.js';
import { INVITE_V10, KEY_FILES, run } from './helpers.js';

const parse = (text: string): JsonObject => {
  const parsed = parseJson(text);
  if (E.isLeft(parsed)) throw new Error(parsed.left.message);
  return parsed.right as JsonObject;
};

/** The invite-v10 vector signed by the inviter, as the CLI prints it. */
async function signedInvite(): Promise<string> {
  const { code, io } = await run(
    ['sign', '--event', '--room-version', '10', '--server-name', 'inviter.example', '--key', 'inviter.key'],
    KEY_FILES,
    INVITE_V10.input_json_text,
  );
  expect(code).toBe(0);
  return io.out();
}

describe('keygen', () => {
  it('prints a Synapse key file line that parses back', async () => {
    const { code, io } = await run(['keygen', '--version', 'abc_1']);
    expect(code).toBe(0);
    expect(io.out()).toMatch(/^ed25519 abc_1 [A-Za-z0-9+/]{43}\n$/);
    const keys = parseSigningKeyFile(io.out());
    expect(E.isRight(keys) && keys.right[0]?.keyId).toBe('ed25519:abc_1');
  });

  it('defaults to a Synapse-style a_XXXX version and generates different keys', async () => {
    const a = await run(['keygen']);
    const b = await run(['keygen']);
    expect(a.io.out()).toMatch(/^ed25519 a_[A-Za-z]{4} /);
    expect(a.io.out()).not.toBe(b.io.out());
  });

  it('--json gives the public key and a keys file entry matching the seed', async () => {
    const { code, io } = await run(['keygen', '--version', '1', '--server-name', 'hs.example', '--json']);
    expect(code).toBe(0);
    const out = io.json() as { key_id: string; public_key: string; key_file_line: string; keys: unknown };
    const seed = out.key_file_line.split(' ')[2] as string;
    const key = signingKeyFromSeed({ seed, version: '1' });
    expect(E.isRight(key) && key.right.publicKey).toBe(out.public_key);
    expect(out.keys).toEqual({ 'hs.example': { 'ed25519:1': out.public_key } });
  });

  it('--from prints the public keys of a key file as a keys file', async () => {
    const files = { k: `${KEY_FILES['inviter.key']}${KEY_FILES['invitee.key']}` };
    const { code, io } = await run(['keygen', '--from', 'k', '--server-name', 'hs.example'], files);
    expect(code).toBe(0);
    const known = JSON.parse(KEY_FILES['keys.json']) as Record<string, Record<string, string>>;
    expect(io.json()).toEqual({ 'hs.example': { ...known['inviter.example'], ...known['invitee.example'] } });
    expect((await run(['keygen', '--from', 'k'], files)).code).toBe(2);
    expect((await run(['keygen', '--from', 'missing', '--server-name', 's'], files)).code).toBe(2);
  });

  it('refuses a bad version (exit 2) and positional arguments', async () => {
    expect((await run(['keygen', '--version', 'no:colons'])).code).toBe(2);
    expect((await run(['keygen', 'file'])).code).toBe(2);
  });
});

describe('sign', () => {
  it('signs JSON like signJson (spec vector)', async () => {
    const vector = vectors.json_signing[0] as { input_json_text: string; expected_signature: string };
    const { code, io } = await run(
      ['sign', '--server-name', 'domain', '--key', 'k'],
      { k: KEY_FILES['inviter.key'] },
      vector.input_json_text,
    );
    expect(code).toBe(0);
    expect(io.json()).toEqual({ signatures: { domain: { 'ed25519:1': vector.expected_signature } } });
  });

  it('signs an event like signEvent: the vector hash and signature', async () => {
    const out = parse(await signedInvite());
    expect(out.hashes).toEqual({ sha256: INVITE_V10.expected_hashes_sha256 });
    expect(out.signatures).toEqual({ 'inviter.example': { 'ed25519:1': INVITE_V10.expected_signature } });
    const key = parseSigningKeyFile(KEY_FILES['inviter.key']);
    if (E.isLeft(key) || key.right[0] === undefined) throw new Error('key');
    expect(out).toEqual(
      E.getOrElseW(() => ({}))(
        signEvent({
          event: parse(INVITE_V10.input_json_text),
          roomVersion: '10',
          serverName: 'inviter.example',
          signingKey: key.right[0],
        }),
      ),
    );
  });

  it('picks a key by --key-id from a file with several keys', async () => {
    const files = { k: `${KEY_FILES['inviter.key']}${KEY_FILES['invitee.key']}` };
    const { code, io } = await run(
      ['sign', '--server-name', 's', '--key', 'k', '--key-id', '2'],
      files,
      '{}',
    );
    expect(code).toBe(0);
    expect(Object.keys((io.json() as { signatures: { s: object } }).signatures.s)).toEqual(['ed25519:2']);
    const missing = await run(
      ['sign', '--server-name', 's', '--key', 'k', '--key-id', 'ed25519:9'],
      files,
      '{}',
    );
    expect(missing.code).toBe(2);
  });

  it('usage errors: missing --server-name/--key, --event without --room-version, bad key file', async () => {
    expect((await run(['sign', '--key', 'inviter.key'], KEY_FILES, '{}')).code).toBe(2);
    expect((await run(['sign', '--server-name', 's'], KEY_FILES, '{}')).code).toBe(2);
    expect(
      (await run(['sign', '--server-name', 's', '--key', 'inviter.key', '--event'], KEY_FILES, '{}')).code,
    ).toBe(2);
    expect(
      (
        await run(
          ['sign', '--server-name', 's', '--key', 'inviter.key', '--room-version', '10'],
          KEY_FILES,
          '{}',
        )
      ).code,
    ).toBe(2);
    const bad = await run(
      ['sign', '--server-name', 's', '--key', 'bad.key'],
      { 'bad.key': 'rsa 1 xyz\n' },
      '{}',
    );
    expect(bad.code).toBe(2);
    expect(bad.io.err()).toContain('unsupported algorithm');
  });

  it('refuses input that cannot be signed (exit 1)', async () => {
    expect((await run(['sign', '--server-name', 's', '--key', 'inviter.key'], KEY_FILES, '[]')).code).toBe(1);
    const event = await run(
      ['sign', '--event', '--room-version', '10', '--server-name', 's', '--key', 'inviter.key'],
      KEY_FILES,
      '{"type": "m.room.member"}',
    );
    expect(event.code).toBe(1);
  });

  it('--countersignPrepared adds a signature to a received event without touching hashes, like countersignEvent', async () => {
    const received = await signedInvite();
    const args = [
      'sign',
      '--event',
      '--countersign',
      '--room-version',
      '10',
      '--server-name',
      'invitee.example',
    ];
    const { code, io } = await run([...args, '--key', 'invitee.key'], KEY_FILES, received);
    expect(code).toBe(0);
    const out = parse(io.out());
    const key = parseSigningKeyFile(KEY_FILES['invitee.key']);
    if (E.isLeft(key) || key.right[0] === undefined) throw new Error('key');
    const expected = countersignEvent({
      event: parse(received),
      roomVersion: '10',
      serverName: 'invitee.example',
      signingKey: key.right[0],
    });
    expect(E.isRight(expected) && expected.right).toEqual(out);
    expect(out.hashes).toEqual(parse(received).hashes);
    // An altered received event keeps its hash with --countersign; plain --event refuses to re-hash it.
    const altered = JSON.stringify({ ...parse(received), origin_server_ts: 1 });
    expect((await run([...args, '--key', 'invitee.key'], KEY_FILES, altered)).code).toBe(0);
    const resign = await run(
      ['sign', '--event', '--room-version', '10', '--server-name', 'inviter.example', '--key', 'inviter.key'],
      KEY_FILES,
      altered,
    );
    expect(resign.code).toBe(1);
    expect(resign.io.err()).toContain('hashes.sha256');
    // --countersignPrepared is an --event mode.
    const usage = await run(
      ['sign', '--countersign', '--server-name', 's', '--key', 'inviter.key'],
      KEY_FILES,
      '{}',
    );
    expect(usage.code).toBe(2);
  });
});

describe('verify', () => {
  it('verifies a signed event (exit 0) and reports the event ID', async () => {
    const { code, io } = await run(
      ['verify', '--event', '--room-version', '10', '--keys', 'keys.json'],
      KEY_FILES,
      await signedInvite(),
    );
    expect(code).toBe(0);
    expect(io.json()).toMatchObject({
      valid: true,
      event_id: INVITE_V10.expected_event_id,
      servers: [{ server_name: 'inviter.example', verified: true }],
      content_hash: { matches: true },
    });
  });

  it('a tampered field kept by redaction fails the signature (exit 1)', async () => {
    const tampered = (await signedInvite()).replace('"membership": "invite"', '"membership": "join"');
    const { code, io } = await run(
      ['verify', '--event', '--room-version', '10', '--keys', 'keys.json'],
      KEY_FILES,
      tampered,
    );
    expect(code).toBe(1);
    expect(io.json()).toMatchObject({ valid: false, error: 'bad_signature' });
    expect(io.err()).toContain('inviter.example');
  });

  it('a tampered field outside the redacted form fails only the content hash (exit 1)', async () => {
    const tampered = (await signedInvite()).replace('"displayname": "Bob"', '"displayname": "Eve"');
    const { code, io } = await run(
      ['verify', '--event', '--room-version', '10', '--keys', 'keys.json'],
      KEY_FILES,
      tampered,
    );
    expect(code).toBe(1);
    expect(io.json()).toMatchObject({
      valid: false,
      servers: [{ verified: true }],
      content_hash: { matches: false },
    });
  });

  it('unknown keys make the event unverifiable (exit 1)', async () => {
    const files = {
      ...KEY_FILES,
      'other.json': '{"inviter.example": {"ed25519:other": "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg"}}',
    };
    const { code, io } = await run(
      ['verify', '--event', '--room-version', '10', '--keys', 'other.json'],
      files,
      await signedInvite(),
    );
    expect(code).toBe(1);
    expect(io.json()).toMatchObject({ valid: false, error: 'no_verifiable_signature' });
  });

  it('verifies JSON signatures of every server, or of --server-name', async () => {
    const seed = vectors.keys.invitee_bytes_0_31?.seed as string;
    const key = signingKeyFromSeed({ seed, version: '2' });
    if (E.isLeft(key)) throw new Error('key');
    const signed = signJson({
      value: { hello: 'world' },
      serverName: 'invitee.example',
      signingKey: key.right,
    });
    if (E.isLeft(signed)) throw new Error('sign');
    const text = JSON.stringify(signed.right);
    const all = await run(['verify', '--keys', 'keys.json'], KEY_FILES, text);
    expect(all.code).toBe(0);
    expect(all.io.json()).toEqual({
      valid: true,
      servers: [{ server_name: 'invitee.example', verified: true, verified_key_ids: ['ed25519:2'] }],
    });
    const other = await run(
      ['verify', '--keys', 'keys.json', '--server-name', 'inviter.example'],
      KEY_FILES,
      text,
    );
    expect(other.code).toBe(1);
    expect(other.io.json()).toMatchObject({ valid: false, servers: [{ error: 'missing_server' }] });
    const tampered = await run(['verify', '--keys', 'keys.json'], KEY_FILES, text.replace('world', 'there'));
    expect(tampered.code).toBe(1);
  });

  it('accepts a /_matrix/key/v2/server response and a key query response as keys files', async () => {
    const spec = vectors.keys.spec as { public_key: string };
    const serverKeys = {
      server_name: 'inviter.example',
      valid_until_ts: 4102444800000,
      verify_keys: { 'ed25519:1': { key: spec.public_key } },
      old_verify_keys: {},
      signatures: {},
    };
    const event = await signedInvite();
    for (const keys of [serverKeys, { server_keys: [serverKeys] }, [serverKeys]]) {
      const { code } = await run(
        ['verify', '--event', '--room-version', '10', '--keys', 'k.json'],
        { 'k.json': JSON.stringify(keys) },
        event,
      );
      expect(code).toBe(0);
    }
    // Room versions 5+: a key that expired before origin_server_ts is ignored.
    const expired = { ...serverKeys, valid_until_ts: 1600000000000 };
    const { code, io } = await run(
      ['verify', '--event', '--room-version', '10', '--keys', 'k.json'],
      { 'k.json': JSON.stringify(expired) },
      event,
    );
    expect(code).toBe(1);
    expect(JSON.stringify(io.json())).toContain('key_expired');
  });

  it('rejects malformed keys files as usage errors', () => {
    expect(E.isLeft(parseVerifyKeys(parse('{"s": "not an object"}')))).toBe(true);
    expect(E.isLeft(parseVerifyKeys(parse('{"s": {"ed25519:1": "c2hvcnQ"}}')))).toBe(true);
    expect(E.isLeft(parseVerifyKeys(parse('[{"server_name": 1}]')))).toBe(true);
    expect(E.isLeft(parseVerifyKeys(parse('"x"')))).toBe(true);
  });

  it('repeated --keys merge every file', async () => {
    const known = JSON.parse(KEY_FILES['keys.json']) as Record<string, Record<string, string>>;
    const files = {
      'inviter.json': JSON.stringify({ 'inviter.example': known['inviter.example'] }),
      'invitee.json': JSON.stringify({ 'invitee.example': known['invitee.example'] }),
    };
    const inviter = signingKeyFromSeed({ seed: vectors.keys.spec?.seed as string, version: '1' });
    const invitee = signingKeyFromSeed({
      seed: vectors.keys.invitee_bytes_0_31?.seed as string,
      version: '2',
    });
    if (E.isLeft(inviter) || E.isLeft(invitee)) throw new Error('key');
    const once = signJson({
      value: { hello: 'world' },
      serverName: 'inviter.example',
      signingKey: inviter.right,
    });
    if (E.isLeft(once)) throw new Error('sign');
    const twice = signJson({ value: once.right, serverName: 'invitee.example', signingKey: invitee.right });
    if (E.isLeft(twice)) throw new Error('sign');
    const { code, io } = await run(
      ['verify', '--keys', 'inviter.json', '--keys', 'invitee.json'],
      files,
      JSON.stringify(twice.right),
    );
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    expect((io.json() as { servers: { server_name: string }[] }).servers.map((s) => s.server_name)).toEqual([
      'inviter.example',
      'invitee.example',
    ]);
  });

  it('repeated --keys that disagree on a key are a usage error', async () => {
    const files = {
      'a.json': '{"inviter.example": {"ed25519:1": "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg"}}',
      'b.json': KEY_FILES['keys.json'],
    };
    const { code, io } = await run(['verify', '--keys', 'a.json', '--keys', 'b.json'], files, '{}');
    expect(code).toBe(2);
    expect(io.err()).toContain('inviter.example ed25519:1');
  });

  it('needs --keys (exit 2)', async () => {
    expect((await run(['verify'], {}, '{}')).code).toBe(2);
  });
});

describe('explain', () => {
  interface Explanation {
    verdict: string;
    summary: string[];
    signed_bytes: string;
    event_id: string;
    signatures: {
      server_name: string;
      key_id: string;
      status: string;
      reason?: string;
      verifies_as_room_versions?: string[];
    }[];
    unknown_key_ids: string[];
    removed_by_redaction: string[];
    content_hash: { matches: boolean; expected: string; received: string; hashed_bytes: string };
    pdu_shape: { valid: boolean };
  }

  it('a good event: the signed bytes are the vector, verdict verifies (exit 0)', async () => {
    const { code, io } = await run(
      ['explain', '--room-version', '10', '--keys', 'keys.json'],
      KEY_FILES,
      await signedInvite(),
    );
    expect(code).toBe(0);
    const out = io.json() as Explanation;
    expect(out.verdict).toBe('verifies');
    expect(out.signed_bytes).toBe(INVITE_V10.expected_signed_bytes);
    expect(out.event_id).toBe(INVITE_V10.expected_event_id);
    expect(out.removed_by_redaction).toEqual(['content.displayname']);
    expect(out.signatures).toEqual([
      { server_name: 'inviter.example', key_id: 'ed25519:1', required: true, status: 'verified' },
    ]);
    expect(out.content_hash.matches).toBe(true);
    expect(out.summary.at(-1)).toBe('VERDICT: verifies.');
  });

  it('without keys, every key ID is unknown and nothing verifies (exit 1)', async () => {
    const { code, io } = await run(['explain', '--room-version', '10'], {}, await signedInvite());
    expect(code).toBe(1);
    const out = io.json() as Explanation;
    expect(out.unknown_key_ids).toEqual(['inviter.example ed25519:1']);
    expect(out.summary.join('\n')).toContain('key unknown');
  });

  it('a room version mismatch: the failing signature verifies under the other redaction', async () => {
    const { code, io } = await run(
      ['explain', '--room-version', '11', '--keys', 'keys.json'],
      KEY_FILES,
      await signedInvite(),
    );
    expect(code).toBe(1);
    const out = io.json() as Explanation;
    expect(out.signatures[0]?.status).toBe('failed');
    expect(out.signatures[0]?.verifies_as_room_versions).toContain('10');
    expect(out.summary.join('\n')).toContain("another room version's redaction");
  });

  it('tampered content: the content hash does not match, and the countersignature is checked too', async () => {
    const invitee = vectors.keys.invitee_bytes_0_31?.seed as string;
    const key = signingKeyFromSeed({ seed: invitee, version: '2' });
    if (E.isLeft(key)) throw new Error('key');
    const event = parse(await signedInvite());
    const countersigned = signEvent({
      event,
      roomVersion: '10',
      serverName: 'invitee.example',
      signingKey: key.right,
    });
    if (E.isLeft(countersigned)) throw new Error('sign');
    const text = JSON.stringify(countersigned.right).replace('"displayname":"Bob"', '"displayname":"Eve"');
    const { code, io } = await run(
      ['explain', '--keys', 'keys.json'],
      KEY_FILES,
      JSON.stringify({ room_version: '10', event: JSON.parse(text) }),
    );
    expect(code).toBe(1);
    const out = io.json() as Explanation;
    expect(out.summary[0]).toContain('v2 request body');
    expect(out.content_hash).toMatchObject({ matches: false, received: INVITE_V10.expected_hashes_sha256 });
    expect(out.content_hash.hashed_bytes).toContain('"displayname":"Eve"');
    expect(out.signatures.map((s) => [s.server_name, s.status])).toEqual([
      ['inviter.example', 'verified'],
      ['invitee.example', 'verified'],
    ]);
  });

  it('needs a room version unless the input names one (exit 2)', async () => {
    expect((await run(['explain'], {}, INVITE_V10.input_json_text)).code).toBe(2);
  });

  it('an unredactable event is explained, not thrown (exit 1)', async () => {
    const { code, io } = await run(['explain', '--room-version', '10'], {}, '{"type": 5}');
    expect(code).toBe(1);
    expect((io.json() as Explanation).verdict).toBe('invalid');
  });
});
