/**
 * The key store: verified key server answers merged into one {@link KeyLookup}, and the list of keys a check needs
 * that the store lacks (what to fetch next).
 *
 * Validity (spec `definitions/keys.yaml`, `valid_until_ts`, rendered under
 * https://spec.matrix.org/v1.19/server-server-api/#get_matrixkeyv2server): "Servers MUST use the lesser of this
 * field and 7 days into the future when determining if a key is valid." "The future" is the time the answer was
 * fetched, which only the store knows, so the cap lives here: a current key is usable until
 * `min(valid_until_ts, fetchedAt + 7 days)`. An old key (`old_verify_keys`) is usable until its `expired_ts` and is
 * marked `expired: true`, so that X-Matrix refuses it ("only valid for signing events",
 * https://spec.matrix.org/v1.19/server-server-api/#publishing-keys). Synapse's keyring stores `valid_until_ts`
 * without the cap (`synapse/crypto/keyring.py` `process_v2_response`); `maxValidityMs: null` does the same.
 *
 * Merging: for the same `(server, key ID)` the answer fetched last wins (Synapse's `get_server_keys_json` orders
 * by `ts_added_ms`); answers fetched at the same time keep the longer validity (Synapse's notary handling keeps the
 * largest `valid_until_ts`). Keys a newer answer does not mention are kept.
 *
 * The store is immutable: `add` returns a new store.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { KeyLookup, KeyRequest, VerifyKeyEntry } from '../crypto/types.js';
import { MAX_KEY_VALIDITY_MS } from '../events/verify.js';
import type { JsonObject, MutableJsonObject } from '../json/value.js';
import { setOwn } from '../json/value.js';
import { type ServerKeysError, serverKeysError } from './errors.js';
import type { ServerKeyStatus, StoredKey, VerifiedServerKeys } from './types.js';

/**
 * Options of {@link createServerKeyStore}.
 *
 * @category Server keys
 */
export interface ServerKeyStoreOptions {
  /**
   * The longest a current key is trusted after its answer was fetched, in ms: default 7 days (the spec's cap,
   * `MAX_KEY_VALIDITY_MS`); `null` trusts `valid_until_ts` as published (Synapse's keyring).
   */
  readonly maxValidityMs?: number | null;
}

/**
 * Verified keys of many servers, merged. Immutable.
 *
 * @category Server keys
 */
export interface ServerKeyStore {
  /**
   * The lookup for `receiveInvite`, `verifyEventSignatures`, `verifyRequest` and `verifyInviteResponse`: `{ key,
   * validUntilTs }` for a current key, `{ key, validUntilTs, expired: true }` for an old one, `undefined` for an
   * unknown key.
   */
  readonly lookup: KeyLookup;
  /** Every key held, by server then key ID (insertion order). */
  readonly keys: readonly StoredKey[];
  /** Each server's latest answer, with the time to fetch it again. */
  readonly servers: readonly ServerKeyStatus[];
  /** A new store with `answer` (from `verifyServerKeys`) merged in. */
  add(answer: VerifiedServerKeys): E.Either<ServerKeysError, ServerKeyStore>;
  /**
   * The requests this store cannot satisfy: the key is unknown, or (with `validAt`) usable only until before
   * `validAt`. Requests for the same key are merged (the latest `validAt` wins), in first-seen order. Fetch them
   * (`GET /_matrix/key/v2/server` from each server, or {@link buildKeyQueryRequest} for a notary), verify, add.
   */
  missing(requests: readonly KeyRequest[]): E.Either<ServerKeysError, readonly KeyRequest[]>;
}

/** Answers produced by `verifyServerKeys` (and only those can enter a store). */
const VERIFIED = new WeakSet<object>();

/** Marks an answer as produced by `verifyServerKeys`. */
export function markVerified(answer: VerifiedServerKeys): void {
  VERIFIED.add(answer);
}

function unreadable(what: string, error: unknown): ServerKeysError {
  return serverKeysError(
    'invalid_context',
    `cannot read the ${what}: ${error instanceof Error ? error.message : String(error)}`,
  );
}

type KeyMap = ReadonlyMap<string, ReadonlyMap<string, StoredKey>>;

interface State {
  readonly maxValidityMs: number | null;
  readonly keys: KeyMap;
  readonly servers: ReadonlyMap<string, ServerKeyStatus>;
}

/** `fetchedAt + maxValidity`, bounded to safe integers. */
function capOf(fetchedAt: number, maxValidityMs: number | null): number {
  return maxValidityMs === null
    ? Number.MAX_SAFE_INTEGER
    : Math.min(fetchedAt + maxValidityMs, Number.MAX_SAFE_INTEGER);
}

/** Whether `incoming` replaces `existing`: fetched later, or at the same time with at least the same validity. */
function replaces(
  existing: { fetchedAt: number; usableUntilTs: number },
  incoming: { fetchedAt: number; usableUntilTs: number },
): boolean {
  if (incoming.fetchedAt !== existing.fetchedAt) return incoming.fetchedAt > existing.fetchedAt;
  return incoming.usableUntilTs >= existing.usableUntilTs;
}

function merge(state: State, answer: Pick<VerifiedServerKeys, 'fetchedAt' | 'servers'>): State {
  const keys = new Map<string, Map<string, StoredKey>>();
  for (const [server, byId] of state.keys) keys.set(server, new Map(byId));
  const servers = new Map(state.servers);
  const { fetchedAt } = answer;
  const cap = capOf(fetchedAt, state.maxValidityMs);
  for (const entry of answer.servers) {
    const usableUntilTs = Math.min(entry.validUntilTs, cap);
    const half = Math.floor((usableUntilTs - fetchedAt) / 2);
    const status: ServerKeyStatus = Object.freeze({
      serverName: entry.serverName,
      fetchedAt,
      usableUntilTs,
      refreshAt: half > 0 ? fetchedAt + half : fetchedAt,
    });
    const previous = servers.get(entry.serverName);
    if (previous === undefined || replaces(previous, status)) servers.set(entry.serverName, status);
    let byId = keys.get(entry.serverName);
    if (byId === undefined) {
      byId = new Map();
      keys.set(entry.serverName, byId);
    }
    for (const key of entry.keys) {
      const stored: StoredKey = Object.freeze({
        ...key,
        usableUntilTs: key.old ? key.validUntilTs : Math.min(key.validUntilTs, cap),
        fetchedAt,
      });
      const existing = byId.get(key.keyId);
      if (existing === undefined || replaces(existing, stored)) byId.set(key.keyId, stored);
    }
  }
  return { maxValidityMs: state.maxValidityMs, keys, servers };
}

function lookupIn(keys: KeyMap): KeyLookup {
  const entries = new Map<StoredKey, VerifyKeyEntry>();
  return (serverName, keyId) => {
    if (typeof serverName !== 'string' || typeof keyId !== 'string') return undefined;
    const stored = keys.get(serverName)?.get(keyId);
    if (stored === undefined) return undefined;
    let entry = entries.get(stored);
    if (entry === undefined) {
      entry = Object.freeze(
        stored.old
          ? { key: stored.key, validUntilTs: stored.usableUntilTs, expired: true }
          : { key: stored.key, validUntilTs: stored.usableUntilTs },
      );
      entries.set(stored, entry);
    }
    return entry;
  };
}

function checkRequests(requests: unknown): E.Either<ServerKeysError, readonly KeyRequest[]> {
  if (!Array.isArray(requests)) {
    return E.left(serverKeysError('invalid_context', 'requests must be an array of KeyRequest'));
  }
  for (let i = 0; i < requests.length; i++) {
    const request: unknown = requests[i];
    if (typeof request !== 'object' || request === null) {
      return E.left(serverKeysError('invalid_context', `requests[${i}] is not an object`, [i]));
    }
    const { serverName, keyId, validAt } = request as Record<string, unknown>;
    if (typeof serverName !== 'string' || typeof keyId !== 'string') {
      return E.left(
        serverKeysError('invalid_context', `requests[${i}]: serverName and keyId must be strings`, [i]),
      );
    }
    if (validAt !== undefined && (typeof validAt !== 'number' || !Number.isFinite(validAt))) {
      return E.left(
        serverKeysError('invalid_context', `requests[${i}]: validAt must be a finite number`, [i, 'validAt']),
      );
    }
  }
  return E.right(requests as readonly KeyRequest[]);
}

/** Requests merged per `(server, key ID)`: the latest `validAt` wins (as Synapse merges key requests). */
function mergeRequests(requests: readonly KeyRequest[]): KeyRequest[] {
  const merged = new Map<string, Map<string, KeyRequest>>();
  const order: KeyRequest[] = [];
  for (const request of requests) {
    let byId = merged.get(request.serverName);
    if (byId === undefined) {
      byId = new Map();
      merged.set(request.serverName, byId);
    }
    const existing = byId.get(request.keyId);
    const next: KeyRequest =
      request.validAt === undefined
        ? { serverName: request.serverName, keyId: request.keyId }
        : { serverName: request.serverName, keyId: request.keyId, validAt: request.validAt };
    if (existing === undefined) {
      byId.set(request.keyId, next);
      order.push(next);
    } else if (
      request.validAt !== undefined &&
      (existing.validAt === undefined || request.validAt > existing.validAt)
    ) {
      const index = order.indexOf(existing);
      byId.set(request.keyId, next);
      order[index] = next;
    }
  }
  return order;
}

function storeOf(state: State): ServerKeyStore {
  const keys: StoredKey[] = [];
  for (const byId of state.keys.values()) keys.push(...byId.values());
  const store: ServerKeyStore = {
    lookup: lookupIn(state.keys),
    keys: Object.freeze(keys),
    servers: Object.freeze([...state.servers.values()]),
    add: (answer) => {
      if (typeof answer !== 'object' || answer === null || !VERIFIED.has(answer)) {
        return E.left(
          serverKeysError(
            'invalid_context',
            'only answers returned by verifyServerKeys can be added (re-verify cached JSON with it)',
          ),
        );
      }
      return E.right(storeOf(merge(state, answer)));
    },
    missing: (requests) => {
      try {
        const checked = checkRequests(requests);
        if (E.isLeft(checked)) return checked;
        const out = mergeRequests(checked.right).filter((request) => {
          const stored = state.keys.get(request.serverName)?.get(request.keyId);
          return (
            stored === undefined || (request.validAt !== undefined && stored.usableUntilTs < request.validAt)
          );
        });
        return E.right(Object.freeze(out.map((request) => Object.freeze(request))));
      } catch (error) {
        return E.left(unreadable('requests', error));
      }
    },
  };
  return Object.freeze(store);
}

/**
 * A key store holding `answers` (from `verifyServerKeys`), merged in order. Fails only on a caller mistake: an
 * answer not returned by `verifyServerKeys`, or a bad `maxValidityMs`.
 *
 * @example
 * const store = createServerKeyStore([verifiedFromInviter, verifiedFromNotary]);
 * // Right(store): store.lookup('inviter.example', 'ed25519:a1') -> { key, validUntilTs }
 *
 * @category Server keys
 */
export function createServerKeyStore(
  answers: readonly VerifiedServerKeys[] = [],
  options: ServerKeyStoreOptions = {},
): E.Either<ServerKeysError, ServerKeyStore> {
  try {
    if (typeof options !== 'object' || options === null) {
      return E.left(serverKeysError('invalid_context', 'options must be an object'));
    }
    const max = options.maxValidityMs;
    if (max !== undefined && max !== null && (typeof max !== 'number' || !Number.isFinite(max) || max < 0)) {
      return E.left(
        serverKeysError('invalid_context', 'maxValidityMs must be null or a non-negative number', [
          'maxValidityMs',
        ]),
      );
    }
    if (!Array.isArray(answers)) {
      return E.left(serverKeysError('invalid_context', 'answers must be an array of verified answers'));
    }
    let store = storeOf({
      maxValidityMs: max === undefined ? MAX_KEY_VALIDITY_MS : max,
      keys: new Map(),
      servers: new Map(),
    });
    for (const answer of answers) {
      const next = store.add(answer);
      if (E.isLeft(next)) return next;
      store = next.right;
    }
    return E.right(store);
  } catch (error) {
    return E.left(unreadable('arguments', error));
  }
}

/** A lookup over one verified answer with the default rules (used by `verifyServerKeys`). */
export function lookupOfAnswer(answer: Pick<VerifiedServerKeys, 'fetchedAt' | 'servers'>): KeyLookup {
  return lookupIn(
    merge({ maxValidityMs: MAX_KEY_VALIDITY_MS, keys: new Map(), servers: new Map() }, answer).keys,
  );
}

/**
 * The body of `POST /_matrix/key/v2/query` asking a notary for `requests` (typically `store.missing(...)`):
 * `{"server_keys": {server: {keyId: {"minimum_valid_until_ts": validAt}}}}`, the criteria empty when a request has
 * no `validAt` (https://spec.matrix.org/v1.19/server-server-api/#post_matrixkeyv2query).
 */
export function buildKeyQueryRequest(requests: readonly KeyRequest[]): E.Either<ServerKeysError, JsonObject> {
  try {
    const checked = checkRequests(requests);
    if (E.isLeft(checked)) return checked;
    const servers: MutableJsonObject = {};
    for (const request of mergeRequests(checked.right)) {
      const existing = Object.hasOwn(servers, request.serverName) ? servers[request.serverName] : undefined;
      const byId: MutableJsonObject = existing === undefined ? {} : (existing as MutableJsonObject);
      setOwn(
        byId,
        request.keyId,
        request.validAt === undefined ? {} : { minimum_valid_until_ts: Math.ceil(request.validAt) },
      );
      setOwn(servers, request.serverName, byId);
    }
    return E.right({ server_keys: servers });
  } catch (error) {
    return E.left(unreadable('requests', error));
  }
}
