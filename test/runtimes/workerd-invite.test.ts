/**
 * The Cloudflare Workers example (examples/cloudflare-worker) in workerd, with `no_nodejs_compat` and with the
 * compatibility date's default flags (`nodejs_compat` on): esbuild bundles
 * it with the built package (`--platform=browser`, no shims, no polyfills), workerd serves it on 127.0.0.1, and
 * this test sends it real X-Matrix-signed v2 invites over HTTP, then checks the countersigned answer with
 * verifyInviteResponse and compares the bytes with receiveInvite run here.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithRuntimes } from './harness.js';
import { buildWorld, must, receive, toHex } from './probe/probe.mjs';
import {
  BIN,
  bundle,
  ensureBuild,
  importBuiltPackage,
  REPO,
  scratchDir,
  startWorkerd,
  WORKERD_FLAG_SETS,
  type Workerd,
} from './runners.js';

type Lib = Awaited<ReturnType<typeof importBuiltPackage>>;

for (const { label, flags } of WORKERD_FLAG_SETS) {
  describeWithRuntimes(
    `Cloudflare Workers example in workerd, ${label}`,
    [BIN.workerd, BIN.esbuild],
    'npm ci --prefix test/runtimes',
    () => {
      let lib: Lib;
      let world: ReturnType<typeof buildWorld>;
      let server: Workerd | undefined;
      let dir = '';
      let startFailure: unknown;

      beforeAll(async () => {
        const build = ensureBuild();
        lib = await importBuiltPackage(build);
        world = buildWorld(lib, undefined);
        dir = scratchDir('worker-example');
        try {
          await bundle(
            join(REPO, 'examples', 'cloudflare-worker', 'src', 'index.js'),
            join(dir, 'worker.js'),
            {
              conditions: ['workerd', 'worker', 'browser'],
              alias: { 'matrix-federation-invite': join(build.dir, 'dist', 'index.js') },
            },
          );
          const seed = 'AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI'; // 32 × 0x02, the probe's invitee seed
          server = await startWorkerd(join(dir, 'worker.js'), {
            compatibilityFlags: flags,
            bindings: {
              SERVER_NAME: 'invitee.example',
              SIGNING_KEY: `ed25519 b1 ${seed}`,
              TRUSTED_KEYS: JSON.stringify({ 'inviter.example': { 'ed25519:a1': world.inviter.publicKey } }),
            },
          });
        } catch (error) {
          startFailure = error;
        }
      }, 300_000);

      afterAll(async () => {
        await server?.stop();
        if (dir !== '') rmSync(dir, { recursive: true, force: true });
      });

      const running = (): Workerd => {
        if (startFailure !== undefined) throw startFailure;
        if (server === undefined) throw new Error('workerd is not running');
        return server;
      };
      const put = async (path: string, body: Uint8Array, authorization: string) => {
        const response = await fetch(`${running().url}${path}`, {
          method: 'PUT',
          headers: { authorization, 'content-type': 'application/json' },
          body,
        });
        return {
          status: response.status,
          type: response.headers.get('content-type'),
          bytes: new Uint8Array(await response.arrayBuffer()),
        };
      };

      it('the example worker bundles (no shims, no polyfills) and workerd serves it', () => {
        running();
        expect(readFileSync(join(dir, 'worker.js'), 'utf8')).not.toMatch(/from\s*["']node:/);
      });

      it('countersigns a signed v2 invite: the answer verifies and equals receiveInvite byte for byte', async () => {
        const answer = await put(world.request.path, world.body, world.authorization);
        expect(answer.status, new TextDecoder().decode(answer.bytes)).toBe(200);
        expect(answer.type).toBe('application/json');
        const local = must(receive(lib, world, world.body), 'receiveInvite');
        expect(toHex(answer.bytes)).toBe(toHex(local.responseBytes));
        const verified = lib.verifyInviteResponse(
          { status: answer.status, body: answer.bytes },
          {
            apiVersion: 'v2',
            sentEvent: world.built.event,
            roomVersion: '12',
            inviteeServer: 'invitee.example',
            keys: world.keys,
          },
        );
        expect(verified._tag).toBe('Right');
        if (verified._tag === 'Right') {
          expect(verified.right.eventId).toBe(world.built.eventId);
          expect(verified.right.inviteeKeyIds).toEqual(['ed25519:b1']);
        }
      });

      it('refuses a request signed by a key it does not trust: 401 M_UNAUTHORIZED, as verifyRequest answers', async () => {
        const mallory = must(
          lib.signingKeyFromSeed({ seed: new Uint8Array(32).fill(3), version: 'a1' }),
          'key',
        );
        const authorization = must(
          lib.signRequest(
            {
              method: 'PUT',
              uri: world.request.path,
              origin: 'inviter.example',
              destination: 'invitee.example',
              content: world.request.body,
            },
            mallory,
          ),
          'X-Matrix',
        );
        const answer = await put(world.request.path, world.body, authorization);
        const local = lib.verifyRequest(
          { method: 'PUT', uri: world.request.path, content: world.request.body, authorization },
          { serverName: 'invitee.example', keys: world.keys },
        );
        expect(local._tag).toBe('Left');
        if (local._tag === 'Left') {
          expect(answer.status).toBe(local.left.status);
          expect(JSON.parse(new TextDecoder().decode(answer.bytes))).toEqual(local.left.body);
        }
        expect(answer.status).toBe(401);
      });

      it('refuses an invite changed after signing with the Matrix error receiveInvite gives', async () => {
        const forged = new TextEncoder().encode(
          new TextDecoder().decode(world.body).replace('"displayname":"Bob"', '"displayname":"Eve"'),
        );
        const authorization = must(
          lib.signRequest(
            {
              method: 'PUT',
              uri: world.request.path,
              origin: 'inviter.example',
              destination: 'invitee.example',
              content: must(lib.parseJson(forged), 'parse'),
            },
            world.inviter,
          ),
          'X-Matrix',
        );
        const answer = await put(world.request.path, forged, authorization);
        const local = receive(lib, world, forged);
        expect(local._tag).toBe('Left');
        if (local._tag === 'Left') {
          expect(answer.status).toBe(local.left.status);
          expect(JSON.parse(new TextDecoder().decode(answer.bytes))).toEqual(local.left.body);
        }
        expect(answer.status).toBe(400);
      });

      it('answers anything else with 404 M_UNRECOGNIZED', async () => {
        const response = await fetch(`${running().url}/_matrix/federation/v1/version`);
        expect(response.status).toBe(404);
        expect(await response.json()).toEqual({ errcode: 'M_UNRECOGNIZED', error: 'Unrecognized request' });
      });
    },
  );
}

describe('docs/runtimes.md', () => {
  it('shows the example worker as it is: every code line of its Workers snippet is in the example', () => {
    const docs = readFileSync(join(REPO, 'docs', 'runtimes.md'), 'utf8');
    const snippet = /## Cloudflare Workers example[\s\S]*?```js\n([\s\S]*?)```/.exec(docs)?.[1];
    expect(snippet).toBeDefined();
    const code = (line: string) => line.replace(/\s*\/\/.*$/, '').trim();
    const example = new Set(
      readFileSync(join(REPO, 'examples', 'cloudflare-worker', 'src', 'index.js'), 'utf8')
        .split('\n')
        .map(code),
    );
    const missing = (snippet ?? '')
      .split('\n')
      .map(code)
      .filter((line) => line !== '' && !example.has(line));
    expect(missing).toEqual([]);
  });
});
