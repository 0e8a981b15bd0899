/** Turns the outcomes of the legs into the table the runner prints (and STATUS.md). */
import type { LegOutcome } from './results.ts';

/** The printed report. */
export interface Report {
  /** Plain text for the terminal. */
  text: string;
  /** The same as Markdown, for conformance/STATUS.md. */
  markdown: string;
  /** True when no leg has a FAILURE or a WARNING. */
  clean: boolean;
}

interface Row {
  leg: string;
  scenarios: number;
  passed: number;
  failed: number;
  warnings: number;
  problems: string[];
}

function rowOf(o: LegOutcome): Row {
  const row: Row = {
    leg: o.leg,
    scenarios: o.scenarios.length,
    passed: 0,
    failed: 0,
    warnings: 0,
    problems: [],
  };
  if (o.error) row.problems.push(`FAILURE (leg) ${o.error}`);
  for (const w of o.warnings ?? []) row.problems.push(`WARNING (leg) ${w}`);
  for (const s of o.scenarios) {
    const failed = s.problems.some((p) => p.status === 'FAILURE');
    if (failed) row.failed++;
    else if (s.problems.length > 0) row.warnings++;
    else row.passed++;
    for (const p of s.problems) {
      const id = p.id === s.scenario ? s.scenario : `${s.scenario}/${p.id}`;
      row.problems.push(
        `${p.status === 'WARNING' ? 'WARNING' : 'FAILURE'} ${id}${p.message ? ` — ${oneLine(p.message)}` : ''}`,
      );
    }
  }
  return row;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}…` : flat;
}

function pad(text: string | number, width: number): string {
  return String(text).padEnd(width);
}

/** Builds the report. Scenario counts: passed, failed (any FAILURE), warnings (WARNING only). */
export function formatReport(outcomes: LegOutcome[]): Report {
  const rows = outcomes.map(rowOf);
  const clean = rows.every((r) => r.failed === 0 && r.warnings === 0 && r.problems.length === 0);
  const head = ['leg', 'scenarios', 'passed', 'failed', 'warnings'];
  const widths = [14, 10, 8, 8, 8];
  const lines = [head.map((h, i) => pad(h, widths[i] as number)).join(' ')];
  for (const r of rows) {
    lines.push(
      [r.leg, r.scenarios, r.passed, r.failed, r.warnings]
        .map((v, i) => pad(v, widths[i] as number))
        .join(' '),
    );
  }
  const md = ['| leg | scenarios | passed | failed | warnings |', '|---|---|---|---|---|'];
  for (const r of rows) md.push(`| ${r.leg} | ${r.scenarios} | ${r.passed} | ${r.failed} | ${r.warnings} |`);
  for (const r of rows) {
    if (r.problems.length === 0) continue;
    lines.push('', `${r.leg}:`, ...r.problems.map((p) => `  ${p}`));
    md.push('', `### ${r.leg}`, '', ...r.problems.map((p) => `- ${p.replace(/\|/g, '\\|')}`));
  }
  lines.push('', clean ? 'conformance: every scenario of every leg passed.' : 'conformance: FAILED.');
  const markdown = [
    '# Conformance status',
    '',
    'The latest `npm run conformance` (`node conformance/run.ts --status`), suite',
    '`@modelcontextprotocol/conformance` 0.2.0-alpha.12. Legs: server `--suite all`, server',
    '`--suite all --spec-version 2026-07-28`, client `--suite all`, client `--suite all',
    '--spec-version 2026-07-28`, and authorization: `conformance authorization` (every',
    'authorization-server scenario) against the development authorization server as `npm run',
    'auth-server` starts it, with a public client registered by Dynamic Client Registration and the',
    'authorization redirect delivered to the suite by a script. Scenario counts; a scenario with a',
    'WARNING and no FAILURE counts under warnings (in the authorization leg a SKIPPED check counts',
    'as a WARNING).',
    '',
    ...md,
    '',
  ].join('\n');
  return { text: lines.join('\n'), markdown, clean };
}
