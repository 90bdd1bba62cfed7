/** vitest setupFiles: runs in every test process before its test file (see optional-deps.ts). */
import { hideSodiumNativeIfAsked } from './optional-deps.js';

hideSodiumNativeIfAsked();
