/**
 * Verifying the invitee's answer (spec PUT /_matrix/federation/v1|v2/invite responses; Synapse synapse/federation/federation_client.py send_invite): exact shapes, strict JSON in rooms 6+,
 * the returned event equal to the sent one, the inviter's signatures intact, the invitee's signature valid.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { KeyLookup } from '../../src/crypto/types.js';
import { prepareEvent } from '../../src/events/prepared.js';
import { countersignPrepared } from '../../src/events/signing.js';
import { buildInviteEvent } from '../../src/invite/send/build-event.js';
import type { InviteHttpResponse } from '../../src/invite/send/fallback.js';
import { type VerifyInviteResponseContext, verifyInviteResponse } from '../../src/invite/send/response.js';

/** The answer and what was sent, in one object: `verifyInviteResponse(params, params)`. */
type VerifyInviteResponseParams = InviteHttpResponse & VerifyInviteResponseContext;

import type { JsonObject, JsonValue } from '../../src/json/value.js';
import {
  bothKeys,
  deepFreeze,
  INVITEE,
  INVITER,
  inviteeKey,
  inviteParams,
  inviterKey,
  left,
  lookupOf,
  right,
  strangerKey,
  stringify,
  wireExample,
} from './send-helpers.js';

function sent(rv = '10'): JsonObject {
  return right(buildInviteEvent({ ...inviteParams(rv), serverName: INVITER, signingKey: inviterKey })).event;
}

/** The invitee's countersignature on an event (what a well-behaved invitee returns). */
function countersigned(event: JsonObject, rv = '10', key = inviteeKey, server = INVITEE): JsonObject {
  return right(countersignPrepared(right(prepareEvent(event, rv)), server, key)).event;
}

function check(
  event: JsonObject,
  body: VerifyInviteResponseParams['body'],
  overrides: Partial<VerifyInviteResponseParams> = {},
  lenient = false,
) {
  return verifyInviteResponse(
    { status: overrides.status ?? 200, body },
    {
      apiVersion: 'v2',
      sentEvent: event,
      roomVersion: '10',
      keys: bothKeys,
      ...overrides,
      lenient,
    },
  );
}

const withSignatures = (event: JsonObject, signatures: JsonValue): JsonObject => ({ ...event, signatures });

describe('wire examples', () => {
  it('v2-invite-rv10 and v1-invite-rv1 answers verify and give the doubly signed event', () => {
    for (const [id, rv, api] of [
      ['v2-invite-rv10', '10', 'v2'],
      ['v1-invite-rv1', '1', 'v1'],
    ] as const) {
      const wire = wireExample(id);
      const requestBody = JSON.parse(wire.request_body_json_text);
      const event: JsonObject = api === 'v2' ? requestBody.event : requestBody;
      const result = right(
        check(event, wire.response_body_json_text, {
          apiVersion: api,
          roomVersion: rv,
          status: wire.response_status,
        }),
      );
      const returned = JSON.parse(wire.response_body_json_text);
      const { unsigned: _u, ...expected } = api === 'v2' ? returned.event : returned[1].event;
      expect(result.event).toEqual(expected);
      expect(result.inviteeKeyIds).toEqual(['ed25519:2']);
      expect(result.warnings).toEqual([]);
      expect(result.event).not.toHaveProperty('unsigned');
    }
  });
});

describe('response shapes', () => {
  const event = sent();
  const back = countersigned(event);
  const v2 = stringify({ event: back });

  it('v2 accepts {"event": ...} as text, bytes or parsed; v1 exactly [200, {"event": ...}]', () => {
    expect(E.isRight(check(event, v2))).toBe(true);
    expect(E.isRight(check(event, new TextEncoder().encode(v2)))).toBe(true);
    expect(E.isRight(check(event, { event: back }))).toBe(true);
    const v1 = sent('1');
    const v1Back = countersigned(v1, '1');
    expect(
      E.isRight(check(v1, stringify([200, { event: v1Back }]), { apiVersion: 'v1', roomVersion: '1' })),
    ).toBe(true);
  });

  it.each<[string, 'v1' | 'v2', string]>([
    ['v1 answered as an object', 'v1', '{"event": EVENT}'],
    ['v1 with 201', 'v1', '[201, {"event": EVENT}]'],
    ['v1 with "200"', 'v1', '["200", {"event": EVENT}]'],
    ['v1 with 200.0', 'v1', '[200.0, {"event": EVENT}]'],
    ['v1 with 3 elements', 'v1', '[200, {"event": EVENT}, 200]'],
    ['v1 with 1 element', 'v1', '[200]'],
    ['v1 with the event bare', 'v1', '[200, EVENT]'],
    ['v1 with a null event', 'v1', '[200, {"event": null}]'],
    ['v2 answered as an array', 'v2', '[200, {"event": EVENT}]'],
    ['v2 without event', 'v2', '{"pdu": EVENT}'],
    ['v2 event is an array', 'v2', '{"event": [EVENT]}'],
    ['v2 is a string', 'v2', '"ok"'],
  ])('%s → bad_response_shape', (_name, api, template) => {
    const rv = api === 'v1' ? '1' : '10';
    const ev = sent(rv);
    const body = template.replaceAll('EVENT', stringify(countersigned(ev, rv)));
    expect(left(check(ev, body, { apiVersion: api, roomVersion: rv })).reason).toBe('bad_response_shape');
  });

  it('extra keys beside "event" are a warning', () => {
    const result = right(check(event, stringify({ event: back, extra: 1 })));
    expect(result.warnings.map((w) => w.reason)).toEqual(['extra_response_keys']);
  });

  it('non-200 statuses are interpreted errors; invalid JSON is refused', () => {
    const error = left(
      check(event, '{"errcode":"ORG.MATRIX.MSC4155.M_INVITE_BLOCKED","error":"no"}', { status: 403 }),
    );
    expect(error.reason).toBe('error_status');
    expect(error.interpretation?.errcode).toBe('M_INVITE_BLOCKED');
    expect(left(check(event, v2, { status: 201 })).reason).toBe('error_status');
    expect(left(check(event, '{"event": ')).reason).toBe('invalid_json');
  });

  it('an error answer without an errcode is not reported as one the invitee sent', () => {
    const html = left(check(event, '<html><body>Bad gateway</body></html>', { status: 502 }));
    expect(html.reason).toBe('error_status');
    expect(html.message).toBe("the invitee's server answered 502 without a Matrix error code");
    expect(html.message).not.toContain('M_UNKNOWN');
    expect(html.interpretation?.remoteErrcode).toBeUndefined();
    const sent = left(check(event, '{"errcode":"M_UNKNOWN","error":"oops"}', { status: 500 }));
    expect(sent.message).toBe("the invitee's server answered 500 M_UNKNOWN: oops");
    const forbidden = left(check(event, '{"errcode":"M_FORBIDDEN"}', { status: 403 }));
    expect(forbidden.message).toBe("the invitee's server answered 403 M_FORBIDDEN");
  });
});

describe('strict canonical JSON (rooms 6+)', () => {
  it.each([
    ['a float', '1.5'],
    ['an integral float', '1.0'],
    ['an exponent', '1e3'],
    ['a big integer', '9007199254740992'],
    ['-0', '-0'],
  ])('%s in the returned event is refused in room 10, ignored in room 5 unsigned', (_name, number) => {
    for (const rv of ['5', '10']) {
      const ev = sent(rv);
      const body = stringify({ event: { ...countersigned(ev, rv), unsigned: { age: 'N' } } }).replace(
        '"N"',
        number,
      );
      const result = check(ev, body, { roomVersion: rv });
      if (rv === '10') expect(left(result).reason).toBe('not_canonical_json');
      else expect(E.isRight(result)).toBe(true);
    }
  });
});

describe('the returned event equals the sent one', () => {
  const event = sent();
  const back = countersigned(event);

  it.each<[string, (e: JsonObject) => JsonObject, string]>([
    [
      'displayname changed (covered by the content hash only)',
      (e) => ({ ...e, content: { membership: 'invite', displayname: 'Eve' } }),
      'content',
    ],
    ['a field added', (e) => ({ ...e, foo: 'bar' }), 'foo'],
    ['origin removed', ({ origin: _o, ...e }) => e, 'origin'],
    ['depth as a string', (e) => ({ ...e, depth: '10' }), 'depth'],
    ['prev_events replaced', (e) => ({ ...e, prev_events: ['$other'] }), 'prev_events'],
    ['hashes replaced', (e) => ({ ...e, hashes: { sha256: 'AAAA' } }), 'hashes'],
  ])('%s → event_mismatch', (_name, tamper, field) => {
    const tampered = tamper(back);
    // Re-countersignPrepared so that only the comparison can catch it, not the signature.
    const resigned = countersigned({ ...tampered, signatures: event.signatures as JsonValue });
    const error = left(check(event, stringify({ event: resigned })));
    expect(['event_mismatch', 'invalid_pdu']).toContain(error.reason);
    if (error.reason === 'event_mismatch') expect(error.path).toEqual(['event', field]);
  });

  it('a different unsigned is fine and is dropped from the result', () => {
    const result = right(
      check(
        { ...event, unsigned: { invite_room_state: [] } },
        stringify({ event: { ...back, unsigned: { age: 1 } } }),
      ),
    );
    expect(result.event).not.toHaveProperty('unsigned');
  });
});

describe("the inviter's signatures", () => {
  const event = sent();
  const back = countersigned(event);
  const inviteeSigs = (back.signatures as JsonObject)[INVITEE] as JsonValue;
  const inviterSigs = (event.signatures as JsonObject)[INVITER] as JsonObject;

  it.each<[string, JsonValue]>([
    ['dropped', { [INVITEE]: inviteeSigs }],
    ['emptied', { [INVITER]: {}, [INVITEE]: inviteeSigs }],
    ['changed', { [INVITER]: { 'ed25519:1': 'AAAA' }, [INVITEE]: inviteeSigs }],
    ['extended', { [INVITER]: { ...inviterSigs, 'ed25519:9': 'AAAA' }, [INVITEE]: inviteeSigs }],
  ])('%s → inviter_signature_changed', (_name, signatures) => {
    expect(left(check(event, stringify({ event: withSignatures(back, signatures) }))).reason).toBe(
      'inviter_signature_changed',
    );
  });

  it('a policy server signature sent along is kept', () => {
    const withPolicy = withSignatures(event, {
      [INVITER]: { ...inviterSigs, 'ed25519:policy_server': 'UE9MSUNZ' },
    });
    const result = right(check(withPolicy, stringify({ event: countersigned(withPolicy) })));
    expect((result.event.signatures as JsonObject)[INVITER]).toHaveProperty('ed25519:policy_server');
  });
});

describe("the invitee's signature", () => {
  const event = sent();

  it('missing: refused, or a warning in lenient mode', () => {
    expect(left(check(event, stringify({ event }))).reason).toBe('missing_invitee_signature');
    expect(
      left(
        check(
          event,
          stringify({ event: withSignatures(event, { ...(event.signatures as JsonObject), [INVITEE]: {} }) }),
        ),
      ).reason,
    ).toBe('missing_invitee_signature');
    const lenient = right(check(event, stringify({ event }), {}, true));
    expect(lenient.warnings.map((w) => w.reason)).toEqual(['missing_invitee_signature']);
    expect(lenient.inviteeKeyIds).toEqual([]);
    expect(lenient.event).toEqual(event);
  });

  it("the invitee server is state_key's: an echo without countersignature is refused whatever inviteeServer says", () => {
    const echo = stringify({ event });
    // The sender's own server named as the invitee: its signatures would "verify" the echo. A caller error.
    const wrong = left(check(event, echo, { inviteeServer: INVITER }));
    expect(wrong).toMatchObject({ reason: 'invalid_context' });
    expect(wrong.message).toContain(`"${INVITEE}"`);
    // Derived from state_key when not given: the echo lacks the invitee's countersignature.
    const { inviteeServer: _omit, ...params } = {
      apiVersion: 'v2' as const,
      status: 200,
      body: echo,
      sentEvent: event,
      roomVersion: '10',
      inviteeServer: INVITEE,
      keys: bothKeys,
    };
    expect(left(verifyInviteResponse(params, params)).reason).toBe('missing_invitee_signature');
    const ok = right(
      verifyInviteResponse({ ...params, body: stringify({ event: countersigned(event) }) }, params),
    );
    expect(Object.keys(ok.event.signatures as JsonObject)).toEqual([INVITER, INVITEE]);
    // Given and equal to the derived server: as before.
    expect(
      E.isRight(check(event, stringify({ event: countersigned(event) }), { inviteeServer: INVITEE })),
    ).toBe(true);
  });

  it('the invitee server is the text after the first ":" of state_key (ports included)', () => {
    const server = 'invitee.example:8448';
    const ported = right(
      buildInviteEvent({
        ...inviteParams('10'),
        invitee: `@bob:${server}`,
        serverName: INVITER,
        signingKey: inviterKey,
      }),
    ).event;
    const keys = lookupOf([
      [INVITER, inviterKey],
      [server, inviteeKey],
    ]);
    const back = countersigned(ported, '10', inviteeKey, server);
    const { inviteeServer: _omit, ...params } = {
      apiVersion: 'v2' as const,
      status: 200,
      body: stringify({ event: back }),
      sentEvent: ported,
      roomVersion: '10',
      inviteeServer: server,
      keys,
    };
    expect(Object.keys(right(verifyInviteResponse(params, params)).event.signatures as JsonObject)).toEqual([
      INVITER,
      server,
    ]);
    // The host without the port is another server name.
    expect(left(verifyInviteResponse(params, { ...params, inviteeServer: INVITEE })).reason).toBe(
      'invalid_context',
    );
  });

  it("a sent event whose invitee is on the sender's server is refused (nothing to countersign)", () => {
    const local = right(
      buildInviteEvent({
        ...inviteParams('10'),
        invitee: `@carol:${INVITER}`,
        serverName: INVITER,
        signingKey: inviterKey,
      }),
    ).event;
    const { inviteeServer: _omit, ...params } = {
      apiVersion: 'v2' as const,
      status: 200,
      body: stringify({ event: local }),
      sentEvent: local,
      roomVersion: '10',
      inviteeServer: INVITER,
      keys: bothKeys,
    };
    const refused = left(verifyInviteResponse(params, params));
    expect(refused.reason).toBe('invalid_sent_event');
    expect(refused.message).toContain('already signed');
  });

  it('signed by a wrong key under the known key ID: bad_invitee_signature, even in lenient mode', () => {
    const forged = countersigned(event, '10', { ...strangerKey, keyId: 'ed25519:2', sign: strangerKey.sign });
    for (const lenient of [false, true]) {
      expect(left(check(event, stringify({ event: forged }), {}, lenient)).reason).toBe(
        'bad_invitee_signature',
      );
    }
    const garbled = withSignatures(event, {
      ...(event.signatures as JsonObject),
      [INVITEE]: { 'ed25519:2': '!!!' },
    });
    expect(left(check(event, stringify({ event: garbled }))).reason).toBe('bad_invitee_signature');
  });

  it('signed by a key nobody knows: unverifiable, a warning in lenient mode', () => {
    const unknown = countersigned(event, '10', strangerKey);
    expect(left(check(event, stringify({ event: unknown }))).reason).toBe('unverifiable_invitee_signature');
    expect(right(check(event, stringify({ event: unknown }), {}, true)).warnings[0]?.reason).toBe(
      'unverifiable_invitee_signature',
    );
  });

  it('signed by another server than the invitee: missing, and the stranger signature is dropped', () => {
    const other = countersigned(event, '10', inviteeKey, 'elsewhere.example');
    expect(left(check(event, stringify({ event: other }))).reason).toBe('missing_invitee_signature');
    const both = countersigned(other);
    const result = right(check(event, stringify({ event: both })));
    expect(result.warnings.map((w) => w.reason)).toEqual(['unexpected_signatures']);
    expect(Object.keys(result.event.signatures as JsonObject)).toEqual([INVITER, INVITEE]);
  });

  it('unknown extra key IDs are skipped when one known key verifies', () => {
    const back = countersigned(countersigned(event), '10', strangerKey);
    expect(right(check(event, stringify({ event: back }))).inviteeKeyIds).toEqual(['ed25519:2']);
  });

  it('rooms 5+: a key expired before origin_server_ts does not count; rooms 1-4 ignore validity', () => {
    const expired = lookupOf([
      [INVITER, inviterKey],
      [INVITEE, inviteeKey, 1699999999999],
    ]);
    for (const rv of ['4', '5', '10']) {
      const ev = sent(rv);
      const result = check(ev, stringify({ event: countersigned(ev, rv) }), {
        roomVersion: rv,
        keys: expired,
      });
      if (rv === '4') expect(E.isRight(result)).toBe(true);
      else expect(left(result).reason).toBe('unverifiable_invitee_signature');
    }
    const valid = lookupOf([[INVITEE, inviteeKey, 1700000000000]]);
    expect(E.isRight(check(event, stringify({ event: countersigned(event) }), { keys: valid }))).toBe(true);
  });

  it('one key validity rule with now: a key without validUntilTs is capped at now + 7 days like any other', () => {
    const back = stringify({ event: countersigned(event) });
    const day = 86_400_000;
    const ts = 1_700_000_000_000;
    for (const keys of [bothKeys, lookupOf([[INVITEE, inviteeKey, 8.64e15]])]) {
      const capped = verifyInviteResponse(
        { status: 200, body: back },
        { apiVersion: 'v2', sentEvent: event, roomVersion: '10', keys, now: ts - 30 * day },
      );
      expect(left(capped).reason).toBe('unverifiable_invitee_signature');
      const fresh = verifyInviteResponse(
        { status: 200, body: back },
        { apiVersion: 'v2', sentEvent: event, roomVersion: '10', keys, now: ts - day },
      );
      expect(E.isRight(fresh)).toBe(true);
    }
  });

  it('a throwing key lookup is a caller error, not a crash', () => {
    const throwing = () => {
      throw new Error('boom');
    };
    expect(left(check(event, stringify({ event: countersigned(event) }), { keys: throwing })).reason).toBe(
      'invalid_context',
    );
  });
});

describe('caller mistakes are caller errors, never blamed on the invitee', () => {
  const event = sent();
  const back = countersigned(event);
  const good = stringify({ event: back });

  it.each<[string, Partial<Record<keyof VerifyInviteResponseParams, unknown>>, string, string]>([
    ['an ArrayBuffer body', { body: new TextEncoder().encode(good).buffer }, 'invalid_params', 'ArrayBuffer'],
    ['a body with a Date', { body: { event: new Date(0) } }, 'invalid_params', 'Date'],
    ['a status that is a string', { status: '200' }, 'invalid_params', 'response.status'],
    ['keys that are not a function', { keys: {} }, 'invalid_context', 'keys'],
    ['an inviteeServer that is not a string', { inviteeServer: 5 }, 'invalid_context', 'inviteeServer'],
    ['lenient: "yes"', { lenient: 'yes' }, 'invalid_context', 'lenient'],
    ['now: NaN', { now: Number.NaN }, 'invalid_context', 'now'],
    ['backend: bogus', { backend: 'openssl' }, 'invalid_context', 'backend'],
    ['base64Mode: bogus', { base64Mode: 'loose' }, 'invalid_context', 'base64Mode'],
  ])('%s', (_name, override, reason, mentions) => {
    const { body, lenient, ...rest } = override;
    const error = left(
      check(
        event,
        (body ?? good) as VerifyInviteResponseParams['body'],
        rest as Partial<VerifyInviteResponseParams>,
        (lenient ?? false) as boolean,
      ),
    );
    expect(error.reason).toBe(reason);
    expect(error.message).toContain(mentions);
  });

  it('a context that is not an object is invalid_context', () => {
    const error = left(verifyInviteResponse({ status: 200, body: good }, 5 as never));
    expect(error.reason).toBe('invalid_context');
    expect(error.message).toContain('context must be');
  });

  it('a key lookup answering a Promise or junk, or throwing, is invalid_context', () => {
    const lookups: KeyLookup[] = [
      (server, keyId) => Promise.resolve(bothKeys(server, keyId)) as never,
      () => ({ key: 5 }) as never,
      () => {
        throw new Error('key store down');
      },
    ];
    for (const keys of lookups) {
      expect(left(check(event, good, { keys })).reason).toBe('invalid_context');
    }
  });

  it("a body whose event getter throws is a Left, as receiveInvite's internal_error", () => {
    const hostile = Object.defineProperty({}, 'event', {
      enumerable: true,
      get() {
        throw new Error('getter');
      },
    });
    expect(left(check(event, hostile as JsonValue)).reason).toBe('invalid_params');
  });
});

describe('robustness', () => {
  it('does not modify its inputs', () => {
    const event = deepFreeze(sent());
    const body = deepFreeze({ event: countersigned(event) });
    const before = stringify(body);
    expect(E.isRight(check(event, body))).toBe(true);
    expect(stringify(body)).toBe(before);
  });

  it('never throws on garbage', () => {
    const event = sent();
    const garbage: unknown[] = [
      null,
      undefined,
      0,
      'x',
      [],
      {},
      [200],
      { event: 'x' },
      '\uD800',
      new Uint8Array([0xff]),
    ];
    for (const body of garbage) {
      expect(E.isLeft(check(event, body as JsonValue))).toBe(true);
      expect(E.isLeft(check(event, body as JsonValue, { apiVersion: 'v1', roomVersion: '1' }))).toBe(true);
    }
    expect(left(check(event, '{}', { roomVersion: '99' })).reason).toBe('unknown_room_version');
    expect(left(check('x' as unknown as JsonObject, '{}')).reason).toBe('invalid_sent_event');
    expect(left(check({ ...event, state_key: 'nocolon' }, '{}')).reason).toBe('invalid_sent_event');
    expect(left(check(event, '{}', { inviteeServer: '' })).reason).toBe('invalid_context');
    // The invitee is the server of state_key: naming it is allowed, naming another one is a caller error.
    const answer = stringify({ event: countersigned(event) });
    expect(E.isRight(check(event, answer, { inviteeServer: INVITEE }))).toBe(true);
    expect(left(check(event, answer, { inviteeServer: INVITER })).reason).toBe('invalid_context');
    expect(left(check(event, '{}', { keys: 5 as unknown as KeyLookup })).reason).toBe('invalid_context');
    expect(left(check(event, '{}', { apiVersion: 'v9' as 'v2' })).reason).toBe('invalid_context');
    expect(
      E.isLeft(
        verifyInviteResponse(null as unknown as VerifyInviteResponseParams, {
          ...(null as unknown as VerifyInviteResponseParams),
        }),
      ),
    ).toBe(true);
    const ok = {
      apiVersion: 'v2',
      status: 200,
      body: { event: countersigned(event) },
      sentEvent: event,
      roomVersion: '10',
      inviteeServer: INVITEE,
      keys: bothKeys,
    } as const;
    expect(E.isRight(verifyInviteResponse(ok, ok))).toBe(true);
    expect(left(verifyInviteResponse(ok, null as unknown as VerifyInviteResponseContext)).reason).toBe(
      'invalid_context',
    );
    expect(left(verifyInviteResponse(null as unknown as InviteHttpResponse, ok)).reason).toBe(
      'invalid_params',
    );
  });
});
