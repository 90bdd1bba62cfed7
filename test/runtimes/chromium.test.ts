/**
 * Runtime matrix: a browser. Debian's chromium (apt), headless, driven by playwright-core (npm, pinned in
 * test/runtimes/package.json; it never downloads a browser here), loads an esbuild `--platform=browser` bundle of
 * the built package and the probe, built without shims or polyfills, from a page served on 127.0.0.1.
 */
import { spawnSync } from 'node:child_process';
import { describeRuntimeRow } from './harness.js';
import { BIN, CHROMIUM, runInChromium } from './runners.js';

/** `Chromium 156.0.8078.73 built on Debian ...` → `156.0.8078.73`, the version the browser must report. */
const installed = (): string => {
  const out = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).stdout ?? '';
  return /(\d+\.\d+\.\d+\.\d+)/.exec(out)?.[1] ?? `unknown (${out.trim()})`;
};

describeRuntimeRow({
  label: 'Chromium',
  runtime: 'browser',
  requires: [CHROMIUM, BIN.playwright, BIN.esbuild],
  install: 'apt-get install chromium && npm ci --prefix test/runtimes',
  expectedVersion: installed(),
  run: (build) => runInChromium(build, 'probe'),
});
