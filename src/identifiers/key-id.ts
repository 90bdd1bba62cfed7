/**
 * Signing key IDs (spec server-server API
 * [Retrieving server keys](https://spec.matrix.org/v1.19/server-server-api/#retrieving-server-keys)):
 * `algorithm ":" version`, where the only algorithm in use is `ed25519` and the version is `[a-zA-Z0-9_]+`.
 */
import * as E from 'fp-ts/lib/Either.js';
import { type IdentifierError, identifierError, isAlpha, isDigit, quote } from './common.js';

/** A parsed key ID. */
export interface KeyId {
  /** The whole key ID, as given, e.g. `ed25519:a_abcd`. */
  readonly keyId: string;
  /** The part before the first `:`: always `ed25519` with `strict` (other algorithms are an {@link UnknownAlgorithmError}). */
  readonly algorithm: string;
  /** The part after the first `:`, e.g. `a_abcd` (also `policy_server` for MSC4284 policy-server signatures). */
  readonly version: string;
}

/** Options of {@link parseKeyId}. */
export interface ParseKeyIdOptions {
  /**
   * `true`: the spec grammar `ed25519:[a-zA-Z0-9_]+`, for key IDs this server creates. `false` (default): any
   * non-empty algorithm and version split at the first `:`, as Synapse (signedjson) accepts key IDs it receives.
   */
  readonly strict?: boolean;
}

/** The error for a well-formed key ID with another algorithm (strict mode) carries that algorithm. */
export interface UnknownAlgorithmError extends IdentifierError {
  readonly reason: 'unknown_algorithm';
  /** The algorithm named before the first `:`, e.g. `ed448` (never empty). */
  readonly algorithm: string;
}

const isVersionChar = (c: number): boolean => isAlpha(c) || isDigit(c) || c === 0x5f;

/**
 * Splits a key ID (`algorithm:version`) at its first `:`.
 *
 * - Default (lenient): any non-empty algorithm and version, as Synapse (signedjson) accepts the key IDs it receives:
 *   `ed25519:a:b` has version `a:b`, `curve25519:x` algorithm `curve25519`.
 * - `strict: true`: the spec grammar `ed25519:[a-zA-Z0-9_]+` (spec server-server API
 *   [Retrieving server keys](https://spec.matrix.org/v1.19/server-server-api/#retrieving-server-keys)), for key IDs
 *   this server creates. Another algorithm is `unknown_algorithm` (an {@link UnknownAlgorithmError} carrying it), so
 *   that a verifier can skip such signatures rather than fail.
 *
 * Either way `ed25519` alone is `missing_key_version`, `:1` is `invalid_algorithm` and `ed25519:` is
 * `invalid_key_version`.
 *
 * @example parseKeyId('ed25519:a_abcd') // Right({ keyId: 'ed25519:a_abcd', algorithm: 'ed25519', version: 'a_abcd' })
 * @example parseKeyId('ed25519:a-b') // Right({ ..., version: 'a-b' })
 * @example parseKeyId('ed25519:a-b', { strict: true }) // Left({ reason: 'invalid_key_version', index: 9 })
 * @example parseKeyId('ed448:1', { strict: true }) // Left({ reason: 'unknown_algorithm', algorithm: 'ed448' })
 */
export function parseKeyId(
  input: unknown,
  options: ParseKeyIdOptions = {},
): E.Either<IdentifierError | UnknownAlgorithmError, KeyId> {
  let strict: boolean;
  try {
    strict = typeof options === 'object' && options !== null && options.strict === true;
  } catch {
    strict = true; // options that cannot be read: the stricter grammar
  }
  if (typeof input !== 'string')
    return E.left(identifierError('key_id', 'not_a_string', 'a key ID must be a string'));
  if (input.length === 0) return E.left(identifierError('key_id', 'empty', 'a key ID must not be empty'));
  const colon = input.indexOf(':');
  if (colon < 0) {
    return E.left(
      identifierError('key_id', 'missing_key_version', `a key ID is "algorithm:version": ${quote(input)}`),
    );
  }
  if (colon === 0) {
    return E.left(
      identifierError('key_id', 'invalid_algorithm', `a key ID needs an algorithm: ${quote(input)}`, {
        index: 0,
      }),
    );
  }
  const algorithm = input.slice(0, colon);
  if (strict && algorithm !== 'ed25519') {
    const error: UnknownAlgorithmError = {
      ...identifierError('key_id', 'unknown_algorithm', `unsupported key algorithm ${quote(algorithm)}`),
      reason: 'unknown_algorithm',
      algorithm,
    };
    return E.left(error);
  }
  if (colon === input.length - 1) {
    return E.left(
      identifierError('key_id', 'invalid_key_version', `the key version must not be empty: ${quote(input)}`, {
        index: colon + 1,
      }),
    );
  }
  if (strict) {
    for (let i = colon + 1; i < input.length; i++) {
      if (!isVersionChar(input.charCodeAt(i))) {
        return E.left(
          identifierError(
            'key_id',
            'invalid_key_version',
            `the key version may only contain [a-zA-Z0-9_]: ${quote(input)}`,
            { index: i },
          ),
        );
      }
    }
  }
  return E.right({ keyId: input, algorithm, version: input.slice(colon + 1) });
}
