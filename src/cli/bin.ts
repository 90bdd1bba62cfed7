#!/usr/bin/env node
/** The `matrix-invite` executable. */
import { readFileSync } from 'node:fs';
import { nodeIo } from './io.js';
import { runCli } from './main.js';

function packageVersion(): string {
  try {
    const pkg: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    return typeof pkg === 'object' && pkg !== null && 'version' in pkg ? String(pkg.version) : 'unknown';
  } catch {
    return 'unknown';
  }
}

process.exitCode = await runCli(process.argv.slice(2), nodeIo(), packageVersion());
