/**
 * Verifying an X-Matrix signed request (spec server-server API "Request Authentication"; Synapse
 * `synapse/federation/transport/server/_base.py` `Authenticator.authenticate_request`).
 *
 * As in Synapse, the signed object is rebuilt with `destination` = this server's name whether or not the header
 * carries a `destination` parameter (senders have always signed it; the header parameter only came in v1.3). A
 * header `destination` that is not ours is refused with 401 (spec: "must deny the request with an HTTP status code
 * 401 Unauthorized"); a missing one is accepted ("recipients should accept requests without this parameter").
 */
import * as E from 'fp-ts/lib/Either.js';
import { ed25519OptionsOf } from '../crypto/backends.js';
import { verifyJsonSignature } from '../crypto/json-signing.js';
import { lookUpVerifyKey } from '../crypto/key-lookup.js';
import { isKeyValidAt } from '../crypto/key-validity.js';
import type { Ed25519BackendName, Ed25519Verifier, KeyLookup } from '../crypto/types.js';
import { describeValue, errorText } from '../errors/describe.js';
import { type MatrixErrorMapping, SPEC_ERROR_MAPPING, toMatrixError } from '../errors/matrix.js';
import {
  BACKEND_NAMES,
  BASE64_MODES,
  checkedContext,
  enumProblem,
  finiteNumberProblem,
  firstProblem,
  functionProblem,
  objectProblem,
} from '../errors/options.js';
import { encodeCanonicalJsonBytes } from '../json/canonical.js';
import { jsonValueProblem } from '../json/check-value.js';
import type { JsonValueInput } from '../json/value.js';
import type { XMatrixError, XMatrixRejection, XMatrixRejectionReason } from './errors.js';
import { parseXMatrixHeader, type XMatrixHeader } from './header.js';
import { requestSigningObject } from './sign.js';

/**
 * What the receiving server knows about an incoming request.
 *
 * @category X-Matrix
 */
export interface IncomingXMatrixRequest {
  /** The HTTP method as received. */
  readonly method: string;
  /** The request target (path and query) exactly as received, not decoded. */
  readonly uri: string;
  /**
   * The name the request is checked as addressed to (the signed object's `destination`); defaults to the context's
   * `serverName`. Only useful for a server answering under several names.
   */
  readonly destination?: string;
  /** The parsed JSON body (`parseJson` of the raw body: lossless); omit (or `null`) when there is none. */
  readonly content?: JsonValueInput | null;
  /**
   * The `Authorization` header as your HTTP layer gives it: a string (Node's `req.headers.authorization`), `null`
   * (fetch's `headers.get('authorization')`), `undefined` or absent (no header), or the list of every value
   * (Node's `req.headersDistinct.authorization`). No header, or only headers of other schemes, is
   * `missing_authorization` (401), as in Synapse.
   */
  readonly authorization?: string | readonly string[] | null | undefined;
}

/**
 * What the receiving server knows to authenticate requests: its name, the keys it trusts, and how to answer a
 * rejection.
 *
 * @category X-Matrix
 */
export interface VerifyRequestContext {
  /** Our server name: the header's `destination`, when present, must be it; the signed object names it. */
  readonly serverName: string;
  /** Verify keys of other servers (pure lookup; prefetch before calling; `keyLookupFrom` builds one). */
  readonly keys: KeyLookup;
  /**
   * Current time (ms since the epoch): when given, a key whose `validUntilTs` is before it is refused (`key_expired`),
   * as Synapse requires the key valid at the time of the request; a key without `validUntilTs` has no limit. Absent,
   * validity is not checked.
   */
  readonly now?: number;
  /** ed25519 backend (verdicts are libsodium's with every backend; normally omitted: the process default). */
  readonly backend?: Ed25519BackendName;
  /** A signature verdict function used instead of `backend` (the async helpers supply one). */
  readonly verifier?: Ed25519Verifier;
  /** Signature base64 decoding (default `synapse`: python-unpaddedbase64 exactly). */
  readonly base64Mode?: 'lenient' | 'strict' | 'synapse';
  /**
   * Reason → `{status, errcode}` overrides over {@link SPEC_ERROR_MAPPING}, as `receiveInvite`'s
   * `policy.errorMapping` (the same object serves both).
   */
  readonly errorMapping?: Partial<MatrixErrorMapping>;
}

/**
 * An authenticated request.
 *
 * @category X-Matrix
 */
export interface VerifiedRequest {
  /** The authenticated origin server. */
  readonly origin: string;
  /** The key ID that verified. */
  readonly keyId: string;
  /** The header's `destination`, when it had one (then equal to ours). */
  readonly destination?: string;
  /** The parsed header. */
  readonly header: XMatrixHeader;
}

function rejection(
  reason: XMatrixRejectionReason,
  message: string,
  extra: { header?: XMatrixHeader; cause?: XMatrixError },
  mapping: Partial<MatrixErrorMapping> | undefined,
): E.Either<XMatrixRejection, never> {
  const error: XMatrixError = { kind: 'XMatrixError', reason, message, path: [], ...extra };
  const table =
    typeof mapping === 'object' && mapping !== null
      ? { ...SPEC_ERROR_MAPPING, ...mapping }
      : SPEC_ERROR_MAPPING;
  const { status, body } = toMatrixError({ reason, message }, table);
  return E.left({ ...error, reason, status, body });
}

/** A caller error (`invalid_context`, 500 by default) answered as `verifyRequest` answers its own. Internal. */
export function contextRejection(
  message: string,
  mapping: Partial<MatrixErrorMapping> | undefined,
): E.Either<XMatrixRejection, never> {
  return rejection('invalid_context', message, {}, mapping);
}

type Fail = (
  reason: XMatrixRejectionReason,
  message: string,
  extra?: { header?: XMatrixHeader; cause?: XMatrixError },
) => E.Either<XMatrixRejection, never>;

/** Caller mistakes in what the server knows (`invalid_context`). */
function contextProblem(context: VerifyRequestContext): string | undefined {
  if (typeof context !== 'object' || context === null)
    return `context must be { serverName, keys }, got ${describeValue(context)}`;
  return firstProblem(
    () =>
      typeof context.serverName === 'string' && context.serverName.length > 0
        ? undefined
        : `serverName must be a non-empty string, got ${describeValue(context.serverName)}`,
    () =>
      typeof context.keys === 'function'
        ? undefined
        : `keys must be a key lookup function, got ${describeValue(context.keys)}`,
    () => finiteNumberProblem('now', context.now),
    () => enumProblem('backend', context.backend, BACKEND_NAMES),
    () => functionProblem('verifier', context.verifier),
    () => enumProblem('base64Mode', context.base64Mode, BASE64_MODES),
    () => objectProblem('errorMapping', context.errorMapping),
  );
}

/** Caller mistakes in the request object the HTTP layer built (`invalid_request`). */
function requestProblem(request: IncomingXMatrixRequest): string | undefined {
  if (typeof request !== 'object' || request === null)
    return `request must be an object, got ${describeValue(request)}`;
  return firstProblem(
    () =>
      typeof request.method === 'string'
        ? undefined
        : `request.method must be a string, got ${describeValue(request.method)}`,
    () =>
      typeof request.uri === 'string'
        ? undefined
        : `request.uri must be a string, got ${describeValue(request.uri)}`,
    () =>
      request.destination === undefined || typeof request.destination === 'string'
        ? undefined
        : `request.destination must be a string, got ${describeValue(request.destination)}`,
    () => authorizationProblem(request.authorization),
    () => {
      const problem =
        request.content === undefined || request.content === null
          ? undefined
          : jsonValueProblem(request.content);
      return problem === undefined
        ? undefined
        : `request.content must be a parsed JSON value: ${problem.replace(/^\$/, 'content')}`;
    },
  );
}

function authorizationProblem(authorization: unknown): string | undefined {
  if (authorization === undefined || authorization === null || typeof authorization === 'string')
    return undefined;
  if (Array.isArray(authorization) && authorization.every((value) => typeof value === 'string'))
    return undefined;
  return `request.authorization must be a header value (a string, a list of strings, null or undefined), got ${describeValue(authorization)}`;
}

/**
 * The X-Matrix credentials among the `Authorization` values. As Synapse's `Authenticator.authenticate_request`
 * (`synapse/federation/transport/server/_base.py`), headers of other schemes are skipped, so that none left means
 * "Missing Authorization headers" (401). An X-Matrix header that does not parse is malformed (400).
 */
function xMatrixCredentials(authorization: string | readonly string[] | null | undefined):
  | { readonly kind: 'none' }
  | { readonly kind: 'several'; readonly count: number }
  | {
      readonly kind: 'one';
      readonly parsed: E.Either<XMatrixError, XMatrixHeader>;
    } {
  const values = typeof authorization === 'string' ? [authorization] : (authorization ?? []);
  const candidates = values
    .map((value) => parseXMatrixHeader(value))
    .filter((parsed) => !(E.isLeft(parsed) && parsed.left.reason === 'wrong_scheme'));
  const [first] = candidates;
  if (first === undefined) return { kind: 'none' };
  return candidates.length === 1
    ? { kind: 'one', parsed: first }
    : { kind: 'several', count: candidates.length };
}

/**
 * Authenticates an incoming federation request from its X-Matrix `Authorization` header (spec server-server API
 * [Request Authentication](https://spec.matrix.org/v1.19/server-server-api/#request-authentication)). Never
 * throws. A rejection carries the HTTP answer, as `receiveInvite`'s do: `respond(left.status, left.body)`.
 *
 * @example
 * const auth = verifyRequest({ method: 'PUT', uri, content: body, authorization }, { serverName: 'invitee.example', keys });
 * // Right({ origin: 'inviter.example', keyId: 'ed25519:1', destination: 'invitee.example', header })
 * // Left({ reason: 'destination_mismatch', status: 401, body: { errcode: 'M_UNAUTHORIZED', error: '...' } })
 *
 * @category X-Matrix
 */
export function verifyRequest(
  request: IncomingXMatrixRequest,
  context: VerifyRequestContext,
): E.Either<XMatrixRejection, VerifiedRequest> {
  let mapping: Partial<MatrixErrorMapping> | undefined;
  try {
    mapping = typeof context === 'object' && context !== null ? context.errorMapping : undefined;
  } catch {
    mapping = undefined; // a context that cannot be read: refused below, answered with the spec's mapping
  }
  const fail: Fail = (reason, message, extra = {}) => rejection(reason, message, extra, mapping);
  // The context's settings are read once, from a copy: a getter cannot answer differently later.
  const read = checkedContext(context, contextProblem);
  if ('problem' in read) return fail('invalid_context', read.problem);
  try {
    const requestIssue = requestProblem(request);
    if (requestIssue !== undefined) return fail('invalid_request', requestIssue);
    return verify(request, read.settings, fail);
  } catch (error) {
    return fail('invalid_request', `the request cannot be read: ${errorText(error)}`);
  }
}

function verify(
  request: IncomingXMatrixRequest,
  options: VerifyRequestContext,
  fail: Fail,
): E.Either<XMatrixRejection, VerifiedRequest> {
  const { serverName: ourServerName, keys } = options;
  const destination = request.destination ?? ourServerName;

  const credentials = xMatrixCredentials(request.authorization);
  if (credentials.kind === 'none') {
    return fail('missing_authorization', 'the request has no X-Matrix Authorization header');
  }
  if (credentials.kind === 'several') {
    // Synapse merges the signatures of several headers; one is what senders write (spec example, Synapse, ruma).
    return fail(
      'malformed_header',
      `the request has ${credentials.count} X-Matrix Authorization headers; expected one`,
    );
  }
  const parsed = credentials.parsed;
  if (E.isLeft(parsed)) {
    return fail('malformed_header', `malformed Authorization header: ${parsed.left.message}`, {
      cause: parsed.left,
    });
  }
  const header = parsed.right;
  if (header.destination !== undefined && header.destination !== ourServerName) {
    return fail(
      'destination_mismatch',
      `the request is addressed to ${JSON.stringify(header.destination)}, not to ${JSON.stringify(ourServerName)}`,
      { header },
    );
  }
  const colon = header.key.indexOf(':');
  if (colon < 0 || header.key.slice(0, colon) !== 'ed25519') {
    return fail('unsupported_algorithm', `unsupported key ID ${JSON.stringify(header.key)}`, { header });
  }
  const found = lookUpVerifyKey(keys, header.origin, header.key, options.now);
  if (found.kind === 'invalid') return fail('invalid_context', found.message, { header });
  if (found.kind === 'unknown') {
    return fail('unknown_key', `no key ${header.key} known for ${header.origin}`, { header });
  }
  const entry = found.entry;
  if (entry.expired === true) {
    // Spec "Publishing Keys": old_verify_keys "are only valid for signing events", never for requests.
    return fail(
      'key_expired',
      `key ${header.key} of ${header.origin} is an old key (old_verify_keys): only valid for signing events`,
      { header },
    );
  }
  // The key must be valid now (Synapse: `verify_json_for_server(origin, request, now)`); one rule for every check
  // (src/crypto/key-validity.ts). A key without validUntilTs has no limit; the 7-day cap cannot bite at `now`.
  const validUntil = entry.validUntilTs;
  if (options.now !== undefined && !isKeyValidAt(entry, options.now, options.now)) {
    return fail('key_expired', `key ${header.key} of ${header.origin} expired at ${validUntil}`, { header });
  }

  const signed = requestSigningObject({
    method: request.method,
    uri: request.uri,
    origin: header.origin,
    destination,
    ...(request.content === undefined ? {} : { content: request.content }),
  });
  const bytes = encodeCanonicalJsonBytes(signed);
  if (E.isLeft(bytes)) {
    return fail('canonical_json', `request has no canonical JSON form: ${bytes.left.message}`, { header });
  }
  const withSignature = { ...signed, signatures: { [header.origin]: { [header.key]: header.sig } } };
  const verified = verifyJsonSignature(withSignature, header.origin, header.key, entry.key, {
    signedBytes: bytes.right,
    ...ed25519OptionsOf(options),
    ...(options.base64Mode === undefined ? {} : { base64Mode: options.base64Mode }),
  });
  if (E.isLeft(verified)) {
    return fail('invalid_signature', `invalid X-Matrix signature: ${verified.left.message}`, { header });
  }
  return E.right({
    origin: header.origin,
    keyId: header.key,
    header,
    ...(header.destination === undefined ? {} : { destination: header.destination }),
  });
}
