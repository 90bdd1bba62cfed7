/**
 * Judging an answer against a case: which acceptable answer it is, or what is wrong with it, in words.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { KeyLookup } from '../crypto/types.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../json/value.js';
import { type CountersignatureProblem, canonicalText, checkCountersigned, parseJsonBody } from './library.js';
import type { AcceptableAnswer, ConformanceAnswer, ConformanceCase, ConformanceResponse } from './types.js';

/** The verdict on one answer. */
export interface Verdict {
  readonly passed: boolean;
  readonly matched?: string;
  readonly problem?: string;
  readonly warnings: readonly string[];
}

/** What a 200 answer is checked against. */
export interface SentInvite {
  readonly sentEvent: JsonObject;
  readonly redactedEvent: JsonObject;
  readonly roomVersion: string;
}

const MAX_BODY_TEXT = 2000;
const decoder = new TextDecoder('utf-8', { fatal: false });

const isRaw = (body: ConformanceResponse['body']): body is string | Uint8Array =>
  typeof body === 'string' || body instanceof Uint8Array;

/** The body as JSON, or undefined when it is not JSON. */
const parsedBody = (body: ConformanceResponse['body']): JsonValue | undefined =>
  isRaw(body) ? E.getOrElseW(() => undefined)(parseJsonBody(body)) : body;

/** The answer as the report shows it. */
export function describeAnswer(response: ConformanceResponse): ConformanceAnswer {
  const { status, body } = response;
  const parsed = parsedBody(body);
  const text = isRaw(body)
    ? typeof body === 'string'
      ? body
      : decoder.decode(body)
    : E.getOrElse(() => String(body))(canonicalText(body));
  const errcode = isJsonObject(parsed) && typeof parsed.errcode === 'string' ? parsed.errcode : undefined;
  return {
    kind: 'response',
    status,
    ...(errcode === undefined ? {} : { errcode }),
    body: text.length > MAX_BODY_TEXT ? `${text.slice(0, MAX_BODY_TEXT)}…` : text,
  };
}

/** `error 403 M_FORBIDDEN (synapse)`: an acceptable answer in a few words. */
export function describeAcceptable(answer: AcceptableAnswer): string {
  if (answer.answer === 'countersigned') return `200 countersigned (${answer.source})`;
  if (answer.answer === 'countersigned-redacted')
    return `200 with the redacted copy countersigned (${answer.source})`;
  const code = answer.errcode === undefined ? '' : ` ${answer.errcode}`;
  return `${answer.status}${code}${answer.withRoomVersion === true ? ' with room_version' : ''} (${answer.source})`;
}

const expected = (testCase: ConformanceCase): string =>
  `expected ${testCase.accept.map(describeAcceptable).join(' or ')}${testCase.anyRefusal ? ' (or another 4xx refusal)' : ''}`;

/** What is wrong with a 200 whose event does not check out, in words. */
function countersignatureProblem(problem: CountersignatureProblem, testCase: ConformanceCase): string {
  switch (problem.reason) {
    case 'bad_invitee_signature':
      return `the target's signature on the returned event does not verify (${problem.message}): sign the redacted event, not the full one (https://spec.matrix.org/v1.19/server-server-api/#signing-events); the full event differs from the redacted one (displayname, and in rooms 11+ the top-level origin)`;
    case 'bad_response_shape':
      return testCase.apiVersion === 'v1'
        ? `the v1 answer must be [200, {"event": ...}] (a historical quirk the spec keeps): ${problem.message}`
        : `the v2 answer must be {"event": ...}: ${problem.message}`;
    case 'event_mismatch':
      return `the returned event is not the one expected: ${problem.message} ("All other fields of the events should remain untouched")`;
    case 'missing_invitee_signature':
      return `the returned event carries no signature of the target: ${problem.message}`;
    case 'unverifiable_invitee_signature':
      return `no known key of the target verifies its signature (is the server name right, does /_matrix/key/v2/server list the key?): ${problem.message}`;
    case 'inviter_signature_changed':
      return `the inviter's signatures were changed or removed: ${problem.message}`;
    default:
      return `the answer is not a valid countersigned invite (${problem.reason}): ${problem.message}`;
  }
}

/** Judges a 200 answer. */
function judgeAccepted(
  testCase: ConformanceCase,
  response: ConformanceResponse,
  sent: SentInvite,
  keys: E.Either<string, KeyLookup>,
  targetServerName: string,
  now: number,
): Verdict {
  const acceptable = testCase.accept.find(
    (a) => a.answer === 'countersigned' || a.answer === 'countersigned-redacted',
  );
  if (acceptable === undefined) {
    return {
      passed: false,
      problem: `accepted (200) ${testCase.title}. ${testCase.risk} (${expected(testCase)})`,
      warnings: [],
    };
  }
  if (E.isLeft(keys)) {
    return {
      passed: false,
      problem: `cannot check the countersignature: the target's keys are unavailable (${keys.left})`,
      warnings: [],
    };
  }
  const redactedCopy = acceptable.answer === 'countersigned-redacted';
  const checked = checkCountersigned({
    apiVersion: testCase.apiVersion,
    body: response.body,
    sentEvent: redactedCopy ? sent.redactedEvent : sent.sentEvent,
    roomVersion: sent.roomVersion,
    targetServerName,
    keys: keys.right,
    now,
  });
  if (E.isRight(checked)) {
    return { passed: true, matched: describeAcceptable(acceptable), warnings: checked.right.warnings };
  }
  return {
    passed: false,
    problem:
      redactedCopy && checked.left.reason === 'event_mismatch'
        ? `accepted (200) ${testCase.title}, and returned it unredacted: a 200 must carry the redacted copy ("use the redacted copy it calculated rather than the full copy it received"), or the invite must be refused. ${testCase.risk}`
        : countersignatureProblem(checked.left, testCase),
    warnings: [],
  };
}

/** Judges an error answer. */
function judgeError(
  testCase: ConformanceCase,
  answer: ConformanceAnswer & { kind: 'response' },
  body: ConformanceResponse['body'],
): Verdict {
  const { status, errcode } = answer;
  const label = `${status}${errcode === undefined ? '' : ` ${errcode}`}`;
  for (const acceptable of testCase.accept) {
    if (acceptable.answer !== 'error' || acceptable.status !== status) continue;
    if (acceptable.errcode !== undefined && acceptable.errcode !== errcode) continue;
    if (acceptable.withRoomVersion === true && !carriesRoomVersion(body)) {
      return {
        passed: false,
        problem: `${label} without "room_version": it is required with M_INCOMPATIBLE_ROOM_VERSION (https://spec.matrix.org/v1.19/server-server-api/#put_matrixfederationv2inviteroomideventid)`,
        warnings: [],
      };
    }
    return { passed: true, matched: describeAcceptable(acceptable), warnings: [] };
  }
  const isGenuine = testCase.accept.every((a) => a.answer !== 'error');
  if (status === 429) {
    return {
      passed: false,
      problem: `rate limited (${label}): raise the target's invite rate limits for the run (Synapse: rc_invites.per_user)`,
      warnings: [],
    };
  }
  if (isGenuine) {
    return { passed: false, problem: `refused a genuine invite with ${label}: ${answer.body}`, warnings: [] };
  }
  if (testCase.anyRefusal && status >= 400 && status < 500) {
    return {
      passed: true,
      matched: `${label} (another refusal)`,
      warnings: [
        `refused with ${label}; the documented answers are ${testCase.accept.map(describeAcceptable).join(', ')}`,
      ],
    };
  }
  return {
    passed: false,
    problem: `answered ${label} to ${testCase.title}; ${expected(testCase)}${status >= 500 ? ' (a 5xx means the server failed instead of refusing)' : ''}`,
    warnings: [],
  };
}

function carriesRoomVersion(body: ConformanceResponse['body']): boolean {
  const parsed = parsedBody(body);
  return isJsonObject(parsed) && parsed.room_version === 'org.example.unsupported';
}

/** Judges what the target answered (or that it did not answer) to one case. */
export function judge(params: {
  readonly testCase: ConformanceCase;
  readonly outcome: { readonly response: ConformanceResponse } | { readonly error: string };
  readonly sent: SentInvite;
  /** The target's keys (only read for a 200 answer). */
  readonly keys: E.Either<string, KeyLookup>;
  readonly targetServerName: string;
  readonly now: number;
}): { answer: ConformanceAnswer; verdict: Verdict } {
  const { testCase, outcome } = params;
  if ('error' in outcome) {
    const answer: ConformanceAnswer = { kind: 'no-response', error: outcome.error };
    if (testCase.connectionCloseIsRefusal) {
      return {
        answer,
        verdict: {
          passed: true,
          matched: 'connection closed',
          warnings: [`no answer (${outcome.error}): counted as a refusal of an oversized body`],
        },
      };
    }
    return { answer, verdict: { passed: false, problem: `no answer: ${outcome.error}`, warnings: [] } };
  }
  const answer = describeAnswer(outcome.response);
  if (answer.kind === 'response' && answer.status === 200) {
    return {
      answer,
      verdict: judgeAccepted(
        testCase,
        outcome.response,
        params.sent,
        params.keys,
        params.targetServerName,
        params.now,
      ),
    };
  }
  return {
    answer,
    verdict: judgeError(testCase, answer as ConformanceAnswer & { kind: 'response' }, outcome.response.body),
  };
}
