/**
 * The runtime probe: the same fixed fixtures run through the built package in any JavaScript runtime (Node, Bun,
 * Deno, workerd, a browser). Plain ESM with no imports of its own: each runtime's entry file imports the package and
 * hands it in, so this file runs unchanged everywhere (no `node:` modules, no `Buffer`, no file system).
 *
 * Every result is a JSON-serialisable value (bytes as hex): the runtime matrix tests (test/runtimes/*.test.ts) compare
 * each one, byte for byte, with the same probe run in-process on the Node that runs vitest.
 */

/** The backend modes every runtime runs: the runtime's default backend, and `noble` forced (pure JavaScript). */
export const SYNC_MODES = ['default', 'noble'];

/** The results computed in each mode, in order. */
export const RESULT_NAMES = [
  'public_keys',
  'canonical_json',
  'content_hash',
  'event_ids',
  'signatures',
  'x_matrix',
  'receive_invite',
  'receive_invite_forged',
  'verify_invite_response',
  'verify_invite_response_tampered',
  'ed25519_verdicts',
];

const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const INVITER = 'inviter.example';
const INVITEE = 'invitee.example';
const ALICE = '@alice:inviter.example';
const BOB = '@bob:invitee.example';

/** Raw request bytes for the canonical JSON fixture: key order, escapes, non-ASCII, nesting, integers. */
const CANONICAL_FIXTURE =
  '{"b":[1,-2,0,9007199254740991,{"z":null,"a":true}],"a":"\\u00e9\\u2028\\ud83d\\ude00\\u0000\\"\\\\/",' +
  '"\u00e9":"caf\u00e9","\ud83d\ude00":false,"\u00ff":{"\u0100":"x","a":[]},"":"empty key","A":-0}';

const utf8 = new TextEncoder();

/** Lowercase hex of bytes (the probe's only byte encoding: no Buffer anywhere). */
export function toHex(bytes) {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** Bytes of a hex string. */
export function fromHex(hex) {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Unwraps a Right; a Left is reported (with its reason) as the failure of the result being computed. */
export function must(either, what) {
  if (either._tag === 'Left') throw new Error(`${what}: ${either.left.reason ?? ''} ${either.left.message}`);
  return either.right;
}

/** A verdict as plain data: accepted, or the reason and status of the refusal. */
function verdict(either) {
  return either._tag === 'Right'
    ? { ok: true }
    : { ok: false, reason: either.left.reason, status: either.left.status ?? null };
}

/**
 * Everything one mode needs: keys from fixed seeds, a room version 12 room, a signed v2 invite and the request that
 * carries it (X-Matrix), built with the mode's backend.
 */
export function buildWorld(lib, backend) {
  const backendOption = backend === undefined ? {} : { backend };
  const key = (seedByte, version) =>
    must(lib.signingKeyFromSeed(new Uint8Array(32).fill(seedByte), version, backendOption), 'key');
  const inviter = key(1, 'a1');
  const invitee = key(2, 'b1');
  const mallory = key(3, 'm1');
  const servers = [
    { name: INVITER, key: inviter },
    { name: INVITEE, key: invitee },
    { name: 'evil.example', key: mallory },
  ];
  const keys = (serverName, keyId) => {
    const found = servers.find((s) => s.name === serverName && s.key.keyId === keyId);
    return found === undefined ? undefined : { key: found.key.publicKey };
  };
  const signState = (fields) => must(lib.signEvent(fields, '12', INVITER, inviter), 'state event');
  const create = signState({
    type: 'm.room.create',
    state_key: '',
    sender: ALICE,
    origin_server_ts: T0,
    depth: 1,
    auth_events: [],
    prev_events: [],
    content: { room_version: '12' },
  });
  const roomId = must(lib.computeRoomId(create), 'room ID');
  const idOf = (event) => must(lib.computeEventId(event, '12'), 'event ID');
  const join = signState({
    type: 'm.room.member',
    state_key: ALICE,
    sender: ALICE,
    room_id: roomId,
    origin_server_ts: T0 + 1,
    depth: 2,
    auth_events: [],
    prev_events: [`$${roomId.slice(1)}`],
    content: { membership: 'join', displayname: 'Alice \u00e9\ud83d\ude00' },
  });
  const joinRules = signState({
    type: 'm.room.join_rules',
    state_key: '',
    sender: ALICE,
    room_id: roomId,
    origin_server_ts: T0 + 2,
    depth: 3,
    auth_events: [idOf(join)],
    prev_events: [idOf(join)],
    content: { join_rule: 'invite' },
  });
  const built = must(
    lib.buildInviteEvent(
      {
        roomVersion: '12',
        roomId,
        sender: ALICE,
        invitee: BOB,
        originServerTs: T0 + 10,
        depth: 4,
        authEvents: [idOf(join), idOf(joinRules)],
        prevEvents: [idOf(joinRules)],
        content: { displayname: 'Bob' },
      },
      INVITER,
      inviter,
    ),
    'invite event',
  );
  const state = must(
    lib.buildInviteRoomState([create, join, joinRules], '12', { inviter: ALICE }),
    'invite_room_state',
  );
  const request = must(
    lib.buildInviteRequest({
      apiVersion: 'v2',
      roomVersion: '12',
      event: built.event,
      inviteRoomState: state,
    }),
    'invite request',
  );
  const body = utf8.encode(must(lib.encodeCanonicalJson(request.body), 'request body'));
  const authorization = must(
    lib.signRequest(
      { method: 'PUT', uri: request.path, origin: INVITER, destination: INVITEE, content: request.body },
      inviter,
    ),
    'X-Matrix',
  );
  return { backendOption, inviter, invitee, keys, create, join, built, request, body, authorization };
}

/** The invitee's answer to a v2 invite: the library's receiveInvite on the raw bytes. */
export function receive(lib, world, body) {
  return lib.receiveInvite(
    {
      apiVersion: 'v2',
      roomId: world.built.event.room_id,
      eventId: world.built.eventId,
      origin: INVITER,
      body,
    },
    {
      serverName: INVITEE,
      signingKey: world.invitee,
      keys: world.keys,
      ...(world.backendOption.backend === undefined
        ? {}
        : { policy: { backend: world.backendOption.backend } }),
    },
  );
}

/** One mode's results, in {@link RESULT_NAMES} order; a throw becomes that result's `error`. */
function runMode(lib, mode, edgeCases) {
  const backend = mode === 'default' ? undefined : mode;
  /** @type {{ name: string, value?: unknown, error?: string }[]} */
  const lines = [];
  let world;
  const compute = (name, fn) => {
    try {
      if (world === undefined) world = buildWorld(lib, backend);
      lines.push({ name: `${mode}.${name}`, value: fn(world) });
    } catch (error) {
      lines.push({ name: `${mode}.${name}`, error: String(error?.stack ?? error) });
    }
  };

  compute('public_keys', (w) => ({ inviter: w.inviter.publicKey, invitee: w.invitee.publicKey }));
  compute('canonical_json', () => {
    const parsed = must(lib.parseJson(utf8.encode(CANONICAL_FIXTURE)), 'parse');
    return toHex(must(lib.encodeCanonicalJsonBytes(parsed), 'canonical JSON'));
  });
  compute('content_hash', (w) => ({
    invite: must(lib.computeContentHash(w.built.event), 'content hash'),
    join: must(lib.computeContentHash(w.join), 'content hash'),
  }));
  compute('event_ids', (w) => ({
    invite: w.built.eventId,
    create: must(lib.computeEventId(w.create, '12'), 'event ID'),
    roomVersion3: must(lib.computeEventId(w.join, '3'), 'event ID'),
    roomVersion4: must(lib.computeEventId(w.join, '4'), 'event ID'),
  }));
  compute('signatures', (w) => ({
    invite: w.built.event.signatures,
    raw: toHex(w.inviter.sign(utf8.encode(CANONICAL_FIXTURE))),
  }));
  compute('x_matrix', (w) => {
    const content = must(lib.parseJson(w.body), 'body');
    const ok = lib.verifyRequest(
      { method: 'PUT', uri: w.request.path, content, authorization: w.authorization },
      INVITEE,
      w.keys,
      w.backendOption,
    );
    const wrongUri = lib.verifyRequest(
      { method: 'PUT', uri: `${w.request.path}x`, content, authorization: w.authorization },
      INVITEE,
      w.keys,
      w.backendOption,
    );
    return {
      authorization: w.authorization,
      verdict: verdict(ok),
      origin: ok._tag === 'Right' ? ok.right.origin : null,
      wrongUri: verdict(wrongUri),
    };
  });
  compute('receive_invite', (w) => {
    const result = receive(lib, w, w.body);
    const accepted = must(result, 'receiveInvite');
    return {
      status: accepted.status,
      eventId: accepted.eventId,
      responseBytes: toHex(accepted.responseBytes),
    };
  });
  compute('receive_invite_forged', (w) => {
    // The same invite with one content field changed after signing: the inviter's signature no longer verifies.
    const forged = toHex(w.body).replace(
      toHex(utf8.encode('"displayname":"Bob"')),
      toHex(utf8.encode('"displayname":"Eve"')),
    );
    const result = receive(lib, w, fromHex(forged));
    return result._tag === 'Right'
      ? { accepted: true }
      : { status: result.left.status, reason: result.left.reason, body: result.left.body };
  });
  const answer = (w) => must(receive(lib, w, w.body), 'receiveInvite').responseBytes;
  const checkAnswer = (w, bytes) =>
    lib.verifyInviteResponse(
      {
        apiVersion: 'v2',
        status: 200,
        body: bytes,
        sentEvent: w.built.event,
        roomVersion: '12',
        inviteeServer: INVITEE,
        keys: w.keys,
      },
      w.backendOption,
    );
  compute('verify_invite_response', (w) => {
    const verified = must(checkAnswer(w, answer(w)), 'verifyInviteResponse');
    return {
      eventId: verified.eventId,
      inviteeKeyIds: verified.inviteeKeyIds,
      warnings: verified.warnings.map((x) => x.reason),
      event: toHex(must(lib.encodeCanonicalJsonBytes(verified.event), 'event')),
    };
  });
  compute('verify_invite_response_tampered', (w) => {
    // The invitee's answer with one byte of its countersignature changed (the first letter of the signature).
    const text = new TextDecoder().decode(answer(w));
    const marker = `"${INVITEE}":{"ed25519:b1":"`;
    const at = text.indexOf(marker) + marker.length;
    const swapped = text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    return verdict(checkAnswer(w, utf8.encode(swapped)));
  });
  compute('ed25519_verdicts', (w) => {
    const message = utf8.encode(CANONICAL_FIXTURE);
    const good = w.inviter.sign(message);
    const publicKey = w.inviter.publicKeyBytes;
    const mutations = [good];
    for (const index of [0, 31, 32, 63]) {
      const copy = Uint8Array.from(good);
      copy[index] ^= 1;
      mutations.push(copy);
    }
    const verify = (pk, msg, sig) => lib.verifyEd25519(pk, msg, sig, w.backendOption);
    return {
      edgeCases: edgeCases.map((c) => verify(fromHex(c.pub_key), fromHex(c.message), fromHex(c.signature))),
      mutations: mutations.map((sig) => verify(publicKey, message, sig)),
      wrongKey: verify(w.invitee.publicKeyBytes, message, good),
    };
  });
  return lines;
}

/** What the probe learns about the runtime it runs in (reported, not compared). */
export function describeRuntime() {
  const g = globalThis;
  if (typeof g.Deno !== 'undefined') return { runtime: 'deno', version: g.Deno.version.deno };
  if (typeof g.Bun !== 'undefined') return { runtime: 'bun', version: g.Bun.version };
  if (g.navigator?.userAgent === 'Cloudflare-Workers') return { runtime: 'workerd', version: null };
  if (typeof g.process !== 'undefined' && typeof g.process.versions?.node === 'string')
    return { runtime: 'node', version: g.process.versions.node };
  return { runtime: 'browser', version: g.navigator?.userAgent ?? null };
}

/**
 * Runs every mode over the fixtures. `lib` is the package namespace (`import * as lib from 'matrix-federation-invite'`)
 * plus `isLeft` from fp-ts; `edgeCases` are the ed25519 edge cases (pub_key, message, signature as hex).
 * Returns the result lines: first `runtime`, then `<mode>.<result>` for every mode and result.
 */
export async function runProbe(lib, edgeCases) {
  const lines = [];
  let backends = null;
  try {
    backends = { default: lib.defaultBackend(), available: lib.availableBackends() };
  } catch (error) {
    backends = { error: String(error) };
  }
  lines.push({ name: 'runtime', value: { ...describeRuntime(), backends } });
  for (const mode of SYNC_MODES) lines.push(...runMode(lib, mode, edgeCases));
  return lines;
}
