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
import { loadavg } from 'node:os';
import { Bench } from 'tinybench';
import { cryptoBench, cryptoPython } from './crypto.js';
import { eventsBench, eventsPython } from './events.js';
import {
  built,
  gcMicrosPerInvite,
  inviteScenariosBench,
  inviteScenariosPython,
  SCENARIOS,
} from './invite-scenarios.js';
import { jsonBench, jsonPython } from './json.js';
import type { PythonResult } from './python.js';
import { pythonVersions } from './python.js';
import { receiveBench, receivePython } from './receive.js';
import {
  formatLoad,
  type GcFigure,
  type Measurement,
  type ReportContext,
  renderGoals,
  renderReport,
  renderTable,
} from './report.js';
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
inviteScenariosBench(asBench, (group) => anyWanted(group));
await cryptoBench(asBench);
// The Python figures are measured in every round too, right after the JavaScript ones, so that both sides see
// the same moment of this shared machine.
const pythonJobs: (() => PythonResult[])[] = [];
if (anyWanted('ed25519 verify', 'ed25519 sign')) pythonJobs.push(cryptoPython);
if (anyWanted('parse', 'canonical encode')) pythonJobs.push(jsonPython);
if (anyWanted('redact + reference hash', 'event verify')) pythonJobs.push(eventsPython);
if (anyWanted('receive pipeline')) pythonJobs.push(receivePython);
if (anyWanted('send pipeline')) pythonJobs.push(sendPython);
pythonJobs.push(() => inviteScenariosPython((group) => anyWanted(group)));

// Three rounds; each task's figure is the median of its three per-round medians, so that one disturbed second
// (another process, a noisy neighbour of this virtual machine) does not decide a row.
const loadAtStart = loadavg();
const ROUNDS = 3;
const perTask = new Map<string, number[]>();
const record = (name: string, micros: number) => perTask.set(name, [...(perTask.get(name) ?? []), micros]);
let pythonFound = false;
for (let round = 0; round < ROUNDS; round++) {
  const bench = new Bench({ time: time / ROUNDS, warmupTime: round === 0 ? 200 : 50 });
  for (const [name, fn] of collected) bench.add(name, fn);
  await bench.run();
  for (const task of bench.tasks) {
    const result = task.result;
    const p50 = result !== undefined && 'latency' in result ? result.latency.p50 : Number.NaN;
    record(task.name, p50 * 1000);
  }
  for (const job of pythonJobs) {
    for (const r of job().filter((p) => wanted(p.name))) {
      pythonFound = true;
      record(r.name, r.microsPerOp);
    }
  }
}
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const measurements: Measurement[] = [...perTask].map(([name, values]) => ({
  name,
  microsPerOp: median(values),
}));

// Collector time per invite along the scaling series: linear growth means no size-dependent garbage.
const gc: GcFigure[] = [];
for (const scenario of SCENARIOS) {
  if (scenario.series === undefined || !anyWanted(scenario.group)) continue;
  gc.push({ group: scenario.group, micros: await gcMicrosPerInvite(built(scenario), 1000) });
}
const load = { start: loadAtStart, end: loadavg() };
const context: ReportContext = {
  pythonStack: pythonVersions(),
  gc,
  load,
  scenarios: SCENARIOS.filter((s) => anyWanted(s.group)).map((s) => ({
    group: s.group,
    bodyBytes: built(s).body.length,
    ...(s.series === undefined ? {} : { series: s.series }),
  })),
};

console.log(renderTable(measurements, gc));
console.log(`\nGoals\n${renderGoals(measurements, context)}`);
console.log(
  `\nload average (1, 5, 15 min): ${formatLoad(load.start)} at the start, ${formatLoad(load.end)} at the end`,
);
if (!pythonFound) console.log('(python3 with canonicaljson/signedjson/nacl not found: no Python figures)');
if (report) {
  writeFileSync(new URL('../docs/performance.md', import.meta.url), renderReport(measurements, context));
  console.log('wrote docs/performance.md');
}
