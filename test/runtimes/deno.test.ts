/**
 * Runtime matrix: Deno (npm `deno`, pinned in test/runtimes/package.json), with read access only: no FFI, so the
 * optional sodium-native addon cannot load and the default backend is Deno's own `node:crypto`.
 */
import { describeRuntimeRow, runModuleProbe } from './harness.js';
import { BIN, pinnedVersion } from './runners.js';

describeRuntimeRow({
  label: 'Deno',
  runtime: 'deno',
  requires: [BIN.deno],
  install: 'npm ci --prefix test/runtimes',
  expectedVersion: pinnedVersion('deno'),
  run: (build) => runModuleProbe('deno', build),
});
