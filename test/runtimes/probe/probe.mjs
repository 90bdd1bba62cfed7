/**
 * The runtime probe: the same fixed fixtures run through the built package in any JavaScript runtime (Node, Bun,
 * Deno, workerd, a browser). Plain ESM with no imports of its own: each runtime's entry file imports the package and
 * hands it in, so this file runs unchanged everywhere (no `node:` modules, no `Buffer`, no file system).
 *
 * Every result is a JSON-serialisable value (bytes as hex): the runtime matrix tests (test/runtimes/*.test.ts) compare
 * each one, byte for byte, with the same probe run in-process on the Node that runs vitest.
 */

/** The backend modes of the synchronous functions (the benchmark's modes too). */
export const SYNC_MODES = ['default', 'noble'];

/** The results computed in each synchronous mode, in order. */
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
    must(
      lib.signingKeyFromSeed({ seed: new Uint8Array(32).fill(seedByte), version, ...backendOption }),
      'key',
    );
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
  const signState = (fields) =>
    must(
      lib.signEvent({ event: fields, roomVersion: '12', serverName: INVITER, signingKey: inviter }),
      'state event',
    );
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
    lib.buildInviteEvent({
      roomVersion: '12',
      roomId,
      sender: ALICE,
      invitee: BOB,
      originServerTs: T0 + 10,
      depth: 4,
      authEvents: [idOf(join), idOf(joinRules)],
      prevEvents: [idOf(joinRules)],
      content: { displayname: 'Bob' },
      serverName: INVITER,
      signingKey: inviter,
    }),
    'invite event',
  );
  const state = must(
    lib.buildInviteRoomState({ state: [create, join, joinRules], roomVersion: '12', inviter: ALICE }),
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

/**
 * The crypto paths every runtime runs, each over the same fixtures:
 * - `default`: the synchronous functions with the runtime's default backend (no `backend` anywhere);
 * - `noble`: the synchronous functions with `noble` forced (pure JavaScript, the last resort everywhere);
 * - `async`: the async helpers (`receiveInviteAsync`, `verifyRequestAsync`, `verifyInviteResponseAsync`) with an
 *   async key lookup and the runtime's default async backend;
 * - `webcrypto`: the same async helpers with `backend: 'webcrypto'` (Web Crypto's native Ed25519), plus Web Crypto
 *   signing and `verifyEd25519WebCrypto` verdicts.
 */
export const MODES = [
  { name: 'default', kind: 'sync', backend: undefined },
  { name: 'noble', kind: 'sync', backend: 'noble' },
  { name: 'async', kind: 'async', backend: undefined },
  { name: 'webcrypto', kind: 'async', backend: 'webcrypto' },
];

const SYNC_RESULTS = RESULT_NAMES;
const ASYNC_RESULTS = [
  'x_matrix',
  'receive_invite',
  'receive_invite_forged',
  'verify_invite_response',
  'verify_invite_response_tampered',
];
const WEBCRYPTO_RESULTS = ['signatures', ...ASYNC_RESULTS, 'ed25519_verdicts'];

/** Every `<mode>.<result>` the probe prints after its `runtime` line, in order. */
export const PROBE_RESULTS = MODES.flatMap((mode) =>
  (mode.kind === 'sync'
    ? SYNC_RESULTS
    : mode.backend === 'webcrypto'
      ? WEBCRYPTO_RESULTS
      : ASYNC_RESULTS
  ).map((result) => `${mode.name}.${result}`),
);

/** The message signed and verified in `signatures` and `ed25519_verdicts`, and its mutated signatures. */
function signatureCases(signature) {
  const mutations = [signature];
  for (const index of [0, 31, 32, 63]) {
    const copy = Uint8Array.from(signature);
    copy[index] ^= 1;
    mutations.push(copy);
  }
  return mutations;
}

/** One mode's results, in {@link PROBE_RESULTS} order; a throw becomes that result's `error`. */
async function runMode(lib, mode, edgeCases) {
  const lines = [];
  const wanted = new Set(PROBE_RESULTS.filter((name) => name.startsWith(`${mode.name}.`)));
  let world;
  const compute = async (name, fn) => {
    if (!wanted.has(`${mode.name}.${name}`)) return;
    try {
      // Signing keys use the synchronous default in the async modes (their signatures are the same bytes).
      if (world === undefined) world = buildWorld(lib, mode.kind === 'sync' ? mode.backend : undefined);
      lines.push({ name: `${mode.name}.${name}`, value: await fn(world) });
    } catch (error) {
      lines.push({ name: `${mode.name}.${name}`, error: String(error?.stack ?? error) });
    }
  };
  const asyncOptions = mode.backend === undefined ? {} : { backend: mode.backend };
  const syncOptions = (w) => w.backendOption;
  /** The async key lookup of a real homeserver: answers a tick later. */
  const asyncKeys = (w) => async (serverName, keyId) => {
    await null;
    return w.keys(serverName, keyId);
  };
  const receiveBody = (w, body) => {
    if (mode.kind === 'sync') return receive(lib, w, body);
    return lib.receiveInviteAsync(
      { apiVersion: 'v2', roomId: w.built.event.room_id, eventId: w.built.eventId, origin: INVITER, body },
      { serverName: INVITEE, signingKey: w.invitee, keys: asyncKeys(w), ...asyncOptions },
    );
  };
  const checkRequest = (w, uri, content) =>
    mode.kind === 'sync'
      ? lib.verifyRequest(
          { method: 'PUT', uri, content, authorization: w.authorization },
          { serverName: INVITEE, keys: w.keys, ...syncOptions(w) },
        )
      : lib.verifyRequestAsync(
          { method: 'PUT', uri, content, authorization: w.authorization },
          { serverName: INVITEE, keys: asyncKeys(w), ...asyncOptions },
        );
  const checkAnswer = (w, bytes) => {
    const context = { apiVersion: 'v2', sentEvent: w.built.event, roomVersion: '12', inviteeServer: INVITEE };
    const response = { status: 200, body: bytes };
    return mode.kind === 'sync'
      ? lib.verifyInviteResponse(response, { ...context, keys: w.keys, ...syncOptions(w) })
      : lib.verifyInviteResponseAsync(response, { ...context, keys: asyncKeys(w), ...asyncOptions });
  };
  const answer = async (w) => must(await receiveBody(w, w.body), 'receiveInvite').responseBytes;
  const message = utf8.encode(CANONICAL_FIXTURE);

  await compute('public_keys', (w) => ({ inviter: w.inviter.publicKey, invitee: w.invitee.publicKey }));
  await compute('canonical_json', () => {
    const parsed = must(lib.parseJson(utf8.encode(CANONICAL_FIXTURE)), 'parse');
    return toHex(utf8.encode(must(lib.encodeCanonicalJson(parsed), 'canonical JSON')));
  });
  await compute('content_hash', (w) => ({
    invite: must(lib.computeContentHash(w.built.event), 'content hash'),
    join: must(lib.computeContentHash(w.join), 'content hash'),
  }));
  await compute('event_ids', (w) => ({
    invite: w.built.eventId,
    create: must(lib.computeEventId(w.create, '12'), 'event ID'),
    roomVersion3: must(lib.computeEventId(w.join, '3'), 'event ID'),
    roomVersion4: must(lib.computeEventId(w.join, '4'), 'event ID'),
  }));
  await compute('signatures', async (w) => {
    if (mode.backend !== 'webcrypto') {
      return { invite: w.built.event.signatures, raw: toHex(w.inviter.sign(message)) };
    }
    const signer = await lib.createWebCryptoSigner(new Uint8Array(32).fill(1));
    if (signer === undefined) throw new Error('createWebCryptoSigner: no Web Crypto Ed25519 here');
    return { raw: toHex(must(await signer(message), 'Web Crypto signature')) };
  });
  await compute('x_matrix', async (w) => {
    const content = must(lib.parseJson(w.body), 'body');
    const ok = await checkRequest(w, w.request.path, content);
    const wrongUri = await checkRequest(w, `${w.request.path}x`, content);
    return {
      authorization: w.authorization,
      verdict: verdict(ok),
      origin: ok._tag === 'Right' ? ok.right.origin : null,
      wrongUri: verdict(wrongUri),
    };
  });
  await compute('receive_invite', async (w) => {
    const accepted = must(await receiveBody(w, w.body), 'receiveInvite');
    return {
      status: accepted.status,
      eventId: accepted.eventId,
      responseBytes: toHex(accepted.responseBytes),
    };
  });
  await compute('receive_invite_forged', async (w) => {
    const outcome = (result) =>
      result._tag === 'Right'
        ? { accepted: true }
        : { status: result.left.status, reason: result.left.reason, body: result.left.body };
    const text = new TextDecoder().decode(w.body);
    // One content field changed after signing: the content hash no longer matches.
    const content = text.replace('"displayname":"Bob"', '"displayname":"Eve"');
    // The inviter's signature on the invite changed by one letter: the hash matches, the signature does not.
    const signature = w.built.event.signatures[INVITER]['ed25519:a1'];
    const forgedSignature = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
    const signed = text.replace(`"${signature}"`, `"${forgedSignature}"`);
    return {
      content: outcome(await receiveBody(w, utf8.encode(content))),
      signature: outcome(await receiveBody(w, utf8.encode(signed))),
    };
  });
  await compute('verify_invite_response', async (w) => {
    const verified = must(await checkAnswer(w, await answer(w)), 'verifyInviteResponse');
    return {
      eventId: verified.eventId,
      inviteeKeyIds: verified.inviteeKeyIds,
      warnings: verified.warnings.map((x) => x.reason),
      event: toHex(utf8.encode(must(lib.encodeCanonicalJson(verified.event), 'event'))),
    };
  });
  await compute('verify_invite_response_tampered', async (w) => {
    // The invitee's answer with one letter of its countersignature changed.
    const text = new TextDecoder().decode(await answer(w));
    const marker = `"${INVITEE}":{"ed25519:b1":"`;
    const at = text.indexOf(marker) + marker.length;
    const swapped = text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    return verdict(await checkAnswer(w, utf8.encode(swapped)));
  });
  await compute('ed25519_verdicts', async (w) => {
    const verify =
      mode.backend === 'webcrypto'
        ? (pk, msg, sig) => lib.verifyEd25519WebCrypto({ publicKey: pk, message: msg, signature: sig })
        : async (pk, msg, sig) =>
            lib.verifyEd25519({ publicKey: pk, message: msg, signature: sig, ...w.backendOption });
    const good = w.inviter.sign(message);
    const all = (list) => Promise.all(list);
    return {
      edgeCases: await all(
        edgeCases.map((c) => verify(fromHex(c.pub_key), fromHex(c.message), fromHex(c.signature))),
      ),
      mutations: await all(signatureCases(good).map((sig) => verify(w.inviter.publicKeyBytes, message, sig))),
      wrongKey: await verify(w.invitee.publicKeyBytes, message, good),
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
 * Runs every mode over the fixtures. `lib` is the package namespace (`import * as lib from 'matrix-federation-invite'`);
 * `edgeCases` are the ed25519 edge cases (pub_key, message, signature as hex). Returns the result lines: first
 * `runtime` (with the backends the runtime resolves), then every name of {@link PROBE_RESULTS}.
 */
export async function runProbe(lib, edgeCases) {
  const lines = [];
  let backends = null;
  try {
    backends = {
      default: lib.defaultBackend(),
      available: lib.availableBackends(),
      async: await lib.resolveAsyncBackendName(),
      webcrypto: await lib.resolveAsyncBackendName('webcrypto'),
    };
  } catch (error) {
    backends = { error: String(error) };
  }
  lines.push({ name: 'runtime', value: { ...describeRuntime(), backends } });
  for (const mode of MODES) lines.push(...(await runMode(lib, mode, edgeCases)));
  return lines;
}
