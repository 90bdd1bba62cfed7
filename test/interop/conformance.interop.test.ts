/**
 * The conformance kit's requests and verdicts seen by Debian's Python stack (canonicaljson, signedjson, PyNaCl:
 * what Synapse checks with). For every case the kit sends, Python recomputes the content hash, the event ID and
 * the inviter's signature over the redacted event, and checks the X-Matrix signature over the request as Synapse's
 * `Authenticator` rebuilds it (destination = the target): a forgery is wrong exactly where the case says, and
 * nowhere else. Then the target's countersignatures: the kit accepts the library target's (signedjson verifies
 * them) and refuses a full-event countersignature (signedjson refuses it too).
 */
import { beforeAll, expect, it } from 'vitest';
import {
  type ConformanceCaseResult,
  type ConformanceRequest,
  type ConformanceResponse,
  conformanceServerKeys,
  DEFAULT_INVITER_SERVER_NAME,
  DEFAULT_OTHER_SERVER_NAME,
  listConformanceCases,
} from '../../src/conformance/index.js';
import { parseXMatrixHeader } from '../../src/x-matrix/header.js';
import { handRolledTarget } from '../conformance/hand-rolled-target.js';
import { kitKeys, right, runKit } from '../conformance/helpers.js';
import {
  NOW,
  referenceTarget,
  SMALL_BODY_LIMIT,
  TARGET,
  targetKey,
} from '../conformance/reference-target.js';
import { describeInterop, PY_EVENT_HELPERS, PY_PRELUDE, runPython } from '../helpers/python-oracle.js';

const SCRIPT = `${PY_PRELUDE}
${PY_EVENT_HELPERS}
from urllib.parse import unquote
data = json.load(sys.stdin)
vks = {name: signedjson.key.decode_verify_key_base64('ed25519', 'conformance', key) for name, key in data['keys'].items()}
target_vk = signedjson.key.decode_verify_key_base64('ed25519', 't1', data['target_key'])
def verifies(obj, server, vk):
    try:
        signedjson.sign.verify_signed_json(obj, server, vk)
        return True
    except Exception:
        return False
out = []
for case in data['cases']:
    body = json.loads(case['body'])
    v2 = case['path'].startswith('/_matrix/federation/v2/')
    rv = body['room_version'] if v2 else '1' if '-v1:' in body['room_id'] else '2'
    ev = dict(body['event'] if v2 else body)
    ev.pop('unsigned', None)
    sender_server = ev['sender'].split(':', 1)[1]
    r = {'id': case['id']}
    r['hash_ok'] = ev['hashes']['sha256'] == content_hash(ev)
    if rv in ('1', '2', '10', '11', '12'):
        r['sender_signed'] = sender_server in vks and verifies(redact(ev, rv), sender_server, vks[sender_server])
        r['event_id'] = ev.get('event_id') if rv in ('1', '2') else event_id(ev, rv)
    segments = case['path'].split('/')
    r['path_room'] = unquote(segments[-2]) == ev['room_id']
    r['path_event'] = unquote(segments[-1]) == r.get('event_id')
    r['state_key_server'] = ev['state_key'].split(':', 1)[1]
    auth = case['authorization']
    if auth is not None:
        request = {'method': 'PUT', 'uri': case['path'], 'origin': case['origin'], 'destination': data['target'],
                   'content': json.loads(case['body']), 'signatures': {case['origin']: {case['key']: case['sig']}}}
        r['x_matrix_ok'] = verifies(request, case['origin'], vks[case['origin']])
    if case.get('answer') is not None:
        answer = json.loads(case['answer'])
        returned = answer[1]['event'] if isinstance(answer, list) else answer['event']
        r['countersigned'] = verifies(redact(returned, rv), data['target'], target_vk)
    out.append(r)
print(json.dumps(out))
`;

interface PyCase {
  id: string;
  hash_ok: boolean;
  sender_signed?: boolean;
  event_id?: string | null;
  path_room: boolean;
  path_event: boolean;
  state_key_server: string;
  x_matrix_ok?: boolean;
  countersigned?: boolean;
}

const decoder = new TextDecoder();
const sent = new Map<string, ConformanceRequest>();
const answers = new Map<string, string>();
let results: readonly ConformanceCaseResult[] = [];
let fullEventResults: readonly ConformanceCaseResult[] = [];
const byId = new Map<string, PyCase>();
const fullEventById = new Map<string, PyCase>();

function recorder(
  target: (request: ConformanceRequest) => Promise<ConformanceResponse>,
  into: Map<string, string>,
) {
  let current = '';
  return {
    setCase: (id: string) => {
      current = id;
    },
    send: async (request: ConformanceRequest) => {
      const response = await target(request);
      if (request.method === 'PUT') {
        sent.set(current, request);
        if (response.status === 200) into.set(current, decoder.decode(response.body as Uint8Array));
      }
      return response;
    },
  };
}

async function runRecorded(
  target: (request: ConformanceRequest) => Promise<ConformanceResponse>,
  into: Map<string, string>,
): Promise<readonly ConformanceCaseResult[]> {
  // The kit calls send once per case in table order; onResult tells which case the next request belongs to.
  const ids = listConformanceCases().map((c) => c.id);
  const rec = recorder(target, into);
  let next = 0;
  rec.setCase(ids[next] as string);
  const report = await runKit(rec.send, {
    bodyLimitBytes: SMALL_BODY_LIMIT,
    onResult: () => {
      next++;
      rec.setCase(ids[next] as string);
    },
  });
  return report.results;
}

function oracle(into: Map<string, string>): Map<string, PyCase> {
  const keys = Object.fromEntries(
    right(conformanceServerKeys({ now: NOW })).map((k) => [k.serverName, k.signingKey.publicKey]),
  );
  const cases = [...sent.entries()].map(([id, request]) => {
    const header = request.headers.authorization;
    const parsed = header === undefined ? undefined : right(parseXMatrixHeader(header));
    return {
      id,
      path: request.path,
      body: decoder.decode(request.body),
      authorization: header ?? null,
      origin: parsed?.origin,
      key: parsed?.key,
      sig: parsed?.sig,
      answer: into.get(id) ?? null,
    };
  });
  const out = runPython<PyCase[]>(SCRIPT, { keys, target: TARGET, target_key: targetKey.publicKey, cases });
  return new Map(out.map((r) => [r.id, r]));
}

describeInterop('the conformance kit, checked with signedjson', () => {
  beforeAll(async () => {
    results = await runRecorded(
      referenceTarget({ keysFor: async () => kitKeys, maxBodyBytes: SMALL_BODY_LIMIT }),
      answers,
    );
    for (const [id, r] of oracle(answers)) byId.set(id, r);
    const fullEventAnswers = new Map<string, string>();
    fullEventResults = await runRecorded(
      handRolledTarget({ keys: kitKeys, defect: 'full-event-countersignature' }),
      fullEventAnswers,
    );
    for (const [id, r] of oracle(fullEventAnswers)) fullEventById.set(id, r);
  }, 120_000);

  it('every case was sent and checked by Python', () => {
    expect(results).toHaveLength(94);
    expect(byId.size).toBe(94);
  });

  it('genuine invites: content hash, event ID, the inviter signature and X-Matrix all verify in Python', () => {
    for (const result of results.filter((r) => r.case.kind === 'genuine')) {
      const py = byId.get(result.case.id);
      expect(py, result.case.id).toMatchObject({
        hash_ok: true,
        sender_signed: true,
        path_room: true,
        path_event: true,
        state_key_server: TARGET,
        x_matrix_ok: true,
      });
    }
  });

  it('each forgery is wrong exactly where its case says (Python sees the same)', () => {
    const expectations: Record<string, Partial<PyCase>> = {
      'sender-not-origin': { hash_ok: true, sender_signed: true, x_matrix_ok: true },
      'inviter-signature-missing': { hash_ok: true, sender_signed: false, x_matrix_ok: true },
      'inviter-signature-invalid': { hash_ok: true, sender_signed: false, x_matrix_ok: true },
      'content-changed-after-signing': { hash_ok: false, sender_signed: true, x_matrix_ok: true },
      'state-key-not-local': {
        hash_ok: true,
        sender_signed: true,
        state_key_server: DEFAULT_OTHER_SERVER_NAME,
      },
      'state-key-other-port': { hash_ok: true, sender_signed: true, state_key_server: 'invitee.test:9999' },
      'path-room-id-mismatch': { path_room: false, path_event: true, sender_signed: true, x_matrix_ok: true },
      'path-event-id-mismatch': {
        path_room: true,
        path_event: false,
        sender_signed: true,
        x_matrix_ok: true,
      },
      'x-matrix-other-destination': { hash_ok: true, sender_signed: true, x_matrix_ok: false },
      'x-matrix-bad-signature': { hash_ok: true, sender_signed: true, x_matrix_ok: false },
      'x-matrix-body-mismatch': { hash_ok: true, sender_signed: true, x_matrix_ok: false },
      'non-canonical-json': { hash_ok: true, sender_signed: true, x_matrix_ok: true },
      'event-too-large': { hash_ok: true, sender_signed: true, x_matrix_ok: true },
      'membership-not-invite': { hash_ok: true, sender_signed: true, x_matrix_ok: true },
      'not-member-event': { hash_ok: true, sender_signed: true, x_matrix_ok: true },
    };
    for (const result of results) {
      const expected = expectations[result.case.kind];
      if (expected !== undefined) expect(byId.get(result.case.id), result.case.id).toMatchObject(expected);
    }
    // The sender of sender-not-origin is the other server; the X-Matrix origin stays the kit's first name.
    expect(sent.get('sender-not-origin/v2/room-10')?.headers.authorization).toContain(
      `origin="${DEFAULT_INVITER_SERVER_NAME}"`,
    );
    expect(sent.get('x-matrix-missing/v2/room-10')?.headers.authorization).toBeUndefined();
  });

  it("the kit accepts the library target's countersignatures, which signedjson verifies", () => {
    const genuine = results.filter((r) => r.case.kind === 'genuine');
    expect(genuine.every((r) => r.passed)).toBe(true);
    for (const r of genuine) expect(byId.get(r.case.id)?.countersigned, r.case.id).toBe(true);
  });

  it('the kit refuses full-event countersignatures, which signedjson refuses too', () => {
    const genuine = fullEventResults.filter((r) => r.case.kind === 'genuine');
    expect(genuine.map((r) => r.passed)).toEqual(Array(7).fill(false));
    for (const r of genuine) expect(fullEventById.get(r.case.id)?.countersigned, r.case.id).toBe(false);
  });
});
