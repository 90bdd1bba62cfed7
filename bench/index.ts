/**
 * `npm run bench`: throughput of each pipeline stage, with the Python Synapse stack measured in the same run.
 * Speed is proved here, never in timed unit tests.
 *
 * Options: `--filter <substring>` (only the groups whose name contains it), `--time <ms per task>` (default 1500,
 * spread over three rounds),
 * `--report` (also write docs/performance.md).
 *
 * Every task is named `group | label`; a group's Python row (label `python: ...`) is the reference for the
 * "vs Python" ratio, and its `baseline:` row (JSON.parse / JSON.stringify) is shown for scale.
 */
import { writeFileSync } from 'node:fs';
import { Bench } from 'tinybench';
import { cryptoBench } from './crypto.js';
import { eventsBench, eventsPython } from './events.js';
import { jsonBench, jsonPython } from './json.js';
import type { PythonResult } from './python.js';
import { pythonVersions } from './python.js';
import { receiveBench, receivePython } from './receive.js';
import { type Measurement, renderReport, renderTable } from './report.js';
import { sendBench, sendPython } from './send.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const filter = option('--filter');
const time = Number(option('--time') ?? 1500);
const report = args.includes('--report');
const wanted = (name: string): boolean =>
  filter === undefined || name.split(' | ')[0]?.includes(filter) === true;

// Collect tasks first, so that --filter skips the work, not only the printing.
const collected: [string, () => void][] = [];
const collector = {
  add(name: string, fn: () => void) {
    if (wanted(name)) collected.push([name, fn]);
    return collector;
  },
};
const asBench = collector as unknown as Bench;
jsonBench(asBench);
eventsBench(asBench);
sendBench(asBench);
receiveBench(asBench);
const anyWanted = (...groups: string[]) => groups.some((group) => wanted(`${group} | `));
const python: PythonResult[] = [];
python.push(...(await cryptoBench(asBench, { python: anyWanted('ed25519 verify', 'ed25519 sign') })));
if (anyWanted('parse', 'canonical encode')) python.push(...jsonPython());
if (anyWanted('redact + reference hash', 'event verify')) python.push(...eventsPython());
if (anyWanted('receive pipeline')) python.push(...receivePython());
if (anyWanted('send pipeline')) python.push(...sendPython());

// Three rounds; each task's figure is the median of its three per-round medians, so that one disturbed second
// (another process, a noisy neighbour of this virtual machine) does not decide a row.
const ROUNDS = 3;
const perTask = new Map<string, number[]>();
for (let round = 0; round < ROUNDS; round++) {
  const bench = new Bench({ time: time / ROUNDS, warmupTime: round === 0 ? 200 : 50 });
  for (const [name, fn] of collected) bench.add(name, fn);
  await bench.run();
  for (const task of bench.tasks) {
    const result = task.result;
    const p50 = result !== undefined && 'latency' in result ? result.latency.p50 : Number.NaN;
    perTask.set(task.name, [...(perTask.get(task.name) ?? []), p50 * 1000]);
  }
}
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const measurements: Measurement[] = [...perTask].map(([name, values]) => ({
  name,
  microsPerOp: median(values),
}));
for (const r of python.filter((p) => wanted(p.name)))
  measurements.push({ name: r.name, microsPerOp: r.microsPerOp });

console.log(renderTable(measurements));
if (!python.length) console.log('(python3 with canonicaljson/signedjson/nacl not found: no Python figures)');
if (report) {
  writeFileSync(
    new URL('../docs/performance.md', import.meta.url),
    renderReport(measurements, pythonVersions()),
  );
  console.log('wrote docs/performance.md');
}
