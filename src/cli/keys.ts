/**
 * Key files for the command-line tool: Synapse signing key files (`ed25519 <version> <seed>` lines) and files of
 * verify keys, in any of the shapes people have at hand:
 *
 * - a map `{ "<server name>": { "<key ID>": "<base64 public key>" } }` (a value may also be `{ "key": "..." }`);
 * - a server key response (`GET /_matrix/key/v2/server`): `{ "server_name", "verify_keys", "old_verify_keys",
 *   "valid_until_ts" }`;
 * - a key query response (`POST /_matrix/key/v2/query`): `{ "server_keys": [<server key response>...] }`;
 * - an array of server key responses.
 *
 * The signatures on server key responses are not checked here: the file is trusted as given (`keys verify` checks
 * them). Keys from `old_verify_keys` are marked `expired` (valid for event signatures up to `expired_ts`, never for
 * requests).
 */
import * as E from 'fp-ts/lib/Either.js';
import { decodeVerifyKey, parseSigningKeyFile } from '../crypto/keys.js';
import type { KeyLookup, SigningKey, VerifyKeyEntry } from '../crypto/types.js';
import { getOwn, isJsonArray, isJsonObject, type JsonObject, type JsonValue } from '../json/value.js';
import { asText, type CliIo, type Failure, parseJsonInput, readFileArg, usageFailure } from './io.js';

/** Verify keys loaded from a file. */
export interface KeyStore {
  /** The lookup handed to the library. */
  readonly lookup: KeyLookup;
  /** Every known key, as `serverName -> keyId -> entry`. */
  readonly servers: ReadonlyMap<string, ReadonlyMap<string, VerifyKeyEntry>>;
}

function toNumber(value: JsonValue | undefined): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'bigint') return Number(value);
  return undefined;
}

type MutableStore = Map<string, Map<string, VerifyKeyEntry>>;

function addKey(
  store: MutableStore,
  serverName: string,
  keyId: string,
  value: JsonValue | undefined,
  validUntilTs: number | undefined,
  expired = false,
): E.Either<Failure, void> {
  const key = isJsonObject(value) ? getOwn(value, 'key') : value;
  if (typeof key !== 'string') {
    return E.left(usageFailure(`keys file: ${serverName} ${keyId} has no base64 key`));
  }
  const decoded = decodeVerifyKey(key);
  if (E.isLeft(decoded))
    return E.left(usageFailure(`keys file: ${serverName} ${keyId}: ${decoded.left.message}`));
  let server = store.get(serverName);
  if (server === undefined) {
    server = new Map();
    store.set(serverName, server);
  }
  server.set(keyId, {
    key,
    ...(validUntilTs === undefined ? {} : { validUntilTs }),
    ...(expired ? { expired: true } : {}),
  });
  return E.right(undefined);
}

function isServerKeyResponse(value: JsonValue): value is JsonObject {
  return (
    isJsonObject(value) &&
    typeof getOwn(value, 'server_name') === 'string' &&
    isJsonObject(getOwn(value, 'verify_keys'))
  );
}

function addServerKeyResponse(store: MutableStore, response: JsonObject): E.Either<Failure, void> {
  const serverName = getOwn(response, 'server_name') as string;
  const validUntil = toNumber(getOwn(response, 'valid_until_ts'));
  const verifyKeys = getOwn(response, 'verify_keys') as JsonObject;
  for (const keyId of Object.keys(verifyKeys)) {
    const added = addKey(store, serverName, keyId, getOwn(verifyKeys, keyId), validUntil);
    if (E.isLeft(added)) return added;
  }
  const old = getOwn(response, 'old_verify_keys');
  if (isJsonObject(old)) {
    for (const keyId of Object.keys(old)) {
      const entry = getOwn(old, keyId);
      const expired = isJsonObject(entry) ? toNumber(getOwn(entry, 'expired_ts')) : undefined;
      const added = addKey(store, serverName, keyId, entry, expired, true);
      if (E.isLeft(added)) return added;
    }
  }
  return E.right(undefined);
}

/** Reads verify keys from a parsed keys file (see the module documentation for the accepted shapes). */
export function parseVerifyKeys(value: JsonValue): E.Either<Failure, KeyStore> {
  const store: MutableStore = new Map();
  const responses: JsonValue[] = [];
  if (isJsonArray(value)) responses.push(...value);
  else if (isJsonObject(value) && isJsonArray(getOwn(value, 'server_keys'))) {
    responses.push(...(getOwn(value, 'server_keys') as readonly JsonValue[]));
  } else if (isServerKeyResponse(value)) responses.push(value);
  else if (isJsonObject(value)) {
    for (const serverName of Object.keys(value)) {
      const keys = getOwn(value, serverName);
      if (!isJsonObject(keys)) {
        return E.left(
          usageFailure(`keys file: ${JSON.stringify(serverName)} must map key IDs to base64 keys`),
        );
      }
      for (const keyId of Object.keys(keys)) {
        const added = addKey(store, serverName, keyId, getOwn(keys, keyId), undefined);
        if (E.isLeft(added)) return added;
      }
    }
  } else {
    return E.left(usageFailure('keys file must be a JSON object or array'));
  }
  for (const response of responses) {
    if (!isServerKeyResponse(response)) {
      return E.left(
        usageFailure('keys file: expected server key responses with server_name and verify_keys'),
      );
    }
    const added = addServerKeyResponse(store, response);
    if (E.isLeft(added)) return added;
  }
  return E.right({
    lookup: (serverName, keyId) => store.get(serverName)?.get(keyId),
    servers: store,
  });
}

/** Reads and parses a verify keys file. */
export async function loadVerifyKeys(io: CliIo, path: string): Promise<E.Either<Failure, KeyStore>> {
  const data = await readFileArg(io, path, 'keys file');
  if (E.isLeft(data)) return data;
  const parsed = parseJsonInput(data.right, 'keys file');
  if (E.isLeft(parsed)) return E.left(usageFailure(parsed.left.message));
  return parseVerifyKeys(parsed.right);
}

function sameKey(a: VerifyKeyEntry['key'], b: VerifyKeyEntry['key']): boolean {
  const x = decodeVerifyKey(a);
  const y = decodeVerifyKey(b);
  return E.isRight(x) && E.isRight(y) && x.right.every((byte, i) => byte === y.right[i]);
}

/**
 * Merges key stores (repeated `--keys`): every key of every file. The same key listed twice keeps the highest
 * validity given (as Synapse keeps the highest `valid_until_ts` it fetched); two different keys under the
 * same server and key ID are a usage error.
 */
export function mergeKeyStores(stores: readonly KeyStore[]): E.Either<Failure, KeyStore> {
  const merged: MutableStore = new Map();
  for (const store of stores) {
    for (const [serverName, keys] of store.servers) {
      let server = merged.get(serverName);
      if (server === undefined) {
        server = new Map();
        merged.set(serverName, server);
      }
      for (const [keyId, entry] of keys) {
        const known = server.get(keyId);
        if (known === undefined) {
          server.set(keyId, entry);
          continue;
        }
        if (!sameKey(known.key, entry.key)) {
          return E.left(usageFailure(`keys files disagree on the key of ${serverName} ${keyId}`));
        }
        const until = [known.validUntilTs, entry.validUntilTs].filter((t): t is number => t !== undefined);
        server.set(keyId, until.length === 0 ? known : { key: known.key, validUntilTs: Math.max(...until) });
      }
    }
  }
  return E.right({ lookup: (serverName, keyId) => merged.get(serverName)?.get(keyId), servers: merged });
}

/** Reads every keys file (repeated `--keys`) and merges them with {@link mergeKeyStores}. */
export async function loadVerifyKeyFiles(
  io: CliIo,
  paths: readonly string[],
): Promise<E.Either<Failure, KeyStore>> {
  const stores: KeyStore[] = [];
  for (const path of paths) {
    const store = await loadVerifyKeys(io, path);
    if (E.isLeft(store)) return store;
    stores.push(store.right);
  }
  return mergeKeyStores(stores);
}

/** A keys store that knows nothing (for commands run without `--keys`). */
export const NO_KEYS: KeyStore = { lookup: () => undefined, servers: new Map() };

/**
 * Reads a Synapse signing key file and picks the key `keyId` (`ed25519:<version>` or just the version), or the
 * first key of the file.
 */
export async function loadSigningKey(
  io: CliIo,
  path: string,
  keyId: string | undefined,
): Promise<E.Either<Failure, SigningKey>> {
  const data = await readFileArg(io, path, 'signing key file');
  if (E.isLeft(data)) return data;
  const keys = parseSigningKeyFile(asText(data.right));
  if (E.isLeft(keys))
    return E.left(usageFailure(`signing key file ${JSON.stringify(path)}: ${keys.left.message}`));
  const wanted = keyId === undefined ? undefined : keyId.includes(':') ? keyId : `ed25519:${keyId}`;
  const key = wanted === undefined ? keys.right[0] : keys.right.find((k) => k.keyId === wanted);
  if (key === undefined) {
    return E.left(
      usageFailure(`signing key file ${JSON.stringify(path)} has no key ${JSON.stringify(wanted)}`),
    );
  }
  return E.right(key);
}
