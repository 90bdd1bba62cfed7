/**
 * A Cloudflare Worker that answers Matrix federation invites:
 * `PUT /_matrix/federation/v2/invite/{roomId}/{eventId}` (spec: https://spec.matrix.org/v1.19/server-server-api/#put_matrixfederationv2inviteroomideventid).
 *
 * It authenticates the request (X-Matrix), checks and countersigns the invite with matrix-federation-invite and
 * answers with the library's exact response bytes. It uses the async helpers: they take an async key lookup (your
 * key store may fetch) and check signatures with Web Crypto's native Ed25519 where the synchronous default would
 * be the pure JavaScript `noble` (a Worker without `nodejs_compat`). Storing the invite (a Durable Object, D1, a
 * queue to your homeserver) is yours to add where the comment says so.
 *
 * Configuration (wrangler.toml):
 * - `SERVER_NAME` (var): this homeserver's name, e.g. `invitee.example`.
 * - `SIGNING_KEY` (secret: `wrangler secret put SIGNING_KEY`): the Synapse-format key file line,
 *   `ed25519 <version> <unpadded base64 seed>`.
 * - `TRUSTED_KEYS` (var): other servers' verify keys, `{"server.name": {"ed25519:key": "<base64>"}}`. Replace
 *   `keysFor` with your key store: an async `(serverName, keyId) => ({ key }) | undefined` over keys fetched from
 *   `/_matrix/key/v2/server` and cached (e.g. in KV).
 */
import * as E from 'fp-ts/lib/Either.js';
import {
  parseJson,
  parseSigningKeyFile,
  receiveInviteAsync,
  verifyRequestAsync,
} from 'matrix-federation-invite';

const INVITE_PATH = /^\/_matrix\/federation\/v2\/invite\/([^/]+)\/([^/]+)$/;

const json = (status, body) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** The signing key, parsed once per isolate (the secret does not change while the isolate lives). */
let signingKey;
function ourKey(env) {
  if (signingKey === undefined) {
    const keys = parseSigningKeyFile(env.SIGNING_KEY);
    if (E.isLeft(keys)) throw new Error(`SIGNING_KEY: ${keys.left.message}`);
    signingKey = keys.right[0];
  }
  return signingKey;
}

/** An async key lookup over the configured keys: `(serverName, keyId) => Promise<{ key } | undefined>`. */
function keysFor(env) {
  const trusted = JSON.parse(env.TRUSTED_KEYS ?? '{}');
  return async (serverName, keyId) => {
    const key = trusted[serverName]?.[keyId];
    return typeof key === 'string' ? { key } : undefined;
  };
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const match = INVITE_PATH.exec(url.pathname);
    if (request.method !== 'PUT' || match === null) {
      return json(404, { errcode: 'M_UNRECOGNIZED', error: 'Unrecognized request' });
    }
    const keys = keysFor(env);
    const body = new Uint8Array(await request.arrayBuffer());
    const parsed = parseJson(body);

    // 1. Who is asking: the X-Matrix signature over method, path, destination and body.
    const auth = await verifyRequestAsync(
      {
        method: 'PUT',
        uri: url.pathname + url.search,
        content: E.isRight(parsed) ? parsed.right : null,
        authorization: request.headers.get('authorization'), // null (no header): 401
      },
      { serverName: env.SERVER_NAME, keys },
    );
    // A refusal carries its answer: 401 M_UNAUTHORIZED, 400 M_BAD_JSON, ...
    if (E.isLeft(auth)) return json(auth.left.status, auth.left.body);

    // 2. The invite: checked, countersigned, answered byte for byte as the library encodes it.
    const result = await receiveInviteAsync(
      {
        apiVersion: 'v2',
        roomId: decodeURIComponent(match[1]),
        eventId: decodeURIComponent(match[2]),
        origin: auth.right.origin,
        body,
      },
      { serverName: env.SERVER_NAME, signingKey: ourKey(env), keys },
    );
    if (E.isLeft(result)) return json(result.left.status, result.left.body);
    // Store result.right.event here: an invite of result.right.event.state_key into result.right.event.room_id.
    return new Response(result.right.responseBytes, { headers: { 'content-type': 'application/json' } });
  },
};
