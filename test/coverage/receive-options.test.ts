/**
 * receiveInvite options and caller mistakes the behaviour suites leave out: null request/context, explicit
 * maxJsonDepth/backend/now, a refusing hook with a message, custom supported room versions, and the room 12 rule
 * that the create event is never listed in auth_events.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { receiveInvite } from '../../src/invite/receive/receive.js';
import { validateInviteEvent } from '../../src/invite/receive/validate.js';
import { defineRoomVersion, getRoomVersion } from '../../src/room-versions/versions.js';
import {
  context,
  createEventV12,
  eventIdOf,
  INVITEE,
  INVITER,
  keys,
  requestFor,
  right,
  signedInvite,
} from '../invite/helpers.js';

const reason = (r: ReturnType<typeof receiveInvite>) => (E.isLeft(r) ? r.left.reason : 'accepted');

describe('receiveInvite: options and caller mistakes', () => {
  it('a null request or context is a caller error (500), never a throw', () => {
    expect(reason(receiveInvite(null as never, context))).toBe('invalid_request');
    expect(reason(receiveInvite(requestFor('v2', '10', signedInvite('10')), null as never))).toBe(
      'invalid_context',
    );
  });

  it('explicit maxJsonDepth, backend and now are honoured', () => {
    const request = requestFor('v2', '10', signedInvite('10'));
    expect(
      reason(receiveInvite(request, { ...context, now: 1_700_000_000_000, policy: { maxJsonDepth: 3 } })),
    ).toBe('body_too_deep');
    expect(
      reason(
        receiveInvite(request, {
          ...context,
          now: 1_700_000_000_000,
          policy: { maxJsonDepth: 64, backend: 'noble' },
        }),
      ),
    ).toBe('accepted');
  });

  it('a hook refusing with a message: 403 with that message', () => {
    const result = receiveInvite(requestFor('v2', '10', signedInvite('10')), {
      ...context,
      policy: { authorize: () => ({ verdict: 'invite_blocked', message: 'no invites, thanks' }) },
    });
    expect(E.isLeft(result) && [result.left.status, result.left.body.errcode, result.left.message]).toEqual([
      403,
      'M_INVITE_BLOCKED',
      'no invites, thanks',
    ]);
  });

  it('custom supported room versions (rules objects) are accepted by name', () => {
    const custom = right(defineRoomVersion('10', { id: 'org.example.ten' }));
    const event = signedInvite('10');
    const body = { room_version: 'org.example.ten', event, invite_room_state: [] };
    const result = receiveInvite(
      {
        apiVersion: 'v2',
        roomId: event.room_id as string,
        eventId: eventIdOf(event, '10'),
        origin: INVITER,
        body,
      },
      { ...context, supportedRoomVersions: ['10', custom], policy: { inviteRoomState: 'ignore' } },
    );
    expect(reason(result)).toBe('accepted');
  });

  it('room 12: listing the create event in auth_events is invalid_pdu', () => {
    const { roomId } = createEventV12();
    const event = signedInvite('12', { auth_events: [`$${roomId.slice(1)}`] });
    const result = receiveInvite(requestFor('v2', '12', event), context);
    expect(E.isLeft(result) && [result.left.reason, result.left.message]).toEqual([
      'invalid_pdu',
      'auth_events must not contain the create event',
    ]);
  });

  it('validateInviteEvent works without a path prefix', () => {
    const event = signedInvite('10');
    const result = validateInviteEvent(event, right(getRoomVersion('10')), {
      origin: INVITER,
      serverName: INVITEE,
      keys,
      now: 1_700_000_000_000,
      backend: 'node',
    });
    expect(E.isRight(result)).toBe(true);
    const bad = validateInviteEvent({ ...event, sender: 'nocolon' }, right(getRoomVersion('10')), {
      origin: INVITER,
      serverName: INVITEE,
      keys,
    });
    expect(E.isLeft(bad) && bad.left.path).toEqual(['sender']);
  });
});
