/**
 * The invite conformance kit: checks any homeserver's `PUT /_matrix/federation/v1|v2/invite` endpoint against
 * genuine invites and forgeries, from a test runner (vitest, jest, `node:test`) or the `matrix-invite conformance`
 * command. See `docs/conformance.md`.
 *
 * @packageDocumentation
 * @module matrix-federation-invite/conformance
 */
export {
  CONFORMANCE_CASE_TABLE,
  CONFORMANCE_ROOM_VERSIONS,
  type ConformanceCaseKindInfo,
  listConformanceCases,
} from './cases.js';
export { type FormatConformanceReportOptions, formatConformanceReport } from './report.js';
export { type ConformanceServerKeysOptions, conformanceServerKeys, runConformance } from './runner.js';
export {
  type AcceptableAnswer,
  CONFORMANCE_CASE_KINDS,
  type ConformanceAnswer,
  type ConformanceCase,
  type ConformanceCaseKind,
  type ConformanceCaseResult,
  type ConformanceError,
  type ConformanceErrorReason,
  type ConformanceReport,
  type ConformanceRequest,
  type ConformanceResponse,
  type ConformanceSend,
  type ConformanceServerKeys,
  DEFAULT_INVITER_SERVER_NAME,
  DEFAULT_OTHER_SERVER_NAME,
  type ExpectationSource,
  type RunConformanceOptions,
} from './types.js';
