/** The inviting side: build + sign an invite, verify a returned (countersigned) event, sign and verify X-Matrix. */
import * as E from 'fp-ts/lib/Either.js';
import type { Bench } from 'tinybench';
import { signingKeyFromSeed } from '../src/crypto/keys.js';
import type { KeyLookup } from '../src/crypto/types.js';
import { countersign, prepareEvent } from '../src/events/index.js';
import {
  type BuildInviteEventParams,
  buildInviteEvent,
  buildInviteRequest,
  verifyInviteResponse,
} from '../src/invite/send/index.js';
import { encodeCanonicalJson } from '../src/json/canonical.js';
import { signRequest, verifyRequest } from '../src/x-matrix/index.js';

function unwrap<A>(either: E.Either<{ message: string }, A>): A {
  if (E.isLeft(either)) throw new Error(either.left.message);
  return either.right;
}

const inviterKey = unwrap(signingKeyFromSeed('YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1', '1'));
const inviteeKey = unwrap(signingKeyFromSeed('AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8', '2'));
const keys: KeyLookup = (server, keyId) => {
  if (server === 'inviter.example' && keyId === inviterKey.keyId) return { key: inviterKey.publicKey };
  if (server === 'invitee.example' && keyId === inviteeKey.keyId) return { key: inviteeKey.publicKey };
  return undefined;
};

const PARAMS: BuildInviteEventParams = {
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
  const built = unwrap(buildInviteEvent(PARAMS, 'inviter.example', inviterKey));
  const request = unwrap(buildInviteRequest({ apiVersion: 'v2', roomVersion: '10', event: built.event }));
  const returned = unwrap(
    countersign(unwrap(prepareEvent(built.event, '10')), 'invitee.example', inviteeKey),
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
    .add('send: buildInviteEvent (room 10, hash + sign + event ID)', () => {
      unwrap(buildInviteEvent(PARAMS, 'inviter.example', inviterKey));
    })
    .add('send: verifyInviteResponse (room 10 v2, text body)', () => {
      unwrap(
        verifyInviteResponse({
          apiVersion: 'v2',
          status: 200,
          body: responseText,
          sentEvent: built.event,
          roomVersion: '10',
          inviteeServer: 'invitee.example',
          keys,
        }),
      );
    })
    .add('x-matrix: signRequest (v2 invite body)', () => {
      unwrap(signRequest(signed, inviterKey));
    })
    .add('x-matrix: verifyRequest (v2 invite body)', () => {
      unwrap(
        verifyRequest(
          { method: 'PUT', uri: request.path, content: request.body, authorization },
          'invitee.example',
          keys,
        ),
      );
    });
}
