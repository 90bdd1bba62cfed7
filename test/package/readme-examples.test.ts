/**
 * The README's examples compile: each ```ts block importing 'matrix-federation-invite' is type-checked against the
 * sources (strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess). `pack.test.ts` checks them again against
 * the packed tarball.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { readmeExamples } from './readme.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');

describe('README examples', () => {
  const examples = readmeExamples();

  it('has the receiving and the sending example', () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
    expect(examples.some((e) => e.includes('receiveInvite('))).toBe(true);
    expect(examples.some((e) => e.includes('buildInviteEvent('))).toBe(true);
  });

  it('type-check against the sources', () => {
    const virtual = new Map(
      examples.map((code, i) => [join(here, `__readme_example_${i}.ts`), code] as const),
    );
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
      paths: { 'matrix-federation-invite': [join(repo, 'src', 'index.ts')] },
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
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file === undefined || virtual.has(d.file.fileName))
      .map((d) => {
        const where =
          d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
        const name = d.file === undefined ? '' : d.file.fileName.slice(here.length + 1);
        return `${name}:${where === undefined ? '' : where.line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    expect(diagnostics).toEqual([]);
  });
});
