import { describe, expect, it } from 'vitest';
import { addSignature } from '../../src/crypto/json-signing.js';
import { encodeBase64 } from '../../src/encoding/base64.js';
import { computeContentHash, computeEventId } from '../../src/events/hashes.js';
import { prepareEvent } from '../../src/events/prepared.js';
import { countersign, signEvent, signEventPrepared } from '../../src/events/signing.js';
import { verifyEventSignatures } from '../../src/events/verify.js';
import { encodeCanonicalJsonBytes } from '../../src/json/canonical.js';
import { type JsonObject, omitKeys, withKey } from '../../src/json/value.js';
import { type Vector, vectors } from '../helpers/fixtures.js';
import { keyFromSeed, left, lookupOf, parseEvent, right } from './helpers.js';

const V1_TO_10 = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];

/** The room versions a vector's `room_version_or_redaction_rules` names. */
function versionsOf(vector: Vector): string[] {
  const label = vector.room_version_or_redaction_rules as string;
  if (label.startsWith('v11 redaction')) return ['11', '12'];
  if (label.startsWith('v1 redaction') || label === 'RedactionRules::V1' || label === 'room version 1')
    return V1_TO_10;
  if (label === 'room version 10') return V1_TO_10;
  if (label === 'room version 11' || label === 'room version 12') return ['11', '12'];
  throw new Error(`unmapped ${label}`);
}

const keyOf = (vector: Vector) =>
  keyFromSeed(vector.seed as string, (vector.key_id as string).split(':')[1] as string);

/** The expected output: input with hashes = {sha256}, signatures[server][keyId] = sig, everything else kept. */
function expectedOutput(vector: Vector, input: JsonObject): JsonObject {
  const hashes = withKey(
    (input.hashes as JsonObject | undefined) ?? {},
    'sha256',
    vector.expected_hashes_sha256,
  );
  const withHashes = withKey(input, 'hashes', hashes);
  const signed = addSignature(withHashes, vector.server_name, vector.key_id, vector.expected_signature);
  return right(signed);
}

describe('signEvent: every event_signing vector, for the room versions it names', () => {
  for (const vector of vectors.event_signing) {
    if (vector.id === 'gmsl-no-content') continue;
    for (const rv of versionsOf(vector)) {
      it(`${vector.id} in room ${rv}`, () => {
        const input = parseEvent(vector.input_json_text);
        const inputCopy = JSON.stringify(input);
        const signed = right(signEventPrepared(input, rv, vector.server_name, keyOf(vector)));
        expect(signed.signature).toBe(vector.expected_signature);
        expect(signed.event).toEqual(expectedOutput(vector, input));
        expect(JSON.stringify(input)).toBe(inputCopy); // never mutated
        if (vector.expected_signed_bytes !== undefined) {
          expect(Buffer.from(signed.prepared.signingBytes).toString('utf8')).toBe(
            vector.expected_signed_bytes,
          );
        }
        if (vector.expected_event_id !== undefined && Number(rv) >= 4) {
          expect(right(signed.prepared.eventId())).toBe(vector.expected_event_id);
          expect(right(computeEventId(signed.event, rv))).toBe(vector.expected_event_id);
        }
        // And it verifies (where the event names a sender, and in rooms 1-2 an event_id).
        if (input.sender === undefined || (Number(rv) <= 2 && input.event_id === undefined)) return;
        const keys = lookupOf([[vector.server_name, keyOf(vector)]]);
        const report = right(verifyEventSignatures(signed.event, rv, keys));
        expect(report.contentHash?.matches).toBe(true);
      });
    }
  }

  it('v11 variants do NOT reproduce with RV1-10 rules and vice versa', () => {
    const minimal = vectors.event_signing.find((v) => v.id === 'spec-event-minimal') as Vector;
    const minimalV11 = vectors.event_signing.find((v) => v.id === 'spec-event-minimal-v11') as Vector;
    const input = parseEvent(minimal.input_json_text);
    expect(right(signEventPrepared(input, '11', 'domain', keyOf(minimal))).signature).not.toBe(
      minimal.expected_signature,
    );
    expect(right(signEventPrepared(input, '10', 'domain', keyOf(minimal))).signature).not.toBe(
      minimalV11.expected_signature,
    );
  });

  it('gmsl-no-content: we refuse events without content; the vector reproduces with content {} in the redacted form', () => {
    const vector = vectors.event_signing.find((v) => v.id === 'gmsl-no-content') as Vector;
    const input = parseEvent(vector.input_json_text);
    expect(left(signEvent(input, '1', 'domain', keyOf(vector))).reason).toBe('redaction_failed');
    expect(right(computeContentHash(input))).toBe(vector.expected_hashes_sha256);
    const hashed = withKey(input, 'hashes', { sha256: vector.expected_hashes_sha256 });
    const prepared = right(prepareEvent(withKey(hashed, 'content', {}), '1'));
    expect(encodeBase64(keyOf(vector).sign(prepared.signingBytes))).toBe(vector.expected_signature);
    const bare = right(encodeCanonicalJsonBytes(hashed));
    expect(encodeBase64(keyOf(vector).sign(bare))).toBe(vector.signature_without_content_key);
  });
});

describe('countersign: invite vectors', () => {
  for (const vector of vectors.event_signing.filter((v) => v.countersignature !== undefined)) {
    for (const rv of versionsOf(vector)) {
      it(`${vector.id} in room ${rv}`, () => {
        const inviterKey = keyOf(vector);
        const cs = vector.countersignature as Vector;
        const inviteeKey = keyFromSeed(cs.seed as string, (cs.key_id as string).split(':')[1] as string);
        const signed = right(
          signEvent(parseEvent(vector.input_json_text), rv, vector.server_name, inviterKey),
        );
        const prepared = right(prepareEvent(signed, rv));
        const counter = right(countersign(prepared, cs.server_name, inviteeKey));
        expect(counter.signature).toBe(cs.expected_signature);
        const signatures = counter.event.signatures as JsonObject;
        expect(signatures[vector.server_name]).toEqual({ [vector.key_id]: vector.expected_signature });
        expect(signatures[cs.server_name]).toEqual({ [cs.key_id]: cs.expected_signature });
        // Everything but signatures is untouched (hashes are not recomputed, unsigned kept).
        expect(omitKeys(counter.event, ['signatures'])).toEqual(omitKeys(signed, ['signatures']));
        // The prepared form is shared: same bytes, same event ID.
        expect(counter.prepared.signingBytes).toBe(prepared.signingBytes);
        expect(counter.prepared.event).toBe(counter.event);
        if (Number(rv) <= 2) return; // no event_id in these vectors: rooms 1-2 cannot verify them
        const keys = lookupOf([
          [vector.server_name, inviterKey],
          [cs.server_name, inviteeKey],
        ]);
        const report = right(verifyEventSignatures(counter.event, rv, keys));
        expect(report.servers.map((s) => s.serverName)).toEqual([vector.server_name]);
      });
    }
  }
});

describe('signEvent edge cases', () => {
  const key = keyFromSeed(vectors.keys.spec?.seed as string, '1');
  const base = parseEvent(vectors.event_signing[0]?.input_json_text);

  it('keeps other hash algorithms (and signs them) and other signatures, including policy_server', () => {
    const input = withKey(withKey(base, 'hashes', { sha512: 'other' }), 'signatures', {
      domain: { 'ed25519:policy_server': 'p' },
      'other.example': { 'ed25519:x': 'y' },
    });
    const signed = right(signEventPrepared(input, '10', 'domain', key));
    expect(signed.event.hashes).toEqual({ sha512: 'other', sha256: right(computeContentHash(base)) });
    expect(signed.event.signatures).toEqual({
      domain: { 'ed25519:policy_server': 'p', 'ed25519:1': signed.signature },
      'other.example': { 'ed25519:x': 'y' },
    });
    expect(Buffer.from(signed.prepared.signingBytes).toString()).toContain('"sha512":"other"');
    expect(signed.event.unsigned).toBe(base.unsigned);
  });

  it('re-signing replaces our own signature under the same key ID', () => {
    const once = right(signEvent(base, '10', 'domain', key));
    const twice = right(signEvent(once, '10', 'domain', key));
    expect(twice).toEqual(once);
  });

  it('typed errors, never throws', () => {
    expect(left(signEvent(withKey(base, 'hashes', 'x'), '10', 'domain', key)).reason).toBe(
      'hashes_malformed',
    );
    expect(left(signEvent(withKey(base, 'signatures', 'x'), '10', 'domain', key)).reason).toBe(
      'signatures_malformed',
    );
    expect(left(signEvent(withKey(base, 'signatures', { domain: [] }), '10', 'domain', key)).reason).toBe(
      'signatures_malformed',
    );
    expect(left(signEvent(base, '99', 'domain', key)).reason).toBe('unknown_room_version');
    expect(left(signEvent(null as unknown as JsonObject, '10', 'domain', key)).reason).toBe('not_an_object');
    expect(left(signEvent(omitKeys(base, ['content']), '10', 'domain', key)).reason).toBe('redaction_failed');
    const broken = {
      ...key,
      sign: () => {
        throw new Error('boom');
      },
    };
    expect(left(signEvent(base, '10', 'domain', broken)).reason).toBe('signing_failed');
  });
});
