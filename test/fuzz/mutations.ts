/**
 * Structure-aware mutations of JSON values (valid invites, responses, requests): drop, duplicate, retype, rename
 * to `__proto__`/`constructor`, deepen, enlarge, and unicode swaps (NFC/NFD, escaped/raw, astral, lone
 * surrogates). A mutation yields the wire text (what a hostile peer sends) and, when the text parses, the value the
 * receiver sees, so that properties can tell a real change from a respelling.
 */
import fc from 'fast-check';
import {
  isJsonArray,
  isJsonObject,
  JsonFloat,
  type JsonObject,
  type JsonValue,
  type MutableJsonObject,
  setOwn,
} from '../../src/json/value.js';

export type Path = readonly (string | number)[];

/** Every path of a value (the root included), depth first, in key order. */
export function pathsOf(value: JsonValue, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (isJsonArray(value)) {
    value.forEach((v, i) => {
      pathsOf(v, [...prefix, i], out);
    });
  } else if (isJsonObject(value))
    for (const k of Object.keys(value)) pathsOf(value[k] as JsonValue, [...prefix, k], out);
  return out;
}

export function getAt(value: JsonValue, path: Path): JsonValue | undefined {
  let current: JsonValue | undefined = value;
  for (const step of path) {
    if (isJsonArray(current) && typeof step === 'number') current = current[step];
    else if (isJsonObject(current) && typeof step === 'string')
      current = Object.hasOwn(current, step) ? current[step] : undefined;
    else return undefined;
  }
  return current;
}

/** An object with the same keys in the same order, built with own properties only (`__proto__` safe). */
function rebuild(entries: readonly (readonly [string, JsonValue])[]): JsonObject {
  const out: MutableJsonObject = {};
  for (const [k, v] of entries) setOwn(out, k, v);
  return out;
}

/**
 * Replaces the value at `path` with `f(old)` (copying the spine). `f` returning undefined deletes the member or
 * element. The root cannot be deleted.
 */
export function updateAt(
  value: JsonValue,
  path: Path,
  f: (old: JsonValue) => JsonValue | undefined,
): JsonValue {
  if (path.length === 0) return f(value) ?? value;
  const [step, ...rest] = path;
  if (isJsonArray(value) && typeof step === 'number') {
    const out: JsonValue[] = [];
    value.forEach((v, i) => {
      if (i !== step) out.push(v);
      else if (rest.length === 0) {
        const next = f(v);
        if (next !== undefined) out.push(next);
      } else out.push(updateAt(v, rest, f));
    });
    return out;
  }
  if (isJsonObject(value) && typeof step === 'string') {
    const entries: [string, JsonValue][] = [];
    for (const k of Object.keys(value)) {
      const v = value[k] as JsonValue;
      if (k !== step) entries.push([k, v]);
      else if (rest.length === 0) {
        const next = f(v);
        if (next !== undefined) entries.push([k, next]);
      } else entries.push([k, updateAt(v, rest, f)]);
    }
    return rebuild(entries);
  }
  return value;
}

/** Renames the last key of `path` (an object member) to `to`, keeping its position. */
export function renameAt(value: JsonValue, path: Path, to: string): JsonValue {
  const last = path[path.length - 1];
  if (typeof last !== 'string') return value;
  return updateAt(value, path.slice(0, -1), (parent) => {
    if (!isJsonObject(parent)) return parent;
    const entries = Object.keys(parent)
      .filter((k) => k === last || k !== to)
      .map((k): [string, JsonValue] => [k === last ? to : k, parent[k] as JsonValue]);
    return rebuild(entries);
  });
}

export interface WriteOptions {
  /** Write every non-ASCII character as `\uXXXX` (astral ones as surrogate pairs). */
  readonly escapeNonAscii?: boolean;
  /** Emit the member at this path twice: first with `first`, then with its real value (last one wins). */
  readonly duplicate?: { readonly path: Path; readonly first: JsonValue };
  /** Whitespace between tokens. */
  readonly space?: string;
}

function writeString(s: string, escapeNonAscii: boolean): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i] as string;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c < 0x20 || (c >= 0xd800 && c <= 0xdfff && !isPairAt(s, i)) || (escapeNonAscii && c > 0x7e))
      out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

function isPairAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = s.charCodeAt(i + 1);
    return d >= 0xdc00 && d <= 0xdfff;
  }
  if (c >= 0xdc00 && c <= 0xdfff) {
    const b = s.charCodeAt(i - 1);
    return b >= 0xd800 && b <= 0xdbff;
  }
  return false;
}

function writeFloat(v: number): string {
  if (!Number.isFinite(v)) return '1e999';
  if (Object.is(v, -0)) return '-0.0';
  const s = String(v);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

/** JSON text of a value, in key order, with the spelling options (always valid JSON, lone surrogates escaped). */
export function writeJson(value: JsonValue, options: WriteOptions = {}, at: Path = []): string {
  const esc = options.escapeNonAscii === true;
  const sp = options.space ?? '';
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return writeString(value, esc);
  if (value instanceof JsonFloat) return writeFloat(value.value);
  if (isJsonArray(value))
    return `[${sp}${value.map((v, i) => writeJson(v, options, [...at, i])).join(`,${sp}`)}${sp}]`;
  const dup = options.duplicate;
  const members: string[] = [];
  for (const k of Object.keys(value)) {
    const path = [...at, k];
    if (dup !== undefined && samePath(dup.path, path))
      members.push(`${writeString(k, esc)}:${sp}${writeJson(dup.first, options, path)}`);
    members.push(`${writeString(k, esc)}:${sp}${writeJson(value[k] as JsonValue, options, path)}`);
  }
  return `{${sp}${members.join(`,${sp}`)}${sp}}`;
}

const samePath = (a: Path, b: Path): boolean => a.length === b.length && a.every((s, i) => s === b[i]);

/** Values of every JSON type (and the number spellings that matter: big, float-looking integers, floats). */
export const RETYPE_VALUES: readonly JsonValue[] = [
  'text',
  '',
  0,
  1,
  -1,
  Number.MAX_SAFE_INTEGER,
  2n ** 53n,
  2n ** 64n,
  -(2n ** 63n),
  new JsonFloat(1.5),
  new JsonFloat(10),
  new JsonFloat(-0),
  null,
  true,
  false,
  [],
  {},
  ['x'],
  { x: 1 },
];

const KEY_RENAMES = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '',
  'Type',
] as const;

export type Mutation =
  | { readonly kind: 'drop'; readonly path: Path }
  | { readonly kind: 'retype'; readonly path: Path; readonly to: JsonValue }
  | { readonly kind: 'wrap'; readonly path: Path }
  | { readonly kind: 'rename'; readonly path: Path; readonly to: string }
  | { readonly kind: 'deepen'; readonly path: Path; readonly levels: number }
  | { readonly kind: 'enlarge'; readonly path: Path; readonly bytes: number; readonly unit: string }
  | {
      readonly kind: 'unicode';
      readonly path: Path;
      readonly form: 'NFC' | 'NFD' | 'astral' | 'lone' | 'key-NFD';
    }
  | { readonly kind: 'duplicate'; readonly path: Path; readonly first: JsonValue; readonly swap: boolean }
  | { readonly kind: 'escape' }
  | { readonly kind: 'whitespace'; readonly space: string };

/** A mutation of `base`, drawn by fast-check (paths index into `pathsOf(base)`). */
export function mutationOf(base: JsonValue): fc.Arbitrary<Mutation> {
  const paths = pathsOf(base);
  const anyPath = fc.constantFrom(...paths);
  const memberPaths = paths.filter((p) => typeof p[p.length - 1] === 'string');
  const memberPath = fc.constantFrom(...(memberPaths.length > 0 ? memberPaths : [[]]));
  const nonRoot = fc.constantFrom(...(paths.length > 1 ? paths.slice(1) : paths));
  const retypeTo = fc.oneof(fc.constantFrom(...RETYPE_VALUES), fc.string({ maxLength: 6 }));
  return fc.oneof(
    nonRoot.map((path): Mutation => ({ kind: 'drop', path })),
    fc.record({ path: anyPath, to: retypeTo }).map((r): Mutation => ({ kind: 'retype', ...r })),
    anyPath.map((path): Mutation => ({ kind: 'wrap', path })),
    fc
      .record({ path: memberPath, to: fc.constantFrom(...KEY_RENAMES) })
      .map((r): Mutation => ({ kind: 'rename', ...r })),
    fc
      .record({ path: anyPath, levels: fc.constantFrom(2, 16, 254, 255, 256, 257, 400) })
      .map((r): Mutation => ({ kind: 'deepen', ...r })),
    fc
      .record({
        path: anyPath,
        bytes: fc.constantFrom(1000, 65000, 65536, 65537, 70000),
        unit: fc.constantFrom('a', 'é', '🐈', '\u0001'),
      })
      .map((r): Mutation => ({ kind: 'enlarge', ...r })),
    fc
      .record({ path: anyPath, form: fc.constantFrom('NFC', 'NFD', 'astral', 'lone', 'key-NFD') })
      .map((r): Mutation => ({ kind: 'unicode', ...(r as { path: Path; form: 'NFC' }) })),
    fc
      .record({ path: memberPath, first: retypeTo, swap: fc.boolean() })
      .map((r): Mutation => ({ kind: 'duplicate', ...r })),
    fc.constant<Mutation>({ kind: 'escape' }),
    fc.constantFrom(' ', '\n', '\t', '\r\n ').map((space): Mutation => ({ kind: 'whitespace', space })),
  );
}

function deepen(value: JsonValue, levels: number): JsonValue {
  let out = value;
  for (let i = 0; i < levels; i++) out = i % 2 === 0 ? [out] : { d: out };
  return out;
}

function enlarge(value: JsonValue, bytes: number, unit: string): JsonValue {
  const unitBytes = Buffer.byteLength(unit, 'utf8');
  const pad = unit.repeat(Math.ceil(bytes / unitBytes));
  if (typeof value === 'string') return value + pad;
  if (isJsonArray(value)) return [...value, pad];
  if (isJsonObject(value)) {
    const out: MutableJsonObject = {};
    for (const k of Object.keys(value)) setOwn(out, k, value[k] as JsonValue);
    setOwn(out, 'pad', pad);
    return out;
  }
  return pad;
}

function unicode(value: JsonValue, form: 'NFC' | 'NFD' | 'astral' | 'lone'): JsonValue {
  if (typeof value !== 'string') return typeof value === 'object' ? value : `${String(value)}é`;
  switch (form) {
    case 'NFC':
      return value.normalize('NFC');
    case 'NFD':
      return value.normalize('NFD');
    case 'astral':
      return `${value}\u{1F408}`;
    default:
      return `${value}\ud83d`;
  }
}

/** What a mutation produced: the wire text and the value it parses to (the same as `value` by construction). */
export interface Mutated {
  readonly text: string;
  /** The value a correct parser sees (undefined when the text contains a lone surrogate: not valid JSON). */
  readonly value: JsonValue | undefined;
}

/** Applies a mutation. */
export function applyMutation(base: JsonValue, m: Mutation): Mutated {
  const plain = (value: JsonValue, options: WriteOptions = {}): Mutated => ({
    text: writeJson(value, options),
    value: hasLoneSurrogate(value) ? undefined : value,
  });
  switch (m.kind) {
    case 'drop':
      return plain(updateAt(base, m.path, () => undefined));
    case 'retype':
      return plain(updateAt(base, m.path, () => m.to));
    case 'wrap':
      return plain(updateAt(base, m.path, (v) => [v]));
    case 'rename':
      return plain(renameAt(base, m.path, m.to));
    case 'deepen':
      return plain(updateAt(base, m.path, (v) => deepen(v, m.levels)));
    case 'enlarge':
      return plain(updateAt(base, m.path, (v) => enlarge(v, m.bytes, m.unit)));
    case 'unicode': {
      if (m.form === 'key-NFD') {
        const last = m.path[m.path.length - 1];
        return typeof last === 'string'
          ? plain(renameAt(base, m.path, `${last}é`.normalize('NFD')))
          : plain(base);
      }
      const form = m.form;
      return plain(updateAt(base, m.path, (v) => unicode(v, form)));
    }
    case 'duplicate': {
      // Last wins: {first, real} parses to the base; swapped, {real, first} parses to the member replaced by first.
      if (!m.swap)
        return { text: writeJson(base, { duplicate: { path: m.path, first: m.first } }), value: base };
      const replaced = updateAt(base, m.path, () => m.first);
      const original = getAt(base, m.path) ?? null;
      return { text: writeJson(replaced, { duplicate: { path: m.path, first: original } }), value: replaced };
    }
    case 'escape':
      return plain(base, { escapeNonAscii: true });
    case 'whitespace':
      return plain(base, { space: m.space });
  }
}

/** True when a string (or key) anywhere in the value holds an unpaired surrogate. */
export function hasLoneSurrogate(value: JsonValue): boolean {
  const bad = (s: string) => !s.isWellFormed();
  if (typeof value === 'string') return bad(value);
  if (isJsonArray(value)) return value.some(hasLoneSurrogate);
  if (isJsonObject(value))
    return Object.keys(value).some((k) => bad(k) || hasLoneSurrogate(value[k] as JsonValue));
  return false;
}
