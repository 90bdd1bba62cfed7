/**
 * Event hashing, signing and verification against the Synapse helper stack (Debian python3-canonicaljson,
 * python3-signedjson, PyNaCl). Python has no redaction function, so the script below carries its own, written
 * from the spec's redaction algorithms (each room version's "Redactions" section) independently of src/events/redaction.ts.
 *
 * Events of many types (member incl. restricted joins and third-party invites, create, join_rules, power_levels,
 * message, history_visibility, aliases, redaction, custom, plus generated content) in every room version 1-12:
 * - signed in Python (content hash with hashlib, signedjson.sign.sign_json over the redacted event) verify here;
 * - signed here verify in Python, including a countersignature;
 * - content hashes and event IDs are equal.
 * Events travel as canonical JSON text both ways, so numbers (big integers, floats in rooms 1-5) stay exact.
 */
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { expect, it } from 'vitest';
import { computeContentHash, computeEventId } from '../../src/events/hashes.js';
import { prepareEvent } from '../../src/events/prepared.js';
import { countersignPrepared, signEvent } from '../../src/events/signing.js';
import { verifyEventSignatures } from '../../src/events/verify.js';
import { encodeCanonicalJson } from '../../src/json/canonical.js';
import { type JsonObject, type JsonValue, omitKeys } from '../../src/json/value.js';
import {
  ALL_ROOM_VERSIONS,
  INVITEE_SEED,
  INVITER_SEED,
  interopInvitee,
  interopInviter,
  interopKeys,
  parseEvent,
  right,
} from '../events/helpers.js';
import { jsonValue } from '../helpers/json-arbitrary.js';
import { describeInterop, PY_EVENT_HELPERS, PY_PRELUDE, runPython } from '../helpers/python-oracle.js';

const seed = Number(process.env.INTEROP_SEED ?? Date.now() % 2 ** 31);
console.log(`events interop corpus seed: ${seed} (replay with INTEROP_SEED=${seed})`);

const inviter = interopInviter;
const invitee = interopInvitee;
const keys = interopKeys;

/** The shared Python event helpers plus our two signing keys. */
const PY_EVENTS = `${PY_PRELUDE}${PY_EVENT_HELPERS}
inviter = signedjson.key.decode_signing_key_base64("ed25519", "1", "${INVITER_SEED}")
invitee = signedjson.key.decode_signing_key_base64("ed25519", "2", "${INVITEE_SEED}")
`;

/** Python signs: hashes, then signs the redacted form; returns canonical texts, content hashes, event IDs. */
const PY_SIGN = `${PY_EVENTS}
out = []
for item in json.load(sys.stdin):
    ev = json.loads(item["text"]); rv = item["rv"]
    ev.setdefault("hashes", {})["sha256"] = content_hash(ev)
    red = redact(ev, rv)
    signedjson.sign.sign_json(red, "inviter.example", inviter)
    ev.setdefault("signatures", {}).setdefault("inviter.example", {})["ed25519:1"] = red["signatures"]["inviter.example"]["ed25519:1"]
    out.append({"text": canon(ev), "hash": ev["hashes"]["sha256"], "id": event_id(ev, rv)})
print(json.dumps(out))
`;

/** Python verifies our signatures (inviter and, when present, the invitee's countersignature). */
const PY_VERIFY = `${PY_EVENTS}
def ok(red, server, key):
    try:
        signedjson.sign.verify_signed_json(red, server, signedjson.key.get_verify_key(key)); return True
    except Exception:
        return False
out = []
for item in json.load(sys.stdin):
    ev = json.loads(item["text"]); rv = item["rv"]
    red = redact(ev, rv)
    counter = "invitee.example" in ev.get("signatures", {})
    out.append({
        "inviter": ok(red, "inviter.example", inviter),
        "invitee": ok(red, "invitee.example", invitee) if counter else None,
        "hash": content_hash(ev), "hash_ok": content_hash(ev) == ev["hashes"]["sha256"], "id": event_id(ev, rv),
    })
print(json.dumps(out))
`;

const canonical = (value: JsonValue): string => right(encodeCanonicalJson(value));

/** Fixed events of many types for room version `rv` (no hashes/signatures yet). */
function fixedEvents(rv: string): JsonObject[] {
  const n = Number(rv);
  const base = (type: string, content: JsonObject, extra: JsonObject = {}): JsonObject => ({
    type,
    content,
    sender: '@alice:inviter.example',
    ...(rv === '12' && type === 'm.room.create'
      ? {}
      : { room_id: rv === '12' ? '!BeXKh925K_M46DwsuJFR0EyBpE1P7CFUDGuWW4xw55Y' : '!r:inviter.example' }),
    ...(n <= 2 ? { event_id: `$${type}-${rv}:inviter.example` } : {}),
    origin: 'inviter.example',
    origin_server_ts: 1_700_000_000_000,
    depth: 12,
    auth_events: n <= 2 ? [['$a:inviter.example', { sha256: 'AAAA' }]] : ['$auth'],
    prev_events: n <= 2 ? [] : ['$prev'],
    unsigned: { age: 5, invite_room_state: [{ type: 'm.room.name', content: { name: 'n' } }] },
    ...extra,
  });
  return [
    base(
      'm.room.member',
      { membership: 'invite', displayname: 'Bob', is_direct: true },
      { state_key: '@bob:invitee.example' },
    ),
    base(
      'm.room.member',
      {
        membership: 'invite',
        third_party_invite: {
          display_name: 'b',
          signed: {
            mxid: '@bob:invitee.example',
            token: 't',
            signatures: { 'id.example': { 'ed25519:0': 'x' } },
          },
        },
      },
      { state_key: '@bob:invitee.example' },
    ),
    base(
      'm.room.member',
      { membership: 'join', join_authorised_via_users_server: '@alice:inviter.example', reason: 'r' },
      { state_key: '@carol:inviter.example', membership: 'join', prev_state: [] },
    ),
    base(
      'm.room.create',
      { creator: '@alice:inviter.example', room_version: rv, 'm.federate': true },
      { state_key: '' },
    ),
    base(
      'm.room.join_rules',
      { join_rule: 'restricted', allow: [{ type: 'm.room_membership', room_id: '!o:x' }], extra: 1 },
      { state_key: '' },
    ),
    base(
      'm.room.power_levels',
      {
        ban: 50,
        events: { 'm.room.name': 50 },
        events_default: 0,
        invite: 0,
        kick: 50,
        redact: 50,
        state_default: 50,
        users: { '@alice:inviter.example': 100 },
        users_default: 0,
        notifications: { room: 50 },
      },
      { state_key: '' },
    ),
    base('m.room.message', { msgtype: 'm.text', body: 'héllo 🐈 \u0001 "quoted"' }),
    base('m.room.history_visibility', { history_visibility: 'shared', other: 'x' }, { state_key: '' }),
    base('m.room.aliases', { aliases: ['#a:inviter.example'] }, { state_key: 'inviter.example' }),
    base('m.room.redaction', { redacts: '$target', reason: 'spam' }, n <= 10 ? { redacts: '$target' } : {}),
    base(
      'org.example.custom',
      { anything: { nested: [1, 'two', null] } },
      { custom_top_level: 'kept?', __proto__x: 1 },
    ),
  ];
}

/** Generated events: custom and member types with arbitrary content (legacy numbers only in rooms 1-5). */
function generatedEvents(rv: string, count: number): JsonObject[] {
  const legacy = Number(rv) <= 5;
  const content = fc.dictionary(
    fc.string({ maxLength: 8 }),
    jsonValue({ legacyNumbers: legacy, maxDepth: 3 }),
    { maxKeys: 5 },
  );
  const samples = fc.sample(
    fc.tuple(content, fc.constantFrom('m.room.member', 'm.room.create', 'x.custom', 'm.room.power_levels')),
    {
      seed: seed + Number(rv),
      numRuns: count,
    },
  );
  const template = fixedEvents(rv)[0] as JsonObject;
  return samples.map(([c, type]) => {
    const event: JsonObject = { ...template, type, content: { membership: 'invite', ...(c as JsonObject) } };
    return rv === '12' && type === 'm.room.create' ? omitKeys(event, ['room_id']) : event;
  });
}

const corpus = (): { rv: string; event: JsonObject }[] =>
  ALL_ROOM_VERSIONS.flatMap((rv) =>
    [...fixedEvents(rv), ...generatedEvents(rv, 15)].map((event) => ({ rv, event })),
  );

describeInterop('events: Synapse helper stack <-> this library', () => {
  it('events signed in Python verify here, with equal content hashes and event IDs', () => {
    const items = corpus();
    const python = runPython<{ text: string; hash: string; id: string | null }[]>(
      PY_SIGN,
      items.map(({ rv, event }) => ({ rv, text: canonical(event) })),
    );
    const problems: string[] = [];
    items.forEach(({ rv, event }, i) => {
      const result = python[i] as { text: string; hash: string; id: string | null };
      const signed = parseEvent(result.text);
      const label = `room ${rv} ${String(event.type)} #${i}`;
      if (right(computeContentHash(event)) !== result.hash) problems.push(`${label}: content hash`);
      const verified = verifyEventSignatures({ event: signed, roomVersion: rv, keys });
      if (E.isLeft(verified)) problems.push(`${label}: ${verified.left.reason} ${verified.left.message}`);
      else if (verified.right.contentHash?.matches !== true) problems.push(`${label}: content hash mismatch`);
      const id = computeEventId(signed, rv);
      if (result.id === null ? E.isRight(id) : !(E.isRight(id) && id.right === result.id))
        problems.push(`${label}: event ID`);
    });
    expect(problems.slice(0, 10)).toEqual([]);
    expect(items.length).toBeGreaterThanOrEqual(12 * 26);
  });

  it('events signed and countersigned here verify in Python, with equal content hashes and event IDs', () => {
    const items = corpus();
    const ours = items.map(({ rv, event }) => {
      const signed = right(
        signEvent({ event, roomVersion: rv, serverName: 'inviter.example', signingKey: inviter }),
      );
      const prepared = right(prepareEvent(signed, rv));
      const counter = right(countersignPrepared(prepared, 'invitee.example', invitee));
      const id = prepared.eventId();
      return {
        rv,
        text: canonical(counter.event),
        hash: (signed.hashes as JsonObject).sha256,
        id: E.isRight(id) ? id.right : null,
      };
    });
    const python = runPython<
      { inviter: boolean; invitee: boolean | null; hash: string; hash_ok: boolean; id: string | null }[]
    >(
      PY_VERIFY,
      ours.map(({ rv, text }) => ({ rv, text })),
    );
    const problems: string[] = [];
    ours.forEach((mine, i) => {
      const theirs = python[i] as (typeof python)[number];
      const label = `room ${mine.rv} #${i}`;
      if (!theirs.inviter) problems.push(`${label}: inviter signature rejected by Python`);
      if (theirs.invitee !== true) problems.push(`${label}: countersignature rejected by Python`);
      if (!theirs.hash_ok || theirs.hash !== mine.hash) problems.push(`${label}: content hash`);
      if (theirs.id !== mine.id) problems.push(`${label}: event ID ${mine.id} vs ${theirs.id}`);
    });
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it('a tampered signed field is rejected by both sides', () => {
    const items = ALL_ROOM_VERSIONS.map((rv) => {
      const signed = right(
        signEvent({
          event: fixedEvents(rv)[0] as JsonObject,
          roomVersion: rv,
          serverName: 'inviter.example',
          signingKey: inviter,
        }),
      );
      return { rv, signed, event: { ...signed, state_key: '@eve:invitee.example' } as JsonObject };
    });
    const python = runPython<{ inviter: boolean }[]>(PY_VERIFY, [
      ...items.map(({ rv, event }) => ({ rv, text: canonical(event) })),
      ...items.map(({ rv, signed }) => ({ rv, text: canonical(signed) })), // controls: untampered
    ]);
    items.forEach(({ rv, event }, i) => {
      expect(python[i]?.inviter).toBe(false);
      expect(python[items.length + i]?.inviter).toBe(true);
      expect(E.isLeft(verifyEventSignatures({ event, roomVersion: rv, keys }))).toBe(true);
    });
  });
});
