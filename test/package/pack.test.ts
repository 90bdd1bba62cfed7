/**
 * The package as a user gets it, from the committed state (install.ts): a clean clone of HEAD, `npm pack` there
 * (the `prepare` script builds `dist/`), the tarball installed into one scratch project and the git URL into
 * another. In both: a plain JavaScript ESM script doing the demo flow, the `matrix-invite` bin, and the README's
 * examples compiled against the installed package and run in rooms 1, 10 and 12 (README-contract.md). The
 * tarball's install is also type-checked under moduleResolution node16 and bundler.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyJsonSignature } from '../../src/crypto/json-signing.js';
import { computeEventId } from '../../src/events/hashes.js';
import { redactedForSigning } from '../../src/events/prepared.js';
import { verifyEventSignatures } from '../../src/events/verify.js';
import { type JsonObject, omitKeys } from '../../src/json/value.js';
import { getRoomVersion } from '../../src/room-versions/versions.js';
import { type CleanInstalls, cleanInstalls, REPO } from './install.js';
import { readmeExamples } from './readme.js';
import { runReadmeExamples, STRICT_OPTIONS, TSC } from './readme-run.js';
import {
  ALICE,
  BOB,
  INVITEE,
  INVITER,
  README_ROOM_VERSIONS,
  readmeInviteeKey,
  readmeInviterKey,
  readmeRoom,
} from './readme-world.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const PACKAGE = 'matrix-federation-invite';

let scratch = '';
let installs: CleanInstalls;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'mfi-pack-'));
  const start = performance.now();
  installs = await cleanInstalls(scratch);
  const seconds = ((performance.now() - start) / 1000).toFixed(1);
  const steps = Object.entries(installs.timings)
    .map(([step, s]) => `${step} ${s.toFixed(1)} s`)
    .join('; ');
  console.log(`package installs of ${installs.sha.slice(0, 12)} in ${seconds} s (${steps})`);
  if (installs.dirty) {
    console.warn(
      `pack.test.ts tests the committed HEAD ${installs.sha.slice(0, 12)}: uncommitted changes are not in it`,
    );
  }
}, 900_000);

afterAll(() => {
  if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
});

/** Every file under `dir`, relative, sorted. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

function installedPackage(project: string): string {
  return join(project, 'node_modules', PACKAGE);
}

describe('npm pack from a clean clone', () => {
  it('builds dist/ itself (the clone has none before packing)', () => {
    expect(installs.distBeforePack).toBe(false);
    expect(installs.packedFiles).toContain('dist/index.js');
  });

  it('contains dist, the docs pages, README, LICENSE, CHANGELOG and package.json only', () => {
    const files = installs.packedFiles;
    const docs = readdirSync(join(installs.clone, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`);
    expect(docs.length).toBeGreaterThan(0);
    const expectedOutsideDist = ['README.md', 'LICENSE', 'CHANGELOG.md', 'package.json', ...docs].sort();
    expect(files.filter((f) => !f.startsWith('dist/')).sort()).toEqual(expectedOutsideDist);
    for (const f of ['dist/index.js', 'dist/index.d.ts', 'dist/cli/bin.js']) expect(files).toContain(f);
    expect(files.filter((f) => f.endsWith('.map') || (f.endsWith('.ts') && !f.endsWith('.d.ts')))).toEqual(
      [],
    );
  });

  it('every relative link of its Markdown files resolves inside the tarball', () => {
    const files = new Set(installs.packedFiles);
    const broken: string[] = [];
    let count = 0;
    for (const file of installs.packedFiles.filter((f) => f.endsWith('.md'))) {
      const text = readFileSync(join(installs.clone, file), 'utf8');
      for (const match of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        const target = (match[1] ?? '').split('#')[0] ?? '';
        if (target === '' || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
        count += 1;
        const resolved = normalize(join(dirname(file), target));
        if (!files.has(resolved)) broken.push(`${file}: ${match[1]}`);
      }
    }
    expect(count).toBeGreaterThan(10);
    expect(broken).toEqual([]);
  });

  it('names the repository, homepage and issue tracker', () => {
    const manifest = JSON.parse(readFileSync(join(installs.clone, 'package.json'), 'utf8'));
    expect(manifest.repository).toEqual({
      type: 'git',
      url: expect.stringMatching(/^git\+https:\/\/github\.com\/.+\.git$/),
    });
    expect(manifest.homepage).toMatch(/^https:\/\//);
    expect(manifest.bugs.url).toMatch(/^https:\/\/.+\/issues$/);
  });
});

describe('npm install git+file://<clone>', () => {
  it('installs the same files, byte for byte, as the tarball', () => {
    const digest = (project: string) => {
      const root = installedPackage(project);
      return filesUnder(root).map(
        (f) =>
          `${f} ${createHash('sha256')
            .update(readFileSync(join(root, f)))
            .digest('hex')}`,
      );
    };
    const fromTarball = digest(installs.projects.tarball);
    expect(fromTarball.map((line) => line.split(' ')[0])).toEqual([...installs.packedFiles].sort());
    expect(digest(installs.projects.git)).toEqual(fromTarball);
  });
});

const right = <A>(either: E.Either<unknown, A>): A => {
  if (E.isLeft(either)) throw new Error(`expected Right, got ${JSON.stringify(either.left)}`);
  return either.right;
};
const bothKeys = (server: string, keyId: string) => {
  for (const key of server === INVITER ? [readmeInviterKey] : server === INVITEE ? [readmeInviteeKey] : []) {
    if (key.keyId === keyId) return { key: key.publicKey };
  }
  return undefined;
};

describe.each(['tarball', 'git'] as const)('installed from the %s', (from) => {
  const project = () => installs.projects[from];

  it('runs the demo flow from plain JavaScript ESM (sign, receive, verify)', () => {
    copyFileSync(join(fixtures, 'flow.mjs'), join(project(), 'flow.mjs'));
    const result = spawnSync(process.execPath, ['flow.mjs'], { cwd: project(), encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^ok \$[A-Za-z0-9_-]{43} invitee\.example,inviter\.example\n$/);
  });

  it('installs the matrix-invite bin', () => {
    const bin = join(project(), 'node_modules', '.bin', 'matrix-invite');
    const help = spawnSync(bin, ['--help'], { cwd: project(), encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: matrix-invite <command>');
    const canonical = spawnSync(bin, ['canonical'], {
      cwd: project(),
      encoding: 'utf8',
      input: '{"b": 1.0, "a": 2}',
    });
    expect(canonical.stdout).toBe('{"a":2,"b":1.0}\n');
    const version = spawnSync(bin, ['--version'], { cwd: project(), encoding: 'utf8' });
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version);
  });

  describe('the README examples, compiled against it and run (README-contract.md)', () => {
    let run: ReturnType<typeof runReadmeExamples>;
    beforeAll(() => {
      run = runReadmeExamples(project());
    }, 180_000);

    it('compile under strict options (moduleResolution node16, with fixtures/check.ts)', () => {
      expect(run.diagnostics).toBe('');
    });

    it.each(README_ROOM_VERSIONS)(
      'invite() in room version %s: sent v2, countersigned, verified',
      (version) => {
        const room = readmeRoom(version);
        const outcome = run.rooms[version];
        if (outcome === undefined) throw new Error(`the harness printed nothing for room ${version}`);
        if (outcome.result.kind !== 'event') {
          throw new Error(`invite() failed in room ${version}: ${JSON.stringify(outcome.result.value)}`);
        }
        const event = outcome.result.event;
        expect(event).toMatchObject({
          type: 'm.room.member',
          state_key: BOB,
          sender: ALICE,
          room_id: room.id,
          depth: room.depth,
          auth_events: room.authEvents,
          prev_events: room.prevEvents,
          content: { membership: 'invite' },
        });
        // Signed by the inviter, hashed, and countersigned by the invitee.
        const report = right(verifyEventSignatures({ event, roomVersion: version, keys: bothKeys }));
        expect(report.contentHash?.matches).toBe(true);
        const redacted = {
          ...right(redactedForSigning(event, right(getRoomVersion(version)))),
          signatures: event.signatures ?? null,
        };
        right(verifyJsonSignature(redacted, INVITEE, readmeInviteeKey.keyId, readmeInviteeKey.publicKey));
        expect(Object.keys(event.signatures as JsonObject).sort()).toEqual([INVITEE, INVITER]);

        // One v2 request to the invitee, at the event's path, answered 200 with this very event.
        const eventId = version === '1' ? (event.event_id as string) : right(computeEventId(event, version));
        expect(outcome.requests).toHaveLength(1);
        const [request] = outcome.requests;
        expect(request?.destination).toBe(INVITEE);
        expect(request?.apiVersion).toBe('v2');
        const segments = /^\/_matrix\/federation\/v2\/invite\/([^/]+)\/([^/]+)$/.exec(request?.path ?? '');
        expect(segments?.slice(1).map(decodeURIComponent)).toEqual([room.id, eventId]);
        expect(request?.status).toBe(200);
        // The invitee's answer is this event (its `unsigned`, which no signature covers, aside).
        const answered = (JSON.parse(request?.response ?? '{}') as { event?: JsonObject }).event ?? {};
        expect(omitKeys(answered, ['unsigned'])).toEqual(event);
      },
    );

    it.each(README_ROOM_VERSIONS)(
      'onInvite() in room version %s refuses the request without X-Matrix',
      (version) => {
        const refused = run.rooms[version]?.unauthenticated;
        // Synapse (synapse/federation/transport/server/_base.py, Authenticator.authenticate_request): 401
        // M_UNAUTHORIZED "Missing Authorization headers" without an X-Matrix header.
        expect(refused?.status).toBe(401);
        expect(JSON.parse(refused?.body ?? '{}')).toMatchObject({ errcode: 'M_UNAUTHORIZED' });
      },
    );
  });
});

describe('the tarball install type-checks', () => {
  // moduleResolution node16 is the README examples' own compilation (readme-run.ts, with fixtures/check.ts).
  it('under moduleResolution bundler, with the README examples', () => {
    const dir = join(installs.projects.tarball, 'ts-bundler');
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(fixtures, 'check.ts'), join(dir, 'check.ts'));
    readmeExamples().forEach((example, i) => {
      writeFileSync(join(dir, `readme-${i}.ts`), example);
    });
    const compilerOptions = {
      ...STRICT_OPTIONS,
      module: 'preserve',
      moduleResolution: 'bundler',
      noEmit: true,
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['*.ts'] }));
    const result = spawnSync(process.execPath, [TSC, '-p', dir], { cwd: dir, encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
