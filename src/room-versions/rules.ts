/**
 * The shape of a room version's rules. Each known version (see `versions.ts`) is one frozen object of this type,
 * written as a diff of the previous version. Callers can describe a custom (unstable) version with the same type.
 */

/** How event IDs are formed. `v1`: `$opaque:domain`, carried in the `event_id` field (rooms 1-2);
 * `v3`: `$` + standard unpadded base64 of the reference hash (room 3); `v4`: the same in URL-safe base64 (4+). */
export type EventIdFormat = 'v1' | 'v3' | 'v4';

/** How room IDs are formed: `!opaque:domain` (1-11), or `!` + the create event's reference hash (12). */
export type RoomIdFormat = 'server' | 'create-event-hash';

/** PDU shape. `v1`: `event_id` field and `[id, {sha256}]` reference pairs (rooms 1-2); `v3`: plain event ID lists,
 * no `event_id` (3-11); `v12`: as `v3`, `m.room.create` has no `room_id` and is not listed in `auth_events`. */
export type PduFormat = 'v1' | 'v3' | 'v12';

/** What redaction keeps of one event type's `content`: every key, or a list. A list entry
 * `{ key, keep }` keeps `key` only when it is an object, reduced to its `keep` sub-keys. */
export type ContentKeepList =
  | 'all'
  | readonly (
      | string
      | {
          /** The content key to keep (only when its value is an object). */
          readonly key: string;
          /** The sub-keys of that object to keep; every other sub-key is removed. */
          readonly keep: readonly string[];
        }
    )[];

/** A redaction algorithm (spec: "Redactions" for each room version), as keep-list tables. */
export interface RedactionRules {
  /** Name of the algorithm: the spec's v1 (rooms 1-5), v6 (6-7), v8 (8), v9 (9-10), v11 (11); `v12` is v11 plus
   * Synapse's room 12 rule that an `m.room.create` event loses `room_id`. */
  readonly name: 'v1' | 'v6' | 'v8' | 'v9' | 'v11' | 'v12' | (string & {});
  /** Top-level keys kept; every other key is removed. */
  readonly topLevelKeys: readonly string[];
  /** Per event type, top-level keys removed even though `topLevelKeys` lists them (room 12: `m.room.create` loses
   * `room_id`). Absent: no exceptions. */
  readonly topLevelKeysDroppedByType?: Readonly<Record<string, readonly string[]>>;
  /** Per event type, the content keys kept; types not listed get `content: {}`. */
  readonly contentKeys: Readonly<Record<string, ContentKeepList>>;
}

/**
 * The rules of one room version, as data.
 *
 * @category Room versions
 */
export interface RoomVersionRules {
  /** The room version identifier, e.g. `"10"`. */
  readonly id: string;
  /** `stable` versions are in the spec; callers may add `unstable` ones. */
  readonly stability: 'stable' | 'unstable';
  /** How event IDs are made: chosen by the sender (`v1`, rooms 1-2) or the reference hash (`v3`, `v4`). */
  readonly eventIdFormat: EventIdFormat;
  /** How room IDs are made: `!opaque:server`, or the create event's reference hash (room 12). */
  readonly roomIdFormat: RoomIdFormat;
  /** The PDU schema the events follow (`v1`, `v3` or `v12`). */
  readonly pduFormat: PduFormat;
  /** The redaction algorithm, which decides what signatures and event IDs cover. */
  readonly redaction: RedactionRules;
  /** Canonical JSON number rules enforced (room versions 6+): integers in +/-(2^53-1), no floats. */
  readonly strictCanonicalJson: boolean;
  /** Signing key `valid_until_ts` enforced against `origin_server_ts` (room versions 5+). */
  readonly enforceKeyValidity: boolean;
  /** Largest allowed `depth`: 2^63-1 in rooms 1-5, 2^53-1 from room 6. */
  readonly maxDepth: bigint;
  /** Which servers must have signed an event, besides the sender's server. */
  readonly signers: {
    /** Rooms 1-2: the server in the `event_id` must sign too. */
    readonly eventIdDomain: boolean;
    /** Rooms 8+: joins carrying `join_authorised_via_users_server` need that user's server's signature. */
    readonly restrictedJoinAuthoriser: boolean;
  };
  /** Limits on reference lists (all versions: 10 auth events, 20 prev events). */
  readonly maxAuthEvents: number;
  /** At most this many `prev_events` (20 in every version). */
  readonly maxPrevEvents: number;
  /** Informational (not used by invite handling): state resolution algorithm, `v1` (room 1), `v2` (2-11), `v2.1` (12). */
  readonly stateResolution?: 'v1' | 'v2' | 'v2.1' | (string & {});
  /** Informational: the `knock` join rule exists (rooms 7+). */
  readonly knocking?: boolean;
  /** Informational: the `restricted` join rule exists (rooms 8+). */
  readonly restrictedJoins?: boolean;
  /** Informational: power levels must be integers, not strings (rooms 10+). */
  readonly integerOnlyPowerLevels?: boolean;
  /** Informational: the room creator is the create event's `sender`; `content.creator` is gone (rooms 11+). */
  readonly implicitRoomCreator?: boolean;
}

/**
 * A room version identifier (`"10"`) or a rules object: what every function taking a room version accepts.
 *
 * @category Room versions
 */
export type RoomVersionInput = string | RoomVersionRules;
