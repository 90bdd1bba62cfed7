/**
 * Bodies at and just above every limit give the documented answer (docs/receiving-invites.md "Checks, in order",
 * docs/events.md "PDU shape and size limits", docs/canonical-json.md limits):
 * - canonical event ≤ 65536 bytes (signatures included): 65536 accepted, 65537 `event_too_large` (400 M_TOO_LARGE);
 * - `type`, `state_key`, `sender`, `room_id`, `event_id` ≤ 255 UTF-8 bytes: 256 `field_too_large` (400
 *   M_TOO_LARGE), also with multibyte characters (64 × 🐈 = 256 bytes, 128 UTF-16 units);
 * - JSON nesting (parseJson maxDepth 256; receive `maxJsonDepth` 256): 256 fine, 257 `too_deep` / `body_too_deep`;
 * - integer digits (4300, CPython's int_max_str_digits): 4300 fine, 4301 `integer_too_long`;
 * - raw body (`maxBodyBytes`, default 200 × 65536): at the limit parsed, one byte more `body_too_large` (413).
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import {
  checkEventFieldLimits,
  checkEventLimits,
  checkEventSize,
  MAX_EVENT_FIELD_BYTES,
  MAX_PDU_SIZE_BYTES,
} from '../../src/events/limits.js';
import { type InviteRejection, receiveInvite } from '../../src/invite/receive/receive.js';
import { DEFAULT_MAX_BODY_BYTES } from '../../src/invite/receive/request.js';
import { encodeCanonicalJson } from '../../src/json/canonical.js';
import { parseJson } from '../../src/json/parse.js';
import type { JsonObject, JsonValue } from '../../src/json/value.js';
import { nested } from '../helpers/json-arbitrary.js';
import {
  context,
  eventIdOf,
  INVITEE,
  INVITER,
  requestFor,
  right,
  roomStateFor,
  signedInvite,
} from '../invite/helpers.js';

const CAT = '🐈';
const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
const canonicalBytes = (v: JsonValue): number => bytes(right(encodeCanonicalJson(v)));

/** A signed invite whose canonical form (signatures included, no unsigned) is exactly `size` bytes. */
function inviteOfSize(rv: string, size: number): JsonObject {
  const probe = signedInvite(rv, { content: { membership: 'invite', pad: '' } });
  const pad = 'x'.repeat(size - canonicalBytes(probe));
  const event = signedInvite(rv, { content: { membership: 'invite', pad } });
  expect(canonicalBytes(event)).toBe(size);
  return event;
}

function rejection(result: ReturnType<typeof receiveInvite>): InviteRejection {
  if (E.isRight(result)) throw new Error('expected a rejection');
  return result.left;
}

describe('65536-byte canonical event', () => {
  it.each(['3', '10', '12'])(
    'room %s (v2): 65536 bytes accepted, 65537 bytes event_too_large (400 M_TOO_LARGE)',
    (rv) => {
      const atLimit = inviteOfSize(rv, MAX_PDU_SIZE_BYTES);
      expect(E.isRight(receiveInvite(requestFor('v2', rv, atLimit), context))).toBe(true);
      const over = inviteOfSize(rv, MAX_PDU_SIZE_BYTES + 1);
      const left = rejection(receiveInvite(requestFor('v2', rv, over), context));
      expect(left.reason).toBe('event_too_large');
      expect(left.status).toBe(400);
      expect(left.body.errcode).toBe('M_TOO_LARGE');
      expect(left.message).toContain('65537 bytes');
      expect(left.path).toEqual(['event']);
    },
  );

  it('the same via a parsed body and via text (no shortcut changes the verdict)', () => {
    const over = inviteOfSize('10', MAX_PDU_SIZE_BYTES + 1);
    expect(rejection(receiveInvite(requestFor('v2', '10', over, { raw: false }), context)).reason).toBe(
      'event_too_large',
    );
    const request = requestFor('v2', '10', over);
    const text = new TextDecoder().decode(request.body as Uint8Array);
    expect(rejection(receiveInvite({ ...request, body: text }, context)).reason).toBe('event_too_large');
  });

  it('v1 (room 1): the event is measured as received, unsigned (invite_room_state) included', () => {
    const state = roomStateFor('1');
    const unsignedBytes = canonicalBytes({ invite_room_state: state }) + ',"unsigned":'.length;
    const atLimit = inviteOfSize('1', MAX_PDU_SIZE_BYTES - unsignedBytes);
    expect(canonicalBytes({ ...atLimit, unsigned: { invite_room_state: state } })).toBe(MAX_PDU_SIZE_BYTES);
    expect(E.isRight(receiveInvite(requestFor('v1', '1', atLimit), context))).toBe(true);
    const over = inviteOfSize('1', MAX_PDU_SIZE_BYTES - unsignedBytes + 1);
    expect(rejection(receiveInvite(requestFor('v1', '1', over), context)).reason).toBe('event_too_large');
  });

  it('checkEventSize / checkEventLimits: 65536 Right(65536), 65537 event_too_large with limit and actual', () => {
    const atLimit = inviteOfSize('10', MAX_PDU_SIZE_BYTES);
    expect(checkEventSize(atLimit)).toEqual(E.right(MAX_PDU_SIZE_BYTES));
    expect(checkEventLimits(atLimit)).toEqual(E.right(MAX_PDU_SIZE_BYTES));
    const over = inviteOfSize('10', MAX_PDU_SIZE_BYTES + 1);
    const left = checkEventSize(over);
    expect(E.isLeft(left) && left.left).toMatchObject({
      reason: 'event_too_large',
      limit: MAX_PDU_SIZE_BYTES,
      actual: MAX_PDU_SIZE_BYTES + 1,
    });
    // unsigned counts unless excluded
    const withUnsigned = { ...atLimit, unsigned: { age: 1 } };
    expect(E.isLeft(checkEventSize(withUnsigned))).toBe(true);
    expect(checkEventSize(withUnsigned, { excludeUnsigned: true })).toEqual(E.right(MAX_PDU_SIZE_BYTES));
  });
});

describe('255-byte identifiers, type and state_key (UTF-8 bytes)', () => {
  const localpartFor = (total: number, suffix: string) => 'b'.repeat(total - bytes(`@${suffix}`));

  it('state_key: 255 bytes passes the limit (accepted), 256 bytes field_too_large (400 M_TOO_LARGE)', () => {
    const ok = `@${localpartFor(255, `:${INVITEE}`)}:${INVITEE}`;
    expect(bytes(ok)).toBe(MAX_EVENT_FIELD_BYTES);
    const accepted = signedInvite('10', { state_key: ok });
    expect(E.isRight(receiveInvite(requestFor('v2', '10', accepted), context))).toBe(true);
    const long = `@${localpartFor(256, `:${INVITEE}`)}:${INVITEE}`;
    const left = rejection(
      receiveInvite(requestFor('v2', '10', signedInvite('10', { state_key: long })), context),
    );
    expect([left.reason, left.status, left.body.errcode, left.path]).toEqual([
      'field_too_large',
      400,
      'M_TOO_LARGE',
      ['event', 'state_key'],
    ]);
  });

  it('64 × 🐈 is 256 bytes (128 UTF-16 units) and fails; 63 × 🐈 + 3 ASCII bytes is 255 and passes the limit', () => {
    const cats = CAT.repeat(64);
    expect([cats.length, bytes(cats)]).toEqual([128, 256]);
    const over = rejection(
      receiveInvite(requestFor('v2', '10', signedInvite('10', { state_key: cats })), context),
    );
    expect(over.reason).toBe('field_too_large');
    const at = `${CAT.repeat(63)}abc`;
    expect(bytes(at)).toBe(255);
    // Within the limit, so the next check decides: not a user ID.
    const next = rejection(
      receiveInvite(requestFor('v2', '10', signedInvite('10', { state_key: at })), context),
    );
    expect(next.reason).toBe('invalid_state_key');
    expect(checkEventFieldLimits({ type: cats })).toMatchObject(
      E.left({ reason: 'field_too_large', actual: 256 }),
    );
    expect(E.isRight(checkEventFieldLimits({ type: at }))).toBe(true);
  });

  it('type: 255 bytes passes the limit (then not_member_event), 256 bytes field_too_large', () => {
    const at = `m.${'t'.repeat(253)}`;
    const next = rejection(receiveInvite(requestFor('v2', '10', signedInvite('10', { type: at })), context));
    expect(next.reason).toBe('not_member_event');
    const over = rejection(
      receiveInvite(requestFor('v2', '10', signedInvite('10', { type: `${at}t` })), context),
    );
    expect([over.reason, over.path]).toEqual(['field_too_large', ['event', 'type']]);
  });

  it('sender: 255 bytes accepted, 256 bytes field_too_large', () => {
    const ok = `@${localpartFor(255, `:${INVITER}`)}:${INVITER}`;
    expect(
      E.isRight(receiveInvite(requestFor('v2', '10', signedInvite('10', { sender: ok })), context)),
    ).toBe(true);
    const long = `@${localpartFor(256, `:${INVITER}`)}:${INVITER}`;
    const left = rejection(
      receiveInvite(requestFor('v2', '10', signedInvite('10', { sender: long })), context),
    );
    expect([left.reason, left.path]).toEqual(['field_too_large', ['event', 'sender']]);
  });

  it('room_id (room 10) and event_id (room 1, v1): 255 bytes accepted, 256 bytes field_too_large', () => {
    const roomOf = (n: number) => `!${'r'.repeat(n - bytes(`!:${INVITER}`))}:${INVITER}`;
    for (const [n, ok] of [
      [255, true],
      [256, false],
    ] as const) {
      const event = signedInvite('10', { room_id: roomOf(n) });
      const result = receiveInvite(requestFor('v2', '10', event, { inviteRoomState: [] }), {
        ...context,
        policy: { inviteRoomState: 'ignore' },
      });
      if (ok) expect(E.isRight(result)).toBe(true);
      else expect(rejection(result).reason).toBe('field_too_large');
    }
    const eventIdOfSize = (n: number) => `$${'e'.repeat(n - bytes(`$:${INVITER}`))}:${INVITER}`;
    for (const [n, ok] of [
      [255, true],
      [256, false],
    ] as const) {
      const event = signedInvite('1', { event_id: eventIdOfSize(n) });
      expect(bytes(eventIdOf(event, '1'))).toBe(n);
      const result = receiveInvite(requestFor('v1', '1', event), context);
      if (ok) expect(E.isRight(result)).toBe(true);
      else
        expect([rejection(result).reason, rejection(result).path]).toEqual(['field_too_large', ['event_id']]);
    }
  });
});

describe('JSON nesting limit (256)', () => {
  it('parseJson: 256 levels parse, 257 are too_deep (default and explicit maxDepth)', () => {
    expect(E.isRight(parseJson(nested(256, '1')))).toBe(true);
    expect(E.isRight(parseJson(nested(256, '1'), { maxDepth: 256 }))).toBe(true);
    const left = parseJson(nested(257, '1'));
    expect(E.isLeft(left) && left.left.reason).toBe('too_deep');
    expect(E.isLeft(parseJson(nested(257, '1'), { maxDepth: 256 }))).toBe(true);
  });

  it('receiveInvite: a body nested 256 deep is parsed; 257 is body_too_deep (400 M_BAD_JSON)', () => {
    const event = signedInvite('10');
    const body = (depth: number) => {
      // The body object is level 1 and `unsigned`-free: nest inside invite_room_state (level 2 is the array).
      const inner = nested(depth - 2, '1');
      const text = right(encodeCanonicalJson({ room_version: '10', event, invite_room_state: [] }));
      return text.replace('"invite_room_state":[]', `"invite_room_state":[${inner}]`);
    };
    const request = requestFor('v2', '10', event);
    const at = receiveInvite({ ...request, body: body(256) }, context);
    expect(E.isLeft(at) ? at.left.reason : 'accepted').not.toBe('body_too_deep');
    const over = rejection(receiveInvite({ ...request, body: body(257) }, context));
    expect([over.reason, over.status, over.body.errcode]).toEqual(['body_too_deep', 400, 'M_BAD_JSON']);
  });
});

describe('integer digit limit (4300)', () => {
  it('4300 digits parse exactly, 4301 digits are integer_too_long (also negative)', () => {
    const at = parseJson(`[${'9'.repeat(4300)}]`);
    expect(E.isRight(at) && (at.right as readonly bigint[])[0]).toBe(10n ** 4300n - 1n);
    const over = parseJson(`[${'9'.repeat(4301)}]`);
    expect(E.isLeft(over) && over.left.reason).toBe('integer_too_long');
    expect(E.isRight(parseJson(`-${'9'.repeat(4300)}`))).toBe(true);
    expect(E.isLeft(parseJson(`-${'9'.repeat(4301)}`))).toBe(true);
  });

  it('receiveInvite (room 1): a 4301-digit integer in the body is body_not_json', () => {
    const event = signedInvite('1');
    const text = right(encodeCanonicalJson(event)).replace('"depth":10', `"depth":1${'0'.repeat(4300)}`);
    const left = rejection(receiveInvite({ ...requestFor('v1', '1', event), body: text }, context));
    expect([left.reason, left.status, left.body.errcode]).toEqual(['body_not_json', 400, 'M_NOT_JSON']);
  });
});

describe('raw body limit (maxBodyBytes)', () => {
  it('default 200 × 65536: one byte more is body_too_large (413 M_TOO_LARGE), before parsing', () => {
    expect(DEFAULT_MAX_BODY_BYTES).toBe(200 * 65536);
    const huge = new Uint8Array(DEFAULT_MAX_BODY_BYTES + 1).fill(0x20);
    const left = rejection(
      receiveInvite({ ...requestFor('v2', '10', signedInvite('10')), body: huge }, context),
    );
    expect([left.reason, left.status, left.body.errcode]).toEqual(['body_too_large', 413, 'M_TOO_LARGE']);
  });

  it('a policy limit: a body of exactly maxBodyBytes is parsed, one byte more is body_too_large', () => {
    const request = requestFor('v2', '10', signedInvite('10'));
    const size = (request.body as Uint8Array).length;
    const policy = { maxBodyBytes: size };
    expect(E.isRight(receiveInvite(request, { ...context, policy }))).toBe(true);
    const text = `${new TextDecoder().decode(request.body as Uint8Array)} `;
    expect(rejection(receiveInvite({ ...request, body: text }, { ...context, policy })).reason).toBe(
      'body_too_large',
    );
  });
});
