/**
 * Events at scale against the Synapse helper stack: a freshly generated corpus of more than 1000 events per run
 * (seed printed; replay with INTEROP_SEED), spread over all 12 room versions and many event types, with random
 * content (unicode everywhere; big integers and floats only in rooms 1-5, where canonical JSON is not enforced) and
 * random extra top-level keys. Both ways: events hashed and signed by python-signedjson verify here, with equal
 * content hashes and event IDs; events signed and countersigned here verify in Python, with equal hashes and IDs.
 * A disagreement is shrunk against the oracle and printed as a ready-to-paste event (test/helpers/disagreement.ts).
 * The Python redaction is written from the spec's redaction algorithms (the "Redactions" section of each room version, e.g. https://spec.matrix.org/v1.19/rooms/v11/#redactions), independently of src/events/redaction.ts.
 */
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { beforeAll, expect, it } from 'vitest';
import { computeContentHash, computeEventId } from '../../src/events/hashes.js';
import { prepareEvent } from '../../src/events/prepared.js';
import { countersignPrepared, signEvent } from '../../src/events/signing.js';
import { verifyEventSignatures } from '../../src/events/verify.js';
import { encodeCanonicalJson } from '../../src/json/canonical.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../src/json/value.js';
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
import { jsonCandidates, reportDisagreement, shrinkBatched, smallest } from '../helpers/disagreement.js';
import { jsonValue, unicodeString } from '../helpers/json-arbitrary.js';
import { describeInterop, PY_EVENT_HELPERS, PY_PRELUDE, runPython } from '../helpers/python-oracle.js';

const seed = Number(process.env.INTEROP_SEED ?? Date.now() % 2 ** 31);
console.log(`events-scale interop corpus seed: ${seed} (replay with INTEROP_SEED=${seed})`);
const FILE = 'test/interop/events-scale.interop.test.ts';
const PER_ROOM_VERSION = 90;

const inviter = interopInviter;
const invitee = interopInvitee;
const keys = interopKeys;

const PY_EVENTS = `${PY_PRELUDE}${PY_EVENT_HELPERS}
inviter = signedjson.key.decode_signing_key_base64("ed25519", "1", "${INVITER_SEED}")
invitee = signedjson.key.decode_signing_key_base64("ed25519", "2", "${INVITEE_SEED}")
def ok(red, server, key):
    try:
        signedjson.sign.verify_signed_json(red, server, signedjson.key.get_verify_key(key)); return True
    except Exception:
        return False
out = []
for item in json.load(sys.stdin):
    ev = json.loads(item["text"]); rv = item["rv"]
    try:
        if item["op"] == "sign":
            ev.setdefault("hashes", {})["sha256"] = content_hash(ev)
            red = redact(ev, rv)
            signedjson.sign.sign_json(red, "inviter.example", inviter)
            ev.setdefault("signatures", {}).setdefault("inviter.example", {})["ed25519:1"] = red["signatures"]["inviter.example"]["ed25519:1"]
            out.append({"text": canon(ev), "hash": ev["hashes"]["sha256"], "id": event_id(ev, rv)})
        else:
            red = redact(ev, rv)
            out.append({"inviter": ok(red, "inviter.example", inviter), "invitee": ok(red, "invitee.example", invitee),
                        "hash": content_hash(ev), "id": event_id(ev, rv)})
    except Exception as e:
        out.append({"error": repr(e)})
print(json.dumps(out))
`;

interface PySigned {
  readonly text?: string;
  readonly hash?: string;
  readonly id?: string | null;
  readonly error?: string;
}
interface PyVerified {
  readonly inviter?: boolean;
  readonly invitee?: boolean;
  readonly hash?: string;
  readonly id?: string | null;
  readonly error?: string;
}

const canonical = (value: JsonValue): string => right(encodeCanonicalJson(value));

const STATE_TYPES = [
  'm.room.create',
  'm.room.member',
  'm.room.join_rules',
  'm.room.power_levels',
  'm.room.history_visibility',
  'm.room.aliases',
  'm.room.name',
  'm.room.topic',
  'm.room.guest_access',
  'm.room.encryption',
  'm.room.server_acl',
  'm.room.tombstone',
  'm.room.third_party_invite',
  'org.example.state',
];
const MESSAGE_TYPES = [
  'm.room.message',
  'm.room.redaction',
  'm.reaction',
  'm.room.encrypted',
  'org.example.ü.event',
];

/** Content a type needs so that the redaction rules have something to keep. */
function typedContent(type: string, rv: string): JsonObject {
  switch (type) {
    case 'm.room.member':
      return { membership: 'invite', join_authorised_via_users_server: '@alice:inviter.example' };
    case 'm.room.create':
      return { creator: '@alice:inviter.example', room_version: rv };
    case 'm.room.join_rules':
      return { join_rule: 'restricted', allow: [{ type: 'm.room_membership', room_id: '!o:x' }] };
    case 'm.room.power_levels':
      return { ban: 50, users: { '@alice:inviter.example': 100 }, invite: 0, events: { 'm.room.name': 50 } };
    case 'm.room.history_visibility':
      return { history_visibility: 'shared' };
    case 'm.room.aliases':
      return { aliases: ['#a:inviter.example'] };
    case 'm.room.redaction':
      return { redacts: '$target' };
    default:
      return {};
  }
}

/** One generated event of room version `rv` (no hashes/signatures yet). */
function eventArbitrary(rv: string): fc.Arbitrary<JsonObject> {
  const n = Number(rv);
  const legacy = n <= 5;
  const extraContent = fc.dictionary(unicodeString, jsonValue({ legacyNumbers: legacy, maxDepth: 3 }), {
    maxKeys: 5,
  });
  const extraTop = fc.dictionary(
    fc.constantFrom('custom_top', 'ünïcode', 'membership', 'prev_state', 'origin', 'age_ts', 'x'),
    jsonValue({ legacyNumbers: legacy, maxDepth: 2 }),
    { maxKeys: 2 },
  );
  return fc
    .record({
      type: fc.constantFrom(...STATE_TYPES, ...MESSAGE_TYPES),
      content: extraContent,
      top: extraTop,
      stateKey: fc.oneof(fc.constant(''), fc.constant('@bob:invitee.example'), unicodeString),
      ts: fc.integer({ min: 0, max: 2 ** 45 }),
      depth: fc.integer({ min: 0, max: 2 ** 40 }),
      unsigned: fc.option(jsonValue({ legacyNumbers: legacy, maxDepth: 2 }), { nil: undefined }),
    })
    .map(({ type, content, top, stateKey, ts, depth, unsigned }) => {
      const isState = STATE_TYPES.includes(type);
      const v12Create = rv === '12' && type === 'm.room.create';
      const event: Record<string, JsonValue> = {
        ...top,
        type,
        content: { ...content, ...typedContent(type, rv) },
        sender: '@alice:inviter.example',
        ...(v12Create
          ? {}
          : { room_id: rv === '12' ? '!BeXKh925K_M46DwsuJFR0EyBpE1P7CFUDGuWW4xw55Y' : '!r:inviter.example' }),
        ...(n <= 2 ? { event_id: `$e${ts}:inviter.example` } : {}),
        origin_server_ts: ts,
        depth,
        auth_events: n <= 2 ? [['$a:inviter.example', { sha256: 'AAAA' }]] : ['$auth'],
        prev_events: n <= 2 ? [] : ['$prev'],
        ...(isState ? { state_key: type === 'm.room.create' ? '' : stateKey } : {}),
        ...(unsigned === undefined ? {} : { unsigned: { age: 1, data: unsigned } }),
      };
      if (type === 'm.room.redaction' && n <= 10) event.redacts = '$target';
      return event;
    });
}

interface Item {
  readonly rv: string;
  readonly event: JsonObject;
}

function corpus(): Item[] {
  return ALL_ROOM_VERSIONS.flatMap((rv, i) =>
    fc
      .sample(eventArbitrary(rv), { seed: seed + i, numRuns: PER_ROOM_VERSION })
      .map((event) => ({ rv, event })),
  );
}

/** Python signs; returns for each item the disagreement (or undefined). */
function pythonSignsWeVerify(items: readonly Item[]): (string | undefined)[] {
  const python = runPython<PySigned[]>(
    PY_EVENTS,
    items.map(({ rv, event }) => ({ op: 'sign', rv, text: canonical(event) })),
  );
  return items.map(({ rv, event }, i) => {
    const theirs = python[i] as PySigned;
    if (theirs.error !== undefined || theirs.text === undefined) return `python failed: ${theirs.error}`;
    const signed = parseEvent(theirs.text);
    const hash = computeContentHash(event);
    if (!(E.isRight(hash) && hash.right === theirs.hash))
      return `content hash ${E.isRight(hash) ? hash.right : 'error'} vs ${theirs.hash}`;
    const verified = verifyEventSignatures({ event: signed, roomVersion: rv, keys });
    if (E.isLeft(verified))
      return `our verification failed: ${verified.left.reason} ${verified.left.message}`;
    if (verified.right.contentHash?.matches !== true) return 'our content hash check failed';
    const id = computeEventId(signed, rv);
    const ours = E.isRight(id) ? id.right : null;
    return (theirs.id ?? null) === (Number(rv) <= 2 ? null : ours)
      ? undefined
      : `event ID ${ours} vs ${theirs.id}`;
  });
}

/** We sign and countersign; Python verifies. */
function weSignPythonVerifies(items: readonly Item[]): (string | undefined)[] {
  const ours = items.map(({ rv, event }) => {
    const signed = signEvent({ event, roomVersion: rv, serverName: 'inviter.example', signingKey: inviter });
    if (E.isLeft(signed)) return { rv, error: signed.left.message };
    const prepared = right(prepareEvent(signed.right, rv));
    const counter = right(countersignPrepared(prepared, 'invitee.example', invitee));
    const id = prepared.eventId();
    return {
      rv,
      text: canonical(counter.event),
      hash: (signed.right.hashes as JsonObject).sha256 as string,
      id: E.isRight(id) ? id.right : null,
    };
  });
  const python = runPython<PyVerified[]>(
    PY_EVENTS,
    ours.map((o) => ({ op: 'verify', rv: o.rv, text: o.text ?? '{}' })),
  );
  return ours.map((mine, i) => {
    if ('error' in mine) return `we could not sign: ${mine.error}`;
    const theirs = python[i] as PyVerified;
    if (theirs.error !== undefined) return `python failed: ${theirs.error}`;
    if (theirs.inviter !== true) return 'Python rejects our signature';
    if (theirs.invitee !== true) return 'Python rejects our countersignature';
    if (theirs.hash !== mine.hash) return `content hash ${mine.hash} vs ${theirs.hash}`;
    if ((theirs.id ?? null) !== mine.id) return `event ID ${mine.id} vs ${theirs.id}`;
    return undefined;
  });
}

/** Fails with the smallest disagreement of the batch, shrunk against the oracle. */
function expectAgreement(
  direction: string,
  items: readonly Item[],
  problems: readonly (string | undefined)[],
  check: (items: readonly Item[]) => (string | undefined)[],
): void {
  const failing = items.filter((_, i) => problems[i] !== undefined);
  if (failing.length === 0) return;
  const first = smallest(failing, (item) => canonical(item.event).length) as Item;
  const shrink = shrinkBatched(
    first.event as JsonValue,
    (value) =>
      jsonCandidates(value, ['type', 'content', 'sender', 'room_id', 'event_id', 'depth']).filter(
        isJsonObject,
      ),
    (batch) =>
      check(batch.map((event) => ({ rv: first.rv, event: event as JsonObject }))).map((p) => p !== undefined),
  );
  const minimal = { rv: first.rv, event: shrink.value as JsonObject };
  const message = reportDisagreement({
    title: `events, ${direction}`,
    seed,
    seedEnv: 'INTEROP_SEED',
    file: FILE,
    input: `room version ${minimal.rv}: ${canonical(minimal.event)}`,
    details: { problem: check([minimal])[0] ?? '(no longer disagrees after shrinking)' },
    count: failing.length,
    shrink,
  });
  expect.fail(message);
}

describeInterop(
  `events at scale (>= 1000 per run, all 12 room versions): Synapse helper stack <-> this library`,
  () => {
    let items: Item[] = [];
    beforeAll(() => {
      items = corpus();
    });

    it('the corpus covers every room version and many types, with unicode and (rooms 1-5) big integers', () => {
      expect(items.length).toBeGreaterThanOrEqual(1000);
      expect(new Set(items.map((i) => i.rv)).size).toBe(12);
      expect(new Set(items.map((i) => i.event.type)).size).toBeGreaterThanOrEqual(15);
      const texts = items.map((i) => canonical(i.event));
      expect(texts.some((t) => [...t].some((ch) => (ch.codePointAt(0) as number) > 0x7f))).toBe(true);
      expect(
        items.some((i) => Number(i.rv) <= 5 && /\d{17,}/.test(canonical(i.event.content as JsonValue))),
      ).toBe(true);
    });

    it('events signed by python-signedjson verify here, with equal content hashes and event IDs', () => {
      expectAgreement('Python signs, we verify', items, pythonSignsWeVerify(items), pythonSignsWeVerify);
    });

    it('events signed and countersigned here verify in Python, with equal content hashes and event IDs', () => {
      expectAgreement('we sign, Python verifies', items, weSignPythonVerifies(items), weSignPythonVerifies);
    });
  },
);
