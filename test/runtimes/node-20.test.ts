/**
 * Runtime matrix: Node 20, the machine's Node (the one running vitest), in a child process on the built package.
 * The reference for every row is the same probe in this process.
 */
import { describeRuntimeRow, runModuleProbe } from './harness.js';

describeRuntimeRow({
  label: 'Node 20',
  runtime: 'node',
  requires: [process.execPath],
  install: 'the machine has no Node 20: the matrix reference is Node 20 (.ci/run runs it)',
  expectedVersion: process.versions.node.startsWith('20.') ? process.versions.node : 'a Node 20 release',
  run: (build) => runModuleProbe('node20', build),
});
