/**
 * The kit from test runners, as docs/conformance.md shows it: vitest (this file: one test per case, from a
 * top-level await) and node:test (a child `node --test` process running fixtures/node-test.conformance.ts), both
 * reporting each case as a test, failures by case ID.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { formatConformanceReport, runConformance } from '../../src/conformance/index.js';
import { kitKeys } from './helpers.js';
import { INVITEE, NOW, referenceTarget, SMALL_BODY_LIMIT, TARGET } from './reference-target.js';

const handler = referenceTarget({ keysFor: async () => kitKeys, maxBodyBytes: SMALL_BODY_LIMIT });
const result = await runConformance({
  targetServerName: TARGET,
  invitee: INVITEE,
  send: handler,
  now: NOW,
  bodyLimitBytes: SMALL_BODY_LIMIT,
});
if (E.isLeft(result)) throw new Error(result.left.message);
const report = result.right;

describe('vitest: one test per case', () => {
  it.each(report.results.map((r) => [r.case.id, r] as const))('%s', (_id, r) => {
    expect(r.passed, r.problem).toBe(true);
  });

  it('or one test for the whole run, with the text report as the failure message', () => {
    expect(report.failures, formatConformanceReport(report)).toEqual([]);
  });
});

const repo = fileURLToPath(new URL('../../', import.meta.url));
const fixture = 'test/conformance/fixtures/node-test.conformance.ts';

function nodeTest(defect?: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '' };
  if (defect === undefined) delete env.CONFORMANCE_DEFECT;
  else env.CONFORMANCE_DEFECT = defect;
  return spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', fixture], {
    cwd: repo,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
}

describe('node:test', () => {
  it('passes all 94 cases against the library-built target', () => {
    const run = nodeTest();
    expect(run.stdout).toContain('# tests 94');
    expect(run.stdout).toContain('# pass 94');
    expect(run.status, run.stderr).toBe(0);
  });

  it('fails the run, naming the failed cases, against a defective target', () => {
    const run = nodeTest('bare-v1-answer');
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('# fail 2');
    const failed = [...run.stdout.matchAll(/^not ok \d+ - (\S+)$/gm)].map((m) => m[1]);
    expect(failed).toEqual(['genuine/v1/room-1', 'genuine/v1/room-2']);
    expect(run.stdout).toContain(`error: 'the v1 answer must be [200, {"event": ...}]`);
  });
});
