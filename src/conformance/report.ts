/**
 * The report as text: one line per case, what is wrong under each failure, a summary line.
 */

import { errorText } from '../errors/describe.js';
import type { ConformanceAnswer, ConformanceCaseResult, ConformanceReport } from './types.js';

/** Options of {@link formatConformanceReport}. */
export interface FormatConformanceReportOptions {
  /** Also list passed cases, with the answer that matched and any warnings (default false: failures only). */
  readonly verbose?: boolean;
}

const MAX_BODY = 300;

function answerText(answer: ConformanceAnswer): string {
  if (answer.kind === 'no-response') return `no answer (${answer.error})`;
  const body = answer.body.length > MAX_BODY ? `${answer.body.slice(0, MAX_BODY)}…` : answer.body;
  return `${answer.status}${answer.errcode === undefined ? '' : ` ${answer.errcode}`} ${body}`.trimEnd();
}

function resultLines(result: ConformanceCaseResult, verbose: boolean): string[] {
  if (result.passed) {
    if (!verbose) return [];
    return [
      `PASS ${result.case.id}${result.matched === undefined ? '' : `: ${result.matched}`}`,
      ...result.warnings.map((w) => `     warning: ${w}`),
    ];
  }
  return [
    `FAIL ${result.case.id}`,
    `     sent: ${result.case.title}`,
    `     got: ${answerText(result.answer)}`,
    `     wrong: ${result.problem ?? ''}`,
    `     spec: ${result.case.spec}`,
    `     synapse: ${result.case.synapse}`,
  ];
}

/**
 * Formats a report for people: the failures (each with what was sent, what came back, what is wrong, what the
 * spec and Synapse say), optionally the passes, and a summary line.
 *
 * @example formatConformanceReport(report) // 'FAIL genuine/v1/room-1\n     sent: ...\n...\n94 cases: 92 passed, 2 failed\n'
 */
export function formatConformanceReport(
  report: ConformanceReport,
  options: FormatConformanceReportOptions = {},
): string {
  try {
    const verbose = typeof options === 'object' && options !== null && options.verbose === true;
    const lines = [
      `Invite conformance of ${report.targetServerName} (invitee ${report.invitee}; the kit is ${report.inviterServerName} and ${report.otherServerName})`,
    ];
    for (const result of report.results) lines.push(...resultLines(result, verbose));
    const warnings = report.results.reduce((n, r) => n + r.warnings.length, 0);
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    lines.push(
      `${plural(report.counts.total, 'case')}: ${report.counts.passed} passed, ${report.counts.failed} failed${warnings > 0 ? ` (${plural(warnings, 'warning')}${verbose ? '' : ', listed in verbose mode'})` : ''}`,
    );
    return `${lines.join('\n')}\n`;
  } catch (error) {
    // Not a report runConformance gave (a caller's mistake): said in the text, never thrown.
    return `not a conformance report: ${errorText(error)}\n`;
  }
}
