/**
 * Edge branches of the JSON-signing, canonical JSON and sending-side functions: wrong types from untyped callers,
 * the strict checker on every kind of non-JSON value, and request/event builders refusing malformed parts.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import {
  addSignature,
  signingBytes,
  verifyJsonSignature,
  verifyJsonSignatures,
} from '../../src/crypto/json-signing.js';
import { buildInviteEvent } from '../../src/invite/send/build-event.js';
import { buildInviteRequest, invitePath } from '../../src/invite/send/request.js';
import { verifyInviteResponse } from '../../src/invite/send/response.js';
import { checkStrictCanonicalJson, encodeCanonicalJson } from '../../src/json/canonical.js';
import { type JsonObject, type JsonValue, type MutableJsonObject, setOwn } from '../../src/json/value.js';
import { INVITEE, INVITER, inviterKey, keys, signedInvite } from '../invite/helpers.js';

const leftReason = (e: E.Either<{ reason: string }, unknown>): string | undefined =>
  E.isLeft(e) ? e.left.reason : undefined;

describe('JSON signing: wrong types', () => {
  it('signingBytes and addSignature refuse non-objects and non-string signatures', () => {
    expect(leftReason(signingBytes('x' as unknown as JsonObject))).toBe('not_json');
    expect(leftReason(addSignature([] as unknown as JsonObject, 's', 'ed25519:1', 'sig'))).toBe('not_object');
    expect(leftReason(addSignature({}, 's', 'ed25519:1', 5 as unknown as string))).toBe(
      'invalid_signature_value',
    );
  });

  it('verifyJsonSignature: signedBytes not bytes, objects without canonical form', () => {
    const event = signedInvite('10');
    const sig = verifyJsonSignature(event, INVITER, 'ed25519:1', inviterKey.publicKey, {
      signedBytes: 'nope' as unknown as Uint8Array,
    });
    expect(leftReason(sig)).toBe('canonical_json');
    const lone = verifyJsonSignature({ ...event, x: '\ud800' }, INVITER, 'ed25519:1', inviterKey.publicKey);
    expect(leftReason(lone)).toBe('canonical_json');
    const many = verifyJsonSignatures({ value: { ...event, x: '\ud800' }, serverName: INVITER, keys });
    expect(E.isLeft(many)).toBe(true);
  });

  it('key lookups that throw non-Error values are reported, not thrown', () => {
    const event = signedInvite('10');
    const result = verifyJsonSignatures({
      value: event,
      serverName: INVITER,
      keys: () => {
        throw 'down';
      },
    });
    expect(E.isLeft(result)).toBe(true);
  });
});

describe('strict canonical JSON checker', () => {
  it.each<[string, unknown, string]>([
    ['a lone surrogate string', '\ud800', 'lone_surrogate'],
    ['a float number', 1.5, 'float_not_allowed'],
    ['an unsafe integer number', 2 ** 60, 'integer_out_of_range'],
    ['a Map', new Map(), 'not_json'],
    ['a Date', new Date(0), 'not_json'],
    ['a function', () => 1, 'not_json'],
    ['undefined', undefined, 'not_json'],
    ['a symbol', Symbol('s'), 'not_json'],
  ])('refuses %s', (_, value, reason) => {
    const result = checkStrictCanonicalJson({ a: [value] } as unknown as JsonValue);
    expect(leftReason(result)).toBe(reason);
    expect(E.isLeft(result) && result.left.path).toEqual(['a', 0]);
  });

  it('refuses a key with a lone surrogate, accepts a null-prototype object', () => {
    const bad: MutableJsonObject = {};
    setOwn(bad, 'k\udc00', 1);
    expect(leftReason(checkStrictCanonicalJson(bad))).toBe('lone_surrogate');
    const bare = Object.assign(Object.create(null) as Record<string, JsonValue>, { a: 1 });
    expect(E.isRight(checkStrictCanonicalJson(bare as JsonValue))).toBe(true);
    expect(E.isLeft(encodeCanonicalJson(Object.create(Object.create(null)) as JsonValue))).toBe(true);
  });
});

describe('sending side: malformed parts', () => {
  const params = {
    roomVersion: '10',
    roomId: '!room:inviter.example',
    sender: '@alice:inviter.example',
    invitee: '@bob:invitee.example',
    originServerTs: 1,
    depth: 2,
    authEvents: ['$a'],
    prevEvents: ['$p'],
  };

  it('buildInviteEvent refuses bad references, content and origin', () => {
    expect(
      leftReason(
        buildInviteEvent({
          ...params,
          authEvents: 'x',
          serverName: INVITER,
          signingKey: inviterKey,
        } as never),
      ),
    ).toBe('invalid_event_reference');
    expect(
      leftReason(
        buildInviteEvent({
          ...params,
          roomVersion: '1',
          authEvents: [['$a:x', { sha256: 1 }]],
          serverName: INVITER,
          signingKey: inviterKey,
        } as never),
      ),
    ).toBe('invalid_event_reference');
    expect(
      leftReason(
        buildInviteEvent({ ...params, content: [], serverName: INVITER, signingKey: inviterKey } as never),
      ),
    ).toBe('invalid_content');
    expect(
      leftReason(
        buildInviteEvent({ ...params, origin: 5, serverName: INVITER, signingKey: inviterKey } as never),
      ),
    ).toBe('invalid_content');
    expect(
      leftReason(
        buildInviteEvent({
          ...params,
          content: { x: '\ud800' },
          serverName: INVITER,
          signingKey: inviterKey,
        }),
      ),
    ).not.toBeUndefined();
  });

  it('invitePath and buildInviteRequest refuse lone surrogates, bad state and unknown room versions', () => {
    expect(leftReason(invitePath({ apiVersion: 'v2', roomId: '!\ud800', eventId: '$e' }))).toBe(
      'invalid_event',
    );
    const event = signedInvite('10');
    expect(leftReason(buildInviteRequest({ apiVersion: 'v2', event, roomVersion: '99' } as never))).toBe(
      'unknown_room_version',
    );
    expect(leftReason(buildInviteRequest({ apiVersion: 'v2', event: 5, roomVersion: '10' } as never))).toBe(
      'invalid_event',
    );
    expect(
      leftReason(
        buildInviteRequest({ apiVersion: 'v2', event, roomVersion: '10', inviteRoomState: [5] } as never),
      ),
    ).not.toBeUndefined();
    expect(
      leftReason(
        buildInviteRequest({
          apiVersion: 'v1',
          event: signedInvite('1', { event_id: 5 }),
          roomVersion: '1',
        } as never),
      ),
    ).not.toBeUndefined();
  });

  it('verifyInviteResponse: rooms 1-2 need the sent event_id; now caps key validity', () => {
    const sent = signedInvite('1');
    const { event_id: _, ...noId } = sent;
    const result = verifyInviteResponse(
      { status: 200, body: [200, { event: sent }] },
      { apiVersion: 'v1', sentEvent: noId, roomVersion: '1', inviteeServer: INVITEE, keys },
    );
    expect(E.isLeft(result)).toBe(true);
    const expiring = verifyInviteResponse(
      { status: 200, body: { event: signedInvite('10') } },
      {
        apiVersion: 'v2',
        sentEvent: signedInvite('10'),
        roomVersion: '10',
        inviteeServer: INVITEE,
        keys: (server, keyId) => {
          const entry = keys(server, keyId);
          return entry === undefined ? undefined : { ...entry, validUntilTs: 2 ** 50 };
        },
        now: 1_700_000_000_000,
        backend: 'node',
      },
    );
    expect(leftReason(expiring)).toBe('missing_invitee_signature');
  });
});
