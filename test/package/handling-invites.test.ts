/**
 * docs/handling-invites.md is one TypeScript module spread over its ```ts blocks: it is type-checked against the
 * sources (strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess) and run, and what it prints and returns is
 * checked: an invite in rooms 1 (through the v1 fallback), 10 and 12, signed by both servers.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { InviteEvent } from '../../src/invite/invite-event.js';
import { sourceEntries, typeCheckModules } from './examples.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const DOC = join(repo, 'docs', 'handling-invites.md');

/** The page's TypeScript blocks, in order, as one module. */
function pageModule(): string {
  const page = readFileSync(DOC, 'utf8');
  return [...page.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '').join('\n');
}

/** The module with its imports pointing at the sources and the repository's fp-ts, runnable from anywhere. */
function runnable(code: string): string {
  const entries = sourceEntries();
  return code.replace(
    /from '(matrix-federation-invite(?:\/[a-z-]+)?|fp-ts\/[^']+)'/g,
    (_all, specifier: string) => {
      if (specifier.startsWith('fp-ts/')) return `from '${join(repo, 'node_modules', specifier)}'`;
      const source = entries[specifier];
      if (source === undefined) throw new Error(`no entry ${specifier}`);
      return `from '${source}'`;
    },
  );
}

interface PageModule {
  readonly received: readonly InviteEvent[];
  readonly inviteBob: (
    version: string,
    endpoints: readonly ('v1' | 'v2')[],
  ) => Promise<E.Either<string, InviteEvent>>;
}

const scratch = mkdtempSync(join(tmpdir(), 'mfi-handling-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('docs/handling-invites.md', () => {
  const code = pageModule();

  it('is one module that type-checks against the sources', () => {
    expect(code).toContain("from 'matrix-federation-invite'");
    expect(typeCheckModules([code])).toEqual([]);
  });

  it('runs: Bob is invited in rooms 1 (v1 fallback), 10 and 12, and both servers signed', async () => {
    const file = join(scratch, 'handling-invites.ts');
    writeFileSync(file, runnable(code));
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    });
    let page: PageModule;
    try {
      page = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as PageModule;
    } finally {
      log.mockRestore();
    }
    expect(printed).toHaveLength(3);
    expect(printed[0]).toBe(
      'room 1: @bob:invitee.example invited to !garden1:inviter.example, signed by inviter.example and invitee.example',
    );
    expect(printed[1]).toBe(
      'room 10: @bob:invitee.example invited to !garden10:inviter.example, signed by inviter.example and invitee.example',
    );
    expect(printed[2]).toMatch(
      /^room 12: @bob:invitee\.example invited to ![A-Za-z0-9_-]{43}, signed by inviter\.example and invitee\.example$/,
    );
    // The invitee stored what it countersigned; the inviter got the same event back, verified.
    expect(page.received).toHaveLength(3);

    for (const version of ['1', '10', '12']) {
      const result = await page.inviteBob(version, version === '1' ? ['v1'] : ['v2']);
      if (E.isLeft(result)) throw new Error(result.left);
      const event = result.right;
      // References in the room version's form: pairs in room 1, IDs from room 3; room 12 lists no create event.
      for (const reference of [...event.auth_events, ...event.prev_events]) {
        if (version === '1')
          expect(reference).toEqual([expect.stringMatching(/^\$\d+-/), { sha256: expect.any(String) }]);
        else expect(reference).toMatch(/^\$[A-Za-z0-9_-]{43}$/);
      }
      expect(event.auth_events).toHaveLength(version === '12' ? 3 : 4);
      expect(Object.keys(event.signatures).sort()).toEqual(['invitee.example', 'inviter.example']);
      expect(event).toMatchObject({
        type: 'm.room.member',
        state_key: '@bob:invitee.example',
        content: { membership: 'invite' },
      });
    }
    // A v2-only invitee cannot take a room 1 invite over v1, and a 404 on v2 is not a reason to retry in room 10.
    const noV1 = await page.inviteBob('10', ['v1']);
    expect(E.isLeft(noV1) && noV1.left).toBe(
      "400 M_UNSUPPORTED_ROOM_VERSION: User's homeserver does not support this room version",
    );
  });
});
