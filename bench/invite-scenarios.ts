/**
 * The receive pipeline on canonical request bodies of several sizes, measured against what bounds it from below
 * and against the bare Synapse helper path in Python, in the same run.
 *
 * Each body is what Synapse sends to `PUT /_matrix/federation/v2/invite`: its federation client encodes request
 * bodies with `encode_canonical_json`, and `get_pdu_json` keeps the stripped state in `unsigned.invite_room_state`
 * as well as at the top level. Per scenario:
 * - `receiveInvite (sodium)` / `(node)`: the whole pipeline, raw bytes in, response bytes out;
 * - `floor: libsodium verify + sign`: sodium-native's `crypto_sign_verify_detached` and `crypto_sign_detached`
 *   on the scenario's signing bytes (what any implementation must do at least);
 * - `python: bare Synapse helper path`: `json.loads`, the content hash, the redaction, `verify_signed_json`, the
 *   reference hash, `sign_json` and `json.dumps` of the response; nothing more (no validation at all).
 */
import { createRequire } from 'node:module';
import { PerformanceObserver } from 'node:perf_hooks';
import * as E from 'fp-ts/lib/Either.js';
import type { Bench } from 'tinybench';
import { isBackendAvailable } from '../src/crypto/ed25519.js';
import { signingKeyFromSeed } from '../src/crypto/keys.js';
import type { Ed25519BackendName, KeyLookup, SigningKey } from '../src/crypto/types.js';
import { computeEventId } from '../src/events/hashes.js';
import { prepareEvent } from '../src/events/prepared.js';
import { signEvent } from '../src/events/signing.js';
import { receiveInvite } from '../src/invite/receive/receive.js';
import { encodeCanonicalJson } from '../src/json/canonical.js';
import type { JsonObject, JsonValue } from '../src/json/value.js';
import { PY_REDACT_V1, type PythonResult, pythonBench } from './python.js';

const INVITER = 'inviter.example';
/** The invited server's name. */
export const INVITEE = 'invitee.example';
const INVITER_SEED = 'QJvXAPj0D9MUb1exkD8pIWmCvT1xajlsB8jRYz/G5HE';
/** The invited server's signing key seed (hex). */
export const INVITEE_SEED_HEX = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
const ROOM_ID = '!AbCdEfGhIjKlMnOp:inviter.example';
const ALICE = '@alice.wonderland:inviter.example';

/** The labels of the rows every scenario group has; report.ts finds the rows by them. */
export const SCENARIO_LABELS = {
  sodium: 'receiveInvite (sodium)',
  node: 'receiveInvite (node)',
  floor: 'floor: libsodium verify + sign',
  python: 'python: bare Synapse helper path',
  jsonParse: 'baseline: JSON.parse of the body (V8 alone, lossy)',
} as const;

/** A scaling series (stripped events, or KB of content) and a scenario's size in it. */
export interface SeriesSize {
  readonly name: 'stripped events' | 'content KB (many small keys)';
  readonly size: number;
}

/** One request body to receive. */
export interface InviteScenario {
  /** Group name: `invite: <what>`. */
  readonly group: string;
  /** Which scaling series it belongs to, and its size there. */
  readonly series?: SeriesSize;
  /** Also measured with the `node` backend. */
  readonly nodeBackend?: boolean;
  /** Number of stripped state events. */
  readonly stripped: number;
  /** Extra `content` members of the invite. */
  readonly content?: () => Record<string, JsonValue>;
}

const STRIPPED_TYPES = [
  ['m.room.create', { creator: ALICE, room_version: '10' }],
  ['m.room.join_rules', { join_rule: 'invite' }],
  ['m.room.name', { name: 'Federation roadmap' }],
  [
    'm.room.topic',
    { topic: 'Planning the next steps for federated invites: canonical JSON, signatures and room versions.' },
  ],
  ['m.room.avatar', { url: 'mxc://inviter.example/RoomAvatarAbCdEfGhIjKl' }],
  [
    'm.room.member',
    { membership: 'join', displayname: 'Alice W.', avatar_url: 'mxc://inviter.example/aL1c3' },
  ],
] as const;

/** Stripped state events as Synapse's `strip_event` makes them (`type`, `state_key`, `content`, `sender`). */
function strippedEvents(count: number): JsonObject[] {
  const out: JsonObject[] = [];
  for (let i = 0; i < count; i++) {
    const [type, content] = STRIPPED_TYPES[i % STRIPPED_TYPES.length] as (typeof STRIPPED_TYPES)[number];
    const round = Math.floor(i / STRIPPED_TYPES.length);
    out.push({
      content: round === 0 ? content : { ...content, n: round },
      sender: ALICE,
      state_key: type === 'm.room.member' ? ALICE : round === 0 ? '' : `k${round}`,
      type: round === 0 || type === 'm.room.member' ? type : `${type}.extra`,
    });
  }
  return out;
}

/** About `kilobytes` KB of canonical content made of many small members of mixed types. */
export function manySmallKeys(kilobytes: number): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  let size = 0;
  for (let i = 0; size < kilobytes * 1000; i++) {
    const key = `field_${i.toString(36).padStart(4, '0')}`;
    const value = i % 3 === 0 ? i : i % 3 === 1 ? `v${i}` : i % 2 === 0;
    out[key] = value;
    size += key.length + JSON.stringify(value).length + 4;
  }
  return out;
}

/** One string member of about `kilobytes` KB (mostly ASCII, some multi-byte characters). */
function longString(kilobytes: number): Record<string, JsonValue> {
  const sentence = 'Invites travel as canonical JSON; signatures cover the redacted event — ça va 🛠️. ';
  const bytes = new TextEncoder().encode(sentence).length;
  return { long_text: sentence.repeat(Math.round((kilobytes * 1000) / bytes)) };
}

export const SCENARIOS: readonly InviteScenario[] = [
  { group: 'invite: v10, 6 stripped events', stripped: 6, nodeBackend: true, series: sized('stripped', 6) },
  { group: 'invite: v10, 1 stripped event', stripped: 1, series: sized('stripped', 1) },
  { group: 'invite: v10, 25 stripped events', stripped: 25, series: sized('stripped', 25) },
  {
    group: 'invite: v10, 100 stripped events',
    stripped: 100,
    nodeBackend: true,
    series: sized('stripped', 100),
  },
  { group: 'invite: v10, 60 KB string content', stripped: 6, content: () => longString(60) },
  ...[1, 4, 16, 32, 48, 60].map(
    (kb): InviteScenario => ({
      group: `invite: v10, ${kb} KB many-key content`,
      stripped: 6,
      content: () => manySmallKeys(kb),
      series: sized('keys', kb),
      ...(kb === 60 ? { nodeBackend: true } : {}),
    }),
  ),
];

function sized(series: 'stripped' | 'keys', size: number): SeriesSize {
  return { name: series === 'stripped' ? 'stripped events' : 'content KB (many small keys)', size };
}

function unwrap<T>(either: E.Either<{ message: string }, T>): T {
  if (E.isLeft(either)) throw new Error(either.left.message);
  return either.right;
}

const inviterKey = unwrap(signingKeyFromSeed({ seed: INVITER_SEED, version: 'a_Obwu' }));
/** The key lookup of the invited server: knows the inviter's key. */
export const keys: KeyLookup = (server, keyId) =>
  server === INVITER && keyId === inviterKey.keyId ? { key: inviterKey.publicKey } : undefined;
const inviteeKeys = new Map<Ed25519BackendName, SigningKey>();
function inviteeKey(backend: Ed25519BackendName): SigningKey {
  let key = inviteeKeys.get(backend);
  if (key === undefined) {
    key = unwrap(
      signingKeyFromSeed({
        seed: Uint8Array.from(Buffer.from(INVITEE_SEED_HEX, 'hex')),
        version: '2',
        backend,
      }),
    );
    inviteeKeys.set(backend, key);
  }
  return key;
}

/** A scenario's canonical body and what receiving it needs. */
export interface BuiltScenario {
  readonly scenario: InviteScenario;
  readonly bodyText: string;
  readonly body: Uint8Array;
  readonly eventId: string;
  readonly signingBytes: Uint8Array;
}

export function buildScenario(scenario: InviteScenario): BuiltScenario {
  const stripped = strippedEvents(scenario.stripped);
  const template: JsonObject = {
    auth_events: [
      '$oTgGL0b8nwHpnwSxYDFhIvWN4A61rT4GhC0S0vNKMxM',
      '$Oc8ePc4BKC5_vNZX1fcpC7Hp2_dNVbTzKY9c-wFy5JU',
      '$2qGSmPGqK_n3H9wpgtpW3QJ8Y3-WOwB8NBeR8Qtqbq0',
    ],
    content: {
      avatar_url: 'mxc://invitee.example/AbCdEfGhIjKlMnOpQrStUvWx',
      displayname: 'Bob the Builder 🛠️',
      is_direct: false,
      membership: 'invite',
      reason: 'Join us to discuss the federation roadmap and the next release of the invite library.',
      ...(scenario.content?.() ?? {}),
    },
    depth: 1234,
    origin: INVITER,
    origin_server_ts: 1764288000000,
    prev_events: ['$hJ2i0gkQkLnBz7rJ1q_6o7i4dKq1QzFQp1tKDX0yD3c'],
    room_id: ROOM_ID,
    sender: ALICE,
    state_key: '@bob.builder:invitee.example',
    type: 'm.room.member',
    unsigned: { age: 42, invite_room_state: stripped },
  };
  const event = unwrap(
    signEvent({ event: template, roomVersion: '10', serverName: INVITER, signingKey: inviterKey }),
  );
  const bodyText = unwrap(encodeCanonicalJson({ event, invite_room_state: stripped, room_version: '10' }));
  const eventId = unwrap(computeEventId(event, '10'));
  const signingBytes = unwrap(prepareEvent(event, '10')).signingBytes;
  return { scenario, bodyText, body: new TextEncoder().encode(bodyText), eventId, signingBytes };
}

function contextFor(backend: Ed25519BackendName) {
  return { serverName: INVITEE, signingKey: inviteeKey(backend), keys, policy: { backend } };
}

/** The request of a scenario, as the HTTP layer hands it over. */
export function requestFor(built: BuiltScenario) {
  return {
    apiVersion: 'v2' as const,
    roomId: ROOM_ID,
    eventId: built.eventId,
    origin: INVITER,
    body: built.body,
  };
}

/** One receive of the scenario with `backend`; throws when the fixture is rejected. */
export function receiver(built: BuiltScenario, backend: Ed25519BackendName): () => void {
  const request = requestFor(built);
  const context = contextFor(backend);
  const check = receiveInvite(request, context);
  if (E.isLeft(check)) throw new Error(`${built.scenario.group}: rejected: ${check.left.message}`);
  return () => {
    receiveInvite(request, context);
  };
}

/** sodium-native itself, for the floor (undefined when it is not installed). */
interface SodiumNative {
  crypto_sign_seed_keypair(publicKey: Uint8Array, secretKey: Uint8Array, seed: Uint8Array): void;
  crypto_sign_detached(signature: Uint8Array, message: Uint8Array, secretKey: Uint8Array): void;
  crypto_sign_verify_detached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
}
function loadSodium(): SodiumNative | undefined {
  try {
    return createRequire(import.meta.url)('sodium-native') as SodiumNative;
  } catch {
    return undefined;
  }
}

/** Bare libsodium verify + sign of a message of the same length as the signing bytes. */
function floorTask(sodium: SodiumNative, length: number): () => void {
  const publicKey = new Uint8Array(32);
  const secretKey = new Uint8Array(64);
  sodium.crypto_sign_seed_keypair(publicKey, secretKey, new Uint8Array(32).fill(3));
  const message = new Uint8Array(length).fill(0x61);
  const signature = new Uint8Array(64);
  sodium.crypto_sign_detached(signature, message, secretKey);
  const out = new Uint8Array(64);
  return () => {
    if (!sodium.crypto_sign_verify_detached(signature, message, publicKey)) throw new Error('floor');
    sodium.crypto_sign_detached(out, message, secretKey);
  };
}

const builtCache = new Map<InviteScenario, BuiltScenario>();
/** A scenario, built once. */
export function built(scenario: InviteScenario): BuiltScenario {
  let out = builtCache.get(scenario);
  if (out === undefined) {
    out = buildScenario(scenario);
    builtCache.set(scenario, out);
  }
  return out;
}

export function inviteScenariosBench(bench: Bench, wanted: (group: string) => boolean): void {
  const sodium = loadSodium();
  for (const scenario of SCENARIOS) {
    if (!wanted(scenario.group)) continue;
    const b = built(scenario);
    if (isBackendAvailable('sodium'))
      bench.add(`${scenario.group} | ${SCENARIO_LABELS.sodium}`, receiver(b, 'sodium'));
    if (scenario.nodeBackend === true && isBackendAvailable('node'))
      bench.add(`${scenario.group} | ${SCENARIO_LABELS.node}`, receiver(b, 'node'));
    if (sodium !== undefined)
      bench.add(`${scenario.group} | ${SCENARIO_LABELS.floor}`, floorTask(sodium, b.signingBytes.length));
    // Along the scaling series: what V8 alone pays to build the same objects (no checks, no crypto).
    if (scenario.series !== undefined) {
      const text = b.bodyText;
      bench.add(`${scenario.group} | ${SCENARIO_LABELS.jsonParse}`, () => {
        JSON.parse(text);
      });
    }
  }
}

/**
 * The bare Synapse helper path: exactly the library calls Synapse makes on an invite (`json.loads`,
 * `compute_content_hash`, `prune_event`, `verify_signed_json`, `compute_event_reference_hash`,
 * `compute_event_signature`'s `sign_json`, the response's `json.dumps`), with no validation around them.
 */
const PY_BARE = `${PY_REDACT_V1}
body = data["body"].encode("utf-8")
verify_key = signedjson.key.decode_verify_key_base64("ed25519", "a_Obwu", data["inviter_key"])
signing_key = nacl.signing.SigningKey(bytes.fromhex(data["invitee_seed_hex"]))
signing_key.version = "2"
signing_key.alg = "ed25519"
def receive():
    request = json.loads(body)
    event = request["event"]
    hashed = {k: v for k, v in event.items() if k not in ("unsigned", "signatures", "hashes")}
    if unpaddedbase64.decode_base64(event["hashes"]["sha256"]) != hashlib.sha256(canonicaljson.encode_canonical_json(hashed)).digest():
        raise ValueError("content hash mismatch")
    redacted = redact(event)
    signedjson.sign.verify_signed_json(redacted, "inviter.example", verify_key)
    referenced = {k: v for k, v in redacted.items() if k not in ("signatures", "unsigned")}
    event_id = "$" + unpaddedbase64.encode_base64(hashlib.sha256(canonicaljson.encode_canonical_json(referenced)).digest(), urlsafe=True)
    signed = signedjson.sign.sign_json(redacted, "invitee.example", signing_key)
    event["signatures"].setdefault("invitee.example", {}).update(signed["signatures"]["invitee.example"])
    return event_id, json.dumps({"event": event})
receive()
`;

export function inviteScenariosPython(wanted: (group: string) => boolean): PythonResult[] {
  const out: PythonResult[] = [];
  for (const scenario of SCENARIOS) {
    if (!wanted(scenario.group)) continue;
    const b = built(scenario);
    const result = pythonBench(`${scenario.group} | ${SCENARIO_LABELS.python}`, PY_BARE, 'receive()', {
      body: b.bodyText,
      inviter_key: inviterKey.publicKey,
      invitee_seed_hex: INVITEE_SEED_HEX,
    });
    if (result !== undefined) out.push(result);
  }
  return out;
}

/**
 * Garbage collection time per invite (µs), from the `gc` performance entries over `milliseconds` of receives: shows
 * whether the garbage a receive leaves grows linearly with the body.
 */
export async function gcMicrosPerInvite(b: BuiltScenario, milliseconds: number): Promise<number> {
  const run = receiver(b, 'sodium');
  for (let i = 0; i < 50; i++) run(); // warm up
  let total = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) total += entry.duration;
  });
  observer.observe({ entryTypes: ['gc'] });
  let iterations = 0;
  const start = performance.now();
  while (performance.now() - start < milliseconds) {
    run();
    iterations++;
  }
  // The entries are delivered asynchronously.
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  return (total * 1000) / iterations;
}
