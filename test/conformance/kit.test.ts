/**
 * The kit's parts: the case table, what the genuine invites hold, the options, the verdicts on unusual answers,
 * the target's keys, the text report.
 */
import { readFileSync } from 'node:fs';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import {
  CONFORMANCE_CASE_KINDS,
  CONFORMANCE_CASE_TABLE,
  type ConformanceCaseResult,
  type ConformanceRequest,
  type ConformanceResponse,
  conformanceServerKeys,
  DEFAULT_INVITER_SERVER_NAME,
  DEFAULT_OTHER_SERVER_NAME,
  formatConformanceReport,
  listConformanceCases,
  runConformance,
} from '../../src/conformance/index.js';
import { computeRoomId } from '../../src/events/hashes.js';
import { parseJson } from '../../src/json/parse.js';
import type { JsonObject, JsonValue } from '../../src/json/value.js';
import { verifyServerKeys } from '../../src/server-keys/verify.js';
import { kitKeys, right, runKit, targetKeys } from './helpers.js';
import {
  answer,
  INVITEE,
  NOW,
  ownKeyAnswer,
  referenceTarget,
  TARGET,
  targetKey,
} from './reference-target.js';

const FAST = { bodyLimitBytes: 65536 };

/** A target that records what it is sent and answers with the reference target. */
function recording() {
  const requests: ConformanceRequest[] = [];
  const target = referenceTarget({ keysFor: async () => kitKeys, maxBodyBytes: 65536 });
  const send = async (request: ConformanceRequest) => {
    requests.push(request);
    return target(request);
  };
  return { requests, send };
}

const bodyOf = (request: ConformanceRequest): JsonObject => right(parseJson(request.body)) as JsonObject;

describe('the case table', () => {
  const cases = listConformanceCases();

  it('has 94 cases with unique IDs, every kind, rooms 1-2 on v1 and v2, rooms 10-12 on v2', () => {
    expect(cases).toHaveLength(94);
    expect(new Set(cases.map((c) => c.id)).size).toBe(94);
    expect(new Set(cases.map((c) => c.kind))).toEqual(new Set(CONFORMANCE_CASE_KINDS));
    expect(cases.filter((c) => c.kind === 'genuine').map((c) => c.id)).toEqual([
      'genuine/v1/room-1',
      'genuine/v2/room-1',
      'genuine/v1/room-2',
      'genuine/v2/room-2',
      'genuine/v2/room-10',
      'genuine/v2/room-11',
      'genuine/v2/room-12',
    ]);
    expect(cases.every((c) => c.apiVersion === 'v2' || c.roomVersion === '1' || c.roomVersion === '2')).toBe(
      true,
    );
  });

  it('cites the spec (v1.19) and Synapse for every kind, and lists a spec answer and a Synapse answer', () => {
    for (const row of CONFORMANCE_CASE_TABLE) {
      expect(row.spec, row.kind).toContain('https://spec.matrix.org/v1.19/');
      expect(row.synapse, row.kind).toMatch(/element-hq\/synapse synapse\/[a-z_/]+\.py/);
      expect(
        row.accept.some((a) => a.source === 'spec'),
        row.kind,
      ).toBe(true);
      for (const a of row.accept)
        expect(a.note, row.kind).toMatch(/https:\/\/spec\.matrix\.org|element-hq\/synapse/);
    }
    // Where Synapse differs from the spec, its answer is listed too.
    for (const kind of [
      'sender-not-origin',
      'inviter-signature-invalid',
      'content-changed-after-signing',
      'unsupported-room-version',
    ]) {
      const row = CONFORMANCE_CASE_TABLE.find((r) => r.kind === kind);
      expect(
        row?.accept.some((a) => a.source === 'synapse'),
        kind,
      ).toBe(true);
    }
  });

  it('selects room versions: room 12 alone has no v1 case and none of the once-per-endpoint kinds', () => {
    const room12 = listConformanceCases(['12']);
    expect(room12.every((c) => c.roomVersion === '12' && c.apiVersion === 'v2')).toBe(true);
    expect(room12.map((c) => c.kind)).toContain('room-state-without-create');
    expect(room12.map((c) => c.kind)).not.toContain('x-matrix-missing');
    expect(
      listConformanceCases(['1'])
        .filter((c) => c.kind === 'x-matrix-missing')
        .map((c) => c.id),
    ).toEqual(['x-matrix-missing/v1/room-1']);
  });
});

describe('docs/conformance.md', () => {
  it('documents every kind in its case table, and the number of cases', () => {
    const docs = readFileSync(new URL('../../docs/conformance.md', import.meta.url), 'utf8');
    for (const kind of CONFORMANCE_CASE_KINDS) expect(docs, kind).toContain(`| \`${kind}\` |`);
    expect(docs).toContain(`${listConformanceCases().length} cases: 20 kinds`);
    expect(CONFORMANCE_CASE_KINDS).toHaveLength(20);
  });
});

describe('what the kit sends', () => {
  it('genuine invites: displayname, invite_room_state with create, join rules, name, the inviter as full PDUs', async () => {
    const { requests, send } = recording();
    const report = await runKit(send, { cases: ['genuine'], targetKeys: targetKeys, ...FAST });
    expect(report.failures).toEqual([]);
    expect(requests.map((r) => r.method)).toEqual(Array(7).fill('PUT'));
    for (const request of requests) {
      const body = bodyOf(request);
      const v2 = request.path.startsWith('/_matrix/federation/v2/');
      const event = (v2 ? body.event : body) as JsonObject;
      const state = (
        v2 ? body.invite_room_state : (body.unsigned as JsonObject).invite_room_state
      ) as JsonObject[];
      expect(event.content).toEqual({ membership: 'invite', displayname: 'bob' });
      expect(event.state_key).toBe(INVITEE);
      expect(event.sender).toBe(`@alice:${DEFAULT_INVITER_SERVER_NAME}`);
      expect(state.map((e) => [e.type, e.state_key])).toEqual([
        ['m.room.create', ''],
        ['m.room.join_rules', ''],
        ['m.room.name', ''],
        ['m.room.member', `@alice:${DEFAULT_INVITER_SERVER_NAME}`],
      ]);
      for (const entry of state)
        expect(Object.keys(entry)).toEqual(expect.arrayContaining(['hashes', 'signatures', 'auth_events']));
      expect(request.headers.authorization).toMatch(
        new RegExp(
          `^X-Matrix origin="${DEFAULT_INVITER_SERVER_NAME}",destination="${TARGET}",key="ed25519:conformance",sig="`,
        ),
      );
      if (body.room_version === '12') {
        const create = state[0] as JsonObject;
        expect(Object.hasOwn(create, 'room_id')).toBe(false);
        expect(event.room_id).toBe(right(computeRoomId(create, '12')));
        expect(event.origin).toBe(DEFAULT_INVITER_SERVER_NAME);
      }
    }
  });

  it('is deterministic for a given clock, and every invite is distinct', async () => {
    const first = recording();
    const second = recording();
    await runKit(first.send, { targetKeys: targetKeys, ...FAST });
    await runKit(second.send, { targetKeys: targetKeys, ...FAST });
    expect(first.requests.length).toBe(94);
    expect(first.requests).toEqual(second.requests);
    const paths = first.requests
      .filter((r) => r.path.startsWith('/_matrix/federation/v2/'))
      .map((r) => r.path);
    expect(new Set(paths).size).toBe(paths.length);
  });

  it('publishes the keys it signs with: two server names, one key each, a day of validity', () => {
    const answers = right(conformanceServerKeys({ now: NOW }));
    expect(answers.map((a) => a.serverName)).toEqual([
      DEFAULT_INVITER_SERVER_NAME,
      DEFAULT_OTHER_SERVER_NAME,
    ]);
    for (const published of answers) {
      const verified = right(
        verifyServerKeys(published.body, { serverName: published.serverName, now: NOW }),
      );
      expect(verified.servers[0]?.validUntilTs).toBe(NOW + 86_400_000);
      expect(verified.servers[0]?.keys.map((k) => k.key)).toEqual([published.signingKey.publicKey]);
    }
    expect(answers[0]?.signingKey.publicKey).not.toBe(answers[1]?.signingKey.publicKey);
    const renamed = right(
      conformanceServerKeys({
        now: NOW,
        inviterServerName: '127.0.0.1:4000',
        otherServerName: '127.0.0.1:4001',
      }),
    );
    expect(renamed.map((a) => a.serverName)).toEqual(['127.0.0.1:4000', '127.0.0.1:4001']);
    expect(E.isLeft(conformanceServerKeys({ now: -1 }))).toBe(true);
    expect(E.isLeft(conformanceServerKeys({ inviterServerName: 'not a server name' }))).toBe(true);
    expect(E.isRight(conformanceServerKeys(null as never))).toBe(true);
  });
});

describe("the target's keys", () => {
  it('fetches GET /_matrix/key/v2/server through send once, when no targetKeys are given', async () => {
    const { requests, send } = recording();
    const report = await runKit(send, { cases: ['genuine', 'path-room-id-mismatch'], ...FAST });
    expect(report.failures).toEqual([]);
    expect(requests.filter((r) => r.method === 'GET').map((r) => [r.path, r.body.length])).toEqual([
      ['/_matrix/key/v2/server', 0],
    ]);
  });

  it.each([
    [
      'no answer',
      async () => Promise.reject(new Error('ECONNREFUSED')),
      'GET /_matrix/key/v2/server failed: ECONNREFUSED',
    ],
    ['a 404', async () => answer(404, { errcode: 'M_UNRECOGNIZED' }), 'answered 404'],
    [
      "another server's keys",
      async () => answer(200, ownKeyAnswer('elsewhere.test', targetKey, NOW)),
      'is refused',
    ],
  ])('fails the genuine cases when the key answer is unusable: %s', async (_name, keysAnswer, message) => {
    const target = referenceTarget({ keysFor: async () => kitKeys });
    const send = (request: ConformanceRequest) => (request.method === 'GET' ? keysAnswer() : target(request));
    const report = await runKit(send, { cases: ['genuine/v2/room-10'], ...FAST });
    expect(report.failures).toEqual(['genuine/v2/room-10']);
    expect(report.results[0]?.problem).toContain("the target's keys are unavailable");
    expect(report.results[0]?.problem).toContain(message);
  });
});

/** A target that answers every invite with `response` (and serves its keys). */
const answering =
  (response: (request: ConformanceRequest) => Promise<ConformanceResponse>) =>
  async (request: ConformanceRequest) =>
    request.method === 'GET' ? answer(200, ownKeyAnswer(TARGET, targetKey, NOW)) : response(request);

async function verdict(id: string, response: (request: ConformanceRequest) => Promise<ConformanceResponse>) {
  const report = await runKit(answering(response), { cases: [id], ...FAST });
  const result = report.results[0];
  if (result === undefined) throw new Error(`no result for ${id}`);
  return result;
}

describe('verdicts on unusual answers', () => {
  it('a 5xx to a forgery fails, saying the server failed instead of refusing', async () => {
    const result = await verdict('sender-not-origin/v2/room-10', async () =>
      answer(500, { errcode: 'M_UNKNOWN', error: 'boom' }),
    );
    expect(result.passed).toBe(false);
    expect(result.answer).toEqual({
      kind: 'response',
      status: 500,
      errcode: 'M_UNKNOWN',
      body: '{"errcode":"M_UNKNOWN","error":"boom"}',
    });
    expect(result.problem).toContain('a 5xx means the server failed instead of refusing');
  });

  it('another 4xx passes with a warning where the spec mandates no code, fails where it does', async () => {
    const loose = await verdict('membership-not-invite/v2/room-10', async () =>
      answer(403, { errcode: 'M_FORBIDDEN', error: 'no' }),
    );
    expect(loose.passed).toBe(true);
    expect(loose.matched).toBe('403 M_FORBIDDEN (another refusal)');
    expect(loose.warnings[0]).toContain('400 M_INVALID_PARAM (spec)');
    const strict = await verdict('non-canonical-json/v2/room-11', async () =>
      answer(400, { errcode: 'M_INVALID_PARAM', error: 'float' }),
    );
    expect(strict.passed).toBe(false);
    expect(strict.problem).toContain('expected 400 M_BAD_JSON (spec)');
    const destination = await verdict('x-matrix-other-destination/v1/room-1', async () =>
      answer(403, { errcode: 'M_FORBIDDEN', error: 'not for us' }),
    );
    expect(destination.passed).toBe(false);
  });

  it('M_INCOMPATIBLE_ROOM_VERSION needs room_version; an unparsable error body has no errcode', async () => {
    const without = await verdict('unsupported-room-version/v2/room-10', async () =>
      answer(400, { errcode: 'M_INCOMPATIBLE_ROOM_VERSION', error: 'no' }),
    );
    expect(without.passed).toBe(false);
    expect(without.problem).toContain('without "room_version"');
    const parsed = await verdict('unsupported-room-version/v2/room-10', async () => ({
      status: 400,
      body: { errcode: 'M_INCOMPATIBLE_ROOM_VERSION', error: 'no', room_version: 'org.example.unsupported' },
    }));
    expect(parsed.passed).toBe(true);
    const html = await verdict('membership-not-invite/v1/room-1', async () => ({
      status: 400,
      body: '<html>Bad Request</html>',
    }));
    expect(html.answer).toEqual({ kind: 'response', status: 400, body: '<html>Bad Request</html>' });
    expect(html.matched).toBe('400 (another refusal)');
  });

  it('a 429 fails with advice on rate limits; a refused genuine invite says what came back', async () => {
    const limited = await verdict('genuine/v2/room-10', async () =>
      answer(429, { errcode: 'M_LIMIT_EXCEEDED', error: 'slow down' }),
    );
    expect(limited.problem).toContain('rc_invites');
    const limitedForgery = await verdict('state-key-not-local/v2/room-10', async () =>
      answer(429, { errcode: 'M_LIMIT_EXCEEDED', error: 'slow down' }),
    );
    expect(limitedForgery.passed).toBe(false);
    const refused = await verdict('genuine/v1/room-2', async () =>
      answer(403, { errcode: 'M_FORBIDDEN', error: 'go away' }),
    );
    expect(refused.problem).toBe(
      'refused a genuine invite with 403 M_FORBIDDEN: {"errcode":"M_FORBIDDEN","error":"go away"}',
    );
  });

  it('no answer: a failure, except for an oversized body (a closed connection refuses it)', async () => {
    const reset = async () => Promise.reject(new Error('socket hang up'));
    const genuine = await verdict('genuine/v2/room-11', reset);
    expect(genuine.answer).toEqual({ kind: 'no-response', error: 'socket hang up' });
    expect(genuine.problem).toBe('no answer: socket hang up');
    const big = await verdict('body-too-large/v2/room-10', reset);
    expect(big.passed).toBe(true);
    expect(big.warnings[0]).toContain('counted as a refusal');
    const thrown = await verdict('genuine/v2/room-11', async () => {
      throw 'not an Error';
    });
    expect(thrown.answer).toEqual({ kind: 'no-response', error: 'not an Error' });
    const garbage = await verdict('genuine/v2/room-11', async () => 'nope' as unknown as ConformanceResponse);
    expect(garbage.problem).toContain('not {status, body}');
  });

  it('a 200 that is not the invite countersigned: shape, other event, unsigned, a 200 to a forgery', async () => {
    const target = referenceTarget({ keysFor: async () => kitKeys });
    const v2 = await verdict('genuine/v2/room-10', async () => answer(200, { event: {} }));
    expect(v2.problem).toContain('the answer is not a valid countersigned invite (invalid_pdu)');
    const shape = await verdict('genuine/v2/room-10', async () => answer(200, [200, {}]));
    expect(shape.problem).toContain('the v2 answer must be {"event": ...}');
    // The right event, but the target's signature missing: echo the body's event back.
    const echo = await verdict('genuine/v2/room-12', async (request) =>
      answer(200, { event: bodyOf(request).event as JsonObject }),
    );
    expect(echo.problem).toContain('no signature of the target');
    // A countersignature by a key the target does not publish.
    const stranger = await verdict('genuine/v2/room-12', async (request) => {
      const real = await target(request);
      const text = new TextDecoder().decode(real.body as Uint8Array).replaceAll('ed25519:t1', 'ed25519:t2');
      return { status: 200, body: text };
    });
    expect(stranger.problem).toContain('no known key of the target verifies its signature');
    // The inviter's signature replaced.
    const swapped = await verdict('genuine/v2/room-12', async (request) => {
      const real = right(parseJson((await target(request)).body as Uint8Array)) as JsonObject;
      const event = real.event as JsonObject;
      const signatures = {
        ...(event.signatures as JsonObject),
        [DEFAULT_INVITER_SERVER_NAME]: { 'ed25519:conformance': 'AAAA' },
      };
      return answer(200, { event: { ...event, signatures } });
    });
    expect(swapped.problem).toContain("the inviter's signatures were changed or removed");
    const changed = await verdict('genuine/v2/room-12', async (request) => {
      const real = right(parseJson((await target(request)).body as Uint8Array)) as JsonObject;
      return answer(200, { event: { ...(real.event as JsonObject), depth: 99 } });
    });
    expect(changed.problem).toContain('the returned event is not the one expected');
    // Keys beside "event": accepted, with verifyInviteResponse's warning.
    const extra = await verdict('genuine/v2/room-12', async (request) => {
      const real = right(parseJson((await target(request)).body as Uint8Array)) as JsonObject;
      return answer(200, { ...real, origin: 'invitee' });
    });
    expect(extra.passed).toBe(true);
    expect(extra.warnings).toEqual(['ignored keys beside "event": "origin"']);
  });
});

describe('options', () => {
  const send = async () => answer(500, {});
  it.each<[string, Record<string, unknown>, string]>([
    ['not an object', null as never, 'options must be an object'],
    ['no send', { send: undefined }, 'send must be a function'],
    ['no target', { targetServerName: '' }, 'targetServerName'],
    ['a bad invitee', { invitee: 'bob' }, 'invitee:'],
    ['an invitee elsewhere', { invitee: '@bob:elsewhere.test' }, 'is not a user of'],
    ['a non-string invitee', { invitee: 7 }, 'invitee must be a string'],
    ['targetKeys not a function', { targetKeys: {} }, 'targetKeys'],
    ['an unknown room version', { roomVersions: ['9'] }, 'roomVersions'],
    ['roomVersions not an array', { roomVersions: '10' }, 'roomVersions'],
    ['an unknown case', { cases: ['genuine', 'nope'] }, 'no such case (for these room versions): nope'],
    ['cases not strings', { cases: [1] }, 'cases must be an array'],
    ['a bad clock', { now: 1.5 }, 'now must be'],
    ['a small body limit', { bodyLimitBytes: 1000 }, 'bodyLimitBytes'],
    ['a bad inviter name', { inviterServerName: 'a b' }, 'inviterServerName'],
    ['the target as inviter', { inviterServerName: TARGET }, 'three different server names'],
  ])('refuses %s', async (_name, override, message) => {
    const options =
      override === null ? null : { targetServerName: TARGET, invitee: INVITEE, send, now: NOW, ...override };
    const result = await runConformance(options as never);
    expect(E.isLeft(result) && result.left).toMatchObject({
      kind: 'ConformanceError',
      reason: 'invalid_options',
    });
    expect(E.isLeft(result) && result.left.message).toContain(message);
  });

  it('never throws on options whose getters throw; a throwing onResult does not stop the run', async () => {
    const hostile = Object.defineProperty({}, 'send', {
      get() {
        throw new Error('getter');
      },
    });
    const result = await runConformance(hostile as never);
    expect(E.isLeft(result) && result.left.message).toContain('getter');
    let calls = 0;
    const report = await runKit(referenceTarget({ keysFor: async () => kitKeys }), {
      cases: ['genuine/v2/room-10', 'genuine/v2/room-11'],
      ...FAST,
      onResult: () => {
        calls++;
        throw new Error('progress display broke');
      },
    });
    expect(calls).toBe(2);
    expect(report.passed).toBe(true);
  });

  it('defaults the clock to now', async () => {
    const { send: recorder, requests } = recording();
    const before = Date.now();
    const result = await runConformance({
      targetServerName: TARGET,
      invitee: INVITEE,
      send: recorder,
      cases: ['genuine/v2/room-10'],
      targetKeys: targetKeys,
    });
    const event = bodyOf(requests[0] as ConformanceRequest).event as JsonObject;
    expect(event.origin_server_ts as number).toBeGreaterThanOrEqual(before - 60_000);
    expect(E.isRight(result)).toBe(true);
  });
});

describe('formatConformanceReport', () => {
  it('lists failures with what was sent, what came back, what is wrong, the spec and Synapse; passes in verbose mode', async () => {
    const report = await runKit(
      answering(async (request) =>
        request.path.includes('/v1/')
          ? answer(400, { errcode: 'M_FORBIDDEN', error: 'v1 is off' })
          : answer(500, {}),
      ),
      { cases: ['membership-not-invite/v1/room-1', 'genuine/v2/room-10'], ...FAST },
    );
    const genuine = report.results.find((r) => r.case.id === 'genuine/v2/room-10') as ConformanceCaseResult;
    const text = formatConformanceReport(report);
    expect(text).toBe(
      [
        `Invite conformance of ${TARGET} (invitee ${INVITEE}; the kit is ${DEFAULT_INVITER_SERVER_NAME} and ${DEFAULT_OTHER_SERVER_NAME})`,
        'FAIL genuine/v2/room-10',
        `     sent: ${genuine?.case.title}`,
        '     got: 500 {}',
        '     wrong: refused a genuine invite with 500: {}',
        `     spec: ${genuine?.case.spec}`,
        `     synapse: ${genuine?.case.synapse}`,
        '2 cases: 1 passed, 1 failed (1 warning, listed in verbose mode)',
        '',
      ].join('\n'),
    );
    const verbose = formatConformanceReport(report, { verbose: true });
    expect(verbose).toContain(
      'PASS membership-not-invite/v1/room-1: 400 M_FORBIDDEN (another refusal)\n     warning: refused with 400 M_FORBIDDEN',
    );
    expect(verbose.endsWith('2 cases: 1 passed, 1 failed (1 warning)\n')).toBe(true);
    const long = formatConformanceReport({
      ...report,
      results: [{ ...genuine, answer: { kind: 'response', status: 500, body: 'x'.repeat(400) } }],
    });
    expect(long).toContain(`got: 500 ${'x'.repeat(300)}…`);
    const silent = formatConformanceReport(
      {
        ...report,
        results: [{ ...genuine, answer: { kind: 'no-response', error: 'timeout' } }],
      },
      null as never,
    );
    expect(silent).toContain('got: no answer (timeout)');
    // Results built by hand may lack `matched` or `problem`.
    const { matched: _m, ...bare } = report.results.find((r) => r.passed) as ConformanceCaseResult;
    const { problem: _p, ...unexplained } = genuine;
    const handmade = formatConformanceReport({ ...report, results: [bare, unexplained] }, { verbose: true });
    expect(handmade).toContain('PASS membership-not-invite/v1/room-1\n');
    expect(handmade).toContain('     wrong: \n');
    expect(handmade).toContain('\n2 cases: 1 passed, 1 failed (1 warning)\n');
    const one = formatConformanceReport({
      ...report,
      counts: { total: 1, passed: 0, failed: 1 },
      results: [genuine, { ...genuine, warnings: ['a', 'b'] }],
    });
    expect(one.endsWith('\n1 case: 0 passed, 1 failed (2 warnings, listed in verbose mode)\n')).toBe(true);
  });
});

describe('state-key-other-port', () => {
  it('picks port 9999, or 9998 when the target is on 9999', async () => {
    for (const [serverName, other] of [
      [TARGET, 'invitee.test:9999'],
      ['invitee.test:9999', 'invitee.test:9998'],
      ['[::1]:9999', '[::1]:9998'],
    ] as const) {
      const sent: ConformanceRequest[] = [];
      await runConformance({
        targetServerName: serverName,
        invitee: `@bob:${serverName}`,
        send: async (request) => {
          sent.push(request);
          return answer(400, { errcode: 'M_INVALID_PARAM', error: '' });
        },
        now: NOW,
        cases: ['state-key-other-port/v2/room-10'],
      });
      expect((bodyOf(sent[0] as ConformanceRequest).event as JsonObject).state_key).toBe(`@bob:${other}`);
    }
  });
});

describe('cases the kit cannot build', () => {
  it('reports each case as failed, unsent, when its events cannot be built (a sender ID over 255 bytes)', async () => {
    const label = 'a'.repeat(60);
    const inviterServerName = `${label}.${label}.${label}.${label}.test`;
    const sent: ConformanceRequest[] = [];
    const report = await runKit(
      async (request) => {
        sent.push(request);
        return answer(500, {});
      },
      { inviterServerName, cases: ['genuine/v2/room-10', 'sender-not-origin/v2/room-10'], ...FAST },
    );
    expect(sent).toEqual([]);
    expect(report.failures).toEqual(['genuine/v2/room-10', 'sender-not-origin/v2/room-10']);
    expect(report.results[0]?.answer).toEqual({ kind: 'no-response', error: 'not sent' });
    expect(report.results[0]?.problem).toMatch(/^the kit could not build this case: .*255 bytes/);
  });
});

describe('answers given as parsed values', () => {
  it('judges a parsed JSON body and cuts long bodies in the report', async () => {
    const long = 'y'.repeat(3000);
    const result = await verdict('membership-not-invite/v2/room-10', async () => ({
      status: 400,
      body: { errcode: 'M_INVALID_PARAM', error: long } as JsonValue,
    }));
    expect(result.passed).toBe(true);
    expect(result.answer.kind === 'response' && result.answer.body.length).toBe(2001);
    // A value with no JSON form (a caller's bug) is shown as best it can be.
    const odd = await verdict('membership-not-invite/v2/room-10', async () => ({
      status: 400,
      body: { errcode: 'M_INVALID_PARAM', when: new Date(0) } as unknown as JsonValue,
    }));
    expect(odd.passed).toBe(true);
    expect(odd.answer).toEqual({
      kind: 'response',
      status: 400,
      errcode: 'M_INVALID_PARAM',
      body: '[object Object]',
    });
  });
});
