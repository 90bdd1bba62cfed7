/**
 * The io-ts PDU codecs used as type guards (`.is`) and with foreign error reports, and `defineRoomVersion`'s
 * validation of rules objects from untyped callers: each malformed field names itself.
 */
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import {
  depthCodec,
  HashesC,
  IntegerC,
  JsonObjectC,
  PduV1Codec,
  PduV3Codec,
  PduV12Codec,
  reportPduIssues,
  SignaturesC,
  StringC,
  validatePduShape,
} from '../../src/events/pdu.js';
import { defineRoomVersion, ROOM_VERSIONS } from '../../src/room-versions/versions.js';
import { signedInvite } from '../invite/helpers.js';

describe('PDU codecs as type guards', () => {
  it('accept the events of their format and refuse others', () => {
    expect(PduV1Codec.is(signedInvite('1'))).toBe(true);
    expect(PduV3Codec.is(signedInvite('10'))).toBe(true);
    expect(PduV12Codec.is(signedInvite('12'))).toBe(true);
    expect(PduV3Codec.is(signedInvite('1'))).toBe(false);
    expect(PduV1Codec.is(signedInvite('10'))).toBe(false);
    expect(PduV3Codec.is('x')).toBe(false);
    expect(PduV3Codec.is({ ...signedInvite('10'), depth: -1 })).toBe(false);
    expect(PduV3Codec.is({ ...signedInvite('10'), hashes: { sha256: 1 } })).toBe(false);
    expect(PduV3Codec.is({ ...signedInvite('10'), auth_events: new Array(11).fill('$a') })).toBe(false);
    expect(PduV1Codec.is({ ...signedInvite('1'), prev_events: [['$a', { sha256: 'x' }, 3]] })).toBe(false);
  });

  it('leaf codecs', () => {
    expect(StringC.is('a')).toBe(true);
    expect(StringC.is(1)).toBe(false);
    expect(JsonObjectC.is({})).toBe(true);
    expect(JsonObjectC.is([])).toBe(false);
    expect(IntegerC.is(2n ** 70n)).toBe(true);
    expect(IntegerC.is(1.5)).toBe(false);
    expect(depthCodec(10n).is(10)).toBe(true);
    expect(depthCodec(10n).is(11n)).toBe(false);
    expect(HashesC.is({ sha256: 'x', other: 'y' })).toBe(true);
    expect(HashesC.is({ other: 'y' })).toBe(false);
    expect(SignaturesC.is({ s: { 'ed25519:1': 'x' } })).toBe(true);
    expect(SignaturesC.is({ s: { 'ed25519:1': 1 } })).toBe(false);
    expect(E.isLeft(SignaturesC.decode([]))).toBe(true);
    const pdu = signedInvite('10');
    if (!PduV3Codec.is(pdu)) throw new Error('not a PDU');
    expect(PduV3Codec.encode(pdu)).toEqual(pdu);
  });

  it('reports errors from other codecs (no reason prefix, no message) as wrong_type, once per path', () => {
    const result = t.type({ a: t.string, b: t.string }).decode({ a: 1, b: 2 });
    if (E.isRight(result)) throw new Error('expected errors');
    const doubled = [...result.left, ...result.left];
    const issues = reportPduIssues(doubled);
    expect(issues.map((i) => [i.reason, i.path])).toEqual([
      ['wrong_type', ['a']],
      ['wrong_type', ['b']],
    ]);
  });

  it('an absent value is "missing"; validatePduShape reports a missing field', () => {
    const decoded = StringC.decode(undefined);
    expect(E.isLeft(decoded) && reportPduIssues(decoded.left)[0]?.message).toBe('$: missing (a string)');
    const { depth: _, ...noDepth } = signedInvite('10');
    const result = validatePduShape({ event: noDepth, roomVersion: '10' });
    expect(E.isLeft(result) && result.left.issues.map((i) => i.path)).toContainEqual(['depth']);
  });
});

describe('defineRoomVersion: malformed rules', () => {
  const base = ROOM_VERSIONS['10'];
  it.each<[string, Record<string, unknown>, string]>([
    ['id not a string', { id: 5 }, 'got a number'],
    ['long id', { id: 'x'.repeat(50) }, '…'],
    ['redaction not an object', { redaction: null }, 'redaction must be an object'],
    ['redaction.name', { redaction: { ...base?.redaction, name: 1 } }, 'redaction.name must be a string'],
    [
      'topLevelKeys',
      { redaction: { ...base?.redaction, topLevelKeys: [1] } },
      'topLevelKeys must be an array of strings',
    ],
    ['contentKeys', { redaction: { ...base?.redaction, contentKeys: [] } }, 'contentKeys must be an object'],
    ['keep list', { redaction: { ...base?.redaction, contentKeys: { t: 5 } } }, 'must be "all" or an array'],
    [
      'topLevelKeysDroppedByType not an object',
      { redaction: { ...base?.redaction, topLevelKeysDroppedByType: ['room_id'] } },
      'topLevelKeysDroppedByType must be an object',
    ],
    [
      'topLevelKeysDroppedByType entry',
      { redaction: { ...base?.redaction, topLevelKeysDroppedByType: { 'm.room.create': 'room_id' } } },
      'topLevelKeysDroppedByType["m.room.create"] must be an array of strings',
    ],
    ['roomIdFormat', { roomIdFormat: 'x' }, 'roomIdFormat is invalid'],
    ['pduFormat', { pduFormat: 'v2' }, 'pduFormat must be v1, v3 or v12'],
    ['strictCanonicalJson', { strictCanonicalJson: 'yes' }, 'strictCanonicalJson must be a boolean'],
    ['enforceKeyValidity', { enforceKeyValidity: 1 }, 'enforceKeyValidity must be a boolean'],
    ['maxAuthEvents', { maxAuthEvents: -1 }, 'must be non-negative integers'],
  ])('%s', (_, overrides, message) => {
    const result = defineRoomVersion('10', { id: 'org.example.custom', ...overrides } as never);
    expect(E.isLeft(result) && result.left.message).toContain(message);
  });
});
