/**
 * The one error type of the X-Matrix concern: parsing and formatting the header, signing a request, and
 * authenticating one. Authentication failures are rejections: they also carry the HTTP answer, mapped through the
 * same overridable error tables as invite rejections.
 */
import type { LibraryError } from '../errors/base.js';
import type { MatrixErrorBody } from '../errors/matrix.js';
import type { XMatrixHeader } from './header.js';

/** Why an `Authorization` header could not be parsed, or a header value could not be formatted. */
export type XMatrixHeaderErrorReason =
  /** The input is not a string. */
  | 'not_a_string'
  /** The scheme is not `X-Matrix` (case-insensitive). */
  | 'wrong_scheme'
  /** No space after the scheme, or nothing after it. */
  | 'missing_params'
  /** A parameter does not have the `name=value` form. */
  | 'malformed_param'
  /** A quoted string is not closed, or ends in a lone backslash. */
  | 'unterminated_quoted_string'
  /** A character not allowed where it stands (control characters, a stray quote...). */
  | 'invalid_character'
  /** The same parameter (case-insensitively) appears twice. */
  | 'duplicate_param'
  /** `origin`, `key` or `sig` is absent. */
  | 'missing_required_param'
  /** Formatting: a value that senders cannot write (quote, backslash, control character, non-ASCII, empty). */
  | 'invalid_value';

/** Why a request could not be signed. */
export type XMatrixSignErrorReason =
  /** `method`, `uri`, `origin` or `destination` is not a string (a caller error). */
  | 'invalid_request'
  /** The content has no canonical JSON form (lone surrogate, non-JSON value). */
  | 'canonical_json'
  /** `origin`, `destination` or the key ID cannot be written in the header. */
  | 'invalid_header_value'
  /** The signing key failed. */
  | 'signing_failed';

/**
 * Why a request failed authentication ({@link XMatrixRejection}). Each maps to an HTTP answer through the error
 * tables (`SPEC_ERROR_MAPPING`, `SYNAPSE_ERROR_MAPPING`, or yours): by default Synapse's, 400 `M_UNAUTHORIZED` for a
 * malformed header, 401 `M_UNAUTHORIZED` for a missing one and every other authentication failure, 400 `M_BAD_JSON` for a body
 * without a canonical form, and 500 for the caller's own mistakes.
 *
 * @category X-Matrix
 */
export type XMatrixRejectionReason =
  /**
   * A caller error (500): the request is not an object, `method`/`uri`/`destination` are not strings,
   * `authorization` is not a string or a list of strings, or `content` is not a JSON value (an `ArrayBuffer`...). The
   * HTTP layer's mistake, never the peer's.
   */
  | 'invalid_request'
  /**
   * A caller error (500): `serverName` is not a non-empty string, `keys` is not a function, the key lookup threw or
   * answered junk (a Promise...), or an option has the wrong type.
   */
  | 'invalid_context'
  /**
   * No X-Matrix credentials: no `Authorization` header (absent, `undefined`, `null`, an empty list), an empty one,
   * or only headers of other schemes (`Bearer ...`), which Synapse skips. Synapse: 401 `M_UNAUTHORIZED` "Missing
   * Authorization headers" (`Authenticator.authenticate_request`).
   */
  | 'missing_authorization'
  /**
   * The X-Matrix header does not parse (`cause` says why), or there are several. Synapse: 400 "Malformed
   * Authorization header".
   */
  | 'malformed_header'
  /** The header's `destination` is not this server: 401. */
  | 'destination_mismatch'
  /** The key ID's algorithm is not `ed25519`. */
  | 'unsupported_algorithm'
  /** The key lookup does not know `(origin, key)`. */
  | 'unknown_key'
  /**
   * `now` is after the key's `validUntilTs`, or the key is an old key (`expired: true`, from `old_verify_keys`),
   * which the spec only allows for signing events.
   */
  | 'key_expired'
  /** The body has no canonical JSON form. */
  | 'canonical_json'
  /** The signature does not verify (or is not base64, or has the wrong length). */
  | 'invalid_signature';

/**
 * Every reason of an {@link XMatrixError}.
 *
 * @category X-Matrix
 */
export type XMatrixErrorReason = XMatrixHeaderErrorReason | XMatrixSignErrorReason | XMatrixRejectionReason;

/**
 * An X-Matrix error (`kind: 'XMatrixError'`): a header that does not parse, a request that cannot be signed.
 *
 * @category X-Matrix
 */
export interface XMatrixError extends LibraryError<'XMatrixError', XMatrixErrorReason> {
  /** Parsing: the offset (UTF-16 code units) in the header value where the problem is. */
  readonly index?: number;
  /** For `duplicate_param`, `missing_required_param` and `invalid_value`: the parameter name (lower case). */
  readonly param?: string;
  /** Authentication: the parsed header, when it parsed. */
  readonly header?: XMatrixHeader;
  /** For `malformed_header`: the parser's error. */
  readonly cause?: XMatrixError;
}

/**
 * A request that failed authentication, with the HTTP answer ready: `respond(rejection.status, rejection.body)`, as
 * for a refused invite.
 *
 * @category X-Matrix
 */
export interface XMatrixRejection extends XMatrixError {
  readonly reason: XMatrixRejectionReason;
  /** The HTTP status to answer with (from the error mapping). */
  readonly status: number;
  /** The Matrix error body to send (`errcode`, `error`). */
  readonly body: MatrixErrorBody;
}
