/** The README's TypeScript examples: every ```ts block importing from 'matrix-federation-invite'. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const README_PATH = fileURLToPath(new URL('../../README.md', import.meta.url));

export function readmeExamples(): string[] {
  const readme = readFileSync(README_PATH, 'utf8');
  const blocks = [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
  return blocks.filter((code) => code.includes("from 'matrix-federation-invite'"));
}
