import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { availableBackends } from '../../src/crypto/ed25519.js';
import type { KeyLookup } from '../../src/crypto/types.js';
import { prepareEvent } from '../../src/events/prepared.js';
import { signEvent } from '../../src/events/signing.js';
import {
  MAX_KEY_VALIDITY_MS,
  type VerifyEventSignaturesParams,
  verifyEventSignatures,
  verifyPreparedEvent,
} from '../../src/events/verify.js';
import { JsonFloat, type JsonObject, type JsonValue, omitKeys, withKey } from '../../src/json/value.js';
import { defineRoomVersion } from '../../src/room-versions/versions.js';
import { type Vector, vectors } from '../helpers/fixtures.js';
import { ALL_ROOM_VERSIONS, keyFromSeed, left, lookupOf, namedKey, parseEvent, right } from './helpers.js';

const spec = namedKey('spec', '1');
const other = namedKey('gmsl_keyring', 'a_Obwu');

describe('event_signature negatives from vectors.json', () => {
  const negatives = vectors.negative.filter((v) => v.kind === 'event_signature');
  it('has the three gmsl cases', () => expect(negatives).toHaveLength(3));
  for (const vector of negatives as Vector[]) {
    for (const rv of ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']) {
      it(`${vector.id} in room ${rv}`, () => {
        const event = parseEvent(vector.input_json_text);
        const keys = lookupOf([[vector.server_name, namedKey(vector.key, '1')]]);
        const result = verifyEventSignatures({ event, roomVersion: rv, keys });
        if (vector.expected === 'reject') {
          const error = left(result);
          expect(error.reason).toBe('bad_signature');
          expect(error.path).toEqual(['signatures', 'domain', 'ed25519:1']);
          expect(error.report?.servers[0]?.signatures[0]).toMatchObject({
            status: 'failed',
            reason: 'bad_signature',
          });
        } else {
          const report = right(result);
          expect(report.servers[0]?.verified).toBe(true);
          expect(report.contentHash?.matches).toBe(false);
        }
      });
    }
  }
});

/** A signed invite from inviter.example in room `rv`, optionally with extra fields. */
function invite(
  rv: string,
  extra: Record<string, JsonValue> = {},
  content: JsonObject = { membership: 'invite' },
): JsonObject {
  let event: JsonObject = {
    type: 'm.room.member',
    state_key: '@bob:invitee.example',
    sender: '@alice:inviter.example',
    room_id: rv === '12' ? '!BeXKh925K_M46DwsuJFR0EyBpE1P7CFUDGuWW4xw55Y' : '!room:inviter.example',
    origin_server_ts: 1_700_000_000_000,
    depth: 10,
    auth_events: [],
    prev_events: [],
    content,
    unsigned: { invite_room_state: [] },
    ...(Number(rv) <= 2 ? { event_id: '$abc:inviter.example' } : {}),
  };
  for (const [k, v] of Object.entries(extra)) event = withKey(event, k, v);
  return right(signEvent({ event, roomVersion: rv, serverName: 'inviter.example', signingKey: spec }));
}

const inviterKeys = lookupOf([['inviter.example', spec]]);

describe('required signers', () => {
  it('the sender server must sign, in every room version', () => {
    for (const rv of ALL_ROOM_VERSIONS) {
      const event = invite(rv);
      const report = right(verifyEventSignatures({ event, roomVersion: rv, keys: inviterKeys }));
      expect(report.servers).toEqual([
        expect.objectContaining({
          serverName: 'inviter.example',
          requiredBecause: ['sender'],
          verified: true,
        }),
      ]);
      expect(report.contentHash?.matches).toBe(true);
      expect(report.thirdPartyInviteExemption).toBe(false);
      // Unsigned by the sender (signed by someone else only) fails.
      const foreign = right(
        signEvent({
          event: omitKeys(event, ['signatures']),
          roomVersion: rv,
          serverName: 'elsewhere.example',
          signingKey: other,
        }),
      );
      const error = left(
        verifyEventSignatures({
          event: foreign,
          roomVersion: rv,
          keys: lookupOf([['elsewhere.example', other]]),
        }),
      );
      expect(error).toMatchObject({ reason: 'missing_signature', path: ['signatures', 'inviter.example'] });
    }
  });

  it('missing signatures object entirely', () => {
    const error = left(
      verifyEventSignatures({
        event: omitKeys(invite('10'), ['signatures']),
        roomVersion: '10',
        keys: inviterKeys,
      }),
    );
    expect(error).toMatchObject({ reason: 'missing_signature', serverName: 'inviter.example' });
    const malformed = left(
      verifyEventSignatures({
        event: withKey(invite('10'), 'signatures', []),
        roomVersion: '10',
        keys: inviterKeys,
      }),
    );
    expect(malformed.reason).toBe('signatures_malformed');
    const serverMalformed = withKey(invite('10'), 'signatures', { 'inviter.example': 'x' });
    expect(
      left(verifyEventSignatures({ event: serverMalformed, roomVersion: '10', keys: inviterKeys })).reason,
    ).toBe('signatures_malformed');
  });

  it('rooms 1-2: the event_id domain must sign too when different; not in room 3+', () => {
    for (const rv of ['1', '2']) {
      const event = invite(rv, { event_id: '$abc:creator.example' });
      const error = left(verifyEventSignatures({ event, roomVersion: rv, keys: inviterKeys }));
      expect(error).toMatchObject({ reason: 'missing_signature', serverName: 'creator.example' });
      const both = right(
        signEvent({ event, roomVersion: rv, serverName: 'creator.example', signingKey: other }),
      );
      const keys = lookupOf([
        ['inviter.example', spec],
        ['creator.example', other],
      ]);
      const report = right(verifyEventSignatures({ event: both, roomVersion: rv, keys }));
      expect(report.servers.map((s) => [s.serverName, s.requiredBecause])).toEqual([
        ['inviter.example', ['sender']],
        ['creator.example', ['event_id_domain']],
      ]);
      expect(
        left(
          verifyEventSignatures({
            event: withKey(event, 'event_id', '$nodomain'),
            roomVersion: rv,
            keys: inviterKeys,
          }),
        ).reason,
      ).toBe('invalid_event_id');
    }
  });

  it('third-party invite exemption: sender signature not required, reported; event_id domain still is', () => {
    const content = { membership: 'invite', third_party_invite: { display_name: 'x', signed: {} } };
    for (const rv of ['3', '10', '11', '12']) {
      const unsigned = omitKeys(invite(rv, {}, content), ['signatures']);
      const report = right(verifyEventSignatures({ event: unsigned, roomVersion: rv, keys: inviterKeys }));
      expect(report.thirdPartyInviteExemption).toBe(true);
      expect(report.servers).toEqual([]);
    }
    const v1 = omitKeys(invite('1', { event_id: '$x:creator.example' }, content), ['signatures']);
    const error = left(verifyEventSignatures({ event: v1, roomVersion: '1', keys: inviterKeys }));
    expect(error).toMatchObject({ reason: 'missing_signature', serverName: 'creator.example' });
    // Only invites are exempt.
    const join = omitKeys(invite('10', {}, { ...content, membership: 'join' }), ['signatures']);
    expect(left(verifyEventSignatures({ event: join, roomVersion: '10', keys: inviterKeys })).reason).toBe(
      'missing_signature',
    );
  });

  it('thirdPartyInviteExemption: false requires the sender server signature on 3PID invites (Synapse: synapse/crypto/event_signing.py and `_is_invite_via_3pid` in synapse/federation/federation_base.py)', () => {
    const content = { membership: 'invite', third_party_invite: { display_name: 'x', signed: {} } };
    for (const rv of ['3', '10', '12']) {
      const unsigned = omitKeys(invite(rv, {}, content), ['signatures']);
      const error = left(
        verifyEventSignatures({
          event: unsigned,
          roomVersion: rv,
          keys: inviterKeys,
          thirdPartyInviteExemption: false,
        }),
      );
      expect(error).toMatchObject({ reason: 'missing_signature', serverName: 'inviter.example' });
      const signed = invite(rv, {}, content);
      const report = right(
        verifyEventSignatures({
          event: signed,
          roomVersion: rv,
          keys: inviterKeys,
          thirdPartyInviteExemption: false,
        }),
      );
      expect(report.thirdPartyInviteExemption).toBe(false);
      expect(report.servers.map((s) => [s.serverName, s.verified])).toEqual([['inviter.example', true]]);
    }
  });

  it('rooms 8+: restricted joins need the authorising server; rooms 1-7 do not', () => {
    const content = { membership: 'join', join_authorised_via_users_server: '@admin:resident.example' };
    for (const rv of ALL_ROOM_VERSIONS) {
      const event = invite(rv, {}, content);
      const result = verifyEventSignatures({ event, roomVersion: rv, keys: inviterKeys });
      if (Number(rv) >= 8) {
        expect(left(result)).toMatchObject({ reason: 'missing_signature', serverName: 'resident.example' });
        const both = right(
          signEvent({ event, roomVersion: rv, serverName: 'resident.example', signingKey: other }),
        );
        const keys = lookupOf([
          ['inviter.example', spec],
          ['resident.example', other],
        ]);
        expect(
          right(verifyEventSignatures({ event: both, roomVersion: rv, keys })).servers.map(
            (s) => s.requiredBecause,
          ),
        ).toEqual([['sender'], ['restricted_join_authoriser']]);
        const bad = invite(rv, {}, { ...content, join_authorised_via_users_server: 5 });
        expect(left(verifyEventSignatures({ event: bad, roomVersion: rv, keys: inviterKeys })).reason).toBe(
          'invalid_authorising_user',
        );
      } else {
        right(result);
      }
    }
    // Not on invites carrying the key.
    const inviteWith = invite('10', {}, { ...content, membership: 'invite' });
    right(verifyEventSignatures({ event: inviteWith, roomVersion: '10', keys: inviterKeys }));
  });

  it('same server for several reasons is checked once', () => {
    const content = { membership: 'join', join_authorised_via_users_server: '@admin:inviter.example' };
    const report = right(
      verifyEventSignatures({ event: invite('10', {}, content), roomVersion: '10', keys: inviterKeys }),
    );
    expect(report.servers).toHaveLength(1);
    expect(report.servers[0]?.requiredBecause).toEqual(['sender', 'restricted_join_authoriser']);
  });

  it('sender without a domain is a typed error', () => {
    const event = withKey(invite('10'), 'sender', 'nodomain');
    expect(left(verifyEventSignatures({ event, roomVersion: '10', keys: inviterKeys })).reason).toBe(
      'invalid_sender',
    );
  });
});

describe('key validity (rooms 5+ only)', () => {
  const ts = 1_700_000_000_000;
  const expiredKeys = lookupOf([['inviter.example', spec, ts - 1]]);
  const exactKeys = lookupOf([['inviter.example', spec, ts]]);

  it('an expired key fails in room 5+ and passes in room 4', () => {
    for (const rv of ALL_ROOM_VERSIONS) {
      const event = invite(rv);
      const result = verifyEventSignatures({ event, roomVersion: rv, keys: expiredKeys });
      if (Number(rv) >= 5) {
        const error = left(result);
        expect(error.reason).toBe('no_verifiable_signature');
        expect(error.report?.servers[0]?.signatures[0]).toMatchObject({
          status: 'skipped',
          reason: 'key_expired',
        });
        expect(error.report?.keyValidityEnforced).toBe(true);
      } else {
        expect(right(result).keyValidityEnforced).toBe(false);
      }
      right(verifyEventSignatures({ event, roomVersion: rv, keys: exactKeys })); // valid_until_ts == origin_server_ts is valid
    }
  });

  it('an unknown validUntilTs means valid; now caps validity at 7 days', () => {
    right(verifyEventSignatures({ event: invite('10'), roomVersion: '10', keys: inviterKeys }));
    const farFuture = lookupOf([['inviter.example', spec, ts + 365 * 86_400_000]]);
    right(
      verifyEventSignatures({
        event: invite('10'),
        roomVersion: '10',
        keys: farFuture,
        now: ts - MAX_KEY_VALIDITY_MS,
      }),
    );
    const error = left(
      verifyEventSignatures({
        event: invite('10'),
        roomVersion: '10',
        keys: farFuture,
        now: ts - MAX_KEY_VALIDITY_MS - 1,
      }),
    );
    expect(error.report?.servers[0]?.signatures[0]).toMatchObject({ reason: 'key_expired' });
  });

  it('one rule for keys with and without validUntilTs: validity (none = no limit) capped at now + 7 days', () => {
    const day = 86_400_000;
    const unbounded = lookupOf([['inviter.example', spec]]);
    const distant = lookupOf([['inviter.example', spec, 8.64e15]]);
    for (const keys of [unbounded, distant]) {
      // The case: origin_server_ts 30 days after now. Both keys are capped at now + 7 days: expired.
      const error = left(
        verifyEventSignatures({ event: invite('5'), roomVersion: '5', keys, now: ts - 30 * day }),
      );
      expect(error.report?.servers[0]?.signatures[0]).toMatchObject({
        status: 'skipped',
        reason: 'key_expired',
      });
      // Exactly now + 7 days = origin_server_ts: valid (Synapse: valid_until_ts >= minimum_valid_until_ts).
      right(
        verifyEventSignatures({ event: invite('5'), roomVersion: '5', keys, now: ts - MAX_KEY_VALIDITY_MS }),
      );
      // Without now, no cap (Synapse applies none): both valid.
      right(verifyEventSignatures({ event: invite('5'), roomVersion: '5', keys }));
      // Rooms 1-4 do not enforce validity at all.
      right(verifyEventSignatures({ event: invite('4'), roomVersion: '4', keys, now: ts - 30 * day }));
    }
  });

  it('bigint and non-integer origin_server_ts', () => {
    const big = invite('10', { origin_server_ts: 2n ** 60n });
    expect(left(verifyEventSignatures({ event: big, roomVersion: '10', keys: expiredKeys })).reason).toBe(
      'no_verifiable_signature',
    );
    const float = invite('5', { origin_server_ts: new JsonFloat(1.5) });
    expect(left(verifyEventSignatures({ event: float, roomVersion: '5', keys: inviterKeys })).reason).toBe(
      'invalid_origin_server_ts',
    );
    right(
      verifyEventSignatures({
        event: invite('4', { origin_server_ts: new JsonFloat(1.5) }),
        roomVersion: '4',
        keys: inviterKeys,
      }),
    );
  });
});

describe('several signatures from one server (spec: Validating hashes and signatures on received events)', () => {
  const withSigs = (event: JsonObject, extra: Record<string, JsonValue>): JsonObject => {
    const signatures = event.signatures as JsonObject;
    let server = signatures['inviter.example'] as JsonObject;
    for (const [k, v] of Object.entries(extra)) server = withKey(server, k, v);
    return withKey(event, 'signatures', withKey(signatures, 'inviter.example', server));
  };

  it('policy_server signatures are skipped (even if the lookup knows such a key)', () => {
    const event = withSigs(invite('10'), { 'ed25519:policy_server': 'AAAA' });
    const keys: KeyLookup = (server, keyId) =>
      keyId === 'ed25519:policy_server' ? { key: spec.publicKey } : inviterKeys(server, keyId);
    const report = right(verifyEventSignatures({ event, roomVersion: '10', keys }));
    expect(report.servers[0]?.signatures.map((s) => [s.keyId, s.status])).toEqual([
      ['ed25519:1', 'verified'],
      ['ed25519:policy_server', 'skipped'],
    ]);
  });

  it('only a policy_server signature -> fail', () => {
    const event = invite('10');
    const sig = ((event.signatures as JsonObject)['inviter.example'] as JsonObject)['ed25519:1'] as string;
    const only = withKey(event, 'signatures', { 'inviter.example': { 'ed25519:policy_server': sig } });
    const keys: KeyLookup = () => ({ key: spec.publicKey });
    expect(left(verifyEventSignatures({ event: only, roomVersion: '10', keys })).reason).toBe(
      'no_verifiable_signature',
    );
  });

  it('unknown algorithms are skipped; unknown algorithm only -> fail', () => {
    const good = invite('10');
    const sig = ((good.signatures as JsonObject)['inviter.example'] as JsonObject)['ed25519:1'] as string;
    const mixed = withSigs(good, { 'curve448:1': 'xyz', nocolon: 'x' });
    const report = right(verifyEventSignatures({ event: mixed, roomVersion: '10', keys: inviterKeys }));
    expect(report.servers[0]?.signatures.map((s) => (s.status === 'skipped' ? s.reason : s.status))).toEqual([
      'verified',
      'unknown_algorithm',
      'malformed_key_id',
    ]);
    const only = withKey(good, 'signatures', { 'inviter.example': { 'curve448:1': sig } });
    const error = left(
      verifyEventSignatures({ event: only, roomVersion: '10', keys: () => ({ key: spec.publicKey }) }),
    );
    expect(error.reason).toBe('no_verifiable_signature');
  });

  it('unknown keys are skipped, but a known failing key fails even when another verifies', () => {
    const good = invite('10');
    const unknown = withSigs(good, { 'ed25519:old': 'AAAA' });
    right(verifyEventSignatures({ event: unknown, roomVersion: '10', keys: inviterKeys }));
    const second = keyFromSeed(vectors.keys.ruma_pkcs8?.seed as string, 'b');
    const bothKnown = lookupOf([
      ['inviter.example', spec],
      ['inviter.example', second],
    ]);
    const wrong = withSigs(good, {
      'ed25519:b': ((good.signatures as JsonObject)['inviter.example'] as JsonObject)['ed25519:1'] as string,
    });
    const error = left(verifyEventSignatures({ event: wrong, roomVersion: '10', keys: bothKnown }));
    expect(error).toMatchObject({
      reason: 'bad_signature',
      path: ['signatures', 'inviter.example', 'ed25519:b'],
    });
    const right2 = right(
      signEvent({ event: good, roomVersion: '10', serverName: 'inviter.example', signingKey: second }),
    );
    expect(
      right(verifyEventSignatures({ event: right2, roomVersion: '10', keys: bothKnown })).servers[0]
        ?.signatures,
    ).toHaveLength(2);
  });

  it('bad base64, non-string signatures, bad keys, throwing lookups', () => {
    const good = invite('10');
    const cases: [JsonValue, KeyLookup, string][] = [
      ['not base64!', inviterKeys, 'invalid_base64'],
      [5, inviterKeys, 'not_a_string'],
      ['AAAA', inviterKeys, 'bad_signature'],
      [
        ((good.signatures as JsonObject)['inviter.example'] as JsonObject)['ed25519:1'] as string,
        () => ({ key: 'AAAA' }),
        'invalid_verify_key',
      ],
    ];
    for (const [sig, keys, reason] of cases) {
      const event = withKey(good, 'signatures', { 'inviter.example': { 'ed25519:1': sig } });
      const error = left(verifyEventSignatures({ event, roomVersion: '10', keys }));
      expect(error.report?.servers[0]?.signatures[0]).toMatchObject({ status: 'failed', reason });
    }
    // A lookup that throws or answers junk is the caller's mistake, not the event's.
    const throwing: KeyLookup = () => {
      throw new Error('no network');
    };
    expect(left(verifyEventSignatures({ event: good, roomVersion: '10', keys: throwing }))).toMatchObject({
      reason: 'invalid_key_lookup',
      path: ['signatures', 'inviter.example', 'ed25519:1'],
    });
    for (const junk of [
      Promise.resolve({ key: spec.publicKey }),
      5,
      [],
      { key: 5 },
      { key: spec.publicKey, validUntilTs: '1' },
    ]) {
      const lookup = (() => junk) as unknown as KeyLookup;
      expect(left(verifyEventSignatures({ event: good, roomVersion: '10', keys: lookup })).reason).toBe(
        'invalid_key_lookup',
      );
    }
  });

  it('options of the wrong type are invalid_options, naming the option', () => {
    const good = invite('10');
    for (const [options, name] of [
      [{ now: Number.NaN }, 'now'],
      [{ now: '1' }, 'now'],
      [{ backend: 'openssl' }, 'backend'],
      [{ verifier: 'yes' }, 'verifier'],
      [{ base64Mode: 'loose' }, 'base64Mode'],
      [{ skipContentHash: 1 }, 'skipContentHash'],
      [{ contentHashDialect: 'python' }, 'contentHashDialect'],
      [{ thirdPartyInviteExemption: 'no' }, 'thirdPartyInviteExemption'],
    ] as const) {
      const error = left(
        verifyEventSignatures({ event: good, roomVersion: '10', keys: inviterKeys, ...(options as object) }),
      );
      expect(error.reason).toBe('invalid_options');
      expect(error.message).toContain(name);
      expect(
        left(verifyPreparedEvent(right(prepareEvent(good, '10')), inviterKeys, options as never)).reason,
      ).toBe('invalid_options');
    }
    expect(
      left(verifyPreparedEvent(right(prepareEvent(good, '10')), inviterKeys, 5 as never)).message,
    ).toContain('options must be an object');
    expect(
      left(verifyEventSignatures({ event: good, roomVersion: '10', keys: 'keys' as never })).reason,
    ).toBe('invalid_options');
    expect(left(verifyEventSignatures(5 as never)).reason).toBe('invalid_input');
    expect(left(verifyPreparedEvent(null as never, inviterKeys)).reason).toBe('invalid_input');
    right(verifyPreparedEvent(right(prepareEvent(good, '10')), inviterKeys, null as never));
  });

  it('padded and URL-safe signatures verify (lenient); strict mode refuses them', () => {
    const good = invite('10');
    const sig = ((good.signatures as JsonObject)['inviter.example'] as JsonObject)['ed25519:1'] as string;
    const padded = withKey(good, 'signatures', {
      'inviter.example': { 'ed25519:1': `${sig.replace(/\+/g, '-').replace(/\//g, '_')}==` },
    });
    right(verifyEventSignatures({ event: padded, roomVersion: '10', keys: inviterKeys }));
    right(
      verifyEventSignatures({ event: padded, roomVersion: '10', keys: inviterKeys, base64Mode: 'synapse' }),
    );
    expect(
      left(
        verifyEventSignatures({ event: padded, roomVersion: '10', keys: inviterKeys, base64Mode: 'strict' }),
      ).reason,
    ).toBe('bad_signature');
  });

  it('every backend gives the same verdicts', () => {
    for (const backend of availableBackends()) {
      right(verifyEventSignatures({ event: invite('10'), roomVersion: '10', keys: inviterKeys, backend }));
      const tampered = withKey(invite('10'), 'state_key', '@eve:invitee.example');
      expect(
        left(verifyEventSignatures({ event: tampered, roomVersion: '10', keys: inviterKeys, backend }))
          .reason,
      ).toBe('bad_signature');
    }
  });
});

describe('content hash reporting', () => {
  it('mismatch is reported, not enforced; malformed hashes are errors; skip option', () => {
    const event = invite('10', {}, { membership: 'invite', displayname: 'Bob' });
    const changed = withKey(event, 'content', { membership: 'invite', displayname: 'Eve' });
    const report = right(verifyEventSignatures({ event: changed, roomVersion: '10', keys: inviterKeys }));
    expect(report.contentHash).toMatchObject({ matches: false });
    expect(
      right(
        verifyEventSignatures({
          event: changed,
          roomVersion: '10',
          keys: inviterKeys,
          skipContentHash: true,
        }),
      ).contentHash,
    ).toBeUndefined();
    // A malformed hash breaks the signature first (hashes are signed) -> bad_signature, as Synapse checks sigs first.
    const noSha = withKey(event, 'hashes', { sha512: 'x' });
    expect(left(verifyEventSignatures({ event: noSha, roomVersion: '10', keys: inviterKeys })).reason).toBe(
      'bad_signature',
    );
  });

  it('third-party invites with no signature still get a content hash check', () => {
    const content = { membership: 'invite', third_party_invite: { signed: {} } };
    const event = omitKeys(invite('10', {}, content), ['signatures']);
    expect(
      right(verifyEventSignatures({ event, roomVersion: '10', keys: inviterKeys })).contentHash?.matches,
    ).toBe(true);
    const bad = withKey(event, 'hashes', { sha256: '!!' });
    const malformed = left(verifyEventSignatures({ event: bad, roomVersion: '10', keys: inviterKeys }));
    expect(malformed).toMatchObject({
      kind: 'EventError',
      reason: 'hashes_invalid_base64',
      path: ['hashes', 'sha256'],
    });
    expect(malformed.report?.thirdPartyInviteExemption).toBe(true);
    expect(malformed.report?.contentHash).toBeUndefined();
  });
});

describe('one encoding per pipeline', () => {
  it('verifyPreparedEvent reuses the prepared bytes; the report carries the event ID', () => {
    const prepared = right(prepareEvent(invite('10'), '10'));
    const report = right(verifyPreparedEvent(prepared, inviterKeys));
    expect(report.eventId).toBe(right(prepared.eventId()));
    expect(report.eventId).toMatch(/^\$[A-Za-z0-9_-]{43}$/);
    expect(
      right(verifyEventSignatures({ event: invite('10'), roomVersion: '10', keys: inviterKeys })).eventId,
    ).toBe(report.eventId);
  });

  it('rooms 1-2: the report carries the event_id field; a v1-format event without one is refused', () => {
    const event = invite('1');
    const report = right(verifyEventSignatures({ event, roomVersion: '1', keys: inviterKeys }));
    expect(report.eventId).toBe(event.event_id);
    const custom = right(
      defineRoomVersion('1', {
        id: 'org.example.v1-nosigner',
        signers: { eventIdDomain: false, restrictedJoinAuthoriser: false },
      }),
    );
    expect(
      left(verifyPreparedEvent(right(prepareEvent(omitKeys(event, ['event_id']), custom)), inviterKeys)),
    ).toMatchObject({ reason: 'invalid_event_id', path: ['event_id'] });
  });

  it('invalid events are typed errors', () => {
    expect(
      left(verifyEventSignatures({ event: invite('10'), roomVersion: '99', keys: inviterKeys })).reason,
    ).toBe('unknown_room_version');
    expect(
      left(
        verifyEventSignatures({
          event: omitKeys(invite('10'), ['content']),
          roomVersion: '10',
          keys: inviterKeys,
        }),
      ),
    ).toMatchObject({ kind: 'EventError', reason: 'missing_content', path: ['content'] });
    for (const params of [null, 5, 'x']) {
      expect(left(verifyEventSignatures(params as unknown as VerifyEventSignaturesParams)).reason).toBe(
        'invalid_input',
      );
    }
    const noLookup = { event: invite('10'), roomVersion: '10', keys: 'nope' };
    expect(left(verifyEventSignatures(noLookup as unknown as VerifyEventSignaturesParams)).reason).toBe(
      'invalid_options',
    );
  });
});

describe('properties', () => {
  const SIGNED_TOP_LEVEL = [
    'type',
    'state_key',
    'sender',
    'room_id',
    'origin_server_ts',
    'depth',
    'auth_events',
    'prev_events',
    'hashes',
  ];
  const jsonLeaf = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));

  it('changing any signed field breaks verification (every room version)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ALL_ROOM_VERSIONS),
        fc.constantFrom(...SIGNED_TOP_LEVEL, 'content.membership'),
        jsonLeaf,
        (rv, field, value) => {
          const event = invite(rv);
          let changed: JsonObject;
          if (field === 'content.membership') {
            fc.pre(value !== 'invite');
            changed = withKey(event, 'content', withKey(event.content as JsonObject, 'membership', value));
          } else {
            fc.pre(JSON.stringify(event[field]) !== JSON.stringify(value));
            changed = withKey(event, field, value);
          }
          const result = verifyEventSignatures({
            event: changed,
            roomVersion: rv,
            keys: inviterKeys,
            skipContentHash: true,
          });
          // Either the signature fails, or the change made the required signer set itself invalid.
          expect(result._tag).toBe('Left');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('changing unsigned (or content outside the redaction keep-list) does not', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ALL_ROOM_VERSIONS),
        fc.dictionary(fc.string(), jsonLeaf),
        (rv, unsigned) => {
          const event = invite(rv);
          const changed = withKey(event, 'unsigned', unsigned);
          const report = right(verifyEventSignatures({ event: changed, roomVersion: rv, keys: inviterKeys }));
          expect(report.contentHash?.matches).toBe(true);
          const displayname = withKey(
            event,
            'content',
            withKey(event.content as JsonObject, 'displayname', 'x'),
          );
          const redactedOnly = right(
            verifyEventSignatures({ event: displayname, roomVersion: rv, keys: inviterKeys }),
          );
          expect(redactedOnly.contentHash?.matches).toBe(false);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('sign then verify round-trips for arbitrary content in every room version', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ALL_ROOM_VERSIONS),
        fc.dictionary(fc.string(), jsonLeaf),
        (rv, extra) => {
          const event = invite(rv, {}, { membership: 'invite', ...extra });
          const report = right(verifyEventSignatures({ event, roomVersion: rv, keys: inviterKeys }));
          expect(report.contentHash?.matches).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });
});
