/**
 * The published package, as a user gets it: build, `npm pack`, install the tarball into a scratch project, then
 * run a plain JavaScript ESM script doing the demo flow, the `matrix-invite` bin, and TypeScript checks under
 * moduleResolution node16 and bundler (including the README's examples).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeExamples } from './readme.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

let scratch = '';
let tarball = '';
let files: string[] = [];

function sh(command: string, args: readonly string[], cwd: string): string {
  return execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 240_000,
  });
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'mfi-pack-'));
  sh(npm, ['run', 'build'], repo);
  const packed = JSON.parse(sh(npm, ['pack', '--json', '--pack-destination', scratch], repo)) as {
    filename: string;
    files: { path: string }[];
  }[];
  const info = packed[0];
  if (info === undefined) throw new Error('npm pack printed nothing');
  tarball = join(scratch, info.filename);
  files = info.files.map((f) => f.path);
  const project = join(scratch, 'project');
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'scratch', private: true, type: 'module' }),
  );
  sh(npm, ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], project);
}, 300_000);

afterAll(() => {
  if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('contains dist, README, LICENSE, CHANGELOG and package.json only', () => {
    const outside = files.filter(
      (f) => !f.startsWith('dist/') && !['README.md', 'LICENSE', 'CHANGELOG.md', 'package.json'].includes(f),
    );
    expect(outside).toEqual([]);
    for (const f of [
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'package.json',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/cli/bin.js',
    ]) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => f.endsWith('.map') || (f.endsWith('.ts') && !f.endsWith('.d.ts')))).toEqual(
      [],
    );
  });
});

describe('the installed tarball', () => {
  it('runs the demo flow from plain JavaScript ESM (sign, receive, verify)', () => {
    const project = join(scratch, 'project');
    copyFileSync(join(fixtures, 'flow.mjs'), join(project, 'flow.mjs'));
    const result = spawnSync(process.execPath, ['flow.mjs'], { cwd: project, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^ok \$[A-Za-z0-9_-]{43} invitee\.example,inviter\.example\n$/);
  });

  it('installs the matrix-invite bin', () => {
    const project = join(scratch, 'project');
    const bin = join(project, 'node_modules', '.bin', 'matrix-invite');
    const help = spawnSync(bin, ['--help'], { cwd: project, encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: matrix-invite <command>');
    const canonical = spawnSync(bin, ['canonical'], {
      cwd: project,
      encoding: 'utf8',
      input: '{"b": 1.0, "a": 2}',
    });
    expect(canonical.stdout).toBe('{"a":2,"b":1.0}\n');
    const version = spawnSync(bin, ['--version'], { cwd: project, encoding: 'utf8' });
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version);
  });

  it.each([
    ['node16', { module: 'node16', moduleResolution: 'node16' }],
    ['bundler', { module: 'preserve', moduleResolution: 'bundler' }],
  ])('type-checks under moduleResolution %s, with the README examples', (name, resolution) => {
    const project = join(scratch, 'project');
    const dir = join(project, `ts-${name}`);
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(fixtures, 'check.ts'), join(dir, 'check.ts'));
    readmeExamples().forEach((example, i) => {
      writeFileSync(join(dir, `readme-${i}.ts`), example);
    });
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          ...resolution,
          target: 'ES2022',
          lib: ['ES2022', 'DOM'],
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          noEmit: true,
          skipLibCheck: false,
          types: [],
        },
        include: ['*.ts'],
      }),
    );
    const result = spawnSync(process.execPath, [tsc, '-p', dir], { cwd: dir, encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
