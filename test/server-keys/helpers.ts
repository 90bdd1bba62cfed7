/** Shared fixtures of the server keys tests: keys, answers built and signed by hand, and a notary. */
import * as E from 'fp-ts/lib/Either.js';
import { signJson } from '../../src/crypto/json-signing.js';
import { signingKeyFromSeed } from '../../src/crypto/keys.js';
import type { SigningKey } from '../../src/crypto/types.js';
import { encodeCanonicalJson } from '../../src/json/canonical.js';
import type { JsonObject, JsonValue } from '../../src/json/value.js';
import type { TrustedNotary } from '../../src/server-keys/types.js';

/** Unwraps a Right, failing the test with the Left otherwise. */
export function right<L, R>(either: E.Either<L, R>): R {
  if (E.isLeft(either)) throw new Error(`expected Right, got Left: ${JSON.stringify(either.left, replacer)}`);
  return either.right;
}

/** Unwraps a Left, failing the test otherwise. */
export function left<L, R>(either: E.Either<L, R>): L {
  if (E.isRight(either)) throw new Error('expected Left, got Right');
  return either.left;
}

function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? `${value}n` : value;
}

const key = (fill: number, version: string): SigningKey =>
  right(signingKeyFromSeed({ seed: new Uint8Array(32).fill(fill), version }));

export const SERVER = 'keys.example';
export const NOTARY = 'notary.example';
/** The server's two current keys, an old one, a key nobody lists, and the notary's key. */
export const current1 = key(0x11, 'a1');
export const current2 = key(0x12, 'a2');
export const oldKey = key(0x13, 'old1');
export const stranger = key(0x14, 'a1');
export const notaryKey = key(0x21, 'n1');

/** 2026-01-01T00:00:00Z. */
export const NOW = 1_767_225_600_000;
export const DAY = 86_400_000;
export const WEEK = 7 * DAY;

/** The notary as a caller trusts it. */
export const TRUSTED_NOTARY: TrustedNotary = {
  serverName: NOTARY,
  verifyKeys: { [notaryKey.keyId]: notaryKey.publicKey },
};

/** An unsigned answer of SERVER: current1 (and current2 when asked), oldKey expired a day before NOW. */
export function unsignedAnswer(overrides: Record<string, JsonValue> = {}, withSecond = false): JsonObject {
  return {
    server_name: SERVER,
    valid_until_ts: NOW + DAY,
    verify_keys: {
      [current1.keyId]: { key: current1.publicKey },
      ...(withSecond ? { [current2.keyId]: { key: current2.publicKey } } : {}),
    },
    old_verify_keys: { [oldKey.keyId]: { key: oldKey.publicKey, expired_ts: NOW - DAY } },
    ...overrides,
  };
}

/** Signs `obj` as `server` with each key in turn. */
export function signAs(obj: JsonObject, server: string, ...keys: SigningKey[]): JsonObject {
  let out = obj;
  for (const k of keys) out = right(signJson({ value: out, serverName: server, signingKey: k }));
  return out;
}

/** SERVER's answer signed by current1 (and current2 when `withSecond`). */
export function signedAnswer(overrides: Record<string, JsonValue> = {}, withSecond = false): JsonObject {
  const base = unsignedAnswer(overrides, withSecond);
  return withSecond ? signAs(base, SERVER, current1, current2) : signAs(base, SERVER, current1);
}

/** A notary answer wrapping `entries`, each also signed by the notary. */
export function notaryAnswer(...entries: JsonObject[]): JsonObject {
  return { server_keys: entries.map((entry) => signAs(entry, NOTARY, notaryKey)) };
}

/** Canonical JSON text (the wire text of a body). */
export function text(value: JsonValue): string {
  return right(encodeCanonicalJson(value));
}

/** Bytes of a JSON value. */
export function bytes(value: JsonValue): Uint8Array {
  return new TextEncoder().encode(text(value));
}
