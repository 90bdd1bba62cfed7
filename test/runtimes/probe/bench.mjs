/**
 * The runtime benchmark: sign, verify and receive throughput of the built package in any runtime, on the probe's
 * fixtures (a room version 12 invite with three invite_room_state events). Like probe.mjs, it imports nothing: the
 * entry hands in the package. Run for every runtime by `npm run bench:runtimes` (test/runtimes/bench.ts).
 *
 * - sign: `signEvent` of the invite event (content hash, redaction, canonical JSON, one ed25519 signature);
 * - verify: `verifyEventSignatures` of the signed invite event (redaction, canonical JSON, one ed25519 verification);
 * - receive: `receiveInvite` of the whole v2 request body (parse, checks, four signature verifications, content
 *   hashes, countersignature, response bytes).
 */
import { buildWorld, must, receive, SYNC_MODES } from './probe.mjs';

export const BENCH_TASKS = ['sign', 'verify', 'receive'];

/** One operation of `task` in `mode`, ready to be called in a loop (each call checks its own verdict). */
export function benchOperation(lib, task, mode) {
  const backend = mode === 'default' ? undefined : mode;
  const world = buildWorld(lib, backend);
  const event = world.built.event;
  const unsigned = { ...event };
  delete unsigned.signatures;
  if (task === 'sign')
    return () => must(lib.signEvent(unsigned, '12', 'inviter.example', world.inviter), 'sign');
  if (task === 'verify')
    return () => must(lib.verifyEventSignatures(event, '12', world.keys, world.backendOption), 'verify');
  if (task === 'receive') return () => must(receive(lib, world, world.body), 'receive');
  throw new Error(`unknown task ${task}`);
}

/** Runs `operation` `iterations` times (for runtimes whose clock stands still while code runs, timed outside). */
export function runIterations(operation, iterations) {
  for (let i = 0; i < iterations; i++) operation();
  return iterations;
}

/** Operations per second of `operation`, measured for at least `budgetMs` after a short warm-up. */
function opsPerSecond(operation, budgetMs) {
  const now = () => performance.now();
  for (let i = 0; i < 20; i++) operation();
  let count = 0;
  const start = now();
  let elapsed = 0;
  while (elapsed < budgetMs) {
    for (let i = 0; i < 10; i++) operation();
    count += 10;
    elapsed = now() - start;
  }
  return (count * 1000) / elapsed;
}

/** Lines `{name: '<mode>.<task>', value: ops/s}` for every mode and task, plus the `runtime` line. */
export async function runBench(lib, budgetMs = 1000) {
  const lines = [
    { name: 'backends', value: { default: lib.defaultBackend(), available: lib.availableBackends() } },
  ];
  for (const mode of SYNC_MODES) {
    for (const task of BENCH_TASKS) {
      try {
        lines.push({
          name: `${mode}.${task}`,
          value: opsPerSecond(benchOperation(lib, task, mode), budgetMs),
        });
      } catch (error) {
        lines.push({ name: `${mode}.${task}`, error: String(error?.stack ?? error) });
      }
    }
  }
  return lines;
}
