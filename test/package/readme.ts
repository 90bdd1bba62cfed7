/** The README's TypeScript examples: every ```ts block importing from 'matrix-federation-invite' (or a subpath). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const README_PATH = fileURLToPath(new URL('../../README.md', import.meta.url));

const IMPORTS_PACKAGE = /from 'matrix-federation-invite(?:\/[^']*)?'/;

/** One README example with what README-contract.md is about: the names it declares and the names it exports. */
export interface ReadmeExample {
  readonly code: string;
  /** `README.md:<line>` of the block's first code line. */
  readonly source: string;
  /** Names given by `declare const|let|var|function|class`: the inputs the harness provides. */
  readonly declares: string[];
  /** Names the module exports. */
  readonly exports: string[];
}

export function readmeExamples(): string[] {
  return readmeExampleInfo().map((example) => example.code);
}

export function readmeExampleInfo(): ReadmeExample[] {
  const readme = readFileSync(README_PATH, 'utf8');
  const examples: ReadmeExample[] = [];
  for (const match of readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)) {
    const code = match[1] ?? '';
    if (!IMPORTS_PACKAGE.test(code)) continue;
    const line = readme.slice(0, match.index).split('\n').length + 1;
    examples.push({ code, source: `README.md:${line}`, ...topLevelNames(code) });
  }
  return examples;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

function topLevelNames(code: string): { declares: string[]; exports: string[] } {
  const file = ts.createSourceFile('example.ts', code, ts.ScriptTarget.ES2022, true);
  const declares = new Set<string>();
  const exports = new Set<string>();
  for (const statement of file.statements) {
    const names: string[] = [];
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations)
        if (ts.isIdentifier(d.name)) names.push(d.name.text);
    } else if (
      (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) &&
      statement.name !== undefined
    ) {
      names.push(statement.name.text);
    } else if (
      ts.isExportDeclaration(statement) &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause)
    ) {
      for (const e of statement.exportClause.elements) exports.add(e.name.text);
    }
    if (hasModifier(statement, ts.SyntaxKind.DeclareKeyword)) for (const n of names) declares.add(n);
    if (hasModifier(statement, ts.SyntaxKind.ExportKeyword)) for (const n of names) exports.add(n);
  }
  return { declares: [...declares], exports: [...exports] };
}
