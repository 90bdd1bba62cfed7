/**
 * Tests that need `sodium-native` itself (libsodium's own verdicts as the expected values): they run when it loads,
 * skip locally when it does not (global-setup.ts says so once, loudly) and fail under CI (optional-deps.ts).
 */
import { it } from 'vitest';
import { isCi, loadSodiumNative, type SodiumNative, sodiumMissingMessage } from './optional-deps.js';

const loaded = loadSodiumNative();

/** `sodium-native` in this process, or undefined. */
export const sodiumNative: SodiumNative | undefined = loaded.sodium;

/** An `it` that needs libsodium: gets it, or skips locally, or fails under CI. */
export function itWithSodium(name: string, body: (sodium: SodiumNative) => void | Promise<void>): void {
  const sodium = sodiumNative;
  if (sodium !== undefined) {
    it(name, () => body(sodium));
  } else if (isCi()) {
    it(name, () => {
      throw new Error(sodiumMissingMessage(loaded.probe.reason));
    });
  } else {
    it.skip(name, () => {});
  }
}
