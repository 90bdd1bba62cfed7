/**
 * `runConformance`: builds each case, hands it to the caller's `send`, and judges the answer. The kit does no I/O
 * of its own: `send` is `fetch` against a running server, or a direct call into an in-process handler.
 */
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { KeyLookup, SigningKey } from '../crypto/types.js';
import { describeUnknown } from '../errors/describe.js';
import { CONFORMANCE_ROOM_VERSIONS, listConformanceCases } from './cases.js';
import { forgeCase, type KitIdentity, kitKeys, roomBuilder } from './forge.js';
import { keysFromAnswer, signedKeyAnswer, userServer } from './library.js';
import {
  type ConformanceCase,
  type ConformanceCaseResult,
  type ConformanceError,
  type ConformanceReport,
  type ConformanceResponse,
  type ConformanceServerKeys,
  conformanceError,
  DEFAULT_INVITER_SERVER_NAME,
  DEFAULT_OTHER_SERVER_NAME,
  type RunConformanceOptions,
} from './types.js';
import { judge } from './verdict.js';

/** Synapse's request body limit (synapse/api/constants.py MAX_REQUEST_SIZE = 200 * MAX_PDU_SIZE). */
const SYNAPSE_MAX_REQUEST_SIZE = 200 * 65536;
/** The PDU size limit (https://spec.matrix.org/v1.19/client-server-api/#size-limits). */
const MAX_PDU_SIZE = 65536;

/** How long the kit's key answers are valid: a day, as Synapse publishes its own. */
const KEY_VALIDITY_MS = 24 * 60 * 60 * 1000;

const invalid = (message: string, path: (string | number)[]): E.Either<ConformanceError, never> =>
  E.left(conformanceError('invalid_options', message, path));

/** Options of {@link conformanceServerKeys}. */
export interface ConformanceServerKeysOptions {
  /** The kit's server name (default {@link DEFAULT_INVITER_SERVER_NAME}). */
  readonly inviterServerName?: string;
  /** The kit's second server name (default {@link DEFAULT_OTHER_SERVER_NAME}). */
  readonly otherServerName?: string;
  /** The current time in ms (default `Date.now()`); the answers are valid for a day from it. */
  readonly now?: number;
}

/**
 * The kit's signed `GET /_matrix/key/v2/server` answers, one per server name it uses: serve them where the target
 * fetches keys (the CLI does), or add them to the target's key store before a run. The keys are deterministic and
 * published in this library's source: trust them in test environments only.
 *
 * @example
 * const [inviter, other] = conformanceServerKeys({ now }).right;
 * store = store.add(verifyServerKeys(inviter.body, { serverName: inviter.serverName, now }).right).right;
 */
export function conformanceServerKeys(
  options: ConformanceServerKeysOptions = {},
): E.Either<ConformanceError, readonly ConformanceServerKeys[]> {
  try {
    const opts: ConformanceServerKeysOptions = typeof options === 'object' && options !== null ? options : {};
    const now = opts.now ?? Date.now();
    if (typeof now !== 'number' || !Number.isSafeInteger(now) || now < 0) {
      return invalid('now must be a non-negative integer (ms since the epoch)', ['now']);
    }
    const answer = (field: string, serverName: string, signingKey: SigningKey) =>
      pipe(
        signedKeyAnswer(serverName, signingKey, now + KEY_VALIDITY_MS),
        E.bimap(
          (message) => conformanceError('invalid_options', `${field}: ${message}`, [field]),
          (body): ConformanceServerKeys => Object.freeze({ serverName, signingKey, body }),
        ),
      );
    return pipe(
      kitKeys(),
      E.mapLeft((message) => conformanceError('build_failed', message)),
      E.chain((keys) =>
        E.sequenceArray([
          answer('inviterServerName', opts.inviterServerName ?? DEFAULT_INVITER_SERVER_NAME, keys.inviter),
          answer('otherServerName', opts.otherServerName ?? DEFAULT_OTHER_SERVER_NAME, keys.other),
        ]),
      ),
      E.map((answers) => Object.freeze([...answers])),
    );
  } catch (error) {
    return invalid(`cannot read the options: ${describeUnknown(error)}`, []);
  }
}

interface Checked {
  readonly identity: KitIdentity;
  readonly cases: readonly ConformanceCase[];
}

function checkOptions(options: RunConformanceOptions): E.Either<ConformanceError, Checked> {
  if (typeof options !== 'object' || options === null) return invalid('options must be an object', []);
  const { targetServerName, invitee, send } = options;
  if (typeof send !== 'function')
    return invalid('send must be a function (request) => Promise<{status, body}>', ['send']);
  if (typeof targetServerName !== 'string' || targetServerName === '') {
    return invalid('targetServerName must be a non-empty string', ['targetServerName']);
  }
  const inviteeServer =
    typeof invitee === 'string' ? userServer(invitee) : E.left('invitee must be a string');
  if (E.isLeft(inviteeServer)) return invalid(`invitee: ${inviteeServer.left}`, ['invitee']);
  if (inviteeServer.right !== targetServerName) {
    return invalid(`invitee ${invitee} is not a user of ${targetServerName}`, ['invitee']);
  }
  if (options.targetKeys !== undefined && typeof options.targetKeys !== 'function') {
    return invalid('targetKeys must be a key lookup function (serverName, keyId) => entry', ['targetKeys']);
  }
  const roomVersions = options.roomVersions ?? CONFORMANCE_ROOM_VERSIONS;
  if (!Array.isArray(roomVersions) || roomVersions.some((v) => !CONFORMANCE_ROOM_VERSIONS.includes(v))) {
    return invalid(`roomVersions must list some of ${CONFORMANCE_ROOM_VERSIONS.join(', ')}`, [
      'roomVersions',
    ]);
  }
  let cases = listConformanceCases(roomVersions);
  if (options.cases !== undefined) {
    const wanted: unknown = options.cases;
    if (!Array.isArray(wanted) || wanted.some((w) => typeof w !== 'string')) {
      return invalid('cases must be an array of case IDs or kinds', ['cases']);
    }
    const unknown = wanted.filter((w) => !cases.some((c) => c.id === w || c.kind === w));
    if (unknown.length > 0) {
      return invalid(`no such case (for these room versions): ${unknown.join(', ')}`, ['cases']);
    }
    cases = cases.filter((c) => wanted.includes(c.id) || wanted.includes(c.kind));
  }
  const now = options.now ?? Date.now();
  if (typeof now !== 'number' || !Number.isSafeInteger(now) || now < 600_000) {
    return invalid('now must be an integer time in ms since the epoch', ['now']);
  }
  const bodyLimitBytes = options.bodyLimitBytes ?? SYNAPSE_MAX_REQUEST_SIZE;
  if (!Number.isSafeInteger(bodyLimitBytes) || bodyLimitBytes < MAX_PDU_SIZE || bodyLimitBytes > 2 ** 30) {
    return invalid(`bodyLimitBytes must be an integer from ${MAX_PDU_SIZE} to 2^30`, ['bodyLimitBytes']);
  }
  const names = conformanceServerKeys({
    now,
    ...(options.inviterServerName === undefined ? {} : { inviterServerName: options.inviterServerName }),
    ...(options.otherServerName === undefined ? {} : { otherServerName: options.otherServerName }),
  });
  if (E.isLeft(names)) return names;
  const [inviter, other] = names.right as [ConformanceServerKeys, ConformanceServerKeys];
  if (new Set([inviter.serverName, other.serverName, targetServerName]).size !== 3) {
    return invalid('the target, the inviter and the other server need three different server names', []);
  }
  return pipe(
    kitKeys(),
    E.bimap(
      (message) => conformanceError('build_failed', message),
      (keys): Checked => ({
        identity: {
          targetServerName,
          invitee: invitee as string,
          inviterServerName: inviter.serverName,
          otherServerName: other.serverName,
          inviterKey: keys.inviter,
          otherKey: keys.other,
          impostorKey: keys.impostor,
          now,
          bodyLimitBytes,
        },
        cases,
      }),
    ),
  );
}

const KEYS_PATH = '/_matrix/key/v2/server';

async function callSend(
  send: RunConformanceOptions['send'],
  request: Parameters<RunConformanceOptions['send']>[0],
): Promise<{ response: ConformanceResponse } | { error: string }> {
  try {
    const response: unknown = await send(request);
    if (
      typeof response !== 'object' ||
      response === null ||
      typeof (response as { status?: unknown }).status !== 'number'
    ) {
      return { error: `send resolved ${describeUnknown(response)}, not {status, body}` };
    }
    return { response: response as ConformanceResponse };
  } catch (error) {
    return { error: error instanceof Error ? error.message : describeUnknown(error) };
  }
}

/**
 * Runs the conformance cases against a target and returns the report. Builds every request with the kit's keys
 * (see {@link conformanceServerKeys}: the target must know them), sends it with `options.send`, and judges the
 * answer; genuine invites are checked with `verifyInviteResponse` and the target's keys (`options.targetKeys`, or
 * fetched with `GET /_matrix/key/v2/server` through `send`). A failing case is in the report, not an error: `Left`
 * only means the options are wrong. Never throws.
 *
 * @example
 * const report = await runConformance({ targetServerName: 'hs.test:8448', invitee: '@bob:hs.test:8448',
 *   send: (request) => handle(request) });
 * // Right({ passed: true, counts: { total: 94, passed: 94, failed: 0 }, results: [...], failures: [] })
 */
export async function runConformance(
  options: RunConformanceOptions,
): Promise<E.Either<ConformanceError, ConformanceReport>> {
  let checked: E.Either<ConformanceError, Checked>;
  try {
    checked = checkOptions(options);
  } catch (error) {
    return invalid(`cannot read the options: ${describeUnknown(error)}`, []);
  }
  if (E.isLeft(checked)) return checked;
  const { identity, cases } = checked.right;
  const room = roomBuilder(identity);

  let targetKeys: E.Either<string, KeyLookup> | undefined =
    options.targetKeys === undefined ? undefined : E.right(options.targetKeys);
  const keysOfTarget = async (): Promise<E.Either<string, KeyLookup>> => {
    if (targetKeys !== undefined) return targetKeys;
    const fetched = await callSend(options.send, {
      method: 'GET',
      path: KEYS_PATH,
      headers: {},
      body: new Uint8Array(0),
    });
    if ('error' in fetched) targetKeys = E.left(`GET ${KEYS_PATH} failed: ${fetched.error}`);
    else if (fetched.response.status !== 200)
      targetKeys = E.left(`GET ${KEYS_PATH} answered ${fetched.response.status}`);
    else {
      const lookup = keysFromAnswer(fetched.response.body, identity.targetServerName, identity.now);
      targetKeys = E.isLeft(lookup)
        ? E.left(`the answer to GET ${KEYS_PATH} is refused: ${lookup.left}`)
        : lookup;
    }
    return targetKeys;
  };

  const results: ConformanceCaseResult[] = [];
  for (const [index, testCase] of cases.entries()) {
    const result = await runCase(identity, room, testCase, index, options.send, keysOfTarget);
    results.push(result);
    if (typeof options.onResult === 'function') {
      try {
        options.onResult(result);
      } catch {
        // A progress callback's failure must not stop the run.
      }
    }
  }
  const failures = results.filter((r) => !r.passed).map((r) => r.case.id);
  return E.right(
    Object.freeze({
      targetServerName: identity.targetServerName,
      invitee: identity.invitee,
      inviterServerName: identity.inviterServerName,
      otherServerName: identity.otherServerName,
      passed: failures.length === 0,
      counts: { total: results.length, passed: results.length - failures.length, failed: failures.length },
      results,
      failures,
    }),
  );
}

async function runCase(
  identity: KitIdentity,
  room: ReturnType<typeof roomBuilder>,
  testCase: ConformanceCase,
  index: number,
  send: RunConformanceOptions['send'],
  keysOfTarget: () => Promise<E.Either<string, KeyLookup>>,
): Promise<ConformanceCaseResult> {
  const forged = pipe(
    room(testCase.roomVersion),
    E.chain((built) => forgeCase(identity, built, testCase, index)),
  );
  if (E.isLeft(forged)) {
    // Only a server name the library cannot build events for gets here (checked up front): report, do not throw.
    return {
      case: testCase,
      passed: false,
      answer: { kind: 'no-response', error: 'not sent' },
      problem: `the kit could not build this case: ${forged.left}`,
      warnings: [],
    };
  }
  const outcome = await callSend(send, forged.right.request);
  const keys: E.Either<string, KeyLookup> =
    'response' in outcome && outcome.response.status === 200 ? await keysOfTarget() : E.left('not needed');
  const { answer, verdict } = judge({
    testCase,
    outcome,
    sent: {
      sentEvent: forged.right.sentEvent,
      redactedEvent: forged.right.redactedEvent,
      roomVersion: testCase.roomVersion,
    },
    keys,
    targetServerName: identity.targetServerName,
    now: identity.now,
  });
  return {
    case: testCase,
    passed: verdict.passed,
    answer,
    ...(verdict.matched === undefined ? {} : { matched: verdict.matched }),
    ...(verdict.problem === undefined ? {} : { problem: verdict.problem }),
    warnings: verdict.warnings,
  };
}
