/**
 * Signing key IDs (`SPEC/server-server-api/#retrieving-server-keys`, `definitions/keys.yaml`; protocol.md §7.7, §8):
 * `algorithm ":" version`, where the only algorithm in use is `ed25519` and the version is `[a-zA-Z0-9_]+`.
 */
import * as E from 'fp-ts/lib/Either.js';
import { type IdentifierError, identifierError, isAlpha, isDigit, quote } from './common.js';

/** The signing algorithms this library verifies. */
export type KeyAlgorithm = 'ed25519';

/** A parsed key ID. */
export interface StrictKeyId {
  /** The whole key ID, e.g. `ed25519:a_abcd`. */
  readonly keyId: string;
  /** The part before the first `:`; always `ed25519` (other algorithms are an {@link UnknownAlgorithmError}). */
  readonly algorithm: KeyAlgorithm;
  /** The part after the first `:`, e.g. `a_abcd` (also `policy_server` for MSC4284 policy-server signatures). */
  readonly version: string;
}

/** The error for a well-formed key ID with another algorithm carries that algorithm. */
export interface UnknownAlgorithmError extends IdentifierError {
  readonly reason: 'unknown_algorithm';
  /** The algorithm named before the first `:`, e.g. `ed448` (never empty). */
  readonly algorithm: string;
}

const isVersionChar = (c: number): boolean => isAlpha(c) || isDigit(c) || c === 0x5f;

/**
 * Parses a key ID against the spec grammar (`ed25519:[a-zA-Z0-9_]+`): for key IDs this server creates, or wherever
 * strictness is wanted. Synapse (signedjson) does not enforce the version grammar on received key IDs, so the
 * lenient splitter used for verification is `parseKeyId` in the crypto module.
 *
 * `unknown_algorithm` (with `algorithm` set) is reported apart from malformed IDs, so that a verifier can skip
 * such signatures (pitfall 32); `ed25519` without `:version` is `missing_key_version` (protocol.md §7.7). The
 * algorithm name is only checked for being non-empty: `curve25519:x` and `ed448:x` are both `unknown_algorithm`.
 *
 * @example parseKeyIdStrict('ed25519:a_abcd') // Right({ keyId: 'ed25519:a_abcd', algorithm: 'ed25519', version: 'a_abcd' })
 * @example parseKeyIdStrict('ed448:1') // Left({ reason: 'unknown_algorithm', algorithm: 'ed448' })
 * @example parseKeyIdStrict('ed25519:a-b') // Left({ reason: 'invalid_key_version', index: 9 })
 */
export function parseKeyIdStrict(
  input: unknown,
): E.Either<IdentifierError | UnknownAlgorithmError, StrictKeyId> {
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
  if (algorithm !== 'ed25519') {
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
  for (let i = colon + 1; i < input.length; i++) {
    if (!isVersionChar(input.charCodeAt(i))) {
      return E.left(
        identifierError(
          'key_id',
          'invalid_key_version',
          `the key version may only contain [a-zA-Z0-9_]: ${quote(input)}`,
          {
            index: i,
          },
        ),
      );
    }
  }
  return E.right({ keyId: input, algorithm: 'ed25519', version: input.slice(colon + 1) });
}
