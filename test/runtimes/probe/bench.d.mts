/** Types of bench.mjs (plain ESM, run in every runtime). */
import type { ProbeLine } from './probe.mjs';

export declare const BENCH_TASKS: readonly string[];
export declare const BENCH_MODES: readonly string[];
export declare function benchOperation(lib: object, task: string, mode: string): Promise<() => unknown>;
export declare function runIterations(operation: () => unknown, iterations: number): Promise<number>;
export declare function runBench(lib: object, budgetMs?: number): Promise<ProbeLine[]>;
/** A benchmark line: `backends`, or `<mode>.<task>` with operations per second as `value`. */
export type BenchLine = ProbeLine;
