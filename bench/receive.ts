/**
 * The full receive pipeline: the raw v2 body of the ~1.5 KB room 10 invite in, the countersigned response body
 * bytes out (`receiveInvite`), per ed25519 backend; and the same work with Debian's Python stack (json.loads,
 * redaction, signedjson verification of the sender's signature, content hash, countersignature, canonicaljson
 * encoding of the response).
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Bench } from 'tinybench';
import { isBackendAvailable } from '../src/crypto/ed25519.js';
import { signingKeyFromSeed } from '../src/crypto/keys.js';
import type { Ed25519BackendName, KeyLookup, SigningKey } from '../src/crypto/types.js';
import { signEvent } from '../src/events/signing.js';
import { receiveInvite } from '../src/invite/receive/receive.js';
import { receiveInviteAsync } from '../src/invite/receive/receive-async.js';
import type { JsonObject, JsonValue } from '../src/json/value.js';
import { INVITE_EVENT } from './fixtures.js';
import { PY_REDACT_V1, type PythonResult, pythonBench } from './python.js';

const INVITER_SEED = 'QJvXAPj0D9MUb1exkD8pIWmCvT1xajlsB8jRYz/G5HE'; // gmsl keyring seed (vectors.keys.gmsl_keyring)
const INVITEE_SEED_HEX = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
const INVITER = 'inviter.example';
const INVITEE = 'invitee.example';

function unwrap<T>(either: E.Either<{ message: string }, T>): T {
  if (E.isLeft(either)) throw new Error(either.left.message);
  return either.right;
}

/** The invite, properly hashed and signed by the inviter, and its v2 request body text. */
function fixture(): { body: string; roomId: string; eventId: string; inviterKey: SigningKey } {
  const inviterKey = unwrap(signingKeyFromSeed({ seed: INVITER_SEED, version: 'a_Obwu' }));
  const { hashes: _h, signatures: _s, ...template } = INVITE_EVENT;
  const event = unwrap(
    signEvent({
      event: template as unknown as JsonObject,
      roomVersion: '10',
      serverName: INVITER,
      signingKey: inviterKey,
    }),
  );
  const unsigned = INVITE_EVENT.unsigned as unknown as { invite_room_state: JsonValue };
  const body = JSON.stringify({ room_version: '10', event, invite_room_state: unsigned.invite_room_state });
  return { body, roomId: INVITE_EVENT.room_id, eventId: '', inviterKey };
}

const { body, roomId, inviterKey } = fixture();
const bodyBytes = new TextEncoder().encode(body);
const keys: KeyLookup = (server, keyId) =>
  server === INVITER && keyId === inviterKey.keyId ? { key: inviterKey.publicKey } : undefined;

function contextFor(backend: Ed25519BackendName) {
  const signingKey = unwrap(
    signingKeyFromSeed({
      seed: Uint8Array.from(Buffer.from(INVITEE_SEED_HEX, 'hex')),
      version: '2',
      backend,
    }),
  );
  return { serverName: INVITEE, signingKey, keys, policy: { backend } };
}

/** Computes the event ID once (the request path carries it). */
function eventIdFor(backend: Ed25519BackendName): string {
  const probe = receiveInvite(
    { apiVersion: 'v2', roomId, eventId: '$probe', origin: INVITER, body: bodyBytes },
    contextFor(backend),
  );
  if (E.isRight(probe)) return probe.right.eventId;
  const match = /the event's ID is (\S+),/.exec(probe.left.message);
  if (match?.[1] === undefined) throw new Error(probe.left.message);
  return match[1];
}

export function receiveBench(bench: Bench): void {
  for (const backend of ['sodium', 'node', 'noble'] as const) {
    if (!isBackendAvailable(backend)) continue;
    const context = contextFor(backend);
    const request = {
      apiVersion: 'v2' as const,
      roomId,
      eventId: eventIdFor(backend),
      origin: INVITER,
      body: bodyBytes,
    };
    const check = receiveInvite(request, context);
    if (E.isLeft(check)) throw new Error(`receive bench fixture rejected: ${check.left.message}`);
    bench.add(`receive pipeline | receiveInvite, v2 raw body → response bytes (${backend})`, () => {
      receiveInvite(request, context);
    });
  }
  // The async helper: an async key lookup (resolved at once, as a warm key cache answers) and the verdicts of a
  // synchronous backend or of Web Crypto. The synchronous pipeline runs two or three times.
  const asyncKeys = async (server: string, keyId: string) => keys(server, keyId);
  for (const backend of ['sodium', 'webcrypto'] as const) {
    const signer = backend === 'webcrypto' ? 'noble' : backend;
    if (!isBackendAvailable(signer)) continue;
    const context = { ...contextFor(signer), keys: asyncKeys };
    const request = {
      apiVersion: 'v2' as const,
      roomId,
      eventId: eventIdFor(signer),
      origin: INVITER,
      body: bodyBytes,
    };
    bench.add(
      `receive pipeline | receiveInviteAsync, async key lookup (verify: ${backend}, sign: ${signer})`,
      async () => {
        const result = await receiveInviteAsync(request, { ...context, backend });
        if (E.isLeft(result)) throw new Error(result.left.message);
      },
    );
  }
}

/**
 * The same work in Python, written the way Synapse does it: json.loads, the room version, the strict canonical
 * JSON walk of rooms 6+ (validate_canonicaljson) over the whole body, required PDU keys, the event ID (reference
 * hash), sender/state_key checks, the sender's signature (signedjson over libsodium), the content hash, the
 * countersignature, and the canonical response with invite_room_state in unsigned (our default response format).
 */
const PY_SETUP = `${PY_REDACT_V1}
MAX_INT = 2**53 - 1
def validate_canonicaljson(value):
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return
    if isinstance(value, int):
        if value < -MAX_INT or value > MAX_INT: raise ValueError("JSON integer out of range")
    elif isinstance(value, float):
        raise ValueError("Bad JSON value: float")
    elif isinstance(value, dict):
        for v in value.values(): validate_canonicaljson(v)
    elif isinstance(value, list):
        for v in value: validate_canonicaljson(v)
    else:
        raise ValueError("Unknown JSON value")
body = data["body"].encode("utf-8")
verify_key = signedjson.key.decode_verify_key_base64("ed25519", "a_Obwu", data["inviter_key"])
signing_key = nacl.signing.SigningKey(bytes.fromhex(data["invitee_seed_hex"]))
signing_key.version = "2"
signing_key.alg = "ed25519"
def receive():
    request = json.loads(body)
    if request.get("room_version") != "10": raise ValueError("room version")
    validate_canonicaljson(request)
    event = request["event"]
    for key in ("type", "depth", "content", "hashes", "origin_server_ts", "sender", "room_id", "auth_events", "prev_events"):
        if key not in event: raise ValueError("missing " + key)
    redacted = redact(event)
    unsigned_free = {k: v for k, v in redacted.items() if k not in ("signatures", "unsigned")}
    event_id = "$" + unpaddedbase64.encode_base64(hashlib.sha256(canonicaljson.encode_canonical_json(unsigned_free)).digest(), urlsafe=True)
    if event["type"] != "m.room.member" or event["content"].get("membership") != "invite": raise ValueError("not an invite")
    if event["sender"].split(":", 1)[1] != "inviter.example": raise ValueError("origin")
    if event["state_key"].split(":", 1)[1] != "invitee.example": raise ValueError("not ours")
    signedjson.sign.verify_signed_json(redacted, "inviter.example", verify_key)
    hashed = {k: v for k, v in event.items() if k not in ("unsigned", "signatures", "hashes")}
    digest = hashlib.sha256(canonicaljson.encode_canonical_json(hashed)).digest()
    if unpaddedbase64.decode_base64(event["hashes"]["sha256"]) != digest:
        raise ValueError("content hash mismatch")
    signed = signedjson.sign.sign_json(redacted, "invitee.example", signing_key)
    event["signatures"].setdefault("invitee.example", {}).update(signed["signatures"]["invitee.example"])
    event.setdefault("unsigned", {})["invite_room_state"] = request.get("invite_room_state", [])
    return event_id, canonicaljson.encode_canonical_json({"event": event})
receive()
`;

export function receivePython(): PythonResult[] {
  const result = pythonBench(
    'receive pipeline | python: json + canonicaljson + signedjson (libsodium), same checks',
    PY_SETUP,
    'receive()',
    { body, inviter_key: inviterKey.publicKey, invitee_seed_hex: INVITEE_SEED_HEX },
  );
  return result === undefined ? [] : [result];
}
