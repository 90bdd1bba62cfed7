/** The invite event, as both sides see it once it has been checked. */
import type { Pdu } from '../events/pdu.js';
import type { JsonValue } from '../json/value.js';

/**
 * An invite event: a PDU with `type: m.room.member`, `state_key` (the invited user), `room_id` and
 * `content.membership: invite` typed, so that reading them needs no cast.
 *
 * @category Sending
 */
export interface InviteEvent extends Pdu {
  /** Always `m.room.member`. */
  readonly type: 'm.room.member';
  /** The invited user's ID. */
  readonly state_key: string;
  /** The room ID. */
  readonly room_id: string;
  /** The member content: `membership: invite`, plus `displayname`, `is_direct`, `reason`... when given. */
  readonly content: { readonly membership: 'invite'; readonly [key: string]: JsonValue };
}
