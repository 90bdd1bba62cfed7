import { describe, expect, it } from 'vitest';
import { addSignature, verifyJsonSignatures } from '../../src/crypto/json-signing.js';
import type { SigningKey } from '../../src/crypto/types.js';
import { encodeBase64 } from '../../src/encoding/base64.js';
import {
  computeContentHash,
  computeEventId,
  computeReferenceHash,
  eventReference,
} from '../../src/events/hashes.js';
import { prepareEvent } from '../../src/events/prepared.js';
import {
  type CountersignEventParams,
  countersignEvent,
  countersignPrepared,
  type SignEventParams,
  signEvent,
  signEventPrepared,
} from '../../src/events/signing.js';
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
        const report = right(verifyEventSignatures({ event: signed.event, roomVersion: rv, keys }));
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
    expect(
      left(signEvent({ event: input, roomVersion: '1', serverName: 'domain', signingKey: keyOf(vector) }))
        .reason,
    ).toBe('missing_content');
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
          signEvent({
            event: parseEvent(vector.input_json_text),
            roomVersion: rv,
            serverName: vector.server_name,
            signingKey: inviterKey,
          }),
        );
        const prepared = right(prepareEvent(signed, rv));
        const counter = right(countersignPrepared(prepared, cs.server_name, inviteeKey));
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
        const report = right(verifyEventSignatures({ event: counter.event, roomVersion: rv, keys }));
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
    const once = right(signEvent({ event: base, roomVersion: '10', serverName: 'domain', signingKey: key }));
    const twice = right(signEvent({ event: once, roomVersion: '10', serverName: 'domain', signingKey: key }));
    expect(twice).toEqual(once);
  });

  it('typed errors, never throws', () => {
    expect(
      left(
        signEvent({
          event: withKey(base, 'hashes', 'x'),
          roomVersion: '10',
          serverName: 'domain',
          signingKey: key,
        }),
      ).reason,
    ).toBe('hashes_malformed');
    expect(
      left(
        signEvent({
          event: withKey(base, 'signatures', 'x'),
          roomVersion: '10',
          serverName: 'domain',
          signingKey: key,
        }),
      ).reason,
    ).toBe('signatures_malformed');
    expect(
      left(
        signEvent({
          event: withKey(base, 'signatures', { domain: [] }),
          roomVersion: '10',
          serverName: 'domain',
          signingKey: key,
        }),
      ).reason,
    ).toBe('signatures_malformed');
    expect(
      left(signEvent({ event: base, roomVersion: '99', serverName: 'domain', signingKey: key })).reason,
    ).toBe('unknown_room_version');
    expect(
      left(
        signEvent({
          event: null as unknown as JsonObject,
          roomVersion: '10',
          serverName: 'domain',
          signingKey: key,
        }),
      ).reason,
    ).toBe('not_an_object');
    expect(
      left(
        signEvent({
          event: omitKeys(base, ['content']),
          roomVersion: '10',
          serverName: 'domain',
          signingKey: key,
        }),
      ).reason,
    ).toBe('missing_content');
    const broken = {
      ...key,
      sign: () => {
        throw new Error('boom');
      },
    };
    expect(
      left(signEvent({ event: base, roomVersion: '10', serverName: 'domain', signingKey: broken })).reason,
    ).toBe('signing_failed');
  });
});

describe('signEvent: events you author', () => {
  const key = keyFromSeed(vectors.keys.spec?.seed as string, '1');
  const event = {
    type: 'm.room.member',
    state_key: '@bob:invitee.example',
    sender: '@alice:inviter.example',
    room_id: '!room:inviter.example',
    origin_server_ts: 1700000000000,
    depth: 3,
    auth_events: [],
    prev_events: [],
    content: { membership: 'invite' },
  };

  it('signs as the server of sender when no serverName is given', () => {
    const signed = right(signEvent({ event, roomVersion: '10', signingKey: key }));
    expect(Object.keys(signed.signatures)).toEqual(['inviter.example']);
    expect(signed).toEqual(
      right(signEvent({ event, roomVersion: '10', signingKey: key, serverName: 'inviter.example' })),
    );
    expect(signed.hashes.sha256).toBe(right(computeContentHash(event)));
    expect(
      left(signEvent({ event: { ...event, sender: 'nocolon' }, roomVersion: '10', signingKey: key })),
    ).toMatchObject({ reason: 'invalid_sender', path: ['sender'] });
  });

  it('refuses to re-hash an event whose content changed after it was hashed (content_hash_mismatch)', () => {
    const signed = right(signEvent({ event, roomVersion: '10', signingKey: key }));
    const altered = { ...signed, content: { membership: 'invite', displayname: 'Mallory' } };
    expect(left(signEvent({ event: altered, roomVersion: '10', signingKey: key }))).toMatchObject({
      kind: 'EventError',
      reason: 'content_hash_mismatch',
      path: ['hashes', 'sha256'],
    });
    // A still-correct hash is signed again (our own signature replaced, same bytes).
    expect(right(signEvent({ event: signed, roomVersion: '10', signingKey: key }))).toEqual(signed);
  });

  it('accepts a mutable object literal with an undefined member, signed as if the member were absent', () => {
    const withUndefined: { [key: string]: unknown } = { ...event, redacts: undefined };
    const signed = right(
      signEvent({ event: withUndefined as typeof event, roomVersion: '10', signingKey: key }),
    );
    expect(signed.signatures).toEqual(
      right(signEvent({ event, roomVersion: '10', signingKey: key })).signatures,
    );
  });

  it('refuses parameters that are not { event, roomVersion, signingKey }, without throwing', () => {
    expect(left(signEvent(null as unknown as SignEventParams)).reason).toBe('invalid_input');
    expect(left(signEvent({ event, roomVersion: '10', signingKey: {} as SigningKey })).reason).toBe(
      'invalid_input',
    );
    expect(
      left(signEvent({ event, roomVersion: '10', signingKey: key, serverName: 5 as unknown as string }))
        .reason,
    ).toBe('invalid_input');
    expect(
      left(
        signEvent({
          event: { ...event, signatures: { 'other.example': { 'ed25519:1': 5 } } },
          roomVersion: '10',
          signingKey: key,
        }),
      ),
    ).toMatchObject({ reason: 'signatures_malformed', path: ['signatures', 'other.example'] });
  });
});

describe('countersignEvent: events you received', () => {
  const inviterKey = keyFromSeed(vectors.keys.spec?.seed as string, '1');
  const inviteeKey = keyFromSeed(vectors.keys.invitee_bytes_0_31?.seed as string, '2');
  const event = right(
    signEvent({
      event: {
        type: 'm.room.member',
        state_key: '@bob:invitee.example',
        sender: '@alice:inviter.example',
        room_id: '!room:inviter.example',
        origin_server_ts: 1700000000000,
        depth: 3,
        auth_events: [],
        prev_events: [],
        content: { membership: 'invite' },
        unsigned: { age: 5 },
      },
      roomVersion: '10',
      signingKey: inviterKey,
    }),
  );
  const params = { roomVersion: '10', signingKey: inviteeKey, serverName: 'invitee.example' };

  it('adds only a signature: hashes, other signatures and unsigned are kept; both verify', () => {
    const counter = right(countersignEvent({ event, ...params }));
    expect(omitKeys(counter, ['signatures'])).toEqual(omitKeys(event, ['signatures']));
    expect(counter.signatures['inviter.example']).toEqual(event.signatures['inviter.example']);
    expect(Object.keys(counter.signatures['invitee.example'] ?? {})).toEqual(['ed25519:2']);
    const keys = lookupOf([
      ['inviter.example', inviterKey],
      ['invitee.example', inviteeKey],
    ]);
    expect(
      right(
        verifyJsonSignatures({
          value: withKey(right(prepareEvent(counter, '10')).redacted, 'signatures', counter.signatures),
          serverName: 'invitee.example',
          keys,
        }),
      ),
    ).toEqual(['ed25519:2']);
    expect(
      right(verifyEventSignatures({ event: counter, roomVersion: '10', keys })).contentHash?.matches,
    ).toBe(true);
  });

  it('never recomputes hashes: altered content keeps its old hash (and then fails the content hash check)', () => {
    const altered = { ...event, content: { membership: 'invite', displayname: 'Mallory' } };
    const counter = right(countersignEvent({ event: altered, ...params }));
    expect(counter.hashes).toEqual(event.hashes);
    const keys = lookupOf([['inviter.example', inviterKey]]);
    // The redacted form (what signatures cover) keeps only `membership`: the signature still verifies, the hash not.
    expect(
      right(verifyEventSignatures({ event: counter, roomVersion: '10', keys })).contentHash?.matches,
    ).toBe(false);
  });

  it('needs a received event: hashes.sha256 present, signatures well formed; never throws', () => {
    expect(left(countersignEvent({ event: omitKeys(event, ['hashes']), ...params })).reason).toBe(
      'hashes_malformed',
    );
    expect(
      left(countersignEvent({ event: withKey(event, 'hashes', { sha512: 'x' }), ...params })).reason,
    ).toBe('hashes_missing_sha256');
    expect(left(countersignEvent({ event: withKey(event, 'signatures', []), ...params })).reason).toBe(
      'signatures_malformed',
    );
    expect(left(countersignEvent({ event: null as unknown as JsonObject, ...params })).reason).toBe(
      'not_an_object',
    );
    expect(left(countersignEvent({ event, ...params, roomVersion: '99' })).reason).toBe(
      'unknown_room_version',
    );
    expect(left(countersignEvent(null as unknown as CountersignEventParams)).reason).toBe('invalid_input');
    expect(left(countersignEvent({ event, ...params, signingKey: {} as SigningKey })).reason).toBe(
      'invalid_input',
    );
    expect(
      left(countersignEvent({ event, ...params, serverName: undefined as unknown as string })).reason,
    ).toBe('invalid_input');
  });
});

describe('eventReference', () => {
  const key = keyFromSeed(vectors.keys.spec?.seed as string, '1');
  const create = (rv: string) =>
    right(
      signEvent({
        event: {
          type: 'm.room.create',
          state_key: '',
          sender: '@alice:inviter.example',
          ...(rv === '12' ? {} : { room_id: '!room:inviter.example' }),
          ...(Number(rv) <= 2 ? { event_id: '$create:inviter.example' } : {}),
          origin_server_ts: 1700000000000,
          depth: 1,
          auth_events: [],
          prev_events: [],
          content:
            Number(rv) >= 11 ? { room_version: rv } : { creator: '@alice:inviter.example', room_version: rv },
        },
        roomVersion: rv,
        signingKey: key,
      }),
    );

  it('rooms 3+: the event ID', () => {
    for (const rv of ['3', '10', '12']) {
      expect(right(eventReference(create(rv), rv))).toBe(right(computeEventId(create(rv), rv)));
    }
  });

  it('rooms 1-2: [event_id, { sha256: reference hash in unpadded standard base64 }]', () => {
    for (const rv of ['1', '2']) {
      const event = create(rv);
      expect(right(eventReference(event, rv))).toEqual([
        '$create:inviter.example',
        { sha256: encodeBase64(right(computeReferenceHash(event, rv))) },
      ]);
    }
    expect(left(eventReference(omitKeys(create('1'), ['event_id']), '1'))).toMatchObject({
      reason: 'invalid_event_id',
      path: ['event_id'],
    });
  });

  it('typed errors for unknown room versions and events that cannot be redacted', () => {
    expect(left(eventReference(create('10'), '99')).reason).toBe('unknown_room_version');
    expect(left(eventReference(omitKeys(create('10'), ['content']), '10')).reason).toBe('missing_content');
  });
});
