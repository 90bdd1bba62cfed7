/**
 * The two optional things some tests need, how to tell whether they are there, and what to say when they are not:
 *
 * - the Python oracle (Debian's python3-canonicaljson, python3-signedjson, python3-nacl, python3-unpaddedbase64, the
 *   helper stack Synapse relies on), for the interop suites;
 * - `sodium-native` (libsodium, an optional dependency), for the tests that compare with libsodium itself.
 *
 * Locally a missing one skips the tests that need it, announced once per run by global-setup.ts. Under CI (`CI`
 * set, as `.ci/run` does) those tests fail instead, so that a green CI run always consulted both.
 *
 * `TEST_WITHOUT_SODIUM=1` makes `sodium-native` unloadable in the test processes (setup.ts), for the library as
 * for the tests: the way to see what a contributor without it gets.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

/** True under CI, with the same reading of `CI` as vitest.config.ts (unset, empty and `false` are not CI). */
export function isCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false';
}

export interface Probe {
  readonly available: boolean;
  /** Why not, when not (the last line of the error). */
  readonly reason: string;
}

/** Debian's interpreter: the pyenv `python3` on PATH does not see Debian's dist-packages. */
export const PYTHON = process.env.PYTHON_ORACLE ?? '/usr/bin/python3';

const ORACLE_PACKAGES = 'python3-canonicaljson python3-signedjson python3-nacl python3-unpaddedbase64';

/** Whether the oracle's Python packages import. */
export function probePythonOracle(): Probe {
  const probe = spawnSync(PYTHON, ['-c', 'import canonicaljson, signedjson, nacl, unpaddedbase64'], {
    encoding: 'utf8',
  });
  if (probe.status === 0) return { available: true, reason: '' };
  const reason = (probe.error?.message ?? probe.stderr ?? '').trim().split('\n').pop() ?? '';
  return { available: false, reason: `${PYTHON}: ${reason}` };
}

export function oracleMissingMessage(reason: string): string {
  return isCi()
    ? `INTEROP ORACLE MISSING (${reason}): the interop suites (test/interop) FAIL under CI. Install it: apt-get install -y ${ORACLE_PACKAGES}`
    : `INTEROP ORACLE MISSING (${reason}): the interop suites (test/interop) are SKIPPED. Install it: apt-get install -y ${ORACLE_PACKAGES} (or PYTHON_ORACLE=<python with them>)`;
}

export const WITHOUT_SODIUM_ENV = 'TEST_WITHOUT_SODIUM';

function sodiumHidden(): boolean {
  const value = process.env[WITHOUT_SODIUM_ENV];
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

interface ModuleLoader {
  _load(request: string, ...rest: unknown[]): unknown;
  __sodiumHidden?: boolean;
}

/**
 * With `TEST_WITHOUT_SODIUM` set, makes `require('sodium-native')` fail in this process as it does where the
 * package is not installed (the library loads it lazily through `createRequire`, so this takes effect for it too).
 */
export function hideSodiumNativeIfAsked(): void {
  if (!sodiumHidden()) return;
  const loader = createRequire(import.meta.url)('node:module') as ModuleLoader;
  if (loader.__sodiumHidden === true) return;
  const load = loader._load;
  loader._load = function (this: unknown, request: string, ...rest: unknown[]) {
    if (request === 'sodium-native' || request.startsWith('sodium-native/')) {
      const error = new Error(`Cannot find module '${request}' (hidden by ${WITHOUT_SODIUM_ENV})`);
      Object.assign(error, { code: 'MODULE_NOT_FOUND' });
      throw error;
    }
    return load.call(this, request, ...rest);
  };
  loader.__sodiumHidden = true;
}

/** The part of sodium-native the tests call (the package ships no types). */
export interface SodiumNative {
  crypto_sign_verify_detached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
}

/** `sodium-native` when it loads in this process. */
export function loadSodiumNative(): { sodium?: SodiumNative; probe: Probe } {
  try {
    const sodium = createRequire(import.meta.url)('sodium-native') as SodiumNative;
    return { sodium, probe: { available: true, reason: '' } };
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    return { probe: { available: false, reason } };
  }
}

export function sodiumMissingMessage(reason: string): string {
  return isCi()
    ? `SODIUM-NATIVE NOT LOADABLE (${reason}): the tests that need libsodium itself FAIL under CI. Run npm ci (sodium-native is an optional dependency with prebuilt binaries)`
    : `SODIUM-NATIVE NOT LOADABLE (${reason}): the tests that need libsodium itself are SKIPPED (the node and noble backends are still tested). Run npm ci to get it`;
}
