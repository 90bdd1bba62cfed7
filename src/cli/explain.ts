/**
 * `matrix-invite explain`: why an event does (not) verify. The command to reach for when two servers disagree: it
 * shows the exact bytes that are signed (the redacted event), every signature and its fate, the unknown key IDs,
 * the content hash, what redaction removed, and, for a signature that fails, under which other redaction (room
 * version) or over which other bytes (the unredacted event) it would verify.
 */
import * as E from 'fp-ts/lib/Either.js';
import { signingBytes, verifyJsonSignature } from '../crypto/json-signing.js';
import { ED25519 } from '../crypto/keys.js';
import { encodeBase64 } from '../encoding/base64.js';
import { formatJsonPath } from '../errors/base.js';
import { checkContentHash } from '../events/hashes.js';
import { validatePduShape } from '../events/pdu.js';
import {
  canonicalBytesForHashing,
  eventIdField,
  type PreparedEvent,
  prepareEvent,
} from '../events/prepared.js';
import { type ServerVerification, verifyEventSignatures } from '../events/verify.js';
import {
  getOwn,
  isJsonArray,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  omitKeys,
} from '../json/value.js';
import { getRoomVersion, KNOWN_ROOM_VERSION_IDS } from '../room-versions/versions.js';
import {
  defineCommand,
  EXIT_OK,
  EXIT_REJECTED,
  type Failure,
  printJson,
  readJsonInput,
  rejected,
  stringListOption,
  stringOption,
  usageFailure,
} from './io.js';
import { type KeyStore, loadVerifyKeyFiles } from './keys.js';

const text = new TextDecoder();

/** One signature on the event, as explained. */
interface SignatureExplanation {
  server_name: string;
  key_id: string;
  required: boolean;
  status: 'verified' | 'failed' | 'skipped';
  reason?: string;
  message?: string;
  /** For a failed signature: room versions whose redaction makes it verify. */
  verifies_as_room_versions?: string[];
  /** For a failed signature: true when it verifies over the unredacted event (the signer did not redact). */
  verifies_unredacted?: boolean;
}

/** Finds the event and the room version in an event, a v2 request body, a v2 response or a v1 response. */
function unwrap(
  input: JsonValue,
): E.Either<Failure, { event: JsonObject; roomVersion: string | undefined; shape: string }> {
  if (isJsonArray(input)) {
    const container = input[1];
    if (input.length === 2 && isJsonObject(container) && isJsonObject(getOwn(container, 'event'))) {
      return E.right({
        event: getOwn(container, 'event') as JsonObject,
        roomVersion: undefined,
        shape: 'v1 response',
      });
    }
    return E.left(rejected('input must be an event, a v2 invite body or an invite response'));
  }
  if (!isJsonObject(input)) return E.left(rejected('input must be a JSON object'));
  const inner = getOwn(input, 'event');
  if (isJsonObject(inner) && !Object.hasOwn(input, 'type')) {
    const roomVersion = getOwn(input, 'room_version');
    return E.right({
      event: inner,
      roomVersion: typeof roomVersion === 'string' ? roomVersion : undefined,
      shape: typeof roomVersion === 'string' ? 'v2 request body' : 'v2 response',
    });
  }
  return E.right({ event: input, roomVersion: undefined, shape: 'event' });
}

/** Top-level and `content` keys that redaction removed. */
function removedByRedaction(event: JsonObject, redacted: JsonObject): string[] {
  const removed: string[] = [];
  for (const key of Object.keys(event)) {
    if (key === 'signatures' || key === 'unsigned') continue;
    if (!Object.hasOwn(redacted, key)) removed.push(key);
  }
  const content = getOwn(event, 'content');
  const redactedContent = getOwn(redacted, 'content');
  if (isJsonObject(content) && isJsonObject(redactedContent)) {
    for (const key of Object.keys(content)) {
      if (!Object.hasOwn(redactedContent, key)) removed.push(formatJsonPath(['content', key]).slice(2));
    }
  }
  return removed;
}

/** For a failing signature: the room versions whose redaction makes it verify, and whether the unredacted event does. */
function diagnose(
  event: JsonObject,
  serverName: string,
  keyId: string,
  key: string | Uint8Array,
): Pick<SignatureExplanation, 'verifies_as_room_versions' | 'verifies_unredacted'> {
  const versions: string[] = [];
  for (const id of KNOWN_ROOM_VERSION_IDS) {
    const prepared = prepareEvent(event, id);
    if (E.isLeft(prepared)) continue;
    const ok = verifyJsonSignature(event, serverName, keyId, key, {
      signedBytes: prepared.right.signingBytes,
    });
    if (E.isRight(ok)) versions.push(id);
  }
  const unredacted = signingBytes(event);
  const verifiesUnredacted =
    E.isRight(unredacted) &&
    E.isRight(verifyJsonSignature(event, serverName, keyId, key, { signedBytes: unredacted.right }));
  return { verifies_as_room_versions: versions, verifies_unredacted: verifiesUnredacted };
}

function explainSignatures(
  event: JsonObject,
  prepared: PreparedEvent,
  required: readonly ServerVerification[],
  keys: KeyStore,
): SignatureExplanation[] {
  const out: SignatureExplanation[] = [];
  const signatures = getOwn(event, 'signatures');
  if (!isJsonObject(signatures)) return out;
  for (const serverName of Object.keys(signatures)) {
    const server = getOwn(signatures, serverName);
    if (!isJsonObject(server)) continue;
    const requiredServer = required.find((s) => s.serverName === serverName);
    for (const keyId of Object.keys(server)) {
      const known = requiredServer?.signatures.find((c) => c.keyId === keyId);
      let entry: SignatureExplanation;
      if (known !== undefined) {
        entry =
          known.status === 'verified'
            ? { server_name: serverName, key_id: keyId, required: true, status: 'verified' }
            : {
                server_name: serverName,
                key_id: keyId,
                required: true,
                status: known.status,
                reason: known.reason,
                message: known.message,
              };
      } else {
        // Not a required signer (e.g. the invitee's countersignature): checked the same way, for information.
        const key = keys.lookup(serverName, keyId);
        if (keyId.split(':')[0] !== ED25519) {
          entry = {
            server_name: serverName,
            key_id: keyId,
            required: false,
            status: 'skipped',
            reason: 'unknown_algorithm',
          };
        } else if (key === undefined) {
          entry = {
            server_name: serverName,
            key_id: keyId,
            required: false,
            status: 'skipped',
            reason: 'unknown_key',
          };
        } else {
          const ok = verifyJsonSignature(event, serverName, keyId, key.key, {
            signedBytes: prepared.signingBytes,
          });
          entry = E.isRight(ok)
            ? { server_name: serverName, key_id: keyId, required: false, status: 'verified' }
            : {
                server_name: serverName,
                key_id: keyId,
                required: false,
                status: 'failed',
                reason: ok.left.reason,
                message: ok.left.message,
              };
        }
      }
      const key = keys.lookup(serverName, keyId);
      if (entry.status === 'failed' && key !== undefined)
        Object.assign(entry, diagnose(event, serverName, keyId, key.key));
      out.push(entry);
    }
  }
  return out;
}

function describeSignature(s: SignatureExplanation, roomVersion: string): string {
  const who = `${s.server_name} ${s.key_id}${s.required ? ' (required)' : ''}`;
  if (s.status === 'verified') return `${who}: verified over signed_bytes`;
  if (s.status === 'skipped') {
    const why =
      s.reason === 'unknown_key'
        ? 'key unknown (add it to --keys)'
        : s.reason === 'key_expired'
          ? 'key expired before origin_server_ts'
          : (s.reason ?? 'skipped');
    return `${who}: not checked: ${why}`;
  }
  const hints: string[] = [];
  const others = (s.verifies_as_room_versions ?? []).filter((v) => v !== roomVersion);
  if (others.length > 0)
    hints.push(
      `it verifies when redacted as room version ${others.join(', ')}: the signer used another room version's redaction`,
    );
  if (s.verifies_unredacted === true)
    hints.push('it verifies over the unredacted event: the signer did not redact before signing');
  if (hints.length === 0 && s.reason === 'bad_signature') {
    hints.push(
      'the signer signed other bytes: a field kept by redaction was changed after signing, or its canonical JSON differs',
    );
  }
  return `${who}: FAILED (${s.message ?? s.reason ?? 'failed'})${hints.length > 0 ? `; ${hints.join('; ')}` : ''}`;
}

export const explainCommand = defineCommand({
  name: 'explain',
  summary: 'explain why an event does or does not verify (signed bytes, signatures, keys, hashes)',
  help: `Usage: matrix-invite explain [--room-version VERSION] [--keys KEYSFILE] [FILE]

Takes an event (or a v2 invite request body, a v2 response or a v1 [200, {"event"}] response) from
FILE or stdin and explains its verification, the way a receiving homeserver does it:
  - summary: what was found, in sentences, ending with the verdict;
  - redacted / signed_bytes: the redacted event and the exact canonical JSON bytes that signatures
    and the event ID cover (signatures and unsigned removed), with their SHA-256 (reference hash);
  - removed_by_redaction: the keys the room version's redaction dropped;
  - signatures: every signature on the event, whether its server is a required signer, and whether it
    verified, failed or was skipped (unknown key, unknown algorithm, expired key); a failed signature
    is re-checked under every other room version's redaction and over the unredacted event;
  - unknown_key_ids: the signatures whose keys KEYSFILE does not hold;
  - content_hash: received and recomputed hashes.sha256, over hashed_bytes;
  - pdu_shape: problems with the PDU format of the room version (incl. strict canonical JSON, 6+).

Options:
  --room-version VERSION   the room version (default: room_version of a v2 body; otherwise required)
  --keys KEYSFILE          verify keys, as for "matrix-invite verify" (repeatable; without it every key
                           is unknown)
  -h, --help               show this help

Exit codes: 0 the event verifies (required signatures, content hash, PDU shape), 1 it does not,
2 usage.
`,
  options: { 'room-version': { type: 'string' }, keys: { type: 'string', multiple: true } },
  run: async (args, io) => {
    const loaded = await loadVerifyKeyFiles(io, stringListOption(args, 'keys'));
    if (E.isLeft(loaded)) return loaded;
    const keys = loaded.right;
    const input = await readJsonInput(io, args.positionals[0]);
    if (E.isLeft(input)) return input;
    const unwrapped = unwrap(input.right);
    if (E.isLeft(unwrapped)) return unwrapped;
    const { event, shape } = unwrapped.right;
    const roomVersion = stringOption(args, 'room-version') ?? unwrapped.right.roomVersion;
    if (roomVersion === undefined) {
      return E.left(usageFailure('--room-version is required (the input does not name its room version)'));
    }
    const rules = getRoomVersion(roomVersion);
    if (E.isLeft(rules)) return E.left(rejected(rules.left.message));

    const summary: string[] = [`Input: ${shape}; room version ${roomVersion}.`];
    const problems: string[] = [];

    const pduShape = validatePduShape({ event, roomVersion });
    const pduIssues = E.isLeft(pduShape)
      ? pduShape.left.issues.map((i) => ({
          path: formatJsonPath(i.path),
          reason: i.reason,
          message: i.message,
        }))
      : [];
    if (pduIssues.length === 0) summary.push(`PDU shape: valid for room version ${roomVersion}.`);
    else {
      summary.push(
        `PDU shape: ${pduIssues.length} problem(s): ${pduIssues.map((i) => i.message).join('; ')}.`,
      );
      problems.push('the PDU shape is invalid');
    }

    const prepared = prepareEvent(event, rules.right);
    if (E.isLeft(prepared)) {
      summary.push(`Cannot redact the event, so nothing about it can verify: ${prepared.left.message}.`);
      summary.push('VERDICT: does not verify.');
      printJson(io, {
        verdict: 'invalid',
        summary,
        room_version: roomVersion,
        pdu_shape: { valid: false, issues: pduIssues },
      });
      return E.right(EXIT_REJECTED);
    }
    const p = prepared.right;
    const eventId = p.eventId();
    const id = E.isRight(eventId) ? eventId.right : eventIdField(event);
    const removed = removedByRedaction(event, p.redacted);
    const referenceHash = encodeBase64(p.referenceHash());
    summary.push(
      `Event ID: ${id ?? '(none)'}${E.isRight(eventId) ? ' (reference hash of the redacted event)' : ' (event_id field, room versions 1-2)'}.`,
    );
    summary.push(
      `Signed bytes: ${p.signingBytes.length} bytes of canonical JSON of the redacted event without signatures and unsigned (signed_bytes); redaction removed ${removed.length === 0 ? 'nothing' : removed.join(', ')}.`,
    );

    const verification = verifyEventSignatures({ event, roomVersion: rules.right, keys: keys.lookup });
    const report = E.isRight(verification) ? verification.right : verification.left.report;
    const required = report?.servers ?? [];
    const signatures = explainSignatures(event, p, required, keys);
    const unknown = signatures
      .filter((s) => s.reason === 'unknown_key')
      .map((s) => `${s.server_name} ${s.key_id}`);
    if (signatures.length === 0) summary.push('Signatures: none.');
    for (const s of signatures) summary.push(`Signature ${describeSignature(s, rules.right.id)}.`);
    for (const server of required) {
      if (!signatures.some((s) => s.server_name === server.serverName)) {
        summary.push(
          `Required signer ${server.serverName} (${server.requiredBecause.join(', ')}) has not signed.`,
        );
      }
    }
    if (report?.thirdPartyInviteExemption === true) {
      summary.push(
        "The sender's signature is not required (third-party invite); only the origin check protects it.",
      );
    }
    if (E.isLeft(verification)) problems.push(`signatures: ${verification.left.message}`);

    const contentHash = checkContentHash(event);
    const hashedBytes = canonicalBytesForHashing(omitKeys(event, ['unsigned', 'signatures', 'hashes']));
    let contentHashJson: Record<string, unknown>;
    if (E.isLeft(contentHash)) {
      summary.push(`Content hash: ${contentHash.left.message}.`);
      problems.push('the content hash is malformed');
      contentHashJson = { valid: false, error: contentHash.left.message };
    } else {
      const c = contentHash.right;
      summary.push(
        c.matches
          ? 'Content hash: hashes.sha256 matches the full event (hashed_bytes).'
          : `Content hash: hashes.sha256 is ${c.actual} but the full event hashes to ${c.expected}: the event was changed after it was hashed (Synapse countersigns the redacted copy; a strict receiver rejects it).`,
      );
      if (!c.matches) problems.push('the content hash does not match');
      contentHashJson = { matches: c.matches, received: c.actual, expected: c.expected };
    }
    if (E.isRight(hashedBytes)) contentHashJson.hashed_bytes = text.decode(hashedBytes.right);

    const verdict = problems.length === 0 ? 'verifies' : 'fails';
    summary.push(
      problems.length === 0 ? 'VERDICT: verifies.' : `VERDICT: does not verify: ${problems.join('; ')}.`,
    );
    printJson(io, {
      verdict,
      summary,
      room_version: rules.right.id,
      event_id: id,
      signed_bytes: text.decode(p.signingBytes),
      reference_hash_sha256: referenceHash,
      redacted: p.redacted,
      removed_by_redaction: removed,
      required_signers: required.map((s) => ({
        server_name: s.serverName,
        required_because: s.requiredBecause,
        verified: s.verified,
      })),
      signatures,
      unknown_key_ids: unknown,
      content_hash: contentHashJson,
      pdu_shape: { valid: pduIssues.length === 0, issues: pduIssues },
    });
    return E.right(problems.length === 0 ? EXIT_OK : EXIT_REJECTED);
  },
});
