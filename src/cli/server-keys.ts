/**
 * `matrix-invite keys verify` and `matrix-invite keys build`: check a key server answer
 * (`GET /_matrix/key/v2/server`, or a notary's `/_matrix/key/v2/query` with `--notary`), and build our own.
 */
import * as E from 'fp-ts/lib/Either.js';
import { parseSigningKeyFile } from '../crypto/keys.js';
import { formatJsonPath } from '../errors/base.js';
import { encodeCanonicalJson } from '../json/canonical.js';
import { getOwn, isJsonObject } from '../json/value.js';
import { buildServerKeys, type OldVerifyKey } from '../server-keys/build.js';
import { createServerKeyStore } from '../server-keys/store.js';
import type { ServerKeyAnswer, TrustedNotary } from '../server-keys/types.js';
import { verifyServerKeys } from '../server-keys/verify.js';
import {
  asText,
  type CliIo,
  type Command,
  defineCommand,
  EXIT_OK,
  EXIT_REJECTED,
  EXIT_USAGE,
  type Failure,
  type ParsedArgs,
  parseJsonInput,
  printJson,
  readFileArg,
  readInput,
  requiredOption,
  stringOption,
  usageFailure,
} from './io.js';
import { loadVerifyKeys } from './keys.js';

/** Synapse's default `key_refresh_interval` (`synapse/config/key.py`): a key answer is valid for a day. */
const DEFAULT_VALIDITY_MS = 24 * 60 * 60 * 1000;

/** A `--now`-style option: a non-negative integer of milliseconds, or the default. */
function timeOption(args: ParsedArgs, name: string, fallback: () => number): E.Either<Failure, number> {
  const raw = stringOption(args, name);
  if (raw === undefined) return E.right(fallback());
  const value = Number(raw);
  return /^\d+$/.test(raw) && Number.isSafeInteger(value)
    ? E.right(value)
    : E.left(usageFailure(`--${name} must be milliseconds since the epoch, got ${JSON.stringify(raw)}`));
}

/** The notaries of a `--notary` keys file: every server in it, with its current keys. */
async function loadNotaries(io: CliIo, path: string): Promise<E.Either<Failure, TrustedNotary[]>> {
  const store = await loadVerifyKeys(io, path);
  if (E.isLeft(store)) return store;
  const notaries: TrustedNotary[] = [];
  for (const [serverName, keys] of store.right.servers) {
    const verifyKeys: Record<string, string | Uint8Array> = {};
    for (const [keyId, entry] of keys) if (entry.expired !== true) verifyKeys[keyId] = entry.key;
    if (Object.keys(verifyKeys).length > 0) notaries.push({ serverName, verifyKeys });
  }
  return notaries.length > 0
    ? E.right(notaries)
    : E.left(usageFailure(`notary keys file ${JSON.stringify(path)} holds no current keys`));
}

function answerToJson(
  answer: ServerKeyAnswer,
  status: { usableUntilTs: number; refreshAt: number } | undefined,
): Record<string, unknown> {
  const verifyKeys: Record<string, string> = {};
  const oldVerifyKeys: Record<string, { key: string; expired_ts: number }> = {};
  for (const key of answer.keys) {
    if (key.old) oldVerifyKeys[key.keyId] = { key: key.key, expired_ts: key.validUntilTs };
    else verifyKeys[key.keyId] = key.key;
  }
  return {
    server_name: answer.serverName,
    valid_until_ts: answer.validUntilTs,
    usable_until_ts: status?.usableUntilTs,
    refresh_at: status?.refreshAt,
    signed_by: answer.signedBy,
    notary_signed_by:
      answer.notarySignatures.length === 0
        ? undefined
        : answer.notarySignatures.map((n) => ({ server_name: n.serverName, key_ids: n.keyIds })),
    verify_keys: verifyKeys,
    old_verify_keys: oldVerifyKeys,
    ignored_key_ids: answer.ignoredKeyIds.length === 0 ? undefined : answer.ignoredKeyIds,
  };
}

const verifySubcommand = defineCommand({
  name: 'keys verify',
  summary: 'verify a key server answer',
  help: `Usage: matrix-invite keys verify --server-name NAME[,NAME...] [--now MS] [--notary KEYSFILE] [--synapse] [FILE]

Verifies a key server answer in FILE (or stdin), as fetched: GET /_matrix/key/v2/server from NAME itself,
or, with --notary, a notary's answer to POST /_matrix/key/v2/query or GET /_matrix/key/v2/query/NAME.

Checked: server_name is NAME (for a notary answer: one of the NAMEs); valid_until_ts and every expired_ts
are integers; keys are ed25519:[a-zA-Z0-9_]+ with 32-byte unpadded base64 keys; every signature by a
key listed in verify_keys verifies and at least one does; with --notary, each entry is also signed by a
trusted notary key (and every such signature verifies).

Prints {"valid": true, "source", "fetched_at", "servers": [{"server_name", "valid_until_ts",
"usable_until_ts" (capped at fetched_at + 7 days, as the spec asks), "refresh_at" (half-way),
"signed_by", "verify_keys", "old_verify_keys", ...}]}; a refusal prints {"valid": false, "reason",
"message", "path"}.

Options:
  --server-name NAME       the server whose keys were asked for (comma-separated for a notary query)
  --now MS                 when the answer was fetched (default: now)
  --notary KEYSFILE        the answer came from a notary; KEYSFILE holds the trusted notaries' keys
                           (same shapes as --keys: {"notary.example": {"ed25519:k": "<base64>"}}, ...)
  --synapse                accept key IDs and base64 as Synapse does (any version, padding allowed)
  -h, --help               show this help

Exit codes: 0 verified, 1 refused, 2 usage.
`,
  options: {
    'server-name': { type: 'string' },
    now: { type: 'string' },
    notary: { type: 'string' },
    synapse: { type: 'boolean' },
  },
  run: async (args, io) => {
    const names = requiredOption(args, 'server-name');
    if (E.isLeft(names)) return names;
    const now = timeOption(args, 'now', Date.now);
    if (E.isLeft(now)) return now;
    const notaryFile = stringOption(args, 'notary');
    const notaries = notaryFile === undefined ? E.right(undefined) : await loadNotaries(io, notaryFile);
    if (E.isLeft(notaries)) return notaries;
    const input = await readInput(io, args.positionals[0]);
    if (E.isLeft(input)) return input;
    const serverNames = names.right.split(',').filter((name) => name !== '');
    const verified = verifyServerKeys(input.right, {
      serverName: serverNames.length === 1 ? (serverNames[0] as string) : serverNames,
      now: now.right,
      ...(notaries.right === undefined ? {} : { notaries: notaries.right }),
      ...(args.values.synapse === true ? { compatibility: 'synapse' as const } : {}),
    });
    if (E.isLeft(verified)) {
      const { reason, message, path } = verified.left;
      printJson(io, { valid: false, reason, message, path: formatJsonPath(path) });
      io.stderr(`matrix-invite keys verify: ${message}\n`);
      return E.right(EXIT_REJECTED);
    }
    const store = createServerKeyStore([verified.right]);
    const statuses = E.isRight(store) ? store.right.servers : [];
    printJson(io, {
      valid: true,
      source: verified.right.source,
      fetched_at: verified.right.fetchedAt,
      servers: verified.right.servers.map((answer) =>
        answerToJson(
          answer,
          statuses.find((s) => s.serverName === answer.serverName),
        ),
      ),
    });
    return E.right(EXIT_OK);
  },
});

/** Reads `--old-keys`: an `old_verify_keys` object, `{"ed25519:old": {"key": "...", "expired_ts": N}}`. */
async function loadOldKeys(io: CliIo, path: string): Promise<E.Either<Failure, OldVerifyKey[]>> {
  const data = await readFileArg(io, path, 'old keys file');
  if (E.isLeft(data)) return data;
  const parsed = parseJsonInput(data.right, 'old keys file');
  if (E.isLeft(parsed)) return E.left(usageFailure(parsed.left.message));
  const value = parsed.right;
  if (!isJsonObject(value)) {
    return E.left(
      usageFailure('old keys file must be {"ed25519:<version>": {"key": "...", "expired_ts": N}}'),
    );
  }
  const keys: OldVerifyKey[] = [];
  for (const keyId of Object.keys(value)) {
    const entry = getOwn(value, keyId);
    const key = isJsonObject(entry) ? getOwn(entry, 'key') : undefined;
    const expiredTs = isJsonObject(entry) ? getOwn(entry, 'expired_ts') : undefined;
    if (typeof key !== 'string' || typeof expiredTs !== 'number') {
      return E.left(usageFailure(`old keys file: ${keyId} needs "key" (base64) and "expired_ts" (ms)`));
    }
    keys.push({ keyId, key, expiredTs });
  }
  return E.right(keys);
}

const buildSubcommand = defineCommand({
  name: 'keys build',
  summary: 'build our signed key answer',
  help: `Usage: matrix-invite keys build --server-name NAME --key KEYFILE [--key-id K] [--valid-until MS]
                           [--now MS] [--old-keys FILE] [-n]

Builds the signed GET /_matrix/key/v2/server answer of NAME and prints its canonical JSON: the exact
bytes to serve. Every key of KEYFILE (a Synapse signing key file) is listed in verify_keys and signs
the answer, or only K with --key-id.

Options:
  --server-name NAME       our server name
  --key KEYFILE            our signing key file ("ed25519 <version> <seed>" lines)
  --key-id K               only this key of the file (ed25519:<version> or <version>)
  --valid-until MS         valid_until_ts (default: --now + 1 day, Synapse's key_refresh_interval)
  --now MS                 the current time for the default (default: now)
  --old-keys FILE          old_verify_keys: {"ed25519:<version>": {"key": "<base64>", "expired_ts": MS}}
  -n, --no-newline         no trailing newline (exactly the bytes to serve)
  -h, --help               show this help

Exit codes: 0 built, 2 usage (bad key file, bad option).
`,
  options: {
    'server-name': { type: 'string' },
    key: { type: 'string' },
    'key-id': { type: 'string' },
    'valid-until': { type: 'string' },
    now: { type: 'string' },
    'old-keys': { type: 'string' },
    'no-newline': { type: 'boolean', short: 'n' },
  },
  maxPositionals: 0,
  run: async (args, io) => {
    const serverName = requiredOption(args, 'server-name');
    if (E.isLeft(serverName)) return serverName;
    const keyFile = requiredOption(args, 'key');
    if (E.isLeft(keyFile)) return keyFile;
    const now = timeOption(args, 'now', Date.now);
    if (E.isLeft(now)) return now;
    const validUntil = timeOption(args, 'valid-until', () => now.right + DEFAULT_VALIDITY_MS);
    if (E.isLeft(validUntil)) return validUntil;
    const data = await readFileArg(io, keyFile.right, 'signing key file');
    if (E.isLeft(data)) return data;
    const keys = parseSigningKeyFile(asText(data.right));
    if (E.isLeft(keys)) return E.left(usageFailure(`signing key file: ${keys.left.message}`));
    const keyId = stringOption(args, 'key-id');
    const wanted = keyId === undefined ? undefined : keyId.includes(':') ? keyId : `ed25519:${keyId}`;
    const signingKeys = wanted === undefined ? keys.right : keys.right.filter((k) => k.keyId === wanted);
    if (signingKeys.length === 0) {
      return E.left(usageFailure(`signing key file has no key ${JSON.stringify(wanted)}`));
    }
    const oldKeysFile = stringOption(args, 'old-keys');
    const oldKeys = oldKeysFile === undefined ? E.right([]) : await loadOldKeys(io, oldKeysFile);
    if (E.isLeft(oldKeys)) return oldKeys;
    const built = buildServerKeys({
      serverName: serverName.right,
      signingKey: signingKeys,
      validUntilTs: validUntil.right,
      oldKeys: oldKeys.right,
    });
    if (E.isLeft(built)) return E.left(usageFailure(built.left.message));
    const text = encodeCanonicalJson(built.right.json);
    if (E.isLeft(text)) return E.left(usageFailure(text.left.message));
    io.stdout(args.values['no-newline'] === true ? text.right : `${text.right}\n`);
    return E.right(EXIT_OK);
  },
});

const KEYS_HELP = `Usage: matrix-invite keys verify --server-name NAME [--now MS] [--notary KEYSFILE] [FILE]
       matrix-invite keys build --server-name NAME --key KEYFILE [--valid-until MS] [--old-keys FILE]

  verify   verify a key server answer (GET /_matrix/key/v2/server, or a notary's with --notary)
  build    build our signed GET /_matrix/key/v2/server answer

Run "matrix-invite keys verify --help" or "matrix-invite keys build --help" for the options.

Exit codes: 0 verified or built, 1 the answer is refused, 2 usage.
`;

/** `matrix-invite keys verify|build`. */
export const keysCommand: Command = {
  name: 'keys',
  summary: 'verify a server key answer (keys verify) or build ours (keys build)',
  help: KEYS_HELP,
  run: async (args, io) => {
    const [sub, ...rest] = args;
    if (sub === 'verify') return verifySubcommand.run(rest, io);
    if (sub === 'build') return buildSubcommand.run(rest, io);
    if (sub === '--help' || sub === '-h') {
      io.stdout(KEYS_HELP);
      return EXIT_OK;
    }
    io.stderr(
      `matrix-invite keys: expected "verify" or "build"${sub === undefined ? '' : `, got ${JSON.stringify(sub)}`}\n${KEYS_HELP}`,
    );
    return EXIT_USAGE;
  },
};
