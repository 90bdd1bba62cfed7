/**
 * A contributor without the Python oracle or sodium-native gets skipped tests and one loud line for each, not a
 * suite that fails to load; CI gets failures (test/helpers/optional-deps.ts). Runs vitest itself on the two files
 * that used to break (the ed25519 mutation interop suite called the oracle while collecting its tests;
 * test/crypto/ed25519.test.ts required sodium-native at load), with the oracle pointed at nothing and sodium-native
 * hidden.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const vitest = join(repo, 'node_modules', 'vitest', 'vitest.mjs');
const FILES = ['test/interop/ed25519-mutations.interop.test.ts', 'test/crypto/ed25519.test.ts'];
const scratch = mkdtempSync(join(tmpdir(), 'mfi-optional-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Report {
  numFailedTests: number;
  numPassedTests: number;
  numPendingTests: number;
  testResults: { name: string; status: string; assertionResults: { title: string; status: string }[] }[];
}

function runWithout(ci: boolean): { status: number | null; output: string; report: Report } {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PYTHON_ORACLE: '/nonexistent/python3',
    TEST_WITHOUT_SODIUM: '1',
  };
  delete env.CI;
  if (ci) env.CI = 'true';
  const outputFile = join(scratch, `report-${ci}.json`);
  const result = spawnSync(
    process.execPath,
    [
      vitest,
      'run',
      ...FILES,
      '--coverage.enabled=false',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${outputFile}`,
    ],
    { cwd: repo, env, encoding: 'utf8', timeout: 240_000 },
  );
  return {
    status: result.status,
    output: result.stdout + result.stderr,
    report: JSON.parse(readFileSync(outputFile, 'utf8')) as Report,
  };
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

describe('without the Python oracle and sodium-native', () => {
  it('locally: both files load, the tests that need them skip, one loud line each', () => {
    const { status, output, report } = runWithout(false);
    const byFile = Object.fromEntries(
      report.testResults.map((r) => [r.name.slice(repo.length), r.assertionResults.map((a) => a.status)]),
    );
    expect(Object.keys(byFile).sort()).toEqual([...FILES].sort());
    // The interop suite loads and skips: no test of it runs, none fails.
    expect(byFile[FILES[0] as string]?.length).toBeGreaterThan(0);
    expect(new Set(byFile[FILES[0] as string])).toEqual(new Set(['skipped']));
    expect(report.testResults.every((r) => r.status !== 'failed')).toBe(true);
    expect(report.numFailedTests).toBe(0);
    expect(report.numPassedTests).toBeGreaterThan(30);
    expect(report.numPendingTests).toBeGreaterThan(10);
    expect(status).toBe(0);
    expect(count(output, 'INTEROP ORACLE MISSING')).toBe(1);
    expect(count(output, 'SODIUM-NATIVE NOT LOADABLE')).toBe(1);
    expect(output).toContain('are SKIPPED');
  }, 240_000);

  it('under CI: the same tests fail, saying why', () => {
    const { status, output, report } = runWithout(true);
    expect(status).not.toBe(0);
    const failed = report.testResults.flatMap((r) =>
      r.assertionResults.filter((a) => a.status === 'failed').map((a) => a.title),
    );
    expect(failed).toContain('requires the Python oracle under CI');
    expect(failed).toContain('case 3: sodium-native itself gives the recorded libsodium verdict');
    expect(report.numPendingTests).toBe(0);
    expect(output).toContain('FAIL under CI');
  }, 240_000);
});
