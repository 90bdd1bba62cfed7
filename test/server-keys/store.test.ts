/**
 * The key store: the spec's 7-day cap applied from the fetch time (`definitions/keys.yaml` `valid_until_ts`:
 * "Servers MUST use the lesser of this field and 7 days into the future"), old keys marked expired, merging several
 * answers (the newest fetch wins, as Synapse's `get_server_keys_json` orders by `ts_added_ms`), the half-life
 * refresh time (Synapse `remote_key_resource.py` `query_keys`), `missing(...)` and the notary query body; and the
 * lookup plugged into the existing checks (rooms 5+ key validity, X-Matrix).
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { KeyRequest } from '../../src/crypto/types.js';
import { signEvent } from '../../src/events/signing.js';
import { verifyEventSignatures } from '../../src/events/verify.js';
import {
  buildKeyQueryRequest,
  createServerKeyStore,
  type ServerKeyStore,
} from '../../src/server-keys/store.js';
import type { VerifiedServerKeys } from '../../src/server-keys/types.js';
import { verifyServerKeys } from '../../src/server-keys/verify.js';
import { signRequest } from '../../src/x-matrix/sign.js';
import { verifyRequest } from '../../src/x-matrix/verify.js';
import {
  current1,
  current2,
  DAY,
  left,
  NOTARY,
  NOW,
  notaryAnswer,
  oldKey,
  right,
  SERVER,
  signAs,
  signedAnswer,
  TRUSTED_NOTARY,
  unsignedAnswer,
  WEEK,
} from './helpers.js';

const verified = (answer = signedAnswer(), now = NOW): VerifiedServerKeys =>
  right(verifyServerKeys(answer, { serverName: SERVER, now }));
const storeOf = (...answers: VerifiedServerKeys[]): ServerKeyStore => right(createServerKeyStore(answers));

describe('createServerKeyStore: validity', () => {
  it('current keys: the lesser of valid_until_ts and fetchedAt + 7 days; old keys: expired_ts, marked expired', () => {
    const store = storeOf(verified(signedAnswer({ valid_until_ts: NOW + 30 * DAY })));
    expect(store.lookup(SERVER, current1.keyId)).toEqual({
      key: current1.publicKey,
      validUntilTs: NOW + WEEK,
    });
    expect(store.lookup(SERVER, oldKey.keyId)).toEqual({
      key: oldKey.publicKey,
      validUntilTs: NOW - DAY,
      expired: true,
    });
    expect(store.keys.map((k) => [k.keyId, k.validUntilTs, k.usableUntilTs, k.fetchedAt, k.old])).toEqual([
      [current1.keyId, NOW + 30 * DAY, NOW + WEEK, NOW, false],
      [oldKey.keyId, NOW - DAY, NOW - DAY, NOW, true],
    ]);
  });

  it('keeps valid_until_ts when it is sooner than 7 days', () => {
    const store = storeOf(verified());
    expect(store.lookup(SERVER, current1.keyId)?.validUntilTs).toBe(NOW + DAY);
  });

  it('maxValidityMs: null trusts valid_until_ts as published (Synapse); a number sets another cap', () => {
    const far = verified(signedAnswer({ valid_until_ts: NOW + 30 * DAY }));
    const uncapped = right(createServerKeyStore([far], { maxValidityMs: null }));
    expect(uncapped.lookup(SERVER, current1.keyId)?.validUntilTs).toBe(NOW + 30 * DAY);
    const hour = right(createServerKeyStore([far], { maxValidityMs: 3_600_000 }));
    expect(hour.lookup(SERVER, current1.keyId)?.validUntilTs).toBe(NOW + 3_600_000);
  });

  it('unknown servers and keys, and non-string arguments, give undefined', () => {
    const store = storeOf(verified());
    expect(store.lookup('nobody.example', current1.keyId)).toBeUndefined();
    expect(store.lookup(SERVER, current2.keyId)).toBeUndefined();
    expect(store.lookup(1 as unknown as string, current1.keyId)).toBeUndefined();
    expect(store.lookup(SERVER, null as unknown as string)).toBeUndefined();
    expect(storeOf().lookup(SERVER, current1.keyId)).toBeUndefined();
  });

  it('refresh time: half-way to the (capped) validity, or at once for an answer already out of date', () => {
    expect(storeOf(verified()).servers).toEqual([
      { serverName: SERVER, fetchedAt: NOW, usableUntilTs: NOW + DAY, refreshAt: NOW + DAY / 2 },
    ]);
    expect(storeOf(verified(signedAnswer({ valid_until_ts: NOW + 30 * DAY }))).servers[0]?.refreshAt).toBe(
      NOW + WEEK / 2,
    );
    expect(storeOf(verified(signedAnswer({ valid_until_ts: NOW - 1 }))).servers[0]?.refreshAt).toBe(NOW);
  });
});

describe('createServerKeyStore: merging answers', () => {
  // The server rotated: current1 became old, current2 is the new key.
  const rotated = signAs(
    unsignedAnswer({
      valid_until_ts: NOW + 3 * DAY,
      verify_keys: { [current2.keyId]: { key: current2.publicKey } },
      old_verify_keys: { [current1.keyId]: { key: current1.publicKey, expired_ts: NOW + DAY } },
    }),
    SERVER,
    current2,
  );

  it('a later fetch replaces the same key (a current key that became old), and unmentioned keys stay', () => {
    const store = storeOf(verified(), verified(rotated, NOW + DAY));
    expect(store.lookup(SERVER, current1.keyId)).toEqual({
      key: current1.publicKey,
      validUntilTs: NOW + DAY,
      expired: true,
    });
    expect(store.lookup(SERVER, current2.keyId)).toEqual({
      key: current2.publicKey,
      validUntilTs: NOW + 3 * DAY,
    });
    expect(store.lookup(SERVER, oldKey.keyId)?.expired).toBe(true); // only the first answer listed it
    expect(store.servers).toEqual([
      { serverName: SERVER, fetchedAt: NOW + DAY, usableUntilTs: NOW + 3 * DAY, refreshAt: NOW + 2 * DAY },
    ]);
  });

  it('an older fetch added later does not replace newer keys', () => {
    const store = storeOf(verified(rotated, NOW + DAY), verified());
    expect(store.lookup(SERVER, current1.keyId)?.expired).toBe(true);
    expect(store.servers[0]?.fetchedAt).toBe(NOW + DAY);
  });

  it('answers fetched at the same time keep the longer validity (Synapse keeps the largest valid_until_ts)', () => {
    const longer = verified(signedAnswer({ valid_until_ts: NOW + 2 * DAY }));
    const shorter = verified(signedAnswer({ valid_until_ts: NOW + DAY }));
    for (const store of [storeOf(longer, shorter), storeOf(shorter, longer)]) {
      expect(store.lookup(SERVER, current1.keyId)?.validUntilTs).toBe(NOW + 2 * DAY);
      expect(store.servers[0]?.usableUntilTs).toBe(NOW + 2 * DAY);
    }
  });

  it('add returns a new store and leaves the old one as it was', () => {
    const first = storeOf(verified());
    const second = right(first.add(verified(rotated, NOW + DAY)));
    expect(first.lookup(SERVER, current2.keyId)).toBeUndefined();
    expect(second.lookup(SERVER, current2.keyId)).toBeDefined();
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.keys)).toBe(true);
  });

  it('merges several servers from one notary answer', () => {
    const other = signAs({ ...unsignedAnswer(), server_name: 'other.example' }, 'other.example', current1);
    const body = notaryAnswer(signedAnswer(), other);
    const answer = right(
      verifyServerKeys(body, { serverName: [SERVER, 'other.example'], now: NOW, notaries: [TRUSTED_NOTARY] }),
    );
    const store = storeOf(answer);
    expect(store.servers.map((s) => s.serverName)).toEqual([SERVER, 'other.example']);
    expect(store.lookup('other.example', current1.keyId)?.key).toBe(current1.publicKey);
    expect(store.lookup(NOTARY, current1.keyId)).toBeUndefined();
  });

  it('only takes answers returned by verifyServerKeys (a hand-made or copied one is a caller mistake)', () => {
    const real = verified();
    for (const fake of [{ ...real }, null, 'answer', JSON.parse(JSON.stringify(real))]) {
      const error = left(storeOf().add(fake as VerifiedServerKeys));
      expect(error.reason).toBe('invalid_context');
      expect(left(createServerKeyStore([fake as VerifiedServerKeys])).reason).toBe('invalid_context');
    }
  });

  it('refuses bad options and arguments as invalid_context', () => {
    for (const options of [
      null,
      { maxValidityMs: -1 },
      { maxValidityMs: Number.NaN },
      { maxValidityMs: '1' },
    ]) {
      expect(left(createServerKeyStore([], options as never)).reason).toBe('invalid_context');
    }
    expect(left(createServerKeyStore({} as never)).reason).toBe('invalid_context');
    const hostile = Object.defineProperty({}, 'maxValidityMs', {
      get: () => {
        throw new Error('boom');
      },
    });
    expect(left(createServerKeyStore([], hostile)).reason).toBe('invalid_context');
  });
});

describe('store.missing: what to fetch', () => {
  const store = storeOf(verified());
  it('lists unknown keys and keys not usable until validAt; merges duplicates keeping the latest validAt', () => {
    const requests: KeyRequest[] = [
      { serverName: SERVER, keyId: current1.keyId, validAt: NOW },
      { serverName: SERVER, keyId: current1.keyId }, // known: no time needed
      { serverName: SERVER, keyId: current2.keyId }, // unknown
      { serverName: 'other.example', keyId: current1.keyId, validAt: NOW },
      { serverName: SERVER, keyId: oldKey.keyId, validAt: NOW - DAY }, // old key, still valid then
      { serverName: SERVER, keyId: oldKey.keyId, validAt: NOW - DAY + 1 }, // just after expired_ts
      { serverName: SERVER, keyId: current2.keyId, validAt: NOW + 5 },
      { serverName: SERVER, keyId: current2.keyId, validAt: NOW + 1 },
    ];
    expect(right(store.missing(requests))).toEqual([
      { serverName: SERVER, keyId: current2.keyId, validAt: NOW + 5 },
      { serverName: 'other.example', keyId: current1.keyId, validAt: NOW },
      { serverName: SERVER, keyId: oldKey.keyId, validAt: NOW - DAY + 1 },
    ]);
  });

  it('a key usable until exactly validAt is enough (valid_until_ts >= origin_server_ts, as events/verify.ts)', () => {
    expect(right(store.missing([{ serverName: SERVER, keyId: current1.keyId, validAt: NOW + DAY }]))).toEqual(
      [],
    );
    expect(
      right(store.missing([{ serverName: SERVER, keyId: current1.keyId, validAt: NOW + DAY + 1 }])),
    ).toEqual([{ serverName: SERVER, keyId: current1.keyId, validAt: NOW + DAY + 1 }]);
  });

  it('the cap makes a key missing past fetchedAt + 7 days even when valid_until_ts is later', () => {
    const far = storeOf(verified(signedAnswer({ valid_until_ts: NOW + 30 * DAY })));
    expect(
      right(far.missing([{ serverName: SERVER, keyId: current1.keyId, validAt: NOW + 8 * DAY }])),
    ).toHaveLength(1);
  });

  it('refuses malformed requests as invalid_context, never throwing', () => {
    const bad: unknown[] = [
      null,
      {},
      [null],
      [{ serverName: SERVER }],
      [{ serverName: SERVER, keyId: 1 }],
      [{ serverName: SERVER, keyId: current1.keyId, validAt: '1' }],
      [{ serverName: SERVER, keyId: current1.keyId, validAt: Number.POSITIVE_INFINITY }],
      [
        Object.defineProperty({}, 'serverName', {
          get: () => {
            throw new Error('boom');
          },
        }),
      ],
    ];
    for (const requests of bad) {
      expect(left(store.missing(requests as KeyRequest[])).reason).toBe('invalid_context');
      expect(left(buildKeyQueryRequest(requests as KeyRequest[])).reason).toBe('invalid_context');
    }
  });
});

describe('buildKeyQueryRequest: the body of POST /_matrix/key/v2/query', () => {
  it('groups by server, with minimum_valid_until_ts from validAt (the latest per key)', () => {
    const body = right(
      buildKeyQueryRequest([
        { serverName: SERVER, keyId: current1.keyId, validAt: NOW },
        { serverName: SERVER, keyId: current2.keyId },
        { serverName: 'other.example', keyId: 'ed25519:x', validAt: NOW + 0.5 },
        { serverName: SERVER, keyId: current1.keyId, validAt: NOW + 10 },
      ]),
    );
    expect(body).toEqual({
      server_keys: {
        [SERVER]: { [current1.keyId]: { minimum_valid_until_ts: NOW + 10 }, [current2.keyId]: {} },
        'other.example': { 'ed25519:x': { minimum_valid_until_ts: NOW + 1 } },
      },
    });
    expect(right(buildKeyQueryRequest([]))).toEqual({ server_keys: {} });
  });

  it('keeps __proto__ as a plain server name', () => {
    const body = right(buildKeyQueryRequest([{ serverName: '__proto__', keyId: '__proto__' }]));
    expect(Object.keys(body.server_keys as object)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(body.server_keys)).toBe(Object.prototype);
  });
});

describe('the lookup in the existing checks', () => {
  const event = (originServerTs: number, key = current1) =>
    right(
      signEvent({
        event: {
          type: 'm.room.member',
          room_id: '!r:keys.example',
          sender: `@a:${SERVER}`,
          state_key: '@b:invitee.example',
          origin_server_ts: originServerTs,
          depth: 1,
          auth_events: [],
          prev_events: [],
          content: { membership: 'invite' },
        },
        roomVersion: '10',
        serverName: SERVER,
        signingKey: key,
      }),
    );

  it('rooms 5+: a current key signs events up to its capped validity, an old key up to its expired_ts', () => {
    const store = storeOf(verified(signedAnswer({ valid_until_ts: NOW + 30 * DAY })));
    expect(
      E.isRight(verifyEventSignatures({ event: event(NOW + WEEK), roomVersion: '10', keys: store.lookup })),
    ).toBe(true);
    const late = verifyEventSignatures({
      event: event(NOW + WEEK + 1),
      roomVersion: '10',
      keys: store.lookup,
    });
    expect(E.isLeft(late) && late.left.reason).toBe('no_verifiable_signature');
    expect(
      E.isRight(
        verifyEventSignatures({ event: event(NOW - DAY, oldKey), roomVersion: '10', keys: store.lookup }),
      ),
    ).toBe(true);
    const afterExpiry = verifyEventSignatures({
      event: event(NOW - DAY + 1, oldKey),
      roomVersion: '10',
      keys: store.lookup,
    });
    expect(E.isLeft(afterExpiry) && afterExpiry.left.reason).toBe('no_verifiable_signature');
    // Rooms 1-4 ignore validity: the old key still checks a late event there.
    expect(
      E.isRight(
        verifyEventSignatures({ event: event(NOW + DAY, oldKey), roomVersion: '4', keys: store.lookup }),
      ),
    ).toBe(true);
  });

  it('X-Matrix: a current key authenticates until its capped validity, an old key never', () => {
    const store = storeOf(verified(signedAnswer({ valid_until_ts: NOW + 30 * DAY })));
    const request = { method: 'GET', uri: '/_matrix/federation/v1/version' };
    const header = (key = current1) =>
      right(signRequest({ ...request, origin: SERVER, destination: 'invitee.example' }, key));
    const check = (now: number, key = current1) =>
      verifyRequest(
        { ...request, authorization: header(key) },
        { serverName: 'invitee.example', keys: store.lookup, now },
      );
    expect(E.isRight(check(NOW + WEEK))).toBe(true);
    const late = check(NOW + WEEK + 1);
    expect(E.isLeft(late) && late.left.reason).toBe('key_expired');
    const old = check(NOW - 2 * DAY, oldKey);
    expect(E.isLeft(old) && old.left.reason).toBe('key_expired');
  });
});
