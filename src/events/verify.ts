/**
 * Verifying the signatures (and content hash) of a received event (spec server-server API "Validating hashes and
 * signatures on received events"; Synapse `_check_sigs_on_pdu` and
 * `Keyring.process_request`).
 *
 * Required signers (7.5):
 * - the sender's server (text after the first `:` of `sender`), except for an `m.room.member` invite whose content
 *   has a `third_party_invite` key (the exemption is reported; the invite layer must still require the sender's
 *   domain to equal the X-Matrix origin, or anyone could relay a signed 3PID invite);
 * - rooms 1-2: also the server of `event_id`, when different;
 * - rooms 8+: a join whose content carries `join_authorised_via_users_server`: that user's server too.
 *
 * Per required server (7.2, 7.7): every signature under an `ed25519:` key ID whose key the lookup knows must
 * verify, and at least one must. Unknown algorithms, malformed key IDs, `ed25519:policy_server`, keys the lookup
 * does not know and (rooms 5+) keys that expired before `origin_server_ts` are skipped, never failed.
 *
 * The content hash is compared after the signatures pass and reported, not enforced: Synapse redacts a mismatching
 * event, a strict /invite rejects it. A malformed `hashes` is an error (Synapse: 400).
 */
import * as E from 'fp-ts/lib/Either.js';
import { ed25519OptionsOf } from '../crypto/backends.js';
import { type Ed25519Options, verifyEd25519With } from '../crypto/ed25519.js';
import { lookUpVerifyKey } from '../crypto/key-lookup.js';
import { isKeyValidAt, keyValidUntil } from '../crypto/key-validity.js';
import { decodeVerifyKey } from '../crypto/keys.js';
import type { Ed25519BackendName, Ed25519Verifier, KeyLookup } from '../crypto/types.js';
import { decodeBase64 } from '../encoding/base64.js';
import type { JsonPath, LibraryError } from '../errors/base.js';
import { describeValue, errorText } from '../errors/describe.js';
import {
  BACKEND_NAMES,
  BASE64_MODES,
  booleanProblem,
  CONTENT_HASH_DIALECTS,
  enumProblem,
  finiteNumberProblem,
  functionProblem,
} from '../errors/options.js';
import type { CanonicalMembers } from '../json/canonical.js';
import { getOwn, isJsonObject, type JsonObject, type JsonObjectInput } from '../json/value.js';
import type { RoomVersionInput } from '../room-versions/rules.js';
import type { EventError, EventErrorReason } from './errors.js';
import {
  type CheckContentHashInternalOptions,
  type CheckContentHashOptions,
  type ContentHashCheck,
  checkContentHashWith,
  encodeContentHashInput,
} from './hashes.js';
import { type PreparedEvent, prepareEvent } from './prepared.js';

/** The key ID a policy server (MSC4284) signs with; never one of the origin's keys (spec v1.18+). */
export const POLICY_SERVER_KEY_ID = 'ed25519:policy_server';

export { MAX_KEY_VALIDITY_MS } from '../crypto/key-validity.js';

/** Why a required server must sign. */
export type RequiredSignerReason = 'sender' | 'event_id_domain' | 'restricted_join_authoriser';

/** Why a signature was not checked. None of these fail verification on their own. */
export type SignatureSkipReason =
  /** The key ID's algorithm is not `ed25519`. */
  | 'unknown_algorithm'
  /** The key ID has no `:` (or an empty algorithm or version). */
  | 'malformed_key_id'
  /** `ed25519:policy_server`: a policy server's signature, not the origin's. */
  | 'policy_server_key'
  /** The key lookup does not know this key (or threw). */
  | 'unknown_key'
  /**
   * Rooms 5+: the key's validity (its `validUntilTs`, none meaning no limit, capped at `now + 7 days` when `now` is
   * given) ends before the event's `origin_server_ts`.
   */
  | 'key_expired';

/** Why a checked signature failed. Any of these fails the server's verification. */
export type SignatureFailureReason =
  /** The signature value is not a string. */
  | 'not_a_string'
  /** The signature is not base64 (in the chosen decoding mode). */
  | 'invalid_base64'
  /** The key returned by the lookup is not a 32-byte ed25519 key. */
  | 'invalid_verify_key'
  /** The signature does not verify (wrong length, wrong key, modified event...). */
  | 'bad_signature';

/**
 * The outcome for one signature, located by its JSON path (`['signatures', server, keyId]`).
 *
 * @category Receiving
 */
export type SignatureCheck =
  | {
      /** The signature verified against the redacted event. */
      readonly status: 'verified';
      /** The server whose signature this is. */
      readonly serverName: string;
      /** The key ID as listed under the server in `signatures`, e.g. `ed25519:a_AbCd`. */
      readonly keyId: string;
      /** Where the signature is: `['signatures', serverName, keyId]`. */
      readonly path: JsonPath;
    }
  | {
      /** The signature was checked and failed: the server's verification fails. */
      readonly status: 'failed';
      /** The server whose signature this is. */
      readonly serverName: string;
      /** The key ID as listed under the server in `signatures`, e.g. `ed25519:a_AbCd`. */
      readonly keyId: string;
      /** Where the signature is: `['signatures', serverName, keyId]`. */
      readonly path: JsonPath;
      /** Why the signature failed. */
      readonly reason: SignatureFailureReason;
      /** A human explanation of the failure. */
      readonly message: string;
    }
  | {
      /** The signature was not checked (see `reason`); this does not fail the server on its own. */
      readonly status: 'skipped';
      /** The server whose signature this is. */
      readonly serverName: string;
      /** The key ID as listed under the server in `signatures`, e.g. `ed25519:a_AbCd`. */
      readonly keyId: string;
      /** Where the signature is: `['signatures', serverName, keyId]`. */
      readonly path: JsonPath;
      /** Why the signature was not checked. */
      readonly reason: SignatureSkipReason;
      /** A human explanation of the skip. */
      readonly message: string;
    };

/**
 * The outcome for one required server.
 *
 * @category Receiving
 */
export interface ServerVerification {
  /** The required server's name, as found in `sender`, `event_id` or the authorising user ID. */
  readonly serverName: string;
  /** Why this server had to sign (one server can be required for several reasons). */
  readonly requiredBecause: readonly RequiredSignerReason[];
  /** True when at least one signature verified and none failed. */
  readonly verified: boolean;
  /** Every signature listed under this server, in the event's order. */
  readonly signatures: readonly SignatureCheck[];
}

/**
 * What {@link verifyEventSignatures} found. A `Right` means every required server verified.
 *
 * @category Receiving
 */
export interface VerificationReport {
  /** The room version the event was checked under. */
  readonly roomVersion: string;
  /** The sender's server name. */
  readonly senderServer: string;
  /**
   * True when the sender's server signature was not required: an `m.room.member` invite carrying
   * `content.third_party_invite`. Callers at /invite must still require the sender's domain to be the origin.
   */
  readonly thirdPartyInviteExemption: boolean;
  /** Whether key validity was enforced (rooms 5+). */
  readonly keyValidityEnforced: boolean;
  /** The required servers, in check order (sender, `event_id` domain, restricted-join authoriser). */
  readonly servers: readonly ServerVerification[];
  /** The content hash comparison, or `undefined` when skipped (`skipContentHash`). */
  readonly contentHash: ContentHashCheck | undefined;
  /** The event's ID: its `event_id` (rooms 1-2) or its reference hash (rooms 3+). */
  readonly eventId: string;
}

/** Options of {@link verifyEventSignatures}. */
export interface VerifyEventOptions {
  /**
   * The current time (ms since the epoch). When given, every key's validity is capped at `now + 7 days` (spec
   * "Retrieving server keys": "the lesser of valid_until_ts and 7 days into the future"), a key without
   * `validUntilTs` included; absent, there is no cap (Synapse applies none). Rooms 5+ then need the (capped) validity
   * to be at least `origin_server_ts`. The cap really belongs to the caller's key cache: store
   * `min(valid_until_ts, fetchedAt + 7 days)` and omit `now`, or pass `now` to have it applied here. See
   * `docs/events.md`, "Key validity".
   */
  readonly now?: number;
  /** ed25519 backend (verdicts are libsodium's with every backend). */
  readonly backend?: Ed25519BackendName;
  /** A signature verdict function used instead of `backend` (the async helpers supply one). */
  readonly verifier?: Ed25519Verifier;
  /**
   * How signatures and the received content hash are base64-decoded: `lenient` (default: padding optional, either
   * alphabet), `synapse` (python-unpaddedbase64 exactly) or `strict`.
   */
  readonly base64Mode?: 'lenient' | 'strict' | 'synapse';
  /** Do not compare the content hash (`report.contentHash` is then `undefined`). */
  readonly skipContentHash?: boolean;
  /** Content hash dialect (see `computeContentHash`). */
  readonly contentHashDialect?: CheckContentHashOptions['dialect'];
  /**
   * Apply the spec's third-party-invite exemption (default true): an `m.room.member` invite whose content has
   * `third_party_invite` needs no signature from the sender's server. `false` requires it anyway (at /invite the
   * sender's server is the origin, which can always sign).
   */
  readonly thirdPartyInviteExemption?: boolean;
}

/** {@link VerifyEventOptions} plus what the library's own callers already computed. Internal. */
export interface PreparedVerifyOptions extends VerifyEventOptions {
  /** The content hash input, when already encoded (`encodeContentHashInput` with the same dialect). */
  readonly contentHashInput?: CanonicalMembers;
}

/** What {@link verifyEventSignatures} checks. */
export interface VerifyEventSignaturesParams extends VerifyEventOptions {
  /** The received event (not modified). */
  readonly event: JsonObjectInput;
  /** The room's version (`"10"`) or rules. */
  readonly roomVersion: RoomVersionInput;
  /** The verify keys you trust (pure lookup, no network; `keyLookupFrom` builds one from a table). */
  readonly keys: KeyLookup;
}

function verifyError(
  reason: EventErrorReason,
  message: string,
  path: JsonPath,
  extra: { serverName?: string; report?: VerificationReport; cause?: LibraryError<string, string> } = {},
): EventError {
  // Built field by field (no spread): this runs for every rejected event.
  const error: { -readonly [K in keyof EventError]: EventError[K] } = {
    kind: 'EventError',
    reason,
    message,
    path,
  };
  if (extra.serverName !== undefined) error.serverName = extra.serverName;
  if (extra.report !== undefined) error.report = extra.report;
  if (extra.cause !== undefined) error.cause = extra.cause;
  return error;
}

/** `string[string.index(':') + 1:]` as Synapse's `get_domain_from_id`; undefined without a `:`. */
function domainOf(id: JsonObject[string] | undefined): string | undefined {
  if (typeof id !== 'string') return undefined;
  const colon = id.indexOf(':');
  return colon < 0 ? undefined : id.slice(colon + 1);
}

function isIntegerValue(value: unknown): value is number | bigint {
  return typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value));
}

interface CheckContext {
  readonly prepared: PreparedEvent;
  readonly keys: KeyLookup;
  readonly options: VerifyEventOptions;
  /** The backend or verifier choice of the options, for `verifyEd25519With` (read once per event). */
  readonly ed25519: Ed25519Options;
  /** Set when the key lookup made a caller mistake: verification stops with `invalid_key_lookup`. */
  lookupProblem?: string;
  /** `origin_server_ts` when key validity is enforced, else undefined. */
  readonly validAt: bigint | undefined;
}

function skippedCheck(
  serverName: string,
  keyId: string,
  reason: SignatureSkipReason,
  message: string,
): SignatureCheck {
  return { status: 'skipped', serverName, keyId, path: ['signatures', serverName, keyId], reason, message };
}

function failedCheck(
  serverName: string,
  keyId: string,
  reason: SignatureFailureReason,
  message: string,
): SignatureCheck {
  return { status: 'failed', serverName, keyId, path: ['signatures', serverName, keyId], reason, message };
}

/** Checks one signature of a required server (spec 7.2 steps 2-7). No closures: this runs for every signature. */
function checkSignature(
  ctx: CheckContext,
  serverName: string,
  keyId: string,
  value: unknown,
): SignatureCheck {
  const colon = keyId.indexOf(':');
  if (colon <= 0 || colon === keyId.length - 1)
    return skippedCheck(serverName, keyId, 'malformed_key_id', 'key ID is not <algorithm>:<version>');
  if (keyId.slice(0, colon) !== 'ed25519') {
    return skippedCheck(
      serverName,
      keyId,
      'unknown_algorithm',
      `algorithm ${JSON.stringify(keyId.slice(0, colon))} is not understood`,
    );
  }
  if (keyId === POLICY_SERVER_KEY_ID) {
    return skippedCheck(
      serverName,
      keyId,
      'policy_server_key',
      'policy server signatures are not checked here',
    );
  }
  const found = lookUpVerifyKey(
    ctx.keys,
    serverName,
    keyId,
    ctx.validAt === undefined ? undefined : Number(ctx.validAt),
  );
  if (found.kind === 'invalid') {
    ctx.lookupProblem = found.message;
    return skippedCheck(serverName, keyId, 'unknown_key', found.message);
  }
  if (found.kind === 'unknown')
    return skippedCheck(serverName, keyId, 'unknown_key', 'the key lookup does not know this key');
  const entry = found.entry;
  // Rooms 5+: the key must be valid at origin_server_ts (one rule, src/crypto/key-validity.ts).
  const now = ctx.options.now; // validated up front: a finite number or absent
  if (ctx.validAt !== undefined && !isKeyValidAt(entry, ctx.validAt, now)) {
    const until = keyValidUntil(entry, now);
    const capped =
      until !== (entry.validUntilTs ?? Number.POSITIVE_INFINITY) ? ' (capped at now + 7 days)' : '';
    return skippedCheck(
      serverName,
      keyId,
      'key_expired',
      `key valid until ${until}${capped}, before origin_server_ts ${ctx.validAt}`,
    );
  }
  if (typeof value !== 'string')
    return failedCheck(serverName, keyId, 'not_a_string', 'signature must be a string');
  const publicKey = decodeVerifyKey(entry.key);
  if (E.isLeft(publicKey))
    return failedCheck(serverName, keyId, 'invalid_verify_key', publicKey.left.message);
  const signature = decodeBase64(value, { mode: ctx.options.base64Mode ?? 'lenient' });
  if (E.isLeft(signature)) {
    return failedCheck(
      serverName,
      keyId,
      'invalid_base64',
      `signature is not base64: ${signature.left.message}`,
    );
  }
  const ok = verifyEd25519With(ctx.ed25519, publicKey.right, ctx.prepared.signingBytes, signature.right);
  return ok
    ? { status: 'verified', serverName, keyId, path: ['signatures', serverName, keyId] }
    : failedCheck(serverName, keyId, 'bad_signature', 'signature does not verify against the redacted event');
}

/** Adds `server` to the required signers (once), remembering why. */
function requireServer(
  required: Map<string, RequiredSignerReason[]>,
  server: string,
  reason: RequiredSignerReason,
): void {
  const reasons = required.get(server);
  if (reasons === undefined) required.set(server, [reason]);
  else if (!reasons.includes(reason)) reasons.push(reason);
}

/**
 * Options for checking signatures only (no content hash), as the invite layer does for the invite and its
 * `invite_room_state` entries: `settings`' clock and ed25519 choice are copied when set (no spreads: this runs for
 * every event received).
 */
export function signatureOnlyOptions(
  settings: Pick<VerifyEventOptions, 'now' | 'backend' | 'verifier'>,
  base64Mode: NonNullable<VerifyEventOptions['base64Mode']>,
  thirdPartyInviteExemption?: boolean,
): VerifyEventOptions {
  const options: { -readonly [K in keyof VerifyEventOptions]: VerifyEventOptions[K] } = {
    skipContentHash: true,
    base64Mode,
  };
  if (thirdPartyInviteExemption !== undefined) options.thirdPartyInviteExemption = thirdPartyInviteExemption;
  if (settings.now !== undefined) options.now = settings.now;
  if (settings.backend !== undefined) options.backend = settings.backend;
  if (settings.verifier !== undefined) options.verifier = settings.verifier;
  return options;
}

/** The first caller mistake in the key lookup or the options, as a sentence; `undefined` when they are usable. */
function verifyOptionsProblem(keys: unknown, options: VerifyEventOptions): string | undefined {
  return (
    (typeof keys === 'function'
      ? undefined
      : `keys must be a key lookup function, got ${describeValue(keys)}`) ??
    finiteNumberProblem('now', options.now) ??
    enumProblem('backend', options.backend, BACKEND_NAMES) ??
    functionProblem('verifier', options.verifier) ??
    enumProblem('base64Mode', options.base64Mode, BASE64_MODES) ??
    booleanProblem('skipContentHash', options.skipContentHash) ??
    enumProblem('contentHashDialect', options.contentHashDialect, CONTENT_HASH_DIALECTS) ??
    booleanProblem('thirdPartyInviteExemption', options.thirdPartyInviteExemption)
  );
}

/** Checks the options (`invalid_options`), then runs `body`; a throw (a hostile getter or Proxy) is a Left too. */
function guarded(
  keys: unknown,
  rawOptions: unknown,
  body: (options: PreparedVerifyOptions) => E.Either<EventError, VerificationReport>,
): E.Either<EventError, VerificationReport> {
  try {
    // Untyped callers may pass null or undefined: no options.
    const options: PreparedVerifyOptions =
      rawOptions === undefined || rawOptions === null ? {} : (rawOptions as PreparedVerifyOptions);
    if (typeof options !== 'object') {
      return E.left(
        verifyError('invalid_options', `options must be an object, got ${describeValue(options)}`, []),
      );
    }
    const problem = verifyOptionsProblem(keys, options);
    if (problem !== undefined) return E.left(verifyError('invalid_options', problem, []));
    return body(options);
  } catch (error) {
    return E.left(verifyError('invalid_input', `cannot verify: ${errorText(error)}`, []));
  }
}

/**
 * Verifies an already prepared event (see {@link verifyEventSignatures}); the signature check uses
 * `prepared.signingBytes` without re-encoding. Internal.
 */
export function verifyPreparedEvent(
  prepared: PreparedEvent,
  keys: KeyLookup,
  rawOptions: PreparedVerifyOptions = {},
): E.Either<EventError, VerificationReport> {
  return guarded(keys, rawOptions, (options) => {
    if (typeof prepared !== 'object' || prepared === null || !isJsonObject(prepared.event)) {
      return E.left(verifyError('invalid_input', 'prepared must come from prepareEvent', []));
    }
    return verifyPrepared(prepared, keys, options);
  });
}

function verifyPrepared(
  prepared: PreparedEvent,
  keys: KeyLookup,
  options: PreparedVerifyOptions,
): E.Either<EventError, VerificationReport> {
  const { event, rules } = prepared;
  const senderServer = domainOf(getOwn(event, 'sender'));
  if (senderServer === undefined) {
    return E.left(verifyError('invalid_sender', 'sender must be a string containing ":"', ['sender']));
  }

  // Required signers (spec "Validating hashes and signatures on received events"), in Synapse's order.
  const required = new Map<string, RequiredSignerReason[]>();
  const content = getOwn(event, 'content');
  const contentObject: JsonObject = isJsonObject(content) ? content : {};
  const isMember = getOwn(event, 'type') === 'm.room.member';
  const membership = getOwn(contentObject, 'membership');
  const thirdPartyInviteExemption =
    options.thirdPartyInviteExemption !== false &&
    isMember &&
    membership === 'invite' &&
    getOwn(contentObject, 'third_party_invite') !== undefined;
  if (!thirdPartyInviteExemption) requireServer(required, senderServer, 'sender');
  if (rules.signers.eventIdDomain) {
    const eventIdServer = domainOf(getOwn(event, 'event_id'));
    if (eventIdServer === undefined) {
      return E.left(
        verifyError('invalid_event_id', 'event_id must be a string containing ":"', ['event_id']),
      );
    }
    if (eventIdServer !== senderServer) requireServer(required, eventIdServer, 'event_id_domain');
  }
  // The event ID the report carries: `event_id` in rooms 1-2 (a PDU of that format must have one), else the
  // reference hash of the prepared bytes.
  let eventId: string;
  if (rules.eventIdFormat === 'v1') {
    const id = getOwn(event, 'event_id');
    if (typeof id !== 'string') {
      return E.left(verifyError('invalid_event_id', 'event_id must be a string', ['event_id']));
    }
    eventId = id;
  } else {
    const computed = prepared.eventId();
    if (E.isLeft(computed)) return computed;
    eventId = computed.right;
  }
  if (
    rules.signers.restrictedJoinAuthoriser &&
    isMember &&
    membership === 'join' &&
    Object.hasOwn(contentObject, 'join_authorised_via_users_server')
  ) {
    const authoriser = domainOf(getOwn(contentObject, 'join_authorised_via_users_server'));
    if (authoriser === undefined) {
      return E.left(
        verifyError('invalid_authorising_user', 'join_authorised_via_users_server must be a user ID', [
          'content',
          'join_authorised_via_users_server',
        ]),
      );
    }
    requireServer(required, authoriser, 'restricted_join_authoriser');
  }

  // Key validity (7.6): rooms 5+ at origin_server_ts; ignored in rooms 1-4.
  let validAt: bigint | undefined;
  if (rules.enforceKeyValidity) {
    const ts = getOwn(event, 'origin_server_ts');
    if (!isIntegerValue(ts)) {
      return E.left(
        verifyError('invalid_origin_server_ts', 'origin_server_ts must be an integer to check key validity', [
          'origin_server_ts',
        ]),
      );
    }
    validAt = BigInt(ts);
  }

  const signatures = getOwn(event, 'signatures');
  if (required.size > 0 && !isJsonObject(signatures)) {
    return E.left(
      verifyError(
        signatures === undefined ? 'missing_signature' : 'signatures_malformed',
        signatures === undefined ? 'the event has no signatures' : 'signatures must be an object',
        ['signatures'],
        { serverName: [...required.keys()][0] as string },
      ),
    );
  }
  const ctx: CheckContext = { prepared, keys, options, ed25519: ed25519OptionsOf(options), validAt };
  const servers: ServerVerification[] = [];
  let failure: EventError | undefined;
  const allSignatures: JsonObject = isJsonObject(signatures) ? signatures : {};
  for (const [serverName, requiredBecause] of required) {
    const serverSignatures = getOwn(allSignatures, serverName);
    const checks: SignatureCheck[] = [];
    if (isJsonObject(serverSignatures)) {
      for (const keyId of Object.keys(serverSignatures)) {
        checks.push(checkSignature(ctx, serverName, keyId, getOwn(serverSignatures, keyId)));
        if (ctx.lookupProblem !== undefined) {
          return E.left(
            verifyError('invalid_key_lookup', ctx.lookupProblem, ['signatures', serverName, keyId]),
          );
        }
      }
    }
    let firstFailure: Extract<SignatureCheck, { status: 'failed' }> | undefined;
    let anyVerified = false;
    for (const check of checks) {
      if (check.status === 'failed') firstFailure ??= check;
      else if (check.status === 'verified') anyVerified = true;
    }
    const verified = firstFailure === undefined && anyVerified;
    servers.push({ serverName, requiredBecause, verified, signatures: checks });
    if (verified || failure !== undefined) continue;
    if (serverSignatures !== undefined && !isJsonObject(serverSignatures)) {
      failure = verifyError(
        'signatures_malformed',
        `signatures of ${serverName} must be an object`,
        ['signatures', serverName],
        {
          serverName,
        },
      );
    } else if (checks.length === 0) {
      failure = verifyError('missing_signature', `not signed by ${serverName}`, ['signatures', serverName], {
        serverName,
      });
    } else if (firstFailure !== undefined) {
      failure = verifyError(
        'bad_signature',
        `unable to verify signature ${firstFailure.keyId} for ${serverName}: ${firstFailure.message}`,
        firstFailure.path,
        { serverName },
      );
    } else {
      failure = verifyError(
        'no_verifiable_signature',
        `no signature of ${serverName} could be checked (${checks.map((c) => `${c.keyId}: ${c.status === 'skipped' ? c.reason : c.status}`).join(', ')})`,
        ['signatures', serverName],
        { serverName },
      );
    }
  }

  const checked: VerificationReport = {
    roomVersion: rules.id,
    senderServer,
    thirdPartyInviteExemption,
    keyValidityEnforced: rules.enforceKeyValidity,
    servers,
    eventId,
    contentHash: undefined,
  };
  if (failure !== undefined) return E.left({ ...failure, report: checked });
  if (options.skipContentHash === true) return E.right(checked);

  // Built field by field (no spreads): this runs for every event received.
  const hashOptions: {
    -readonly [K in keyof CheckContentHashInternalOptions]: CheckContentHashInternalOptions[K];
  } = {};
  if (options.base64Mode !== undefined) hashOptions.base64Mode = options.base64Mode;
  if (options.contentHashDialect !== undefined) hashOptions.dialect = options.contentHashDialect;
  if (options.contentHashInput !== undefined) hashOptions.canonicalInput = options.contentHashInput;
  const contentHash = checkContentHashWith(event, hashOptions);
  if (E.isLeft(contentHash)) {
    // Signatures are fine but `hashes` is malformed (no `sha256`, not base64...): Synapse answers 400.
    return E.left({ ...contentHash.left, report: checked });
  }
  return E.right({ ...checked, contentHash: contentHash.right });
}

/**
 * Verifies the signatures of every required server on an event (spec server-server API
 * [Validating hashes and signatures on received events](https://spec.matrix.org/v1.19/server-server-api/#validating-hashes-and-signatures-on-received-events)),
 * then compares its content hash.
 *
 * `Right(report)` means every required server verified; check `report.contentHash.matches` and decide (Synapse
 * replaces a mismatching event by its redacted copy; a strict /invite rejects it). `Left` carries a typed reason,
 * the JSON path concerned and, once the per-server checks ran, the partial `report`.
 *
 * @example
 * verifyEventSignatures({ event, roomVersion: '10', keys: (server, keyId) => keyStore.get(server, keyId) })
 * // Right({ servers: [{ serverName: 'inviter.example', verified: true, ... }], contentHash: { matches: true, ... } })
 */
export function verifyEventSignatures(
  params: VerifyEventSignaturesParams,
): E.Either<EventError, VerificationReport> {
  // Untyped callers may pass anything: the function never throws.
  if (typeof params !== 'object' || params === null) {
    return E.left(
      verifyError(
        'invalid_input',
        `verifyEventSignatures takes { event, roomVersion, keys }, got ${describeValue(params)}`,
        [],
      ),
    );
  }
  let fields: VerifyEventSignaturesParams;
  try {
    fields = { ...params };
  } catch (error) {
    return E.left(verifyError('invalid_input', `the parameters cannot be read: ${errorText(error)}`, []));
  }
  const { roomVersion, keys, event: input, ...rest } = fields;
  return guarded(keys, rest, (options) => verifyEvent(input as JsonObject, roomVersion, keys, options));
}

function verifyEvent(
  event: JsonObject,
  roomVersion: RoomVersionInput,
  keys: KeyLookup,
  options: PreparedVerifyOptions,
): E.Either<EventError, VerificationReport> {
  // One encoding of the content hash input; the redacted signing bytes reuse its members (all but `content`).
  const encoded =
    options.skipContentHash === true || !isJsonObject(event)
      ? undefined
      : encodeContentHashInput(
          event,
          options.contentHashDialect === undefined ? {} : { dialect: options.contentHashDialect },
        );
  const reuse = encoded !== undefined && E.isRight(encoded) ? encoded.right : undefined;
  const prepared = prepareEvent(event, roomVersion, reuse === undefined ? {} : { reuse });
  if (E.isLeft(prepared)) return prepared;
  return verifyPrepared(
    prepared.right,
    keys,
    reuse === undefined ? options : { ...options, contentHashInput: reuse },
  );
}
