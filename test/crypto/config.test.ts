/** Choosing the backends once for the process (`configureCrypto`), and what the async helpers then use. */
import * as E from 'fp-ts/lib/Either.js';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveAsyncBackendName } from '../../src/crypto/async.js';
import { configureCrypto, cryptoConfiguration } from '../../src/crypto/config.js';
import { defaultBackend, resolveBackendName, signEd25519 } from '../../src/crypto/ed25519.js';
import { signingKeyFromSeed } from '../../src/crypto/keys.js';
import type { Ed25519AsyncBackendName, Ed25519BackendName } from '../../src/crypto/types.js';

afterEach(() => {
  configureCrypto({ backend: 'auto', asyncBackend: 'auto' });
});

const reasonOf = (result: ReturnType<typeof configureCrypto>) =>
  E.isLeft(result) ? result.left.reason : 'ok';

describe('configureCrypto', () => {
  it('defaults to the best available backend (sodium here) and an automatic async backend', () => {
    expect(cryptoConfiguration()).toEqual({ backend: 'sodium', asyncBackend: 'auto' });
    expect(defaultBackend()).toBe('sodium');
  });

  it('chooses the backend of every call that names none, and of new signing keys', () => {
    expect(configureCrypto({ backend: 'noble' })).toEqual(
      E.right({ backend: 'noble', asyncBackend: 'auto' }),
    );
    expect(defaultBackend()).toBe('noble');
    expect(resolveBackendName()).toBe('noble');
    const key = signingKeyFromSeed({ seed: new Uint8Array(32), version: 'a' });
    expect(E.isRight(key) && key.right.backend).toBe('noble');
    // a per-call backend still wins
    expect(resolveBackendName('node')).toBe('node');
    const seed = new Uint8Array(32).fill(3);
    expect(signEd25519({ seed, message: new Uint8Array([1]) })).toEqual(
      signEd25519({ seed, message: new Uint8Array([1]), backend: 'sodium' }),
    );
    expect(configureCrypto({ backend: 'auto' })).toEqual(
      E.right({ backend: 'sodium', asyncBackend: 'auto' }),
    );
  });

  it('keeps a setting that is not mentioned', () => {
    configureCrypto({ backend: 'node' });
    expect(configureCrypto({ asyncBackend: 'webcrypto' })).toEqual(
      E.right({ backend: 'node', asyncBackend: 'webcrypto' }),
    );
    expect(configureCrypto({})).toEqual(E.right({ backend: 'node', asyncBackend: 'webcrypto' }));
  });

  it('refuses unknown names and non-objects, changing nothing', () => {
    configureCrypto({ backend: 'node' });
    expect(reasonOf(configureCrypto({ backend: 'libsodium' as Ed25519BackendName }))).toBe('unknown_backend');
    expect(reasonOf(configureCrypto({ backend: 'webcrypto' as Ed25519BackendName }))).toBe('unknown_backend');
    expect(reasonOf(configureCrypto({ asyncBackend: 'subtle' as Ed25519AsyncBackendName }))).toBe(
      'unknown_backend',
    );
    expect(reasonOf(configureCrypto({ backend: 'noble', asyncBackend: 7 as unknown as 'noble' }))).toBe(
      'unknown_backend',
    );
    expect(reasonOf(configureCrypto(null as never))).toBe('invalid_options');
    expect(reasonOf(configureCrypto('noble' as never))).toBe('invalid_options');
    const unreadable = Object.defineProperty({}, 'asyncBackend', {
      get: () => {
        throw new Error('getter');
      },
    });
    expect(E.isLeft(configureCrypto(unreadable)) && configureCrypto(unreadable)).toMatchObject({
      left: { reason: 'invalid_options', message: 'configureCrypto cannot read its options: getter' },
    });
    const refused = configureCrypto({ backend: null as never });
    expect(E.isLeft(refused) && refused.left).toMatchObject({ kind: 'CryptoConfigError', path: ['backend'] });
    expect(cryptoConfiguration()).toEqual({ backend: 'node', asyncBackend: 'auto' });
  });

  it('refuses webcrypto where the runtime has no crypto.subtle', () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
    try {
      Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true });
      expect(reasonOf(configureCrypto({ asyncBackend: 'webcrypto' }))).toBe('backend_unavailable');
    } finally {
      if (saved !== undefined) Object.defineProperty(globalThis, 'crypto', saved);
    }
    expect(reasonOf(configureCrypto({ asyncBackend: 'webcrypto' }))).toBe('ok');
  });
});

describe('the async backend', () => {
  it('auto: the synchronous default when native, Web Crypto when the default is noble', async () => {
    expect(await resolveAsyncBackendName()).toBe('sodium');
    configureCrypto({ backend: 'node' });
    expect(await resolveAsyncBackendName()).toBe('node');
    configureCrypto({ backend: 'noble' });
    expect(await resolveAsyncBackendName()).toBe('webcrypto');
  });

  it('named: per call, or for the process', async () => {
    expect(await resolveAsyncBackendName('webcrypto')).toBe('webcrypto');
    expect(await resolveAsyncBackendName('noble')).toBe('noble');
    configureCrypto({ asyncBackend: 'sodium' });
    expect(await resolveAsyncBackendName()).toBe('sodium');
    configureCrypto({ asyncBackend: 'webcrypto' });
    expect(await resolveAsyncBackendName()).toBe('webcrypto');
    expect(await resolveAsyncBackendName('node')).toBe('node');
  });
});
