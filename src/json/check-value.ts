/**
 * Whether a caller-built value is a JSON value of the library's model (see `value.ts`): `null`, booleans, strings,
 * finite numbers, bigints, `JsonFloat`s, arrays and plain objects (prototype `Object.prototype` or `null`), without
 * cycles. Used where a caller may hand over an already parsed body: anything else (an `ArrayBuffer`, a `Map`, a
 * `Date`, a function, `NaN`) cannot come from a JSON parser, so it is the caller's mistake, not the peer's. Lone
 * surrogates are not checked here: a peer can send them, and the protocol checks refuse them. Internal.
 */

import { formatJsonPath } from '../errors/base.js';
import { describeUnknown, describeValue } from '../errors/describe.js';
import { JsonFloat } from './value.js';

/** A sentence naming the first non-JSON value and where it is (`$.event.content`), or `undefined`. */
export function jsonValueProblem(value: unknown, maxDepth = 512): string | undefined {
  const path: (string | number)[] = [];
  const ancestors = new Set<object>();
  const walk = (v: unknown): string | undefined => {
    switch (typeof v) {
      case 'string':
      case 'boolean':
      case 'bigint':
        return undefined;
      case 'number':
        return Number.isFinite(v) ? undefined : `${formatJsonPath(path)} is ${describeValue(v)}`;
      case 'object': {
        if (v === null || v instanceof JsonFloat) return undefined;
        if (ancestors.has(v)) return `${formatJsonPath(path)} is a cycle`;
        if (path.length >= maxDepth) return undefined; // depth is the parser's and the checks' business
        const isArray = Array.isArray(v);
        const proto: unknown = Object.getPrototypeOf(v);
        if (!isArray && proto !== Object.prototype && proto !== null) {
          return `${formatJsonPath(path)} is ${describeValue(v)}, not a JSON value`;
        }
        ancestors.add(v);
        const record = v as Record<string, unknown>;
        const keys = isArray ? Array.from({ length: (v as unknown[]).length }, (_, i) => i) : Object.keys(v);
        for (const key of keys) {
          path.push(key);
          const problem = walk(record[key]);
          path.pop();
          if (problem !== undefined) return problem;
        }
        ancestors.delete(v);
        return undefined;
      }
      default:
        return `${formatJsonPath(path)} is ${describeValue(v)}, not a JSON value`;
    }
  };
  try {
    return walk(value);
  } catch (error) {
    return `${formatJsonPath(path)} cannot be read: ${error instanceof Error ? error.message : describeUnknown(error)}`;
  }
}
