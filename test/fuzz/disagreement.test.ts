/** The interop suites' minimal-case machinery (test/helpers/disagreement.ts), with a fake oracle. */
import { describe, expect, it, vi } from 'vitest';
import type { JsonValue } from '../../src/json/value.js';
import {
  bytesCandidates,
  jsonCandidates,
  reportDisagreement,
  shrinkBatched,
  smallest,
  stringCandidates,
} from '../helpers/disagreement.js';

describe('disagreement shrinking', () => {
  it('shrinks a text to the smallest one the fake oracle still disagrees on, one oracle call per round', () => {
    // The "bug": any text containing both "\\u" and "9" disagrees.
    const oracle = vi.fn((batch: readonly string[]) =>
      batch.map((t) => t.includes('\\u') && t.includes('9')),
    );
    const result = shrinkBatched('[1,2,{"a":"x\\u0041y"},999,"zz"]', stringCandidates, oracle);
    expect(result.value.length).toBeLessThanOrEqual(3);
    expect(result.value).toContain('\\u');
    expect(result.value).toContain('9');
    expect(result.oracleCalls).toBe(oracle.mock.calls.length);
  });

  it('shrinks a JSON value by removing members and elements, keeping protected keys', () => {
    const event: JsonValue = {
      type: 'm.x',
      content: { a: [1, 2, { bad: 2n ** 64n }], b: 'long string' },
      extra: 1,
    };
    const hasBig = (v: JsonValue): boolean =>
      typeof v === 'bigint' ||
      (typeof v === 'object' && v !== null && Object.values(v as Record<string, JsonValue>).some(hasBig));
    const result = shrinkBatched<JsonValue>(
      event,
      (v) => jsonCandidates(v, ['type']),
      (batch) => batch.map(hasBig),
    );
    expect(Object.keys(result.value as object)).toEqual(['type', 'content']);
    const content = (result.value as { content: { a: [{ bad: bigint }] } }).content;
    expect(Object.keys(content)).toEqual(['a']);
    expect(content.a.length).toBe(1);
    expect(content.a[0].bad).toBeLessThan(2n ** 64n); // halved for the 40 rounds allowed
  });

  it('stops after maxRounds and when nothing disagrees', () => {
    expect(shrinkBatched('abc', stringCandidates, (b) => b.map(() => false)).value).toBe('abc');
    expect(shrinkBatched('abcdef', stringCandidates, (b) => b.map(() => true), { maxRounds: 1 }).rounds).toBe(
      1,
    );
    expect(bytesCandidates('aabbcc')).toContain('aacc');
    expect(smallest(['xx', 'x', 'xxx'], (s) => s.length)).toBe('x');
    expect(smallest([], (s: string) => s.length)).toBeUndefined();
  });

  it('prints the seed, the replay command and the minimal input', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const text = reportDisagreement({
      title: 't',
      seed: 42,
      seedEnv: 'INTEROP_SEED',
      file: 'test/x.ts',
      input: '"\\u0000"',
      details: { ours: 'a', big: 1n },
      count: 3,
      shrink: { value: 'x', rounds: 2, oracleCalls: 2 },
    });
    expect(text).toContain('INTEROP_SEED=42 npx vitest run test/x.ts');
    expect(text).toContain('"\\u0000"');
    expect(text).toContain('"1n"');
    expect(spy).toHaveBeenCalledWith(text);
    spy.mockRestore();
  });
});
