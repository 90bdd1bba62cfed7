/** Runtime matrix: Bun (npm `bun`, pinned in test/runtimes/package.json). */
import { describeRuntimeRow, runModuleProbe } from './harness.js';
import { BIN, pinnedVersion } from './runners.js';

describeRuntimeRow({
  label: 'Bun',
  runtime: 'bun',
  requires: [BIN.bun],
  install: 'npm ci --prefix test/runtimes',
  expectedVersion: pinnedVersion('bun'),
  run: (build) => runModuleProbe('bun', build),
});
