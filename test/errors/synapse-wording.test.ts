/**
 * Every fixed message of SYNAPSE_ERROR_MAPPING is Synapse's own text, character for character, with the file and
 * function it comes from (element-hq/synapse, develop, read 2026-07; `#19723` is the open pull request that adds the
 * path ID checks to `FederationServer.on_invite_request`). Where Synapse's text depends on the input (e.g. "Invalid
 * ID: 'alice'" from `get_domain_from_id`, the signature errors of `_check_sigs_and_hash`, "Destination mismatch in
 * auth header, received: ..."), the table fixes no text and the rejection's own message is sent.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { type MatrixErrorReason, SYNAPSE_ERROR_MAPPING, toMatrixError } from '../../src/errors/matrix.js';
import { receiveInvite, SYNAPSE_COMPATIBLE_POLICY } from '../../src/invite/receive/receive.js';
import { context, requestFor, signedInvite } from '../invite/helpers.js';

const HANDLER = 'synapse/handlers/federation.py FederationHandler.on_invite_request';
const SERVER = 'synapse/federation/federation_server.py FederationServer.on_invite_request';
const SERVER_19723 = `${SERVER} (element-hq/synapse#19723)`;
const SERVLET = 'synapse/http/servlet.py parse_json_value_from_request / parse_json_object_from_request';
const EVENTS = 'synapse/events/__init__.py make_event_from_json';
const AUTH =
  'synapse/federation/transport/server/_base.py Authenticator.authenticate_request, _parse_auth_header';
const HTTP = 'synapse/http/server.py return_json_error (any exception that is not a SynapseError)';

/** reason → [status, errcode, Synapse's exact text, or undefined when Synapse's text depends on the input; source] */
const SYNAPSE_TEXTS: readonly (readonly [MatrixErrorReason, number, string, string | undefined, string])[] = [
  ['body_not_json', 400, 'M_NOT_JSON', 'Content not JSON.', SERVLET],
  // Python's RecursionError is an Exception like any decoding error there.
  ['body_too_deep', 400, 'M_NOT_JSON', 'Content not JSON.', SERVLET],
  ['body_not_object', 400, 'M_BAD_JSON', 'Content must be a JSON object.', SERVLET],
  [
    'room_version_unsupported',
    400,
    'M_UNSUPPORTED_ROOM_VERSION',
    'Homeserver does not support this room version',
    SERVER,
  ],
  [
    'room_version_not_string',
    400,
    'M_UNSUPPORTED_ROOM_VERSION',
    'Homeserver does not support this room version',
    SERVER,
  ],
  ['v1_event_not_v1_format', 400, 'M_BAD_JSON', 'Invalid event JSON', EVENTS],
  [
    'event_id_mismatch',
    400,
    'M_INVALID_PARAM',
    'Invite event ID must match event ID specified in the federation `/invite` request',
    SERVER_19723,
  ],
  [
    'room_id_mismatch',
    400,
    'M_INVALID_PARAM',
    'The room_id specified in the invite event must match room ID specified in the federation `/invite` request',
    SERVER_19723,
  ],
  ['not_member_event', 400, 'M_UNKNOWN', 'The event was not an m.room.member invite event', HANDLER],
  ['not_invite_membership', 400, 'M_UNKNOWN', 'The event was not an m.room.member invite event', HANDLER],
  ['state_key_missing', 400, 'M_UNKNOWN', 'The invite event did not have a state key', HANDLER],
  // is_mine_id is False for a state_key without ':' as for another server's user.
  ['invalid_state_key', 400, 'M_UNKNOWN', 'The invite event must be for this server', HANDLER],
  ['state_key_not_local', 400, 'M_UNKNOWN', 'The invite event must be for this server', HANDLER],
  ['sender_not_origin', 400, 'M_UNKNOWN', 'The invite event was not from the server sending it', HANDLER],
  // A sender without ':' fails in get_domain_from_id (synapse/types/__init__.py): "Invalid ID: 'alice'".
  ['invalid_sender', 400, 'M_UNKNOWN', undefined, 'synapse/types/__init__.py get_domain_from_id'],
  ['invite_blocked', 403, 'M_INVITE_BLOCKED', 'You are not permitted to invite this user.', HANDLER],
  ['countersign_failed', 500, 'M_UNKNOWN', 'Internal server error', HTTP],
  ['invalid_request', 500, 'M_UNKNOWN', 'Internal server error', HTTP],
  ['invalid_context', 500, 'M_UNKNOWN', 'Internal server error', HTTP],
  ['internal_error', 500, 'M_UNKNOWN', 'Internal server error', HTTP],
  ['missing_authorization', 401, 'M_UNAUTHORIZED', 'Missing Authorization headers', AUTH],
  ['malformed_header', 400, 'M_UNAUTHORIZED', 'Malformed Authorization header', AUTH],
  // "Destination mismatch in auth header, received: 'other.example'" (the header's destination, Python repr).
  ['destination_mismatch', 401, 'M_UNAUTHORIZED', undefined, AUTH],
];

describe("SYNAPSE_ERROR_MAPPING sends Synapse's own messages", () => {
  it.each(SYNAPSE_TEXTS)('%s: %i %s %j (%s)', (reason, status, errcode, text) => {
    const own = 'our own message';
    expect(toMatrixError({ reason, message: own }, SYNAPSE_ERROR_MAPPING)).toEqual({
      status,
      body: { errcode, error: text ?? own },
    });
  });

  it('every fixed message of the table is one of the cited texts above', () => {
    const fixed = Object.entries(SYNAPSE_ERROR_MAPPING)
      .filter(([, code]) => code.error !== undefined)
      .map(([reason]) => reason)
      .sort();
    const cited = SYNAPSE_TEXTS.filter(([, , , text]) => text !== undefined)
      .map(([reason]) => reason)
      .sort();
    expect(fixed).toEqual(cited);
  });

  it('on the wire: a join sent to /invite under SYNAPSE_COMPATIBLE_POLICY', () => {
    const event = signedInvite('10', { content: { membership: 'join' } });
    const result = receiveInvite(requestFor('v2', '10', event), {
      ...context,
      policy: SYNAPSE_COMPATIBLE_POLICY,
    });
    expect(E.isLeft(result) && [result.left.reason, result.left.status, result.left.body]).toEqual([
      'not_invite_membership',
      400,
      { errcode: 'M_UNKNOWN', error: 'The event was not an m.room.member invite event' },
    ]);
  });
});
