/** Shared setup of the conformance kit tests: the kit's keys in a target's key store, running the kit. */
import * as E from 'fp-ts/lib/Either.js';
import {
  type ConformanceReport,
  conformanceServerKeys,
  type RunConformanceOptions,
  runConformance,
} from '../../src/conformance/index.js';
import type { KeyLookup } from '../../src/crypto/types.js';
import { createServerKeyStore, type ServerKeyStore } from '../../src/server-keys/store.js';
import { verifyServerKeys } from '../../src/server-keys/verify.js';
import { INVITEE, NOW, TARGET, targetKey } from './reference-target.js';

/** Unwraps a Right, failing the test with the Left otherwise. */
export function right<L, R>(either: E.Either<L, R>): R {
  if (E.isLeft(either)) throw new Error(`expected Right, got Left: ${JSON.stringify(either.left)}`);
  return either.right;
}

/** A key store holding the kit's published keys (what a target pre-seeds, or fetches from the CLI). */
export function kitKeyStore(
  names: { inviterServerName?: string; otherServerName?: string } = {},
  now = NOW,
): ServerKeyStore {
  let store = right(createServerKeyStore());
  for (const answer of right(conformanceServerKeys({ now, ...names }))) {
    store = right(store.add(right(verifyServerKeys(answer.body, { serverName: answer.serverName, now }))));
  }
  return store;
}

/** The kit's keys as a lookup. */
export const kitKeys: KeyLookup = kitKeyStore().lookup;

/** The target's keys, as a caller that knows them passes them (`targetKeys`). */
export const targetKeys: KeyLookup = (serverName, keyId) =>
  serverName === TARGET && keyId === targetKey.keyId ? { key: targetKey.publicKey } : undefined;

/** Runs the kit against `send` (target TARGET, invitee INVITEE, clock NOW) and returns the report. */
export async function runKit(
  send: RunConformanceOptions['send'],
  extra: Partial<RunConformanceOptions> = {},
): Promise<ConformanceReport> {
  return right(
    await runConformance({ targetServerName: TARGET, invitee: INVITEE, send, now: NOW, ...extra }),
  );
}
