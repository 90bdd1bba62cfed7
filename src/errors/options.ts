/**
 * Checks of caller-supplied settings (options, contexts, policies): each returns a sentence naming the setting and
 * what it got, or `undefined` when the setting is absent or valid. Callers turn the first problem into their
 * caller-error reason (`invalid_context`, `invalid_request`, `invalid_options`, `invalid_params`), never into an
 * answer blaming the peer. Internal (not re-exported). Reading a setting may run a getter: call these inside a
 * `try` and report a throw as a caller error too.
 */
import { describeValue, errorText } from './describe.js';

/** `name` is absent or one of `allowed`. */
export function enumProblem(name: string, value: unknown, allowed: readonly string[]): string | undefined {
  if (value === undefined || (typeof value === 'string' && allowed.includes(value))) return undefined;
  return `${name} must be ${allowed.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(value)}`;
}

/** `name` is absent or a boolean. */
export function booleanProblem(name: string, value: unknown): string | undefined {
  return value === undefined || typeof value === 'boolean'
    ? undefined
    : `${name} must be a boolean, got ${describeValue(value)}`;
}

/** `name` is absent or a finite number (a time in ms). */
export function finiteNumberProblem(name: string, value: unknown): string | undefined {
  return value === undefined || (typeof value === 'number' && Number.isFinite(value))
    ? undefined
    : `${name} must be a finite number, got ${describeValue(value)}`;
}

/** `name` is absent or a non-negative safe integer. */
export function countProblem(name: string, value: unknown): string | undefined {
  return value === undefined || (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)
    ? undefined
    : `${name} must be a non-negative integer, got ${describeValue(value)}`;
}

/** `name` is absent or a function. */
export function functionProblem(name: string, value: unknown): string | undefined {
  return value === undefined || typeof value === 'function'
    ? undefined
    : `${name} must be a function, got ${describeValue(value)}`;
}

/** `name` is absent or a plain object (not an array). */
export function objectProblem(name: string, value: unknown): string | undefined {
  return value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value))
    ? undefined
    : `${name} must be an object, got ${describeValue(value)}`;
}

/** The first problem of a list of checks, run in order (later checks are skipped). */
export function firstProblem(...checks: readonly (() => string | undefined)[]): string | undefined {
  for (const check of checks) {
    const problem = check();
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** The ed25519 backend names, as settings accept them. */
export const BACKEND_NAMES = ['sodium', 'node', 'noble'] as const;
/** The base64 decoding modes, as settings accept them. */
export const BASE64_MODES = ['lenient', 'strict', 'synapse'] as const;
/** The content hash dialects, as settings accept them. */
export const CONTENT_HASH_DIALECTS = ['spec', 'synapse'] as const;

/**
 * A shallow copy of a caller's settings object, each own property read once; `undefined` when `value` is not an
 * object or reading it throws (a hostile getter or Proxy). Read settings through the copy: a getter cannot answer
 * differently on a second read.
 */
export function settingsCopy<T>(value: T): T | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  try {
    return { ...value };
  } catch {
    return undefined;
  }
}

/**
 * A context read once and checked: its {@link settingsCopy}, or what is wrong with it (`problemOf` answers for the
 * copy, or for the value itself when it could not be copied; a getter that throws is reported too).
 */
export function checkedContext<T>(
  context: T,
  problemOf: (context: T) => string | undefined,
): { readonly settings: T } | { readonly problem: string } {
  try {
    const settings = settingsCopy(context);
    const problem = problemOf(settings ?? context);
    return problem === undefined ? { settings: settings as T } : { problem };
  } catch (error) {
    return { problem: `the context cannot be read: ${errorText(error)}` };
  }
}
