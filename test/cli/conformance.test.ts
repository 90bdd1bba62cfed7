/**
 * `matrix-invite conformance` end to end on loopback: a node:http homeserver (receiveInvite + verifyRequest)
 * fetches the kit's keys from the command's key servers over HTTPS, trusting the certificate whose path the
 * command prints, and the command prints the report. Then plain HTTP, pre-seeded keys (--no-serve) against a
 * defective target, the request bound, the timeout, a kept certificate (--tls-dir), --print-keys, --target-keys
 * and the usage errors.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, get as httpGet, type IncomingMessage, type Server } from 'node:http';
import { get as httpsGet } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import {
  type ConformanceRequest,
  type ConformanceResponse,
  DEFAULT_INVITER_SERVER_NAME,
  DEFAULT_OTHER_SERVER_NAME,
} from '../../src/conformance/index.js';
import { createServerKeyStore, type ServerKeyStore } from '../../src/server-keys/store.js';
import { verifyServerKeys } from '../../src/server-keys/verify.js';
import { handRolledTarget } from '../conformance/hand-rolled-target.js';
import { kitKeyStore, right } from '../conformance/helpers.js';
import { answer, ownKeyAnswer, referenceTarget, TARGET, targetKey } from '../conformance/reference-target.js';
import { memoryIo, run } from './helpers.js';

const USER = `@bob:${TARGET}`;
const LIMIT = String(1 << 20);
const servers: Server[] = [];
const scratch: string[] = [];

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise((resolve) => {
          s.close(resolve);
          s.closeAllConnections();
        }),
    ),
  );
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function readBody(request: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

/** A homeserver on loopback answering with `handler`. Returns its base URL. */
async function homeserver(
  handler: (request: ConformanceRequest) => Promise<ConformanceResponse>,
): Promise<string> {
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const headers: Record<string, string> = {};
      if (typeof request.headers.authorization === 'string')
        headers.authorization = request.headers.authorization;
      const result = await handler({
        method: request.method as 'PUT',
        path: request.url ?? '',
        headers,
        body,
      });
      const bytes = result.body as Uint8Array;
      response.writeHead(result.status, {
        'content-type': 'application/json',
        'content-length': bytes.length,
      });
      response.end(bytes);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** GET a URL (https: trusting `ca` only). */
function download(url: string, ca?: string): Promise<{ status: number; body: Uint8Array }> {
  return new Promise((resolve, reject) => {
    const done = (response: IncomingMessage) => {
      readBody(response).then((body) => resolve({ status: response.statusCode ?? 0, body }), reject);
    };
    const request = url.startsWith('https:') ? httpsGet(url, { ca, agent: false }, done) : httpGet(url, done);
    request.on('error', reject);
  });
}

/**
 * What a homeserver does before checking a request: fetch the keys it lacks from
 * <scheme>://<server name>/_matrix/key/v2/server, trusting (for https) the certificate the command printed,
 * read from its stderr. `cache: false` fetches every time.
 */
function fetchingKeys(stderr: () => string, scheme: 'https' | 'http', log: string[], cache = true) {
  let store: ServerKeyStore = right(createServerKeyStore());
  return async (names: readonly string[]) => {
    if (!cache) store = right(createServerKeyStore());
    for (const name of new Set(names)) {
      if (store.servers.some((s) => s.serverName === name)) continue;
      const certPath = /TLS certificate of the key servers: (\S+) /.exec(stderr())?.[1];
      try {
        const fetched = await download(
          `${scheme}://${name}/_matrix/key/v2/server`,
          certPath === undefined ? undefined : readFileSync(certPath, 'utf8'),
        );
        log.push(`${name} ${fetched.status}`);
        const verified = verifyServerKeys(fetched.body, { serverName: name, now: Date.now() });
        if (E.isRight(verified)) store = right(store.add(verified.right));
      } catch (error) {
        log.push(`${name} ${(error as Error).message}`);
      }
    }
    return store.lookup;
  };
}

const conformance = (target: string, ...more: string[]) => [
  'conformance',
  '--target',
  target,
  '--server-name',
  TARGET,
  '--user',
  USER,
  '--body-limit',
  LIMIT,
  ...more,
];

describe('matrix-invite conformance against a homeserver on loopback', () => {
  it('serves the keys over HTTPS, the target trusts the printed certificate, all 94 cases pass, the report is printed', async () => {
    const io = memoryIo();
    const fetched: string[] = [];
    const target = await homeserver(
      referenceTarget({
        keysFor: fetchingKeys(io.err, 'https', fetched),
        now: Date.now(),
        maxBodyBytes: 1 << 20,
      }),
    );
    const code = await runCli(conformance(target), io);
    const err = io.err();
    expect(err).not.toContain('FAIL');
    expect(code).toBe(0);
    const certPath =
      /TLS certificate of the key servers: (\S+) \(make the target trust it\)/.exec(err)?.[1] ?? '';
    const [, inviter = '', inviterUrl = '', other = '', otherUrl = ''] =
      /serving the keys of (\S+) at (\S+) and of (\S+) at (\S+) \(at most 64 requests/.exec(err) ?? [];
    expect(inviter).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(inviterUrl).toBe(`https://${inviter}`);
    expect(otherUrl).toBe(`https://${other}`);
    // Each kit server's keys were fetched once, over HTTPS, verified against the printed certificate.
    expect(fetched).toEqual([`${inviter} 200`, `${other} 200`]);
    expect(err).toContain('key server 1: GET /_matrix/key/v2/server -> 200');
    expect(err).toContain('key server 2: GET /_matrix/key/v2/server -> 200');
    expect(err).toContain('PASS genuine/v1/room-1\n');
    expect(io.out()).toBe(
      `Invite conformance of ${TARGET} (invitee ${USER}; the kit is ${inviter} and ${other})\n94 cases: 94 passed, 0 failed\n`,
    );
    // The temporary certificate and the key servers are gone.
    expect(certPath).toMatch(/matrix-invite-conformance-.*cert\.pem$/);
    expect(existsSync(certPath)).toBe(false);
    await expect(download(`http://${inviter}/_matrix/key/v2/server`)).rejects.toThrow();
  });

  it('--plain serves over HTTP; --verbose lists the passes', async () => {
    const io = memoryIo();
    const fetched: string[] = [];
    const target = await homeserver(
      referenceTarget({ keysFor: fetchingKeys(io.err, 'http', fetched), now: Date.now() }),
    );
    const code = await runCli(
      conformance(target, '--plain', '--cases', 'genuine/v2/room-12,sender-not-origin', '-v'),
      io,
    );
    expect(code).toBe(0);
    expect(io.err()).not.toContain('TLS certificate');
    expect(io.err()).toMatch(/serving the keys of \S+ at http:\/\/127\.0\.0\.1:\d+ and/);
    expect(fetched.map((f) => f.split(' ')[1])).toEqual(['200', '200']);
    expect(io.out()).toContain('PASS genuine/v2/room-12: 200 countersigned (spec)\n');
    expect(io.out()).toContain('PASS sender-not-origin/v1/room-1: 400 M_INVALID_PARAM (spec)\n');
    expect(io.out()).toContain('8 cases: 8 passed, 0 failed\n');
  });

  it('--no-serve with pre-seeded keys, against a defective target: exit 1, the failures in the --json report', async () => {
    const io = memoryIo();
    const target = await homeserver(
      handRolledTarget({ keys: kitKeyStore({}, Date.now()).lookup, defect: 'bare-v1-answer' }),
    );
    const code = await runCli(
      conformance(
        target,
        '--no-serve',
        '--json',
        '--cases',
        'genuine,x-matrix-missing',
        '--room-versions',
        '1,2',
      ),
      io,
    );
    expect(code).toBe(1);
    expect(io.err()).not.toContain('serving');
    const report = JSON.parse(io.out());
    expect([report.inviterServerName, report.otherServerName]).toEqual([
      DEFAULT_INVITER_SERVER_NAME,
      DEFAULT_OTHER_SERVER_NAME,
    ]);
    expect(report.failures).toEqual(['genuine/v1/room-1', 'genuine/v1/room-2']);
    expect(report.counts).toEqual({ total: 5, passed: 3, failed: 2 });
    expect(io.err()).toContain('FAIL genuine/v1/room-1');
  });

  it('stops serving after --max-requests, and everything after --timeout', async () => {
    const io = memoryIo();
    const fetched: string[] = [];
    const target = await homeserver(
      referenceTarget({ keysFor: fetchingKeys(io.err, 'https', fetched, false), now: Date.now() }),
    );
    const code = await runCli(
      conformance(target, '--max-requests', '1', '--cases', 'genuine', '--room-versions', '10,11,12'),
      io,
    );
    expect(code).toBe(1);
    expect(io.err()).toContain('(over --max-requests 1: stopping)');
    expect(fetched[0]).toMatch(/ 200$/);
    expect(fetched[1]).toMatch(/ 503$/);
    expect(fetched.length).toBeGreaterThan(2);
    expect(fetched.slice(2).every((f) => !f.endsWith(' 200'))).toBe(true);

    const quiet = memoryIo();
    const silent = await homeserver((request) =>
      request.method === 'GET' ? Promise.resolve(answer(404, {})) : new Promise(() => {}),
    );
    const started = Date.now();
    const timedOut = await runCli(
      conformance(silent, '--plain', '--timeout', '1', '--cases', 'genuine/v2/room-10,genuine/v2/room-11'),
      quiet,
    );
    expect(timedOut).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(quiet.out()).toContain('got: no answer (timed out after 1 s)');
    expect(quiet.out()).toContain('2 cases: 0 passed, 2 failed');
  });

  it('listens on IPv6 loopback, names the kit [::1]:PORT; unknown key server paths are 404', async () => {
    const io = memoryIo();
    const fetched: string[] = [];
    const keys = fetchingKeys(io.err, 'http', fetched);
    const probes: number[] = [];
    const target = await homeserver(async (request) => {
      const name = /serving the keys of (\S+) at/.exec(io.err())?.[1] as string;
      if (probes.length === 0)
        probes.push((await download(`http://${name}/_matrix/federation/v1/version`)).status);
      return referenceTarget({ keysFor: keys, now: Date.now() })(request);
    });
    const code = await runCli(
      conformance(target, '--plain', '--listen', '[::1]:0', '--cases', 'genuine/v2/room-10'),
      io,
    );
    expect(code).toBe(0);
    expect(io.err()).toMatch(/serving the keys of \[::1\]:\d+ at http:\/\/\[::1\]:\d+ and of \[::1\]:\d+ at/);
    expect(probes).toEqual([404]);
    expect(io.err()).toMatch(/key server 1: GET \/_matrix\/federation\/v1\/version -> 404/);
    expect(fetched.map((f) => f.split(' ')[1])).toEqual(['200']);
  });

  it('--tls-dir keeps the certificate (and its key, private) for the next run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfi-tls-'));
    scratch.push(dir);
    const tlsDir = join(dir, 'tls');
    const certs: string[] = [];
    for (let i = 0; i < 2; i++) {
      const io = memoryIo();
      const target = await homeserver(
        referenceTarget({ keysFor: fetchingKeys(io.err, 'https', []), now: Date.now() }),
      );
      expect(
        await runCli(conformance(target, '--tls-dir', tlsDir, '--cases', 'genuine/v2/room-10'), io),
      ).toBe(0);
      expect(io.err()).toContain(`TLS certificate of the key servers: ${join(tlsDir, 'cert.pem')} `);
      certs.push(readFileSync(join(tlsDir, 'cert.pem'), 'utf8'));
    }
    expect(certs[0]).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(certs[1]).toBe(certs[0]);
    expect(statSync(join(tlsDir, 'key.pem')).mode & 0o777).toBe(0o600);
  });

  it("--target-keys: the target's keys from a file, none fetched", async () => {
    const file = 'target-keys.json';
    const now = Date.now();
    const seeded = kitKeyStore({}, now).lookup;
    const handler = referenceTarget({ keysFor: async () => seeded, now });
    const gets: string[] = [];
    const target = await homeserver(async (request) => {
      if (request.method === 'GET') {
        gets.push(request.path);
        return answer(404, {});
      }
      return handler(request);
    });
    const io = memoryIo({ [file]: ownKeyAnswer(TARGET, targetKey, Date.now()) });
    const code = await runCli(
      conformance(target, '--no-serve', '--target-keys', file, '--cases', 'genuine/v2/room-11'),
      io,
    );
    expect(io.err()).toBe('matrix-invite conformance: PASS genuine/v2/room-11\n');
    expect(code).toBe(0);
    expect(gets).toEqual([]);
  });
});

describe('matrix-invite conformance: keys and usage', () => {
  it('--print-keys prints the key answers to pre-seed, for the default or the given names', async () => {
    const { code, io } = await run(['conformance', '--print-keys']);
    expect(code).toBe(0);
    const printed = JSON.parse(io.out()) as Record<string, unknown>;
    expect(Object.keys(printed)).toEqual([DEFAULT_INVITER_SERVER_NAME, DEFAULT_OTHER_SERVER_NAME]);
    for (const [name, body] of Object.entries(printed)) {
      const verified = right(verifyServerKeys(JSON.stringify(body), { serverName: name, now: Date.now() }));
      expect(verified.servers[0]?.keys[0]?.keyId).toBe('ed25519:conformance');
    }
    const renamed = await run([
      'conformance',
      '--print-keys',
      '--inviter-name',
      'kit.test',
      '--other-name',
      'kit2.test',
    ]);
    expect(Object.keys(JSON.parse(renamed.io.out()))).toEqual(['kit.test', 'kit2.test']);
    const bad = await run(['conformance', '--print-keys', '--inviter-name', 'not a name']);
    expect(bad.code).toBe(2);
  });

  it.each<[string, string[], string]>([
    ['no --target', ['conformance', '--server-name', TARGET, '--user', USER], '--target is required'],
    [
      'a --target that is not http(s)',
      ['conformance', '--target', 'ftp://x', '--server-name', TARGET, '--user', USER],
      'http(s) URL',
    ],
    [
      'no --server-name',
      ['conformance', '--target', 'http://127.0.0.1:1', '--user', USER],
      '--server-name is required',
    ],
    [
      'no --user',
      ['conformance', '--target', 'http://127.0.0.1:1', '--server-name', TARGET],
      '--user is required',
    ],
    ['--tls with --plain', conformance('http://127.0.0.1:1', '--tls', '--plain'), 'exclude each other'],
    [
      'a wildcard --listen',
      conformance('http://127.0.0.1:1', '--listen', '0.0.0.0:8448'),
      'name one address',
    ],
    [
      'an IPv6 wildcard --listen',
      conformance('http://127.0.0.1:1', '--listen', '[::]:8448'),
      'name one address',
    ],
    ['a malformed --listen', conformance('http://127.0.0.1:1', '--listen', 'localhost'), 'HOST:PORT'],
    ['--max-requests 0', conformance('http://127.0.0.1:1', '--max-requests', '0'), 'positive integer'],
    [
      'a --timeout that is not a number',
      conformance('http://127.0.0.1:1', '--timeout', 'soon'),
      'positive integer',
    ],
    [
      'a missing --target-keys file',
      conformance('http://127.0.0.1:1', '--target-keys', 'nope.json'),
      'cannot read target keys file',
    ],
    [
      'an unknown room version',
      conformance('http://127.0.0.1:1', '--plain', '--no-serve', '--room-versions', '9'),
      'roomVersions',
    ],
    [
      'a user elsewhere',
      [
        'conformance',
        '--target',
        'http://127.0.0.1:1',
        '--server-name',
        TARGET,
        '--user',
        '@bob:elsewhere.test',
        '--no-serve',
      ],
      'is not a user of',
    ],
    ['a positional argument', ['conformance', 'extra'], 'unexpected argument'],
  ])('exits 2 on %s', async (_name, args, message) => {
    const { code, io } = await run(args);
    expect(code).toBe(2);
    expect(io.err()).toContain(message);
  });

  it("exits 2 on a --target-keys file that is not the target's key answer, and on a port in use", async () => {
    const { code, io } = await run(conformance('http://127.0.0.1:1', '--target-keys', 'keys.json'), {
      'keys.json': ownKeyAnswer('elsewhere.test', targetKey, Date.now()),
    });
    expect(code).toBe(2);
    expect(io.err()).toContain(`not a valid key answer of ${TARGET}`);
    const busy = await homeserver(async () => answer(404, {}));
    const port = busy.split(':').pop() as string;
    const taken = await run(conformance('http://127.0.0.1:1', '--plain', '--listen', `127.0.0.1:${port}`));
    expect(taken.code).toBe(2);
    expect(taken.io.err()).toContain(`cannot listen on 127.0.0.1:${port}`);
  });

  it('exits 2 when the certificate cannot be written, or a kit name is not a server name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfi-tls-'));
    scratch.push(dir);
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a directory');
    const unwritable = await run(conformance('http://127.0.0.1:1', '--tls-dir', join(file, 'tls')));
    expect(unwritable.code).toBe(2);
    expect(unwritable.io.err()).toContain('cannot write the certificate');
    const badName = await run(
      conformance('http://127.0.0.1:1', '--plain', '--other-name', 'not a server name'),
    );
    expect(badName.code).toBe(2);
    expect(badName.io.err()).toContain('otherServerName');
    const badLimit = await run(conformance('http://127.0.0.1:1', '--plain', '--body-limit', 'huge'));
    expect(badLimit.code).toBe(2);
  });

  it('is listed in the main help', async () => {
    const { io } = await run(['--help']);
    expect(io.out()).toMatch(/conformance\s+check a homeserver's invite endpoint/);
  });
});
