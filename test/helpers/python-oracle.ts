/**
 * The Python oracle: Debian's python3-canonicaljson, python3-signedjson, python3-nacl (libsodium) and
 * python3-unpaddedbase64, the helper stack Synapse relies on. Interop tests feed it a batch of inputs on stdin
 * (one JSON document) and read one JSON document back from stdout.
 *
 * When the packages are missing, interop suites skip locally (global-setup.ts says so once, loudly) and FAIL under
 * CI (CI=true), so that a green CI run always means the oracle was consulted (optional-deps.ts).
 */
import { spawnSync } from 'node:child_process';
import { describe, it } from 'vitest';
import { isCi, oracleMissingMessage, type Probe, PYTHON, probePythonOracle } from './optional-deps.js';

export { PYTHON };

let probe: Probe | undefined;

/** True when the Debian Python stack can be imported. */
export function oracleAvailable(): boolean {
  probe ??= probePythonOracle();
  return probe.available;
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
 * `describe` for suites that need the oracle. Missing oracle: one failing test under CI, one skipped test
 * elsewhere; `body` does not run, so a suite may call {@link runPython} while it collects its tests.
 */
export function describeInterop(name: string, body: () => void): void {
  if (oracleAvailable()) {
    describe(name, body);
    return;
  }
  const message = oracleMissingMessage(probe?.reason ?? '');
  if (isCi()) {
    describe(name, () => {
      it('requires the Python oracle under CI', () => {
        throw new Error(message);
      });
    });
    return;
  }
  describe.skip(name, () => {
    it('needs the Python oracle', () => {});
  });
}

/** Python helpers shared by oracle scripts: bytes travel as hex, JSON text as UTF-8 hex. */
export const PY_PRELUDE = `
import sys, json, base64, hashlib
import canonicaljson, signedjson.key, signedjson.sign, nacl.signing, nacl.exceptions, unpaddedbase64
def b2h(b): return b.hex()
def h2b(h): return bytes.fromhex(h)
`;

/**
 * Redaction (the five algorithms of the room versions' "Redactions" sections, https://spec.matrix.org/v1.19/rooms/,
 * plus room 12 create events dropping `room_id` as Synapse's `redact()` does), content hash and event ID in Python
 * (server-server API "Calculating the reference hash for an event" and "Calculating the content hash for an event"),
 * since Debian's packages have no redaction function. Needs {@link PY_PRELUDE}. `redact(ev, rv)` keeps
 * `signatures`/`unsigned` filtering to the caller, as signedjson does.
 */
export const PY_EVENT_HELPERS = `
V1_TOP = {"event_id","type","room_id","sender","state_key","content","hashes","signatures","depth","prev_events",
          "prev_state","auth_events","origin","origin_server_ts","membership"}
V11_TOP = V1_TOP - {"origin","membership","prev_state"}
PL = ["ban","events","events_default","kick","redact","state_default","users","users_default"]
def alg(rv):
    n = int(rv)
    return "v1" if n <= 5 else "v6" if n <= 7 else "v8" if n == 8 else "v9" if n <= 10 else "v11"
def content_keys(t, a):
    if t == "m.room.member":
        return ["membership"] + (["join_authorised_via_users_server"] if a in ("v9","v11") else [])
    if t == "m.room.create": return None if a == "v11" else ["creator"]
    if t == "m.room.join_rules": return ["join_rule"] + (["allow"] if a in ("v8","v9","v11") else [])
    if t == "m.room.power_levels": return PL + (["invite"] if a == "v11" else [])
    if t == "m.room.history_visibility": return ["history_visibility"]
    if t == "m.room.aliases": return ["aliases"] if a == "v1" else []
    if t == "m.room.redaction": return ["redacts"] if a == "v11" else []
    return []
def redact(ev, rv):
    a = alg(rv)
    top = V11_TOP if a == "v11" else V1_TOP
    out = {k: v for k, v in ev.items() if k in top}
    if int(rv) >= 12 and ev["type"] == "m.room.create": out.pop("room_id", None)  # Synapse msc4291_room_ids_as_hashes
    c = ev["content"]
    keep = content_keys(ev["type"], a)
    nc = dict(c) if keep is None else {k: c[k] for k in keep if k in c}
    if a == "v11" and ev["type"] == "m.room.member" and isinstance(c.get("third_party_invite"), dict):
        tpi = c["third_party_invite"]
        nc["third_party_invite"] = {"signed": tpi["signed"]} if "signed" in tpi else {}
    out["content"] = nc
    return out
def content_hash(ev):
    d = {k: v for k, v in ev.items() if k not in ("unsigned", "signatures", "hashes")}
    return unpaddedbase64.encode_base64(hashlib.sha256(canonicaljson.encode_canonical_json(d)).digest())
def event_id(ev, rv):
    if int(rv) <= 2: return None
    d = redact(ev, rv); d.pop("signatures", None); d.pop("unsigned", None)
    h = hashlib.sha256(canonicaljson.encode_canonical_json(d)).digest()
    return "$" + unpaddedbase64.encode_base64(h, urlsafe=(int(rv) >= 4))
def canon(v): return canonicaljson.encode_canonical_json(v).decode("utf-8")
`;

/**
 * PyNaCl's (libsodium `crypto_sign_verify_detached`) verdicts, Synapse's verifier: reads `[publicKeyHex,
 * messageHex, signatureHex][]`, prints `boolean[]` (false for any error, as a wrong length raises in PyNaCl).
 */
export const PY_ED25519_VERDICTS = `${PY_PRELUDE}
from nacl.signing import VerifyKey
from nacl.exceptions import BadSignatureError
out = []
for pk, msg, sig in json.load(sys.stdin):
    try:
        VerifyKey(h2b(pk)).verify(h2b(msg), h2b(sig))
        out.append(True)
    except (BadSignatureError, ValueError, TypeError):
        out.append(False)
print(json.dumps(out))
`;
