/**
 * Types a user can build with: inputs accept plain mutable objects, type aliases and interfaces extending
 * `JsonObjectInput` (optional fields included) without casts; outputs are typed with their known fields, so reading
 * them needs no cast. The type assertions are checked by `npm run lint` (tsc over the tests); the calls run here.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { signJson } from '../../src/crypto/index.js';
import { countersignEvent, type SignedEvent, signEvent } from '../../src/events/index.js';
import {
  buildInviteEvent,
  buildInviteRoomState,
  eventReference,
  type InviteEvent,
  type JsonObjectInput,
  type JsonValue,
  keyLookupFrom,
  signingKeyFromSeed,
} from '../../src/index.js';

const right = <A>(either: E.Either<{ message: string }, A>): A => {
  if (E.isLeft(either)) throw new Error(either.left.message);
  return either.right;
};
const key = right(signingKeyFromSeed({ seed: new Uint8Array(32).fill(3), version: 'a1' }));

/** A homeserver's own event type: an interface with optional fields. */
interface StoredEvent extends JsonObjectInput {
  type: string;
  state_key?: string;
  sender: string;
  room_id?: string;
  event_id?: string;
  origin_server_ts: number;
  depth: number;
  auth_events: string[];
  prev_events: string[];
  content: { [key: string]: JsonValue };
}

describe('types a user can build with', () => {
  it('accepts a mutable object literal, a type alias and an interface with optional fields', () => {
    // A mutable literal, changed after it was made: no readonly gymnastics, no casts.
    const literal = {
      type: 'm.room.create',
      state_key: '',
      sender: '@alice:a.example',
      room_id: '!r:a.example',
      origin_server_ts: 1,
      depth: 1,
      auth_events: [] as string[],
      prev_events: [] as string[],
      content: { creator: '@alice:a.example', room_version: '10' },
    };
    literal.depth = 1;
    const created = right(signEvent({ event: literal, roomVersion: '10', signingKey: key }));

    const stored: StoredEvent = {
      type: 'm.room.member',
      state_key: '@alice:a.example',
      sender: '@alice:a.example',
      room_id: '!r:a.example',
      origin_server_ts: 2,
      depth: 2,
      auth_events: [right(eventReference(created, '10')) as string],
      prev_events: [],
      content: { membership: 'join' },
    };
    const joined = right(signEvent({ event: stored, roomVersion: '10', signingKey: key }));
    expect(right(buildInviteRoomState({ state: [created, joined, stored], roomVersion: '10' }))).toHaveLength(
      1,
    );
    expect(E.isRight(signJson({ value: stored, serverName: 'a.example', signingKey: key }))).toBe(true);
  });

  it('types outputs with their known fields: reading them needs no cast', () => {
    const built = right(
      buildInviteEvent({
        roomVersion: '1',
        roomId: '!r:a.example',
        sender: '@alice:a.example',
        invitee: '@bob:b.example',
        originServerTs: 3,
        depth: 3,
        authEvents: [['$c:a.example', { sha256: 'x' }]],
        prevEvents: [['$c:a.example', { sha256: 'x' }]],
        signingKey: key,
      }),
    );
    expectTypeOf(built.event).toEqualTypeOf<InviteEvent>();
    expectTypeOf(built.event.state_key).toEqualTypeOf<string>();
    expectTypeOf(built.event.content.membership).toEqualTypeOf<'invite'>();
    expectTypeOf(built.event.hashes.sha256).toEqualTypeOf<string>();
    expect(built.event.state_key).toBe('@bob:b.example');
    expect(built.event.event_id).toMatch(/:a\.example$/);

    // Results of one call go straight into the next.
    const reference = right(eventReference(built.event, '1'));
    expectTypeOf(reference).toEqualTypeOf<string | readonly [string, { readonly sha256: string }]>();
    const countersigned = right(
      countersignEvent({ event: built.event, roomVersion: '1', signingKey: key, serverName: 'b.example' }),
    );
    expectTypeOf(countersigned).toEqualTypeOf<SignedEvent>();
    expectTypeOf(countersigned.signatures).toEqualTypeOf<{
      readonly [serverName: string]: { readonly [keyId: string]: string };
    }>();
    expect(Object.keys(countersigned.signatures)).toEqual(['a.example', 'b.example']);
    expect(keyLookupFrom({ 'a.example': { [key.keyId]: key.publicKey } })('a.example', key.keyId)).toEqual({
      key: key.publicKey,
    });
  });
});
