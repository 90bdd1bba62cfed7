/** `matrix-invite verify`: check the signatures of a signed JSON object or an event. */
import * as E from 'fp-ts/lib/Either.js';
import { verifyJsonSignatures } from '../crypto/json-signing.js';
import { type ServerVerification, type VerificationReport, verifyEventSignatures } from '../events/verify.js';
import { getOwn, isJsonObject } from '../json/value.js';
import {
  atPath,
  defineCommand,
  EXIT_OK,
  EXIT_REJECTED,
  eventModeOption,
  printJson,
  readJsonObjectInput,
  rejected,
  stringListOption,
  stringOption,
  usageFailure,
} from './io.js';
import { loadVerifyKeyFiles } from './keys.js';

/** A server's verification as printed by the tool. */
export function serverToJson(server: ServerVerification): Record<string, unknown> {
  return {
    server_name: server.serverName,
    required_because: server.requiredBecause,
    verified: server.verified,
    signatures: server.signatures.map((check) => ({
      key_id: check.keyId,
      status: check.status,
      reason: check.status === 'verified' ? undefined : check.reason,
      message: check.status === 'verified' ? undefined : check.message,
    })),
  };
}

/** The parts of a verification report worth printing. */
export function reportToJson(report: VerificationReport): Record<string, unknown> {
  return {
    room_version: report.roomVersion,
    event_id: report.eventId,
    sender_server: report.senderServer,
    third_party_invite_exemption: report.thirdPartyInviteExemption || undefined,
    key_validity_enforced: report.keyValidityEnforced,
    servers: report.servers.map(serverToJson),
    content_hash:
      report.contentHash === undefined
        ? undefined
        : {
            matches: report.contentHash.matches,
            expected: report.contentHash.expected,
            received: report.contentHash.actual,
          },
  };
}

export const verifyCommand = defineCommand({
  name: 'verify',
  summary: 'verify the signatures of a JSON object or an event (--event)',
  help: `Usage: matrix-invite verify --keys KEYSFILE [--server-name NAME] [FILE]
       matrix-invite verify --event --room-version VERSION --keys KEYSFILE [FILE]

Checks signatures on the JSON object in FILE (or stdin).

JSON mode: every signature of NAME (default: of every server in signatures) whose key is known must
verify, and at least one must (the Synapse rule). Prints {"valid", "servers": [...]}.

Event mode (--event): the signatures every required server must have made (the sender's server; in
room versions 1-2 also the event_id's server) over the redacted event, then the content hash. Keys
that expired before origin_server_ts are ignored in room versions 5+. Prints {"valid", "event_id",
"servers", "content_hash", ...}. Use "matrix-invite explain" to see why an event fails.

KEYSFILE is JSON: {"server.name": {"ed25519:key": "<base64 public key>"}}, or a server key response
(GET /_matrix/key/v2/server), a key query response ({"server_keys": [...]}) or an array of responses.

Options:
  --keys KEYSFILE          the verify keys (repeat to read several files; all their keys are used)
  --server-name NAME       JSON mode: the server whose signatures to check
  --event                  verify as an event (needs --room-version)
  --room-version VERSION   the room version of the event
  -h, --help               show this help

Exit codes: 0 valid, 1 a signature fails, is missing or cannot be checked, or the content hash does not
match, 2 usage.
`,
  options: {
    keys: { type: 'string', multiple: true },
    'server-name': { type: 'string' },
    event: { type: 'boolean' },
    'room-version': { type: 'string' },
  },
  run: async (args, io) => {
    const keysFiles = stringListOption(args, 'keys');
    if (keysFiles.length === 0) return E.left(usageFailure('--keys is required'));
    const eventMode = eventModeOption(args);
    if (E.isLeft(eventMode)) return eventMode;
    const roomVersion = eventMode.right;
    const keys = await loadVerifyKeyFiles(io, keysFiles);
    if (E.isLeft(keys)) return keys;
    const input = await readJsonObjectInput(io, args.positionals[0]);
    if (E.isLeft(input)) return input;

    if (roomVersion !== undefined) {
      const verified = verifyEventSignatures({ event: input.right, roomVersion, keys: keys.right.lookup });
      if (E.isLeft(verified)) {
        const report = verified.left.report;
        if (report === undefined) {
          return E.left(rejected(`${verified.left.message}${atPath(verified.left.path)}`));
        }
        printJson(io, {
          valid: false,
          error: verified.left.reason,
          message: verified.left.message,
          ...reportToJson(report),
        });
        io.stderr(`matrix-invite verify: ${verified.left.message}\n`);
        return E.right(EXIT_REJECTED);
      }
      const matches = verified.right.contentHash?.matches === true;
      printJson(io, { valid: matches, ...reportToJson(verified.right) });
      if (!matches)
        io.stderr('matrix-invite verify: signatures verify but the content hash does not match\n');
      return E.right(matches ? EXIT_OK : EXIT_REJECTED);
    }

    const signatures = getOwn(input.right, 'signatures');
    const serverName = stringOption(args, 'server-name');
    const servers =
      serverName !== undefined ? [serverName] : isJsonObject(signatures) ? Object.keys(signatures) : [];
    if (servers.length === 0) return E.left(rejected('the object has no signatures'));
    const results = servers.map((server) => {
      const result = verifyJsonSignatures({
        value: input.right,
        serverName: server,
        keys: keys.right.lookup,
      });
      return E.isRight(result)
        ? { server_name: server, verified: true, verified_key_ids: result.right }
        : { server_name: server, verified: false, error: result.left.reason, message: result.left.message };
    });
    const valid = results.every((r) => r.verified);
    printJson(io, { valid, servers: results });
    for (const r of results) {
      if (!r.verified) io.stderr(`matrix-invite verify: ${r.server_name}: ${r.message}\n`);
    }
    return E.right(valid ? EXIT_OK : EXIT_REJECTED);
  },
});
