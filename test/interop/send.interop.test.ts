/**
 * Interop with Debian's Python stack (canonicaljson, signedjson, PyNaCl) playing the invitee: it reads our invite
 * request, checks the content hash and the inviter's signature over the redacted event (member-event redaction of
 * the spec's redaction algorithms, written out below since Python has no redaction function), countersigns with signedjson and
 * answers. We verify the answer; a tampered field, a dropped inviter signature and a wrong invitee key are caught.
 */
import { beforeAll, expect, it } from 'vitest';
import { type BuildInviteEventParams, buildInviteEvent } from '../../src/invite/send/build-event.js';
import type { InviteSendErrorReason } from '../../src/invite/send/common.js';
import { buildInviteRequest } from '../../src/invite/send/request.js';
import { verifyInviteResponse } from '../../src/invite/send/response.js';
import { JsonFloat, type JsonObject } from '../../src/json/value.js';
import { vectors } from '../helpers/fixtures.js';
import { describeInterop, PY_EVENT_HELPERS, PY_PRELUDE, runPython } from '../helpers/python-oracle.js';
import {
  ALL_ROOM_VERSIONS,
  bothKeys,
  INVITEE,
  INVITER,
  inviteeKey,
  inviteParams,
  inviterKey,
  right,
  stringify,
} from '../invite/send-helpers.js';

const SCRIPT = `${PY_PRELUDE}
${PY_EVENT_HELPERS}
sys_input = json.load(sys.stdin)
inviter_vk = signedjson.key.decode_verify_key_base64('ed25519', '1', sys_input['inviter_public'])
results = []
for case in sys_input['cases']:
    rv = int(case['rv'])
    body = json.loads(case['body_text'])
    ev = body['event'] if case['api'] == 'v2' else body
    ev.pop('unsigned', None)
    hash_ok = ev['hashes']['sha256'] == content_hash(ev)
    try:
        signedjson.sign.verify_signed_json(redact(ev, rv), 'inviter.example', inviter_vk)
        inviter_ok = True
    except signedjson.sign.SignatureVerifyException:
        inviter_ok = False
    key = signedjson.key.decode_signing_key_base64('ed25519', '2', case['invitee_seed'])
    signed = signedjson.sign.sign_json(json.loads(json.dumps(redact(ev, rv))), 'invitee.example', key)
    ev['signatures']['invitee.example'] = signed['signatures']['invitee.example']
    ev['unsigned'] = {'age': 5}
    if case['tamper'] == 'field':
        ev['content']['displayname'] = 'Mallory'
    elif case['tamper'] == 'drop_inviter':
        del ev['signatures']['inviter.example']
    response = [200, {'event': ev}] if case['api'] == 'v1' else {'event': ev}
    results.append({'hash_ok': hash_ok, 'inviter_ok': inviter_ok, 'response': json.dumps(response),
                    'signature': signed['signatures']['invitee.example']['ed25519:2']})
print(json.dumps(results))
`;

interface PyResult {
  hash_ok: boolean;
  inviter_ok: boolean;
  response: string;
  signature: string;
}

type Tamper = 'none' | 'field' | 'drop_inviter' | 'wrong_key';
const EXPECTED: Record<Tamper, InviteSendErrorReason | undefined> = {
  none: undefined,
  field: 'event_mismatch',
  drop_inviter: 'inviter_signature_changed',
  wrong_key: 'bad_invitee_signature',
};
const WRONG_SEED = 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc';

/** Rooms 1-5 may carry floats and big integers (hashed in Python's rendering); unicode everywhere. */
function paramsFor(rv: string): Omit<BuildInviteEventParams, 'signingKey'> {
  const legacy = Number(rv) <= 5;
  return inviteParams(rv, {
    displayname: 'Bob 🐈 é\u2028',
    reason: 'join us',
    ...(legacy ? { weight: new JsonFloat(1.5), big: 2n ** 60n } : { n: 9007199254740991 }),
  });
}

interface Case {
  rv: string;
  api: 'v1' | 'v2';
  tamper: Tamper;
  sent: JsonObject;
  bodyText: string;
}

describeInterop('interop: Python (signedjson) plays the invitee', () => {
  const cases: Case[] = [];
  let results: PyResult[] = [];

  beforeAll(() => {
    for (const rv of ALL_ROOM_VERSIONS) {
      const built = right(
        buildInviteEvent({ ...paramsFor(rv), serverName: INVITER, signingKey: inviterKey }),
      );
      for (const api of rv === '1' || rv === '2' ? (['v1', 'v2'] as const) : (['v2'] as const)) {
        const request = right(buildInviteRequest({ apiVersion: api, roomVersion: rv, event: built.event }));
        for (const tamper of ['none', 'field', 'drop_inviter', 'wrong_key'] as const) {
          cases.push({ rv, api, tamper, sent: built.event, bodyText: stringify(request.body) });
        }
      }
    }
    results = runPython<PyResult[]>(SCRIPT, {
      inviter_public: inviterKey.publicKey,
      cases: cases.map((c) => ({
        rv: c.rv,
        api: c.api,
        tamper: c.tamper === 'wrong_key' ? 'none' : c.tamper,
        body_text: c.bodyText,
        invitee_seed: c.tamper === 'wrong_key' ? WRONG_SEED : vectors.keys.invitee_bytes_0_31?.seed,
      })),
    });
  });

  it('Python accepts our invite events: content hash and inviter signature, every room version', () => {
    expect(results).toHaveLength(cases.length);
    for (const [i, c] of cases.entries()) {
      expect([c.rv, c.api, results[i]?.hash_ok, results[i]?.inviter_ok]).toEqual([c.rv, c.api, true, true]);
    }
  });

  it("we verify Python's countersignature; tampering is caught with the right reason", () => {
    for (const [i, c] of cases.entries()) {
      const result = results[i] as PyResult;
      const verified = verifyInviteResponse(
        { status: 200, body: result.response },
        { apiVersion: c.api, sentEvent: c.sent, roomVersion: c.rv, inviteeServer: INVITEE, keys: bothKeys },
      );
      const label = `room ${c.rv} ${c.api} ${c.tamper}`;
      const expected = EXPECTED[c.tamper];
      if (expected === undefined) {
        expect(verified._tag, label).toBe('Right');
        if (verified._tag === 'Right') {
          expect(verified.right.inviteeKeyIds).toEqual(['ed25519:2']);
          expect((verified.right.event.signatures as JsonObject)[INVITEE]).toEqual({
            'ed25519:2': result.signature,
          });
        }
      } else {
        expect(verified._tag === 'Left' ? verified.left.reason : 'accepted', label).toBe(expected);
      }
    }
  });

  it("Python's countersignature is byte-identical to the one the library computes", async () => {
    const { prepareEvent } = await import('../../src/events/prepared.js');
    const { countersignPrepared } = await import('../../src/events/signing.js');
    for (const [i, c] of cases.entries()) {
      if (c.tamper !== 'none') continue;
      const prepared = right(prepareEvent(c.sent, c.rv));
      expect(right(countersignPrepared(prepared, INVITEE, inviteeKey)).signature).toBe(results[i]?.signature);
    }
  });
});
