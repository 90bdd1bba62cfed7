/**
 * Verifying key server answers (spec server-server API "Retrieving server keys",
 * https://spec.matrix.org/v1.19/server-server-api/#retrieving-server-keys; `definitions/keys.yaml`): the answer of
 * `GET /_matrix/key/v2/server`, and the notary answers of `POST /_matrix/key/v2/query` and
 * `GET /_matrix/key/v2/query/{serverName}`.
 *
 * For each server answer (the whole body, or each `server_keys` entry of a notary answer):
 * 1. shape: `server_name` a string equal to the server asked for; `valid_until_ts` an integer; `verify_keys` an
 *    object of `{ "key": <unpadded base64 of 32 bytes> }`; `old_verify_keys`, when present, an object of
 *    `{ "key", "expired_ts": <integer> }`; `ed25519` key IDs `ed25519:[a-zA-Z0-9_]+` (other algorithms skipped,
 *    as Synapse's `is_signing_algorithm_supported` does);
 * 2. self-signature: every signature under `signatures[server_name]` by a key listed in `verify_keys` must verify,
 *    and at least one must. Synapse's `process_v2_response` checks the first such signature only,
 *    gomatrixserverlib's `CheckKeys` requires a signature by every listed key; this is the library's usual rule
 *    (as `verifyJsonSignatures`), between the two;
 * 3. notary answers only: a signature by a trusted notary key, and every signature by a trusted notary key must
 *    verify (Synapse `PerspectivesKeyFetcher._validate_perspectives_response`).
 *
 * Any failure refuses the whole body (gomatrixserverlib refuses a notary answer with one bad entry; Synapse skips
 * the entry: to do that, verify `{"server_keys": [entry]}` one entry at a time). Never throws.
 */
import * as E from 'fp-ts/lib/Either.js';
import { type SignatureError, signingBytesView, verifyServerSignatures } from '../crypto/json-signing.js';
import { decodeVerifyKey } from '../crypto/keys.js';
import type { KeyLookup, VerifyKeyEntry } from '../crypto/types.js';
import { decodeBase64, encodeBase64 } from '../encoding/base64.js';
import { isUint8Array } from '../encoding/bytes.js';
import type { JsonPath } from '../errors/base.js';

import { parseKeyId } from '../identifiers/key-id.js';
import { jsonValueProblem } from '../json/check-value.js';

import { parseJson } from '../json/parse.js';
import { getOwn, isJsonArray, isJsonObject, type JsonObject, type JsonValue } from '../json/value.js';
import { type ServerKeysError, serverKeysError } from './errors.js';
import { lookupOfAnswer, markVerified } from './store.js';
import type {
  ServerKeyAnswer,
  TrustedNotary,
  VerifiedKey,
  VerifiedServerKeys,
  VerifyServerKeysOptions,
} from './types.js';

/** The largest timestamp accepted: int64, as the spec types `valid_until_ts` and `expired_ts`. */
const MAX_TIMESTAMP = (1n << 63n) - 1n;

type Result<T> = E.Either<ServerKeysError, T>;

const fail = (
  reason: ServerKeysError['reason'],
  message: string,
  path: JsonPath = [],
  serverName?: string,
): Result<never> =>
  E.left(serverKeysError(reason, message, path, serverName === undefined ? {} : { serverName }));

interface Checked {
  readonly expected: ReadonlySet<string>;
  readonly now: number;
  readonly notaries: readonly { readonly serverName: string; readonly lookup: KeyLookup }[] | undefined;
  readonly synapse: boolean;
  readonly backend: VerifyServerKeysOptions['backend'];
}

function checkNotaries(raw: unknown): Result<Checked['notaries']> {
  if (raw === undefined) return E.right(undefined);
  if (!Array.isArray(raw) || raw.length === 0) {
    return fail('invalid_context', 'notaries must be a non-empty array of { serverName, verifyKeys }', [
      'notaries',
    ]);
  }
  const out: { serverName: string; lookup: KeyLookup }[] = [];
  for (let i = 0; i < raw.length; i++) {
    const notary = raw[i] as TrustedNotary | null;
    const path = ['notaries', i];
    if (typeof notary !== 'object' || notary === null) {
      return fail('invalid_context', `notaries[${i}] must be an object`, path);
    }
    const { serverName, verifyKeys } = notary;
    if (typeof serverName !== 'string' || serverName.length === 0) {
      return fail('invalid_context', `notaries[${i}].serverName must be a non-empty string`, [
        ...path,
        'serverName',
      ]);
    }
    if (typeof verifyKeys !== 'object' || verifyKeys === null || Object.keys(verifyKeys).length === 0) {
      return fail('invalid_context', `notaries[${i}].verifyKeys must map key IDs to public keys`, [
        ...path,
        'verifyKeys',
      ]);
    }
    const keys = new Map<string, VerifyKeyEntry>();
    for (const keyId of Object.keys(verifyKeys)) {
      const key = verifyKeys[keyId];
      if (key === undefined || E.isLeft(decodeVerifyKey(key))) {
        return fail(
          'invalid_context',
          `notaries[${i}].verifyKeys[${JSON.stringify(keyId)}] is not a 32-byte key`,
          [...path, 'verifyKeys', keyId],
        );
      }
      keys.set(keyId, { key });
    }
    out.push({
      serverName,
      lookup: (server, keyId) => (server === serverName ? keys.get(keyId) : undefined),
    });
  }
  return E.right(out);
}

function checkOptions(raw: unknown): Result<Checked> {
  if (typeof raw !== 'object' || raw === null) {
    return fail('invalid_context', 'options must be an object with serverName and now');
  }
  const options = raw as VerifyServerKeysOptions;
  const names: readonly unknown[] = Array.isArray(options.serverName)
    ? options.serverName
    : [options.serverName];
  if (names.length === 0 || names.some((name) => typeof name !== 'string' || name.length === 0)) {
    return fail('invalid_context', 'serverName must be a non-empty string (or an array of them)', [
      'serverName',
    ]);
  }
  const now = options.now;
  if (typeof now !== 'number' || !Number.isFinite(now) || now < 0) {
    return fail('invalid_context', 'now must be the time of the fetch in ms since the epoch', ['now']);
  }
  const compatibility = options.compatibility ?? 'spec';
  if (compatibility !== 'spec' && compatibility !== 'synapse') {
    return fail('invalid_context', "compatibility must be 'spec' or 'synapse'", ['compatibility']);
  }
  const notaries = checkNotaries(options.notaries);
  if (E.isLeft(notaries)) return notaries;
  return E.right({
    expected: new Set(names as readonly string[]),
    now: Math.floor(now),
    notaries: notaries.right,
    synapse: compatibility === 'synapse',
    backend: options.backend,
  });
}

/**
 * The body as a JSON value: bytes and text are parsed losslessly, anything else must be a parsed JSON value. A
 * value no JSON parser gives (a function, `undefined`, `NaN`, a `Map`, a getter that throws) is the caller's
 * mistake, never the key server's: `invalid_context`, found before anything is read from it.
 */
function bodyValue(body: unknown): Result<JsonValue> {
  if (typeof body !== 'string' && !isUint8Array(body)) {
    const problem = jsonValueProblem(body);
    return problem === undefined
      ? E.right(body as JsonValue)
      : fail(
          'invalid_context',
          `the answer must be the raw bytes (Uint8Array), the text or a parsed JSON value: ${problem.replace(/^\$/, 'answer')}`,
        );
  }
  const parsed = parseJson(body);
  return E.isLeft(parsed)
    ? E.left(
        serverKeysError(
          'invalid_json',
          `the answer is not valid JSON: ${parsed.left.message}`,
          parsed.left.path,
          {
            cause: parsed.left,
          },
        ),
      )
    : parsed;
}

/** An integer timestamp in 0..2^63-1, as a number (clamped to the safe range). */
function timestampOf(value: JsonValue | undefined): number | undefined {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  }
  if (typeof value === 'bigint') {
    if (value < 0n || value > MAX_TIMESTAMP) return undefined;
    return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
  }
  return undefined;
}

/** `ed25519` key IDs are used; `undefined` means skip (another algorithm); a string is why the ID is refused. */
function keyIdVerdict(keyId: string, synapse: boolean): 'use' | 'skip' | string {
  if (synapse) return keyId.startsWith('ed25519:') ? 'use' : 'skip';
  const parsed = parseKeyId(keyId, { strict: true });
  if (E.isRight(parsed)) return 'use';
  return parsed.left.reason === 'unknown_algorithm' ? 'skip' : parsed.left.message;
}

/** Decodes a published key: canonical unpadded base64 (spec), or python-unpaddedbase64's reading (synapse). */
function publishedKey(entry: JsonValue | undefined, synapse: boolean, path: JsonPath): Result<string> {
  const key = isJsonObject(entry) ? getOwn(entry, 'key') : undefined;
  if (typeof key !== 'string') return fail('invalid_key', 'a key entry needs "key": <unpadded base64>', path);
  const decoded = decodeBase64(key, { mode: synapse ? 'synapse' : 'strict' });
  if (E.isLeft(decoded)) {
    return fail('invalid_key', `the key is not unpadded base64: ${decoded.left.message}`, [...path, 'key']);
  }
  if (decoded.right.length !== 32) {
    return fail('invalid_key', `an ed25519 key is 32 bytes, got ${decoded.right.length}`, [...path, 'key']);
  }
  return E.right(encodeBase64(decoded.right));
}

interface Keys {
  readonly current: Map<string, string>;
  readonly old: Map<string, { key: string; expiredTs: number }>;
  readonly ignored: string[];
}

function readKeys(obj: JsonObject, checked: Checked, path: JsonPath, serverName: string): Result<Keys> {
  const keys: Keys = { current: new Map(), old: new Map(), ignored: [] };
  for (const field of ['verify_keys', 'old_verify_keys'] as const) {
    const isOld = field === 'old_verify_keys';
    const group = getOwn(obj, field);
    const reason = isOld ? 'invalid_old_verify_keys' : 'invalid_verify_keys';
    if (group === undefined && isOld) continue;
    if (!isJsonObject(group)) return fail(reason, `${field} must be an object`, [...path, field], serverName);
    for (const keyId of Object.keys(group)) {
      const at = [...path, field, keyId];
      const verdict = keyIdVerdict(keyId, checked.synapse);
      if (verdict === 'skip') {
        if (!keys.ignored.includes(keyId)) keys.ignored.push(keyId);
        continue;
      }
      if (verdict !== 'use')
        return fail('invalid_key_id', `key ID ${JSON.stringify(keyId)}: ${verdict}`, at, serverName);
      const entry = getOwn(group, keyId);
      if (!isJsonObject(entry))
        return fail(reason, `${field}[${JSON.stringify(keyId)}] must be an object`, at, serverName);
      const key = publishedKey(entry, checked.synapse, at);
      if (E.isLeft(key)) return fail(key.left.reason, key.left.message, key.left.path, serverName);
      if (!isOld) {
        keys.current.set(keyId, key.right);
        continue;
      }
      const expiredTs = timestampOf(getOwn(entry, 'expired_ts'));
      if (expiredTs === undefined) {
        return fail(
          'invalid_expired_ts',
          'expired_ts must be an integer timestamp (ms)',
          [...at, 'expired_ts'],
          serverName,
        );
      }
      keys.old.set(keyId, { key: key.right, expiredTs });
    }
  }
  return E.right(keys);
}

/** Maps a self-signature failure to a reason. */
function selfSignatureError(error: SignatureError, path: JsonPath, serverName: string): ServerKeysError {
  const at = [...path, ...(error.reason === 'missing_signatures' ? ['signatures'] : error.path)];
  switch (error.reason) {
    case 'missing_signatures':
    case 'signatures_not_object':
    case 'server_signatures_not_object':
      return serverKeysError('invalid_signatures', `signatures: ${error.message}`, at, { serverName });
    case 'missing_server':
    case 'no_supported_signatures':
    case 'no_known_keys':
    case 'invalid_key_id':
      return serverKeysError(
        'not_self_signed',
        `the answer is not signed by ${serverName} with a key it lists in verify_keys (${error.message})`,
        at,
        { serverName },
      );
    default:
      return serverKeysError('bad_signature', `self-signature: ${error.message}`, at, { serverName });
  }
}

function checkNotarySignatures(
  obj: JsonObject,
  bytes: Uint8Array,
  checked: Checked,
  path: JsonPath,
  serverName: string,
): Result<ServerKeyAnswer['notarySignatures']> {
  const signed: { serverName: string; keyIds: readonly string[] }[] = [];
  for (const notary of checked.notaries ?? []) {
    const result = verifyServerSignatures(obj, notary.serverName, notary.lookup, {
      signedBytes: bytes,
      ...(checked.backend === undefined ? {} : { backend: checked.backend }),
    });
    if (E.isRight(result)) {
      signed.push(Object.freeze({ serverName: notary.serverName, keyIds: Object.freeze(result.right) }));
      continue;
    }
    const at = [...path, ...result.left.path];
    switch (result.left.reason) {
      case 'missing_server':
      case 'no_supported_signatures':
      case 'no_known_keys':
      case 'invalid_key_id':
        continue;
      case 'server_signatures_not_object':
        return fail('invalid_signatures', `signatures: ${result.left.message}`, at, serverName);
      default:
        return fail(
          'bad_notary_signature',
          `notary ${notary.serverName}: ${result.left.message}`,
          at,
          serverName,
        );
    }
  }
  if (signed.length === 0) {
    return fail(
      'notary_signature_missing',
      `no signature by a trusted notary (${(checked.notaries ?? []).map((n) => n.serverName).join(', ')})`,
      [...path, 'signatures'],
      serverName,
    );
  }
  return E.right(Object.freeze(signed));
}

function verifyAnswer(
  value: JsonValue | undefined,
  checked: Checked,
  path: JsonPath,
): Result<ServerKeyAnswer> {
  if (!isJsonObject(value)) return fail('not_object', 'a server keys answer must be a JSON object', path);
  const serverName = getOwn(value, 'server_name');
  if (typeof serverName !== 'string') {
    return fail('invalid_server_name', 'server_name must be a string', [...path, 'server_name']);
  }
  if (!checked.expected.has(serverName)) {
    return fail(
      'server_name_mismatch',
      `the answer is for ${JSON.stringify(serverName)}, not ${[...checked.expected].map((n) => JSON.stringify(n)).join(' or ')}`,
      [...path, 'server_name'],
      serverName,
    );
  }
  const validUntilTs = timestampOf(getOwn(value, 'valid_until_ts'));
  if (validUntilTs === undefined) {
    return fail(
      'invalid_valid_until_ts',
      'valid_until_ts must be an integer timestamp (ms)',
      [...path, 'valid_until_ts'],
      serverName,
    );
  }
  const keys = readKeys(value, checked, path, serverName);
  if (E.isLeft(keys)) return keys;
  const bytes = signingBytesView(value);
  if (E.isLeft(bytes)) {
    return fail(
      'invalid_json',
      `the answer has no canonical JSON form: ${bytes.left.message}`,
      [...path, ...bytes.left.path],
      serverName,
    );
  }
  const current = keys.right.current;
  const self = verifyServerSignatures(
    value,
    serverName,
    (server, keyId) => {
      const key = server === serverName ? current.get(keyId) : undefined;
      return key === undefined ? undefined : { key };
    },
    { signedBytes: bytes.right, ...(checked.backend === undefined ? {} : { backend: checked.backend }) },
  );
  if (E.isLeft(self)) return E.left(selfSignatureError(self.left, path, serverName));
  let notarySignatures: ServerKeyAnswer['notarySignatures'] = Object.freeze([]);
  if (checked.notaries !== undefined) {
    const notary = checkNotarySignatures(value, bytes.right, checked, path, serverName);
    if (E.isLeft(notary)) return notary;
    notarySignatures = notary.right;
  }
  const verified: VerifiedKey[] = [];
  for (const [keyId, key] of current) {
    // Synapse: an ID in both lists ends up old (old_verify_keys are read last in process_v2_response).
    if (!keys.right.old.has(keyId)) {
      verified.push(Object.freeze({ serverName, keyId, key, old: false, validUntilTs }));
    }
  }
  for (const [keyId, { key, expiredTs }] of keys.right.old) {
    verified.push(Object.freeze({ serverName, keyId, key, old: true, validUntilTs: expiredTs }));
  }
  return E.right(
    Object.freeze({
      serverName,
      validUntilTs,
      keys: Object.freeze(verified),
      signedBy: Object.freeze([...self.right]),
      notarySignatures,
      ignoredKeyIds: Object.freeze(keys.right.ignored),
      json: value,
      path,
    }),
  );
}

function verify(body: unknown, rawOptions: unknown): Result<VerifiedServerKeys> {
  const checked = checkOptions(rawOptions);
  if (E.isLeft(checked)) return checked;
  const value = bodyValue(body);
  if (E.isLeft(value)) return value;
  const answers: ServerKeyAnswer[] = [];
  if (checked.right.notaries === undefined) {
    const answer = verifyAnswer(value.right, checked.right, []);
    if (E.isLeft(answer)) return answer;
    answers.push(answer.right);
  } else {
    if (!isJsonObject(value.right)) return fail('not_object', 'a notary answer must be a JSON object');
    const entries = getOwn(value.right, 'server_keys');
    if (!isJsonArray(entries)) {
      return fail('invalid_server_keys', 'a notary answer needs a "server_keys" array', ['server_keys']);
    }
    for (let i = 0; i < entries.length; i++) {
      const answer = verifyAnswer(entries[i], checked.right, ['server_keys', i]);
      if (E.isLeft(answer)) return answer;
      answers.push(answer.right);
    }
  }
  const partial = {
    source: checked.right.notaries === undefined ? ('server' as const) : ('query' as const),
    fetchedAt: checked.right.now,
    servers: Object.freeze(answers),
  };
  const result: VerifiedServerKeys = Object.freeze({ ...partial, lookup: lookupOfAnswer(partial) });
  markVerified(result);
  return E.right(result);
}

/**
 * Verifies a key server answer: `GET /_matrix/key/v2/server` from the server itself, or (with `notaries`) a notary
 * answer to `POST /_matrix/key/v2/query` or `GET /_matrix/key/v2/query/{serverName}`. `responseBody` is the raw
 * body (bytes or text, parsed losslessly, as Synapse would) or an already parsed JSON value. Never throws.
 *
 * The result's `lookup` plugs into `receiveInvite`, `verifyEventSignatures`, `verifyRequest` and
 * `verifyInviteResponse`; `createServerKeyStore` merges several answers.
 *
 * @example
 * const verified = verifyServerKeys(body, { serverName: 'inviter.example', now: Date.now() });
 * // Right({ source: 'server', servers: [{ serverName: 'inviter.example', keys: [...], signedBy: ['ed25519:a1'] }], lookup })
 * // Left({ reason: 'server_name_mismatch', path: ['server_name'] })
 *
 * @category Server keys
 */
export function verifyServerKeys(
  responseBody: Uint8Array | string | JsonValue,
  options: VerifyServerKeysOptions,
): E.Either<ServerKeysError, VerifiedServerKeys> {
  try {
    return verify(responseBody, options);
  } catch (error) {
    // Only a caller-built value (a getter that throws, a proxy) can make the checks above throw.
    return fail(
      'invalid_context',
      `cannot read the answer or the options: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
