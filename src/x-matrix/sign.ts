/**
 * Signing a federation request with X-Matrix (spec server-server API "Request Authentication").
 *
 * The signed object is `{method, uri, origin, destination, content?}` signed as JSON (spec appendix "Signing JSON"):
 * canonical JSON of that object, ed25519, unpadded base64. `content` is the parsed request body, left out when there
 * is no body (as Synapse does, a JSON `null` body counts as no body). `uri` is the path exactly as sent, percent
 * encoding and query string included (a proxy that decodes `%2F` breaks the signature).
 */
import * as E from 'fp-ts/lib/Either.js';
import { signCanonicalBytes } from '../crypto/json-signing.js';
import type { SigningKey } from '../crypto/types.js';
import { errorText } from '../errors/describe.js';
import { encodeCanonicalJsonBytes } from '../json/canonical.js';
import type { JsonObject, JsonValue, JsonValueInput, MutableJsonObject } from '../json/value.js';
import { setOwn } from '../json/value.js';
import type { XMatrixError, XMatrixSignErrorReason } from './errors.js';
import { formatXMatrixHeader } from './header.js';

/**
 * A request as both sides see it.
 *
 * @category X-Matrix
 */
export interface XMatrixRequest {
  /** The HTTP method, as sent (`PUT`). */
  readonly method: string;
  /** The request target: path and query, exactly as sent (`/_matrix/federation/v2/invite/%21r%3Ax/%24e`). */
  readonly uri: string;
  /** The sending server's name (before delegation). */
  readonly origin: string;
  /** The receiving server's name (before delegation). */
  readonly destination: string;
  /** The JSON body (what you send, or what `parseJson` gave you); omit (or `null`) when there is none. */
  readonly content?: JsonValueInput | null;
}

function signError(
  reason: XMatrixSignErrorReason,
  message: string,
  path: readonly (string | number)[] = [],
): E.Either<XMatrixError, never> {
  return E.left({ kind: 'XMatrixError', reason, message, path });
}

/**
 * The JSON object an X-Matrix signature covers (without `signatures`): `method`, `uri`, `origin`, `destination`
 * and, when there is a body, `content`. Internal.
 *
 * @example requestSigningObject({ method: 'GET', uri: '/x', origin: 'a', destination: 'b' })
 * // { method: 'GET', uri: '/x', origin: 'a', destination: 'b' }
 */
export function requestSigningObject(request: XMatrixRequest): JsonObject {
  const out: MutableJsonObject = {};
  if (typeof request !== 'object' || request === null) return out; // nothing to sign (never throws)
  const read = (key: keyof XMatrixRequest): JsonValue | undefined => {
    try {
      return request[key] as JsonValue | undefined;
    } catch {
      return undefined;
    }
  };
  for (const key of ['method', 'uri', 'origin', 'destination'] as const)
    setOwn(out, key, read(key) as JsonValue);
  const content = read('content');
  if (content !== undefined && content !== null) setOwn(out, 'content', content);
  return out;
}

/**
 * The signature of a request: unpadded standard base64 over the canonical JSON of {@link requestSigningObject}.
 * Internal: the public form is {@link signRequest}.
 */
export function signRequestSignature(
  request: XMatrixRequest,
  signingKey: SigningKey,
): E.Either<XMatrixError, string> {
  try {
    if (typeof request !== 'object' || request === null)
      return signError('invalid_request', 'request must be an object');
    for (const field of ['method', 'uri', 'origin', 'destination'] as const) {
      if (typeof request[field] !== 'string')
        return signError('invalid_request', `${field} must be a string`, [field]);
    }
    const bytes = encodeCanonicalJsonBytes(requestSigningObject(request));
    if (E.isLeft(bytes)) {
      return signError(
        'canonical_json',
        `request has no canonical JSON form: ${bytes.left.message}`,
        bytes.left.path,
      );
    }
    const signature = signCanonicalBytes(bytes.right, signingKey);
    return E.isLeft(signature) ? signError('signing_failed', signature.left.message) : signature;
  } catch (error) {
    return signError('invalid_request', `the request cannot be read: ${errorText(error)}`);
  }
}

/**
 * Signs a request and returns the `Authorization` header value:
 * `X-Matrix origin="...",destination="...",key="ed25519:...",sig="..."`. Never throws.
 *
 * @example
 * signRequest({ method: 'PUT', uri: path, origin: 'inviter.example', destination: 'invitee.example', content: body }, key)
 * // Right('X-Matrix origin="inviter.example",destination="invitee.example",key="ed25519:1",sig="Uabun..."')
 *
 * @category X-Matrix
 */
export function signRequest(request: XMatrixRequest, signingKey: SigningKey): E.Either<XMatrixError, string> {
  try {
    const signature = signRequestSignature(request, signingKey);
    if (E.isLeft(signature)) return signature;
    const header = formatXMatrixHeader({
      origin: request.origin,
      destination: request.destination,
      key: signingKey.keyId,
      sig: signature.right,
    });
    return E.isLeft(header) ? signError('invalid_header_value', header.left.message) : header;
  } catch (error) {
    return signError('invalid_request', `the request cannot be read: ${errorText(error)}`);
  }
}
