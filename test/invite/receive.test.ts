/** receiveInvite: wire vectors, every room version, and the happy-path contract (countersignature, responses). */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { verifyJsonSignature } from '../../src/crypto/json-signing.js';
import { SYNAPSE_ERROR_MAPPING } from '../../src/errors/matrix.js';
import { checkContentHash } from '../../src/events/hashes.js';
import { prepareEvent } from '../../src/events/prepared.js';
import { redactEvent } from '../../src/events/redaction.js';
import { signEvent } from '../../src/events/signing.js';
import {
  type InviteContext,
  receiveInvite,
  SYNAPSE_COMPATIBLE_POLICY,
} from '../../src/invite/receive/receive.js';
import {
  buildInviteV1Response,
  buildInviteV2Response,
  encodeInviteResponse,
} from '../../src/invite/receive/response.js';
import { parseJson } from '../../src/json/parse.js';
import { type JsonObject, type JsonValue, omitKeys } from '../../src/json/value.js';
import { getRoomVersion } from '../../src/room-versions/versions.js';
import { vectors } from '../helpers/fixtures.js';
import {
  ALL_ROOM_VERSIONS,
  canonical,
  context,
  createEventV12,
  eventIdOf,
  INVITEE,
  INVITER,
  inviteeKey,
  inviterKey,
  left,
  nameEventFor,
  requestFor,
  right,
  roomStateFor,
  signedInvite,
  text,
} from './helpers.js';

function pathIds(path: string): { roomId: string; eventId: string } {
  const match = /invite\/([^/]+)\/([^/]+)$/.exec(path);
  if (match === null) throw new Error(`bad path ${path}`);
  return { roomId: match[1] as string, eventId: match[2] as string };
}

/** Our signature on a returned event verifies over its redacted form. */
function expectCountersigned(event: JsonObject, version: string): void {
  const rules = right(getRoomVersion(version));
  const redacted = right(redactEvent(event, rules));
  right(verifyJsonSignature(redacted, INVITEE, inviteeKey.keyId, inviteeKey.publicKey));
}

describe('wire_examples reproduce byte for byte', () => {
  for (const wire of vectors.wire_examples) {
    it(`${wire.id}: request → response bytes`, () => {
      const { roomId, eventId } = pathIds(wire.path_unencoded as string);
      const result = receiveInvite(
        {
          apiVersion: wire.api,
          roomId,
          eventId,
          origin: INVITER,
          body: wire.request_body_json_text as string,
        },
        { ...context, policy: { responseFormat: 'untouched', responseEncoding: 'preserve-order' } },
      );
      const accepted = right(result);
      expect(text(accepted.responseBytes)).toBe(wire.response_body_json_text);
      expect(accepted.status).toBe(wire.response_status);
    });

    it(`${wire.id}: the default (canonical, spec format) response carries the same event and signature`, () => {
      const { roomId, eventId } = pathIds(wire.path_unencoded as string);
      const accepted = right(
        receiveInvite(
          {
            apiVersion: wire.api,
            roomId,
            eventId,
            origin: INVITER,
            body: wire.request_body_json_text as string,
          },
          context,
        ),
      );
      const expected = right(parseJson(wire.response_body_json_text as string));
      const expectedEvent = (Array.isArray(expected) ? (expected[1] as JsonObject) : (expected as JsonObject))
        .event as JsonObject;
      expect((accepted.event.signatures as JsonObject)[INVITEE]).toEqual(
        (expectedEvent.signatures as JsonObject)[INVITEE],
      );
      if (wire.api === 'v2') {
        // Spec format: the request's invite_room_state copied into unsigned, canonical encoding.
        const request = right(parseJson(wire.request_body_json_text as string)) as JsonObject;
        expect(text(accepted.responseBytes)).toBe(
          canonical({
            event: { ...expectedEvent, unsigned: { invite_room_state: request.invite_room_state ?? null } },
          }),
        );
      } else {
        expect(text(accepted.responseBytes)).toBe(canonical(expected));
      }
      // Stripped legacy state: accepted with warnings in room versions 1-11.
      expect(accepted.warnings.map((w) => w.reason)).toContain('invite_room_state_missing_create');
      expect(accepted.inviteRoomState.every((entry) => entry.status !== 'verified')).toBe(true);
    });
  }
});

describe('a valid invite for every room version', () => {
  for (const version of ALL_ROOM_VERSIONS) {
    const apis = version === '1' || version === '2' ? (['v1', 'v2'] as const) : (['v2'] as const);
    for (const api of apis) {
      it(`room version ${version} over ${api}`, () => {
        const event = signedInvite(version);
        const accepted = right(receiveInvite(requestFor(api, version, event), context));
        expect(accepted.roomVersion.id).toBe(api === 'v1' ? '1' : version);
        expect(accepted.eventId).toBe(eventIdOf(event, version));
        expect(accepted.warnings).toEqual([]);
        expect(accepted.contentHashMatched).toBe(true);
        // Every other field untouched, the inviter's signature kept, ours added.
        const { signatures, ...rest } = accepted.event;
        const original: JsonObject =
          api === 'v1' ? { ...event, unsigned: { invite_room_state: roomStateFor(version) } } : event;
        const { signatures: originalSignatures, ...originalRest } = original;
        expect(rest).toEqual(originalRest);
        expect((signatures as JsonObject)[INVITER]).toEqual((originalSignatures as JsonObject)[INVITER]);
        expectCountersigned(accepted.event, version);
        // Every invite_room_state entry is a signed PDU of the room: verified.
        expect(accepted.inviteRoomState.map((entry) => entry.status)).toEqual(
          roomStateFor(version).map(() => 'verified'),
        );
        // Response shapes (spec: v1 answers [200, {event}], v2 answers {event}).
        const body = right(parseJson(accepted.responseBytes));
        if (api === 'v1') {
          expect(Array.isArray(body) && body.length === 2 && body[0] === 200).toBe(true);
        } else {
          expect(Object.keys(body as JsonObject)).toEqual(['event']);
        }
      });
    }
  }

  it('room version 12: the room ID is derived from the create event in invite_room_state', () => {
    const { create, roomId } = createEventV12();
    expect(roomId).toMatch(/^![A-Za-z0-9_-]{43}$/);
    expect(roomId.slice(1)).toBe(eventIdOf(create, '12').slice(1));
    const event = signedInvite('12');
    expect(event.room_id).toBe(roomId);
    const accepted = right(receiveInvite(requestFor('v2', '12', event), context));
    expect(accepted.inviteRoomState[0]).toMatchObject({ status: 'verified', eventId: `$${roomId.slice(1)}` });
  });

  it('accepts raw strings, bytes and parsed bodies alike', () => {
    const event = signedInvite('10');
    const bytes = requestFor('v2', '10', event);
    const parsed = requestFor('v2', '10', event, { raw: false });
    const string = { ...bytes, body: text(bytes.body as Uint8Array) };
    const results = [bytes, parsed, string].map((r) => text(right(receiveInvite(r, context)).responseBytes));
    expect(new Set(results).size).toBe(1);
  });
});

describe('determinism and immutability', () => {
  it('the same request twice gives byte-identical results, and the input is not mutated', () => {
    const event = signedInvite('11');
    const request = requestFor('v2', '11', event, { raw: false });
    const before = canonical(request.body as JsonObject);
    const deepFreeze = (value: unknown): void => {
      if (typeof value === 'object' && value !== null) {
        Object.freeze(value);
        for (const v of Object.values(value)) deepFreeze(v);
      }
    };
    deepFreeze(request.body);
    const first = right(receiveInvite(request, context));
    const second = right(receiveInvite(request, context));
    expect(text(first.responseBytes)).toBe(text(second.responseBytes));
    expect(canonical(request.body as JsonObject)).toBe(before);
  });
});

describe('policies', () => {
  const tampered = (version: string): JsonObject => {
    // displayname is not kept by redaction: the signature still verifies, the content hash does not.
    const event = signedInvite(version);
    return { ...event, content: { membership: 'invite', displayname: 'Mallory' } };
  };

  it('contentHashMismatch: redact (Synapse) countersigns and returns the redacted copy', () => {
    for (const version of ['1', '10', '12']) {
      const event = tampered(version);
      const accepted = right(
        receiveInvite(requestFor('v2', version, event), {
          ...context,
          policy: { contentHashMismatch: 'redact' },
        }),
      );
      expect(accepted.contentHashMatched).toBe(false);
      expect(accepted.event.content).toEqual({ membership: 'invite' });
      expect(accepted.event.hashes).toEqual(event.hashes);
      expect(accepted.warnings.map((w) => w.reason)).toContain('content_hash_redacted');
      expectCountersigned(accepted.event, version);
    }
  });

  it('invite_room_state: an entry altered after signing is never verified (content hash checked)', () => {
    for (const version of ['1', '10', '11', '12']) {
      const name = nameEventFor(version);
      const renamed = { ...name, content: { name: 'Altered' } };
      expect(right(checkContentHash(renamed)).matches).toBe(false);
      const state = [...roomStateFor(version).filter((e) => e.type !== 'm.room.name'), renamed];
      const request = requestFor('v2', version, signedInvite(version), { inviteRoomState: state });
      // warn (the default in 1-11; explicit for 12): accepted, the entry is "redacted", never "verified".
      const warned = right(receiveInvite(request, { ...context, policy: { inviteRoomState: 'warn' } }));
      const entry = warned.inviteRoomState[state.length - 1];
      expect(entry).toMatchObject({
        status: 'redacted',
        eventId: eventIdOf(renamed, version),
        path: ['invite_room_state', state.length - 1],
        problem: { reason: 'invite_room_state_content_hash_mismatch' },
      });
      // Only the redacted form is authenticated: it is what the signature covers.
      expect(entry?.status === 'redacted' && entry.redactedEvent).toEqual(
        right(redactEvent(renamed, right(getRoomVersion(version)))),
      );
      expect(entry?.status === 'redacted' && entry.redactedEvent.content).toEqual({});
      expect(warned.warnings).toContainEqual(
        expect.objectContaining({
          reason: 'invite_room_state_content_hash_mismatch',
          path: ['invite_room_state', state.length - 1, 'hashes', 'sha256'],
        }),
      );
      // enforce: refused, with the path of the hash.
      const enforced = left(receiveInvite(request, { ...context, policy: { inviteRoomState: 'enforce' } }));
      expect(enforced.reason).toBe('invite_room_state_content_hash_mismatch');
      expect(enforced.path).toEqual(['invite_room_state', state.length - 1, 'hashes', 'sha256']);
      // The unaltered entry is verified.
      const honest = requestFor('v2', version, signedInvite(version), {
        inviteRoomState: [...state.slice(0, -1), name],
      });
      const accepted = right(receiveInvite(honest, { ...context, policy: { inviteRoomState: 'enforce' } }));
      expect(accepted.inviteRoomState.map((e) => e.status)).toEqual(state.map(() => 'verified'));
    }
  });

  it('context.now caps every key at now + 7 days, with or without validUntilTs (invite and room state alike)', () => {
    const day = 86_400_000;
    const ts = 1_700_000_000_000; // origin_server_ts of the invite and of the room state
    const request = requestFor('v2', '10', signedInvite('10'));
    const distant: InviteContext['keys'] = (server, keyId) => {
      const entry = context.keys(server, keyId);
      return entry === undefined ? undefined : { ...entry, validUntilTs: 8.64e15 };
    };
    for (const keys of [context.keys, distant]) {
      const late = left(receiveInvite(request, { ...context, keys, now: ts - 30 * day }));
      expect(late.reason).toBe('signing_key_unknown');
      const accepted = right(receiveInvite(request, { ...context, keys, now: ts - day }));
      expect(accepted.inviteRoomState.map((e) => e.status)).toEqual(['verified']);
    }
    // The room state alone: an entry 8 days younger than now is past the cap, whichever key shape.
    const create = right(
      signEvent({
        event: {
          ...omitKeys(roomStateFor('10')[0] as JsonObject, ['signatures', 'hashes']),
          origin_server_ts: ts + 8 * day,
        },
        roomVersion: '10',
        serverName: INVITER,
        signingKey: inviterKey,
      }),
    );
    const stateRequest = requestFor('v2', '10', signedInvite('10'), { inviteRoomState: [create] });
    for (const keys of [context.keys, distant]) {
      const warned = right(receiveInvite(stateRequest, { ...context, keys, now: ts }));
      expect(warned.inviteRoomState.map((e) => e.status)).toEqual(['unverified']);
    }
  });

  it('Synapse-compatible policy: canonical response with a filtered, popped unsigned', () => {
    const event = signedInvite('10');
    const accepted = right(
      receiveInvite(requestFor('v2', '10', event), { ...context, policy: SYNAPSE_COMPATIBLE_POLICY }),
    );
    expect((right(parseJson(accepted.responseBytes)) as JsonObject).event).toMatchObject({ unsigned: {} });
    expect(accepted.inviteRoomState.every((entry) => entry.status === 'unverified')).toBe(true);
    const v1 = right(
      receiveInvite(requestFor('v1', '1', { ...signedInvite('1') }), {
        ...context,
        policy: SYNAPSE_COMPATIBLE_POLICY,
      }),
    );
    const v1Event = ((right(parseJson(v1.responseBytes)) as unknown[])[1] as JsonObject).event as JsonObject;
    expect(Object.keys(v1Event.unsigned as JsonObject)).toEqual(['invite_room_state']);
  });

  it('inviteRoomState per room version: enforce on 10 rejects legacy stripped state, warn accepts it', () => {
    const event = signedInvite('10');
    const stripped = [
      { type: 'm.room.name', state_key: '', sender: `@alice:${INVITER}`, content: { name: 'x' } },
    ];
    const request = requestFor('v2', '10', event, { inviteRoomState: stripped });
    const enforced = left(
      receiveInvite(request, { ...context, policy: { inviteRoomState: { '10': 'enforce' } } }),
    );
    expect(enforced.reason).toBe('invite_room_state_missing_create');
    const warned = right(receiveInvite(request, context));
    expect(warned.inviteRoomState[0]?.status).toBe('invalid');
  });

  it('the 3PID exemption is off by default (Synapse compatibility) and available as an option', () => {
    const content = {
      membership: 'invite',
      third_party_invite: { display_name: 'x', signed: { mxid: `@bob:${INVITEE}` } },
    };
    const event = signedInvite('10', { content });
    const { [INVITER]: _dropped, ...others } = event.signatures as JsonObject;
    const unsignedBySender = { ...event, signatures: others };
    const request = requestFor('v2', '10', unsignedBySender);
    expect(left(receiveInvite(request, context)).reason).toBe('signature_missing');
    right(receiveInvite(request, { ...context, policy: { thirdPartyInviteExemption: true } }));
  });

  it('a partial errorMapping overrides single reasons', () => {
    const event = signedInvite('10');
    const request = { ...requestFor('v2', '10', event), origin: 'evil.example' };
    const rejection = left(
      receiveInvite(request, {
        ...context,
        policy: { errorMapping: { sender_not_origin: SYNAPSE_ERROR_MAPPING.sender_not_origin } },
      }),
    );
    expect(rejection.status).toBe(400);
    expect(rejection.body).toEqual({
      errcode: 'M_UNKNOWN',
      error: 'The invite event was not from the server sending it',
    });
  });

  it('countersigning never recomputes hashes and keeps every other signature, policy server included', () => {
    const event = signedInvite('12');
    const withPolicy = {
      ...event,
      signatures: {
        ...(event.signatures as JsonObject),
        [INVITER]: {
          ...((event.signatures as JsonObject)[INVITER] as JsonObject),
          'ed25519:policy_server': 'AAAA',
        },
      },
    };
    const accepted = right(receiveInvite(requestFor('v2', '12', withPolicy), context));
    expect(((accepted.event.signatures as JsonObject)[INVITER] as JsonObject)['ed25519:policy_server']).toBe(
      'AAAA',
    );
    expect(accepted.event.hashes).toEqual(event.hashes);
  });
});

describe('response builders', () => {
  it('v1 is [200, {event}], v2 {event}; encodeInviteResponse is canonical by default', () => {
    const event = signedInvite('1');
    expect(buildInviteV1Response(event)).toEqual([200, { event }]);
    expect(buildInviteV2Response(event, { format: 'untouched' })).toEqual({ event });
    expect(text(right(encodeInviteResponse({ b: 1, a: 2 })))).toBe('{"a":2,"b":1}');
    expect(text(right(encodeInviteResponse({ b: 1, a: 2 }, 'preserve-order')))).toBe('{"b":1,"a":2}');
  });

  it('the prepared bytes of the countersigned event equal those of the received event', () => {
    const event = signedInvite('10');
    const accepted = right(receiveInvite(requestFor('v2', '10', event), context));
    const a = right(prepareEvent(event, '10')).signingBytes;
    const b = right(prepareEvent(accepted.event, '10')).signingBytes;
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(E.isRight(receiveInvite(requestFor('v2', '10', event), context))).toBe(true);
  });
});

describe('response bytes assembled from already encoded members', () => {
  it('equal the canonical encoding of responseBody (unknown, astral and __proto__ top-level keys included)', () => {
    const extra: Record<string, JsonValue> = {
      '\u{1F600}': 1,
      '\uFB33': 'x',
      zz_unknown: { nested: [1, 'a'] },
    };
    const cases: ['v1' | 'v2', string, JsonObject][] = [
      ['v2', '10', signedInvite('10')],
      ['v2', '11', signedInvite('11', extra)],
      ['v2', '12', signedInvite('12', extra)],
      ['v1', '1', signedInvite('1', extra)],
    ];
    const withProto: Record<string, JsonValue> = {};
    Object.defineProperty(withProto, '__proto__', {
      value: 'own',
      enumerable: true,
      configurable: true,
      writable: true,
    });
    cases.push(['v2', '10', signedInvite('10', withProto)]);
    let checked = 0;
    for (const [api, version, event] of cases) {
      for (const responseFormat of ['spec', 'untouched', 'synapse'] as const) {
        const accepted = right(
          receiveInvite(requestFor(api, version, event), { ...context, policy: { responseFormat } }),
        );
        expect(text(accepted.responseBytes)).toBe(text(right(encodeInviteResponse(accepted.responseBody))));
        checked++;
      }
    }
    expect(checked).toBe(15);
  });

  it('equal it too when the policy hook changes the event (nothing encoded before the hook is reused)', () => {
    // A misbehaving hook (the policy says it must be pure) rewrites in place what it was shown: a member of the
    // event whose text was received as canonical JSON (`content`), a top-level field, or an invite_room_state
    // entry (also received as canonical text, inside the v2 body's `invite_room_state` or the v1 event's
    // `unsigned`). Each rewrite alone must show in the response bytes, which must be the full encoding of the
    // response body: a reused text from before the hook would still say "Bob".
    type Hook = NonNullable<NonNullable<Parameters<typeof receiveInvite>[1]['policy']>['authorize']>;
    const rewrites: [string, Hook][] = [
      [
        'content',
        ({ event }) => {
          (event.content as Record<string, JsonValue>).displayname = 'Mallory';
          return undefined;
        },
      ],
      [
        'top-level field',
        ({ event }) => {
          (event as Record<string, JsonValue>).origin = 'Mallory.example';
          return undefined;
        },
      ],
      [
        'invite_room_state entry',
        ({ inviteRoomState }) => {
          const entry = inviteRoomState[0]?.event as Record<string, JsonValue>;
          (entry.content as Record<string, JsonValue>).creator = '@Mallory:inviter.example';
          return undefined;
        },
      ],
    ];
    let checked = 0;
    for (const [what, authorize] of rewrites) {
      for (const raw of [true, false]) {
        for (const api of ['v1', 'v2'] as const) {
          const version = api === 'v1' ? '1' : '10';
          const accepted = right(
            receiveInvite(requestFor(api, version, signedInvite(version), { raw }), {
              ...context,
              policy: { authorize },
            }),
          );
          const expected = text(right(encodeInviteResponse(accepted.responseBody)));
          expect(expected, `${what}, ${api}, raw ${raw}`).toContain('Mallory');
          expect.soft(text(accepted.responseBytes), `${what}, ${api}, raw ${raw}`).toBe(expected);
          checked++;
        }
      }
    }
    expect(checked).toBe(12);
  });
});
