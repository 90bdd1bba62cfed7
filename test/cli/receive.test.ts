import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { parseSigningKeyFile } from '../../src/crypto/keys.js';
import type { KeyLookup } from '../../src/crypto/types.js';
import { receiveInvite } from '../../src/invite/receive/receive.js';
import { vectors } from '../helpers/fixtures.js';
import { KEY_FILES, run } from './helpers.js';

const wire = vectors.wire_examples.find((w) => w.id === 'v2-invite-rv10') as {
  request_body_json_text: string;
  response_body_json_text: string;
  path_unencoded: string;
};
const [, , , , , roomId, eventId] = wire.path_unencoded.split('/') as string[];

const args = (overrides: Record<string, string> = {}): string[] => {
  const options: Record<string, string> = {
    api: 'v2',
    origin: 'inviter.example',
    'room-id': roomId as string,
    'event-id': eventId as string,
    'server-name': 'invitee.example',
    key: 'invitee.key',
    keys: 'keys.json',
    ...overrides,
  };
  return ['receive', ...Object.entries(options).flatMap(([k, v]) => [`--${k}`, v])];
};

describe('receive', () => {
  it('accepts the v2 wire example and countersigns it as the vector does (exit 0)', async () => {
    const { code, io } = await run(args(), KEY_FILES, wire.request_body_json_text);
    expect(code).toBe(0);
    const out = io.json() as { event: { signatures: unknown } };
    const expected = JSON.parse(wire.response_body_json_text) as { event: { signatures: unknown } };
    expect(out.event.signatures).toEqual(expected.event.signatures);
    // The legacy stripped invite_room_state is accepted with warnings in room version 10.
    expect(io.err()).toContain('warning: invite_room_state');
  });

  it('prints what receiveInvite answers', async () => {
    const key = parseSigningKeyFile(KEY_FILES['invitee.key']);
    if (E.isLeft(key) || key.right[0] === undefined) throw new Error('key');
    const known = JSON.parse(KEY_FILES['keys.json']) as Record<string, Record<string, string>>;
    const lookup: KeyLookup = (server, keyId) => {
      const k = known[server]?.[keyId];
      return k === undefined ? undefined : { key: k };
    };
    const result = receiveInvite(
      {
        apiVersion: 'v2',
        roomId: roomId as string,
        eventId: eventId as string,
        origin: 'inviter.example',
        body: wire.request_body_json_text,
      },
      { serverName: 'invitee.example', signingKey: key.right[0], keys: lookup },
    );
    expect(E.isRight(result)).toBe(true);
    const { io } = await run(args(), KEY_FILES, wire.request_body_json_text);
    if (E.isRight(result))
      expect(io.json()).toEqual(JSON.parse(new TextDecoder().decode(result.right.responseBytes)));
  });

  it("a wrong origin is rejected with the spec error, or Synapse's with --synapse (exit 1)", async () => {
    const spec = await run(args({ origin: 'evil.example' }), KEY_FILES, wire.request_body_json_text);
    expect(spec.code).toBe(1);
    expect(spec.io.json()).toMatchObject({
      status: 400,
      body: { errcode: 'M_INVALID_PARAM' },
      reason: 'sender_not_origin',
      path: '$.event.sender',
    });
    expect(spec.io.err()).toContain('rejected with 400 M_INVALID_PARAM (sender_not_origin)');
    const synapse = await run(
      [...args({ origin: 'evil.example' }), '--synapse'],
      KEY_FILES,
      wire.request_body_json_text,
    );
    expect(synapse.io.json()).toMatchObject({
      status: 400,
      body: { errcode: 'M_UNKNOWN', error: 'The invite event was not from the server sending it' },
    });
  });

  it('an unsupported room version: M_INCOMPATIBLE_ROOM_VERSION (spec) or M_UNSUPPORTED_ROOM_VERSION (Synapse)', async () => {
    const body = wire.request_body_json_text.replace('"room_version":"10"', '"room_version":"99"');
    const spec = await run(args(), KEY_FILES, body);
    expect(spec.code).toBe(1);
    expect(spec.io.json()).toMatchObject({
      status: 400,
      body: { errcode: 'M_INCOMPATIBLE_ROOM_VERSION', room_version: '99' },
    });
    const synapse = await run([...args(), '--synapse'], KEY_FILES, body);
    expect(synapse.io.json()).toMatchObject({ status: 400, body: { errcode: 'M_UNSUPPORTED_ROOM_VERSION' } });
  });

  it('a body that is not JSON is a rejection (M_NOT_JSON), not a crash', async () => {
    const { code, io } = await run(args(), KEY_FILES, '{"room_version": "10", ');
    expect(code).toBe(1);
    expect(io.json()).toMatchObject({ status: 400, body: { errcode: 'M_NOT_JSON' } });
  });

  it('usage errors: a missing option, a bad --api, a bad --now (exit 2)', async () => {
    const withoutKeys = args().slice(0, -2);
    expect((await run(withoutKeys, KEY_FILES, '{}')).code).toBe(2);
    expect((await run(args({ api: 'v3' }), KEY_FILES, '{}')).code).toBe(2);
    expect((await run([...args(), '--now', 'soon'], KEY_FILES, '{}')).code).toBe(2);
  });
});
