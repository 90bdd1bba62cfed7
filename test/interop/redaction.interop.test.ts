/**
 * Redaction against the upstream vectors (test/fixtures/vectors.json, redaction section). There is no Python redaction oracle in Debian, but
 * event signatures and reference hashes cover exactly the redacted form, so a vector reproduces only when the
 * redaction is right. This file signs / hashes our redacted output with node:crypto (independent of the library's
 * own crypto module) and compares with the vectors' expected values.
 */
import { createHash, createPrivateKey, sign } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { encodeBase64 } from '../../src/encoding/base64.js';
import { redactEvent } from '../../src/events/redaction.js';
import { encodeCanonicalJson } from '../../src/json/canonical.js';
import { type JsonObject, omitKeys, withKey } from '../../src/json/value.js';
import { type Vector, vectors } from '../helpers/fixtures.js';

/** Room versions each event_signing vector reproduces in (by its room_version_or_redaction_rules). */
const VERSIONS_FOR: Record<string, readonly string[]> = {
  'spec-event-minimal': ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
  'spec-event-message': ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
  'spec-event-minimal-v11': ['11', '12'],
  'spec-event-message-v11': ['11', '12'],
  'synapse-sign-minimal': ['1'],
  'synapse-sign-message': ['1'],
  'ruma-event-minimal': ['1', '5', '10'],
  'ruma-event-message': ['1', '5', '10'],
  'invite-v10': ['10'],
  'invite-v11': ['11'],
  'invite-v12': ['12'],
};

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function signWithSeed(seedBase64: string, message: string): string {
  const seed = Buffer.from(seedBase64, 'base64');
  const key = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  return encodeBase64(sign(null, Buffer.from(message, 'utf8'), key));
}

const canonical = (value: JsonObject): string => {
  const encoded = encodeCanonicalJson(value);
  if (E.isLeft(encoded)) throw new Error(encoded.left.message);
  return encoded.right;
};

const redacted = (event: JsonObject, roomVersion: string): JsonObject => {
  const r = redactEvent(event, roomVersion);
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

/** The object an event signature covers: the redacted event with hashes set, minus signatures and unsigned. */
function signedForm(
  vector: Vector,
  roomVersion: string,
  input: JsonObject = JSON.parse(vector.input_json_text),
) {
  const hashed = withKey(input, 'hashes', { sha256: vector.expected_hashes_sha256 });
  return omitKeys(redacted(hashed, roomVersion), ['signatures', 'unsigned']);
}

describe('event_signing vectors reproduce with our redaction', () => {
  const byId = new Map(vectors.event_signing.map((v) => [v.id as string, v]));

  it('covers every event_signing vector', () => {
    expect([...byId.keys()].sort()).toEqual([...Object.keys(VERSIONS_FOR), 'gmsl-no-content'].sort());
  });

  for (const [id, roomVersions] of Object.entries(VERSIONS_FOR)) {
    it.each(roomVersions)(`${id} in room version %s`, (roomVersion) => {
      const vector = byId.get(id) as Vector;
      const form = signedForm(vector, roomVersion);
      if (vector.expected_signed_bytes !== undefined)
        expect(canonical(form)).toBe(vector.expected_signed_bytes);
      expect(signWithSeed(vector.seed, canonical(form))).toBe(vector.expected_signature);
    });
  }

  // (invite-v11 has no top-level origin, so it reproduces with v1-10 redaction too.)
  it('the v1-10 vectors do not reproduce with v11 redaction and vice versa (redaction is per room version)', () => {
    for (const [id, other] of [
      ['spec-event-minimal', '11'],
      ['spec-event-message', '12'],
      ['spec-event-minimal-v11', '10'],
      ['invite-v10', '11'],
    ] as const) {
      const vector = byId.get(id) as Vector;
      expect(signWithSeed(vector.seed, canonical(signedForm(vector, other)))).not.toBe(
        vector.expected_signature,
      );
    }
  });

  it('redacted forms have the keys the spec redaction algorithms list', () => {
    const v10 = signedForm(byId.get('invite-v10') as Vector, '10');
    expect(Object.keys(v10).sort()).toEqual(
      [
        'auth_events',
        'content',
        'depth',
        'hashes',
        'origin',
        'origin_server_ts',
        'prev_events',
        'room_id',
        'sender',
        'state_key',
        'type',
      ].sort(),
    );
    expect(v10.content).toEqual({ membership: 'invite' });
    const v12 = signedForm(byId.get('invite-v12') as Vector, '12');
    expect(Object.keys(v12).sort()).toEqual(
      Object.keys(v10)
        .filter((k) => k !== 'origin')
        .sort(),
    );
    const message = signedForm(byId.get('spec-event-message') as Vector, '1');
    expect(message.content).toEqual({});
    expect(message).toHaveProperty('event_id', '$0:domain');
    expect(message).toHaveProperty('origin', 'domain');
  });

  it('gmsl-no-content: rejected (as Synapse does); its signature is that of the event with content {}', () => {
    const vector = byId.get('gmsl-no-content') as Vector;
    const input = JSON.parse(vector.input_json_text) as JsonObject;
    const r = redactEvent(input, '1');
    expect(E.isLeft(r) && r.left.reason).toBe('missing_content');
    // gomatrixserverlib's redaction invents "content": {}; the hash stays that of the content-less input.
    const form = signedForm(vector, '1', withKey(input, 'content', {}));
    expect(signWithSeed(vector.seed, canonical(form))).toBe(vector.expected_signature);
  });
});

describe('reference hashes (event IDs) reproduce with our redaction', () => {
  const referenceHash = (event: JsonObject, roomVersion: string): Buffer =>
    createHash('sha256')
      .update(canonical(omitKeys(redacted(event, roomVersion), ['signatures', 'unsigned'])), 'utf8')
      .digest();

  it('synapse-calculate-event-id (v3 standard, v4-10 URL-safe, v11-12 derived)', () => {
    const vector = vectors.event_ids.find((v) => v.id === 'synapse-calculate-event-id') as Vector;
    const event = JSON.parse(vector.input_json_text) as JsonObject;
    expect(`$${encodeBase64(referenceHash(event, '3'))}`).toBe(vector.expected['3']);
    for (const rv of ['4', '7', '10'])
      expect(`$${encodeBase64(referenceHash(event, rv), { urlSafe: true })}`).toBe(vector.expected['10']);
    for (const rv of ['11', '12']) {
      expect(`$${encodeBase64(referenceHash(event, rv), { urlSafe: true })}`).toBe(
        vector.computed_event_id_v11_v12,
      );
    }
  });

  it('spec-event-minimal-reference-hash', () => {
    const vector = vectors.event_ids.find((v) => v.id === 'spec-event-minimal-reference-hash') as Vector;
    const event = JSON.parse(vector.input_json_text) as JsonObject;
    expect(`$${encodeBase64(referenceHash(event, '10'))}`).toBe(vector.expected['v1-redaction (rooms 3-10)']);
    expect(`$${encodeBase64(referenceHash(event, '11'))}`).toBe(
      vector.expected['v11-redaction standard alphabet'],
    );
    expect(`$${encodeBase64(referenceHash(event, '12'), { urlSafe: true })}`).toBe(
      vector.expected['v11-redaction URL-safe (rooms 11-12)'],
    );
  });

  it.each([
    ['invite-v10-event-id', '10'],
    ['invite-v11-event-id', '11'],
    ['invite-v12-event-id', '12'],
  ])('%s', (id, roomVersion) => {
    const vector = vectors.event_ids.find((v) => v.id === id) as Vector;
    const signing = vectors.event_signing.find((v) => v.id === vector.see_event_signing) as Vector;
    const event = withKey(JSON.parse(signing.input_json_text), 'hashes', {
      sha256: signing.expected_hashes_sha256,
    });
    expect(`$${encodeBase64(referenceHash(event, roomVersion), { urlSafe: true })}`).toBe(vector.expected);
  });

  it('synapse-v12-create: the room ID needs the whole create content (v11 keeps "all")', () => {
    const vector = vectors.room_ids.find((v) => v.id === 'synapse-v12-create') as Vector;
    const create = JSON.parse(vector.input_json_text) as JsonObject;
    const hash = encodeBase64(referenceHash(create, '12'), { urlSafe: true });
    expect(`!${hash}`).toBe(vector.expected_room_id);
    expect(`$${hash}`).toBe(vector.expected_create_event_id);
    // With v1-10 rules the predecessor would be stripped and the ID would differ.
    expect(`!${encodeBase64(referenceHash(create, '10'), { urlSafe: true })}`).not.toBe(
      vector.expected_room_id,
    );
  });
});
