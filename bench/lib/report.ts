/**
 * Turns repetitions into the report: medians with min–max, each SDK's ratio to raw paired per
 * repetition, and the targets, as Markdown.
 */
import type { Contender } from './proc.ts';
import type { Metrics, Scenario } from './scenario.ts';

/** What one contender produced in one scenario. */
export interface ContenderResult {
  contender: Contender;
  /** Metrics by repetition number (undefined where the repetition did not run). */
  reps: Array<Metrics | undefined>;
  /** Why it stopped, if it failed. */
  error?: string;
}

/** What one scenario produced. */
export interface ScenarioResult {
  scenario: Scenario;
  results: ContenderResult[];
}

/** A median with its range. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** The median, min and max of some numbers (undefined for none). */
export function spread(values: readonly number[]): Spread | undefined {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  const mid = v.length >> 1;
  const median = v.length % 2 === 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median, min: v[0], max: v[v.length - 1] };
}

function find(s: ScenarioResult, contender: Contender): ContenderResult | undefined {
  return s.results.find((r) => r.contender === contender);
}

/** One metric of a contender, over its repetitions. */
export function metricSpread(s: ScenarioResult, contender: Contender, key: string): Spread | undefined {
  const r = find(s, contender);
  return r ? spread(r.reps.flatMap((m) => (m ? [m[key]] : []))) : undefined;
}

/** `a ÷ b` for one metric, paired per repetition. */
export function pairedRatio(s: ScenarioResult, a: Contender, b: Contender, key: string): Spread | undefined {
  const ra = find(s, a);
  const rb = find(s, b);
  if (!ra || !rb) return undefined;
  const ratios: number[] = [];
  ra.reps.forEach((m, i) => {
    const other = rb.reps[i];
    if (m && other && other[key] !== 0) ratios.push(m[key] / other[key]);
  });
  return spread(ratios);
}

function num(x: number, digits: number): string {
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** `median (min–max)`. */
export function formatSpread(s: Spread | undefined, digits: number, suffix = ''): string {
  if (!s) return '—';
  if (s.min === s.max) return `${num(s.median, digits)}${suffix}`;
  return `${num(s.median, digits)}${suffix} (${num(s.min, digits)}–${num(s.max, digits)})`;
}

/** A target, checked on the paired ratio of mcpkit to another contender, or on mcpkit's own median. */
export interface Target {
  label: string;
  scenario: string;
  key: string;
  subject: Contender;
  /** The contender of the ratio; undefined: the bound is on the metric itself. */
  against: Contender | undefined;
  op: '>=' | '<=';
  bound: number;
}

const CALL_SCENARIOS = [
  'stdio-seq',
  'stdio-64',
  'http-stateless-seq',
  'http-stateless-32',
  'http-stateful-seq',
  'http-stateful-32',
  'http-modern-seq',
  'http-modern-32',
];

/** One target of the ratio of mcpkit to another contender. */
function target(
  label: string,
  scenario: string,
  key: string,
  op: '>=' | '<=',
  bound: number,
  against: Contender | null = 'raw',
): Target {
  return { label, scenario, key, subject: 'mcpkit', against: against ?? undefined, op, bound };
}

/** The performance targets, as checks (medians of paired ratios). */
export function targets(): Target[] {
  const t: Target[] = [
    target('stdio sequential ≥ 0.8× raw', 'stdio-seq', 'rate', '>=', 0.8),
    target('stdio 64 in flight ≥ 0.8× raw', 'stdio-64', 'rate', '>=', 0.8),
    target('HTTP stateless 32 clients ≥ 0.5× raw', 'http-stateless-32', 'rate', '>=', 0.5),
    target('HTTP stateless 32 clients: server CPU/call ≤ 1.5× raw', 'http-stateless-32', 'cpu', '<=', 1.5),
    target('HTTP 2026-07-28 32 clients ≥ 0.5× raw', 'http-modern-32', 'rate', '>=', 0.5),
    target('HTTP 2026-07-28 32 clients: server CPU/call ≤ 1.5× raw', 'http-modern-32', 'cpu', '<=', 1.5),
    target('HTTP stateful (SSE) 32 clients ≥ 0.4× raw', 'http-stateful-32', 'rate', '>=', 0.4),
    target(
      'memory: ≤ 12 KB RSS per idle session opened by McpClient, first 1,000 (KiB)',
      'memory',
      'rss',
      '<=',
      12000 / 1024,
      null,
    ),
    target(
      'memory: ≤ 12 KB RSS per idle session opened by McpClient, next 1,000 (KiB)',
      'memory',
      'rssNext',
      '<=',
      12000 / 1024,
      null,
    ),
    target('start-up of a stdio server ≤ 1.5× raw', 'startup', 'ms', '<=', 1.5),
  ];
  for (const id of CALL_SCENARIOS) {
    t.push(target(`${id}: McpClient CPU/call ≤ 2× the raw client's`, id, 'ccpu', '<=', 2));
  }
  for (const id of ['stdio-64', 'http-stateless-32']) {
    for (const sdk of ['v1', 'v2'] as const) {
      t.push(target(`${id}: ≥ 3× ${sdk} throughput`, id, 'rate', '>=', 3, sdk));
    }
  }
  return t;
}

/** A target's outcome. */
export interface TargetOutcome {
  target: Target;
  ratio: Spread | undefined;
  met: boolean | undefined;
}

/** Checks every target against the results. */
export function checkTargets(results: readonly ScenarioResult[]): TargetOutcome[] {
  const ran = new Set(results.map((r) => r.scenario.id));
  return targets()
    .filter((target) => ran.has(target.scenario))
    .map((target) => {
      const s = results.find((r) => r.scenario.id === target.scenario);
      const ratio = !s
        ? undefined
        : target.against === undefined
          ? metricSpread(s, target.subject, target.key)
          : pairedRatio(s, target.subject, target.against, target.key);
      const met =
        ratio === undefined
          ? undefined
          : target.op === '>='
            ? ratio.median >= target.bound
            : ratio.median <= target.bound;
      return { target, ratio, met };
    });
}

/** The Markdown table of one scenario. */
export function scenarioTable(s: ScenarioResult): string {
  const { scenario } = s;
  const head = [
    'contender',
    ...scenario.metrics.map((m) => m.label),
    ...scenario.ratioKeys.map((k) => `${label(scenario, k)} ÷ raw`),
  ];
  const lines = [
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
  ];
  for (const r of s.results) {
    if (r.reps.every((m) => m === undefined)) {
      lines.push(`| ${r.contender} | failed: ${(r.error ?? 'no data').replaceAll('|', '/').slice(0, 160)} |`);
      continue;
    }
    const cells = scenario.metrics.map((m) => formatSpread(metricSpread(s, r.contender, m.key), m.digits));
    const ratios = scenario.ratioKeys.map((k) =>
      r.contender === 'raw' ? '1' : formatSpread(pairedRatio(s, r.contender, 'raw', k), 2, '×'),
    );
    const note = r.error ? ` (stopped: ${r.error.replaceAll('|', '/').slice(0, 80)})` : '';
    lines.push(`| ${r.contender}${note} | ${[...cells, ...ratios].join(' | ')} |`);
  }
  return lines.join('\n');
}

function label(scenario: Scenario, key: string): string {
  return scenario.metrics.find((m) => m.key === key)?.label ?? key;
}

/** The Markdown table of the targets. */
export function targetTable(outcomes: readonly TargetOutcome[]): string {
  const lines = ['| target | measured (median, min–max) | met |', '| --- | ---: | :---: |'];
  for (const o of outcomes) {
    const who = o.target.subject === 'mcpkit' ? '' : `${o.target.subject} `;
    const measured =
      o.target.against === undefined
        ? formatSpread(o.ratio, 2)
        : `${formatSpread(o.ratio, 2, '×')} of ${o.target.against}`;
    const met = o.met === undefined ? 'n/a' : o.met ? 'yes' : '**no**';
    lines.push(`| ${who}${o.target.label} | ${measured} | ${met} |`);
  }
  return lines.join('\n');
}

/** The whole report as Markdown. */
export function markdownReport(header: string, results: readonly ScenarioResult[]): string {
  const parts = [header];
  for (const s of results) {
    parts.push(`### ${s.scenario.title}\n\n${s.scenario.detail}\n\n${scenarioTable(s)}`);
  }
  const outcomes = checkTargets(results);
  if (outcomes.length > 0) {
    parts.push(`### Targets (mcpkit's ratio, paired per repetition)\n\n${targetTable(outcomes)}`);
  }
  return parts.join('\n\n') + '\n';
}
