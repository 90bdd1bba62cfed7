/**
 * The runtime benchmark: sign, verify and receive throughput of the built package in any runtime, on the probe's
 * fixtures (a room version 12 invite with three invite_room_state events). Like probe.mjs, it imports nothing: the
 * entry hands in the package. Run for every runtime by `npm run bench:runtimes` (bench/runtimes.ts).
 *
 * Modes `default` and `noble` (synchronous functions):
 * - sign: `signEvent` of the invite event (content hash, redaction, canonical JSON, one ed25519 signature);
 * - verify: `verifyEventSignatures` of the signed invite (redaction, canonical JSON, one ed25519 verification);
 * - receive: `receiveInvite` of the whole v2 request body (parse, checks, four signature verifications, content
 *   hashes, countersignature, response bytes).
 * Mode `webcrypto` (async, Web Crypto's Ed25519): verify is `verifyEventSignaturesAsync` and receive is
 * `receiveInviteAsync`, both with an async key lookup; sign is a Web Crypto signature of the same event's signing
 * bytes (redaction and canonical JSON done once, outside the loop: there is no async `signEvent`).
 */
import { buildWorld, must, receive } from './probe.mjs';

export const BENCH_TASKS = ['sign', 'verify', 'receive'];
export const BENCH_MODES = ['default', 'noble', 'webcrypto'];

/** One operation of `task` in `mode`, ready to be called in a loop (each call checks its own verdict). */
export async function benchOperation(lib, task, mode) {
  const asyncMode = mode === 'webcrypto';
  const world = buildWorld(lib, mode === 'default' || asyncMode ? undefined : mode);
  const event = world.built.event;
  const { signatures: _signatures, ...unsigned } = event;
  const asyncKeys = async (serverName, keyId) => world.keys(serverName, keyId);
  if (task === 'sign' && !asyncMode) {
    return () =>
      must(
        lib.signEvent({
          event: unsigned,
          roomVersion: '12',
          serverName: 'inviter.example',
          signingKey: world.inviter,
        }),
        'sign',
      );
  }
  if (task === 'sign') {
    const bytes = must(lib.signingBytes(must(lib.redactEvent(unsigned, '12'), 'redact')), 'signing bytes');
    const signer = await lib.createWebCryptoSigner(new Uint8Array(32).fill(1));
    if (signer === undefined) throw new Error('no Web Crypto Ed25519 here');
    return () => signer(bytes);
  }
  if (task === 'verify' && !asyncMode) {
    return () =>
      must(
        lib.verifyEventSignatures({ event, roomVersion: '12', keys: world.keys, ...world.backendOption }),
        'verify',
      );
  }
  if (task === 'verify') {
    return async () =>
      must(
        await lib.verifyEventSignaturesAsync({
          event,
          roomVersion: '12',
          keys: asyncKeys,
          backend: 'webcrypto',
        }),
        'verify',
      );
  }
  if (task === 'receive' && !asyncMode) return () => must(receive(lib, world, world.body), 'receive');
  if (task === 'receive') {
    const request = {
      apiVersion: 'v2',
      roomId: event.room_id,
      eventId: world.built.eventId,
      origin: 'inviter.example',
      body: world.body,
    };
    const context = { serverName: 'invitee.example', signingKey: world.invitee, keys: asyncKeys };
    return async () =>
      must(await lib.receiveInviteAsync(request, { ...context, backend: 'webcrypto' }), 'receive');
  }
  throw new Error(`unknown task ${task}`);
}

/** Runs `operation` `iterations` times (for runtimes whose clock stands still while code runs, timed outside). */
export async function runIterations(operation, iterations) {
  for (let i = 0; i < iterations; i++) await operation();
  return iterations;
}

/**
 * Operations per second of `operation`, measured for at least `budgetMs` after a warm-up of at least 300 ms (the
 * first task of a runtime otherwise pays for the JIT and for noble's precomputed tables).
 */
async function opsPerSecond(operation, budgetMs) {
  const now = () => performance.now();
  const warm = now();
  for (let i = 0; i < 20 || now() - warm < 300; i++) await operation();
  let count = 0;
  const start = now();
  let elapsed = 0;
  while (elapsed < budgetMs) {
    for (let i = 0; i < 10; i++) await operation();
    count += 10;
    elapsed = now() - start;
  }
  return (count * 1000) / elapsed;
}

/**
 * Lines `{name: '<mode>.<task>', value: ops/s}` for every mode and task, after a `backends` line. Two passes over
 * every cell, half the budget each, keeping the better: whatever cell came first in a fresh process measured
 * slower than later ones (seen in Chromium and workerd whichever mode went first).
 */
export async function runBench(lib, budgetMs = 1000) {
  const lines = [
    { name: 'backends', value: { default: lib.defaultBackend(), available: lib.availableBackends() } },
  ];
  const best = new Map();
  for (let pass = 0; pass < 2; pass++) {
    for (const mode of BENCH_MODES) {
      for (const task of BENCH_TASKS) {
        const name = `${mode}.${task}`;
        try {
          const value = await opsPerSecond(await benchOperation(lib, task, mode), budgetMs / 2);
          const previous = best.get(name);
          if (typeof previous !== 'number' || value > previous) best.set(name, value);
        } catch (error) {
          if (!best.has(name)) best.set(name, String(error?.stack ?? error));
        }
      }
    }
  }
  for (const [name, value] of best) {
    lines.push(typeof value === 'number' ? { name, value } : { name, error: value });
  }
  return lines;
}
