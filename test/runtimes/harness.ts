/**
 * The runtime matrix harness (vitest side): runs the probe in another runtime and compares every result, byte for
 * byte, with the same probe run in-process on the Node that runs vitest (Node 20, the reference). A runtime that is
 * missing FAILS under CI (CI=true) and skips with one loud line elsewhere, like the Python oracle.
 */
import { existsSync, statSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProbeLine } from './probe/probe.mjs';
import { MODES, PROBE_RESULTS } from './probe/probe.mjs';
import {
  ensureBuild,
  moduleCommand,
  type ProbeBuild,
  parseLines,
  referenceLines,
  runCommand,
} from './runners.js';

// ---------------------------------------------------------------------------------------------------------------
// The vitest side: one `it` per result
// ---------------------------------------------------------------------------------------------------------------

/** One row of the matrix. */
export interface RuntimeRow {
  /** Shown in test names: `Node 22`, `Bun`, `workerd`, ... */
  readonly label: string;
  /** What the probe must report as its runtime. */
  readonly runtime: 'node' | 'bun' | 'deno' | 'workerd' | 'browser';
  /** Files that must exist for the row to run (binaries): missing fails under CI, skips loudly elsewhere. */
  readonly requires: readonly string[];
  /** How to install what is missing (printed with the failure or the skip). */
  readonly install: string;
  /** Runs the probe; returns its lines and the runtime's own version string. */
  run(build: ProbeBuild): Promise<{ lines: ProbeLine[]; version: string | null }>;
  /** The version the runtime must report (from the pins): checked against what `run` returned. */
  readonly expectedVersion: string;
}

/** The first lines of a failure (the whole of it is in the row's first test). */
const summary = (error: unknown): string =>
  `${String(error)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(0, 3)
    .join(' | ')} (details in the first test of this row)`;

const ci = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

/**
 * `describe` for suites that need runtimes (`requires`: files that must exist). Missing: fails under CI, skips with
 * one loud line elsewhere.
 */
export function describeWithRuntimes(
  name: string,
  requires: readonly string[],
  install: string,
  body: () => void,
): void {
  const missing = requires.filter((file) => !existsSync(file) || !statSync(file).isFile());
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  const message = `RUNTIME MISSING (${missing.join(', ')}). Install it with: ${install}`;
  if (ci) {
    describe(name, () => {
      it('requires its runtime under CI', () => {
        throw new Error(message);
      });
    });
    return;
  }
  console.warn(`\n!!!!! SKIPPING "${name}": ${message}\n`);
  describe.skip(name, body);
}

/** The describe block of one runtime: a first `it` that the probe ran in the pinned runtime, then one per result. */
export function describeRuntimeRow(row: RuntimeRow): void {
  const name = `runtime matrix: ${row.label}`;
  describeWithRuntimes(name, row.requires, row.install, () => {
    const reference = new Map<string, ProbeLine>();
    const actual = new Map<string, ProbeLine>();
    let version: string | null = null;
    let failure: unknown;
    beforeAll(async () => {
      const build = ensureBuild();
      for (const line of await referenceLines(build)) reference.set(line.name, line);
      try {
        const outcome = await row.run(build);
        version = outcome.version;
        for (const line of outcome.lines) actual.set(line.name, line);
      } catch (error) {
        failure = error;
      }
    }, 300_000);

    it(`runs the probe in ${row.label} ${row.expectedVersion}, Web Crypto Ed25519 included`, () => {
      if (failure !== undefined) throw failure;
      const runtime = actual.get('runtime')?.value as
        | { runtime?: string; backends?: { webcrypto?: string } }
        | undefined;
      expect(runtime?.runtime).toBe(row.runtime);
      expect(version).toBe(row.expectedVersion);
      // The webcrypto mode must really run on Web Crypto, not on the synchronous fallback.
      expect(runtime?.backends?.webcrypto).toBe('webcrypto');
    });

    for (const key of PROBE_RESULTS) {
      it(`${key} is byte-identical to Node ${process.versions.node}`, () => {
        if (failure !== undefined) throw new Error(`${row.label} did not run the probe: ${summary(failure)}`);
        const want = reference.get(key);
        expect(want?.error, `the reference (Node ${process.versions.node}) failed on ${key}`).toBeUndefined();
        const got = actual.get(key);
        if (got === undefined) throw new Error(`${row.label} printed no ${key}`);
        if (got.error !== undefined) throw new Error(`${key} threw in ${row.label}:\n${got.error}`);
        expect(got.value).toEqual(want?.value);
      });
    }

    for (const mode of MODES.filter((m) => m.name !== 'default')) {
      it(`${mode.name} gives the default path's bytes and verdicts in ${row.label}`, () => {
        if (failure !== undefined) throw new Error(`${row.label} did not run the probe: ${summary(failure)}`);
        const keys = PROBE_RESULTS.filter((key) => key.startsWith(`${mode.name}.`));
        expect(keys.length).toBeGreaterThan(0);
        for (const key of keys) {
          const result = key.slice(mode.name.length + 1);
          const got = actual.get(key)?.value as Record<string, unknown> | undefined;
          const base = actual.get(`default.${result}`)?.value as Record<string, unknown> | undefined;
          expect(got, key).toBeDefined();
          // Web Crypto signs raw bytes only (an event is signed by the synchronous pipeline).
          if (result === 'signatures' && mode.backend === 'webcrypto') expect(got?.raw, key).toBe(base?.raw);
          else expect(got, key).toEqual(base);
        }
      });
    }
  });
}

/** Runs a module-loading runtime on the main entry: its lines, and the version it reports. */
export async function runModuleProbe(
  runtime: Parameters<typeof moduleCommand>[0],
  build: ProbeBuild,
): Promise<{ lines: ProbeLine[]; version: string | null }> {
  const [command, args] = moduleCommand(runtime, build.mainEntry);
  const lines = parseLines(await runCommand(command, args), command);
  const info = lines.find((line) => line.name === 'runtime')?.value as { version?: string } | undefined;
  return { lines, version: info?.version ?? null };
}
