/** Runtime matrix: Bun (npm `bun`, pinned in test/runtimes/package.json). */
import { BIN, describeRuntimeRow, pinnedVersion, runModuleProbe } from './harness.js';

describeRuntimeRow({
  label: 'Bun',
  runtime: 'bun',
  requires: [BIN.bun],
  install: 'npm ci --prefix test/runtimes',
  expectedVersion: pinnedVersion('bun'),
  run: (build) => runModuleProbe('bun', build),
});
