/**
 * Probe entry for runtimes that load ES modules from disk (Node, Bun, Deno): imports the built package (dist/, from
 * `npm run build`) exactly as published and prints one JSON line per result on stdout.
 */
import * as lib from '../../../dist/index.js';
import edgeCases from '../../fixtures/ed25519-edge-cases.json' with { type: 'json' };
import { runProbe } from './probe.mjs';

for (const line of await runProbe(lib, edgeCases.cases)) console.log(JSON.stringify(line));
