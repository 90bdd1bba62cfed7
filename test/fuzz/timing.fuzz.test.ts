/**
 * Time bounds on hostile 64 KiB inputs, a catastrophic-backtracking / quadratic-blowup detector (not a benchmark):
 * for every entry point that takes outside data and a set of adversarial shapes (deep nesting, runs of backslashes
 * and quotes, escapes, long digit runs, duplicate keys, many parameters, invalid UTF-8, padded valid invites), the
 * fastest of seven runs on 64 KiB stays under a generous bound, and 64 KiB costs at most ~linear more than 16 KiB.
 * Deterministic inputs: no randomness.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { verifyEventSignatures } from '../../src/events/verify.js';
import { receiveInvite } from '../../src/invite/receive/receive.js';
import { verifyInviteResponse } from '../../src/invite/send/response.js';
import { encodeCanonicalJson } from '../../src/json/canonical.js';
import { parseJson } from '../../src/json/parse.js';
import type { JsonObject } from '../../src/json/value.js';
import { parseXMatrixHeader } from '../../src/x-matrix/header.js';
import { signRequest } from '../../src/x-matrix/sign.js';
import { verifyRequest } from '../../src/x-matrix/verify.js';
import { KEY_FILES, run } from '../cli/helpers.js';
import {
  context,
  eventIdOf,
  INVITEE,
  INVITER,
  inviterKey,
  keys,
  right,
  roomStateFor,
  signedInvite,
} from '../invite/helpers.js';
import { fastestMs } from './support.js';

/** Bound on the fastest time of one call on 64 KiB (generous: coverage instrumentation, a slow CI machine). */
const BOUND_MS = 50;
/** 64 KiB may cost at most this many times 16 KiB (linear: 4; quadratic: 16), 16 KiB floored at 1 ms. */
const SCALING = 10;
const KIB = 1024;
const encoder = new TextEncoder();

/** Repeats `unit` to reach `bytes` UTF-8 bytes (roughly). */
const fill = (unit: string, bytes: number): string =>
  unit.repeat(Math.max(1, Math.floor(bytes / Buffer.byteLength(unit, 'utf8'))));

/** Hostile texts of about `n` bytes. */
function hostileTexts(n: number): Record<string, string> {
  return {
    'open brackets': fill('[', n),
    'open objects': fill('{"a":', n),
    'unterminated backslashes': `"${fill('\\', n)}`,
    'escaped é': `"${fill('\\u00e9', n)}"`,
    'lone surrogate escapes': `"${fill('\\ud800', n)}"`,
    'raw é': `"${fill('é', n)}"`,
    'long digits': fill('9', n),
    'float exponents': `[${fill('1e5,', n)}1]`,
    'duplicate keys': `{${fill('"a":1,', n)}"a":2}`,
    'distinct keys': `{${Array.from({ length: Math.floor(n / 12) }, (_, i) => `"k${i}":1`).join(',')}}`,
    whitespace: `${fill(' \n\t', n)}1`,
    'controls in string': `"${fill('\u0001', n)}"`,
  };
}

/** Hostile X-Matrix header values of about `n` bytes. */
function hostileHeaders(n: number): Record<string, string> {
  return {
    'many params': `X-Matrix ${fill('a=b,', n)}origin=x,key="ed25519:1",sig=y`,
    'escaped quotes': `X-Matrix origin="${fill('\\"', n)}",key="ed25519:1",sig=y`,
    'unterminated backslashes': `X-Matrix origin="${fill('\\', n)}`,
    commas: `X-Matrix ${fill(',', n)}`,
    spaces: `X-Matrix ${fill(' ', n)}origin=x`,
    'long value': `X-Matrix origin=${fill('x', n)},key="ed25519:1",sig=y`,
    'equals signs': `X-Matrix origin${fill('=', n)}`,
  };
}

/** A valid signed v2 room-10 invite whose canonical body is about `n` bytes (padding in signed content). */
function paddedInvite(n: number): { event: JsonObject; body: string } {
  const state = roomStateFor('10');
  const probe = signedInvite('10', { content: { membership: 'invite', pad: '' } });
  const overhead = right(
    encodeCanonicalJson({ room_version: '10', event: probe, invite_room_state: state }),
  ).length;
  const event = signedInvite('10', {
    content: { membership: 'invite', pad: fill('é', Math.max(0, n - overhead)) },
  });
  return { event, body: right(encodeCanonicalJson({ room_version: '10', event, invite_room_state: state })) };
}

interface Case {
  readonly name: string;
  readonly make: (n: number) => () => unknown;
}

const receive = (body: string | Uint8Array, roomId = `!room:${INVITER}`, eventId = '$e') =>
  receiveInvite({ apiVersion: 'v2', roomId, eventId, origin: INVITER, body }, context);

const CASES: Case[] = [
  ...Object.keys(hostileTexts(16)).flatMap((shape): Case[] => [
    { name: `parseJson text: ${shape}`, make: (n) => () => parseJson(hostileTexts(n)[shape] as string) },
    {
      name: `parseJson maxDepth 4096: ${shape}`,
      make: (n) => {
        const text = hostileTexts(n)[shape] as string;
        return () => parseJson(text, { maxDepth: 4096 });
      },
    },
    {
      name: `receiveInvite body: ${shape}`,
      make: (n) => {
        const bytes = encoder.encode(hostileTexts(n)[shape] as string);
        return () => receive(bytes);
      },
    },
  ]),
  {
    name: 'parseJson bytes: invalid UTF-8',
    make: (n) => {
      const bytes = new Uint8Array(n).fill(0xff);
      return () => parseJson(bytes);
    },
  },
  {
    name: 'receiveInvite: a valid padded invite (full pipeline, accepted)',
    make: (n) => {
      const { event, body } = paddedInvite(n);
      const bytes = encoder.encode(body);
      const eventId = eventIdOf(event, '10');
      return () => {
        const result = receive(bytes, event.room_id as string, eventId);
        if (E.isLeft(result)) throw new Error(result.left.message);
      };
    },
  },
  {
    name: 'receiveInvite: room 12 with many invite_room_state entries',
    make: (n) => {
      const [create, name] = roomStateFor('12') as [JsonObject, JsonObject];
      const per = right(encodeCanonicalJson(name)).length;
      const entries = [create, ...Array.from({ length: Math.floor(n / per) }, () => name)];
      const event = signedInvite('12');
      const bytes = encoder.encode(
        right(encodeCanonicalJson({ room_version: '12', event, invite_room_state: entries })),
      );
      return () => receive(bytes, event.room_id as string, eventIdOf(event, '12'));
    },
  },
  {
    name: 'verifyInviteResponse: a padded answer',
    make: (n) => {
      const { event } = paddedInvite(n);
      const body = encoder.encode(right(encodeCanonicalJson({ event })));
      return () =>
        verifyInviteResponse(
          { status: 200, body },
          { apiVersion: 'v2', sentEvent: event, roomVersion: '10', inviteeServer: INVITEE, keys },
        );
    },
  },
  ...Object.keys(hostileTexts(16)).map(
    (shape): Case => ({
      name: `verifyInviteResponse body: ${shape}`,
      make: (n) => {
        const body = hostileTexts(n)[shape] as string;
        const sentEvent = signedInvite('10');
        return () =>
          verifyInviteResponse(
            { status: 200, body },
            { apiVersion: 'v2', sentEvent, roomVersion: '10', inviteeServer: INVITEE, keys },
          );
      },
    }),
  ),
  ...Object.keys(hostileHeaders(16)).flatMap((shape): Case[] => [
    { name: `parseXMatrixHeader: ${shape}`, make: (n) => () => parseXMatrixHeader(hostileHeaders(n)[shape]) },
    {
      name: `verifyRequest header: ${shape}`,
      make: (n) => {
        const authorization = hostileHeaders(n)[shape] as string;
        return () =>
          verifyRequest({ method: 'PUT', uri: '/x', authorization }, { serverName: INVITEE, keys });
      },
    },
  ]),
  {
    name: 'verifyRequest: a signed request with padded content',
    make: (n) => {
      const content = { pad: fill('é', n) };
      const request = { method: 'PUT', uri: '/x', origin: INVITER, destination: INVITEE, content };
      const authorization = right(signRequest(request, inviterKey));
      return () => {
        const result = verifyRequest(
          { method: 'PUT', uri: '/x', content, authorization },
          { serverName: INVITEE, keys },
        );
        if (E.isLeft(result)) throw new Error(result.left.message);
      };
    },
  },
  {
    name: 'verifyEventSignatures: padded content',
    make: (n) => {
      const event = signedInvite('10', { content: { membership: 'invite', pad: fill('é', n) } });
      return () => verifyEventSignatures({ event, roomVersion: '10', keys });
    },
  },
  {
    name: 'verifyEventSignatures: many unknown signing keys of the sender',
    make: (n) => {
      const event = signedInvite('10');
      const sigs = (event.signatures as Record<string, Record<string, string>>)[INVITER] as Record<
        string,
        string
      >;
      const many: Record<string, string> = { ...sigs };
      for (let i = 0; i < n / 100; i++) many[`ed25519:k${i}`] = sigs['ed25519:1'] as string;
      const hostile = { ...event, signatures: { [INVITER]: many } };
      return () => verifyEventSignatures({ event: hostile, roomVersion: '10', keys });
    },
  },
];

describe('no 64 KiB input takes long (catastrophic backtracking / quadratic blowup detector)', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const small = fastestMs(c.make(16 * KIB));
    const large = fastestMs(c.make(64 * KIB));
    expect(large, `64 KiB took ${large.toFixed(2)} ms`).toBeLessThan(BOUND_MS);
    expect(
      large / Math.max(small, 1),
      `64 KiB ${large.toFixed(2)} ms vs 16 KiB ${small.toFixed(2)} ms`,
    ).toBeLessThan(SCALING);
  });

  it('the CLI receive command on a padded 64 KiB invite', async () => {
    const { event, body } = paddedInvite(64 * KIB);
    const args = [
      'receive',
      '--api',
      'v2',
      '--origin',
      INVITER,
      '--room-id',
      event.room_id as string,
      '--event-id',
      eventIdOf(event, '10'),
      '--server-name',
      INVITEE,
      '--key',
      'invitee.key',
      '--keys',
      'keys.json',
    ];
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = process.hrtime.bigint();
      const { code } = await run(args, KEY_FILES, body);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      expect(code).toBe(0);
    }
    expect(Math.min(...times)).toBeLessThan(BOUND_MS * 2);
  });
});
