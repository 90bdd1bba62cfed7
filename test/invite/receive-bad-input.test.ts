/** Bad input gets typed rejections (never an exception or a 500), and fast-check properties (seeded). */
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { countersignInvite } from '../../src/invite/receive/countersign.js';
import {
  type InviteContext,
  type InvitePolicy,
  type ReceivedInviteRequest,
  receiveInvite,
  SYNAPSE_COMPATIBLE_POLICY,
} from '../../src/invite/receive/receive.js';
import {
  InviteV1RequestCodec,
  InviteV2RequestCodec,
  supportedRoomVersionTable,
} from '../../src/invite/receive/request.js';
import { validateInviteEvent } from '../../src/invite/receive/validate.js';
import {
  isJsonObject,
  type JsonObject,
  type JsonValue,
  type MutableJsonObject,
  setOwn,
} from '../../src/json/value.js';
import type { RoomVersionRules } from '../../src/room-versions/rules.js';
import { ROOM_VERSIONS } from '../../src/room-versions/versions.js';
import { jsonText, jsonValue, nested } from '../helpers/json-arbitrary.js';
import { canonical, context, INVITER, left, requestFor, signedInvite } from './helpers.js';

const SEED = 20260726;
const enc = new TextEncoder();

function v2Body(event: JsonValue, extra: Record<string, JsonValue> = {}): Uint8Array {
  return enc.encode(canonical({ room_version: '10', event, ...extra }));
}

function requestWithEvent(event: JsonValue, extra: Record<string, JsonValue> = {}): ReceivedInviteRequest {
  return {
    apiVersion: 'v2',
    roomId: `!room:${INVITER}`,
    eventId: '$x',
    origin: INVITER,
    body: v2Body(event, extra),
  };
}

const good = signedInvite('10');
const without = (key: string): JsonObject => {
  const out: MutableJsonObject = {};
  for (const k of Object.keys(good)) if (k !== key) setOwn(out, k, good[k] as JsonValue);
  return out;
};

describe('bad input: typed rejections with paths', () => {
  const cases: [string, ReceivedInviteRequest, string, (string | number)[]?][] = [
    ['missing type', requestWithEvent(without('type')), 'invalid_pdu', ['event', 'type']],
    ['null sender', requestWithEvent({ ...good, sender: null }), 'invalid_pdu', ['event', 'sender']],
    [
      'content an array',
      requestWithEvent({ ...good, content: ['invite'] }),
      'invalid_pdu',
      ['event', 'content'],
    ],
    ['unsigned: null', requestWithEvent({ ...good, unsigned: null }), 'invalid_pdu', ['event', 'unsigned']],
    [
      'state_key a number',
      requestWithEvent({ ...good, state_key: 123 }),
      'invalid_pdu',
      ['event', 'state_key'],
    ],
    ['hashes an array', requestWithEvent({ ...good, hashes: [] }), 'invalid_pdu', ['event', 'hashes']],
    [
      'signatures null',
      requestWithEvent({ ...good, signatures: null }),
      'invalid_pdu',
      ['event', 'signatures'],
    ],
    ['depth negative', requestWithEvent({ ...good, depth: -1 }), 'invalid_pdu', ['event', 'depth']],
    ['depth a bool', requestWithEvent({ ...good, depth: true }), 'invalid_pdu', ['event', 'depth']],
    [
      'big integer in room 10',
      requestWithEvent({ ...good, depth: 2n ** 60n }),
      'not_canonical_json',
      ['event', 'depth'],
    ],
    [
      'event_id in room 10',
      requestWithEvent({ ...good, event_id: '$x' }),
      'invalid_pdu',
      ['event', 'event_id'],
    ],
    [
      '21 prev_events',
      requestWithEvent({ ...good, prev_events: Array(21).fill('$p') }),
      'invalid_pdu',
      ['event', 'prev_events'],
    ],
    [
      'room_version null',
      { ...requestWithEvent(good), body: enc.encode('{"room_version":null,"event":{}}') },
      'room_version_not_string',
    ],
    [
      'room_version bad grammar',
      { ...requestWithEvent(good), body: enc.encode('{"room_version":"V 10","event":{}}') },
      'room_version_unsupported',
    ],
    [
      'event null',
      { ...requestWithEvent(good), body: enc.encode('{"room_version":"10","event":null}') },
      'event_not_object',
    ],
    [
      'NaN',
      { ...requestWithEvent(good), body: enc.encode('{"room_version":"10","event":NaN}') },
      'body_not_json',
    ],
    [
      'invalid UTF-8',
      { ...requestWithEvent(good), body: Uint8Array.from([0x7b, 0xff, 0x7d]) },
      'body_not_json',
    ],
    [
      'lone surrogate',
      { ...requestWithEvent(good), body: '{"room_version":"10","event":"\\ud800"}' },
      'body_not_json',
    ],
    ['empty body', { ...requestWithEvent(good), body: new Uint8Array() }, 'body_not_json'],
    ['no body', { ...requestWithEvent(good), body: undefined as unknown as string }, 'body_not_json'],
    ['deep nesting', { ...requestWithEvent(good), body: nested(5000, '0') }, 'body_too_deep'],
    [
      'huge body',
      { ...requestWithEvent(good), body: `{"x":"${'a'.repeat(14 * 1024 * 1024)}"}` },
      'body_too_large',
    ],
  ];
  it('a body that is not JSON names the byte offset once', () => {
    const rejection = left(receiveInvite({ ...requestWithEvent(good), body: '{"room_version":,}' }, context));
    expect(rejection.reason).toBe('body_not_json');
    expect(rejection.message).toBe(
      'request body is not JSON: unexpected character ",", expecting a value (at byte 16)',
    );
    const deep = left(receiveInvite({ ...requestWithEvent(good), body: nested(300, '0') }, context));
    expect(deep.message.match(/byte/g)).toHaveLength(1);
  });
  for (const [name, request, reason, path] of cases) {
    it(name, () => {
      const rejection = left(receiveInvite(request, context));
      expect(rejection.reason).toBe(reason);
      expect(rejection.status).toBeLessThan(500);
      if (path !== undefined) expect(rejection.path).toEqual(path);
    });
  }

  it('__proto__ keys are ordinary keys: kept, hashed and signed, never prototype pollution', () => {
    const content: MutableJsonObject = { membership: 'invite' };
    setOwn(content, '__proto__', { polluted: true });
    const event = signedInvite('10', { content });
    const accepted = receiveInvite(requestFor('v2', '10', event), context);
    expect(E.isRight(accepted)).toBe(true);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    if (E.isRight(accepted)) {
      expect(Object.hasOwn(accepted.right.event.content as JsonObject, '__proto__')).toBe(true);
    }
    // A raw body with a top-level __proto__ key is just an unknown key.
    const raw = '{"__proto__":{"x":1},"room_version":"10","event":{}}';
    expect(left(receiveInvite({ ...requestWithEvent(good), body: raw }, context)).reason).toBe('invalid_pdu');
  });

  it('the body codecs accept what the parsers accept', () => {
    expect(
      E.isRight(InviteV2RequestCodec.decode({ room_version: '10', event: good, invite_room_state: [] })),
    ).toBe(true);
    expect(E.isLeft(InviteV2RequestCodec.decode({ room_version: 10, event: good }))).toBe(true);
    expect(E.isRight(InviteV1RequestCodec.decode(signedInvite('1')))).toBe(true);
    expect(E.isLeft(InviteV1RequestCodec.decode(good))).toBe(true);
  });
});

describe('properties (seeded)', () => {
  it('arbitrary JSON bodies never throw and always give a typed answer', () => {
    fc.assert(
      fc.property(jsonText(), fc.constantFrom('v1', 'v2'), (text, api) => {
        const result = receiveInvite({ ...requestWithEvent(good), apiVersion: api, body: text }, context);
        expect(E.isLeft(result)).toBe(true);
        if (E.isLeft(result)) {
          expect(result.left.status).toBeLessThan(500);
          expect(typeof result.left.body.errcode).toBe('string');
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('arbitrary values in place of the event, or of any field of it, never throw', () => {
    const keys = Object.keys(good);
    fc.assert(
      fc.property(jsonValue(), fc.constantFrom(...keys, '(event)'), (value, key) => {
        const event = key === '(event)' ? value : { ...good, [key]: value };
        const result = receiveInvite(requestWithEvent(event, { invite_room_state: [value] }), context);
        if (E.isLeft(result)) expect(result.left.status).toBeLessThan(500);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('arbitrary bytes never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(E.isLeft(receiveInvite({ ...requestWithEvent(good), body: bytes }, context))).toBe(true);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  /** Every leaf path of a value, outside top-level `signatures` and `unsigned`. */
  function leafPaths(value: JsonValue, prefix: (string | number)[] = []): (string | number)[][] {
    if (Array.isArray(value)) return value.flatMap((v, i) => leafPaths(v, [...prefix, i]));
    if (isJsonObject(value)) {
      return Object.keys(value)
        .filter((k) => prefix.length > 0 || (k !== 'signatures' && k !== 'unsigned'))
        .flatMap((k) => leafPaths((value as JsonObject)[k] as JsonValue, [...prefix, k]));
    }
    return [prefix];
  }

  function setPath(value: JsonValue, path: (string | number)[], replacement: JsonValue): JsonValue {
    if (path.length === 0) return replacement;
    const [head, ...rest] = path as [string | number, ...(string | number)[]];
    if (Array.isArray(value)) return value.map((v, i) => (i === head ? setPath(v, rest, replacement) : v));
    const out: MutableJsonObject = { ...(value as JsonObject) };
    setOwn(out, String(head), setPath((value as JsonObject)[String(head)] as JsonValue, rest, replacement));
    return out;
  }

  for (const version of ['1', '10', '12']) {
    it(`room ${version}: any change to a hashed or signed field is rejected`, () => {
      const event = signedInvite(version);
      const paths = leafPaths(event);
      const api = version === '1' ? 'v1' : 'v2';
      const base = requestFor(api, version, event);
      fc.assert(
        fc.property(
          fc.constantFrom(...paths),
          jsonValue({ legacyNumbers: false, maxDepth: 2 }),
          (path, replacement) => {
            const mutated = setPath(event, path, replacement) as JsonObject;
            fc.pre(canonical(mutated) !== canonical(event));
            // The path keeps naming the original event, as an attacker replaying its ID would.
            const request = requestFor(api, version, mutated, { eventId: base.eventId, roomId: base.roomId });
            const result = receiveInvite(request, context);
            expect(E.isLeft(result)).toBe(true);
          },
        ),
        { seed: SEED, numRuns: 200 },
      );
    });
  }
});

describe('caller mistakes are caller errors (500, saying what was wrong), never blamed on the peer', () => {
  const request = requestFor('v2', '10', signedInvite('10'));
  const callerError = (result: ReturnType<typeof receiveInvite>, reason: string, mentions: string) => {
    const rejection = left(result);
    expect(rejection.reason).toBe(reason);
    expect(rejection.status).toBe(500);
    expect(rejection.body.errcode).toBe('M_UNKNOWN');
    expect(rejection.message).toContain(mentions);
  };
  const withPolicy = (policy: unknown): InviteContext => ({ ...context, policy: policy as InvitePolicy });

  it.each<[string, unknown, string]>([
    [
      'a non-number status',
      { errorMapping: { signature_missing: { status: '400', errcode: 'M_X' } } },
      'status',
    ],
    [
      'a status out of 100-599',
      { errorMapping: { signature_missing: { status: 99, errcode: 'M_X' } } },
      'status',
    ],
    [
      'a non-integer status',
      { errorMapping: { signature_missing: { status: 400.5, errcode: 'M_X' } } },
      'status',
    ],
    ['a non-string errcode', { errorMapping: { signature_missing: { status: 400, errcode: 7 } } }, 'errcode'],
    ['a null entry', { errorMapping: { signature_missing: null } }, 'signature_missing'],
    [
      'an unknown reason',
      { errorMapping: { signatur_missing: { status: 400, errcode: 'M_X' } } },
      'signatur_missing',
    ],
    [
      'a non-string error text',
      { errorMapping: { forbidden: { status: 403, errcode: 'M_X', error: 5 } } },
      'error',
    ],
    ['contentHashMismatch: bogus', { contentHashMismatch: 'bogus' }, 'contentHashMismatch'],
    ['inviteRoomState: 7', { inviteRoomState: 7 }, 'inviteRoomState'],
    ['inviteRoomState per version: bogus', { inviteRoomState: { '10': 'strict' } }, 'inviteRoomState'],
    ['responseFormat: bogus', { responseFormat: 'json' }, 'responseFormat'],
    ['responseEncoding: bogus', { responseEncoding: 'pretty' }, 'responseEncoding'],
    ['backend: bogus', { backend: 'openssl' }, 'backend'],
    ['base64Mode: bogus', { base64Mode: 'loose' }, 'base64Mode'],
    ['maxBodyBytes: -1', { maxBodyBytes: -1 }, 'maxBodyBytes'],
    ['maxJsonDepth: NaN', { maxJsonDepth: Number.NaN }, 'maxJsonDepth'],
    ['maxEventDepth: a number', { maxEventDepth: 5 }, 'maxEventDepth'],
    ['thirdPartyInviteExemption: "yes"', { thirdPartyInviteExemption: 'yes' }, 'thirdPartyInviteExemption'],
    ['contentHashDialect: bogus', { contentHashDialect: 'python' }, 'contentHashDialect'],
    ['authorize: not a function', { authorize: 'allow' }, 'authorize'],
    ['policy: not an object', 'synapse', 'policy'],
  ])('policy with %s: invalid_context', (_name, policy, mentions) => {
    callerError(receiveInvite(request, withPolicy(policy)), 'invalid_context', mentions);
  });

  it.each<[string, Partial<Record<keyof InviteContext, unknown>>, string]>([
    ['now: NaN', { now: Number.NaN }, 'now'],
    ['now: a string', { now: '1700000000000' }, 'now'],
    ['supportedRoomVersions: [42]', { supportedRoomVersions: [42] }, 'supportedRoomVersions[0]'],
    ['supportedRoomVersions: [null]', { supportedRoomVersions: [null] }, 'supportedRoomVersions[0]'],
    [
      'supportedRoomVersions: an unknown version',
      { supportedRoomVersions: ['10', '13'] },
      'supportedRoomVersions[1]',
    ],
    [
      'supportedRoomVersions: bad rules',
      { supportedRoomVersions: [{ id: 'x' }] },
      'supportedRoomVersions[0]',
    ],
    ['supportedRoomVersions: not an array', { supportedRoomVersions: '10' }, 'supportedRoomVersions'],
  ])('context with %s: invalid_context', (_name, override, mentions) => {
    callerError(
      receiveInvite(request, { ...context, ...override } as InviteContext),
      'invalid_context',
      mentions,
    );
  });

  it('an invalid errorMapping is not used to answer its own refusal', () => {
    const result = receiveInvite(request, withPolicy({ errorMapping: { invalid_context: { status: 'x' } } }));
    expect(left(result)).toMatchObject({ reason: 'invalid_context', status: 500 });
  });

  it('a body that is neither bytes, text nor a JSON value (an ArrayBuffer) is invalid_request, not 400', () => {
    const bytes = request.body as Uint8Array;
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    callerError(
      receiveInvite({ ...request, body: buffer as never }, context),
      'invalid_request',
      'ArrayBuffer',
    );
    callerError(receiveInvite({ ...request, body: new Map() as never }, context), 'invalid_request', 'Map');
    callerError(
      receiveInvite({ ...request, body: { room_version: '10', event: new Date(0) } as never }, context),
      'invalid_request',
      'Date',
    );
    callerError(
      receiveInvite({ ...request, body: (() => 1) as never }, context),
      'invalid_request',
      'function',
    );
  });

  it('a key lookup that answers a Promise, junk or throws is invalid_context, not signature_invalid', () => {
    const promise: InviteContext['keys'] = (server, keyId) =>
      Promise.resolve(context.keys(server, keyId)) as never;
    callerError(receiveInvite(request, { ...context, keys: promise }), 'invalid_context', 'Promise');
    const junk: InviteContext['keys'] = () => ({ key: 42 }) as never;
    callerError(receiveInvite(request, { ...context, keys: junk }), 'invalid_context', 'key');
    const badValidity: InviteContext['keys'] = (server, keyId) =>
      ({ ...context.keys(server, keyId), validUntilTs: 'soon' }) as never;
    callerError(receiveInvite(request, { ...context, keys: badValidity }), 'invalid_context', 'validUntilTs');
    const throwing: InviteContext['keys'] = () => {
      throw new Error('key store down');
    };
    callerError(receiveInvite(request, { ...context, keys: throwing }), 'invalid_context', 'key store down');
    // invite_room_state is checked with the same lookup: a caller error even under policy warn.
    let calls = 0;
    const secondCallJunk: InviteContext['keys'] = (server, keyId) =>
      ++calls === 1 ? context.keys(server, keyId) : (5 as never);
    callerError(
      receiveInvite(request, { ...context, keys: secondCallJunk, policy: { inviteRoomState: 'warn' } }),
      'invalid_context',
      'key lookup',
    );
  });

  it('an authorize hook answering junk is invalid_context, not a 403 to the peer', () => {
    callerError(
      receiveInvite(request, withPolicy({ authorize: () => ({ verdict: 'deny' }) })),
      'invalid_context',
      'authorize',
    );
    callerError(
      receiveInvite(request, withPolicy({ authorize: () => 'allow' })),
      'invalid_context',
      'authorize',
    );
  });

  it('valid settings are still accepted (maps, known reasons, custom versions)', () => {
    const ok = receiveInvite(request, {
      ...context,
      now: 1_700_000_000_000,
      supportedRoomVersions: ['10', ROOM_VERSIONS['11'] as RoomVersionRules],
      policy: {
        errorMapping: { forbidden: { status: 403, errcode: 'M_FORBIDDEN', error: 'no' } },
        inviteRoomState: { '10': 'warn' },
        maxEventDepth: 5n,
        authorize: () => undefined,
      },
    });
    expect(left(ok).reason).toBe('invalid_pdu'); // depth 10 > maxEventDepth 5: the settings were used
    expect(E.isRight(receiveInvite(request, { ...context, policy: SYNAPSE_COMPATIBLE_POLICY }))).toBe(true);
  });
});

describe('the exports issue #10 found throwing answer a Left or a value', () => {
  it('validateInviteEvent(null, rules, {}) is a Left', () => {
    const result = validateInviteEvent(null as never, ROOM_VERSIONS['10'] as RoomVersionRules, {} as never);
    expect(E.isLeft(result)).toBe(true);
    const noOptions = validateInviteEvent(good, ROOM_VERSIONS['10'] as RoomVersionRules, {} as never);
    expect(left(noOptions)).toMatchObject({ reason: 'invalid_context' });
  });

  it('supportedRoomVersionTable([null]) skips what is not a room version', () => {
    expect([...supportedRoomVersionTable([null, '10', 42, { id: 5 }] as never).keys()]).toEqual(['10']);
  });

  it("countersignInvite(null, 'x', null) is a Left", () => {
    expect(left(countersignInvite(null as never, 'x', null as never)).reason).toBe('invalid_context');
  });
});
