/**
 * The kit against targets in-process: the library's own handler (receiveInvite + verifyRequest + a server-key
 * store) passes every case under the spec policy and under SYNAPSE_COMPATIBLE_POLICY; a hand-rolled handler passes
 * every case without a defect and fails exactly the predicted cases with each defect of the list.
 */
import { describe, expect, it } from 'vitest';
import { listConformanceCases } from '../../src/conformance/index.js';
import { SYNAPSE_COMPATIBLE_POLICY } from '../../src/invite/receive/receive.js';
import { DEFECTS, type Defect, handRolledTarget } from './hand-rolled-target.js';
import { kitKeyStore, kitKeys, runKit } from './helpers.js';
import { referenceTarget, SMALL_BODY_LIMIT } from './reference-target.js';

/** The hand-rolled target's body limit (1 MiB): the kit's body-too-large follows it, to keep the runs short. */
const FAST = { bodyLimitBytes: SMALL_BODY_LIMIT };

const ALL = listConformanceCases();
const ids = (kind: string) => ALL.filter((c) => c.kind === kind).map((c) => c.id);

describe('the library-built target passes every case', () => {
  it('with the spec policy: every answer is one of the documented ones, no warnings', async () => {
    const report = await runKit(referenceTarget({ keysFor: async () => kitKeys }));
    expect(report.failures).toEqual([]);
    expect(report.counts).toEqual({ total: 94, passed: 94, failed: 0 });
    expect(report.results.flatMap((r) => r.warnings)).toEqual([]);
    const matched = new Map(report.results.map((r) => [r.case.id, r.matched]));
    expect(matched.get('genuine/v1/room-1')).toBe('200 countersigned (spec)');
    expect(matched.get('content-changed-after-signing/v2/room-12')).toBe('400 M_INVALID_PARAM (spec)');
    expect(matched.get('unsupported-room-version/v2/room-10')).toBe(
      '400 M_INCOMPATIBLE_ROOM_VERSION with room_version (spec)',
    );
    expect(matched.get('room-state-without-create/v2/room-12')).toBe('400 M_INVALID_PARAM (spec)');
    expect(matched.get('event-too-large/v2/room-10')).toBe('400 M_TOO_LARGE (spec)');
    expect(matched.get('body-too-large/v1/room-1')).toBe('413 M_TOO_LARGE (synapse)');
    expect(matched.get('x-matrix-other-destination/v2/room-10')).toBe('401 (spec)');
    // No Authorization header: verifyRequest's missing_authorization, Synapse's 401 M_UNAUTHORIZED.
    for (const id of ids('x-matrix-missing')) expect(matched.get(id)).toBe('401 M_UNAUTHORIZED (synapse)');
  });

  it("with SYNAPSE_COMPATIBLE_POLICY: Synapse's answers (redacted copy on a hash mismatch, invite_room_state unchecked)", async () => {
    const report = await runKit(
      referenceTarget({ keysFor: async () => kitKeys, policy: SYNAPSE_COMPATIBLE_POLICY }),
    );
    expect(report.failures).toEqual([]);
    expect(report.results.flatMap((r) => r.warnings)).toEqual([]);
    const matched = new Map(report.results.map((r) => [r.case.id, r.matched]));
    for (const id of ids('content-changed-after-signing')) {
      expect(matched.get(id)).toBe('200 with the redacted copy countersigned (synapse)');
    }
    expect(matched.get('room-state-without-create/v2/room-12')).toBe('200 countersigned (synapse)');
    expect(matched.get('unsupported-room-version/v2/room-10')).toBe(
      '400 M_UNSUPPORTED_ROOM_VERSION (synapse)',
    );
    expect(matched.get('inviter-signature-invalid/v2/room-11')).toBe('403 M_FORBIDDEN (synapse)');
    expect(matched.get('sender-not-origin/v1/room-2')).toBe('400 M_UNKNOWN (synapse)');
    expect(matched.get('event-too-large/v2/room-10')).toBe('413 M_TOO_LARGE (spec)');
  });
});

/** What each defect must fail, and nothing else (target and kit names carry ports). */
const PREDICTED: Record<Defect, readonly string[]> = {
  // The redacted form differs from the full event (displayname; rooms 11+ also the top-level origin).
  'full-event-countersignature': ids('genuine'),
  'bare-v1-answer': ['genuine/v1/room-1', 'genuine/v1/room-2'],
  'no-sender-origin-check': ids('sender-not-origin'),
  'no-signature-check': [...ids('inviter-signature-missing'), ...ids('inviter-signature-invalid')],
  'no-content-hash-check': ids('content-changed-after-signing'),
  // invitee.test:8448 splits to "invitee.test": every genuine invite is refused as not local.
  'port-unaware-locality': ids('genuine'),
  'no-x-matrix-check': [
    ...ids('x-matrix-missing'),
    ...ids('x-matrix-other-destination'),
    ...ids('x-matrix-bad-signature'),
    ...ids('x-matrix-body-mismatch'),
  ],
};

describe('a hand-rolled target', () => {
  it('passes every case without a defect', async () => {
    const report = await runKit(handRolledTarget({ keys: kitKeys }), FAST);
    expect(report.failures).toEqual([]);
  });

  for (const defect of DEFECTS) {
    it(`fails exactly the predicted cases with the defect ${defect}`, async () => {
      const report = await runKit(handRolledTarget({ keys: kitKeys, defect }), FAST);
      expect([...report.failures].sort()).toEqual([...PREDICTED[defect]].sort());
      for (const result of report.results.filter((r) => !r.passed)) {
        expect(result.problem, result.case.id).toMatch(/\S/);
      }
    });
  }

  it('port-unaware locality without ports in the names: takes the other-port user for its own', async () => {
    const names = { inviterServerName: 'inviter.test', otherServerName: 'other.test' };
    const keys = kitKeyStore(names).lookup;
    const send = handRolledTarget({ keys, defect: 'port-unaware-locality', serverName: 'invitee.test' });
    const report = await runKit(send, {
      targetServerName: 'invitee.test',
      invitee: '@bob:invitee.test',
      ...names,
    });
    expect([...report.failures].sort()).toEqual([...ids('state-key-other-port')].sort());
    const result = report.results.find((r) => r.case.id === 'state-key-other-port/v2/room-10');
    expect(result?.answer).toMatchObject({ kind: 'response', status: 200 });
    expect(result?.problem).toContain('another port');
    // Without the defect the same run passes.
    const fixed = await runKit(handRolledTarget({ keys, serverName: 'invitee.test' }), {
      targetServerName: 'invitee.test',
      invitee: '@bob:invitee.test',
      ...names,
      ...FAST,
    });
    expect(fixed.failures).toEqual([]);
  });
});
