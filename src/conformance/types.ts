/**
 * Types of the invite conformance kit: the cases (data), what the runner needs from the caller, and the report.
 */
import type { KeyLookup, SigningKey } from '../crypto/types.js';
import type { JsonPath, LibraryError } from '../errors/base.js';
import type { InviteApiVersion } from '../invite/api-version.js';
import type { JsonValue } from '../json/value.js';

/** One HTTP request of the kit to the target: what `send` must deliver. */
export interface ConformanceRequest {
  /** `PUT` for invites, `GET` for the target's `/_matrix/key/v2/server`. */
  readonly method: 'PUT' | 'GET';
  /** The path, percent-encoded exactly as signed (append it to the target's base URL unchanged). */
  readonly path: string;
  /** Request headers: `content-type` and, unless the case leaves it out, `authorization` (X-Matrix). */
  readonly headers: Readonly<Record<string, string>>;
  /** The body bytes (canonical JSON); empty for `GET`. */
  readonly body: Uint8Array;
}

/** The target's answer, as `send` resolves it. */
export interface ConformanceResponse {
  /** The HTTP status. */
  readonly status: number;
  /** The body: raw bytes or text (preferred: exact), or an already parsed JSON value. */
  readonly body: Uint8Array | string | JsonValue;
}

/** Delivers a request to the target: `fetch`, or a direct call into an in-process handler. */
export type ConformanceSend = (request: ConformanceRequest) => Promise<ConformanceResponse>;

/** Where a case's expectation comes from. */
export type ExpectationSource = 'spec' | 'synapse';

/** One acceptable answer to a case. */
export type AcceptableAnswer =
  | {
      /** 200, and the event sent comes back with a valid signature of the target added (checked with `verifyInviteResponse`). */
      readonly answer: 'countersigned';
      /** Who answers this way. */
      readonly source: ExpectationSource;
      /** Why, with the reference (spec section or Synapse code). */
      readonly note: string;
    }
  | {
      /** 200, and the *redacted* copy of the event sent comes back, countersigned (Synapse on a content hash mismatch). */
      readonly answer: 'countersigned-redacted';
      /** Who answers this way. */
      readonly source: ExpectationSource;
      /** Why, with the reference. */
      readonly note: string;
    }
  | {
      /** A Matrix error. */
      readonly answer: 'error';
      /** The HTTP status. */
      readonly status: number;
      /** The `errcode`; absent: any (the spec names only the status). */
      readonly errcode?: string;
      /** The body must carry `room_version` equal to the one requested (`M_INCOMPATIBLE_ROOM_VERSION`). */
      readonly withRoomVersion?: boolean;
      /** Who answers this way. */
      readonly source: ExpectationSource;
      /** Why, with the reference. */
      readonly note: string;
    };

/** A conformance case: what is sent, why, and which answers pass. Pure data. */
export interface ConformanceCase {
  /** Stable identifier, `<kind>/<api>/room-<version>`, e.g. `sender-not-origin/v2/room-10`. */
  readonly id: string;
  /** What the case exercises (several cases share a kind: one per endpoint and room version). */
  readonly kind: ConformanceCaseKind;
  /** The endpoint: `v1` (rooms 1-2 only) or `v2`. */
  readonly apiVersion: InviteApiVersion;
  /** The room version of the invite. */
  readonly roomVersion: string;
  /** One line: what is sent. */
  readonly title: string;
  /** What a server that gets this wrong risks, in words. */
  readonly risk: string;
  /** What the spec expects, with the section's URL. */
  readonly spec: string;
  /** What Synapse answers, with the code that does it. */
  readonly synapse: string;
  /** The answers that pass. */
  readonly accept: readonly AcceptableAnswer[];
  /**
   * True when the spec mandates no error code ("A specific error code is not mandated"): any other 4xx refusal
   * passes too, with a warning naming the answers above. False: only the answers above pass.
   */
  readonly anyRefusal: boolean;
  /** True when a closed connection (no answer at all) also counts as a refusal (oversized bodies). */
  readonly connectionCloseIsRefusal: boolean;
}

/** The kinds of case, in the order they run. */
export const CONFORMANCE_CASE_KINDS = [
  'genuine',
  'sender-not-origin',
  'inviter-signature-missing',
  'inviter-signature-invalid',
  'content-changed-after-signing',
  'membership-not-invite',
  'not-member-event',
  'state-key-not-local',
  'state-key-other-port',
  'path-room-id-mismatch',
  'path-event-id-mismatch',
  'unsupported-room-version',
  'non-canonical-json',
  'room-state-without-create',
  'event-too-large',
  'body-too-large',
  'x-matrix-missing',
  'x-matrix-other-destination',
  'x-matrix-bad-signature',
  'x-matrix-body-mismatch',
] as const;

/** A kind of conformance case (see {@link CONFORMANCE_CASE_KINDS}). */
export type ConformanceCaseKind = (typeof CONFORMANCE_CASE_KINDS)[number];

/** What the target answered to a case, as the report shows it. */
export type ConformanceAnswer =
  | {
      /** The target answered. */
      readonly kind: 'response';
      /** The HTTP status. */
      readonly status: number;
      /** The `errcode` of an error body, when there is one. */
      readonly errcode?: string;
      /** The body as text (bytes decoded as UTF-8; parsed values as JSON), cut at 2000 characters. */
      readonly body: string;
    }
  | {
      /** `send` rejected (connection refused or closed, timeout...). */
      readonly kind: 'no-response';
      /** What `send` rejected with. */
      readonly error: string;
    };

/** The verdict on one case. */
export interface ConformanceCaseResult {
  /** The case. */
  readonly case: ConformanceCase;
  /** True when the answer is one of the case's acceptable answers. */
  readonly passed: boolean;
  /** What the target answered. */
  readonly answer: ConformanceAnswer;
  /** Which acceptable answer matched (`countersigned`, `error 403 M_FORBIDDEN`...), when one did. */
  readonly matched?: string;
  /** What is wrong, in words (absent when the case passed). */
  readonly problem?: string;
  /** Accepted but worth a look (an unusual error code where the spec mandates none, extra response keys...). */
  readonly warnings: readonly string[];
}

/** The report of a run. */
export interface ConformanceReport {
  /** The target's server name. */
  readonly targetServerName: string;
  /** The invited local user. */
  readonly invitee: string;
  /** The kit's server name (the X-Matrix origin and the inviter's server). */
  readonly inviterServerName: string;
  /** The kit's second server name (the sender of `sender-not-origin`). */
  readonly otherServerName: string;
  /** True when every case passed. */
  readonly passed: boolean;
  /** How many cases ran, passed and failed. */
  readonly counts: {
    readonly total: number;
    readonly passed: number;
    readonly failed: number;
  };
  /** One result per case, in run order. */
  readonly results: readonly ConformanceCaseResult[];
  /** The IDs of the failed cases, in run order. */
  readonly failures: readonly string[];
}

/** Options of `runConformance`. */
export interface RunConformanceOptions {
  /** The target's server name (the X-Matrix destination; the invitee's server). */
  readonly targetServerName: string;
  /** A local user of the target, the invitee of every case: `@bob:<targetServerName>`. */
  readonly invitee: string;
  /** Delivers a request to the target (`fetch`, or an in-process handler). The kit does no I/O of its own. */
  readonly send: ConformanceSend;
  /**
   * The target's verify keys, to check its countersignatures. Absent: the kit asks the target itself
   * (`GET /_matrix/key/v2/server` through `send`) and verifies the answer.
   */
  readonly targetKeys?: KeyLookup;
  /** Room versions to test, among 1, 2, 10, 11, 12 (default: all five). */
  readonly roomVersions?: readonly string[];
  /** Case IDs or kinds to run (default: every case). */
  readonly cases?: readonly string[];
  /** The kit's server name (default {@link DEFAULT_INVITER_SERVER_NAME}): the target must know its keys. */
  readonly inviterServerName?: string;
  /** The kit's second server name (default {@link DEFAULT_OTHER_SERVER_NAME}). */
  readonly otherServerName?: string;
  /** The current time in ms (default `Date.now()`): timestamps of the events built, key validity checks. */
  readonly now?: number;
  /**
   * The target's request body limit in bytes, which `body-too-large` exceeds (default 200 × 65536, Synapse's
   * `MAX_REQUEST_SIZE`; at least 65536). Lower it to the limit in front of the target (a proxy's, say) to save
   * time and memory.
   */
  readonly bodyLimitBytes?: number;
  /** Called after each case (progress display). */
  readonly onResult?: (result: ConformanceCaseResult) => void;
}

/** The kit's default server name: `.invalid` never resolves, so the target must be given its keys. */
export const DEFAULT_INVITER_SERVER_NAME = 'inviter.conformance.invalid:8448';
/** The kit's default second server name. */
export const DEFAULT_OTHER_SERVER_NAME = 'other.conformance.invalid:8448';

/** The kit's identity on one server name: the signed key answer to serve or pre-seed. */
export interface ConformanceServerKeys {
  /** The server name. */
  readonly serverName: string;
  /** The signing key (deterministic, public: never trust it outside tests). */
  readonly signingKey: SigningKey;
  /** The signed `GET /_matrix/key/v2/server` answer as canonical JSON bytes: serve these as they are. */
  readonly body: Uint8Array;
}

/** Why the kit could not run (the caller's options are wrong); never about the target's answers. */
export type ConformanceErrorReason = 'invalid_options' | 'build_failed';

/** A conformance kit error (`kind: 'ConformanceError'`). */
export type ConformanceError = LibraryError<'ConformanceError', ConformanceErrorReason>;

/** Builds a {@link ConformanceError}. */
export function conformanceError(
  reason: ConformanceErrorReason,
  message: string,
  path: JsonPath = [],
): ConformanceError {
  return { kind: 'ConformanceError', reason, message, path };
}
