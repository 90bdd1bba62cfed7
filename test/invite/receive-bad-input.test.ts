/** Bad input gets typed rejections (never an exception or a 500), and fast-check properties (seeded). */
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { type ReceivedInviteRequest, receiveInvite } from '../../src/invite/receive/receive.js';
import { InviteV1RequestCodec, InviteV2RequestCodec } from '../../src/invite/receive/request.js';
import {
  isJsonObject,
  type JsonObject,
  type JsonValue,
  type MutableJsonObject,
  setOwn,
} from '../../src/json/value.js';
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
