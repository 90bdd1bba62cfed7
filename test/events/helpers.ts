/** Shared helpers for the event tests. */
import * as E from 'fp-ts/lib/Either.js';
import { signingKeyFromSeed } from '../../src/crypto/keys.js';
import type { KeyLookup, SigningKey } from '../../src/crypto/types.js';
import { parseJson } from '../../src/json/parse.js';
import { isJsonObject, type JsonObject } from '../../src/json/value.js';
import { vectors } from '../helpers/fixtures.js';

/** Parses exact JSON text into an object (lossless numbers), failing the test otherwise. */
export function parseEvent(text: string): JsonObject {
  const parsed = parseJson(text);
  if (E.isLeft(parsed)) throw new Error(`bad fixture JSON: ${parsed.left.message}`);
  if (!isJsonObject(parsed.right)) throw new Error('fixture is not an object');
  return parsed.right;
}

/** Unwraps a Right, failing the test with the Left's message otherwise. */
export function right<L, R>(either: E.Either<L, R>): R {
  if (E.isLeft(either))
    throw new Error(`expected Right, got Left: ${JSON.stringify(either.left, bigintReplacer)}`);
  return either.right;
}

/** Unwraps a Left, failing the test otherwise. */
export function left<L, R>(either: E.Either<L, R>): L {
  if (E.isRight(either)) throw new Error('expected Left, got Right');
  return either.left;
}

function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** A signing key from a seed, with a key ID version. */
export function keyFromSeed(seed: string, version: string): SigningKey {
  return right(signingKeyFromSeed({ seed, version }));
}

/** The key material named `name` in `vectors.keys`. */
export function namedKey(name: string, version = '1'): SigningKey {
  const entry = vectors.keys[name];
  if (entry === undefined) throw new Error(`no key ${name}`);
  return keyFromSeed(entry.seed as string, version);
}

/** A key lookup over `[serverName, key, validUntilTs?]` entries. */
export function lookupOf(entries: readonly (readonly [string, SigningKey, number?])[]): KeyLookup {
  return (serverName, keyId) => {
    for (const [server, key, validUntilTs] of entries) {
      if (server === serverName && key.keyId === keyId) {
        return validUntilTs === undefined ? { key: key.publicKey } : { key: key.publicKey, validUntilTs };
      }
    }
    return undefined;
  };
}

/** Room versions 1-12 as strings. */
export const ALL_ROOM_VERSIONS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'] as const;

/** The event interop suites' two servers: inviter.example (spec seed, ed25519:1), invitee.example (bytes 0..31, ed25519:2). */
export const INVITER_SEED = vectors.keys.spec?.seed as string;
export const INVITEE_SEED = vectors.keys.invitee_bytes_0_31?.seed as string;
export const interopInviter = keyFromSeed(INVITER_SEED, '1');
export const interopInvitee = keyFromSeed(INVITEE_SEED, '2');
export const interopKeys = lookupOf([
  ['inviter.example', interopInviter],
  ['invitee.example', interopInvitee],
]);
