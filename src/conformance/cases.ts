/**
 * The conformance cases, as data: for each kind, what is sent, what a server that gets it wrong risks, what the
 * spec expects and what Synapse answers (with the code that does it), and the answers that pass. Both a
 * spec-following server and Synapse pass every case; where they differ, both answers are listed.
 *
 * Rooms 1, 2, 10, 11 and 12; the v1 endpoint for rooms 1-2 (it carries no room version), v2 for all. Cases about
 * the request rather than the room (X-Matrix, sizes, the room version field) run once per endpoint: v1 in room 1,
 * v2 in room 10.
 */
import type { InviteApiVersion } from '../invite/api-version.js';
import type { AcceptableAnswer, ConformanceCase, ConformanceCaseKind } from './types.js';

/** The room versions the kit builds invites for. */
export const CONFORMANCE_ROOM_VERSIONS: readonly string[] = Object.freeze(['1', '2', '10', '11', '12']);

const SPEC = 'https://spec.matrix.org/v1.19';
const INVITE_V2 = `${SPEC}/server-server-api/#put_matrixfederationv2inviteroomideventid`;
const INVITE_V1 = `${SPEC}/server-server-api/#put_matrixfederationv1inviteroomideventid`;
const INVITING = `${SPEC}/server-server-api/#inviting-to-a-room`;
const VALIDATING = `${SPEC}/server-server-api/#validating-hashes-and-signatures-on-received-events`;
const SIGNING_EVENTS = `${SPEC}/server-server-api/#signing-events`;
const REQUEST_AUTH = `${SPEC}/server-server-api/#request-authentication`;
const CANONICAL_JSON_V10 = `${SPEC}/rooms/v10/#canonical-json`;
const SIZE_LIMITS = `${SPEC}/client-server-api/#size-limits`;
const SERVER_NAME = `${SPEC}/appendices/#server-name`;

const SYNAPSE = 'element-hq/synapse';
const FEDERATION_SERVER = `${SYNAPSE} synapse/federation/federation_server.py FederationServer.on_invite_request`;
const FEDERATION_HANDLER = `${SYNAPSE} synapse/handlers/federation.py FederationHandler.on_invite_request`;
const FEDERATION_BASE = `${SYNAPSE} synapse/federation/federation_base.py`;
const INVITE_SERVLETS = `${SYNAPSE} synapse/federation/transport/server/federation.py FederationV1InviteServlet / FederationV2InviteServlet`;
const AUTHENTICATOR = `${SYNAPSE} synapse/federation/transport/server/_base.py Authenticator.authenticate_request`;

/** The validation list of the invite endpoints ("servers SHOULD return `M_INVALID_PARAM` if: ..."). */
const SPEC_INVALID_PARAM = (why: string): AcceptableAnswer => ({
  answer: 'error',
  status: 400,
  errcode: 'M_INVALID_PARAM',
  source: 'spec',
  note: `${why} (${INVITE_V2}: "A specific error code is not mandated, but servers SHOULD return M_INVALID_PARAM")`,
});

const COUNTERSIGNED_SPEC: AcceptableAnswer = {
  answer: 'countersigned',
  source: 'spec',
  note: `200 with "the event with the invited server's signature added", all other fields untouched; v1 answers [200, {"event": ...}], v2 {"event": ...} (${INVITE_V2}, ${INVITE_V1}); the signature covers the redacted event (${SIGNING_EVENTS})`,
};

const SYNAPSE_SIGNATURE_FORBIDDEN: AcceptableAnswer = {
  answer: 'error',
  status: 403,
  errcode: 'M_FORBIDDEN',
  source: 'synapse',
  note: `signature checks run before anything else; InvalidEventSignatureError becomes 403 M_FORBIDDEN (${FEDERATION_SERVER}, ${FEDERATION_BASE} _check_sigs_on_pdu)`,
};

const SYNAPSE_UNKNOWN = (message: string): AcceptableAnswer => ({
  answer: 'error',
  status: 400,
  errcode: 'M_UNKNOWN',
  source: 'synapse',
  note: `400 M_UNKNOWN "${message}" (${FEDERATION_HANDLER})`,
});

const SYNAPSE_IGNORES = (what: string): AcceptableAnswer => ({
  answer: 'countersigned',
  source: 'synapse',
  note: what,
});

const UNAUTHORIZED = (
  status: number,
  errcode: string | undefined,
  source: 'spec' | 'synapse',
  note: string,
) =>
  ({
    answer: 'error',
    status,
    ...(errcode === undefined ? {} : { errcode }),
    source,
    note,
  }) as AcceptableAnswer;

/** What every case of a kind shares: the data of one row of the case table. */
export interface ConformanceCaseKindInfo {
  readonly kind: ConformanceCaseKind;
  readonly title: string;
  readonly risk: string;
  readonly spec: string;
  readonly synapse: string;
  readonly accept: readonly AcceptableAnswer[];
  readonly anyRefusal: boolean;
  readonly connectionCloseIsRefusal?: boolean;
  /** Where the kind runs: `all` (every room and endpoint), `once` (v1 room 1, v2 room 10) or a list. */
  readonly where: 'all' | 'once' | readonly (readonly [InviteApiVersion, string])[];
}

/** The case table: one row per kind, in run order. */
export const CONFORMANCE_CASE_TABLE: readonly ConformanceCaseKindInfo[] = Object.freeze([
  {
    kind: 'genuine',
    title:
      "a genuine invite: displayname in the content, invite_room_state with the room's create, join rules, name and the inviter's membership as full PDUs",
    risk: 'Invites from correct servers fail, or come back with a countersignature that the inviting server and every other server reject.',
    spec: `Accept and countersign (${INVITING}): sign the redacted event (${SIGNING_EVENTS}) and return the event otherwise untouched (${INVITE_V2}). v1 answers [200, {"event": ...}] (${INVITE_V1}).`,
    synapse: `Accepts and countersigns the redacted form (compute_event_signature over get_pdu_json, ${FEDERATION_HANDLER}); v1 answers (200, {"event": ...}) (${INVITE_SERVLETS}).`,
    accept: [COUNTERSIGNED_SPEC],
    anyRefusal: false,
    where: 'all',
  },
  {
    kind: 'sender-not-origin',
    title:
      "an invite whose sender is on the kit's second server, signed by both servers, sent (X-Matrix origin) by the first",
    risk: 'Any server can make this server countersign invites in the name of users of another server.',
    spec: `Refuse: "The event sender is not a user ID on the origin server" is on the validation list (${INVITE_V2}).`,
    synapse: `400 M_UNKNOWN "The invite event was not from the server sending it" (${FEDERATION_HANDLER}); 403 M_FORBIDDEN when it cannot check the sender's server's signature first (${FEDERATION_SERVER}).`,
    accept: [
      SPEC_INVALID_PARAM('the sender is not on the origin server'),
      SYNAPSE_UNKNOWN('The invite event was not from the server sending it'),
      SYNAPSE_SIGNATURE_FORBIDDEN,
    ],
    anyRefusal: true,
    where: 'all',
  },
  {
    kind: 'inviter-signature-missing',
    title: "an invite signed by the kit's second server only: no signature of the sender's server",
    risk: "Anyone can forge invites from any user (the class of Synapse's CVE-2019-18835).",
    spec: `Refuse: the event must carry a valid signature of the sender's server (${VALIDATING}); failing "a signature check" is on the validation list (${INVITE_V2}).`,
    synapse: `403 M_FORBIDDEN: "unable to verify signature for sender domain" (${FEDERATION_BASE} _check_sigs_on_pdu, ${FEDERATION_SERVER}).`,
    accept: [SPEC_INVALID_PARAM("no signature of the sender's server"), SYNAPSE_SIGNATURE_FORBIDDEN],
    anyRefusal: true,
    where: 'all',
  },
  {
    kind: 'inviter-signature-invalid',
    title: "an invite whose signature under the inviter's key ID was made with another key",
    risk: "Anyone can forge invites from any user (the class of Synapse's CVE-2019-18835).",
    spec: `Refuse: the signature of the sender's server does not verify (${VALIDATING}, ${INVITE_V2}).`,
    synapse: `403 M_FORBIDDEN (${FEDERATION_BASE} _check_sigs_on_pdu, ${FEDERATION_SERVER}).`,
    accept: [
      SPEC_INVALID_PARAM("the sender's server's signature does not verify"),
      SYNAPSE_SIGNATURE_FORBIDDEN,
    ],
    anyRefusal: true,
    where: 'all',
  },
  {
    kind: 'content-changed-after-signing',
    title:
      'a signed invite whose content (displayname) was changed afterwards: the content hash no longer matches',
    risk: 'Content nobody signed (a forged displayname or reason) is countersigned and shown to the invitee as genuine.',
    spec: `Refuse, or use the redacted copy: "If the hash check fails ... the receiving server should use the redacted copy it calculated rather than the full copy it received" (${VALIDATING}); a failed check is on the validation list (${INVITE_V2}).`,
    synapse: `Countersigns and returns the redacted copy (_check_sigs_and_hash returns prune_event(pdu), ${FEDERATION_BASE}).`,
    accept: [
      SPEC_INVALID_PARAM('the content hash does not match'),
      {
        answer: 'countersigned-redacted',
        source: 'synapse',
        note: `the redacted copy, countersigned (${FEDERATION_BASE} _check_sigs_and_hash; ${VALIDATING})`,
      },
    ],
    anyRefusal: true,
    where: 'all',
  },
  {
    kind: 'membership-not-invite',
    title: 'an m.room.member event with membership "join", properly signed',
    risk: 'The server countersigns a join it never agreed to (a forged join of its user).',
    spec: `Refuse: "The membership field inside the event content is not invite" (${INVITE_V2}).`,
    synapse: `400 M_UNKNOWN "The event was not an m.room.member invite event" (${FEDERATION_HANDLER}).`,
    accept: [
      SPEC_INVALID_PARAM('membership is not invite'),
      SYNAPSE_UNKNOWN('The event was not an m.room.member invite event'),
    ],
    anyRefusal: true,
    where: 'all',
  },
  {
    kind: 'not-member-event',
    title:
      'an m.room.power_levels event (content with membership "invite") sent as an invite, properly signed',
    risk: 'The server signs arbitrary events: "servers MUST apply certain validation to ensure they don\'t accidentally sign non-invite events".',
    spec: `Refuse: "The event type is not m.room.member" (${INVITE_V2}).`,
    synapse: `400 M_UNKNOWN "The event was not an m.room.member invite event" (${FEDERATION_HANDLER}).`,
    accept: [
      SPEC_INVALID_PARAM('the type is not m.room.member'),
      SYNAPSE_UNKNOWN('The event was not an m.room.member invite event'),
    ],
    anyRefusal: true,
    where: 'all',
  },
  {
    kind: 'state-key-not-local',
    title: "an invite for a user of the kit's second server (state_key not on the target)",
    risk: 'The server countersigns invites for users of other servers.',
    spec: `Refuse: "The state_key is not a user ID on the receiving server" (${INVITE_V2}).`,
    synapse: `400 M_UNKNOWN "The invite event must be for this server" (is_mine_id, ${FEDERATION_HANDLER}).`,
    accept: [
      SPEC_INVALID_PARAM('the state_key is not on this server'),
      SYNAPSE_UNKNOWN('The invite event must be for this server'),
    ],
    anyRefusal: true,
    where: 'all',
  },
  {
    kind: 'state-key-other-port',
    title: "an invite for a user on the target's host with another port: a different server",
    risk: `Server names are compared whole, port included (${SERVER_NAME}); code like stateKey.split(':')[1] drops the port and takes another server's users for its own.`,
    spec: `Refuse: the state_key's server name (host and port) is not the receiving server's (${INVITE_V2}, ${SERVER_NAME}).`,
    synapse: `400 M_UNKNOWN "The invite event must be for this server" (get_domain_from_id keeps the port, ${FEDERATION_HANDLER}).`,
    accept: [
      SPEC_INVALID_PARAM('the state_key is on another server (another port)'),
      SYNAPSE_UNKNOWN('The invite event must be for this server'),
    ],
    anyRefusal: true,
    where: 'all',
  },
  {
    kind: 'path-room-id-mismatch',
    title: 'a genuine invite sent to a path naming another room',
    risk: 'The server files the invite under a room it is not for (the path and the signed event disagree).',
    spec: `The path's roomId is "the room ID that the user is being invited to" (${INVITE_V2}); the spec names no check: refusing is the safe reading.`,
    synapse: `Ignores the path IDs ("TODO(paul): assert that room_id/event_id parsed from path actually match those given in content", ${INVITE_SERVLETS}) and countersigns.`,
    accept: [
      SPEC_INVALID_PARAM('the path names another room'),
      SYNAPSE_IGNORES(
        `Synapse does not compare the path with the event and countersigns (${INVITE_SERVLETS})`,
      ),
    ],
    anyRefusal: true,
    where: 'all',
  },
  {
    kind: 'path-event-id-mismatch',
    title: 'a genuine invite sent to a path naming another event ID',
    risk: "The server records the invite under an event ID that is not the event's.",
    spec: `The path's eventId is "the event ID for the invite event" (${INVITE_V2}); the spec names no check: refusing is the safe reading.`,
    synapse: `Ignores the path IDs (${INVITE_SERVLETS}) and countersigns.`,
    accept: [
      SPEC_INVALID_PARAM('the path names another event'),
      SYNAPSE_IGNORES(
        `Synapse does not compare the path with the event and countersigns (${INVITE_SERVLETS})`,
      ),
    ],
    anyRefusal: true,
    where: 'all',
  },
  {
    kind: 'unsupported-room-version',
    title: 'a v2 invite whose room_version is "org.example.unsupported"',
    risk: 'The server checks an event under rules it does not know, or answers something the inviting server cannot act on.',
    spec: `400 M_INCOMPATIBLE_ROOM_VERSION with "room_version" (required with that errcode) (${INVITE_V2}).`,
    synapse: `400 M_UNSUPPORTED_ROOM_VERSION "Homeserver does not support this room version", no room_version (${FEDERATION_SERVER}; MSC1866).`,
    accept: [
      {
        answer: 'error',
        status: 400,
        errcode: 'M_INCOMPATIBLE_ROOM_VERSION',
        withRoomVersion: true,
        source: 'spec',
        note: `400 M_INCOMPATIBLE_ROOM_VERSION with room_version (${INVITE_V2})`,
      },
      {
        answer: 'error',
        status: 400,
        errcode: 'M_UNSUPPORTED_ROOM_VERSION',
        source: 'synapse',
        note: `400 M_UNSUPPORTED_ROOM_VERSION (${FEDERATION_SERVER})`,
      },
    ],
    anyRefusal: false,
    where: [['v2', '10']],
  },
  {
    kind: 'non-canonical-json',
    title: 'a signed invite with a float (1.5) in its content, in a room version with strict canonical JSON',
    risk: 'Servers that enforce the rule (as the room version requires) reject the event; this server accepts what the room cannot.',
    spec: `"Servers MUST strictly enforce the JSON format ... This translates to a 400 M_BAD_JSON error on most endpoints" (rooms 6+, ${CANONICAL_JSON_V10}).`,
    synapse: `400 M_BAD_JSON "Bad JSON value: float" (validate_canonicaljson from event_from_pdu_json, ${FEDERATION_BASE}).`,
    accept: [
      {
        answer: 'error',
        status: 400,
        errcode: 'M_BAD_JSON',
        source: 'spec',
        note: `400 M_BAD_JSON (${CANONICAL_JSON_V10}); Synapse answers the same (${FEDERATION_BASE} event_from_pdu_json)`,
      },
    ],
    anyRefusal: false,
    where: [
      ['v2', '10'],
      ['v2', '11'],
      ['v2', '12'],
    ],
  },
  {
    kind: 'room-state-without-create',
    title: 'a room 12 invite whose invite_room_state lacks the m.room.create event',
    risk: 'Room 12 room IDs carry no server name: without the create event the invitee cannot tell who created the room (MSC4311).',
    spec: `Refuse (SHOULD for room 12): "The m.room.create event is missing from invite_room_state" (${INVITE_V2}); invite_room_state "MUST contain the m.room.create event".`,
    synapse: `Does not validate invite_room_state and countersigns (${INVITE_SERVLETS}).`,
    accept: [
      SPEC_INVALID_PARAM('invite_room_state has no create event'),
      SYNAPSE_IGNORES(
        `Synapse stores invite_room_state without checking it and countersigns (${INVITE_SERVLETS})`,
      ),
    ],
    anyRefusal: true,
    where: [['v2', '12']],
  },
  {
    kind: 'event-too-large',
    title: 'a signed invite of about 70 000 bytes (the limit is 65 536)',
    risk: 'The server countersigns an event every server in the room will reject.',
    spec: `"The complete event MUST NOT be larger than 65536 bytes" (${SIZE_LIMITS}): refuse with M_TOO_LARGE.`,
    synapse: `Countersigns: size limits run in event authorisation (synapse/event_auth.py _check_size_limits), which /invite does not run (${FEDERATION_HANDLER}).`,
    accept: [
      {
        answer: 'error',
        status: 400,
        errcode: 'M_TOO_LARGE',
        source: 'spec',
        note: `M_TOO_LARGE (${SIZE_LIMITS})`,
      },
      {
        answer: 'error',
        status: 413,
        errcode: 'M_TOO_LARGE',
        source: 'spec',
        note: `M_TOO_LARGE (${SIZE_LIMITS})`,
      },
      SYNAPSE_IGNORES(
        `Synapse does not apply the size limits at /invite and countersigns (${FEDERATION_HANDLER})`,
      ),
    ],
    anyRefusal: true,
    where: 'once',
  },
  {
    kind: 'body-too-large',
    title:
      "a signed invite larger than the target's request body limit (default 200 × 65 536 bytes, Synapse's)",
    risk: 'The server reads unbounded bodies: memory exhaustion by any peer.',
    spec: `The event exceeds 65536 bytes (${SIZE_LIMITS}): refuse with M_TOO_LARGE.`,
    synapse: `413 M_TOO_LARGE "Request content is too large" before anything else: requests are limited to 200 × 65536 bytes (MAX_REQUEST_SIZE, ${SYNAPSE} synapse/api/constants.py; synapse/http/site.py).`,
    accept: [
      {
        answer: 'error',
        status: 413,
        errcode: 'M_TOO_LARGE',
        source: 'synapse',
        note: `413 M_TOO_LARGE (${SYNAPSE} synapse/http/site.py)`,
      },
      {
        answer: 'error',
        status: 400,
        errcode: 'M_TOO_LARGE',
        source: 'spec',
        note: `M_TOO_LARGE (${SIZE_LIMITS})`,
      },
    ],
    anyRefusal: true,
    connectionCloseIsRefusal: true,
    where: 'once',
  },
  {
    kind: 'x-matrix-missing',
    title: 'a genuine invite without an Authorization header',
    risk: 'Anyone can send invites as any server: the origin is not authenticated.',
    spec: `"Every HTTP request made by a homeserver is authenticated" (${REQUEST_AUTH}); a request without credentials is 401 Unauthorized (RFC 9110 §15.5.2).`,
    synapse: `401 M_UNAUTHORIZED "Missing Authorization headers" (${AUTHENTICATOR}).`,
    accept: [
      UNAUTHORIZED(401, 'M_UNAUTHORIZED', 'synapse', `401 M_UNAUTHORIZED (${AUTHENTICATOR})`),
      UNAUTHORIZED(401, undefined, 'spec', `401 (${REQUEST_AUTH}; RFC 9110)`),
    ],
    anyRefusal: true,
    where: 'once',
  },
  {
    kind: 'x-matrix-other-destination',
    title:
      "a genuine invite whose X-Matrix header is signed for another destination (the kit's second server)",
    risk: 'A request meant for another server can be replayed to this one.',
    spec: `"If this property is included, but the value does not match the receiving server's name, the receiving server must deny the request with an HTTP status code 401 Unauthorized" (${REQUEST_AUTH}).`,
    synapse: `401 M_UNAUTHORIZED "Destination mismatch in auth header" (${AUTHENTICATOR}).`,
    accept: [
      UNAUTHORIZED(401, undefined, 'spec', `401 (${REQUEST_AUTH})`),
      UNAUTHORIZED(401, 'M_UNAUTHORIZED', 'synapse', `401 M_UNAUTHORIZED (${AUTHENTICATOR})`),
    ],
    anyRefusal: false,
    where: 'once',
  },
  {
    kind: 'x-matrix-bad-signature',
    title: "a genuine invite whose X-Matrix signature was made with another key under the kit's key ID",
    risk: 'Anyone can send invites as any server.',
    spec: `The request signature must verify with the origin's key (${REQUEST_AUTH}); refuse with 401.`,
    synapse: `401 M_UNAUTHORIZED "Invalid signature for server ..." (${SYNAPSE} synapse/crypto/keyring.py Keyring.process_json, ${AUTHENTICATOR}).`,
    accept: [
      UNAUTHORIZED(
        401,
        'M_UNAUTHORIZED',
        'synapse',
        `401 M_UNAUTHORIZED (${SYNAPSE} synapse/crypto/keyring.py)`,
      ),
      UNAUTHORIZED(401, undefined, 'spec', `401 (${REQUEST_AUTH})`),
    ],
    anyRefusal: true,
    where: 'once',
  },
  {
    kind: 'x-matrix-body-mismatch',
    title:
      'a genuine invite whose body (invite_room_state) was changed after the X-Matrix signature was made',
    risk: 'A man in the middle (or a relay) can change what the origin sent.',
    spec: `The signature covers the JSON body ("content") (${REQUEST_AUTH}); refuse with 401.`,
    synapse: `401 M_UNAUTHORIZED (the signed JSON includes the parsed body; ${AUTHENTICATOR}, ${SYNAPSE} synapse/crypto/keyring.py).`,
    accept: [
      UNAUTHORIZED(401, 'M_UNAUTHORIZED', 'synapse', `401 M_UNAUTHORIZED (${AUTHENTICATOR})`),
      UNAUTHORIZED(401, undefined, 'spec', `401 (${REQUEST_AUTH})`),
    ],
    anyRefusal: true,
    where: 'once',
  },
]);

/** The endpoints and room versions every `all` kind runs on, in order. */
function combinations(roomVersions: readonly string[]): [InviteApiVersion, string][] {
  const out: [InviteApiVersion, string][] = [];
  for (const rv of CONFORMANCE_ROOM_VERSIONS) {
    if (!roomVersions.includes(rv)) continue;
    if (rv === '1' || rv === '2') out.push(['v1', rv]);
    out.push(['v2', rv]);
  }
  return out;
}

const ONCE: readonly (readonly [InviteApiVersion, string])[] = [
  ['v1', '1'],
  ['v2', '10'],
];

/**
 * The cases for the given room versions (default: 1, 2, 10, 11, 12), in run order. Kinds that run `once` need
 * room 1 (v1) or room 10 (v2) in the selection.
 *
 * @example listConformanceCases().length // 94
 * @example listConformanceCases(['12']).map((c) => c.id) // ['genuine/v2/room-12', 'sender-not-origin/v2/room-12', ...]
 */
export function listConformanceCases(
  roomVersions: readonly string[] = CONFORMANCE_ROOM_VERSIONS,
): readonly ConformanceCase[] {
  // Not a list of identifiers (a caller's mistake, or a Proxy that throws): no cases, never a throw.
  let wanted: readonly string[];
  try {
    wanted = Array.isArray(roomVersions)
      ? roomVersions.filter((v): v is string => typeof v === 'string')
      : [];
  } catch {
    wanted = [];
  }
  return casesFor(wanted);
}

function casesFor(roomVersions: readonly string[]): readonly ConformanceCase[] {
  const all = combinations(roomVersions);
  const cases: ConformanceCase[] = [];
  for (const row of CONFORMANCE_CASE_TABLE) {
    const where =
      row.where === 'all'
        ? all
        : (row.where === 'once' ? ONCE : row.where).filter(([, rv]) => roomVersions.includes(rv));
    for (const [apiVersion, roomVersion] of where) {
      cases.push(
        Object.freeze({
          id: `${row.kind}/${apiVersion}/room-${roomVersion}`,
          kind: row.kind,
          apiVersion,
          roomVersion,
          title: row.title,
          risk: row.risk,
          spec: row.spec,
          synapse: row.synapse,
          accept: row.accept,
          anyRefusal: row.anyRefusal,
          connectionCloseIsRefusal: row.connectionCloseIsRefusal === true,
        }),
      );
    }
  }
  return Object.freeze(cases);
}
