import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/main.js';
import { computeContentHash } from '../../src/events/hashes.js';
import { redactEvent } from '../../src/events/redaction.js';
import { encodeCanonicalJson } from '../../src/json/canonical.js';
import { parseJson } from '../../src/json/parse.js';
import type { JsonObject } from '../../src/json/value.js';
import { vectors } from '../helpers/fixtures.js';
import { INVITE_V10, run } from './helpers.js';

const parse = (text: string): JsonObject => {
  const parsed = parseJson(text);
  if (E.isLeft(parsed)) throw new Error(parsed.left.message);
  return parsed.right as JsonObject;
};

describe('matrix-invite (top level)', () => {
  it('lists every command with --help and exits 0', async () => {
    const { code, io } = await run(['--help']);
    expect(code).toBe(0);
    for (const command of COMMANDS) expect(io.out()).toContain(`  ${command.name}`);
  });

  it('prints usage to stderr and exits 2 without a command, or with an unknown one', async () => {
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.io.err()).toContain('Usage: matrix-invite');
    const unknown = await run(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.io.err()).toContain('unknown command "frobnicate"');
  });

  it('prints the version', async () => {
    const { code, io } = await run(['--version']);
    expect(code).toBe(0);
    expect(io.out()).toBe('9.9.9\n');
  });

  it.each(COMMANDS.map((c) => c.name))('%s --help prints its usage and exits 0', async (name) => {
    const { code, io } = await run([name, '--help']);
    expect(code).toBe(0);
    expect(io.out()).toContain(`Usage: matrix-invite ${name}`);
    expect(io.out()).toContain('Exit codes');
    const viaHelp = await run(['help', name]);
    expect(viaHelp.io.out()).toBe(io.out());
  });

  it.each(COMMANDS.map((c) => c.name))('%s rejects an unknown option with exit 2', async (name) => {
    const { code, io } = await run([name, '--no-such-option']);
    expect(code).toBe(2);
    expect(io.err()).toContain(`matrix-invite ${name}:`);
    expect(io.out()).toBe('');
  });
});

describe('canonical', () => {
  // python-canonicaljson (what Synapse signs) is the oracle.
  const cases = vectors.canonical_json.filter((v) => typeof v.python_canonicaljson_output === 'string');
  it.each(cases.map((v) => [v.id as string, v] as const))('matches vector %s', async (_id, v) => {
    const { code, io } = await run(['canonical', '-n'], {}, v.input_json_text as string);
    expect(code).toBe(0);
    expect(io.out()).toBe(v.python_canonicaljson_output);
  });

  it('reads a file argument and ends with a newline by default', async () => {
    const { code, io } = await run(['canonical', 'in.json'], {
      'in.json': '{"b": 2, "a": [1.0, 9007199254740993]}',
    });
    expect(code).toBe(0);
    expect(io.out()).toBe('{"a":[1.0,9007199254740993],"b":2}\n');
  });

  it('--strict rejects floats and big integers with the JSON path (exit 1)', async () => {
    const { code, io } = await run(['canonical', '--strict'], {}, '{"a": {"b": 1.0}}');
    expect(code).toBe(1);
    expect(io.out()).toBe('');
    expect(io.err()).toContain('$.a.b');
  });

  it('rejects invalid JSON with exit 1 and a byte offset', async () => {
    const { code, io } = await run(['canonical'], {}, '{"a": NaN}');
    expect(code).toBe(1);
    expect(io.err()).toMatch(/not valid JSON: .*\(at byte \d+\)/);
  });

  it('names the byte offset of bad JSON once', async () => {
    const { code, io } = await run(['canonical'], {}, '{"a":1.0,');
    expect(code).toBe(1);
    expect(io.err()).toBe(
      'matrix-invite canonical: input is not valid JSON: expecting a property name enclosed in double quotes (at byte 9)\n',
    );
  });

  it('--strict prints a float as it was written', async () => {
    const one = await run(['canonical', '--strict'], {}, '{"a": 1.0}');
    expect(one.io.err()).toBe(
      'matrix-invite canonical: no strict canonical JSON form: float 1.0 is not allowed in canonical JSON at $.a\n',
    );
    const exponent = await run(['canonical', '--strict'], {}, '[1e5]');
    expect(exponent.io.err()).toContain('float 1e5 is not allowed');
  });

  it('rejects invalid UTF-8 instead of replacing it', async () => {
    const { code } = await run(['canonical'], {}, new Uint8Array([0x22, 0xff, 0x22]));
    expect(code).toBe(1);
  });

  it('a missing file is a usage error (exit 2)', async () => {
    const { code, io } = await run(['canonical', 'missing.json']);
    expect(code).toBe(2);
    expect(io.err()).toContain('cannot read input file "missing.json" (ENOENT)');
  });

  it('more than one input file is a usage error', async () => {
    const { code } = await run(['canonical', 'a.json', 'b.json']);
    expect(code).toBe(2);
  });
});

describe('content-hash', () => {
  it('computes the hash of an unhashed event', async () => {
    const { code, io } = await run(['content-hash'], {}, INVITE_V10.input_json_text);
    expect(code).toBe(0);
    expect(io.json()).toEqual({ sha256: INVITE_V10.expected_hashes_sha256 });
  });

  it('compares with hashes.sha256: match exits 0, mismatch exits 1', async () => {
    const event = {
      ...JSON.parse(INVITE_V10.input_json_text),
      hashes: { sha256: INVITE_V10.expected_hashes_sha256 },
    };
    const ok = await run(['content-hash'], {}, JSON.stringify(event));
    expect(ok.code).toBe(0);
    expect(ok.io.json()).toMatchObject({ matches: true });
    const tampered = { ...event, content: { membership: 'invite', displayname: 'Eve' } };
    const bad = await run(['content-hash'], {}, JSON.stringify(tampered));
    expect(bad.code).toBe(1);
    const expected = computeContentHash(tampered);
    expect(bad.io.json()).toEqual({
      sha256: E.isRight(expected) ? expected.right : '',
      received: INVITE_V10.expected_hashes_sha256,
      matches: false,
    });
  });

  it('reports a malformed hashes object (exit 1)', async () => {
    const { code, io } = await run(
      ['content-hash'],
      {},
      '{"type":"m.room.member","content":{},"hashes":{"sha256":5}}',
    );
    expect(code).toBe(1);
    expect(io.json()).toMatchObject({ matches: false, error: expect.stringContaining('sha256') });
  });

  it('refuses a non-object (exit 1)', async () => {
    expect((await run(['content-hash'], {}, '[1]')).code).toBe(1);
  });
});

describe('redact', () => {
  it('prints what redactEvent returns', async () => {
    const event = parse(INVITE_V10.input_json_text);
    const { code, io } = await run(['redact', '--room-version', '11', 'e.json'], {
      'e.json': INVITE_V10.input_json_text,
    });
    expect(code).toBe(0);
    const expected = redactEvent(event, '11');
    expect(E.isRight(expected)).toBe(true);
    if (E.isRight(expected)) {
      expect(encodeCanonicalJson(parse(io.out()))).toEqual(encodeCanonicalJson(expected.right));
    }
    expect(io.json()).not.toHaveProperty('origin');
  });

  it('needs --room-version (exit 2) and rejects an unknown one (exit 1)', async () => {
    expect((await run(['redact'], {}, '{}')).code).toBe(2);
    const unknown = await run(['redact', '--room-version', '99'], {}, INVITE_V10.input_json_text);
    expect(unknown.code).toBe(1);
    expect(unknown.io.err()).toContain('99');
  });

  it('rejects an event without content (exit 1)', async () => {
    expect((await run(['redact', '--room-version', '10'], {}, '{"type":"m.room.member"}')).code).toBe(1);
  });
});

describe('event-id', () => {
  const vector = vectors.event_ids.find((v) => v.id === 'synapse-calculate-event-id') as {
    input_json_text: string;
    expected: Record<string, string>;
  };

  it.each(['3', '10'])('matches Synapse in room version %s', async (version) => {
    const { code, io } = await run(['event-id', '--room-version', version], {}, vector.input_json_text);
    expect(code).toBe(0);
    expect(io.json()).toEqual({ event_id: vector.expected[version] });
  });

  it('refuses room versions 1 and 2 (exit 1)', async () => {
    const { code, io } = await run(['event-id', '--room-version', '2'], {}, vector.input_json_text);
    expect(code).toBe(1);
    expect(io.err()).toContain('event_id');
  });
});

describe('room-id', () => {
  const vector = vectors.room_ids[0] as {
    input_json_text: string;
    expected_room_id: string;
    expected_create_event_id: string;
  };

  it('derives the v12 room ID from the create event', async () => {
    const { code, io } = await run(['room-id'], {}, vector.input_json_text);
    expect(code).toBe(0);
    expect(io.json()).toEqual({
      room_id: vector.expected_room_id,
      create_event_id: vector.expected_create_event_id,
    });
  });

  it('refuses a non-create event and a room version without derived room IDs', async () => {
    expect((await run(['room-id'], {}, INVITE_V10.input_json_text)).code).toBe(1);
    expect((await run(['room-id', '--room-version', '11'], {}, vector.input_json_text)).code).toBe(1);
  });
});
