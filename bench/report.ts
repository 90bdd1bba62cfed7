/** Turns measurements into the console table and the docs/performance.md report. */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { SCENARIO_LABELS } from './invite-scenarios.js';

export interface Measurement {
  /** `group | label`. */
  readonly name: string;
  readonly microsPerOp: number;
}

interface Row {
  readonly group: string;
  readonly label: string;
  readonly micros: number;
  readonly ops: number;
}

function rows(measurements: readonly Measurement[]): Row[] {
  return measurements.map((m) => {
    const [group = m.name, label = m.name] = m.name.split(' | ');
    return { group, label, micros: m.microsPerOp, ops: 1e6 / m.microsPerOp };
  });
}

const isPython = (row: Row) => row.label.startsWith('python:');
const isBaseline = (row: Row) => row.label.startsWith('baseline:');
const isFloor = (row: Row) => row.label.startsWith('floor:');

/** Collector time per invite of one scenario (see `gcMicrosPerInvite`). */
export interface GcFigure {
  readonly group: string;
  readonly micros: number;
}

/** The scenario facts the report needs (see invite-scenarios.ts). */
export interface ScenarioInfo {
  readonly group: string;
  readonly bodyBytes: number;
  readonly series?: { readonly name: string; readonly size: number };
}

/** 1-, 5- and 15-minute load averages. */
export const formatLoad = (load: readonly number[]): string => load.map((x) => x.toFixed(2)).join(', ');

function groups(measurements: readonly Measurement[]): Map<string, Row[]> {
  const out = new Map<string, Row[]>();
  for (const row of rows(measurements)) out.set(row.group, [...(out.get(row.group) ?? []), row]);
  return out;
}

function ratio(row: Row, reference: Row | undefined): string {
  if (reference === undefined || isPython(row)) return '';
  return `${(reference.micros / row.micros).toFixed(2)}×`;
}

/** The floor's share of our time: 100 % would be nothing but libsodium's verify + sign. */
function ofFloor(row: Row, floor: Row | undefined): string {
  if (floor === undefined || isFloor(row) || isPython(row)) return '';
  return `${Math.round((100 * floor.micros) / row.micros)} % of the floor`;
}

const fmtOps = (ops: number) => Math.round(ops).toLocaleString('en-US');
const fmtMicros = (us: number) => (us < 10 ? us.toFixed(2) : us.toFixed(1));

/** A plain-text table for the console. */
export function renderTable(measurements: readonly Measurement[], gc: readonly GcFigure[] = []): string {
  const lines: string[] = [];
  for (const [group, list] of groups(measurements)) {
    const python = list.find(isPython);
    const floor = list.find(isFloor);
    lines.push(`\n${group}`);
    for (const row of list) {
      const r = ratio(row, python);
      const f = ofFloor(row, floor);
      lines.push(
        `  ${row.label.padEnd(78)} ${fmtOps(row.ops).padStart(10)} ops/s ${fmtMicros(row.micros).padStart(9)} µs${r ? `  ${r} Python` : ''}${f ? `  ${f}` : ''}`,
      );
    }
    const collector = gc.find((g) => g.group === group);
    if (collector !== undefined)
      lines.push(
        `  ${'garbage collection per invite (sodium)'.padEnd(78)} ${fmtMicros(collector.micros).padStart(26)} µs`,
      );
  }
  return lines.join('\n');
}

interface Target {
  readonly description: string;
  readonly group: string;
  readonly match: string;
  readonly against: 'python' | 'baseline';
  /** Minimum speed ratio (reference time / our time). */
  readonly minimum: number;
}

/** The targets of the issues (2, 3, 4, 7, 14). */
const TARGETS: readonly Target[] = [
  {
    description: 'canonical encoding ≥ 3× python canonicaljson',
    group: 'canonical encode',
    match: 'encodeCanonicalJson',
    against: 'python',
    minimum: 3,
  },
  {
    description: 'lossless parsing (bytes) within 1.5× of JSON.parse',
    group: 'parse',
    match: 'UTF-8 bytes',
    against: 'baseline',
    minimum: 1 / 1.5,
  },
  {
    description: 'event verification, sodium ≥ 1.3× Python',
    group: 'event verify',
    match: '(sodium)',
    against: 'python',
    minimum: 1.3,
  },
  {
    description: 'event verification, node ≥ 0.8× Python',
    group: 'event verify',
    match: '(node)',
    against: 'python',
    minimum: 0.8,
  },
  {
    description: 'receive pipeline, sodium ≥ 1.3× Python',
    group: 'receive pipeline',
    match: '(sodium)',
    against: 'python',
    minimum: 1.3,
  },
  {
    description: 'receive pipeline, node ≥ 0.8× Python',
    group: 'receive pipeline',
    match: '(node)',
    against: 'python',
    minimum: 0.8,
  },
];

function targetLines(measurements: readonly Measurement[]): string[] {
  const byGroup = groups(measurements);
  const out = ['| target | measured | met |', '| --- | --- | --- |'];
  for (const target of TARGETS) {
    const list = byGroup.get(target.group) ?? [];
    const ours = list.find((row) => !isPython(row) && !isBaseline(row) && row.label.includes(target.match));
    const reference = list.find(target.against === 'python' ? isPython : isBaseline);
    if (ours === undefined || reference === undefined) {
      out.push(`| ${target.description} | not measured | – |`);
      continue;
    }
    const speedup = reference.micros / ours.micros;
    const met = speedup >= target.minimum ? 'yes' : '**no**';
    const measured =
      target.against === 'python'
        ? `${speedup.toFixed(2)}× Python's speed`
        : `${(1 / speedup).toFixed(2)}× JSON.parse's time`;
    out.push(`| ${target.description} | ${measured} | ${met} |`);
  }
  return out;
}

/** Issue #14's goals on the invite scenarios (the bare Synapse helper path as reference). */
interface ScenarioGoal {
  readonly description: string;
  readonly group: string;
  readonly label: string;
  /** Minimum speed against the bare Python path (Python time / our time). */
  readonly vsPython: number;
  /** Minimum share of the floor (floor time / our time). */
  readonly ofFloor?: number;
}

const SCENARIO_GOALS: readonly ScenarioGoal[] = [
  {
    description: 'v10 invite, 6 stripped events, `sodium`: ≥ 1.5× Python, ≥ 74 % of the floor',
    group: 'invite: v10, 6 stripped events',
    label: SCENARIO_LABELS.sodium,
    vsPython: 1.5,
    ofFloor: 0.74,
  },
  {
    description: 'the same, `node` backend: ≥ 1.0× Python',
    group: 'invite: v10, 6 stripped events',
    label: SCENARIO_LABELS.node,
    vsPython: 1.0,
  },
  {
    description: '100 stripped events, `sodium`: ≥ 1.2× Python',
    group: 'invite: v10, 100 stripped events',
    label: SCENARIO_LABELS.sodium,
    vsPython: 1.2,
  },
  {
    description: '60 KB many-key content, `sodium`: ≥ 1.5× Python',
    group: 'invite: v10, 60 KB many-key content',
    label: SCENARIO_LABELS.sodium,
    vsPython: 1.5,
  },
];

function find(byGroup: Map<string, Row[]>, group: string, label: string): Row | undefined {
  return byGroup.get(group)?.find((row) => row.label === label);
}

function goalLines(byGroup: Map<string, Row[]>, series: readonly SeriesPoint[]): string[] {
  const out = ['| goal | measured | met |', '| --- | --- | --- |'];
  for (const goal of SCENARIO_GOALS) {
    const ours = find(byGroup, goal.group, goal.label);
    const python = find(byGroup, goal.group, SCENARIO_LABELS.python);
    const floor = find(byGroup, goal.group, SCENARIO_LABELS.floor);
    if (ours === undefined || python === undefined || (goal.ofFloor !== undefined && floor === undefined)) {
      out.push(`| ${goal.description} | not measured | – |`);
      continue;
    }
    const speed = python.micros / ours.micros;
    const share = floor === undefined ? undefined : floor.micros / ours.micros;
    const met = speed >= goal.vsPython && (goal.ofFloor === undefined || (share ?? 0) >= goal.ofFloor);
    const measured = `${speed.toFixed(2)}× Python${goal.ofFloor !== undefined && share !== undefined ? `, ${Math.round(share * 100)} % of the floor` : ''}`;
    out.push(`| ${goal.description} | ${measured} | ${met ? 'yes' : '**no**'} |`);
  }
  const keys = series.filter((p) => p.series === 'content KB (many small keys)');
  const linearity = marginalCosts(keys, (p) => p.ours);
  const beyondV8 = marginalCosts(keys, (p) =>
    p.jsonParse === undefined ? Number.NaN : p.ours - p.jsonParse,
  );
  if (linearity !== undefined) {
    out.push(
      `| many-key content: linear in size (µs per KB of each step within 1.5× of the first step's) | ${linearity.steps.map((x) => x.toFixed(1)).join(', ')} µs/KB | ${linearity.linear ? 'yes' : '**no**'} |`,
    );
  }
  if (beyondV8?.steps.every(Number.isFinite)) {
    out.push(
      `| the same, beyond what \`JSON.parse\` of the body costs (our time minus V8's, per KB of each step) | ${beyondV8.steps.map((x) => x.toFixed(1)).join(', ')} µs/KB | ${beyondV8.linear ? 'yes' : '**no**'} |`,
    );
  }
  const pythonFaster = series.filter((p) => p.python !== undefined && p.python < p.ours);
  if (series.length > 0) {
    out.push(
      `| scaling table: no size where Python is faster | ${pythonFaster.length === 0 ? 'none' : pythonFaster.map((p) => `${p.size} ${p.series}`).join('; ')} | ${pythonFaster.length === 0 ? 'yes' : '**no**'} |`,
    );
  }
  return out;
}

interface SeriesPoint {
  readonly series: string;
  readonly size: number;
  readonly bodyBytes: number;
  readonly ours: number;
  readonly python: number | undefined;
  readonly jsonParse: number | undefined;
  readonly gc: number | undefined;
}

function seriesPoints(
  byGroup: Map<string, Row[]>,
  scenarios: readonly ScenarioInfo[],
  gc: readonly GcFigure[],
): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  for (const scenario of scenarios) {
    const ours = find(byGroup, scenario.group, SCENARIO_LABELS.sodium);
    if (scenario.series === undefined || ours === undefined) continue;
    out.push({
      series: scenario.series.name,
      size: scenario.series.size,
      bodyBytes: scenario.bodyBytes,
      ours: ours.micros,
      python: find(byGroup, scenario.group, SCENARIO_LABELS.python)?.micros,
      jsonParse: find(byGroup, scenario.group, SCENARIO_LABELS.jsonParse)?.micros,
      gc: gc.find((g) => g.group === scenario.group)?.micros,
    });
  }
  return out.sort((a, b) => (a.series === b.series ? a.size - b.size : a.series < b.series ? -1 : 1));
}

/**
 * µs per added KB of `cost` between consecutive sizes; linear when no step costs more than 1.5× the first one per
 * KB.
 */
function marginalCosts(
  points: readonly SeriesPoint[],
  cost: (point: SeriesPoint) => number,
): { steps: number[]; linear: boolean } | undefined {
  if (points.length < 3) return undefined;
  const steps: number[] = [];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as SeriesPoint;
    const b = points[i] as SeriesPoint;
    steps.push((cost(b) - cost(a)) / ((b.bodyBytes - a.bodyBytes) / 1000));
  }
  const first = steps[0] as number;
  return { steps, linear: steps.every((step) => step <= first * 1.5) };
}

function headlineLines(byGroup: Map<string, Row[]>, scenarios: readonly ScenarioInfo[]): string[] {
  const out = [
    '| request body | bytes | ours, `sodium` | vs Python | of the floor | ours, `node` | vs Python | bare Python | floor |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const scenario of scenarios) {
    const sodium = find(byGroup, scenario.group, SCENARIO_LABELS.sodium);
    if (sodium === undefined) continue;
    const node = find(byGroup, scenario.group, SCENARIO_LABELS.node);
    const python = find(byGroup, scenario.group, SCENARIO_LABELS.python);
    const floor = find(byGroup, scenario.group, SCENARIO_LABELS.floor);
    const us = (row: Row | undefined) => (row === undefined ? '–' : `${fmtMicros(row.micros)} µs`);
    const vs = (row: Row | undefined) =>
      row === undefined || python === undefined ? '–' : `${(python.micros / row.micros).toFixed(2)}×`;
    out.push(
      `| ${scenario.group.replace(/^invite: /, '')} | ${scenario.bodyBytes.toLocaleString('en-US')} | ${us(sodium)} | ${vs(sodium)} | ${floor === undefined ? '–' : `${Math.round((100 * floor.micros) / sodium.micros)} %`} | ${us(node)} | ${vs(node)} | ${us(python)} | ${us(floor)} |`,
    );
  }
  return out;
}

function scalingLines(points: readonly SeriesPoint[]): string[] {
  const out: string[] = [];
  for (const name of [...new Set(points.map((p) => p.series))]) {
    out.push(
      `| ${name} | body bytes | ours, \`sodium\` | bare Python | vs Python | \`JSON.parse\` of the body | GC per invite (ours) |`,
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const p of points.filter((x) => x.series === name)) {
      out.push(
        `| ${p.size} | ${p.bodyBytes.toLocaleString('en-US')} | ${fmtMicros(p.ours)} µs | ${p.python === undefined ? '–' : `${fmtMicros(p.python)} µs`} | ${p.python === undefined ? '–' : `${(p.python / p.ours).toFixed(2)}×`} | ${p.jsonParse === undefined ? '–' : `${fmtMicros(p.jsonParse)} µs`} | ${p.gc === undefined ? '–' : `${fmtMicros(p.gc)} µs`} |`,
      );
    }
    out.push('');
  }
  return out;
}

/** The goals (issue #14's scenario goals, then the older targets) as markdown tables, for the console too. */
export function renderGoals(measurements: readonly Measurement[], context: ReportContext): string {
  const byGroup = groups(measurements);
  const points = seriesPoints(byGroup, context.scenarios, context.gc);
  return [...goalLines(byGroup, points), '', ...targetLines(measurements)].join('\n');
}

/** What the report is rendered from besides the measurements. */
export interface ReportContext {
  readonly pythonStack: string | undefined;
  readonly gc: readonly GcFigure[];
  readonly load: { readonly start: readonly number[]; readonly end: readonly number[] };
  readonly scenarios: readonly ScenarioInfo[];
}

const isScenarioGroup = (group: string) => group.startsWith('invite: ');

/** The markdown report (docs/performance.md). */
export function renderReport(measurements: readonly Measurement[], context: ReportContext): string {
  const cpu = os.cpus();
  const byGroup = groups(measurements);
  const points = seriesPoints(byGroup, context.scenarios, context.gc);
  const lines = [
    '# Performance report',
    '',
    '<!-- Generated by `npm run bench -- --report` (bench/index.ts); the notes at the end come from bench/performance-notes.md. -->',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpu[0]?.model ?? 'an unknown CPU'} × ${cpu.length} cores, ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}; Node ${process.version}; ` +
      `${context.pythonStack ?? 'no Python stack found'} (Debian's packages; libsodium through PyNaCl). ` +
      `Load average (1, 5, 15 min): ${formatLoad(context.load.start)} at the start of the run, ` +
      `${formatLoad(context.load.end)} at the end (the machine is shared).`,
    '',
    'Each JavaScript figure is the median per-operation latency (tinybench), taken as the median of three rounds of',
    'half a second; each Python figure is the median of seven timeit batches, measured on the same input right after',
    'the JavaScript tasks of each of the three rounds, and again the median over the rounds. "vs Python" is Python',
    'time / our time: above 1 means faster than the Synapse stack.',
    '',
    '## Receiving an invite, against the bare Synapse helper path',
    '',
    '`receiveInvite` on v2 request bodies as Synapse sends them (canonical JSON, the stripped state both in',
    '`event.unsigned` and at the top level), raw bytes in, response bytes out, with every check of the library. The',
    'reference is the bare Synapse helper path in Python on the same bytes: `json.loads`, the content hash, the',
    "redaction, signedjson's `verify_signed_json`, the reference hash, `sign_json` and `json.dumps` of the response,",
    "and nothing else (no validation). The floor is sodium-native's `crypto_sign_verify_detached` +",
    '`crypto_sign_detached` on a message as long as the signing bytes: what any implementation pays; "of the floor"',
    'is floor time / our time.',
    '',
    ...headlineLines(byGroup, context.scenarios),
    '',
    '### Goals',
    '',
    ...goalLines(byGroup, points),
    '',
    '### Scaling, same run',
    '',
    'µs per invite as the body grows (`sodium`), and the garbage collector time per invite (from `gc` performance',
    'entries over a second of receives): linear growth means no size-dependent waste.',
    '',
    ...scalingLines(points),
    '## Against a heavier Python pipeline',
    '',
    'The `receive pipeline` group below compares with a Python pipeline that also validates like Synapse (strict',
    'canonical JSON walk, required keys, sender/state_key checks, canonical response): a slower reference, so larger',
    'ratios than the bare path above.',
    '',
    '## Targets',
    '',
    ...targetLines(measurements),
    '',
  ];
  for (const [group, list] of byGroup) {
    if (isScenarioGroup(group)) continue;
    const python = list.find(isPython);
    lines.push(`## ${group}`, '', '| task | ops/s | µs/op | vs Python |', '| --- | ---: | ---: | ---: |');
    for (const row of list)
      lines.push(`| ${row.label} | ${fmtOps(row.ops)} | ${fmtMicros(row.micros)} | ${ratio(row, python)} |`);
    lines.push('');
  }
  try {
    lines.push(readFileSync(new URL('./performance-notes.md', import.meta.url), 'utf8').trim(), '');
  } catch {
    // no notes
  }
  return lines.join('\n');
}
