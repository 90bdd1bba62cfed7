/**
 * Bytes the library hands to callers own their `ArrayBuffer` (exactly as long as the bytes), so that code reading
 * `.buffer` as a whole (`Buffer.from(bytes.buffer)`, `new Uint8Array(bytes.buffer)`, a transfer to a worker) gets
 * these bytes and nothing else: no other invite's response or signing bytes, and no later result is emptied by a
 * transfer. Inside the library, small UTF-8 results share a pool (src/platform/text.ts) for speed.
 */
import { describe, expect, it } from 'vitest';
import { signingBytes } from '../../src/crypto/json-signing.js';
import { receiveInvite, SYNAPSE_COMPATIBLE_POLICY } from '../../src/invite/receive/receive.js';
import { context, requestFor, right, signedInvite, text } from './helpers.js';

const ownsItsBuffer = (bytes: Uint8Array): boolean =>
  bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength;

describe('bytes returned to the caller own their buffer', () => {
  for (const [apiVersion, version] of [
    ['v2', '10'],
    ['v2', '12'],
    ['v1', '1'],
  ] as const) {
    it(`receiveInvite responseBytes (${apiVersion}, room ${version}), canonical and preserve-order`, () => {
      const event = signedInvite(version);
      for (const policy of [{}, { responseEncoding: 'preserve-order' as const }, SYNAPSE_COMPATIBLE_POLICY]) {
        const first = right(receiveInvite(requestFor(apiVersion, version, event), { ...context, policy }));
        const second = right(receiveInvite(requestFor(apiVersion, version, event), { ...context, policy }));
        expect(first.responseBytes.byteLength).toBeLessThan(4096); // small enough for the internal pool
        expect(ownsItsBuffer(first.responseBytes)).toBe(true);
        expect(ownsItsBuffer(second.responseBytes)).toBe(true);
        expect(first.responseBytes.buffer).not.toBe(second.responseBytes.buffer);
        // Reading the whole buffer gives the response and nothing else.
        expect(text(new Uint8Array(first.responseBytes.buffer))).toBe(text(first.responseBytes));
        // Transferring one answer's buffer leaves the next one intact.
        const expected = text(second.responseBytes);
        const buffer = first.responseBytes.buffer as ArrayBuffer;
        structuredClone(buffer, { transfer: [buffer] });
        expect(first.responseBytes.byteLength).toBe(0);
        expect(text(second.responseBytes)).toBe(expected);
      }
    });
  }

  it('signingBytes', () => {
    const a = right(signingBytes({ one: 1, unsigned: { x: 1 } }));
    const b = right(signingBytes({ two: 2 }));
    expect(text(a)).toBe('{"one":1}');
    expect(ownsItsBuffer(a)).toBe(true);
    expect(ownsItsBuffer(b)).toBe(true);
    const buffer = a.buffer as ArrayBuffer;
    structuredClone(buffer, { transfer: [buffer] });
    expect(text(b)).toBe('{"two":2}');
  });
});
