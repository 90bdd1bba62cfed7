/**
 * `npm run bench`: throughput of each pipeline stage, with the Python Synapse stack measured in the same run.
 * Speed is proved here, never in timed unit tests. Options: `--filter <substring>`, `--time <ms per task>`.
 */
import os from 'node:os';
import { Bench } from 'tinybench';
import { jsonBench, jsonPython } from './json.js';
import type { PythonResult } from './python.js';
import { receiveBench, receivePython } from './receive.js';
import { sendBench } from './send.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const filter = option('--filter');
const time = Number(option('--time') ?? 500);

const bench = new Bench({ time, warmupTime: 100 });
jsonBench(bench);
sendBench(bench);
receiveBench(bench);

const pythonResults: PythonResult[] = [...jsonPython(), ...receivePython()];

await bench.run();

console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown cpu'} x${os.cpus().length}`);
const rows = bench.tasks
  .filter((task) => !filter || task.name.includes(filter))
  .map((task) => {
    const result = task.result;
    const hz = result && 'throughput' in result ? result.throughput.mean : 0;
    return { task: task.name, 'ops/s': Math.round(hz), 'µs/op': hz ? (1e6 / hz).toFixed(2) : '-' };
  });
for (const r of pythonResults.filter((p) => !filter || p.name.includes(filter))) {
  rows.push({ task: r.name, 'ops/s': Math.round(r.opsPerSecond), 'µs/op': r.microsPerOp.toFixed(2) });
}
console.table(rows);
if (pythonResults.length === 0)
  console.log('(python3 with canonicaljson/signedjson/nacl not found: no Python figures)');
