/**
 * Runtime matrix: Cloudflare's workerd (npm `workerd`, pinned in test/runtimes/package.json). The probe is bundled
 * by esbuild (`--platform=browser`, no shims, no polyfills) into an ES module worker, served by `workerd serve` on
 * 127.0.0.1 and fetched once: once with `no_nodejs_compat` (no Node.js API at all), once with the compatibility
 * date's default flags (`nodejs_compat` is on by default from 2026-08-04).
 */
import { describeRuntimeRow } from './harness.js';
import { BIN, pinnedVersion, runCommand, runInWorkerd, WORKERD_FLAG_SETS } from './runners.js';

/** workerd 1.YYYYMMDD.N reports `workerd YYYY-MM-DD`. */
const pinned = pinnedVersion('workerd');
const date = /^1\.(\d{4})(\d{2})(\d{2})\./.exec(pinned);

for (const { label, flags } of WORKERD_FLAG_SETS) {
  describeRuntimeRow({
    label: `workerd, ${label}`,
    runtime: 'workerd',
    requires: [BIN.workerd, BIN.esbuild],
    install: 'npm ci --prefix test/runtimes',
    expectedVersion: date === null ? pinned : `workerd ${date[1]}-${date[2]}-${date[3]}`,
    run: async (build) => {
      const version = (await runCommand(BIN.workerd, ['--version'])).trim();
      return { lines: await runInWorkerd(build, 'probe', flags), version };
    },
  });
}
