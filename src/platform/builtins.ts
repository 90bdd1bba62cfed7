/**
 * Node's built-in modules, where the runtime has them, without a static `import` of any `node:` module.
 *
 * `process.getBuiltinModule` (Node 20.16+ and 22.3+, Bun, Deno 2, Cloudflare's workerd with `nodejs_compat`) hands
 * over a built-in module synchronously; a browser, or workerd without `nodejs_compat`, has no `process` and gets
 * `undefined`, and the callers fall back to portable code. A bundler sees no `node:` import, so a
 * `--platform=browser` bundle needs no shims. Only the few members used here are typed (structurally), so the
 * library's types do not depend on `@types/node`.
 */

/** An opaque `node:crypto` KeyObject. */
export interface NodeKeyObject {
  /** DER export (used to read a public key). */
  export(options: { readonly format: 'der'; readonly type: 'spki' }): Uint8Array;
}

/** A `node:crypto` Hash object. */
export interface NodeHash {
  update(data: Uint8Array | string): NodeHash;
  digest(): Uint8Array;
}

/** The part of `node:crypto` used by the platform layer and the `node` ed25519 backend. */
export interface NodeCrypto {
  createHash(algorithm: string): NodeHash;
  /** One-shot hash (Node 20.12+, Bun, Deno, workerd); absent elsewhere. */
  hash?: {
    (algorithm: string, data: Uint8Array | string, outputEncoding: 'buffer'): Uint8Array;
    (algorithm: string, data: Uint8Array | string, outputEncoding: 'base64' | 'base64url'): string;
  };
  randomFillSync?: (buffer: Uint8Array) => Uint8Array;
  createPublicKey(
    key:
      | NodeKeyObject
      | { readonly key: Uint8Array; readonly format: 'der'; readonly type: 'spki' }
      | {
          readonly key: { readonly kty: 'OKP'; readonly crv: 'Ed25519'; readonly x: string };
          readonly format: 'jwk';
        },
  ): NodeKeyObject;
  createPrivateKey(key: {
    readonly key: Uint8Array;
    readonly format: 'der';
    readonly type: 'pkcs8';
  }): NodeKeyObject;
  sign(algorithm: null, data: Uint8Array, key: NodeKeyObject): Uint8Array;
  verify(algorithm: null, data: Uint8Array, key: NodeKeyObject, signature: Uint8Array): boolean;
}

/** The part of `node:buffer`'s buffer class used for native base64 and UTF-8 lengths. */
export interface NodeBufferClass {
  byteLength(text: string, encoding: 'utf8'): number;
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): { toString(encoding: string): string };
}

/** The part of `node:module` used to load the optional `sodium-native`. */
export interface NodeModule {
  createRequire(url: string): (id: string) => unknown;
}

/** The built-in modules the library can use; each is undefined when the runtime lacks it. */
export interface Builtins {
  readonly crypto: NodeCrypto | undefined;
  readonly buffer: NodeBufferClass | undefined;
  /** `node:buffer`'s native UTF-8 validation (Node 18.14+). */
  readonly isUtf8: ((bytes: Uint8Array) => boolean) | undefined;
  readonly module: NodeModule | undefined;
}

type GetBuiltinModule = (id: string) => unknown;

function builtinLoader(): GetBuiltinModule | undefined {
  try {
    const process = (globalThis as { process?: { getBuiltinModule?: unknown } }).process;
    const get = process?.getBuiltinModule;
    return typeof get === 'function' ? (get.bind(process) as GetBuiltinModule) : undefined;
  } catch {
    return undefined;
  }
}

function load<T>(get: GetBuiltinModule | undefined, id: string, member: string): T | undefined {
  if (get === undefined) return undefined;
  try {
    // `node:module` is a function (the Module class), the others are namespace objects.
    const module = get(id) as Record<string, unknown> | undefined;
    const isModule = (typeof module === 'object' && module !== null) || typeof module === 'function';
    return isModule && member in module ? (module as T) : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the built-in modules of the running runtime (once, at module load). */
export function detectBuiltins(): Builtins {
  const get = builtinLoader();
  const bufferModule = load<{ Buffer?: NodeBufferClass; isUtf8?: unknown }>(get, 'node:buffer', 'Buffer');
  const bufferClass = bufferModule?.Buffer;
  const isUtf8 = bufferModule?.isUtf8;
  return {
    crypto: load<NodeCrypto>(get, 'node:crypto', 'createHash'),
    buffer: typeof bufferClass === 'function' ? bufferClass : undefined,
    isUtf8: typeof isUtf8 === 'function' ? (isUtf8 as (bytes: Uint8Array) => boolean) : undefined,
    module: load<NodeModule>(get, 'node:module', 'createRequire'),
  };
}

/** No built-in modules: what a browser or workerd without `nodejs_compat` has. */
export const NO_BUILTINS: Builtins = Object.freeze({
  crypto: undefined,
  buffer: undefined,
  isUtf8: undefined,
  module: undefined,
});

/** The built-in modules of this process. */
export const builtins: Builtins = detectBuiltins();
