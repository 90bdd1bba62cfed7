/**
 * A runtime without Node's built-in modules (a browser, workerd without `nodejs_compat`), simulated by replacing
 * the platform layer's built-ins: only `noble` is available, `configureCrypto` refuses `sodium` and `node`, the
 * async helpers use Web Crypto, hashes come from `@noble/hashes`, and the results are Node's. The random source is
 * removed too: `generateSigningKey` then says so instead of throwing.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it, vi } from 'vitest';
import { resolveAsyncBackendName } from '../../src/crypto/async.js';
import { configureCrypto } from '../../src/crypto/config.js';
import { availableBackends, defaultBackend, isBackendAvailable } from '../../src/crypto/ed25519.js';
import { generateSigningKey } from '../../src/crypto/keys.js';
import { encodeBase64 } from '../../src/encoding/base64.js';
import { receiveInvite } from '../../src/invite/receive/receive.js';
import { receiveInviteAsync } from '../../src/invite/receive/receive-async.js';
import { hashes } from '../../src/platform/hash.js';
import { utf8Length } from '../../src/platform/text.js';
import { asyncOf, snapshot } from '../helpers/async-keys.js';
import { context, requestFor, signedInvite } from '../invite/helpers.js';

vi.mock('../../src/platform/builtins.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/platform/builtins.js')>();
  return { ...original, builtins: original.NO_BUILTINS };
});
vi.mock('../../src/platform/random.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/platform/random.js')>();
  return { ...original, randomBytes: undefined };
});

describe('without node:crypto, node:buffer and node:module', () => {
  it('uses portable code: noble only, @noble/hashes, JavaScript UTF-8 and base64', () => {
    expect(availableBackends()).toEqual(['noble']);
    expect(defaultBackend()).toBe('noble');
    expect(isBackendAvailable('sodium')).toBe(false);
    expect(hashes.implementation).toBe('noble');
    expect(utf8Length('é😀')).toBe(6);
    expect(encodeBase64(new Uint8Array(60).fill(251))).toBe('+/v7'.repeat(20));
  });

  it('configureCrypto refuses the backends this runtime lacks', () => {
    for (const options of [{ backend: 'sodium' }, { backend: 'node' }, { asyncBackend: 'node' }] as const) {
      const result = configureCrypto(options);
      expect(E.isLeft(result) && result.left.reason).toBe('backend_unavailable');
    }
    expect(E.isRight(configureCrypto({ backend: 'noble', asyncBackend: 'webcrypto' }))).toBe(true);
    configureCrypto({ backend: 'auto', asyncBackend: 'auto' });
  });

  it('the async helpers use Web Crypto and answer exactly as the synchronous pipeline', async () => {
    expect(await resolveAsyncBackendName()).toBe('webcrypto');
    const request = requestFor('v2', '11', signedInvite('11'));
    const sync = receiveInvite(request, context);
    expect(E.isRight(sync)).toBe(true);
    expect(snapshot(await receiveInviteAsync(request, { ...context, keys: asyncOf(context.keys) }))).toBe(
      snapshot(sync),
    );
  });

  it('generateSigningKey without a random source is a typed error', () => {
    const generated = generateSigningKey({ version: 'a' });
    expect(E.isLeft(generated) && generated.left.reason).toBe('backend_failure');
  });
});
