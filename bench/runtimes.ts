/**
 * `npm run bench:runtimes`: sign, verify and receive throughput of the built package in every runtime of the matrix
 * (test/runtimes): Node 20 (this one, in a child process), Node 22/24/26, Bun, Deno, workerd and headless chromium,
 * with each runtime's default backend, with `noble` forced, and on Web Crypto through the async helpers. Prints a
 * Markdown table (docs/runtimes.md).
 *
 * Each cell is the best of `--rounds` rounds (default 3; the rows take turns, so a busy moment of this shared
 * machine costs one round, not a row). Needs `npm ci --prefix test/runtimes` and Debian's chromium; a runtime
 * that fails is reported in its row. Options: `--time <ms per task>` (default 1000), `--rounds <n>`,
 * `--only <label substring>`.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { BENCH_MODES, BENCH_TASKS, type BenchLine } from '../test/runtimes/probe/bench.mjs';
import {
  BIN,
  benchInWorkerd,
  ensureBuild,
  moduleCommand,
  type ProbeBuild,
  parseLines,
  runCommand,
  runInChromium,
  WORKERD_FLAG_SETS,
} from '../test/runtimes/runners.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const budgetMs = Number(option('--time') ?? 1000);
const rounds = Number(option('--rounds') ?? 3);
const only = option('--only');

interface Row {
  readonly label: string;
  run(build: ProbeBuild): Promise<{ version: string; lines: BenchLine[] }>;
}

const moduleRow = (
  label: string,
  runtime: Parameters<typeof moduleCommand>[0],
  version: () => Promise<string>,
): Row => ({
  label,
  run: async (build) => {
    const [command, commandArgs] = moduleCommand(runtime, build.benchEntry);
    const lines = parseLines(
      await runCommand(command, [...commandArgs, String(budgetMs)], { timeoutMs: 600_000 }),
      label,
    );
    return { version: await version(), lines };
  },
});
/** The version a binary prints (`v22.23.5`, `deno 2.9.6 (...)`, `workerd 2026-11-17`), as a bare number or date. */
const versionOf = (command: string) => async () => {
  const out = (await runCommand(command, ['--version'])).trim();
  return /\d{4}-\d{2}-\d{2}|\d+\.\d+\.\d+/.exec(out)?.[0] ?? out;
};

const rows: Row[] = [
  moduleRow('Node 20', 'node20', async () => process.versions.node),
  moduleRow('Node 22', 22, versionOf(BIN.node(22))),
  moduleRow('Node 24', 24, versionOf(BIN.node(24))),
  moduleRow('Node 26', 26, versionOf(BIN.node(26))),
  moduleRow('Bun', 'bun', versionOf(BIN.bun)),
  moduleRow('Deno', 'deno', versionOf(BIN.deno)),
  ...WORKERD_FLAG_SETS.map(
    ({ label, flags }): Row => ({
      label: `workerd, ${label}`,
      run: async (build) => ({
        version: await versionOf(BIN.workerd)(),
        lines: await benchInWorkerd(build, flags, { modes: BENCH_MODES, tasks: BENCH_TASKS, budgetMs }),
      }),
    }),
  ),
  {
    label: 'Chromium',
    run: async (build) => {
      const { lines, version } = await runInChromium(build, 'bench');
      return { version, lines };
    },
  },
];

const build = ensureBuild();
const selected = rows.filter((row) => only === undefined || row.label.includes(only));
const best = new Map<
  string,
  { version: string; defaultBackend: string; cells: Map<string, number | 'fails'> }
>();
const loads: string[] = [loadavg()[0]?.toFixed(2) ?? '?'];
for (let round = 0; round < rounds; round++) {
  for (const row of selected) {
    const entry = best.get(row.label) ?? { version: '–', defaultBackend: '–', cells: new Map() };
    best.set(row.label, entry);
    try {
      const { version, lines } = await row.run(build);
      const byName = new Map(lines.map((line) => [line.name, line]));
      entry.version = version;
      entry.defaultBackend =
        (byName.get('backends')?.value as { default?: string } | undefined)?.default ?? '?';
      for (const mode of BENCH_MODES) {
        for (const task of BENCH_TASKS) {
          const line = byName.get(`${mode}.${task}`);
          const previous = entry.cells.get(`${mode}.${task}`);
          if (line === undefined || line.error !== undefined) {
            if (previous === undefined) entry.cells.set(`${mode}.${task}`, 'fails');
            if (round === 0) console.error(`${row.label} ${mode}.${task}: ${line?.error ?? 'missing'}`);
          } else if (
            typeof line.value === 'number' &&
            (typeof previous !== 'number' || line.value > previous)
          ) {
            entry.cells.set(`${mode}.${task}`, line.value);
          }
        }
      }
    } catch (error) {
      if (round === 0) console.error(`${row.label}: ${String(error).split('\n').slice(0, 6).join('\n')}`);
    }
    console.error(`round ${round + 1}/${rounds}: measured ${row.label}`);
  }
  loads.push(loadavg()[0]?.toFixed(2) ?? '?');
}

const cell = (value: number | 'fails' | undefined): string =>
  value === undefined || value === 'fails' ? 'fails' : Math.round(value).toLocaleString('en-US');
const columns = BENCH_MODES.flatMap((mode) => BENCH_TASKS.map((task) => `${mode}.${task}`));
console.log(
  `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ` +
    `${Math.round(totalmem() / 2 ** 30)} GiB; best of ${rounds} rounds of ${budgetMs} ms per cell; ` +
    `1-minute load average before and after each round: ${loads.join(', ')}.\n`,
);
console.log(
  `| runtime | version | default backend | ${columns.map((c) => `${c.split('.')[1]}/s (${c.split('.')[0]})`).join(' | ')} |`,
);
console.log(`| --- | --- | --- | ${columns.map(() => '---:').join(' | ')} |`);
for (const row of selected) {
  const entry = best.get(row.label);
  console.log(
    `| ${row.label} | ${entry?.version ?? '–'} | ${entry?.defaultBackend ?? '–'} | ${columns.map((c) => cell(entry?.cells.get(c))).join(' | ')} |`,
  );
}
