/**
 * Hostile input for the CLI's `receive` command (stdin is the request body): random bytes, random JSON and
 * mutations of the v2 wire example. Properties: the command never throws and exits 0 (accepted) or 1 (rejected),
 * never 2 (usage) for a body problem; stdout is one JSON document (the response, or the rejection with a status and
 * a Matrix error body); an accepted body kept the signed part of the example's event; the built-in prototypes are
 * untouched.
 */
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { parseJson } from '../../src/json/parse.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../src/json/value.js';
import { KEY_FILES, run } from '../cli/helpers.js';
import { vectors } from '../helpers/fixtures.js';
import { jsonText } from '../helpers/json-arbitrary.js';
import { right } from '../invite/helpers.js';
import { redactedSignedPart, signedPart } from './invites.js';
import { applyMutation, mutationOf } from './mutations.js';
import { assertPrototypesUntouched, checkAsync, prototypeSnapshot } from './support.js';

const wire = vectors.wire_examples.find((w) => w.id === 'v2-invite-rv10') as {
  request_body_json_text: string;
  path_unencoded: string;
};
const [, , , , , roomId, eventId] = wire.path_unencoded.split('/') as string[];
const body = right(parseJson(wire.request_body_json_text)) as JsonObject;
const sentEvent = body.event as JsonObject;
const ARGS = [
  'receive',
  '--api',
  'v2',
  '--origin',
  'inviter.example',
  '--room-id',
  roomId as string,
  '--event-id',
  eventId as string,
  '--server-name',
  'invitee.example',
  '--key',
  'invitee.key',
  '--keys',
  'keys.json',
];

async function receive(stdin: string | Uint8Array, extra: readonly string[] = []): Promise<number> {
  const protoBefore = prototypeSnapshot();
  const { code, io } = await run([...ARGS, ...extra], KEY_FILES, stdin);
  assertPrototypesUntouched(protoBefore);
  expect([0, 1]).toContain(code);
  const out = parseJson(io.out());
  if (E.isLeft(out)) throw new Error(`stdout is not JSON: ${io.out().slice(0, 200)}`);
  const printed = out.right as JsonValue;
  if (code === 1) {
    expect(isJsonObject(printed)).toBe(true);
    const rejection = printed as { status?: unknown; body?: { errcode?: unknown }; reason?: unknown };
    expect(typeof rejection.status).toBe('number');
    expect(typeof rejection.body?.errcode).toBe('string');
    expect(rejection.reason).not.toBe('internal_error');
  } else {
    const event = (printed as { event?: JsonObject }).event as JsonObject;
    // --synapse countersigns the redacted copy on a content hash mismatch: only the redacted part must match.
    if (extra.includes('--synapse'))
      expect(redactedSignedPart(event, '10')).toBe(redactedSignedPart(sentEvent, '10'));
    else expect(signedPart(event)).toBe(signedPart(sentEvent));
  }
  return code;
}

describe('matrix-invite receive under hostile input', () => {
  it('accepts the wire example (sanity)', async () => {
    expect(await receive(wire.request_body_json_text)).toBe(0);
  });

  it('random bytes and JSON on stdin: exit 1 with a JSON rejection', async () => {
    await checkAsync(
      fc.asyncProperty(
        fc.oneof(fc.uint8Array({ maxLength: 200 }), jsonText({ maxDepth: 3 })),
        async (stdin) => {
          expect(await receive(stdin)).toBe(1);
        },
      ),
      150,
    );
  });

  it('mutations of the wire example: exit 0 only with the signed part intact (spec and --synapse)', async () => {
    await checkAsync(
      fc.asyncProperty(mutationOf(body), fc.boolean(), async (mutation, synapse) => {
        const mutated = applyMutation(body, mutation);
        await receive(mutated.text, synapse ? ['--synapse'] : []);
      }),
      150,
    );
  });
});
