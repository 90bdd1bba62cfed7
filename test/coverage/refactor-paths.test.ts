/** Behaviour of the shared encoding paths: member reuse, content hash input, room IDs, error mapping fallbacks. */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { matrixErrorBody, SPEC_ERROR_MAPPING, toMatrixError } from '../../src/errors/matrix.js';
import {
  checkContentHash,
  checkContentHashWith,
  computeContentHash,
  computeRoomId,
  encodeContentHashInput,
} from '../../src/events/hashes.js';
import { prepareEvent } from '../../src/events/prepared.js';
import { encodeCanonicalJson, encodeCanonicalMembers } from '../../src/json/canonical.js';
import { type JsonObject, omitKeys } from '../../src/json/value.js';

const EVENT: JsonObject = {
  type: 'm.room.member',
  state_key: '@bob:b.example',
  sender: '@alice:a.example',
  room_id: '!r:a.example',
  origin_server_ts: 1,
  depth: 3,
  auth_events: [],
  prev_events: [],
  content: { membership: 'invite', displayname: 'Bob' },
  hashes: { sha256: 'AAAA' },
  signatures: {},
};

describe('prepareEvent with reused members', () => {
  it('gives the same signing bytes as a fresh encoding', () => {
    const members = encodeContentHashInput(EVENT);
    if (E.isLeft(members)) throw new Error(members.left.message);
    const reused = prepareEvent(EVENT, '10', { reuse: members.right });
    const fresh = prepareEvent(EVENT, '10');
    if (E.isLeft(reused) || E.isLeft(fresh)) throw new Error('prepare failed');
    expect(reused.right.signingBytes).toEqual(fresh.right.signingBytes);
  });

  it('reports a member that has no canonical form instead of reusing stale text', () => {
    const members = encodeContentHashInput(EVENT);
    if (E.isLeft(members)) throw new Error(members.left.message);
    const broken = { ...EVENT, content: { membership: '\ud800' } };
    const result = prepareEvent(broken, '10', { reuse: members.right });
    expect(E.isLeft(result) && result.left.reason).toBe('canonical_json');
    expect(E.isLeft(result) && result.left.path).toEqual(['content', 'membership']);
  });

  it('never reuses the text of a member whose value changed (same key, different value)', () => {
    const members = encodeCanonicalMembers(EVENT, { omit: ['signatures'] });
    if (E.isLeft(members)) throw new Error(members.left.message);
    const changed = { ...EVENT, depth: 4 };
    const prepared = prepareEvent(changed, '10', { reuse: members.right });
    if (E.isLeft(prepared)) throw new Error(prepared.left.message);
    expect(new TextDecoder().decode(prepared.right.signingBytes)).toContain('"depth":4');
  });
});

describe("members whose value is undefined (callers' optional fields) are absent everywhere", () => {
  it('member encoding and reuse skip them, giving the bytes of the event without them', () => {
    const withUndefined = { ...EVENT, redacts: undefined } as unknown as typeof EVENT;
    const members = encodeCanonicalMembers(withUndefined, { omit: ['signatures'] });
    const plain = encodeCanonicalMembers(EVENT, { omit: ['signatures'] });
    if (E.isLeft(members) || E.isLeft(plain)) throw new Error('encoding failed');
    expect(members.right.bytes).toEqual(plain.right.bytes);
    expect(members.right.members.has('redacts')).toBe(false);
    const viaReuse = prepareEvent(withUndefined, '10', { reuse: members.right });
    const direct = prepareEvent(EVENT, '10');
    if (E.isLeft(viaReuse) || E.isLeft(direct)) throw new Error('prepare failed');
    expect(viaReuse.right.signingBytes).toEqual(direct.right.signingBytes);
  });
});

describe('content hash input', () => {
  it('checkContentHash with a precomputed input equals the direct computation', () => {
    const expected = computeContentHash(EVENT);
    const input = encodeContentHashInput(EVENT);
    if (E.isLeft(expected) || E.isLeft(input)) throw new Error('hash failed');
    const withInput = checkContentHashWith(EVENT, { canonicalInput: input.right });
    const direct = checkContentHash(EVENT);
    expect(withInput).toEqual(direct);
    expect(E.isRight(withInput) && withInput.right.expected).toBe(expected.right);
  });

  it('the synapse dialect also leaves out age_ts, outlier and destinations', () => {
    const withExtras = { ...EVENT, age_ts: 5, outlier: true, destinations: {} };
    const spec = encodeContentHashInput(withExtras);
    const synapse = encodeContentHashInput(withExtras, { dialect: 'synapse' });
    const plain = encodeCanonicalJson({ ...EVENT, hashes: undefined as never });
    const withoutHashes = encodeCanonicalJson(omitKeys(EVENT, ['hashes']));
    expect(E.isRight(spec) && new TextDecoder().decode(spec.right.bytes)).toContain('"age_ts":5');
    expect(E.isRight(synapse) && new TextDecoder().decode(synapse.right.bytes)).not.toContain('age_ts');
    expect(plain).toEqual(withoutHashes); // an undefined member is absent, as in JSON.stringify
  });
});

describe('computeRoomId', () => {
  it('refuses what is not a room version 12 create event', () => {
    const reason = (result: E.Either<{ reason: string }, string>) =>
      E.isLeft(result) ? result.left.reason : 'ok';
    expect(reason(computeRoomId(EVENT))).toBe('not_a_create_event');
    expect(reason(computeRoomId('x' as unknown as JsonObject))).toBe('not_an_object');
    expect(reason(computeRoomId({ ...EVENT, type: 'm.room.create' }, '11'))).toBe('room_id_not_computed');
    expect(reason(computeRoomId({ ...EVENT, type: 'm.room.create' }, 'nonsense!'))).toBe(
      'unknown_room_version',
    );
  });
});

describe('toMatrixError fallbacks', () => {
  it('a reason missing from both the given table and the spec table is a 500 M_UNKNOWN', () => {
    const answer = toMatrixError({ reason: 'made_up_reason', message: 'boom' }, {});
    expect(answer.status).toBe(500);
    expect(answer.body.errcode).toBe('M_UNKNOWN');
  });
  it('a partial table falls back to the spec table', () => {
    const answer = toMatrixError({ reason: 'sender_not_origin', message: 'no' }, {});
    expect(answer).toEqual(toMatrixError({ reason: 'sender_not_origin', message: 'no' }, SPEC_ERROR_MAPPING));
    expect(answer.status).toBe(400);
  });
  it('extra members never overwrite errcode or error', () => {
    expect(
      matrixErrorBody('M_FORBIDDEN', 'no', { errcode: 'M_OTHER', error: 'x', retry_after_ms: 5 }),
    ).toEqual({
      errcode: 'M_FORBIDDEN',
      error: 'no',
      retry_after_ms: 5,
    });
  });
});
