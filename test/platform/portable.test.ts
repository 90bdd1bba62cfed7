/**
 * The portable core: what `import 'matrix-federation-invite'` loads (src/ minus the CLI) imports no `node:` module
 * and never names the global `Buffer`, and bundles for browsers with esbuild without shims or polyfills. The
 * bundle then runs in a bare V8 context (no `process`, no `Buffer`) and gives Node's bytes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import * as E from 'fp-ts/lib/Either.js';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { signingKeyFromSeed } from '../../src/crypto/keys.js';
import { computeEventId } from '../../src/events/hashes.js';
import { signEvent } from '../../src/events/signing.js';
import { encodeCanonicalJson } from '../../src/json/canonical.js';
import { parseJson } from '../../src/json/parse.js';

const SRC = join(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (path !== join(SRC, 'cli')) out.push(...sourceFiles(path));
    } else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

const NODE_BUILTINS = new Set(builtinModules);

/** `node:x`, or a bare built-in name (`crypto`, `fs/promises`). */
function isNodeSpecifier(specifier: string): boolean {
  return specifier.startsWith('node:') || NODE_BUILTINS.has(specifier);
}

/** Every top-level or dynamic import/require of a Node built-in, and every reference to the global `Buffer`. */
function portabilityProblems(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const problems: string[] = [];
  const where = (node: ts.Node) => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart());
    return `${relative(SRC, file)}:${line + 1}`;
  };
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteral(node.moduleSpecifier) &&
      isNodeSpecifier(node.moduleSpecifier.text)
    ) {
      problems.push(`${where(node)} imports ${node.moduleSpecifier.text}`);
    }
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isLoader =
        callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require');
      const first = node.arguments[0];
      if (isLoader && first !== undefined && ts.isStringLiteral(first) && isNodeSpecifier(first.text)) {
        problems.push(`${where(node)} loads ${first.text}`);
      }
    }
    if (ts.isIdentifier(node) && node.text === 'Buffer') {
      const parent = node.parent;
      const isMemberName =
        (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        ((ts.isPropertySignature(parent) || ts.isPropertyAssignment(parent)) && parent.name === node);
      if (!isMemberName) problems.push(`${where(node)} names the global Buffer`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return problems;
}

describe('portable core: a source scan of src/ (the CLI excepted)', () => {
  const files = sourceFiles(SRC);

  it('covers the library modules and leaves out the CLI', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.some((f) => f.includes(`${join('src', 'cli')}`))).toBe(false);
    expect(files).toContain(join(SRC, 'index.ts'));
  });

  it('finds no node: import and no global Buffer', () => {
    const problems = files.flatMap((file) => portabilityProblems(file, readFileSync(file, 'utf8')));
    expect(problems).toEqual([]);
  });

  it('the scan itself catches each kind of problem', () => {
    const bad = [
      "import { createHash } from 'node:crypto';",
      "import type { KeyObject } from 'node:crypto';",
      "export { randomBytes } from 'crypto';",
      "const m = await import('node:module');",
      "const fs = require('fs');",
      "const b = Buffer.from('x');",
      'const c = globalThis.Buffer ?? Buffer;',
      'const d = { Buffer };',
    ].join('\n');
    expect(portabilityProblems(join(SRC, 'x.ts'), bad)).toHaveLength(8);
    const fine =
      "const a = x.Buffer; interface B { Buffer: number } const o = { Buffer: 1 }; get('node:crypto');";
    expect(portabilityProblems(join(SRC, 'x.ts'), fine)).toEqual([]);
  });
});

describe('portable core: an esbuild --platform=browser bundle', () => {
  // Every entry point of package.json `exports` (their sources: src/index.ts, src/<dir>/index.ts).
  const exportsMap = JSON.parse(readFileSync(join(SRC, '..', 'package.json'), 'utf8')).exports as Record<
    string,
    { default: string } | string
  >;
  const entries = Object.values(exportsMap).flatMap((target) =>
    typeof target === 'string' ? [] : [target.default.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts')],
  );
  expect(entries.length).toBe(11);

  it.each(entries)('bundles src/%s with no shims, no polyfills, no warnings', async (entry) => {
    const result = await build({
      entryPoints: [join(SRC, entry)],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.outputFiles[0]?.text.length).toBeGreaterThan(1_000);
  });

  it('runs in a bare V8 context (no process, no Buffer) and gives the same bytes as Node', async () => {
    const result = await build({
      // The root entry plus the two subpath functions the script uses.
      stdin: {
        contents: [
          "export * from './index.ts';",
          "export { computeEventId, signEvent } from './events/index.ts';",
          "export { defaultBackend } from './crypto/index.ts';",
        ].join('\n'),
        resolveDir: SRC,
        loader: 'ts',
      },
      bundle: true,
      platform: 'browser',
      format: 'iife',
      globalName: 'library',
      define: { 'import.meta.url': '"file:///bundle.js"' },
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]?.text ?? '';
    const seed = new Uint8Array(32).map((_, i) => i * 7);
    const eventText =
      '{"type":"m.room.member","state_key":"@b:invitee.example","sender":"@a:inviter.example",' +
      '"room_id":"!r:inviter.example","content":{"membership":"invite","n":1.5,"s":"\\u00e9\\ud83d\\ude00"},' +
      '"origin_server_ts":1700000000000,"depth":12,"auth_events":[],"prev_events":[]}';
    const script = `
      const E = { isRight: (e) => e._tag === 'Right' };
      const out = {};
      const globals = { process: typeof process, Buffer: typeof Buffer, crypto: typeof crypto };
      const key = library.signingKeyFromSeed({ seed: new Uint8Array(seed), version: 'k1' });
      const event = library.parseJson(eventText);
      const signed = library.signEvent({ event: event.right, roomVersion: '10', signingKey: key.right });
      out.globals = globals;
      out.canonical = library.encodeCanonicalJson(event.right).right;
      out.signed = library.encodeCanonicalJson(signed.right).right;
      out.eventId = library.computeEventId(signed.right, '10').right;
      out.backend = library.defaultBackend();
      out.generated = E.isRight(library.generateSigningKey({ version: 'g' }));
      out;
    `;
    const context = {
      library: undefined as unknown,
      seed: [...seed],
      eventText,
      TextEncoder,
      TextDecoder,
      crypto: globalThis.crypto,
    };
    runInNewContext(code, context);
    const out = runInNewContext(script, context) as Record<string, unknown>;

    const key = signingKeyFromSeed({ seed, version: 'k1' });
    const event = parseJson(eventText);
    if (E.isLeft(key) || E.isLeft(event)) throw new Error('fixture');
    const signed = signEvent({
      event: event.right as never,
      roomVersion: '10',
      serverName: 'inviter.example',
      signingKey: key.right,
    });
    if (E.isLeft(signed)) throw new Error('sign');
    expect(out.globals).toEqual({ process: 'undefined', Buffer: 'undefined', crypto: 'object' });
    expect(out.backend).toBe('noble');
    expect(out.canonical).toBe(E.getOrElse(() => '')(encodeCanonicalJson(event.right)));
    expect(out.signed).toBe(E.getOrElse(() => '')(encodeCanonicalJson(signed.right)));
    expect(out.eventId).toBe(E.getOrElse(() => '')(computeEventId(signed.right, '10')));
    expect(out.generated).toBe(true);
  });
});
