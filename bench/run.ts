/**
 * The benchmark: mcpkit, the official SDK v1 and v2, and a raw baseline, in one run with the
 * repetitions interleaved. `npm run bench` (about 8 minutes), `npm run bench -- --quick` (about one).
 * See docs/PERFORMANCE.md for what is measured and the latest numbers.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { type Contender, canPin, type ProcessPolicy, pinProcess } from './lib/proc.ts';
import { type ContenderResult, checkTargets, markdownReport, type ScenarioResult } from './lib/report.ts';
import type { Metrics, Runner, RunSettings } from './lib/scenario.ts';
import { SCENARIOS } from './lib/scenarios.ts';

const USAGE = `usage: npm run bench -- [options]
  --quick              about one minute: 2 short repetitions, 200 sessions
  --reps N             repetitions (default 8; quick 2; memory at most 3, start-up at most 4)
  --window MS          measured window per repetition (default 900; quick 200)
  --warmup MS          warm-up before the first repetition (default 1000; quick 150)
  --sessions N         sessions in the memory scenario (default 1000; quick 200)
  --spawns N           spawns per repetition of the start-up and import scenarios (default 4; quick 2;
                       import at least 3)
  --only a,b           only scenarios whose id starts with one of these (stdio, http-stateful, memory, import, ...)
  --contenders a,b     only these contenders (raw, mcpkit, v1, v2)
  --node PATH          (npm run bench) the Node that runs the benchmark, clients and servers
                       (default: the Node that runs npm, the machine's own)
  --profile DIR        run mcpkit's servers with --cpu-prof, profiles written to DIR
  --profile-all        with --profile: every contender's server
  --server-flags=F     node flags for every server, space-separated (e.g. --server-flags=--max-semi-space-size=1)
  --no-pin             do not pin the load generator and the servers to separate CPUs
  --json FILE          write every repetition's numbers as JSON
  --md FILE            write the Markdown report to FILE too
Servers get only PATH, HOME, LANG and NODE_COMPILE_CACHE from the environment; set the last (Node 22.1+)
to measure start-up with Node's compile cache.`;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    reps: { type: 'string' },
    window: { type: 'string' },
    warmup: { type: 'string' },
    sessions: { type: 'string' },
    spawns: { type: 'string' },
    only: { type: 'string' },
    contenders: { type: 'string' },
    profile: { type: 'string' },
    'profile-all': { type: 'boolean', default: false },
    'server-flags': { type: 'string' },
    'no-pin': { type: 'boolean', default: false },
    json: { type: 'string' },
    md: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const quick = values.quick;
const int = (value: string | undefined, fallback: number) =>
  value === undefined ? fallback : Number.parseInt(value, 10);
const reps = int(values.reps, quick ? 2 : 8);
const list = (value: string | undefined) =>
  value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const only = list(values.only);
const contenderFilter = list(values.contenders);

const cpus = os.availableParallelism();
const pinned = !values['no-pin'] && canPin(cpus) && pinProcess(process.pid, 0);
const policy: ProcessPolicy = {
  serverCpu: pinned ? 1 : undefined,
  profileDir: values.profile,
  profileAll: values['profile-all'],
  serverFlags: values['server-flags']?.split(' ').filter(Boolean) ?? [],
};
const settings: RunSettings = {
  policy,
  windowMs: int(values.window, quick ? 200 : 900),
  warmupMs: int(values.warmup, quick ? 150 : 1000),
  sessions: int(values.sessions, quick ? 200 : 1000),
  spawns: int(values.spawns, quick ? 2 : 4),
};

const scenarios = SCENARIOS.filter((s) => !only || only.some((prefix) => s.id.startsWith(prefix)));
if (scenarios.length === 0) {
  console.error(
    `No scenario matches --only ${values.only}. Scenarios: ${SCENARIOS.map((s) => s.id).join(', ')}`,
  );
  process.exit(2);
}

function log(text: string): void {
  process.stderr.write(`${text}\n`);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Rejects when `promise` takes longer than `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function brief(m: Metrics): string {
  return Object.entries(m)
    .map(([k, v]) => `${k}=${v.toPrecision(4)}`)
    .join(' ');
}

const LIMIT_MS = 120_000;
const loadBefore = os.loadavg()[0];
const started = performance.now();
const results: ScenarioResult[] = [];

for (const scenario of scenarios) {
  const contenders = scenario.contenders.filter((c) => !contenderFilter || contenderFilter.includes(c));
  const entries: ContenderResult[] = contenders.map((contender) => ({ contender, reps: [] }));
  const runners = new Map<Contender, Runner>();
  log(`\n[${scenario.id}] ${scenario.title}`);
  // Set-ups run side by side (they are not measured); warm-ups one after another.
  await Promise.all(
    entries.map(async (entry) => {
      try {
        runners.set(
          entry.contender,
          await within(scenario.setup(entry.contender, settings), LIMIT_MS, 'set-up'),
        );
      } catch (error) {
        entry.error = message(error);
        log(`  ${entry.contender}: set-up failed: ${entry.error}`);
      }
    }),
  );
  for (const entry of entries) {
    const runner = runners.get(entry.contender);
    if (!runner) continue;
    try {
      await within(runner.warmup(), LIMIT_MS, 'warm-up');
    } catch (error) {
      entry.error = message(error);
      log(`  ${entry.contender}: warm-up failed: ${entry.error}`);
      runners.delete(entry.contender);
      await runner.close().catch(() => {});
    }
  }
  const scenarioReps = Math.min(reps, scenario.maxReps ?? reps);
  for (let rep = 0; rep < scenarioReps; rep++) {
    const shift = rep % entries.length;
    const order = [...entries.slice(shift), ...entries.slice(0, shift)];
    for (const entry of order) {
      const runner = runners.get(entry.contender);
      if (!runner) continue;
      try {
        const m = await within(runner.measure(), settings.windowMs + LIMIT_MS, 'measurement');
        entry.reps[rep] = m;
        log(`  rep ${rep + 1}/${scenarioReps} ${entry.contender.padEnd(11)} ${brief(m)}`);
      } catch (error) {
        entry.error = message(error);
        log(`  rep ${rep + 1}/${scenarioReps} ${entry.contender}: failed: ${entry.error}`);
        runners.delete(entry.contender);
        await runner.close().catch(() => {});
      }
    }
  }
  await Promise.all([...runners.values()].map((r) => r.close().catch(() => {})));
  results.push({ scenario, results: entries });
}

const minutes = (performance.now() - started) / 60_000;
/** The command as typed (bench/launch.mjs passes it on, `--node` included), with NODE_COMPILE_CACHE when set. */
const typed = process.env.MCPKIT_BENCH_ARGS
  ? (JSON.parse(process.env.MCPKIT_BENCH_ARGS) as string[])
  : process.argv.slice(2);
const command = `${process.env.NODE_COMPILE_CACHE ? `NODE_COMPILE_CACHE=${process.env.NODE_COMPILE_CACHE} ` : ''}npm run bench${typed.length > 0 ? ` -- ${typed.join(' ')}` : ''}`;
const cpu = os.cpus()[0];
const header = [
  `## Results (${quick ? '--quick' : 'full'} run, ${new Date().toISOString().slice(0, 10)})`,
  '',
  `- Command: \`${command}\`; ${reps} repetitions, ${settings.windowMs} ms windows after ${settings.warmupMs} ms warm-up; took ${minutes.toFixed(1)} min.`,
  `- Machine: ${cpus} × ${cpu?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}; Node ${process.versions.node} (${process.execPath}) for the load generator and every server.`,
  `- Load average (1 min) ${loadBefore.toFixed(1)} at the start, ${os.loadavg()[0].toFixed(1)} at the end (anything well above 0 means other programs shared the CPUs).`,
  `- Processes: the load generator (all clients) is this process${pinned ? ', pinned to CPU 0' : ''}; each server is its own process${pinned ? ', pinned to CPU 1' : ''}. Every contender is imported by package name as an installed application would: mcpkit through its public exports (resolved to the built \`dist/\`), the official SDKs from their published builds.`,
  '- Each cell: median over repetitions (min–max). Ratios are paired per repetition: SDK ÷ raw of the same repetition.',
].join('\n');

const report = markdownReport(header, results);
process.stdout.write(`\n${report}`);
if (values.md) writeFileSync(values.md, report);
if (values.json) {
  const data = {
    date: new Date().toISOString(),
    settings: { ...settings, reps, quick, pinned },
    machine: {
      cpus,
      model: cpu?.model,
      memory: os.totalmem(),
      os: `${os.type()} ${os.release()}`,
      node: process.versions.node,
    },
    scenarios: results.map((s) => ({ id: s.scenario.id, results: s.results })),
    targets: checkTargets(results).map((o) => ({
      label: o.target.label,
      against: o.target.against,
      ratio: o.ratio,
      met: o.met,
    })),
  };
  writeFileSync(values.json, JSON.stringify(data, null, 2));
}
process.exit(0);
