/**
 * Interop for receiving invites: Debian's Python stack (canonicaljson, signedjson, PyNaCl/libsodium) plays the
 * inviter. It hashes, redacts (a small redaction written from the spec's redaction algorithms, member and create events only) and
 * signs invites for several room versions (room 12: room ID from the create event it builds); we must accept them,
 * and our countersignature must verify with signedjson.
 */
import * as E from 'fp-ts/lib/Either.js';
import { expect, it } from 'vitest';
import { receiveInvite } from '../../src/invite/receive/receive.js';
import { parseJson } from '../../src/json/parse.js';
import type { JsonObject } from '../../src/json/value.js';
import { vectors } from '../helpers/fixtures.js';
import { describeInterop, PY_EVENT_HELPERS, PY_PRELUDE, runPython } from '../helpers/python-oracle.js';
import { context, INVITEE, INVITER, inviteeKey, keys } from '../invite/helpers.js';

const INVITER_SCRIPT = `${PY_PRELUDE}${PY_EVENT_HELPERS}
data = json.loads(sys.stdin.read())
key = nacl.signing.SigningKey(h2b(data["seed_hex"]))
key.version = "1"
key.alg = "ed25519"
def hash_and_sign(event, rv):
    hashed = {k: v for k, v in event.items() if k not in ("unsigned", "signatures", "hashes")}
    event["hashes"] = {"sha256": unpaddedbase64.encode_base64(hashlib.sha256(canonicaljson.encode_canonical_json(hashed)).digest())}
    signed = signedjson.sign.sign_json(redact(event, rv), "inviter.example", key)
    event["signatures"] = signed["signatures"]
    return event
out = []
for rv in data["versions"]:
    room_id = "!room:inviter.example"
    state = []
    if int(rv) >= 12:
        create = hash_and_sign({"type": "m.room.create", "state_key": "", "sender": "@alice:inviter.example",
            "content": {"room_version": rv}, "origin_server_ts": 1700000000000, "depth": 1,
            "auth_events": [], "prev_events": []}, rv)
        room_id = "!" + event_id(create, rv)[1:]
        state.append(create)
    else:
        create = {"type": "m.room.create", "state_key": "", "sender": "@alice:inviter.example", "room_id": room_id,
            "content": {"creator": "@alice:inviter.example", "room_version": rv}, "origin_server_ts": 1700000000000,
            "depth": 1, "auth_events": [], "prev_events": []}
        if int(rv) <= 2: create["event_id"] = "$create:inviter.example"
        state.append(hash_and_sign(create, rv))
    invite = {"type": "m.room.member", "state_key": "@bob:invitee.example", "sender": "@alice:inviter.example",
        "room_id": room_id, "origin": "inviter.example", "origin_server_ts": 1700000000000, "depth": 10,
        "content": {"membership": "invite", "displayname": "Bob \\u65e5\\u672c", "is_direct": True, "reason": "\\U0001F600 hi"}}
    if int(rv) <= 2:
        invite["event_id"] = "$inv:inviter.example"
        invite["auth_events"] = [["$a:inviter.example", {"sha256": "MaQzq64kCS34Y251LQPw3B0IteKSVJto619kdV84kDw"}]]
        invite["prev_events"] = [["$p:inviter.example", {"sha256": "nCGwKYHNwZwNrPd95ubWyNb2s9k1b1kTmt52pvahAc4"}]]
    else:
        invite["auth_events"] = ["$a"]
        invite["prev_events"] = ["$p"]
    hash_and_sign(invite, rv)
    eid = invite["event_id"] if int(rv) <= 2 else event_id(invite, rv)
    body = {"room_version": rv, "event": invite, "invite_room_state": state}
    out.append({"rv": rv, "room_id": room_id, "event_id": eid, "body": json.dumps(body, ensure_ascii=False)})
print(json.dumps(out))
`;

const VERIFIER_SCRIPT = `${PY_PRELUDE}${PY_EVENT_HELPERS}
data = json.loads(sys.stdin.read())
invitee = signedjson.key.decode_verify_key_base64("ed25519", "2", data["invitee_key"])
inviter = signedjson.key.decode_verify_key_base64("ed25519", "1", data["inviter_key"])
results = []
for item in data["items"]:
    event = json.loads(item["response"])["event"]
    redacted = redact(event, item["rv"])
    ok = []
    for server, vk in (("invitee.example", invitee), ("inviter.example", inviter)):
        try:
            signedjson.sign.verify_signed_json(redacted, server, vk)
            ok.append(True)
        except Exception as e:
            ok.append(str(e))
    results.append(ok)
print(json.dumps(results))
`;

describeInterop('receiving invites built by the Python (Synapse) stack', () => {
  it('Python-signed invites for rooms 1, 3, 5, 6, 9, 10, 11, 12 are accepted; our countersignatures verify with signedjson', () => {
    const versions = ['1', '3', '5', '6', '9', '10', '11', '12'];
    const built = runPython<{ rv: string; room_id: string; event_id: string; body: string }[]>(
      INVITER_SCRIPT,
      {
        seed_hex: vectors.keys.spec?.seed_hex,
        versions,
      },
    );
    expect(built.map((b) => b.rv)).toEqual(versions);
    const items = built.map((b) => {
      const result = receiveInvite(
        { apiVersion: 'v2', roomId: b.room_id, eventId: b.event_id, origin: INVITER, body: b.body },
        { ...context, keys, policy: { inviteRoomState: 'enforce' } },
      );
      if (E.isLeft(result)) throw new Error(`room ${b.rv}: ${result.left.reason}: ${result.left.message}`);
      expect(result.right.eventId).toBe(b.event_id);
      expect(result.right.inviteRoomState.every((entry) => entry.status === 'verified')).toBe(true);
      if (b.rv === '12') expect(b.room_id).toMatch(/^![A-Za-z0-9_-]{43}$/);
      return { rv: b.rv, response: new TextDecoder().decode(result.right.responseBytes) };
    });
    const verdicts = runPython<(true | string)[][]>(VERIFIER_SCRIPT, {
      invitee_key: inviteeKey.publicKey,
      inviter_key: vectors.keys.spec?.public_key,
      items,
    });
    expect(verdicts).toEqual(items.map(() => [true, true]));
    // The response keeps the Python-rendered fields exactly (non-ASCII and astral characters included).
    const first = right(parseJson(items[0]?.response ?? '')) as JsonObject;
    expect(((first.event as JsonObject).content as JsonObject).reason).toBe('😀 hi');
    expect(Object.keys((first.event as JsonObject).signatures as JsonObject).sort()).toEqual([
      INVITEE,
      INVITER,
    ]);
  });

  it('a Python-signed v12 invite whose room ID does not match its create event is refused under enforce', () => {
    const [built] = runPython<{ rv: string; room_id: string; event_id: string; body: string }[]>(
      INVITER_SCRIPT,
      {
        seed_hex: vectors.keys.spec?.seed_hex,
        versions: ['12'],
      },
    );
    if (built === undefined) throw new Error('no output');
    const body = right(parseJson(built.body)) as JsonObject;
    const state = body.invite_room_state as JsonObject[];
    // Another create event (another room): the invite's room ID is not derived from it.
    const other = { ...(state[0] as JsonObject), origin_server_ts: 1 };
    const result = receiveInvite(
      {
        apiVersion: 'v2',
        roomId: built.room_id,
        eventId: built.event_id,
        origin: INVITER,
        body: { ...body, invite_room_state: [other] },
      },
      context,
    );
    expect(E.isLeft(result) && result.left.reason).toBe('invite_room_state_wrong_room');
  });
});

function right<T>(either: E.Either<unknown, T>): T {
  if (E.isLeft(either)) throw new Error(`expected Right: ${JSON.stringify(either.left)}`);
  return either.right;
}
