/**
 * Minimal reproducible cases for differential (interop) tests. When this library and the Python oracle disagree,
 * the suites take the smallest disagreeing input of the batch, shrink it against the oracle a bounded number of
 * rounds (each round asks the oracle once, for a whole batch of candidates), and print the seed, the replay
 * command and the input as a ready-to-paste literal.
 */
import {
  isJsonArray,
  isJsonObject,
  type JsonValue,
  type MutableJsonObject,
  setOwn,
} from '../../src/json/value.js';

export interface ShrinkResult<T> {
  readonly value: T;
  readonly rounds: number;
  readonly oracleCalls: number;
}

/**
 * Greedy batched shrinking: each round proposes `candidates(current)` (smaller inputs first), asks `disagree` about
 * all of them in one call, and moves to the first that still disagrees. Stops when none does, or after `maxRounds`.
 */
export function shrinkBatched<T>(
  start: T,
  candidates: (value: T) => readonly T[],
  disagree: (batch: readonly T[]) => readonly boolean[],
  options: { readonly maxRounds?: number; readonly maxCandidates?: number } = {},
): ShrinkResult<T> {
  const maxRounds = options.maxRounds ?? 40;
  const maxCandidates = options.maxCandidates ?? 200;
  let current = start;
  let rounds = 0;
  let oracleCalls = 0;
  while (rounds < maxRounds) {
    const batch = candidates(current).slice(0, maxCandidates);
    if (batch.length === 0) break;
    rounds++;
    oracleCalls++;
    const verdicts = disagree(batch);
    const next = batch.findIndex((_, i) => verdicts[i] === true);
    if (next < 0) break;
    current = batch[next] as T;
  }
  return { value: current, rounds, oracleCalls };
}

/** Smaller sequences: chunks removed (halves first, down to single units). */
function chunkRemovals(units: readonly string[]): string[] {
  const out: string[] = [];
  for (let size = Math.max(1, units.length >> 1); size >= 1; size >>= 1) {
    for (let at = 0; at < units.length; at += size)
      out.push([...units.slice(0, at), ...units.slice(at + size)].join(''));
    if (size === 1) break;
  }
  return out;
}

/** Smaller strings: code-point chunks removed (halves first, down to single code points). */
export function stringCandidates(text: string): string[] {
  return chunkRemovals(Array.from(text));
}

/** Smaller byte strings (hex): byte chunks removed. */
export function bytesCandidates(hex: string): string[] {
  return chunkRemovals(hex.match(/../g) ?? []);
}

function rebuild(entries: readonly (readonly [string, JsonValue])[]): JsonValue {
  const out: MutableJsonObject = {};
  for (const [k, v] of entries) setOwn(out, k, v);
  return out;
}

/**
 * Smaller JSON values: each member or element removed, each container replaced by one of its children, strings
 * halved, big numbers reduced. `keep` names top-level keys that are never removed (their values still shrink).
 */
export function jsonCandidates(value: JsonValue, keep: readonly string[] = [], top = true): JsonValue[] {
  const out: JsonValue[] = [];
  if (isJsonArray(value)) {
    value.forEach((_, i) => {
      out.push(value.filter((__, j) => j !== i));
    });
    value.forEach((child, i) => {
      for (const smaller of jsonCandidates(child, [], false))
        out.push(value.map((c, j) => (j === i ? smaller : c)));
    });
  } else if (isJsonObject(value)) {
    const keys = Object.keys(value);
    for (const k of keys) {
      if (top && keep.includes(k)) continue;
      out.push(rebuild(keys.filter((x) => x !== k).map((x) => [x, value[x] as JsonValue])));
    }
    for (const k of keys) {
      for (const smaller of jsonCandidates(value[k] as JsonValue, [], false))
        out.push(rebuild(keys.map((x) => [x, x === k ? smaller : (value[x] as JsonValue)])));
    }
  } else if (typeof value === 'string' && value.length > 0) {
    out.push('', ...stringCandidates(value).slice(0, 4));
  } else if (typeof value === 'bigint' && value !== 0n) {
    out.push(value / 2n, 0n);
  }
  if (!top && (isJsonArray(value) || isJsonObject(value))) out.unshift(null);
  return out;
}

/** The smallest item by `size`. */
export function smallest<T>(items: readonly T[], size: (item: T) => number): T | undefined {
  let best: T | undefined;
  for (const item of items) if (best === undefined || size(item) < size(best)) best = item;
  return best;
}

export interface Disagreement {
  /** What was compared, e.g. "canonical JSON vs python canonicaljson". */
  readonly title: string;
  /** The corpus seed and the environment variable that replays it. */
  readonly seed: number;
  readonly seedEnv: string;
  /** The test file to rerun. */
  readonly file: string;
  /** The minimal input, as a ready-to-paste literal (JSON text, or a JS expression). */
  readonly input: string;
  /** Both answers and any context. */
  readonly details: Readonly<Record<string, unknown>>;
  /** How many disagreements the batch had. */
  readonly count: number;
  readonly shrink?: ShrinkResult<unknown>;
}

/** Formats (and logs to stderr) a minimal reproducible case; returns the text for the assertion message. */
export function reportDisagreement(d: Disagreement): string {
  const lines = [
    `DISAGREEMENT with the Synapse stack: ${d.title}`,
    `  ${d.count} disagreeing input(s) in this run; corpus seed ${d.seed}`,
    `  replay: ${d.seedEnv}=${d.seed} npx vitest run ${d.file}`,
    ...(d.shrink === undefined
      ? []
      : [
          `  shrunk against the oracle in ${d.shrink.rounds} round(s) (${d.shrink.oracleCalls} oracle call(s))`,
        ]),
    '  minimal input:',
    `    ${d.input}`,
    ...Object.entries(d.details).map(
      ([k, v]) =>
        `  ${k}: ${typeof v === 'string' ? v : JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : x))}`,
    ),
  ];
  const text = lines.join('\n');
  console.error(text);
  return text;
}
