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
export declare const MODES: readonly { name: string; kind: 'sync' | 'async'; backend: string | undefined }[];
export declare const PROBE_RESULTS: readonly string[];
export declare function toHex(bytes: Uint8Array): string;
export declare function fromHex(hex: string): Uint8Array;
export declare function describeRuntime(): { runtime: string; version: string | null };
export declare function runProbe(lib: object, edgeCases: readonly ProbeEdgeCase[]): Promise<ProbeLine[]>;
export declare function must<A>(
  either: { _tag: 'Left'; left: unknown } | { _tag: 'Right'; right: A },
  what: string,
): A;

type Either<A> =
  | { _tag: 'Left'; left: { status: number; reason: string; message: string; body: unknown } }
  | { _tag: 'Right'; right: A };

/** The probe's fixed world: keys, a room version 12 room, a signed v2 invite, its request body and X-Matrix header. */
export interface ProbeWorld {
  readonly backendOption: { backend?: string };
  readonly inviter: import('../../../src/crypto/types.js').SigningKey;
  readonly invitee: import('../../../src/crypto/types.js').SigningKey;
  readonly keys: import('../../../src/crypto/types.js').KeyLookup;
  readonly create: import('../../../src/json/value.js').JsonObject;
  readonly join: import('../../../src/json/value.js').JsonObject;
  readonly built: {
    readonly event: import('../../../src/json/value.js').JsonObject;
    readonly eventId: string;
  };
  readonly request: { readonly path: string; readonly body: import('../../../src/json/value.js').JsonObject };
  readonly body: Uint8Array;
  readonly authorization: string;
}
export declare function buildWorld(lib: object, backend: string | undefined): ProbeWorld;
export declare function receive(
  lib: object,
  world: ProbeWorld,
  body: Uint8Array,
): Either<{ status: 200; eventId: string; responseBytes: Uint8Array }>;
