/**
 * package.json `engines` admits only Node versions that have `process.getBuiltinModule`, through which
 * src/platform/builtins.ts reaches `node:crypto`, `node:buffer` and `node:module` (the `node` and `sodium` backends).
 * Node's documentation of `process.getBuiltinModule(id)` (https://nodejs.org/api/process.html#processgetbuiltinmoduleid):
 * "Added in: v22.3.0, v20.16.0" (Node 21 never had it). The floor 20.19 is the package's own (unchanged).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  engines: { node: string };
};
const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as {
  packages: Record<string, { engines?: { node: string } }>;
};
// npm's own range semantics (semver, installed with npm's tooling), so that the range means what npm reads.
const semver = createRequire(import.meta.url)('semver') as {
  satisfies(version: string, range: string): boolean;
};

/** Node versions and whether they have process.getBuiltinModule (Node docs: added in v22.3.0, v20.16.0). */
const NODE_VERSIONS: readonly (readonly [string, boolean])[] = [
  ['20.19.0', true],
  ['20.20.2', true],
  ['21.7.3', false],
  ['22.0.0', false],
  ['22.2.0', false],
  ['22.3.0', true],
  ['24.0.0', true],
  ['26.1.0', true],
];

describe('engines', () => {
  it('is "^20.19.0 || >=22.3.0", in package.json and the lockfile', () => {
    expect(pkg.engines.node).toBe('^20.19.0 || >=22.3.0');
    expect(lock.packages['']?.engines?.node).toBe(pkg.engines.node);
  });

  it.each(NODE_VERSIONS)(
    'Node %s: admitted exactly when it has process.getBuiltinModule (%s)',
    (version, has) => {
      expect(semver.satisfies(version, pkg.engines.node)).toBe(has);
    },
  );

  it('older than the package floor (20.19) is not admitted, getBuiltinModule or not', () => {
    expect(semver.satisfies('20.16.0', pkg.engines.node)).toBe(false);
    expect(semver.satisfies('20.18.3', pkg.engines.node)).toBe(false);
  });
});
