/** Shared fixtures of the sending-side tests: the wire examples' keys, builders and JSON helpers. */
import * as E from 'fp-ts/lib/Either.js';
import { signingKeyFromSeed } from '../../src/crypto/keys.js';
import type { KeyLookup, SigningKey } from '../../src/crypto/types.js';
import type { BuildInviteEventParams } from '../../src/invite/send/build-event.js';
import { parseJson } from '../../src/json/parse.js';
import { pythonFloatRepr } from '../../src/json/python-float.js';
import { JsonFloat, type JsonObject, type JsonValue } from '../../src/json/value.js';
import { type Vector, vectors } from '../helpers/fixtures.js';

/** Unwraps a Right, failing the test with the Left otherwise. */
export function right<L, R>(either: E.Either<L, R>): R {
  if (E.isLeft(either)) throw new Error(`expected Right, got Left: ${stringify(either.left)}`);
  return either.right;
}

/** Unwraps a Left, failing the test otherwise. */
export function left<L, R>(either: E.Either<L, R>): L {
  if (E.isRight(either)) throw new Error(`expected Left, got Right: ${stringify(either.right)}`);
  return either.left;
}

/** JSON text in insertion order (the wire text), with bigints and JsonFloats written as the numbers they are. */
export function stringify(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof JsonFloat) return pythonFloatRepr(value.value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stringify).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stringify(v)}`).join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isInteger(value)) return pythonFloatRepr(value) ?? 'null';
  return JSON.stringify(value) ?? 'null';
}

/** Parses JSON text losslessly, failing the test otherwise. */
export function parse(text: string): JsonValue {
  return right(parseJson(text));
}

export const INVITER = 'inviter.example';
export const INVITEE = 'invitee.example';

/** The inviter's key (spec seed, ed25519:1) and the invitee's (bytes 0..31, ed25519:2), as in wire_examples. */
export const inviterKey: SigningKey = right(
  signingKeyFromSeed({ seed: vectors.keys.spec?.seed as string, version: '1' }),
);
export const inviteeKey: SigningKey = right(
  signingKeyFromSeed({ seed: vectors.keys.invitee_bytes_0_31?.seed as string, version: '2' }),
);
/** A third key, unknown to everyone. */
export const strangerKey: SigningKey = right(
  signingKeyFromSeed({ seed: new Uint8Array(32).fill(7), version: '3' }),
);

import { ALL_ROOM_VERSIONS, lookupOf } from '../events/helpers.js';

export { ALL_ROOM_VERSIONS, lookupOf };

/** Both servers' keys. */
export const bothKeys: KeyLookup = lookupOf([
  [INVITER, inviterKey],
  [INVITEE, inviteeKey],
]);

/** The wire example with this id. */
export function wireExample(id: string): Vector {
  const found = vectors.wire_examples.find((v) => v.id === id);
  if (found === undefined) throw new Error(`no wire example ${id}`);
  return found;
}

/** The event_signing vector with this id. */
export function signingVector(id: string): Vector {
  const found = vectors.event_signing.find((v) => v.id === id);
  if (found === undefined) throw new Error(`no event_signing vector ${id}`);
  return found;
}

/** Room versions 1-12 as strings. */
/**
 * Parameters of an invite from @alice:inviter.example to @bob:invitee.example in room version `rv` (reference
 * pairs in rooms 1-2, the synapse-v12-create room ID in room 12), with the given content.
 */
export function inviteParams(
  rv: string,
  content: JsonObject = { displayname: 'Bob' },
): Omit<BuildInviteEventParams, 'signingKey'> {
  const v1 = rv === '1' || rv === '2';
  return {
    roomVersion: rv,
    roomId: rv === '12' ? '!BeXKh925K_M46DwsuJFR0EyBpE1P7CFUDGuWW4xw55Y' : '!room:inviter.example',
    sender: '@alice:inviter.example',
    invitee: '@bob:invitee.example',
    originServerTs: 1700000000000,
    depth: 10,
    authEvents: v1 ? [['$a:inviter.example', { sha256: 'YWFh' }]] : ['$auth1'],
    prevEvents: v1 ? [['$p:inviter.example', { sha256: 'cHBw' }]] : ['$prev1'],
    content,
  };
}

/** Deep-freezes a value (to prove functions do not mutate their inputs). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !(value instanceof JsonFloat)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
