/**
 * The async path, without a second copy of any pipeline.
 *
 * Every check of the library (`receiveInvite`, `verifyEventSignatures`, `verifyRequest`, `verifyInviteResponse`...)
 * is synchronous and takes two crypto inputs: a {@link KeyLookup} and an ed25519 verdict (a backend, or an
 * {@link Ed25519Verifier}). {@link runWithAsyncKeys} runs such a check as it is, several times:
 *
 * 1. a pass with what is known so far: the lookup answers from a table and records each key it was asked for and
 *    did not have (a {@link KeyRequest}); the verifier answers from a table of verdicts and records each signature it
 *    was asked about, answering `true` meanwhile so the pass goes on and finds what the later steps need;
 * 2. the recorded keys are awaited (the caller's async lookup is called as soon as a key is asked for; an answer
 *    given synchronously, from a warm cache, is used at once) and the recorded signatures are checked (Web Crypto),
 *    all in parallel;
 * 3. again, until a pass asks for nothing new: that pass only used real keys and real verdicts, so its result is
 *    exactly what the synchronous check gives with a lookup that knows the same keys.
 *
 * Passes are bounded (`maxPasses`, default 8); a last pass answers unknown keys with `undefined` and unknown
 * signatures with the synchronous default backend, so the result is always one the synchronous check can give.
 */

import { settingsCopy } from '../errors/options.js';
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
 * Options of {@link runWithAsyncKeys} and of the `...Async` helpers.
 *
 * @category Keys
 */
export interface AsyncCheckOptions {
  /** Who checks signatures (default: the process's async backend, see `configureCrypto`). */
  readonly backend?: Ed25519AsyncBackendName;
  /** Most passes of the synchronous check (default 8; a finite number below 1 counts as 1). */
  readonly maxPasses?: number;
}

/** The second input of {@link runWithAsyncKeys}: the async key lookup and the options. */
export interface AsyncCheckContext extends AsyncCheckOptions {
  /** The async key lookup, `(serverName, keyId, validAt?) => Promise<VerifyKeyEntry | undefined>`. */
  readonly keys: AsyncKeyLookup;
}

/** The outcome of one key lookup: the value returned, or the error thrown (replayed to the check). */
type KeyOutcome = { readonly entry: unknown } | { readonly error: unknown };

function keyTableId(serverName: string, keyId: string, validAt: number | undefined): string {
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
 * `node`), else `webcrypto` when available, else `noble`.
 */
export async function resolveAsyncBackendName(
  name?: Ed25519AsyncBackendName,
): Promise<Ed25519AsyncBackendName> {
  const wanted = name ?? configured.asyncBackend;
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
 * use it; a promise is returned to be awaited between passes. Never throws, never rejects.
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
  return Promise.resolve(answer as PromiseLike<unknown>).then(
    (entry): KeyOutcome => ({ entry }),
    (error: unknown): KeyOutcome => ({ error }),
  );
}

/**
 * Runs a synchronous check with an async key lookup and, optionally, Web Crypto verdicts (see the module
 * documentation). `check` receives the crypto inputs to pass to the synchronous function and must not throw (the
 * library's checks never do; a throw rejects the promise). The async lookup is called once per distinct
 * `(serverName, keyId, validAt)`, in parallel within a pass; a lookup that throws or rejects is replayed as a
 * throwing lookup, so the check reports it exactly as it reports a throwing synchronous lookup. The result waits
 * for the lookup: give network fetches their own timeout (answering `undefined` when it expires).
 *
 * @example
 * const result = await runWithAsyncKeys(
 *   ({ keys, verifier }) => verifyEventSignatures({ event, roomVersion: '10', keys, verifier }),
 *   { keys: (server, keyId) => keyStore.fetch(server, keyId), backend: 'webcrypto' },
 * );
 */
export async function runWithAsyncKeys<T>(
  check: (crypto: CheckCrypto) => T,
  context: AsyncCheckContext,
): Promise<T> {
  // A context that is not an object or cannot be read: no lookup (every key request fails as a throwing lookup would).
  const settings: Partial<AsyncCheckContext> = settingsCopy(context) ?? {};
  const keys = settings.keys as AsyncKeyLookup;
  const wanted = settings.maxPasses;
  const maxPasses =
    typeof wanted === 'number' && Number.isFinite(wanted) ? Math.max(1, Math.floor(wanted)) : 8;
  const source = await verdictSource(settings.backend);
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
 * One synchronous pass of a check, listing the keys it asked for that `keys` did not know: what to fetch (from
 * `/_matrix/key/v2/server` or a notary) before checking again. A key store's "what is missing" question takes this
 * list as it is.
 *
 * @example
 * const { result, keyRequests } = collectKeyRequests((keys) => verifyRequest(request, { serverName: 'me.example', keys }), store.lookup);
 */
export function collectKeyRequests<T>(
  check: (keys: KeyLookup) => T,
  keys: KeyLookup,
): { readonly result: T; readonly keyRequests: readonly KeyRequest[] } {
  const requests = new Map<string, KeyRequest>();
  const recording: KeyLookup = (serverName, keyIdentifier, validAt) => {
    const entry = keys(serverName, keyIdentifier, validAt);
    const id = keyTableId(serverName, keyIdentifier, validAt);
    if ((entry === undefined || entry === null) && !requests.has(id)) {
      requests.set(
        id,
        validAt === undefined
          ? { serverName, keyId: keyIdentifier }
          : { serverName, keyId: keyIdentifier, validAt },
      );
    }
    return entry;
  };
  const result = check(recording);
  return { result, keyRequests: [...requests.values()] };
}

/** The options of a synchronous check, with the async helpers' `backend` (which may be `webcrypto`) and `maxPasses`. */
export type AsyncOptionsOf<Options> = Omit<Options, 'backend' | 'verifier'> & AsyncCheckOptions;

/**
 * Splits an async helper's options into the async ones and the rest, passed on to the synchronous check as they are
 * (so a garbage value gets the synchronous check's own answer). `fallbackBackend` is used when none is given.
 */
export function splitAsyncOptions<Options>(
  raw: AsyncOptionsOf<Options> | undefined,
  fallbackBackend?: Ed25519AsyncBackendName,
): { readonly async: AsyncCheckOptions; readonly rest: Omit<Options, 'backend' | 'verifier'> } {
  if (typeof raw !== 'object' || raw === null) {
    return {
      async: fallbackBackend === undefined ? {} : { backend: fallbackBackend },
      rest: (raw ?? {}) as Omit<Options, 'backend' | 'verifier'>,
    };
  }
  const {
    backend,
    maxPasses,
    verifier: _ignored,
    ...rest
  } = raw as AsyncOptionsOf<Options> & {
    verifier?: unknown;
  };
  const chosen = backend ?? fallbackBackend;
  return {
    async: {
      ...(chosen === undefined ? {} : { backend: chosen }),
      ...(maxPasses === undefined ? {} : { maxPasses }),
    },
    rest: rest as Omit<Options, 'backend' | 'verifier'>,
  };
}
