/**
 * Runs a Python benchmark with Debian's Synapse stack (canonicaljson, signedjson, PyNaCl/libsodium) in the same
 * run, so that ratios compare like with like on this machine. Returns undefined when the stack is missing.
 */
import { spawnSync } from 'node:child_process';

export const PYTHON = process.env.PYTHON_ORACLE ?? '/usr/bin/python3';

export interface PythonResult {
  readonly name: string;
  readonly opsPerSecond: number;
  readonly microsPerOp: number;
}

/**
 * `setup` runs once, `statement` is timed with timeit (autorange, best of 5). Input is available as `data`
 * (parsed from JSON) in setup.
 */
export function pythonBench(name: string, setup: string, statement: string, data: unknown): PythonResult | undefined {
  const script = `
import sys, json, timeit
import canonicaljson, signedjson.key, signedjson.sign, nacl.signing, hashlib, unpaddedbase64
data = json.loads(sys.stdin.read())
${setup}
def run():
    ${statement}
t = timeit.Timer(run)
number, _ = t.autorange()
best = min(t.repeat(repeat=5, number=number)) / number
print(json.dumps({"us": best * 1e6}))
`;
  const result = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(data), encoding: 'utf8' });
  if (result.status !== 0) return undefined;
  const us = (JSON.parse(result.stdout) as { us: number }).us;
  return { name, opsPerSecond: 1e6 / us, microsPerOp: us };
}
