/**
 * Runtime matrix: Cloudflare's workerd (npm `workerd`, pinned in test/runtimes/package.json). The probe is bundled
 * by esbuild (`--platform=browser`, no shims, no polyfills) into an ES module worker, served by `workerd serve` on
 * 127.0.0.1 without the `nodejs_compat` flag, and fetched once.
 */
import { BIN, describeRuntimeRow, pinnedVersion, runCommand, runInWorkerd } from './harness.js';

/** workerd 1.YYYYMMDD.N reports `workerd YYYY-MM-DD`. */
const pinned = pinnedVersion('workerd');
const date = /^1\.(\d{4})(\d{2})(\d{2})\./.exec(pinned);

describeRuntimeRow({
  label: 'workerd',
  runtime: 'workerd',
  requires: [BIN.workerd, BIN.esbuild],
  install: 'npm ci --prefix test/runtimes',
  expectedVersion: date === null ? pinned : `workerd ${date[1]}-${date[2]}-${date[3]}`,
  run: async (build) => {
    const version = (await runCommand(BIN.workerd, ['--version'])).trim();
    return { lines: await runInWorkerd(build, 'probe'), version };
  },
});
