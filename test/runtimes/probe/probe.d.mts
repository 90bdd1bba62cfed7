/** Types of probe.mjs, for the TypeScript side of the runtime matrix (the probe itself stays plain ESM). */

/** One probe result: `value` when computed, `error` (message and stack) when it threw. */
export interface ProbeLine {
  readonly name: string;
  readonly value?: unknown;
  readonly error?: string;
}

/** An ed25519 edge case, fields as hex. */
export interface ProbeEdgeCase {
  readonly pub_key: string;
  readonly message: string;
  readonly signature: string;
}

export declare const SYNC_MODES: readonly string[];
export declare const RESULT_NAMES: readonly string[];
export declare function toHex(bytes: Uint8Array): string;
export declare function fromHex(hex: string): Uint8Array;
export declare function describeRuntime(): { runtime: string; version: string | null };
export declare function runProbe(lib: object, edgeCases: readonly ProbeEdgeCase[]): Promise<ProbeLine[]>;
export declare function must<A>(
  either: { _tag: 'Left'; left: unknown } | { _tag: 'Right'; right: A },
  what: string,
): A;
