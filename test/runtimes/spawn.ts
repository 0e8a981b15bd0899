/**
 * Starting a server under another runtime for a test: a child process on a free loopback port, waited
 * for until it answers, and stopped (its whole process group) when the test is done.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The path of a binary that a devDependency installs. */
export function binary(name: string): string {
  return `${ROOT}node_modules/.bin/${name}`;
}

/** A loopback port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port was assigned');
  return address.port;
}

/** A running server process. */
export interface RuntimeServer {
  /** The Streamable HTTP endpoint, `http://127.0.0.1:port/mcp`. */
  url: string;
  /** Everything the process wrote, for failure messages. */
  output(): string;
  /** Stops the process and waits for it to exit. */
  stop(): Promise<void>;
}

/** Spawns `command args`, then polls `http://127.0.0.1:port/mcp` until it answers (at most `timeoutMs`). */
export async function startServer(
  command: string,
  args: string[],
  port: number,
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<RuntimeServer> {
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await exited;
  };
  const url = `http://127.0.0.1:${port}/mcp`;
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${command} exited before serving:\n${output}`);
    }
    try {
      const response = await fetch(url, { method: 'GET', signal: AbortSignal.timeout(1000) });
      await response.body?.cancel();
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`${command} did not answer on ${url} in time:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return { url, output: () => output, stop };
}
