/**
 * Catastrophic-backtracking guard (not a benchmark): every parser must stay linear on long hostile inputs.
 * The bound is deliberately generous; a super-linear parser takes seconds on these inputs.
 */
import { describe, expect, it } from 'vitest';
import { parseKeyId } from '../../src/identifiers/key-id.js';
import { parseEventId, parseRoomId } from '../../src/identifiers/room-event-id.js';
import { isIpv6Address, parseServerName } from '../../src/identifiers/server-name.js';
import { parseUserId, serverNameOf } from '../../src/identifiers/user-id.js';
import { isValidRoomVersionId } from '../../src/room-versions/versions.js';

const N = 100_000;
const inputs: Record<string, string> = {
  letters: 'a'.repeat(N),
  dots: '.'.repeat(N),
  digitsAndDots: '1.'.repeat(N / 2),
  colons: ':'.repeat(N),
  hexColons: 'a:'.repeat(N / 2),
  doubleColons: '1::'.repeat(N / 3),
  bracketed: `[${'1:'.repeat(N / 2)}]`,
  unclosed: `[${':'.repeat(N)}`,
  userLike: `@${'a'.repeat(N)}:${'b'.repeat(N)}`,
  userNoColon: `@${'a'.repeat(N)}`,
  userHistorical: `@${'🐈'.repeat(N / 2)}:x`,
  roomLike: `!${'a:'.repeat(N / 2)}`,
  eventLike: `$${'A'.repeat(N)}`,
  keyLike: `ed25519:${'a'.repeat(N)}!`,
  surrogates: '\ud800'.repeat(N),
};

const LIMIT_MS = 50;

const parsers: Record<string, (input: string) => unknown> = {
  parseServerName: (s) => parseServerName(s),
  'parseServerName(x:…)': (s) => parseServerName(`x:${s}`),
  isIpv6Address: (s) => isIpv6Address(s),
  parseUserId: (s) => parseUserId(s),
  'parseUserId(@…, strict)': (s) => parseUserId(`@${s}`, { strict: true }),
  'parseUserId(@a:…)': (s) => parseUserId(`@a:${s}`),
  serverNameOf: (s) => serverNameOf(s),
  parseRoomId: (s) => parseRoomId(s),
  'parseRoomId(!…, 10)': (s) => parseRoomId(`!${s}`, '10'),
  'parseRoomId(!…, 12)': (s) => parseRoomId(`!${s}`, '12'),
  'parseEventId($…, 1)': (s) => parseEventId(`$${s}`, '1'),
  'parseEventId($…, 3)': (s) => parseEventId(`$${s}`, '3'),
  parseKeyId: (s) => parseKeyId(s, { strict: true }),
  'parseKeyId(ed25519:…)': (s) => parseKeyId(`ed25519:${s}`, { strict: true }),
  isValidRoomVersionId: (s) => isValidRoomVersionId(s),
};

/** Best of three runs, so that a GC pause or a busy machine does not fail the guard. */
function time(fn: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 3; run++) {
    const start = performance.now();
    fn();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

describe(`identifier parsers run in linear time (${N / 1000}k-character inputs, < ${LIMIT_MS} ms each)`, () => {
  for (const [inputName, input] of Object.entries(inputs)) {
    it(inputName, () => {
      for (const [parserName, parse] of Object.entries(parsers)) {
        const elapsed = time(() => parse(input));
        expect({ parserName, slow: elapsed >= LIMIT_MS }).toEqual({ parserName, slow: false });
      }
    });
  }
});
