/**
 * Compiles the README's examples against an installed package (the repository's TypeScript, the installed
 * package's types) and runs them with fixtures/readme-harness.mjs: README-contract.md.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JsonObject } from '../../src/json/value.js';
import { REPO } from './install.js';
import { readmeExampleInfo } from './readme.js';
import { readmeWorld } from './readme-world.js';

const HARNESS = fileURLToPath(new URL('./fixtures/readme-harness.mjs', import.meta.url));
/** Type-level use of the package beyond the README (checked in the same compilation). */
const CHECK = fileURLToPath(new URL('./fixtures/check.ts', import.meta.url));
export const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');

/** The compiler options users of the package are most likely to have, as strict as ours. */
export const STRICT_OPTIONS = {
  target: 'ES2022',
  lib: ['ES2022', 'DOM'],
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  skipLibCheck: false,
  types: [],
};

/** One request the sending example made through `put`. */
export interface HarnessRequest {
  readonly destination: string;
  readonly path: string;
  readonly apiVersion?: 'v1' | 'v2';
  readonly body: string;
  readonly status: number;
  readonly response: string;
}

/** What the harness printed for one room version. */
export interface HarnessRoomResult {
  readonly result: { kind: 'event'; event: JsonObject } | { kind: 'failure'; value: unknown };
  readonly requests: HarnessRequest[];
  readonly unauthenticated?: { status: number; body: string };
}

export interface ReadmeRun {
  /** tsc's output (empty when the examples compile). */
  readonly diagnostics: string;
  readonly rooms: Readonly<Record<string, HarnessRoomResult>>;
}

/**
 * Writes the examples, world and harness into `<project>/readme`, compiles them with fixtures/check.ts (emitting JS;
 * moduleResolution node16) and runs them.
 */
export function runReadmeExamples(project: string, examples = readmeExampleInfo()): ReadmeRun {
  const dir = join(project, 'readme');
  mkdirSync(dir, { recursive: true });
  const manifest = {
    examples: examples.map((example, i) => {
      writeFileSync(join(dir, `readme-${i}.ts`), example.code);
      return {
        source: example.source,
        js: `out/readme-${i}.js`,
        declares: example.declares,
        exports: example.exports,
      };
    }),
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, 'world.json'), JSON.stringify(readmeWorld()));
  copyFileSync(HARNESS, join(dir, 'harness.mjs'));
  copyFileSync(CHECK, join(dir, 'check.ts'));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        ...STRICT_OPTIONS,
        module: 'node16',
        moduleResolution: 'node16',
        outDir: 'out',
        rootDir: '.',
      },
      include: ['readme-*.ts', 'check.ts'],
    }),
  );
  const compiled = spawnSync(process.execPath, [TSC, '-p', dir], { cwd: dir, encoding: 'utf8' });
  const diagnostics = compiled.stdout + compiled.stderr;
  if (compiled.status !== 0) return { diagnostics, rooms: {} };
  const ran = spawnSync(process.execPath, ['harness.mjs'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  if (ran.status !== 0)
    throw new Error(`the README harness failed (exit ${ran.status}):\n${ran.stderr}${ran.stdout}`);
  return {
    diagnostics,
    rooms: (JSON.parse(ran.stdout) as { rooms: Record<string, HarnessRoomResult> }).rooms,
  };
}
