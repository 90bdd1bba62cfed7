/**
 * Shared machinery of the fuzz suites: one fixed, overridable seed, a replay hint on failure, deep freezing,
 * value snapshots and a guard on the built-in prototypes.
 *
 * Reproducing a failure: fast-check prints `{ seed: S, path: "P" }`. Every property of every fuzz file runs with
 * exactly FUZZ_SEED (no per-property offsets), and every input is derived from fast-check's random source (never
 * from Math.random or the clock), so `FUZZ_SEED=S FUZZ_PATH=P npx vitest run test/fuzz/<file>` replays the
 * failing case and shrinks from there.
 */
import fc from 'fast-check';
import { JsonFloat } from '../../src/json/value.js';

/** Default seed of the fuzz suites (a fixed one: the normal test run is deterministic). */
export const DEFAULT_FUZZ_SEED = 20250607;

function seedFromEnv(): number {
  const raw = process.env.FUZZ_SEED;
  if (raw === undefined || raw === '') return DEFAULT_FUZZ_SEED;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`FUZZ_SEED must be an integer, got ${JSON.stringify(raw)}`);
  return n;
}

export const FUZZ_SEED = seedFromEnv();
const FUZZ_PATH = process.env.FUZZ_PATH === '' ? undefined : process.env.FUZZ_PATH;
/** Multiplies every run count (e.g. FUZZ_RUNS=10 for a long local session). */
const RUN_FACTOR = Number(process.env.FUZZ_RUNS ?? 1) || 1;

function replayHint(error: unknown): never {
  const hint =
    `\nReplay this fuzz failure with FUZZ_SEED=${FUZZ_SEED}` +
    ' FUZZ_PATH=<the "path" printed above> (and the same FUZZ_RUNS, if set).';
  if (error instanceof Error) {
    error.message += hint;
    throw error;
  }
  throw new Error(`${String(error)}${hint}`);
}

/** fast-check parameters with the suite seed (and FUZZ_PATH when replaying). */
export function params<T>(numRuns: number): fc.Parameters<T> {
  return {
    seed: FUZZ_SEED,
    numRuns: Math.max(1, Math.round(numRuns * RUN_FACTOR)),
    ...(FUZZ_PATH === undefined ? {} : { path: FUZZ_PATH }),
  };
}

/** `fc.assert` with the suite seed and a replay hint. */
export function check<Ts extends [unknown, ...unknown[]]>(property: fc.IProperty<Ts>, numRuns: number): void {
  try {
    fc.assert(property, params<Ts>(numRuns));
  } catch (error) {
    replayHint(error);
  }
}

/** `fc.assert` for asynchronous properties. */
export async function checkAsync<Ts extends [unknown, ...unknown[]]>(
  property: fc.IAsyncProperty<Ts>,
  numRuns: number,
): Promise<void> {
  try {
    await fc.assert(property, params<Ts>(numRuns));
  } catch (error) {
    replayHint(error);
  }
}

/** Freezes a value and everything reachable from it; returns it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    // Typed arrays with elements cannot be frozen; their content is compared by snapshot instead.
    if (ArrayBuffer.isView(value)) return value;
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor !== undefined && 'value' in descriptor) deepFreeze(descriptor.value);
    }
  }
  return value;
}

/**
 * An exact serialisation of a value for before/after comparisons: own keys in order (including `__proto__`),
 * bigints, JsonFloats, -0, typed-array bytes, undefined members and prototypes of plain objects.
 */
export function snapshot(value: unknown, seen: Set<unknown> = new Set()): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean' || value === null) return String(value);
  if (typeof value === 'function') return `function:${value.name}`;
  if (typeof value !== 'object') return `<${typeof value}>`;
  if (seen.has(value)) return '<cycle>';
  seen.add(value);
  try {
    if (value instanceof JsonFloat) return `float(${snapshot(value.value)})`;
    if (ArrayBuffer.isView(value)) {
      return `bytes(${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')})`;
    }
    const proto = Object.getPrototypeOf(value);
    const tag = Array.isArray(value) ? 'array' : proto === Object.prototype ? 'object' : 'other';
    const parts = Reflect.ownKeys(value).map((key) => {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      const inner =
        descriptor === undefined
          ? '?'
          : 'value' in descriptor
            ? snapshot(descriptor.value, seen)
            : '<accessor>';
      return `${String(key)}=${inner}`;
    });
    return `${tag}{${parts.join(',')}}`;
  } finally {
    seen.delete(value);
  }
}

const PROTOTYPES: readonly [string, object][] = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
  ['String.prototype', String.prototype],
];

/** The own property names of the built-in prototypes (and their frozenness), to compare after running. */
export function prototypeSnapshot(): string {
  return PROTOTYPES.map(
    ([name, proto]) => `${name}:${Reflect.ownKeys(proto).map(String).sort().join(',')}`,
  ).join('\n');
}

/** Throws when a built-in prototype gained or lost a property, or a typical pollution marker appeared. */
export function assertPrototypesUntouched(before: string): void {
  const after = prototypeSnapshot();
  if (after !== before) throw new Error(`a built-in prototype changed:\nbefore ${before}\nafter  ${after}`);
  const probe: Record<string, unknown> = {};
  for (const marker of ['polluted', 'isAdmin', 'x', 'a', 'signatures', 'event', '0']) {
    if (probe[marker] !== undefined) throw new Error(`Object.prototype.${marker} appeared`);
  }
}

/**
 * Fastest CPU time (user + system, this process) of `runs` calls of `fn`, in milliseconds, after one warm-up call.
 * CPU time rather than wall time, and the minimum rather than the median: on a loaded machine other processes take
 * the CPU away mid-call, which wall time counts and CPU time does not, while a quadratic blowup shows in every run.
 */
export function fastestMs(fn: () => unknown, runs = 7): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.cpuUsage();
    fn();
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / 1e3);
  }
  return Math.min(...times);
}
