/**
 * Type-checks documentation examples against the sources, as a user of the package would compile them: `strict`,
 * `exactOptionalPropertyTypes`, `noUncheckedIndexedAccess`, with `matrix-federation-invite` and each subpath entry
 * of package.json `exports` resolved to its source entry file.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');

/** `matrix-federation-invite[/subpath]` → the source entry file, from package.json `exports`. */
export function sourceEntries(): Record<string, string> {
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
    exports: Record<string, string | { default: string }>;
  };
  const paths: Record<string, string> = {};
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    if (typeof target === 'string') continue;
    const source = target.default.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts');
    paths[`matrix-federation-invite${subpath.slice(1)}`] = join(repo, source);
  }
  return paths;
}

/** Compiles each module (one file each, in this folder) and returns the diagnostics as `file:line: message`. */
export function typeCheckModules(modules: readonly string[]): string[] {
  const virtual = new Map(modules.map((code, i) => [join(here, `__example_${i}.ts`), code] as const));
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: ['node'],
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    noEmit: true,
    skipLibCheck: true,
    paths: Object.fromEntries(Object.entries(sourceEntries()).map(([name, file]) => [name, [file]])),
  };
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (f) => virtual.has(f) || fileExists.call(host, f);
  host.readFile = (f) => virtual.get(f) ?? readFile.call(host, f);
  host.getSourceFile = (f, language, onError, create) => {
    const code = virtual.get(f);
    return code === undefined
      ? getSourceFile.call(host, f, language, onError, create)
      : ts.createSourceFile(f, code, language, true);
  };
  const program = ts.createProgram([...virtual.keys()], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file === undefined || virtual.has(d.file.fileName))
    .map((d) => {
      const where =
        d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      const name = d.file === undefined ? '' : d.file.fileName.slice(here.length + 1);
      return `${name}:${where === undefined ? '' : where.line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
}
