/**
 * Choosing the ed25519 backends once, for the whole process. By default the best available is used: `sodium` >
 * `node` > `noble` for the synchronous functions, and for the async helpers the synchronous default when it is
 * native (`sodium`, `node`), else Web Crypto where the runtime has Ed25519 in it, else `noble`. Every backend gives
 * libsodium's verdicts, so the choice is about speed and dependencies, never about results.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { LibraryError } from '../errors/base.js';
import { errorText } from '../errors/describe.js';
import { BACKEND_PREFERENCE, defaultBackend, isBackendAvailable, isBackendName } from './backends.js';
import { configured } from './defaults.js';
import type { Ed25519AsyncBackendName, Ed25519BackendName } from './types.js';
import { hasWebCrypto } from './webcrypto.js';

/**
 * What {@link configureCrypto} changes; an omitted field keeps its current setting, `auto` restores the default.
 *
 * @category Keys
 */
export interface CryptoOptions {
  /** Backend of every synchronous signature check and of new signing keys. */
  readonly backend?: Ed25519BackendName | 'auto';
  /** Backend of the async helpers' signature checks (`receiveInviteAsync`...). */
  readonly asyncBackend?: Ed25519AsyncBackendName | 'auto';
}

/**
 * The backends in force.
 *
 * @category Keys
 */
export interface CryptoConfiguration {
  /** The synchronous backend that runs when a call names none. */
  readonly backend: Ed25519BackendName;
  /** The async helpers' backend, or `auto` (decided at first use, see the module documentation). */
  readonly asyncBackend: Ed25519AsyncBackendName | 'auto';
}

/**
 * Why a configuration was refused: not an object, a name that is no backend, a backend this runtime lacks.
 *
 * @category Keys
 */
export type CryptoConfigErrorReason = 'invalid_options' | 'unknown_backend' | 'backend_unavailable';

/**
 * A refused configuration (`kind: 'CryptoConfigError'`); nothing was changed.
 *
 * @category Keys
 */
export type CryptoConfigError = LibraryError<'CryptoConfigError', CryptoConfigErrorReason>;

function refuse(
  reason: CryptoConfigErrorReason,
  message: string,
  path: string[],
): E.Either<CryptoConfigError, never> {
  return E.left({ kind: 'CryptoConfigError', reason, message, path });
}

/** The backends in force now. */
export function cryptoConfiguration(): CryptoConfiguration {
  return { backend: defaultBackend(), asyncBackend: configured.asyncBackend ?? 'auto' };
}

/**
 * Chooses the ed25519 backends for the whole process (call it once at startup; per-call `backend` options still
 * win). Refuses, changing nothing, an unknown name or a backend this runtime lacks (`sodium` without
 * `sodium-native`, `node` without `node:crypto` Ed25519, `webcrypto` without `crypto.subtle`).
 *
 * @example configureCrypto({ backend: 'noble' }) // Right({ backend: 'noble', asyncBackend: 'auto' })
 * @example configureCrypto({ asyncBackend: 'webcrypto' }) // on a Cloudflare Worker
 * @category Keys
 */
export function configureCrypto(options: CryptoOptions): E.Either<CryptoConfigError, CryptoConfiguration> {
  if (typeof options !== 'object' || options === null) {
    return refuse('invalid_options', 'configureCrypto expects an object such as { backend: "noble" }', []);
  }
  let backend: unknown;
  let asyncBackend: unknown;
  try {
    ({ backend, asyncBackend } = options as { backend?: unknown; asyncBackend?: unknown });
  } catch (error) {
    return refuse('invalid_options', `configureCrypto cannot read its options: ${errorText(error)}`, []);
  }
  if (backend !== undefined && backend !== 'auto') {
    if (!isBackendName(backend)) {
      return refuse(
        'unknown_backend',
        `unknown backend ${describe(backend)}: expected one of ${BACKEND_PREFERENCE.join(', ')} or auto`,
        ['backend'],
      );
    }
    if (!isBackendAvailable(backend)) {
      return refuse('backend_unavailable', `the ${backend} backend is not available in this runtime`, [
        'backend',
      ]);
    }
  }
  if (asyncBackend !== undefined && asyncBackend !== 'auto') {
    if (asyncBackend === 'webcrypto') {
      if (!hasWebCrypto()) {
        return refuse('backend_unavailable', 'this runtime has no Web Crypto (crypto.subtle)', [
          'asyncBackend',
        ]);
      }
    } else if (!isBackendName(asyncBackend)) {
      return refuse(
        'unknown_backend',
        `unknown async backend ${describe(asyncBackend)}: expected webcrypto, ${BACKEND_PREFERENCE.join(', ')} or auto`,
        ['asyncBackend'],
      );
    } else if (!isBackendAvailable(asyncBackend)) {
      return refuse('backend_unavailable', `the ${asyncBackend} backend is not available in this runtime`, [
        'asyncBackend',
      ]);
    }
  }
  if (backend !== undefined) configured.backend = backend === 'auto' ? undefined : backend;
  if (asyncBackend !== undefined)
    configured.asyncBackend = asyncBackend === 'auto' ? undefined : (asyncBackend as Ed25519AsyncBackendName);
  return E.right(cryptoConfiguration());
}

function describe(value: unknown): string {
  return typeof value === 'string'
    ? JSON.stringify(value)
    : `of type ${value === null ? 'null' : typeof value}`;
}
