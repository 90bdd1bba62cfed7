/**
 * Same-run before/after: this checkout against another one (`--base <dir>`, e.g. main in a git worktree), loaded in
 * one process and measured in alternating pairs, so that the load of a shared machine hits both sides alike. Each
 * figure is the median over `--rounds` (default 21) of the per-round p50 latency; `speed` is base/new (> 1: faster).
 * `--filter <regular expression>` keeps the scenarios whose name matches it; `--time <ms>` is each task's time per round
 * (default 150). The canonical invite bodies are those of `npm run bench` (invite-scenarios.ts), built once by this
 * checkout and received by both.
 *
 *   git worktree add /tmp/base main && ln -s "$PWD/node_modules" /tmp/base/node_modules
 *   npx tsx bench/compare.ts --base /tmp/base
 *
 * Both checkouts must have the same API (the one-object calls of 1.0): the scenarios below call both alike.
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { Bench } from 'tinybench';
import type { JsonObject } from '../src/json/value.js';
import { built, INVITEE, INVITEE_SEED_HEX, keys, requestFor, SCENARIOS } from './invite-scenarios.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const baseDir = option('--base');
if (baseDir === undefined)
  throw new Error('usage: npx tsx bench/compare.ts --base <other checkout> [--rounds 21]');

type Lib = {
  ed: typeof import('../src/crypto/ed25519.js');
  keys: typeof import('../src/crypto/keys.js');
  json: typeof import('../src/crypto/json-signing.js');
  ev: typeof import('../src/events/verify.js');
  sign: typeof import('../src/events/signing.js');
  rx: typeof import('../src/invite/receive/receive.js');
  parse: typeof import('../src/json/parse.js');
  canonical: typeof import('../src/json/canonical.js');
};
async function load(root: string): Promise<Lib> {
  return {
    ed: await import(`${root}/src/crypto/ed25519.ts`),
    keys: await import(`${root}/src/crypto/keys.ts`),
    json: await import(`${root}/src/crypto/json-signing.ts`),
    ev: await import(`${root}/src/events/verify.ts`),
    sign: await import(`${root}/src/events/signing.ts`),
    rx: await import(`${root}/src/invite/receive/receive.ts`),
    parse: await import(`${root}/src/json/parse.ts`),
    canonical: await import(`${root}/src/json/canonical.ts`),
  };
}
const base = await load(resolve(baseDir));
const head = await load(resolve(import.meta.dirname, '..'));
const r = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(JSON.stringify(e.left));
  return e.right;
};
const SEED = new Uint8Array(32).fill(7);
const MSG = new TextEncoder().encode('{"content":{"membership":"invite"},"type":"m.room.member"}0123456');

function scenarios(lib: Lib): Record<string, () => unknown> {
  const out: Record<string, () => unknown> = {};
  const pk = r(lib.ed.publicKeyFromSeed(SEED));
  const sig = r(lib.ed.signEd25519({ seed: SEED, message: MSG }));
  out['verifyEd25519 (default backend, no option)'] = () =>
    lib.ed.verifyEd25519({ publicKey: pk, message: MSG, signature: sig });
  for (const backend of ['sodium', 'node'] as const) {
    const key = r(lib.keys.signingKeyFromSeed({ seed: SEED, version: 'b', backend }));
    const signed = r(
      lib.json.signJson({ value: { hello: 'world', n: 1 }, serverName: 'example.org', signingKey: key }),
    );
    out[`verifyEd25519 (${backend})`] = () =>
      lib.ed.verifyEd25519({ publicKey: pk, message: MSG, signature: sig, backend });
    out[`SigningKey.sign (${backend})`] = () => key.sign(MSG);
    const jsonKeys = lib.keys.keyLookupFrom({ 'example.org': { [key.keyId]: key.publicKey } });
    out[`verifyJsonSignatures (${backend})`] = () =>
      lib.json.verifyJsonSignatures({ value: signed, serverName: 'example.org', keys: jsonKeys, backend });
    const event = r(
      lib.sign.signEvent({
        event: {
          type: 'm.room.member',
          state_key: '@bob:invitee.example',
          sender: '@alice:inviter.example',
          room_id: '!r:inviter.example',
          content: { membership: 'invite', displayname: 'Bob'.repeat(50) },
          origin_server_ts: 1700000000000,
          depth: 10,
          auth_events: ['$a', '$b'],
          prev_events: ['$c'],
        },
        roomVersion: '10',
        serverName: 'inviter.example',
        signingKey: key,
      }),
    );
    const lookup = (s: string, k: string) =>
      s === 'inviter.example' && k === key.keyId ? { key: key.publicKey } : undefined;
    out[`verifyEventSignatures (${backend})`] = () =>
      lib.ev.verifyEventSignatures({ event, roomVersion: '10', keys: lookup, backend });
    const invitee = r(
      lib.keys.signingKeyFromSeed({ seed: new Uint8Array(32).fill(9), version: '2', backend }),
    );
    const body = new TextEncoder().encode(
      JSON.stringify({ room_version: '10', event, invite_room_state: [] }),
    );
    const probe = lib.rx.receiveInvite(
      { apiVersion: 'v2', roomId: '!r:inviter.example', eventId: '$probe', origin: 'inviter.example', body },
      { serverName: 'invitee.example', signingKey: invitee, keys: lookup },
    );
    const eventId = E.isLeft(probe) ? (/the event's ID is (\S+),/.exec(probe.left.message)?.[1] ?? '') : '';
    const request = {
      apiVersion: 'v2' as const,
      roomId: '!r:inviter.example',
      eventId,
      origin: 'inviter.example',
      body,
    };
    const context = { serverName: 'invitee.example', signingKey: invitee, keys: lookup, policy: { backend } };
    r(lib.rx.receiveInvite(request, context));
    out[`receiveInvite v2 (${backend})`] = () => lib.rx.receiveInvite(request, context);
  }
  // The canonical bodies of `npm run bench`.
  const canonical = (group: string) => {
    const scenario = SCENARIOS.find((s) => s.group === group);
    if (scenario === undefined) throw new Error(group);
    return built(scenario);
  };
  const six = canonical('invite: v10, 6 stripped events');
  out['parseJson (canonical v10 body, 6 stripped, bytes)'] = () => lib.parse.parseJson(six.body);
  const event = r(lib.parse.parseJson(six.body)) as { event: JsonObject };
  out['encodeCanonicalJson (parsed invite event)'] = () => lib.canonical.encodeCanonicalJson(event.event);
  for (const [group, backends] of [
    ['invite: v10, 6 stripped events', ['sodium', 'node']],
    ['invite: v10, 100 stripped events', ['sodium']],
    ['invite: v10, 60 KB many-key content', ['sodium']],
    ['invite: v10, 60 KB string content', ['sodium']],
  ] as const) {
    const body = canonical(group);
    for (const backend of backends) {
      const signingKey = r(
        lib.keys.signingKeyFromSeed({
          seed: Uint8Array.from(Buffer.from(INVITEE_SEED_HEX, 'hex')),
          version: '2',
          backend,
        }),
      );
      const context = { serverName: INVITEE, signingKey, keys, policy: { backend } };
      const request = requestFor(body);
      r(lib.rx.receiveInvite(request, context));
      out[`${group.replace('invite: ', 'receive ')} (${backend})`] = () =>
        lib.rx.receiveInvite(request, context);
    }
  }
  const filter = option('--filter');
  const keep = filter === undefined ? undefined : new RegExp(filter);
  for (const name of Object.keys(out)) if (keep !== undefined && !keep.test(name)) delete out[name];
  return out;
}
const A = scenarios(base);
const B = scenarios(head);
const ROUNDS = Number(option('--rounds') ?? 21);
const ratios = new Map<string, number[]>();
const lat = new Map<string, [number[], number[]]>();
for (let round = 0; round < ROUNDS; round++) {
  const bench = new Bench({ time: Number(option('--time') ?? 150), warmupTime: 30 });
  for (const name of Object.keys(A)) {
    const [first, second] = round % 2 === 0 ? ['base', 'head'] : ['head', 'base'];
    bench.add(`${name}|${first}`, (first === 'base' ? A : B)[name] as () => void);
    bench.add(`${name}|${second}`, (second === 'base' ? A : B)[name] as () => void);
  }
  await bench.run();
  const p50 = (n: string) => {
    const t = bench.tasks.find((x) => x.name === n)?.result;
    return t !== undefined && 'latency' in t ? t.latency.p50 * 1000 : Number.NaN;
  };
  for (const name of Object.keys(A)) {
    const a = p50(`${name}|base`);
    const b = p50(`${name}|head`);
    ratios.set(name, [...(ratios.get(name) ?? []), a / b]);
    const l = lat.get(name) ?? [[], []];
    l[0].push(a);
    l[1].push(b);
    lat.set(name, l);
  }
}
const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
console.log(`${resolve(baseDir)} (base) vs this checkout, ${ROUNDS} paired rounds (median of per-round p50)`);
console.log(
  `load average (1, 5, 15 min) at the end: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(', ')}`,
);
for (const [name, rs] of ratios) {
  const [a, b] = lat.get(name) as [number[], number[]];
  console.log(
    `${name.padEnd(52)} base ${med(a).toFixed(1).padStart(7)} µs  new ${med(b).toFixed(1).padStart(7)} µs  speed ${med(rs).toFixed(2)}`,
  );
}
