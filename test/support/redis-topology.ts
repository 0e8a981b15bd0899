/**
 * Real Redis topologies for the tests, from Debian's redis-server and redis-sentinel, on loopback
 * (127.0.0.1, free ports, a temporary directory each): a Redis Cluster of 3 primaries with a replica
 * each (`redis-cli --cluster create`), and a primary with a replica watched by 3 Sentinels. `stop()`
 * kills every process it started and removes the directory.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureRedisServer, freePort } from './redis-server.ts';

const run = promisify(execFile);

/** A redis-server or redis-sentinel process. */
export interface RedisProcess {
  readonly port: number;
  readonly child: ChildProcess;
  /** Kills it with SIGKILL and waits for it to exit. */
  kill(): Promise<void>;
  /** Starts it again, same port, settings and directory (a cluster node rejoins as it left). */
  restart(): Promise<RedisProcess>;
}

/** A running topology. */
export interface Topology {
  /** REDIS_URL for the nodes. */
  readonly url: string;
  /** Kills every process and removes the temporary directory. */
  stop(): Promise<void>;
}

/** A Redis Cluster. */
export interface ClusterTopology extends Topology {
  readonly primaries: RedisProcess[];
  readonly replicas: RedisProcess[];
}

/** A primary and a replica behind Sentinel. */
export interface SentinelTopology extends Topology {
  readonly primary: RedisProcess;
  /** The first replica. */
  readonly replica: RedisProcess;
  readonly replicas: RedisProcess[];
  readonly sentinels: RedisProcess[];
  /** The port of the primary the sentinels name now. */
  currentPrimary(): Promise<number>;
}

/** Runs redis-cli against a port; resolves with its output. */
export async function cli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], {
    timeout: 10_000,
  });
  return stdout;
}

/** Waits until `check` passes (polled every 100 ms), or fails saying what did not happen. */
export async function until(check: () => Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every process started, so that `stop()` kills restarted ones too. */
type Started = RedisProcess[];

function launch(program: string, args: string[], port: number, started: Started): Promise<RedisProcess> {
  const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => {
    out = (out + c.toString()).slice(-2000);
  });
  child.stderr?.resume();
  const proc: RedisProcess = {
    port,
    child,
    kill: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGKILL');
      }),
    restart: () => launch(program, args, port, started),
  };
  started.push(proc);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${program} exited (${code}): ${out}`)));
    until(async () => (await cli(port, 'ping')).trim() === 'PONG', `${program} on port ${port}`).then(
      () => resolve(proc),
      reject,
    );
  });
}

const SERVER = ['--bind', '127.0.0.1', '--save', '', '--protected-mode', 'no'];

/** Starts a Redis Cluster of `primaries` primaries, each with `replicas` replicas. */
export async function startRedisCluster(
  primaries = 3,
  replicas = 1,
  /** Redis settings of every node (e.g. `--appendonly yes`). */
  serverArgs = ['--appendonly', 'no'],
): Promise<ClusterTopology> {
  ensureRedisServer(['redis-server', 'redis-cli']);
  const dir = mkdtempSync(join(tmpdir(), 'mcpkit-cluster-'));
  const procs: RedisProcess[] = [];
  const started: Started = [];
  const stop = async () => {
    await Promise.all(started.map((p) => p.kill()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < primaries * (1 + replicas); i++) {
      const port = await freePort();
      const busPort = await freePort();
      const data = join(dir, String(port));
      mkdirSync(data);
      const proc = await launch(
        'redis-server',
        [
          '--port',
          String(port),
          '--cluster-port',
          String(busPort),
          ...SERVER,
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${port}.conf`,
          '--cluster-node-timeout',
          '1000',
          '--dir',
          data,
          ...serverArgs,
        ],
        port,
        started,
      );
      procs.push(proc);
    }
    const addresses = procs.map((p) => `127.0.0.1:${p.port}`);
    await run(
      'redis-cli',
      ['--cluster', 'create', ...addresses, '--cluster-replicas', String(replicas), '--cluster-yes'],
      {
        timeout: 60_000,
      },
    );
    for (const p of procs) {
      await until(
        async () => (await cli(p.port, 'cluster', 'info')).includes('cluster_state:ok'),
        'cluster_state:ok',
      );
    }
    // Every node must know every other and each replica its primary, before clients ask for slots.
    await until(async () => {
      for (const p of procs) {
        const nodes = (await cli(p.port, 'cluster', 'nodes')).trim().split('\n');
        if (nodes.length !== procs.length || nodes.some((n) => /handshake|noaddr|fail/.test(n))) return false;
      }
      return true;
    }, 'every cluster node to know every other');
    // Each replica has synced with its primary (so that WAIT can count it).
    await until(async () => {
      for (const p of procs) {
        const info = await cli(p.port, 'info', 'replication');
        if (info.includes('role:slave') && !info.includes('master_link_status:up')) return false;
      }
      return true;
    }, 'every replica to sync with its primary');
    const roles = await Promise.all(
      procs.map(async (p) => (await cli(p.port, 'role')).split('\n')[0]?.trim()),
    );
    return {
      url: `redis+cluster://${addresses.slice(0, 3).join(',')}`,
      primaries: procs.filter((_, i) => roles[i] === 'master'),
      replicas: procs.filter((_, i) => roles[i] === 'slave'),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Options of the Sentinel topology. */
export interface SentinelSetup {
  /** Redis settings of the primary and the replica (e.g. `--appendonly yes`, `--min-replicas-to-write 1`). */
  serverArgs?: string[];
  /** Replicas of the primary (default 1). */
  replicas?: number;
}

/** Starts a primary, its replica(s) and 3 Sentinels (quorum 2, failover 1 s after the primary is down). */
export async function startRedisSentinel(setup: SentinelSetup = {}): Promise<SentinelTopology> {
  ensureRedisServer(['redis-server', 'redis-sentinel', 'redis-cli']);
  const dir = mkdtempSync(join(tmpdir(), 'mcpkit-sentinel-'));
  const procs: RedisProcess[] = [];
  const started: Started = [];
  const stop = async () => {
    await Promise.all(started.map((p) => p.kill()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const extra = setup.serverArgs ?? ['--appendonly', 'no'];
    const start = async (name: string, args: string[]) => {
      const port = await freePort();
      const data = join(dir, name);
      mkdirSync(data, { recursive: true });
      const proc = await launch(
        'redis-server',
        ['--port', String(port), ...SERVER, '--dir', data, ...extra, ...args],
        port,
        started,
      );
      procs.push(proc);
      return proc;
    };
    const primary = await start('primary', []);
    const replicas: RedisProcess[] = [];
    for (let i = 0; i < (setup.replicas ?? 1); i++) {
      const replica = await start(`replica-${i}`, ['--replicaof', '127.0.0.1', String(primary.port)]);
      await until(
        async () => (await cli(replica.port, 'info', 'replication')).includes('master_link_status:up'),
        'the replica to sync',
      );
      replicas.push(replica);
    }
    const sentinels: RedisProcess[] = [];
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const conf = join(dir, `sentinel-${port}.conf`);
      writeFileSync(
        conf,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          'protected-mode no',
          `dir ${dir}`,
          `sentinel monitor mymaster 127.0.0.1 ${primary.port} 2`,
          'sentinel down-after-milliseconds mymaster 1000',
          'sentinel failover-timeout mymaster 5000',
          'sentinel parallel-syncs mymaster 1',
          '',
        ].join('\n'),
      );
      const proc = await launch('redis-sentinel', [conf], port, started);
      procs.push(proc);
      sentinels.push(proc);
    }
    // Each Sentinel must know the replica and the two others before a failover can be agreed.
    for (const s of sentinels) {
      await until(async () => {
        const others = await cli(s.port, 'sentinel', 'sentinels', 'mymaster');
        const known = await cli(s.port, 'sentinel', 'replicas', 'mymaster');
        return (
          replicas.every((r) => known.includes(String(r.port))) &&
          (others.match(/^name$/gm) ?? []).length === 2
        );
      }, 'the sentinels to find the replica and each other');
    }
    return {
      url: `redis+sentinel://${sentinels.map((s) => `127.0.0.1:${s.port}`).join(',')}/mymaster`,
      primary,
      replica: replicas[0] as RedisProcess,
      replicas,
      sentinels,
      currentPrimary: async () => {
        const out = await cli(sentinels[0]?.port ?? 0, 'sentinel', 'get-master-addr-by-name', 'mymaster');
        return Number(out.trim().split('\n')[1]);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
