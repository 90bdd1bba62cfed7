/**
 * The two invite endpoints (spec server-server API "Inviting to a room"): prefer `v2`; `v1` is the fallback for
 * rooms 1-2 and the only one that carries no room version.
 *
 * @category Receiving
 */
export type InviteApiVersion = 'v1' | 'v2';
