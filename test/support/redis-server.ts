/**
 * A real redis-server for the Redis tests, on a free loopback port, without persistence. When
 * redis-server is missing, set-up installs it with apt-get (as root) or fails saying how to.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A running redis-server. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Stops it (SIGKILL: Redis vanishes at once, as in an outage). */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty: no persistence). */
  start(): Promise<void>;
}

/** The Debian package of each Redis program the tests run. */
const PACKAGES = {
  'redis-server': 'redis-server',
  'redis-sentinel': 'redis-sentinel',
  'redis-cli': 'redis-tools',
};

function installed(program: string): boolean {
  try {
    execFileSync(program, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes sure the Redis programs can run (redis-server by default): installs the missing ones with
 * apt-get as root, or throws a clear error.
 */
export function ensureRedisServer(programs: (keyof typeof PACKAGES)[] = ['redis-server']): void {
  const missing = () => programs.filter((p) => !installed(p));
  if (missing().length === 0) return;
  const packages = [...new Set(missing().map((p) => PACKAGES[p]))].join(' ');
  if (process.getuid?.() === 0) {
    try {
      execFileSync('sh', ['-c', `apt-get update -qq && apt-get install -y -qq ${packages}`], {
        stdio: 'ignore',
        timeout: 300_000,
      });
    } catch {
      // reported below
    }
    if (missing().length === 0) return;
  }
  throw new Error(
    `${missing().join(', ')} not installed and could not be installed here; install them (Debian/Ubuntu: apt-get install -y ${packages}) and run the tests again.`,
  );
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function launch(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.resume();
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out.slice(-500)}`)));
  });
}

/** Starts a redis-server on a free port. */
export async function startRedisServer(): Promise<RedisServer> {
  ensureRedisServer();
  const port = await freePort();
  let child: ChildProcess | undefined = await launch(port);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      const c = child;
      child = undefined;
      if (!c || c.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill('SIGKILL');
      });
    },
    start: async () => {
      child ??= await launch(port);
    },
  };
}
