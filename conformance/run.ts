/**
 * Runs the official conformance suite against mcpkit: the everything-server under both server legs
 * (`--suite all` on the stateful wire, and at 2026-07-28), the everything-client under both client
 * legs, and the development authorization server (`npm run auth-server`) under the authorization
 * leg, then prints one table and exits non-zero on any FAILURE or WARNING.
 *
 *   node conformance/run.ts [--leg NAME]... [--out DIR] [--status] [--verbose]
 *
 * `--status` also writes the table to conformance/STATUS.md.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runAuthorizationLeg } from './authorization-leg.ts';
import { formatReport } from './report.ts';
import { type LegMode, type LegOutcome, legOutcome } from './results.ts';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const MODERN = '2026-07-28';

interface Leg {
  name: string;
  mode: LegMode;
  args: string[];
}

const LEGS: Leg[] = [
  { name: 'server', mode: 'server', args: ['--suite', 'all'] },
  { name: 'server-2026', mode: 'server', args: ['--suite', 'all', '--spec-version', MODERN] },
  // The suite starts every client at once; on two busy cores fifty Node start-ups can take longer
  // than the default 30 s per client, so each gets 120 s (a client that hangs still fails).
  { name: 'client', mode: 'client', args: ['--suite', 'all', '--timeout', '120000'] },
  {
    name: 'client-2026',
    mode: 'client',
    args: ['--suite', 'all', '--spec-version', MODERN, '--timeout', '120000'],
  },
  { name: 'authorization', mode: 'authorization', args: [] },
];

const CLIENT_COMMAND = 'node conformance/everything-client.ts';

/**
 * The environment of every child: the Node running this script comes first on PATH, and compiled
 * code is cached (the client suite starts some fifty clients at once).
 */
const CHILD_ENV = {
  ...process.env,
  PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
  NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? join(tmpdir(), 'mcpkit-conformance-compile-cache'),
};

function conformanceBin(): string {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('@modelcontextprotocol/conformance/package.json');
  const pkg = require(pkgPath) as { bin: string | Record<string, string> };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : (pkg.bin.conformance ?? Object.values(pkg.bin)[0]);
  return join(dirname(pkgPath), bin as string);
}

/** Starts the everything-server and resolves with its URL. */
function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(ROOT, 'conformance/everything-server.ts')], {
    cwd: ROOT,
    env: { ...CHILD_ENV, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const m = /listening (\S+)/.exec(seen);
      if (m) resolve({ url: m[1] as string, child });
    });
    child.once('exit', (code) => reject(new Error(`The everything-server exited early (code ${code}).`)));
  });
}

/** Runs the conformance CLI and resolves with its stdout and stderr; an abort kills it. */
function runCli(
  args: string[],
  verbose: boolean,
  options: { onStdout?: (text: string) => void; signal?: AbortSignal } = {},
): Promise<{ stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [conformanceBin(), ...args], {
    cwd: ROOT,
    env: CHILD_ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.signal ? { signal: options.signal } : {}),
  });
  child.on('error', () => {}); // an abort surfaces as an early close
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    options.onStdout?.(chunk.toString());
    if (verbose) process.stderr.write(chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (verbose) process.stderr.write(chunk);
  });
  return new Promise((resolve) => child.once('close', () => resolve({ stdout, stderr })));
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      leg: { type: 'string', multiple: true },
      out: { type: 'string' },
      status: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
    },
  });
  const chosen = values.leg?.length ? LEGS.filter((l) => values.leg?.includes(l.name)) : LEGS;
  if (chosen.length === 0) {
    console.error(`No such leg; choose from ${LEGS.map((l) => l.name).join(', ')}.`);
    return 2;
  }
  const out = values.out ?? mkdtempSync(join(tmpdir(), 'mcpkit-conformance-'));
  const needsServer = chosen.some((l) => l.mode === 'server');
  const server = needsServer ? await startServer() : undefined;
  const outcomes: LegOutcome[] = [];
  try {
    for (const leg of chosen) {
      const dir = join(out, leg.name);
      rmSync(dir, { recursive: true, force: true });
      process.stderr.write(`conformance: running leg ${leg.name}…\n`);
      if (leg.mode === 'authorization') {
        const run = await runAuthorizationLeg(ROOT, CHILD_ENV, dir, (args, options) =>
          runCli(args, values.verbose === true, options),
        );
        const outcome = legOutcome(leg.name, run.stdout, dir, leg.mode);
        if (run.error) outcome.error = run.error;
        outcomes.push(outcome);
        continue;
      }
      const target = leg.mode === 'server' ? ['--url', server?.url as string] : ['--command', CLIENT_COMMAND];
      const { stdout, stderr } = await runCli(
        [leg.mode, ...target, ...leg.args, '-o', dir],
        values.verbose === true,
      );
      const outcome = legOutcome(leg.name, stdout, dir, leg.mode);
      const timedOut = stderr.split('Client timed out after').length - 1;
      if (timedOut > 0) outcome.warnings = [`${timedOut} client run(s) timed out`];
      outcomes.push(outcome);
    }
  } finally {
    server?.child.kill('SIGTERM');
    if (values.out === undefined) rmSync(out, { recursive: true, force: true });
  }
  const report = formatReport(outcomes);
  console.log(report.text);
  if (values.status) writeFileSync(join(ROOT, 'conformance/STATUS.md'), report.markdown);
  return report.clean ? 0 : 1;
}

process.exitCode = await main();
