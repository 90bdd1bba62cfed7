/** The inviting side: build + sign an invite, verify a returned (countersigned) event, sign and verify X-Matrix. */
import * as E from 'fp-ts/lib/Either.js';
import type { Bench } from 'tinybench';
import { signingKeyFromSeed } from '../src/crypto/keys.js';
import type { KeyLookup } from '../src/crypto/types.js';
import { prepareEvent } from '../src/events/prepared.js';
import { countersignPrepared } from '../src/events/signing.js';
import { type BuildInviteEventParams, buildInviteEvent } from '../src/invite/send/build-event.js';
import { buildInviteRequest } from '../src/invite/send/request.js';
import { verifyInviteResponse } from '../src/invite/send/response.js';
import { encodeCanonicalJson } from '../src/json/canonical.js';
import { signRequest } from '../src/x-matrix/sign.js';
import { verifyRequest } from '../src/x-matrix/verify.js';
import { PY_REDACT_V1, type PythonResult, pythonBench } from './python.js';

function unwrap<A>(either: E.Either<{ message: string }, A>): A {
  if (E.isLeft(either)) throw new Error(either.left.message);
  return either.right;
}

const inviterKey = unwrap(
  signingKeyFromSeed({ seed: 'YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1', version: '1' }),
);
const inviteeKey = unwrap(
  signingKeyFromSeed({ seed: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8', version: '2' }),
);
const keys: KeyLookup = (server, keyId) => {
  if (server === 'inviter.example' && keyId === inviterKey.keyId) return { key: inviterKey.publicKey };
  if (server === 'invitee.example' && keyId === inviteeKey.keyId) return { key: inviteeKey.publicKey };
  return undefined;
};

const PARAMS: Omit<BuildInviteEventParams, 'signingKey'> = {
  roomVersion: '10',
  roomId: '!room:inviter.example',
  sender: '@alice:inviter.example',
  invitee: '@bob:invitee.example',
  originServerTs: 1700000000000,
  depth: 10,
  authEvents: ['$auth1', '$auth2', '$auth3', '$auth4'],
  prevEvents: ['$prev1'],
  content: { displayname: 'Bob', avatar_url: 'mxc://invitee.example/abc', is_direct: true },
};

/** Adds the sending-side tasks (room 10 invite, v2 request) to `bench`. */
export function sendBench(bench: Bench): void {
  const built = unwrap(
    buildInviteEvent({ ...PARAMS, serverName: 'inviter.example', signingKey: inviterKey }),
  );
  const request = unwrap(buildInviteRequest({ apiVersion: 'v2', roomVersion: '10', event: built.event }));
  const returned = unwrap(
    countersignPrepared(unwrap(prepareEvent(built.event, '10')), 'invitee.example', inviteeKey),
  );
  const responseText = unwrap(encodeCanonicalJson({ event: returned.event }));
  const signed = {
    method: 'PUT',
    uri: request.path,
    origin: 'inviter.example',
    destination: 'invitee.example',
    content: request.body,
  };
  const authorization = unwrap(signRequest(signed, inviterKey));
  bench
    .add('send pipeline | buildInviteEvent (room 10: content hash, sign, event ID)', () => {
      unwrap(buildInviteEvent({ ...PARAMS, serverName: 'inviter.example', signingKey: inviterKey }));
    })
    .add('send pipeline | verifyInviteResponse (room 10, v2 text body)', () => {
      unwrap(
        verifyInviteResponse(
          { status: 200, body: responseText },
          {
            apiVersion: 'v2',
            sentEvent: built.event,
            roomVersion: '10',
            inviteeServer: 'invitee.example',
            keys,
          },
        ),
      );
    })
    .add('send pipeline | whole: build, v2 request, X-Matrix header, verify the response', () => {
      const event = unwrap(
        buildInviteEvent({ ...PARAMS, serverName: 'inviter.example', signingKey: inviterKey }),
      ).event;
      const req = unwrap(buildInviteRequest({ apiVersion: 'v2', roomVersion: '10', event }));
      unwrap(
        signRequest(
          {
            method: 'PUT',
            uri: req.path,
            origin: 'inviter.example',
            destination: 'invitee.example',
            content: req.body,
          },
          inviterKey,
        ),
      );
      unwrap(
        verifyInviteResponse(
          { status: 200, body: responseText },
          { apiVersion: 'v2', sentEvent: event, roomVersion: '10', inviteeServer: 'invitee.example', keys },
        ),
      );
    })
    .add('x-matrix | signRequest (v2 invite body)', () => {
      unwrap(signRequest(signed, inviterKey));
    })
    .add('x-matrix | verifyRequest (v2 invite body)', () => {
      unwrap(
        verifyRequest(
          { method: 'PUT', uri: request.path, content: request.body, authorization },
          { serverName: 'invitee.example', keys },
        ),
      );
    });
}

/**
 * The same sending work in Python: content hash, redaction, signature and event ID of the invite, the v2 body, the
 * X-Matrix signature (signedjson over the request object), then parsing the response, checking every returned
 * field against the sent event and verifying the invitee's signature.
 */
export function sendPython(): PythonResult[] {
  const built = unwrap(
    buildInviteEvent({ ...PARAMS, serverName: 'inviter.example', signingKey: inviterKey }),
  );
  const { hashes: _h, signatures: _s, ...template } = built.event as Record<string, unknown>;
  const returned = unwrap(
    countersignPrepared(unwrap(prepareEvent(built.event, '10')), 'invitee.example', inviteeKey),
  );
  const setup = `${PY_REDACT_V1}
inviter = nacl.signing.SigningKey(bytes.fromhex(data["inviter_seed"])); inviter.version = "1"; inviter.alg = "ed25519"
invitee_vk = signedjson.key.decode_verify_key_base64("ed25519", "2", data["invitee_key"])
template = data["template"]
response = json.dumps({"event": data["returned"]})
def send():
    event = dict(template)
    hashed = {k: v for k, v in event.items() if k not in ("unsigned", "signatures", "hashes")}
    event["hashes"] = {"sha256": unpaddedbase64.encode_base64(hashlib.sha256(canonicaljson.encode_canonical_json(hashed)).digest())}
    signed = signedjson.sign.sign_json(redact(event), "inviter.example", inviter)
    event["signatures"] = signed["signatures"]
    unsigned_free = {k: v for k, v in redact(event).items() if k not in ("signatures", "unsigned")}
    event_id = "$" + unpaddedbase64.encode_base64(hashlib.sha256(canonicaljson.encode_canonical_json(unsigned_free)).digest(), urlsafe=True)
    body = {"room_version": "10", "event": event, "invite_room_state": []}
    path = "/_matrix/federation/v2/invite/" + urllib.parse.quote(event["room_id"], safe="") + "/" + urllib.parse.quote(event_id, safe="")
    signedjson.sign.sign_json({"method": "PUT", "uri": path, "origin": "inviter.example", "destination": "invitee.example", "content": body}, "inviter.example", inviter)
    got = json.loads(response)["event"]
    for k, v in event.items():
        if k not in ("signatures", "unsigned") and got.get(k) != v: raise ValueError(k)
    signedjson.sign.verify_signed_json(redact(got), "invitee.example", invitee_vk)
import urllib.parse
send()
`;
  const data = {
    inviter_seed: '6090c103d5e7af6b15a970fd563ed75549e6159719ae5c3c31dee4316fb75c0d', // the spec seed, as inviterKey
    invitee_key: inviteeKey.publicKey,
    template,
    returned: returned.event,
  };
  const result = pythonBench(
    'send pipeline | python: hashlib + canonicaljson + signedjson (libsodium), same steps',
    setup,
    'send()',
    data,
  );
  return result === undefined ? [] : [result];
}
