/**
 * The Python oracle: Debian's python3-canonicaljson, python3-signedjson, python3-nacl (libsodium) and
 * python3-unpaddedbase64, the helper stack Synapse relies on. Interop tests feed it a batch of inputs on stdin
 * (one JSON document) and read one JSON document back from stdout.
 *
 * When the packages are missing, interop suites skip with a loud warning locally and FAIL under CI (CI=true),
 * so that a green CI run always means the oracle was consulted.
 */
import { spawnSync } from 'node:child_process';
import { describe, it } from 'vitest';

/** Debian's interpreter: the pyenv `python3` on PATH does not see Debian's dist-packages. */
export const PYTHON = process.env.PYTHON_ORACLE ?? '/usr/bin/python3';

let available: boolean | undefined;
let reasonMissing = '';

/** True when the Debian Python stack can be imported. */
export function oracleAvailable(): boolean {
  if (available === undefined) {
    const probe = spawnSync(PYTHON, ['-c', 'import canonicaljson, signedjson, nacl, unpaddedbase64'], {
      encoding: 'utf8',
    });
    available = probe.status === 0;
    if (!available)
      reasonMissing = (probe.error?.message ?? probe.stderr ?? '').trim().split('\n').pop() ?? '';
  }
  return available;
}

/**
 * Runs `script` with `input` (JSON) on stdin and returns its JSON stdout. The script reads
 * `sys.stdin` and prints one JSON document. Throws (failing the test) when Python fails.
 */
export function runPython<T = unknown>(script: string, input: unknown): T {
  const result = spawnSync(PYTHON, ['-c', script], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`python oracle failed (${result.status}): ${result.stderr || result.error?.message}`);
  }
  return JSON.parse(result.stdout) as T;
}

/**
 * `describe` for suites that need the oracle. Missing oracle: fails under CI, skips loudly elsewhere.
 */
export function describeInterop(name: string, body: () => void): void {
  if (oracleAvailable()) {
    describe(name, body);
    return;
  }
  const message =
    `INTEROP ORACLE MISSING (${PYTHON}: ${reasonMissing}). Install it with: apt-get update && apt-get install -y ` +
    'python3-canonicaljson python3-signedjson python3-nacl python3-unpaddedbase64';
  if (process.env.CI) {
    describe(name, () => {
      it('requires the Python oracle under CI', () => {
        throw new Error(message);
      });
    });
    return;
  }
  console.warn(`\n!!!!! SKIPPING interop suite "${name}": ${message}\n`);
  describe.skip(name, body);
}

/** Python helpers shared by oracle scripts: bytes travel as hex, JSON text as UTF-8 hex. */
export const PY_PRELUDE = `
import sys, json, base64, hashlib
import canonicaljson, signedjson.key, signedjson.sign, nacl.signing, nacl.exceptions, unpaddedbase64
def b2h(b): return b.hex()
def h2b(h): return bytes.fromhex(h)
`;
