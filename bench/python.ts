/**
 * Runs a Python benchmark with Debian's Synapse stack (canonicaljson, signedjson, PyNaCl/libsodium) in the same
 * run, so that ratios compare like with like on this machine. Returns undefined when the stack is missing.
 */
import { spawnSync } from 'node:child_process';

export const PYTHON = process.env.PYTHON_ORACLE ?? '/usr/bin/python3';

/** Redaction of the rooms 1-10 algorithm for member events, as Synapse's prune_event does for an invite. */
export const PY_REDACT_V1 = `
V1_TOP = ("event_id","type","room_id","sender","state_key","content","hashes","signatures","depth","prev_events",
          "prev_state","auth_events","origin","origin_server_ts","membership")
def redact(event):
    out = {k: v for k, v in event.items() if k in V1_TOP}
    out["content"] = {k: v for k, v in event["content"].items() if k == "membership"}
    return out
`;

export interface PythonResult {
  readonly name: string;
  readonly opsPerSecond: number;
  readonly microsPerOp: number;
}

/**
 * `setup` runs once, `statement` is timed with timeit (autorange batches, median of 7). Input is available as
 * `data` (parsed from JSON) in setup.
 */
export function pythonBench(
  name: string,
  setup: string,
  statement: string,
  data: unknown,
): PythonResult | undefined {
  const script = `
import sys, json, timeit
import canonicaljson, signedjson.key, signedjson.sign, nacl.signing, hashlib, unpaddedbase64
data = json.loads(sys.stdin.read())
${setup}
def run():
    ${statement}
t = timeit.Timer(run)
number, _ = t.autorange()
runs = sorted(t.repeat(repeat=7, number=number))
# The median batch, like the median latency reported for the JavaScript tasks.
print(json.dumps({"us": runs[len(runs) // 2] / number * 1e6}))
`;
  const result = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(data), encoding: 'utf8' });
  if (result.status !== 0) return undefined;
  const us = (JSON.parse(result.stdout) as { us: number }).us;
  return { name, opsPerSecond: 1e6 / us, microsPerOp: us };
}

/** Versions of the Python stack, for the report. */
export function pythonVersions(): string | undefined {
  const script = `
import sys, importlib.metadata as m
print("Python %s; canonicaljson %s, signedjson %s, PyNaCl %s" % (sys.version.split()[0], m.version("canonicaljson"), m.version("signedjson"), m.version("PyNaCl")))`;
  const result = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}
