/** Each single-purpose command turns a library Left into exit code 1 with the reason on stderr. */
import { describe, expect, it } from 'vitest';
import { run } from './helpers.js';

// A member event whose content holds a lone surrogate: valid JSON text for Python, but no canonical form.
const LONE_SURROGATE_IN_CONTENT =
  '{"type":"m.room.member","content":{"membership":"invite","x":"\\ud800"},"sender":"@a:b"}';
const NO_CONTENT = '{"type":"m.room.message","sender":"@a:b"}';

describe('matrix-invite commands: rejected inputs exit 1 with a message', () => {
  it('event-id: room versions 1-2 carry event_id, so nothing is computed', async () => {
    const { code, io } = await run(
      ['event-id', '--room-version', '2'],
      {},
      '{"type":"m.room.message","content":{}}',
    );
    expect(code).toBe(1);
    expect(io.err()).toContain('room version 2 carries event IDs in the event_id field');
    expect(io.out()).toBe('');
  });

  it('redact: an event without content cannot be redacted, and the path is named', async () => {
    const { code, io } = await run(['redact', '--room-version', '10'], {}, NO_CONTENT);
    expect(code).toBe(1);
    expect(io.err()).toMatch(/content/);
    expect(io.out()).toBe('');
  });

  it('room-id: a room version that does not derive room IDs from the create event', async () => {
    const { code, io } = await run(
      ['room-id', '--room-version', '11'],
      {},
      '{"type":"m.room.create","content":{}}',
    );
    expect(code).toBe(1);
    expect(io.err()).toContain('room version 11 room IDs are not derived from the create event');
  });

  it('content-hash: a value with no canonical form is rejected, never hashed', async () => {
    const parsedByUs = await run(['content-hash'], {}, LONE_SURROGATE_IN_CONTENT);
    expect(parsedByUs.code).toBe(1);
    expect(parsedByUs.io.err()).toMatch(/surrogate/);
    expect(parsedByUs.io.out()).toBe('');
  });
});
