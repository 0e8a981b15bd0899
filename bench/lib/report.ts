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

/** A target from the issue, checked on the paired ratio of mcpkit to another contender. */
export interface Target {
  label: string;
  scenario: string;
  key: string;
  subject: Contender;
  against: Contender;
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

/** The targets of the issue, as checks. */
export function targets(): Target[] {
  const t: Target[] = [
    {
      label: 'stdio sequential ≥ 0.8× raw',
      scenario: 'stdio-seq',
      key: 'rate',
      subject: 'mcpkit',
      against: 'raw',
      op: '>=',
      bound: 0.8,
    },
    {
      label: 'stdio 64 in flight ≥ 0.6× raw',
      scenario: 'stdio-64',
      key: 'rate',
      subject: 'mcpkit',
      against: 'raw',
      op: '>=',
      bound: 0.6,
    },
    {
      label: 'HTTP stateless 32 clients ≥ 0.5× raw',
      scenario: 'http-stateless-32',
      key: 'rate',
      subject: 'mcpkit',
      against: 'raw',
      op: '>=',
      bound: 0.5,
    },
    {
      label: 'HTTP stateful 32 clients ≥ 0.5× raw',
      scenario: 'http-stateful-32',
      key: 'rate',
      subject: 'mcpkit',
      against: 'raw',
      op: '>=',
      bound: 0.5,
    },
  ];
  for (const id of CALL_SCENARIOS) {
    t.push({
      label: `${id}: server CPU/call ≤ 2× raw`,
      scenario: id,
      key: 'cpu',
      subject: 'mcpkit',
      against: 'raw',
      op: '<=',
      bound: 2,
    });
  }
  t.push(
    {
      label: 'start-up ≤ 1.5× raw (sources)',
      scenario: 'startup',
      key: 'ms',
      subject: 'mcpkit',
      against: 'raw',
      op: '<=',
      bound: 1.5,
    },
    {
      label: 'start-up ≤ 1.5× raw (dist)',
      scenario: 'startup',
      key: 'ms',
      subject: 'mcpkit-dist',
      against: 'raw',
      op: '<=',
      bound: 1.5,
    },
    {
      label: 'memory per idle session ≤ 1/5 of v1',
      scenario: 'memory',
      key: 'heap',
      subject: 'mcpkit',
      against: 'v1',
      op: '<=',
      bound: 0.2,
    },
    {
      label: 'tools/list (100 tools) ≥ 10× v2',
      scenario: 'tools-list',
      key: 'rate',
      subject: 'mcpkit',
      against: 'v2',
      op: '>=',
      bound: 10,
    },
  );
  for (const id of [...CALL_SCENARIOS, 'tools-list', 'big-result']) {
    for (const sdk of ['v1', 'v2'] as const) {
      if (id.startsWith('http-modern') && sdk === 'v1') continue;
      t.push({
        label: `${id}: ≥ 3× ${sdk} throughput`,
        scenario: id,
        key: 'rate',
        subject: 'mcpkit',
        against: sdk,
        op: '>=',
        bound: 3,
      });
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
      const ratio = s ? pairedRatio(s, target.subject, target.against, target.key) : undefined;
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
    const measured = formatSpread(o.ratio, 2, '×');
    const met = o.met === undefined ? 'n/a' : o.met ? 'yes' : '**no**';
    lines.push(`| ${who}${o.target.label} | ${measured} of ${o.target.against} | ${met} |`);
  }
  return lines.join('\n');
}

/** The whole report as Markdown. */
export function markdownReport(header: string, results: readonly ScenarioResult[]): string {
  const parts = [header];
  for (const s of results) {
    parts.push(`### ${s.scenario.title}\n\n${s.scenario.detail}\n\n${scenarioTable(s)}`);
  }
  parts.push(`### Targets (mcpkit's ratio, paired per repetition)\n\n${targetTable(checkTargets(results))}`);
  return parts.join('\n\n') + '\n';
}
