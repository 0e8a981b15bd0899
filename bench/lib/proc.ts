/**
 * Processes under test: where the server programs are, how they are started (node flags, CPU
 * pinning), and how much CPU a process has used, read from /proc/<pid>/stat.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ServerMode } from '../servers/shared.ts';

/** The implementations compared. */
export type Contender = 'raw' | 'mcpkit' | 'v1' | 'v2';

/** How server processes are started, for the whole run. */
export interface ProcessPolicy {
  /** The CPU server processes are pinned to, or undefined when not pinning. */
  serverCpu: number | undefined;
  /** Directory for `--cpu-prof` profiles of mcpkit servers, or undefined. */
  profileDir: string | undefined;
  /** Profile every contender's server, not only mcpkit's. */
  profileAll: boolean;
  /** Node flags every server runs with, besides the bench's own. */
  serverFlags: readonly string[];
}

/** The program file of a contender's server (beside this file: .ts sources, or the compiled .js). */
export function serverFile(contender: Contender): string {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return fileURLToPath(new URL(`../servers/${contender}${ext}`, import.meta.url));
}

let profiles = 0;

/** The node flags a contender's server runs with (each profile gets a file of its own). */
export function serverNodeArgs(contender: Contender, policy: ProcessPolicy): string[] {
  const args = ['--expose-gc', ...policy.serverFlags];
  const profiled = contender === 'mcpkit' || policy.profileAll;
  if (policy.profileDir && profiled) {
    args.push(
      '--cpu-prof',
      `--cpu-prof-dir=${policy.profileDir}`,
      `--cpu-prof-name=${contender}-${process.pid}-${++profiles}.cpuprofile`,
    );
  }
  return args;
}

/**
 * The environment of a contender's server: only what node needs, and NODE_COMPILE_CACHE when set (to
 * measure start-up with Node's compile cache, Node 22.1 and later).
 */
export function serverEnv(_contender: Contender): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'LANG', 'NODE_COMPILE_CACHE']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/** The full argument list to start a contender's server with `process.execPath`. */
export function serverArgv(
  contender: Contender,
  mode: ServerMode,
  tools: number,
  policy: ProcessPolicy,
): string[] {
  return [...serverNodeArgs(contender, policy), serverFile(contender), mode, '--tools', String(tools)];
}

let ticksPerSecond: number | undefined;

/** CPU time (user + system, all threads) a process has used so far, in µs, from /proc/<pid>/stat (10 ms steps). */
export function processCpuMicros(pid: number): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command name: state is field 3; utime and stime are fields 14 and 15.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1e6) / ticksPerSecond;
}

/** Nanoseconds on CPU of each thread of a process, from /proc/<pid>/task/<tid>/schedstat. */
function threadCpuNanos(pid: number): Map<string, number> | undefined {
  const times = new Map<string, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        times.set(tid, Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]));
      } catch {
        // the thread ended meanwhile
      }
    }
  } catch {
    return undefined;
  }
  return times.size > 0 ? times : undefined;
}

/**
 * Starts measuring a process's CPU time; the returned function gives the µs used since. Per-thread
 * scheduler statistics (ns precision) when the kernel has them, else /proc/<pid>/stat.
 */
export function startCpuMeter(pid: number): () => number {
  const before = threadCpuNanos(pid);
  if (!before) {
    const start = processCpuMicros(pid);
    return () => processCpuMicros(pid) - start;
  }
  return () => {
    const after = threadCpuNanos(pid) ?? new Map<string, number>();
    let nanos = 0;
    for (const [tid, ns] of after) nanos += ns - (before.get(tid) ?? 0);
    return nanos / 1000;
  };
}

/** Pins every thread of a process to one CPU; false when that is not possible here. */
export function pinProcess(pid: number, cpu: number): boolean {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Whether a CPU number is usable for pinning on this machine (taskset present, enough CPUs). */
export function canPin(cpus: number): boolean {
  if (cpus < 2) return false;
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A server process listening on HTTP. */
export interface HttpServerProcess {
  /** The MCP endpoint, e.g. `http://127.0.0.1:41234/mcp`. */
  readonly url: string;
  /** The base URL. */
  readonly base: string;
  /** The process id. */
  readonly pid: number;
  /** Stops it (SIGTERM, so that profiles are written) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts a contender's HTTP server and waits for the port it prints. */
export async function startHttpServer(
  contender: Contender,
  mode: ServerMode,
  tools: number,
  policy: ProcessPolicy,
): Promise<HttpServerProcess> {
  const child = spawn(process.execPath, serverArgv(contender, mode, tools, policy), {
    env: serverEnv(contender),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const fail = (code: number | null) =>
      reject(new Error(`${contender} ${mode} server exited (code ${code}) before listening`));
    child.once('exit', fail);
    lines.once('line', (line) => {
      child.off('exit', fail);
      lines.close();
      resolve((JSON.parse(line) as { port: number }).port);
    });
  });
  const pid = child.pid!;
  if (policy.serverCpu !== undefined) pinProcess(pid, policy.serverCpu);
  const base = `http://127.0.0.1:${port}`;
  return { url: `${base}/mcp`, base, pid, stop: () => stopChild(child) };
}

/** Sends SIGTERM and waits for the exit (SIGKILL after 5 s). */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
