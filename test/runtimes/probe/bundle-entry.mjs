/**
 * Probe entry for bundled runtimes (a browser page, a workerd worker): esbuild inlines the built package, the
 * ed25519 edge cases and the probe into one file, without shims or polyfills. The result promise is exposed as
 * `globalThis.matrixRuntimeProbe` for the page or the worker to hand back.
 */
import * as lib from '../../../dist/index.js';
import edgeCases from '../../fixtures/ed25519-edge-cases.json' with { type: 'json' };
import { runProbe } from './probe.mjs';

export const probe = () => runProbe(lib, edgeCases.cases);
