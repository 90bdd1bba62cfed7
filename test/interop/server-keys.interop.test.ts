/**
 * Server keys against Debian's python-signedjson, Synapse's signing stack:
 * - answers built and signed by signedjson (Synapse's `LocalKey` layout: `sign_json` once per current key; notary
 *   entries signed again by the notary as Synapse's `RemoteKey.query_keys` does) verify here, on a generated corpus
 *   (several keys, old keys, unknown fields with unicode, big integers and floats; seed printed);
 * - our buildServerKeys answers are byte for byte what Python builds from the same keys, and verify with
 *   `verify_signed_json` for every key;
 * - tamper cases (changed key, changed valid_until_ts, signature by another key, wrong server_name, notary
 *   signature missing) are refused here and by signedjson (Synapse's checks: `process_v2_response`, the direct
 *   fetch's `server_name` comparison, `_validate_perspectives_response`).
 */
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { beforeAll, expect, it } from 'vitest';
import { signingKeyFromSeed } from '../../src/crypto/keys.js';
import type { SigningKey } from '../../src/crypto/types.js';
import { encodeBase64 } from '../../src/encoding/base64.js';
import type { JsonObject, JsonValue } from '../../src/json/value.js';
import { buildServerKeys } from '../../src/server-keys/build.js';
import type { ServerKeysErrorReason } from '../../src/server-keys/errors.js';
import { verifyServerKeys } from '../../src/server-keys/verify.js';
import { hasLoneSurrogate } from '../fuzz/mutations.js';
import { jsonValue, unicodeString } from '../helpers/json-arbitrary.js';
import { describeInterop, PY_PRELUDE, runPython } from '../helpers/python-oracle.js';
import { stringify } from '../invite/send-helpers.js';

const seed = Number(process.env.INTEROP_SEED ?? Date.now() % 2 ** 31);
console.log(`server-keys interop corpus seed: ${seed} (replay with INTEROP_SEED=${seed})`);

const SERVER = 'keys.example';
const NOTARY = 'notary.example';
const NOW = 1_767_225_600_000;
const seedOf = (byte: number): string => encodeBase64(new Uint8Array(32).fill(byte));
const keyOf = (byte: number, version: string): SigningKey =>
  E.getOrElse<unknown, SigningKey>(() => {
    throw new Error('bad key');
  })(signingKeyFromSeed({ seed: seedOf(byte), version }));
const NOTARY_SEED = seedOf(0x70);
const notaryKey = keyOf(0x70, 'n1');

/** The Python side: build, sign, tamper and judge key answers with signedjson exactly as Synapse does. */
const SCRIPT = `${PY_PRELUDE}
from signedjson.key import decode_signing_key_base64, decode_verify_key_bytes, get_verify_key, encode_verify_key_base64
from signedjson.sign import sign_json, verify_signed_json, SignatureVerifyException
import copy
data = json.load(sys.stdin)
notary_sk = decode_signing_key_base64("ed25519", "n1", data["notary_seed"])

def build(spec):
    # Synapse LocalKey.response_json_object: verify_keys, old_verify_keys, then sign_json per current key.
    sks = [decode_signing_key_base64("ed25519", k["version"], k["seed"]) for k in spec["keys"]]
    obj = {"server_name": spec["server_name"], "valid_until_ts": spec["valid_until_ts"],
           "verify_keys": {"ed25519:" + k.version: {"key": encode_verify_key_base64(get_verify_key(k))} for k in sks},
           "old_verify_keys": {o["key_id"]: {"key": o["key"], "expired_ts": o["expired_ts"]} for o in spec["old"]}}
    for name, value in json.loads(spec["extra_text"]).items():
        obj[name] = value
    for k, signs in zip(sks, [k["signs"] for k in spec["keys"]]):
        if signs:
            obj = sign_json(obj, spec["server_name"], k)
    return obj

def verdict(obj, expected, notary):
    # Synapse: the direct fetch compares server_name; process_v2_response verifies signatures by listed keys
    # (here every one, the library's rule); _validate_perspectives_response does the same for the notary.
    try:
        if obj["server_name"] != expected:
            return False
        ok = False
        for key_id in obj["signatures"].get(expected, {}):
            if key_id in obj["verify_keys"] and key_id.startswith("ed25519:"):
                vk = decode_verify_key_bytes(key_id, unpaddedbase64.decode_base64(obj["verify_keys"][key_id]["key"]))
                verify_signed_json(obj, expected, vk)
                ok = True
        if not ok:
            return False
        if notary:
            nok = False
            for key_id in obj["signatures"].get("${NOTARY}", {}):
                if key_id == "ed25519:n1":
                    verify_signed_json(obj, "${NOTARY}", get_verify_key(notary_sk))
                    nok = True
            return nok
        return True
    except (SignatureVerifyException, KeyError, TypeError, ValueError):
        return False

def tamper(obj, how, other_sk):
    obj = copy.deepcopy(obj)
    if how == "changed_key":
        kid = sorted(obj["verify_keys"])[0]
        obj["verify_keys"][kid]["key"] = encode_verify_key_base64(get_verify_key(other_sk))
    elif how == "changed_valid_until_ts":
        obj["valid_until_ts"] += 1
    elif how == "signed_by_another_key":
        kid = sorted(obj["signatures"][obj["server_name"]])[0]
        unsigned = {k: v for k, v in obj.items() if k != "signatures"}
        other = decode_signing_key_base64("ed25519", kid.split(":", 1)[1], data["stranger_seed"])
        obj["signatures"] = sign_json(unsigned, obj["server_name"], other)["signatures"]
    elif how == "changed_old_key":
        kid = sorted(obj["old_verify_keys"])[0]
        obj["old_verify_keys"][kid]["expired_ts"] += 1
    return obj

generated = []
for spec in data["specs"]:
    obj = build(spec)
    generated.append({"text": json.dumps(obj), "verdict": verdict(obj, spec["server_name"], False)})

other_sk = decode_signing_key_base64("ed25519", "x", data["stranger_seed"])
cases = []
base = build(data["base"])
for how in ["none", "changed_key", "changed_valid_until_ts", "signed_by_another_key", "changed_old_key"]:
    obj = base if how == "none" else tamper(base, how, other_sk)
    cases.append({"name": how, "text": json.dumps(obj), "expected": "${SERVER}", "notary": False,
                  "verdict": verdict(obj, "${SERVER}", False)})
cases.append({"name": "wrong_server_name", "text": json.dumps(base), "expected": "other.example", "notary": False,
              "verdict": verdict(base, "other.example", False)})
entry = sign_json(copy.deepcopy(base), "${NOTARY}", notary_sk)
cases.append({"name": "notary_ok", "text": json.dumps({"server_keys": [entry]}), "expected": "${SERVER}",
              "notary": True, "verdict": verdict(entry, "${SERVER}", True)})
cases.append({"name": "notary_signature_missing", "text": json.dumps({"server_keys": [base]}), "expected": "${SERVER}",
              "notary": True, "verdict": verdict(base, "${SERVER}", True)})
changed = copy.deepcopy(entry); changed["valid_until_ts"] += 1
cases.append({"name": "notary_entry_changed", "text": json.dumps({"server_keys": [changed]}), "expected": "${SERVER}",
              "notary": True, "verdict": verdict(changed, "${SERVER}", True)})

# Ours: rebuild the same answer in Python and compare the bytes; verify every signature; judge our tampered ones.
ours = []
for item in data["ours"]:
    obj = json.loads(h2b(item["hex"]).decode("utf-8"))
    entry = {"canonical_equal": canonicaljson.encode_canonical_json(obj) == h2b(item["hex"]),
             "verdict": verdict(obj, item["expected"], False)}
    if item.get("spec") is not None:
        entry["python_bytes_equal"] = canonicaljson.encode_canonical_json(build(item["spec"])) == h2b(item["hex"])
        sks = [decode_signing_key_base64("ed25519", k["version"], k["seed"]) for k in item["spec"]["keys"]]
        each = []
        for k in sks:
            try:
                verify_signed_json(obj, item["expected"], get_verify_key(k)); each.append(True)
            except SignatureVerifyException:
                each.append(False)
        entry["each_key"] = each
    ours.append(entry)
print(json.dumps({"generated": generated, "cases": cases, "ours": ours}))
`;

interface KeySpec {
  version: string;
  byte: number;
  signs: boolean;
}
interface AnswerSpec {
  serverName: string;
  validUntilTs: number | bigint;
  keys: KeySpec[];
  old: { version: string; byte: number; expiredTs: number }[];
  extra: Record<string, JsonValue>;
}

const version = fc.stringMatching(/^[a-zA-Z0-9_]{1,10}$/);
const answerSpec: fc.Arbitrary<AnswerSpec> = fc
  .record({
    serverName: fc.constantFrom(SERVER, 'matrix.org', 'localhost:8448', '[::1]:8448', '1.2.3.4'),
    validUntilTs: fc.oneof(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.constant(2n ** 62n)),
    keys: fc.uniqueArray(
      fc.record({ version, byte: fc.integer({ min: 1, max: 200 }), signs: fc.boolean() }),
      {
        minLength: 1,
        maxLength: 4,
        selector: (k) => k.version,
      },
    ),
    old: fc.uniqueArray(
      fc.record({
        version,
        byte: fc.integer({ min: 1, max: 200 }),
        expiredTs: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
      }),
      { maxLength: 3, selector: (k) => k.version },
    ),
    extra: fc.dictionary(
      unicodeString.filter(
        (k) =>
          ![
            'server_name',
            'valid_until_ts',
            'verify_keys',
            'old_verify_keys',
            'signatures',
            'unsigned',
          ].includes(k),
      ),
      jsonValue({ maxDepth: 2 }),
      { maxKeys: 3 },
    ),
  })
  .map((spec) => ({
    ...spec,
    // At least one current key signs; old key IDs never collide with current ones.
    keys: spec.keys.map((k, i) => (i === 0 ? { ...k, signs: true } : k)),
    old: spec.old.filter((o) => !spec.keys.some((k) => k.version === o.version)),
  }))
  .filter((spec) => !hasLoneSurrogate(spec.extra as JsonValue));

const pySpec = (spec: AnswerSpec) => ({
  server_name: spec.serverName,
  valid_until_ts: spec.validUntilTs,
  keys: spec.keys.map((k) => ({ version: k.version, seed: seedOf(k.byte), signs: k.signs })),
  old: spec.old.map((o) => ({
    key_id: `ed25519:${o.version}`,
    key: keyOf(o.byte, o.version).publicKey,
    expired_ts: o.expiredTs,
  })),
  extra_text: stringify(spec.extra),
});

/** Bigints as JSON numbers for the Python input. */
function toPython(value: unknown): unknown {
  return JSON.parse(stringify(value as JsonValue));
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describeInterop('interop: server keys with python-signedjson', () => {
  const specs = fc.sample(answerSpec, { seed, numRuns: 150 });
  const baseSpec: AnswerSpec = {
    serverName: SERVER,
    validUntilTs: NOW + 86_400_000,
    keys: [
      { version: 'a1', byte: 0x11, signs: true },
      { version: 'a2', byte: 0x12, signs: true },
    ],
    old: [{ version: 'old1', byte: 0x13, expiredTs: NOW - 86_400_000 }],
    extra: {},
  };
  // Ours: the base answer and a generated set, built with buildServerKeys; plus tampered copies.
  const oursSpecs = [
    baseSpec,
    ...specs.filter((s) => typeof s.validUntilTs === 'number' && s.keys.every((k) => k.signs)).slice(0, 40),
  ].map((spec) => ({ ...spec, extra: {} }));
  const ours = oursSpecs.map((spec) =>
    buildServerKeys({
      serverName: spec.serverName,
      signingKey: spec.keys.map((k) => keyOf(k.byte, k.version)),
      validUntilTs: Number(spec.validUntilTs),
      oldKeys: spec.old.map((o) => ({
        keyId: `ed25519:${o.version}`,
        key: keyOf(o.byte, o.version).publicKey,
        expiredTs: o.expiredTs,
      })),
    }),
  );
  const first = ours[0];
  if (first === undefined || E.isLeft(first)) throw new Error('buildServerKeys failed on the base answer');
  const baseJson = first.right.json;
  const sig = baseJson.signatures as Record<string, Record<string, string>>;
  const oursTampered: [string, JsonObject, ServerKeysErrorReason][] = [
    [
      'changed key',
      {
        ...baseJson,
        verify_keys: {
          ...(baseJson.verify_keys as JsonObject),
          'ed25519:a1': { key: keyOf(0x55, 'a1').publicKey },
        },
      },
      'bad_signature',
    ],
    ['changed valid_until_ts', { ...baseJson, valid_until_ts: NOW + 86_400_001 }, 'bad_signature'],
    [
      'signature by another key',
      {
        ...baseJson,
        signatures: { [SERVER]: { ...sig[SERVER], 'ed25519:a1': sig[SERVER]?.['ed25519:a2'] ?? '' } },
      },
      'bad_signature',
    ],
    [
      'changed expired_ts',
      {
        ...baseJson,
        old_verify_keys: { 'ed25519:old1': { key: keyOf(0x13, 'old1').publicKey, expired_ts: NOW } },
      },
      'bad_signature',
    ],
  ];

  let python: {
    generated: { text: string; verdict: boolean }[];
    cases: { name: string; text: string; expected: string; notary: boolean; verdict: boolean }[];
    ours: {
      canonical_equal: boolean;
      verdict: boolean;
      python_bytes_equal?: boolean;
      each_key?: boolean[];
    }[];
  };

  beforeAll(() => {
    python = runPython(SCRIPT, {
      notary_seed: NOTARY_SEED,
      stranger_seed: seedOf(0x66),
      specs: specs.map((s) => toPython(pySpec(s))),
      base: toPython(pySpec(baseSpec)),
      ours: [
        ...ours.map((built, i) => ({
          hex: E.isRight(built) ? hex(built.right.bytes) : '',
          expected: oursSpecs[i]?.serverName,
          spec: toPython(pySpec(oursSpecs[i] as AnswerSpec)),
        })),
        ...oursTampered.map(([, json]) => ({
          hex: hex(new TextEncoder().encode(stringify(json))),
          expected: SERVER,
          spec: null,
        })),
      ],
    });
  });

  it('generated answers built and signed by signedjson verify here, with the keys Python put in', () => {
    expect(python.generated).toHaveLength(specs.length);
    let accepted = 0;
    for (const [i, spec] of specs.entries()) {
      const item = python.generated[i] as { text: string; verdict: boolean };
      expect(item.verdict, `Python's own verdict, case ${i}`).toBe(true);
      const result = verifyServerKeys(item.text, { serverName: spec.serverName, now: NOW });
      if (E.isLeft(result))
        throw new Error(`case ${i} refused: ${result.left.reason} ${result.left.message}\n${item.text}`);
      accepted++;
      const [server] = result.right.servers;
      expect(server?.signedBy.slice().sort()).toEqual(
        spec.keys
          .filter((k) => k.signs)
          .map((k) => `ed25519:${k.version}`)
          .sort(),
      );
      expect(server?.keys.filter((k) => !k.old).map((k) => [k.keyId, k.key])).toEqual(
        spec.keys.map((k) => [`ed25519:${k.version}`, keyOf(k.byte, k.version).publicKey]),
      );
      expect(server?.keys.filter((k) => k.old).map((k) => [k.keyId, k.validUntilTs])).toEqual(
        spec.old.map((o) => [`ed25519:${o.version}`, o.expiredTs]),
      );
    }
    expect(accepted).toBe(specs.length);
  });

  it('tamper cases built in Python: refused by signedjson and here, with the expected reason', () => {
    const expected: Record<string, ServerKeysErrorReason | 'ok'> = {
      none: 'ok',
      changed_key: 'bad_signature',
      changed_valid_until_ts: 'bad_signature',
      signed_by_another_key: 'bad_signature',
      changed_old_key: 'bad_signature',
      wrong_server_name: 'server_name_mismatch',
      notary_ok: 'ok',
      notary_signature_missing: 'notary_signature_missing',
      notary_entry_changed: 'bad_signature',
    };
    expect(python.cases.map((c) => c.name)).toEqual(Object.keys(expected));
    for (const c of python.cases) {
      const result = verifyServerKeys(c.text, {
        serverName: c.expected,
        now: NOW,
        ...(c.notary
          ? { notaries: [{ serverName: NOTARY, verifyKeys: { [notaryKey.keyId]: notaryKey.publicKey } }] }
          : {}),
      });
      const ours = E.isRight(result) ? 'ok' : result.left.reason;
      expect(ours, c.name).toBe(expected[c.name]);
      expect(c.verdict, `signedjson on ${c.name}`).toBe(ours === 'ok');
    }
  });

  it('our answers are the bytes Python builds from the same keys, and verify with verify_signed_json for every key', () => {
    for (const [i, built] of ours.entries()) {
      expect(E.isRight(built), `build ${i}`).toBe(true);
      const py = python.ours[i];
      expect(py?.canonical_equal, `canonical ${i}`).toBe(true);
      expect(py?.python_bytes_equal, `same bytes as Python ${i}`).toBe(true);
      expect(py?.verdict, `verdict ${i}`).toBe(true);
      expect(py?.each_key, `every key ${i}`).toEqual(oursSpecs[i]?.keys.map(() => true));
    }
    expect(ours.length).toBeGreaterThan(5);
    console.log(
      `server-keys interop: ${specs.length} signedjson answers verified here, ${ours.length} of ours byte-equal and ` +
        `verified in Python, ${python.cases.length + oursTampered.length} tamper/notary cases agreed`,
    );
  });

  it('our answers tampered: refused by signedjson and here', () => {
    for (const [j, [name, json, reason]] of oursTampered.entries()) {
      const py = python.ours[ours.length + j];
      expect(py?.verdict, `signedjson on ${name}`).toBe(false);
      const result = verifyServerKeys(json, { serverName: SERVER, now: NOW });
      expect(E.isLeft(result) && result.left.reason, name).toBe(reason);
    }
  });
});
