/**
 * The README's examples compile: each ```ts block importing 'matrix-federation-invite' is type-checked against the
 * sources (strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess). `pack.test.ts` compiles them again against
 * the installed package and runs them in rooms 1, 10 and 12 (README-contract.md).
 */
import { describe, expect, it } from 'vitest';
import { typeCheckModules } from './examples.js';
import { readmeExamples } from './readme.js';

describe('README examples', () => {
  const examples = readmeExamples();

  it('has the receiving and the sending example', () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
    expect(examples.some((e) => e.includes('receiveInvite('))).toBe(true);
    expect(examples.some((e) => e.includes('buildInviteEvent('))).toBe(true);
  });

  it('type-check against the sources (root and subpath entries)', () => {
    expect(typeCheckModules(examples)).toEqual([]);
  });
});
