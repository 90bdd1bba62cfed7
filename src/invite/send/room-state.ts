/**
 * Choosing `invite_room_state` (spec server-server API "Inviting to a room", client-server API "Stripped state";
 * MSC4311).
 *
 * Since spec v1.16 the list "MUST contain the `m.room.create` event" and its entries "MUST additionally be formatted
 * according to the room version": full PDUs. The recommended types are those of Synapse's default
 * (`room_prejoin_state`): create, join_rules, canonical_alias, avatar, encryption, name, topic, plus the inviter's
 * own `m.room.member`. Old peers (before v1.16) expect stripped events (`type`, `state_key`, `sender`, `content`):
 * `format: 'stripped'` gives those. The list is covered by no hash or signature.
 */
import * as E from 'fp-ts/lib/Either.js';
import { errorText } from '../../errors/describe.js';
import { validatePduShape } from '../../events/pdu.js';
import {
  getOwn,
  isJsonObject,
  type JsonObject,
  type JsonObjectInput,
  type MutableJsonObject,
  setOwn,
} from '../../json/value.js';
import type { RoomVersionInput } from '../../room-versions/rules.js';
import { getRoomVersion } from '../../room-versions/versions.js';
import { type InviteSendError, sendError } from './common.js';

/** The state types (with `state_key: ""`) recommended for `invite_room_state`, in output order. */
export const RECOMMENDED_INVITE_STATE_TYPES: readonly string[] = Object.freeze([
  'm.room.create',
  'm.room.join_rules',
  'm.room.name',
  'm.room.avatar',
  'm.room.topic',
  'm.room.canonical_alias',
  'm.room.encryption',
]);

/**
 * What {@link buildInviteRoomState} picks from.
 *
 * @category Sending
 */
export interface BuildInviteRoomStateParams {
  /** The room's current state events (full PDUs, as you store them; not modified, not copied). */
  readonly state: readonly JsonObjectInput[];
  /** The room's version (`"10"`) or rules: entries are checked against its PDU format. */
  readonly roomVersion: RoomVersionInput;
  /** The inviting user: their own `m.room.member` event is included when present (as Synapse does). */
  readonly inviter?: string;
  /**
   * `pdu` (default, spec v1.16+): the events as they are, full PDUs of the room version. `stripped`: only `type`,
   * `state_key`, `sender`, `content`, for peers older than v1.16.
   */
  readonly format?: 'pdu' | 'stripped';
  /**
   * State types (with `state_key: ""`) to include instead of {@link RECOMMENDED_INVITE_STATE_TYPES}.
   * `m.room.create` is always included.
   */
  readonly types?: readonly string[];
  /** Check each chosen event against the room version's PDU format (default true; only for `format: 'pdu'`). */
  readonly validate?: boolean;
}

function stripped(event: JsonObject): JsonObject {
  const out: MutableJsonObject = {};
  for (const key of ['type', 'state_key', 'sender', 'content']) {
    const value = getOwn(event, key);
    if (value !== undefined) setOwn(out, key, value);
  }
  return out;
}

/**
 * Picks the invite room state from the room's current state events. `m.room.create` is always included (an error
 * when absent); events are returned as given (not copied) in the order of the recommended types, then the
 * inviter's membership. Never throws.
 *
 * @example
 * buildInviteRoomState({ state: currentState, roomVersion: '12', inviter: '@alice:inviter.example' })
 * // Right([createPdu, joinRulesPdu, namePdu, aliceMemberPdu])
 *
 * @category Sending
 */
export function buildInviteRoomState(
  params: BuildInviteRoomStateParams,
): E.Either<InviteSendError, readonly JsonObject[]> {
  if (typeof params !== 'object' || params === null) {
    return E.left(sendError('invalid_params', 'buildInviteRoomState takes { state, roomVersion, ... }'));
  }
  try {
    const options = params;
    const stateEvents: readonly unknown[] = params.state;
    const rules = getRoomVersion(params.roomVersion);
    if (E.isLeft(rules)) return E.left(sendError('unknown_room_version', rules.left.message, [], rules.left));
    if (!Array.isArray(stateEvents)) {
      return E.left(sendError('invalid_state_event', 'state must be an array of events'));
    }
    const types = options.types ?? RECOMMENDED_INVITE_STATE_TYPES;
    if (!Array.isArray(types) || !types.every((t) => typeof t === 'string')) {
      return E.left(sendError('invalid_state_event', 'types must be an array of strings'));
    }
    const wanted = new Set<string>(['m.room.create', ...types]);
    const byType = new Map<string, { event: JsonObject; index: number }>();
    let member: { event: JsonObject; index: number } | undefined;

    for (let i = 0; i < stateEvents.length; i++) {
      const event: unknown = stateEvents[i];
      if (!isJsonObject(event))
        return E.left(sendError('invalid_state_event', 'state events must be objects', [i]));
      const type = getOwn(event, 'type');
      const stateKey = getOwn(event, 'state_key');
      if (typeof type !== 'string' || typeof stateKey !== 'string') continue;
      let isWanted = false;
      if (stateKey === '' && wanted.has(type)) {
        const seen = byType.get(type);
        if (seen !== undefined) {
          return E.left(
            sendError('duplicate_state_event', `two ${type} events (indices ${seen.index} and ${i})`, [i]),
          );
        }
        byType.set(type, { event, index: i });
        isWanted = true;
      } else if (type === 'm.room.member' && options.inviter !== undefined && stateKey === options.inviter) {
        if (member !== undefined) {
          return E.left(
            sendError(
              'duplicate_state_event',
              `two membership events for ${stateKey} (indices ${member.index} and ${i})`,
              [i],
            ),
          );
        }
        member = { event, index: i };
        isWanted = true;
      }
      if (isWanted && options.format !== 'stripped' && options.validate !== false) {
        // MSC4311: entries are PDUs of the room version.
        const shape = validatePduShape({ event, roomVersion: rules.right });
        if (E.isLeft(shape)) {
          return E.left(
            sendError(
              'invalid_state_event',
              `state event ${i} (${type}): ${shape.left.message}`,
              [i, ...shape.left.path],
              shape.left,
            ),
          );
        }
      }
    }
    if (!byType.has('m.room.create')) {
      return E.left(
        sendError('missing_create_event', 'the room state has no m.room.create event (required since v1.16)'),
      );
    }
    const order = ['m.room.create', ...types.filter((t) => t !== 'm.room.create')];
    const picked: JsonObject[] = [];
    for (const type of order) {
      const found = byType.get(type);
      if (found !== undefined && !picked.includes(found.event)) picked.push(found.event);
    }
    if (member !== undefined) picked.push(member.event);
    return E.right(options.format === 'stripped' ? picked.map(stripped) : picked);
  } catch (error) {
    return E.left(sendError('invalid_params', `the parameters cannot be read: ${errorText(error)}`));
  }
}
