/** Reads what one run of the conformance CLI left behind: its summary lines and its result files. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** One check of a scenario, as the suite writes it to checks.json. */
export interface Check {
  id: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | 'SKIPPED';
  errorMessage?: string;
}

/** The outcome of one scenario. */
export interface ScenarioOutcome {
  scenario: string;
  /** Ids of the checks that ended in FAILURE or WARNING, with the status and message. */
  problems: Array<{ id: string; status: 'FAILURE' | 'WARNING'; message: string }>;
}

/** The outcome of one leg. */
export interface LegOutcome {
  leg: string;
  scenarios: ScenarioOutcome[];
  /** Set when the CLI itself could not run (bad arguments, crash). */
  error?: string;
  /** Problems of the leg as a whole that no check records (e.g. clients that timed out). */
  warnings?: string[];
}

const STAMP = /-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;

function findCheckFiles(dir: string): string[] {
  let out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(findCheckFiles(path));
    else if (name === 'checks.json') out.push(path);
  }
  return out;
}

/** Which command of the CLI a leg runs. */
export type LegMode = 'server' | 'client' | 'authorization';

/** Maps each scenario to its checks, from the `-o` directory of one run. */
export function readCheckFiles(dir: string, mode: LegMode): Map<string, Check[]> {
  const found = new Map<string, Check[]>();
  for (const file of findCheckFiles(dir)) {
    const folder = relative(dir, file).split(sep).slice(0, -1).join('/');
    let scenario = folder.replace(STAMP, '');
    if (mode === 'server') scenario = scenario.replace(/^server-/, '');
    if (mode === 'authorization') scenario = scenario.replace(/^authorization-server-(?=authorization-)/, '');
    found.set(scenario, JSON.parse(readFileSync(file, 'utf8')) as Check[]);
  }
  return found;
}

/** The scenario names and their failed-check counts from the CLI's summary lines. */
export function readSummary(stdout: string): Map<string, number> {
  const out = new Map<string, number>();
  const at = stdout.lastIndexOf('SUMMARY ===');
  if (at < 0) return out;
  for (const line of stdout.slice(at).split('\n')) {
    const m = /^[✓✗] (\S+): \d+ passed, (\d+) failed/.exec(line.trim());
    if (m) out.set(m[1] as string, Number(m[2]));
  }
  return out;
}

/** The message the CLI printed for a scenario that threw before writing its results. */
function crashMessage(stdout: string, scenario: string): string {
  const line = stdout.split('\n').find((l) => l.startsWith(`Failed to run scenario ${scenario}:`));
  return line ? line.slice(line.indexOf(':') + 1).trim() : 'the scenario did not run to completion';
}

/**
 * Combines the summary and the result files into the outcome of a leg. In the authorization leg a
 * SKIPPED check counts as a WARNING: there a skip means a scenario did not run at all.
 */
export function legOutcome(leg: string, stdout: string, dir: string, mode: LegMode): LegOutcome {
  const summary = readSummary(stdout);
  const checks = readCheckFiles(dir, mode);
  if (summary.size === 0) return { leg, scenarios: [], error: 'the CLI printed no summary' };
  const scenarios: ScenarioOutcome[] = [];
  for (const [scenario, failed] of summary) {
    const list = checks.get(scenario);
    const problems: ScenarioOutcome['problems'] = [];
    if (list) {
      for (const c of list) {
        if (c.status === 'FAILURE' || c.status === 'WARNING')
          problems.push({ id: c.id, status: c.status, message: c.errorMessage ?? '' });
        else if (c.status === 'SKIPPED' && mode === 'authorization')
          problems.push({ id: c.id, status: 'WARNING', message: `skipped: ${c.errorMessage ?? ''}` });
      }
    } else if (failed > 0) {
      problems.push({ id: scenario, status: 'FAILURE', message: crashMessage(stdout, scenario) });
    }
    scenarios.push({ scenario, problems });
  }
  return { leg, scenarios };
}
