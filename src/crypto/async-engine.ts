/**
 * The engine of the async path (internal: not re-exported). `runWithAsyncKeys` (public) checks its arguments and
 * calls {@link runPasses}; the typed helpers (`receiveInviteAsync`...) call it directly with a check that never
 * throws. See `async.ts` for the passes.
 */

import { describeValue } from '../errors/describe.js';
import { enumProblem, firstProblem } from '../errors/options.js';
import { backendVerifier, defaultBackend, isBackendName, resolveBackendName } from './backends.js';
import { configured } from './defaults.js';
import type {
  AsyncKeyLookup,
  Ed25519AsyncBackendName,
  Ed25519Verifier,
  KeyLookup,
  KeyRequest,
  VerifyKeyEntry,
} from './types.js';
import { verifyEd25519WebCrypto, webCryptoEd25519Available } from './webcrypto.js';

/** The crypto inputs a synchronous check takes: a key lookup and a signature verdict. */
export interface CheckCrypto {
  /** Answers from the keys fetched so far (records the ones it lacks). */
  readonly keys: KeyLookup;
  /** Answers from the verdicts computed so far (records the signatures it lacks). */
  readonly verifier: Ed25519Verifier;
}

/**
 * Options of `runWithAsyncKeys` and of the `...Async` helpers.
 *
 * @category Keys
 */
export interface AsyncCheckOptions {
  /** Who checks signatures (default: the process's async backend, see `configureCrypto`). */
  readonly backend?: Ed25519AsyncBackendName;
  /** Most passes of the synchronous check: a positive integer (default 8). */
  readonly maxPasses?: number;
}

/** The per-call async backends (`auto` is a `configureCrypto` setting, the default when `backend` is absent). */
export const ASYNC_BACKEND_NAMES = ['sodium', 'node', 'noble', 'webcrypto'] as const;

/**
 * What is wrong with the async settings (`backend`, `maxPasses`), naming the setting; `undefined` when they are
 * absent or usable. The helpers answer it as their synchronous function answers a bad option: a caller error.
 */
export function asyncSettingsProblem(settings: PassSettings): string | undefined {
  return firstProblem(
    () => enumProblem('backend', settings.backend, ASYNC_BACKEND_NAMES),
    () => {
      const wanted = settings.maxPasses;
      return wanted === undefined || (Number.isSafeInteger(wanted) && (wanted as number) >= 1)
        ? undefined
        : `maxPasses must be a positive integer, got ${describeValue(wanted)}`;
    },
  );
}

/**
 * The outcome of one key lookup: the value returned (a rejected promise counts as `undefined`, an unknown key), or
 * the error a lookup threw synchronously (replayed to the check, which reports it as the caller's mistake).
 */
type KeyOutcome = { readonly entry: unknown } | { readonly error: unknown };

const UNKNOWN_KEY: KeyOutcome = Object.freeze({ entry: undefined });

export function keyTableId(serverName: string, keyId: string, validAt: number | undefined): string {
  return `${serverName}\u0000${keyId}\u0000${validAt ?? ''}`;
}

function bytesId(bytes: Uint8Array): string {
  return String.fromCharCode.apply(null, bytes as unknown as number[]);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** One signature to check, and its verdict once known. */
interface Verdict {
  readonly publicKey: Uint8Array;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
  value: boolean | undefined;
}

/** Verdicts by public key and signature, then message bytes. */
class VerdictTable {
  private readonly byKeyAndSignature = new Map<string, Verdict[]>();

  get(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Verdict | undefined {
    const list = this.byKeyAndSignature.get(bytesId(publicKey) + bytesId(signature));
    return list?.find((verdict) => sameBytes(verdict.message, message));
  }

  add(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Verdict {
    const id = bytesId(publicKey) + bytesId(signature);
    const verdict: Verdict = {
      publicKey: Uint8Array.from(publicKey),
      message: Uint8Array.from(message),
      signature: Uint8Array.from(signature),
      value: undefined,
    };
    const list = this.byKeyAndSignature.get(id);
    if (list === undefined) this.byKeyAndSignature.set(id, [verdict]);
    else list.push(verdict);
    return verdict;
  }
}

/** Where verdicts come from: a synchronous verifier, or an async one (Web Crypto). */
type VerdictSource =
  | { readonly kind: 'sync'; readonly verify: Ed25519Verifier }
  | {
      readonly kind: 'async';
      readonly verify: (
        publicKey: Uint8Array,
        message: Uint8Array,
        signature: Uint8Array,
      ) => Promise<boolean>;
    };

/**
 * The async backend that runs for `name` (or the process default): a synchronous backend's name, or `webcrypto`
 * when the runtime's Web Crypto has Ed25519. `auto` is the synchronous default when it is native (`sodium`,
 * `node`), else `webcrypto` when available, else `noble`. A name that is no backend counts as none. Never rejects.
 */
export async function resolveAsyncBackendName(
  name?: Ed25519AsyncBackendName,
): Promise<Ed25519AsyncBackendName> {
  const wanted: unknown = name ?? configured.asyncBackend;
  if (wanted === 'webcrypto') return (await webCryptoEd25519Available()) ? 'webcrypto' : defaultBackend();
  if (isBackendName(wanted)) return resolveBackendName(wanted);
  const chosen = defaultBackend();
  if (chosen !== 'noble') return chosen;
  return (await webCryptoEd25519Available()) ? 'webcrypto' : chosen;
}

async function verdictSource(name: Ed25519AsyncBackendName | undefined): Promise<VerdictSource> {
  const resolved = await resolveAsyncBackendName(name);
  return resolved === 'webcrypto'
    ? {
        kind: 'async',
        verify: (publicKey, message, signature) => verifyEd25519WebCrypto({ publicKey, message, signature }),
      }
    : { kind: 'sync', verify: backendVerifier(resolved) };
}

/**
 * Calls the async lookup at once: an answer given synchronously (a warm cache) is kept as it is, so the pass can
 * use it; a promise is returned to be awaited between passes. A synchronous throw (or an answer whose `then` cannot
 * be read) is kept as an error, replayed to the check as a throwing lookup: a programming error, as with a
 * synchronous lookup. A rejection is a fetch that failed: the key is unknown, as Synapse's keyring treats a failed
 * fetch (the check then reports the unknown key). Never throws, never rejects.
 */
function startLookup(keys: AsyncKeyLookup, request: KeyRequest): KeyOutcome | Promise<KeyOutcome> {
  let answer: unknown;
  let later: boolean;
  try {
    answer = keys(request.serverName, request.keyId, request.validAt);
    later = typeof (answer as { then?: unknown } | null | undefined)?.then === 'function';
  } catch (error) {
    return { error };
  }
  if (!later) return { entry: answer };
  try {
    return Promise.resolve(answer as PromiseLike<unknown>).then(
      (entry): KeyOutcome => ({ entry }),
      (): KeyOutcome => UNKNOWN_KEY,
    );
  } catch {
    return UNKNOWN_KEY;
  }
}

/** Settings of {@link runPasses}, already read from the caller's options. */
export interface PassSettings {
  readonly backend?: unknown;
  readonly maxPasses?: unknown;
}

/**
 * Runs a synchronous check with an async key lookup (see `async.ts`). `check` must not throw (a throw rejects);
 * `keys` may be anything (a value that is not a function fails every lookup, replayed as a throwing lookup).
 */
export async function runPasses<T>(
  check: (crypto: CheckCrypto) => T,
  keys: AsyncKeyLookup,
  settings: PassSettings,
): Promise<T> {
  // The helpers refuse other values up front (asyncSettingsProblem); anything else here is the default.
  const wanted = settings.maxPasses;
  const maxPasses = typeof wanted === 'number' && Number.isSafeInteger(wanted) && wanted >= 1 ? wanted : 8;
  const source = await verdictSource(settings.backend as Ed25519AsyncBackendName | undefined);
  const keyTable = new Map<string, KeyOutcome>();
  const verdicts = new VerdictTable();
  for (let pass = 1; ; pass++) {
    const last = pass >= maxPasses;
    const pendingKeys = new Map<string, Promise<KeyOutcome>>();
    const wantedVerdicts: Verdict[] = [];
    const lookup: KeyLookup = (serverName, keyIdentifier, validAt) => {
      const id = keyTableId(serverName, keyIdentifier, validAt);
      let known = keyTable.get(id);
      if (known === undefined && !last && !pendingKeys.has(id)) {
        const request: KeyRequest =
          validAt === undefined
            ? { serverName, keyId: keyIdentifier }
            : { serverName, keyId: keyIdentifier, validAt };
        const started = startLookup(keys, request);
        if (started instanceof Promise) pendingKeys.set(id, started);
        else {
          keyTable.set(id, started);
          known = started;
        }
      }
      if (known === undefined) return undefined;
      if ('error' in known) throw known.error;
      return known.entry as VerifyKeyEntry | undefined;
    };
    const verifier: Ed25519Verifier = (publicKey, message, signature) => {
      const known = verdicts.get(publicKey, message, signature);
      if (known?.value !== undefined) return known.value;
      if (source.kind === 'sync' || last) {
        const verdict = known ?? verdicts.add(publicKey, message, signature);
        verdict.value = (source.kind === 'sync' ? source.verify : backendVerifier())(
          publicKey,
          message,
          signature,
        );
        return verdict.value;
      }
      if (known === undefined) wantedVerdicts.push(verdicts.add(publicKey, message, signature));
      return true; // provisional: the pass goes on to find what later steps need
    };
    const result = check({ keys: lookup, verifier });
    if (pendingKeys.size === 0 && wantedVerdicts.length === 0) return result;
    const fetches = [...pendingKeys].map(async ([id, pending]) => {
      keyTable.set(id, await pending);
    });
    // Verdicts are only recorded (provisional) with an async source.
    const checks =
      source.kind === 'async'
        ? wantedVerdicts.map(async (verdict) => {
            verdict.value = await source.verify(verdict.publicKey, verdict.message, verdict.signature);
          })
        : [];
    await Promise.all([...fetches, ...checks]);
  }
}

/**
 * A stand-in for a caller's value that could not be read (a getter or Proxy trap threw): every read throws `error`
 * again, so a synchronous function handed it reports its own caller error, naming the original failure.
 */
export function unreadable(error: unknown): object {
  const rethrow = (): never => {
    throw error;
  };
  return new Proxy(
    {},
    {
      get: rethrow,
      has: rethrow,
      ownKeys: rethrow,
      getOwnPropertyDescriptor: rethrow,
      getPrototypeOf: rethrow,
    },
  );
}

/** The async options of a helper, read once, or the error reading them threw. */
export type ReadSettings =
  | { readonly ok: true; readonly settings: PassSettings }
  | { readonly ok: false; readonly error: unknown };

/** Reads `backend` and `maxPasses` of an async helper's options once (anything but an object counts as none). */
export function readAsyncSettings(raw: unknown, fallbackBackend?: unknown): ReadSettings {
  if (typeof raw !== 'object' || raw === null) {
    return { ok: true, settings: fallbackBackend === undefined ? {} : { backend: fallbackBackend } };
  }
  try {
    const { backend, maxPasses } = raw as { backend?: unknown; maxPasses?: unknown };
    const chosen = backend ?? fallbackBackend;
    return {
      ok: true,
      settings: {
        ...(chosen === undefined ? {} : { backend: chosen }),
        ...(maxPasses === undefined ? {} : { maxPasses }),
      },
    };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * A helper's settings object read once: a plain copy, or what to hand the synchronous function so that it answers
 * itself (the value as given when it is not an object, an {@link unreadable} stand-in when reading it threw).
 */
export function copySettings<T>(raw: T): { readonly copy: T } | { readonly unusable: unknown } {
  if (typeof raw !== 'object' || raw === null) return { unusable: raw };
  try {
    return { copy: { ...raw } };
  } catch (error) {
    return { unusable: unreadable(error) };
  }
}

/**
 * The body of the async helpers whose settings are one object holding `keys`, `backend` and `maxPasses` beside the
 * synchronous function's own settings (`verifyEventSignaturesAsync`, `verifyRequestAsync`,
 * `verifyInviteResponseAsync`). The settings are read once. Settings that are not an object or cannot be read, or
 * a `keys` that is not a function, go to `sync` as they are, which answers its own caller error; a bad `backend` or
 * `maxPasses` is answered by `refuse` (given the other settings, e.g. an error mapping); otherwise `sync` runs in
 * passes with the keys fetched so far and the passes' verifier (a caller-given `verifier` is replaced).
 */
export async function runSyncCheckAsync<S, R>(
  settings: unknown,
  sync: (settings: S) => R,
  refuse: (problem: string, rest: Partial<S>) => R,
): Promise<R> {
  const read = copySettings(settings);
  if ('unusable' in read) return sync(read.unusable as S);
  const fields = read.copy as Readonly<Record<string, unknown>>;
  if (typeof fields.keys !== 'function') return sync(fields as S);
  const { backend, maxPasses, verifier: _replaced, keys, ...rest } = fields;
  const problem = asyncSettingsProblem({ backend, maxPasses });
  if (problem !== undefined) return refuse(problem, rest as Partial<S>);
  return runPasses(
    ({ keys: known, verifier }) => sync({ ...rest, keys: known, verifier } as S),
    keys as AsyncKeyLookup,
    { backend, maxPasses },
  );
}
