/** Valid signed invite requests (bodies as values) for the fuzz suites, and the signed-part oracle. */
import * as E from 'fp-ts/lib/Either.js';
import { redactEvent } from '../../src/events/redaction.js';
import { encodeCanonicalJson } from '../../src/json/canonical.js';
import { type JsonObject, type JsonValue, omitKeys } from '../../src/json/value.js';
import { eventIdOf, INVITER, roomStateFor, signedInvite } from '../invite/helpers.js';

export interface BaseInvite {
  readonly label: string;
  readonly apiVersion: 'v1' | 'v2';
  readonly roomVersion: string;
  readonly event: JsonObject;
  readonly body: JsonObject;
  readonly roomId: string;
  readonly eventId: string;
  readonly origin: string;
}

/** Unicode that tells NFC from NFD, astral characters and (rooms 1-5) a big integer in signed content. */
function contentFor(roomVersion: string): Record<string, JsonValue> {
  return {
    membership: 'invite',
    displayname: 'Zoë Ångström 🐈',
    is_direct: true,
    clé: ['ñ', 1, null, { nested: 'ﬁ' }],
    ...(Number(roomVersion) <= 5 ? { big: 18446744073709551616n } : {}),
  };
}

/** A valid, signed invite request (it is accepted as is: the suites check that first). */
export function baseInvite(apiVersion: 'v1' | 'v2', roomVersion: string): BaseInvite {
  const event = signedInvite(roomVersion, { content: contentFor(roomVersion) });
  const state = roomStateFor(roomVersion);
  const body: JsonObject =
    apiVersion === 'v2'
      ? { room_version: roomVersion, event, invite_room_state: state }
      : { ...event, unsigned: { invite_room_state: state } };
  return {
    label: `${apiVersion} room ${roomVersion}`,
    apiVersion,
    roomVersion,
    event,
    body,
    roomId: event.room_id as string,
    eventId: eventIdOf(event, roomVersion),
    origin: INVITER,
  };
}

/** Canonical JSON, or a marker when the value has none (lone surrogates...). */
export function canonicalOrMarker(value: JsonValue): string {
  const encoded = encodeCanonicalJson(value);
  return E.isRight(encoded) ? encoded.right : `<no canonical form: ${encoded.left.reason}>`;
}

/** What the signatures and the content hash cover: everything but `unsigned` and `signatures`. */
export function signedPart(event: JsonObject): string {
  return canonicalOrMarker(omitKeys(event, ['unsigned', 'signatures']));
}

/** The redacted signed part (what a Synapse-style countersignature of a redacted copy covers). */
export function redactedSignedPart(event: JsonObject, roomVersion: string): string {
  const redacted = redactEvent(event, roomVersion);
  return E.isRight(redacted) ? signedPart(redacted.right) : `<unredactable: ${redacted.left.message}>`;
}
