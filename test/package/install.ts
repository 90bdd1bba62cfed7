/**
 * The package as a user gets it, from the committed state: a clean clone of HEAD, `npm pack` there (the `prepare`
 * script builds `dist/`), the tarball installed into one scratch project and `git+file://<clone>#<sha>` into
 * another (npm clones it, installs its devDependencies, runs `prepare` and packs). Only the npm registry (through
 * the local cache, `--prefer-offline`) and git are used.
 *
 * The clone packs with this checkout's `node_modules` (a symlink) instead of its own `npm ci`: the git install
 * already proves that a fresh clone installs its devDependencies and builds, and `.ci/run` runs in a fresh clone
 * where `npm ci` has just installed them from the same lockfile.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const QUIET = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];

/**
 * The environment for npm in the scratch projects: without what `npm test` exports about this checkout
 * (`npm_config_local_prefix`, `npm_package_*`, `npm_lifecycle_*`), so that nothing points back at it.
 */
function scratchEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (
      name === 'npm_config_local_prefix' ||
      name.startsWith('npm_package_') ||
      name.startsWith('npm_lifecycle_')
    ) {
      delete env[name];
    }
  }
  return env;
}

/** Runs a command; rejects with its output when it fails. */
export function run(
  command: string,
  args: readonly string[],
  cwd: string,
  timeout = 600_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd, env: scratchEnv(), encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error)
          reject(
            new Error(
              `${command} ${args.join(' ')} (in ${cwd}) failed: ${error.message}\n${stdout}\n${stderr}`,
            ),
          );
        else resolve(stdout);
      },
    );
  });
}

async function timed<T>(timings: Record<string, number>, name: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    timings[name] = Math.round(performance.now() - start) / 1000;
  }
}

function scratchProject(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'scratch', private: true, type: 'module' }),
  );
  return dir;
}

export interface CleanInstalls {
  /** The commit tested. */
  readonly sha: string;
  /** True when the working tree has uncommitted changes (they are not tested). */
  readonly dirty: boolean;
  readonly clone: string;
  /** Whether `dist/` existed in the clone before `npm pack` (it must not). */
  readonly distBeforePack: boolean;
  readonly tarball: string;
  /** The tarball's files, as `npm pack --json` lists them. */
  readonly packedFiles: string[];
  /** Scratch projects with the package installed, by how it was installed. */
  readonly projects: { readonly tarball: string; readonly git: string };
  /** Seconds per step. */
  readonly timings: Record<string, number>;
}

/** Clones HEAD into `scratch`, packs it, installs the tarball and the git URL (both at once). */
export async function cleanInstalls(scratch: string): Promise<CleanInstalls> {
  const timings: Record<string, number> = {};
  const git = (args: string[], cwd = REPO) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
  const sha = git(['rev-parse', 'HEAD']);
  const dirty = git(['status', '--porcelain', '--untracked-files=no']) !== '';
  const clone = join(scratch, 'clone');
  git(['clone', '--quiet', '--no-checkout', REPO, clone]);
  // A branch at the commit, so that npm's own clone of this clone finds it whatever HEAD was here.
  git(['checkout', '--quiet', '-B', 'package-test', sha], clone);

  const fromTarball = timed(timings, 'tarball total', async () => {
    symlinkSync(join(REPO, 'node_modules'), join(clone, 'node_modules'), 'dir');
    const distBeforePack = existsSync(join(clone, 'dist'));
    const packed = await timed(timings, 'npm pack (prepare builds dist)', () =>
      run(npm, ['pack', '--json', '--pack-destination', scratch, ...QUIET], clone),
    );
    const info = (JSON.parse(packed) as { filename: string; files: { path: string }[] }[])[0];
    if (info === undefined) throw new Error('npm pack printed nothing');
    const tarball = join(scratch, info.filename);
    const project = scratchProject(join(scratch, 'from-tarball'));
    await timed(timings, 'npm install <tarball>', () => run(npm, ['install', tarball, ...QUIET], project));
    return { distBeforePack, tarball, packedFiles: info.files.map((f) => f.path), project };
  });
  const fromGit = timed(timings, 'npm install git+file:// (clone, prepare, pack, install)', async () => {
    const project = scratchProject(join(scratch, 'from-git'));
    await run(npm, ['install', `git+file://${clone}#${sha}`, ...QUIET], project);
    return project;
  });
  const [tarball, gitProject] = await Promise.all([fromTarball, fromGit]);
  return {
    sha,
    dirty,
    clone,
    distBeforePack: tarball.distBeforePack,
    tarball: tarball.tarball,
    packedFiles: tarball.packedFiles,
    projects: { tarball: tarball.project, git: gitProject },
    timings,
  };
}
