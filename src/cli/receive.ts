/** `matrix-invite receive`: answer an invite request as the invited server would. */
import * as E from 'fp-ts/lib/Either.js';
import { formatJsonPath } from '../errors/base.js';
import { type InvitePolicy, receiveInvite, SYNAPSE_COMPATIBLE_POLICY } from '../invite/receive/receive.js';
import {
  defineCommand,
  EXIT_OK,
  EXIT_REJECTED,
  printJson,
  readInput,
  requiredOption,
  stringListOption,
  stringOption,
  usageFailure,
} from './io.js';
import { loadSigningKey, loadVerifyKeyFiles } from './keys.js';

export const receiveCommand = defineCommand({
  name: 'receive',
  summary: 'answer an invite request (v1 or v2 body) as the invited server',
  help: `Usage: matrix-invite receive --api v1|v2 --origin ORIGIN --room-id ROOM_ID --event-id EVENT_ID
                             --server-name NAME --key KEYFILE --keys KEYSFILE [--synapse] [FILE]

Runs the invited server's side of PUT /_matrix/federation/{v1,v2}/invite/{roomId}/{eventId} on the
request body in FILE (or stdin), byte for byte as received: body shape, room version, strict canonical
JSON (rooms 6+), PDU shape, path IDs, type/membership, sender on ORIGIN, invitee on NAME, the
signatures and content hash, invite_room_state; then countersigns with KEYFILE.

Accepted: prints the response body (v1 [200, {"event": ...}], v2 {"event": ...}), exit 0; warnings go to
stderr. Rejected: prints {"status", "body" (the Matrix error to send), "reason", "message", "path"},
exit 1.

Options:
  --api v1|v2              which endpoint received the body
  --origin ORIGIN          the X-Matrix-authenticated origin server
  --room-id ROOM_ID        {roomId} from the request path (decoded)
  --event-id EVENT_ID      {eventId} from the request path (decoded)
  --server-name NAME       our server name (the invitee's server)
  --key KEYFILE            our Synapse signing key file (--key-id picks a key)
  --key-id ID              which key of KEYFILE (default: the first)
  --keys KEYSFILE          other servers' verify keys, as for "matrix-invite verify" (repeatable)
  --synapse                Synapse-compatible answers (error codes, redact on hash mismatch, ...)
                           instead of the spec's
  --now MS                 the current time in ms (caps key validity at now + 7 days)
  -h, --help               show this help

Exit codes: 0 accepted, 1 rejected, 2 usage.
`,
  options: {
    api: { type: 'string' },
    origin: { type: 'string' },
    'room-id': { type: 'string' },
    'event-id': { type: 'string' },
    'server-name': { type: 'string' },
    key: { type: 'string' },
    'key-id': { type: 'string' },
    keys: { type: 'string', multiple: true },
    synapse: { type: 'boolean' },
    now: { type: 'string' },
  },
  run: async (args, io) => {
    const required = ['api', 'origin', 'room-id', 'event-id', 'server-name', 'key'].map((name) =>
      requiredOption(args, name),
    );
    for (const option of required) if (E.isLeft(option)) return option;
    const [api, origin, roomId, eventId, serverName, keyFile] = required.map((o) =>
      E.isRight(o) ? o.right : '',
    ) as [string, string, string, string, string, string];
    const keysFiles = stringListOption(args, 'keys');
    if (keysFiles.length === 0) return E.left(usageFailure('--keys is required'));
    if (api !== 'v1' && api !== 'v2') return E.left(usageFailure('--api must be v1 or v2'));
    const nowText = stringOption(args, 'now');
    const now = nowText === undefined ? undefined : Number(nowText);
    if (now !== undefined && !Number.isSafeInteger(now))
      return E.left(usageFailure('--now must be an integer'));
    const signingKey = await loadSigningKey(io, keyFile, stringOption(args, 'key-id'));
    if (E.isLeft(signingKey)) return signingKey;
    const keys = await loadVerifyKeyFiles(io, keysFiles);
    if (E.isLeft(keys)) return keys;
    const body = await readInput(io, args.positionals[0]);
    if (E.isLeft(body)) return body;

    const policy: InvitePolicy = args.values.synapse === true ? SYNAPSE_COMPATIBLE_POLICY : {};
    const result = receiveInvite(
      { apiVersion: api, roomId, eventId, origin, body: body.right },
      {
        serverName,
        signingKey: signingKey.right,
        keys: keys.right.lookup,
        policy,
        ...(now === undefined ? {} : { now }),
      },
    );
    if (E.isLeft(result)) {
      const { status, body: errorBody, reason, message, path } = result.left;
      printJson(io, { status, body: errorBody, reason, message, path: formatJsonPath(path) });
      io.stderr(
        `matrix-invite receive: rejected with ${status} ${errorBody.errcode} (${reason}): ${message}\n`,
      );
      return E.right(EXIT_REJECTED);
    }
    for (const warning of result.right.warnings) {
      io.stderr(`matrix-invite receive: warning: ${warning.reason}: ${warning.message}\n`);
    }
    printJson(io, result.right.responseBody);
    return E.right(EXIT_OK);
  },
});
