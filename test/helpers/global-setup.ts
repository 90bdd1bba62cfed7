/**
 * vitest globalSetup: one loud line per missing optional test dependency, once per run, before any test
 * (optional-deps.ts says which tests skip locally and fail under CI).
 */
import {
  hideSodiumNativeIfAsked,
  loadSodiumNative,
  oracleMissingMessage,
  probePythonOracle,
  sodiumMissingMessage,
} from './optional-deps.js';

export default function setup(): void {
  hideSodiumNativeIfAsked();
  const oracle = probePythonOracle();
  if (!oracle.available) console.warn(`\n!!!!! ${oracleMissingMessage(oracle.reason)}\n`);
  const sodium = loadSodiumNative().probe;
  if (!sodium.available) console.warn(`\n!!!!! ${sodiumMissingMessage(sodium.reason)}\n`);
}
