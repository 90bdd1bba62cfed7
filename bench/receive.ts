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
import type { JsonObject, JsonValue } from '../src/json/value.js';
import { INVITE_EVENT } from './fixtures.js';
import { type PythonResult, pythonBench } from './python.js';

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
  const inviterKey = unwrap(signingKeyFromSeed(INVITER_SEED, 'a_Obwu'));
  const { hashes: _h, signatures: _s, ...template } = INVITE_EVENT;
  const event = unwrap(signEvent(template as unknown as JsonObject, '10', INVITER, inviterKey));
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
    signingKeyFromSeed(Uint8Array.from(Buffer.from(INVITEE_SEED_HEX, 'hex')), '2', { backend }),
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
    bench.add(`receive: receiveInvite v2 raw body → response bytes (${backend})`, () => {
      receiveInvite(request, context);
    });
  }
}

const PY_SETUP = `
import copy
V1_TOP = ["event_id","type","room_id","sender","state_key","content","hashes","signatures","depth","prev_events",
          "prev_state","auth_events","origin","origin_server_ts","membership"]
def redact(event):
    out = {k: v for k, v in event.items() if k in V1_TOP}
    out["content"] = {k: v for k, v in event["content"].items() if k == "membership"}
    return out
body = data["body"].encode("utf-8")
verify_key = signedjson.key.decode_verify_key_base64("ed25519", "a_Obwu", data["inviter_key"])
signing_key = nacl.signing.SigningKey(bytes.fromhex(data["invitee_seed_hex"]))
signing_key.version = "2"
signing_key.alg = "ed25519"
def receive():
    request = json.loads(body)
    event = request["event"]
    redacted = redact(event)
    signedjson.sign.verify_signed_json(redacted, "inviter.example", verify_key)
    hashed = {k: v for k, v in event.items() if k not in ("unsigned", "signatures", "hashes")}
    digest = hashlib.sha256(canonicaljson.encode_canonical_json(hashed)).digest()
    if unpaddedbase64.decode_base64(event["hashes"]["sha256"]) != digest:
        raise ValueError("content hash mismatch")
    signed = signedjson.sign.sign_json(redacted, "invitee.example", signing_key)
    event["signatures"].setdefault("invitee.example", {}).update(signed["signatures"]["invitee.example"])
    return canonicaljson.encode_canonical_json({"event": event})
receive()
`;

export function receivePython(): PythonResult[] {
  const result = pythonBench(
    'python: receive pipeline v2 raw body → response bytes (canonicaljson + signedjson + libsodium)',
    PY_SETUP,
    'receive()',
    { body, inviter_key: inviterKey.publicKey, invitee_seed_hex: INVITEE_SEED_HEX },
  );
  return result === undefined ? [] : [result];
}
