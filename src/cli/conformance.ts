/**
 * `matrix-invite conformance`: runs the invite conformance kit against a homeserver over HTTP. While it runs, it
 * serves the kit's signed key answers (`GET /_matrix/key/v2/server`) on loopback, one listener per kit server name,
 * so that the target can authenticate the kit's requests; over HTTPS with a generated self-signed certificate
 * (printed, for the target to trust) or plain HTTP. The key servers accept a bounded number of requests and stop
 * when the run ends or times out.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, isIPv4, isIPv6 } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { CONFORMANCE_ROOM_VERSIONS } from '../conformance/cases.js';
import { formatConformanceReport } from '../conformance/report.js';
import { conformanceServerKeys, runConformance } from '../conformance/runner.js';
import {
  type ConformanceRequest,
  type ConformanceResponse,
  DEFAULT_INVITER_SERVER_NAME,
  DEFAULT_OTHER_SERVER_NAME,
} from '../conformance/types.js';
import type { KeyLookup } from '../crypto/types.js';
import { verifyServerKeys } from '../server-keys/verify.js';
import { selfSignedCertificate } from './certificate.js';
import {
  asText,
  type CliIo,
  defineCommand,
  EXIT_OK,
  EXIT_REJECTED,
  type Failure,
  type ParsedArgs,
  printJson,
  readFileArg,
  requiredOption,
  stringOption,
  usageFailure,
} from './io.js';

const HELP = `Usage: matrix-invite conformance --target URL --server-name NAME --user @USER:NAME
                                 [--listen HOST:PORT] [--tls | --plain] [--tls-dir DIR]
                                 [--inviter-name NAME] [--other-name NAME] [--no-serve]
                                 [--max-requests N] [--timeout S] [--target-keys FILE]
                                 [--room-versions 1,2,10,11,12] [--cases ID,KIND,...] [--body-limit BYTES]
                                 [--json] [--verbose] [--print-keys]

Checks the invite endpoint of the homeserver at URL (PUT /_matrix/federation/v1|v2/invite) with the
invite conformance kit: genuine invites in rooms 1, 2, 10, 11, 12 and forgeries, each judged against
the spec's answer and Synapse's (docs/conformance.md lists them). The invitee of every case is USER,
a local user of the target NAME.

The target authenticates the kit's requests (X-Matrix) with the kit's keys. While the run lasts this
command serves them at GET /_matrix/key/v2/server on two loopback listeners, one per kit server name
(the inviter, and the "other server" of the sender-not-origin case): by default over HTTPS with a
self-signed certificate whose path it prints (make the target trust it), or over plain HTTP with
--plain where the target allows it. The kit's server names are the listeners' addresses
(127.0.0.1:PORT) unless --inviter-name/--other-name say otherwise. Instead, the target can be given
the keys beforehand (--print-keys prints them) and --no-serve skips the listeners.

The target's own keys (to check its countersignatures) are fetched from URL/_matrix/key/v2/server,
or read from --target-keys (a saved answer of that endpoint).

Options:
  --target URL             the target's federation base URL (https://127.0.0.1:8448)
  --server-name NAME       the target's server name
  --user @USER:NAME        a local user of the target: the invitee
  --listen HOST:PORT       where the key servers listen (default 127.0.0.1:0, a free port; the second
                           listener takes PORT+1, or a free port): loopback unless you name a host
  --tls                    serve the keys over HTTPS with a self-signed certificate (default)
  --plain                  serve the keys over plain HTTP
  --tls-dir DIR            keep the certificate in DIR (cert.pem, key.pem): reused when present, so
                           the target trusts it across runs (default: a temporary directory)
  --inviter-name NAME      the kit's server name (default: the first listener's HOST:PORT; with
                           --no-serve or --print-keys: ${DEFAULT_INVITER_SERVER_NAME})
  --other-name NAME        the kit's second server name (default: the second listener's HOST:PORT;
                           with --no-serve or --print-keys: ${DEFAULT_OTHER_SERVER_NAME})
  --no-serve               do not serve the keys (the target has them already)
  --print-keys             print the kit's key answers as {"<server name>": <answer>} and exit
  --max-requests N         stop serving keys after N requests (default 64)
  --timeout S              stop everything after S seconds (default 300)
  --target-keys FILE       the target's GET /_matrix/key/v2/server answer, instead of fetching it
  --room-versions LIST     room versions to test, among 1,2,10,11,12 (default: all)
  --cases LIST             case IDs or kinds to run (default: all)
  --body-limit BYTES       the target's request body limit, exceeded by body-too-large (default
                           13107200, Synapse's)
  --json                   print the report as JSON instead of text
  -v, --verbose            list passed cases and warnings too
  -h, --help               show this help

Exit codes: 0 every case passed, 1 a case failed, 2 usage.
`;

const DEFAULT_MAX_REQUESTS = 64;
const DEFAULT_TIMEOUT_S = 300;

interface Listen {
  readonly host: string;
  readonly port: number;
}

/** `HOST:PORT`, `[IPv6]:PORT`. */
function parseListen(value: string | undefined): E.Either<Failure, Listen> {
  if (value === undefined) return E.right({ host: '127.0.0.1', port: 0 });
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value);
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (host === undefined || !Number.isInteger(port) || port > 65534) {
    return E.left(usageFailure(`--listen must be HOST:PORT or [IPv6]:PORT, got ${JSON.stringify(value)}`));
  }
  if (host === '0.0.0.0' || host === '::' || host === '[::]') {
    return E.left(
      usageFailure('--listen: name one address (a wildcard would expose the keys on every interface)'),
    );
  }
  return E.right({ host, port });
}

/** A positive integer option. */
function countOption(args: ParsedArgs, name: string, fallback: number): E.Either<Failure, number> {
  const raw = stringOption(args, name);
  if (raw === undefined) return E.right(fallback);
  const value = Number(raw);
  return /^\d+$/.test(raw) && Number.isSafeInteger(value) && value > 0
    ? E.right(value)
    : E.left(usageFailure(`--${name} must be a positive integer, got ${JSON.stringify(raw)}`));
}

const listOption = (args: ParsedArgs, name: string): string[] | undefined =>
  stringOption(args, name)
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** The host part of a server name for an address (IPv6 in brackets). */
const hostInName = (host: string) => (isIPv6(host) ? `[${host}]` : host);

/** The kit's key servers: two listeners, bounded, closed by `stop`. */
interface KeyServers {
  readonly urls: readonly string[];
  readonly ports: readonly [number, number];
  serve(bodies: readonly Uint8Array[]): void;
  stop(): Promise<void>;
}

async function listen(server: Server, host: string, port: number): Promise<E.Either<string, number>> {
  return new Promise((resolve) => {
    server.once('error', (error) => resolve(E.left(error.message)));
    server.listen(port, host, () => resolve(E.right((server.address() as AddressInfo).port)));
  });
}

async function startKeyServers(
  where: Listen,
  tls: { certPem: string; keyPem: string } | undefined,
  maxRequests: number,
  io: CliIo,
): Promise<E.Either<Failure, KeyServers>> {
  let bodies: readonly Uint8Array[] = [];
  let served = 0;
  const servers: Server[] = [];
  const stop = async () => {
    await Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
  };
  const handler = (index: number) => (request: IncomingMessage, response: ServerResponse) => {
    served++;
    const over = served > maxRequests;
    const body = bodies[index];
    // A server's request always has a url.
    const path = (request.url as string).split('?')[0] as string;
    const found =
      request.method === 'GET' && /^\/_matrix\/key\/v2\/server(\/[^/]*)?$/.test(path) && body !== undefined;
    const status = over ? 503 : found ? 200 : 404;
    io.stderr(
      `matrix-invite conformance: key server ${index + 1}: ${request.method} ${request.url} -> ${status}${over ? ` (over --max-requests ${maxRequests}: stopping)` : ''}\n`,
    );
    const bytes =
      status === 200 && body !== undefined
        ? body
        : new TextEncoder().encode(
            JSON.stringify({
              errcode: over ? 'M_UNKNOWN' : 'M_UNRECOGNIZED',
              error: over ? 'request limit reached' : 'Unrecognized request',
            }),
          );
    response.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.length });
    response.end(bytes);
    // Stop once the refusal is on the wire (closing sockets earlier would cut it off).
    if (over) response.once('finish', () => void stop());
  };
  const ports: number[] = [];
  for (const index of [0, 1]) {
    const server =
      tls === undefined
        ? createHttpServer(handler(index))
        : createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, handler(index));
    servers.push(server);
    const wanted = where.port === 0 ? 0 : where.port + index;
    const port = await listen(server, where.host, wanted);
    if (E.isLeft(port)) {
      await stop();
      return E.left(usageFailure(`cannot listen on ${hostInName(where.host)}:${wanted}: ${port.left}`));
    }
    ports.push(port.right);
  }
  const scheme = tls === undefined ? 'http' : 'https';
  return E.right({
    urls: ports.map((p) => `${scheme}://${hostInName(where.host)}:${p}`),
    ports: [ports[0] as number, ports[1] as number],
    serve: (next) => {
      bodies = next;
    },
    stop,
  });
}

/** The certificate: from --tls-dir when it holds one, else generated (and saved there, or in a temporary dir). */
function certificate(
  dir: string | undefined,
  host: string,
): E.Either<Failure, { certPem: string; keyPem: string; certPath: string; temporary?: string }> {
  const names = [...new Set([host, '127.0.0.1', '::1', 'localhost'])];
  try {
    if (dir !== undefined) {
      const certPath = join(dir, 'cert.pem');
      try {
        return E.right({
          certPem: readFileSync(certPath, 'utf8'),
          keyPem: readFileSync(join(dir, 'key.pem'), 'utf8'),
          certPath,
        });
      } catch {
        mkdirSync(dir, { recursive: true });
        const generated = selfSignedCertificate({ names });
        writeFileSync(certPath, generated.certPem);
        writeFileSync(join(dir, 'key.pem'), generated.keyPem, { mode: 0o600 });
        return E.right({ ...generated, certPath });
      }
    }
    const temporary = mkdtempSync(join(tmpdir(), 'matrix-invite-conformance-'));
    const generated = selfSignedCertificate({ names });
    const certPath = join(temporary, 'cert.pem');
    writeFileSync(certPath, generated.certPem);
    return E.right({ ...generated, certPath, temporary });
  } catch (error) {
    return E.left(
      usageFailure(`cannot write the certificate: ${error instanceof Error ? error.message : String(error)}`),
    );
  }
}

/** A `send` over Node's fetch, aborted by `signal`. */
function fetchSend(target: string, signal: AbortSignal) {
  const base = target.replace(/\/+$/, '');
  return async (request: ConformanceRequest): Promise<ConformanceResponse> => {
    const response = await fetch(`${base}${request.path}`, {
      method: request.method,
      headers: request.headers,
      ...(request.method === 'GET' ? {} : { body: request.body }),
      redirect: 'manual',
      signal,
    });
    return { status: response.status, body: new Uint8Array(await response.arrayBuffer()) };
  };
}

async function targetKeysFrom(
  io: CliIo,
  file: string | undefined,
  serverName: string,
): Promise<E.Either<Failure, KeyLookup | undefined>> {
  if (file === undefined) return E.right(undefined);
  const data = await readFileArg(io, file, 'target keys file');
  if (E.isLeft(data)) return data;
  const verified = verifyServerKeys(asText(data.right), { serverName, now: Date.now() });
  return E.isLeft(verified)
    ? E.left(usageFailure(`--target-keys: not a valid key answer of ${serverName}: ${verified.left.message}`))
    : E.right(verified.right.lookup);
}

export const conformanceCommand = defineCommand({
  name: 'conformance',
  summary: "check a homeserver's invite endpoint with the conformance kit (over HTTP)",
  help: HELP,
  options: {
    target: { type: 'string' },
    'server-name': { type: 'string' },
    user: { type: 'string' },
    listen: { type: 'string' },
    tls: { type: 'boolean' },
    plain: { type: 'boolean' },
    'tls-dir': { type: 'string' },
    'inviter-name': { type: 'string' },
    'other-name': { type: 'string' },
    'no-serve': { type: 'boolean' },
    'print-keys': { type: 'boolean' },
    'max-requests': { type: 'string' },
    timeout: { type: 'string' },
    'target-keys': { type: 'string' },
    'room-versions': { type: 'string' },
    cases: { type: 'string' },
    'body-limit': { type: 'string' },
    json: { type: 'boolean' },
    verbose: { type: 'boolean', short: 'v' },
  },
  maxPositionals: 0,
  run: async (args, io) => {
    const inviterName = stringOption(args, 'inviter-name');
    const otherName = stringOption(args, 'other-name');
    const names: { inviterServerName?: string; otherServerName?: string } = {
      ...(inviterName === undefined ? {} : { inviterServerName: inviterName }),
      ...(otherName === undefined ? {} : { otherServerName: otherName }),
    };
    if (args.values['print-keys'] === true) {
      const keys = conformanceServerKeys(names);
      if (E.isLeft(keys)) return E.left(usageFailure(keys.left.message));
      const out: Record<string, unknown> = {};
      for (const k of keys.right) out[k.serverName] = JSON.parse(new TextDecoder().decode(k.body));
      printJson(io, out);
      return E.right(EXIT_OK);
    }
    const target = requiredOption(args, 'target');
    if (E.isLeft(target)) return target;
    if (!/^https?:\/\/[^/]/.test(target.right)) {
      return E.left(usageFailure(`--target must be an http(s) URL, got ${JSON.stringify(target.right)}`));
    }
    const serverName = requiredOption(args, 'server-name');
    if (E.isLeft(serverName)) return serverName;
    const user = requiredOption(args, 'user');
    if (E.isLeft(user)) return user;
    if (args.values.tls === true && args.values.plain === true) {
      return E.left(usageFailure('--tls and --plain exclude each other'));
    }
    const where = parseListen(stringOption(args, 'listen'));
    if (E.isLeft(where)) return where;
    const maxRequests = countOption(args, 'max-requests', DEFAULT_MAX_REQUESTS);
    if (E.isLeft(maxRequests)) return maxRequests;
    const timeout = countOption(args, 'timeout', DEFAULT_TIMEOUT_S);
    if (E.isLeft(timeout)) return timeout;
    const bodyLimit = countOption(args, 'body-limit', 200 * 65536);
    if (E.isLeft(bodyLimit)) return bodyLimit;
    const roomVersions = listOption(args, 'room-versions') ?? CONFORMANCE_ROOM_VERSIONS;
    const cases = listOption(args, 'cases');
    const targetKeys = await targetKeysFrom(io, stringOption(args, 'target-keys'), serverName.right);
    if (E.isLeft(targetKeys)) return targetKeys;

    const say = (line: string) => io.stderr(`matrix-invite conformance: ${line}\n`);
    let servers: KeyServers | undefined;
    let temporary: string | undefined;
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new Error(`timed out after ${timeout.right} s`)),
      timeout.right * 1000,
    );
    timer.unref();
    try {
      if (args.values['no-serve'] !== true) {
        let tls: { certPem: string; keyPem: string } | undefined;
        if (args.values.plain !== true) {
          const cert = certificate(stringOption(args, 'tls-dir'), where.right.host);
          if (E.isLeft(cert)) return cert;
          tls = cert.right;
          temporary = cert.right.temporary;
          say(`TLS certificate of the key servers: ${cert.right.certPath} (make the target trust it)`);
        }
        if (!isLoopback(where.right.host)) {
          say(`warning: serving the kit's keys on ${where.right.host}, which is not a loopback address`);
        }
        const started = await startKeyServers(where.right, tls, maxRequests.right, io);
        if (E.isLeft(started)) return started;
        servers = started.right;
        const host = hostInName(where.right.host);
        names.inviterServerName ??= `${host}:${servers.ports[0]}`;
        names.otherServerName ??= `${host}:${servers.ports[1]}`;
        const bodies = conformanceServerKeys(names);
        if (E.isLeft(bodies)) return E.left(usageFailure(bodies.left.message));
        servers.serve(bodies.right.map((k) => k.body));
        say(
          `serving the keys of ${names.inviterServerName} at ${servers.urls[0]} and of ${names.otherServerName} at ${servers.urls[1]} (at most ${maxRequests.right} requests; stops after the run or ${timeout.right} s)`,
        );
      }
      const result = await runConformance({
        targetServerName: serverName.right,
        invitee: user.right,
        send: fetchSend(target.right, controller.signal),
        roomVersions,
        bodyLimitBytes: bodyLimit.right,
        ...(cases === undefined ? {} : { cases }),
        ...names,
        ...(targetKeys.right === undefined ? {} : { targetKeys: targetKeys.right }),
        onResult: (r) => say(`${r.passed ? 'PASS' : 'FAIL'} ${r.case.id}`),
      });
      if (E.isLeft(result)) return E.left(usageFailure(result.left.message));
      if (args.values.json === true) printJson(io, result.right);
      else io.stdout(formatConformanceReport(result.right, { verbose: args.values.verbose === true }));
      return E.right(result.right.passed ? EXIT_OK : EXIT_REJECTED);
    } finally {
      clearTimeout(timer);
      await servers?.stop();
      if (temporary !== undefined) rmSync(temporary, { recursive: true, force: true });
    }
  },
});

/** Whether a host is a loopback address (the default listen address is). */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIPv4(host) && host.startsWith('127.'));
}
