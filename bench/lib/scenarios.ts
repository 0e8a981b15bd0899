/** The scenarios of the benchmark, in the order they run. */
import { spawn } from 'node:child_process';
import { BIG_BYTES, fillerName, type ServerMode, type ServerStats } from '../servers/shared.ts';
import { type Connection, connectHttp, connectStdio, type HttpFlavor } from './connections.ts';
import { type Call, expectEqual, quantile } from './load.ts';
import { type Contender, startHttpServer } from './proc.ts';
import { RawHttpConnection, RawStdioConnection } from './raw-clients.ts';
import { type Runner, type Scenario, THROUGHPUT_METRICS, throughputRunner } from './scenario.ts';

const ALL: readonly Contender[] = ['raw', 'mcpkit', 'v1', 'v2'];

/** `n` workers that call `echo` on the connections (round robin) and check the text comes back. */
function echoWorkers(conns: readonly Connection[], n: number): Call[] {
  return Array.from({ length: n }, (_, w) => {
    const conn = conns[w % conns.length];
    return async (i: number) => {
      const text = `m${i}`;
      expectEqual(await conn.echo(text), text, 'echo');
    };
  });
}

function stdioEcho(id: string, title: string, inflight: number): Scenario {
  return {
    id,
    title,
    detail:
      inflight === 1
        ? 'One client, one `tools/call echo` at a time, over the pipes of a server process the client spawned.'
        : `One client keeping ${inflight} \`tools/call echo\` requests in flight on one stdio connection.`,
    contenders: ALL,
    metrics: THROUGHPUT_METRICS,
    ratioKeys: ['rate', 'cpu'],
    async setup(contender, settings) {
      const conn = await connectStdio(contender, 2, settings.policy);
      return throughputRunner(settings, conn.pid, echoWorkers([conn], inflight), () => conn.close());
    },
  };
}

const MODE: Record<HttpFlavor, ServerMode> = {
  stateless: 'http-stateless',
  stateful: 'http-stateful',
  modern: 'http-modern',
};

const HTTP_DETAIL: Record<HttpFlavor, string> = {
  stateless: 'Streamable HTTP without sessions, JSON answers (2025-11-25)',
  stateful: 'Streamable HTTP with sessions, SSE answers (2025-11-25)',
  modern:
    'Streamable HTTP at 2026-07-28 (no sessions, `_meta` envelope per request; raw: the stateless JSON handler)',
};

function httpEcho(flavor: HttpFlavor, clients: number): Scenario {
  const who = clients === 1 ? '1 client, sequential' : `${clients} concurrent clients`;
  return {
    id: `http-${flavor}-${clients === 1 ? 'seq' : clients}`,
    title: `HTTP ${flavor}: ${who}`,
    detail: `${HTTP_DETAIL[flavor]}; ${who}, each with its own connection${flavor === 'stateful' ? ' and session' : ''}, calling \`echo\` in a closed loop.`,
    contenders: flavor === 'modern' ? ['raw', 'mcpkit', 'v2'] : ALL,
    metrics: THROUGHPUT_METRICS,
    ratioKeys: ['rate', 'cpu'],
    async setup(contender, settings) {
      const server = await startHttpServer(contender, MODE[flavor], 2, settings.policy);
      const conns: Connection[] = [];
      try {
        for (let i = 0; i < clients; i++) conns.push(await connectHttp(contender, server.url, flavor));
      } catch (error) {
        await server.stop();
        throw error;
      }
      return throughputRunner(settings, server.pid, echoWorkers(conns, clients), async () => {
        await Promise.all(conns.map((c) => c.close().catch(() => {})));
        await server.stop();
      });
    },
  };
}

const toolsList: Scenario = {
  id: 'tools-list',
  title: '`tools/list` with 100 registered tools (stdio, sequential)',
  detail:
    'Each server registers 100 tools (98 with a three-field zod schema; raw: the same JSON Schema written out); one client lists them one call after another.',
  contenders: ALL,
  metrics: THROUGHPUT_METRICS,
  ratioKeys: ['rate', 'cpu'],
  async setup(contender, settings) {
    const conn = await connectStdio(contender, 100, settings.policy);
    const call: Call = async () => {
      const names = await conn.listToolNames();
      expectEqual(names.length, 100, 'tools/list length');
      expectEqual(names[99], fillerName(97), 'tools/list last tool');
    };
    return throughputRunner(settings, conn.pid, [call], () => conn.close());
  },
};

const bigResult: Scenario = {
  id: 'big-result',
  title: 'A 1 MiB tool result (stdio, sequential)',
  detail: `\`tools/call big\` returns one text block of ${BIG_BYTES} characters; one call at a time.`,
  contenders: ALL,
  metrics: THROUGHPUT_METRICS,
  ratioKeys: ['rate', 'cpu'],
  async setup(contender, settings) {
    const conn = await connectStdio(contender, 2, settings.policy);
    const call: Call = async (n) => {
      const tag = `t${n}:`;
      const text = await conn.big(tag);
      expectEqual(text.length, BIG_BYTES, 'big result length');
      expectEqual(text.slice(0, tag.length), tag, 'big result tag');
    };
    // Few calls fit in a window, so this one gets twice the time.
    return throughputRunner(settings, conn.pid, [call], () => conn.close(), settings.windowMs * 2);
  },
};

async function stats(base: string): Promise<ServerStats> {
  const response = await fetch(`${base}/__stats?gc=1`);
  return (await response.json()) as ServerStats;
}

/** How the memory scenarios open a session. */
type SessionOpener = (contender: Contender, url: string) => Promise<{ close(): Promise<void> }>;

/** As an application does: the contender's own client connects, then makes one call (its GET stream stays open). */
const openWithClient: SessionOpener = async (contender, url) => {
  const conn = await connectHttp(contender, url, 'stateful');
  expectEqual(await conn.echo('hello'), 'hello', 'echo after connect');
  return conn;
};

/** The smallest session: a bare `initialize` and `notifications/initialized` from a raw client. */
const openRaw: SessionOpener = async (_contender, url) => {
  const conn = new RawHttpConnection(url, 'stateful');
  await conn.initialize();
  return { close: async () => {} };
};

/**
 * How long a session is left idle before memory is read: past the grace during which mcpkit's event
 * store keeps a finished POST stream's events (FINISHED_TTL_MS, 5 s), so that what is counted is what
 * an idle session keeps.
 */
const IDLE_MS = 6000;

function memoryScenario(
  id: string,
  title: string,
  how: string,
  open: SessionOpener,
  ratioKeys: readonly string[],
): Scenario {
  return {
    id,
    title,
    detail: `A fresh stateful HTTP server per repetition; N sessions are opened ${how}, 16 at a time, left idle ${IDLE_MS / 1000} s, and the server's heap and RSS are read after a full GC, before and after, divided by N ("first N"). Then N more are opened the same way and measured the same way ("next N"): the first batch also pays the server's one-time growth (the young generation's semi-spaces, compiled code, allocator arenas), which a node:http server holding nothing per session shows too; the second is what one more session costs. Then a few sessions are checked to still answer.`,
    contenders: ALL,
    metrics: [
      { key: 'heap', label: 'heap KiB/session, first N', digits: 2, better: 'lower' },
      { key: 'rss', label: 'RSS KiB/session, first N', digits: 2, better: 'lower' },
      { key: 'heapNext', label: 'heap KiB/session, next N', digits: 2, better: 'lower' },
      { key: 'rssNext', label: 'RSS KiB/session, next N', digits: 2, better: 'lower' },
    ],
    ratioKeys,
    maxReps: 3,
    async setup(contender, settings): Promise<Runner> {
      return {
        warmup: async () => {},
        close: async () => {},
        measure: async () => {
          const server = await startHttpServer(contender, 'http-stateful', 2, settings.policy);
          const sessions: { close(): Promise<void> }[] = [];
          const batch = async (n: number) => {
            let next = 0;
            const opener = async () => {
              while (next < n) {
                next++;
                sessions.push(await open(contender, server.url));
              }
            };
            await Promise.all(Array.from({ length: 16 }, opener));
            await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
            return stats(server.base);
          };
          try {
            // Warm the code paths with a few sessions before the baseline is taken.
            for (let i = 0; i < 20; i++) sessions.push(await open(contender, server.url));
            const before = await stats(server.base);
            const n = settings.sessions;
            const first = await batch(n);
            const second = await batch(n);
            for (let i = 0; i < 5; i++) {
              const conn = new RawHttpConnection(server.url, 'stateful');
              await conn.initialize();
              const result = await conn.request('tools/call', { name: 'echo', arguments: { text: 'alive' } });
              expectEqual(
                (result.content as Array<{ text: string }>)[0].text,
                'alive',
                'server still answers',
              );
            }
            const per = (from: ServerStats, to: ServerStats, key: 'heapUsed' | 'rss') =>
              (to[key] - from[key]) / n / 1024;
            return {
              heap: per(before, first, 'heapUsed'),
              rss: per(before, first, 'rss'),
              heapNext: per(first, second, 'heapUsed'),
              rssNext: per(first, second, 'rss'),
            };
          } finally {
            await Promise.all(sessions.map((c) => c.close().catch(() => {})));
            await server.stop();
          }
        },
      };
    },
  };
}

const memory = memoryScenario(
  'memory',
  'Memory per idle session opened by a client (1,000 sessions)',
  "by each contender's own client as an application would (initialize, notifications/initialized, one `tools/call`, the standalone GET stream: the raw contender's client opens one too, and its server holds it)",
  openWithClient,
  ['rss', 'rssNext'],
);

const memoryRaw = memoryScenario(
  'memory-raw-initialize',
  'Memory per idle session, bare initialize (1,000 sessions)',
  'by a raw client sending only `initialize` and `notifications/initialized`',
  openRaw,
  // A raw server holds next to nothing per bare session: a ratio to it would be noise.
  [],
);

const startup: Scenario = {
  id: 'startup',
  title: 'Start-up: spawning a stdio server to its initialize answer',
  detail:
    'A raw client spawns `node <server>` and writes `initialize` at once; the time until the answer line arrives, median of the spawns of a repetition. Every server imports its SDK by package name (mcpkit: its public exports, resolved to the built dist/).',
  contenders: ALL,
  metrics: [{ key: 'ms', label: 'ms to initialize answer', digits: 1, better: 'lower' }],
  ratioKeys: ['ms'],
  maxReps: 4,
  async setup(contender, settings): Promise<Runner> {
    const policy = { ...settings.policy, serverCpu: undefined };
    const once = async () => {
      const t0 = performance.now();
      const conn = RawStdioConnection.spawn(contender, 2, policy);
      const result = await conn.request('initialize', {
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'bench', version: '1' },
      });
      const ms = performance.now() - t0;
      await conn.close();
      expectEqual(typeof result.protocolVersion, 'string', 'initialize answer');
      return ms;
    };
    return {
      warmup: async () => {
        await once();
      },
      close: async () => {},
      measure: async () => {
        const times: number[] = [];
        for (let i = 0; i < settings.spawns; i++) times.push(await once());
        return { ms: quantile(times, 0.5) };
      },
    };
  },
};

/** The public entries timed by the import scenario: metric key, label, and the module(s) imported. */
const ENTRIES: readonly { key: string; label: string; modules: readonly string[] }[] = [
  { key: 'root', label: '`mcpkit` ms', modules: ['mcpkit'] },
  { key: 'server', label: '`mcpkit/server` ms', modules: ['mcpkit/server'] },
  { key: 'client', label: '`mcpkit/client` ms', modules: ['mcpkit/client'] },
  { key: 'node', label: '`mcpkit/node` ms', modules: ['mcpkit/node'] },
  { key: 'http', label: '`mcpkit/http` ms', modules: ['mcpkit/http'] },
  { key: 'stdio', label: '`mcpkit/server` + `mcpkit/node` ms', modules: ['mcpkit/server', 'mcpkit/node'] },
];

/** Wall time of `node --input-type=module -e <code>` from spawn to exit, ms (in the current directory). */
function timeNode(code: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const ms = performance.now() - t0;
      if (code === 0) resolve(ms);
      else reject(new Error(`node exited with ${code}: ${stderr.trim().slice(0, 300)}`));
    });
  });
}

const importCost: Scenario = {
  id: 'import',
  title: 'Import cost per entry: a fresh `node` importing one public entry',
  detail:
    "The wall time of `node --input-type=module -e \"await import('<entry>')\"` from spawn to exit minus that of a bare `node -e ''`, medians of the spawns of a repetition (baseline and entries interleaved). mcpkit is imported by package name (its public exports, resolved to the built dist/); the last column imports `mcpkit/server` and `mcpkit/node`, what a stdio server loads.",
  contenders: ['mcpkit'],
  metrics: ENTRIES.map((e) => ({ key: e.key, label: e.label, digits: 1, better: 'lower' as const })),
  ratioKeys: [],
  maxReps: 4,
  async setup(_contender, settings): Promise<Runner> {
    const code = (modules: readonly string[]) => modules.map((m) => `await import('${m}');`).join(' ');
    const round = async (): Promise<number[]> => {
      const times = [await timeNode('')];
      for (const entry of ENTRIES) times.push(await timeNode(code(entry.modules)));
      return times;
    };
    return {
      warmup: async () => {
        await round();
      },
      close: async () => {},
      measure: async () => {
        const rounds: number[][] = [];
        for (let i = 0; i < Math.max(3, settings.spawns); i++) rounds.push(await round());
        const median = (column: number) =>
          quantile(
            rounds.map((r) => r[column] as number),
            0.5,
          );
        const base = median(0);
        return Object.fromEntries(ENTRIES.map((e, i) => [e.key, median(i + 1) - base]));
      },
    };
  },
};

/** Every scenario, in run order. */
export const SCENARIOS: readonly Scenario[] = [
  stdioEcho('stdio-seq', 'stdio: sequential `tools/call`', 1),
  stdioEcho('stdio-64', 'stdio: 64 calls in flight', 64),
  httpEcho('stateless', 1),
  httpEcho('stateless', 32),
  httpEcho('stateful', 1),
  httpEcho('stateful', 32),
  httpEcho('modern', 1),
  httpEcho('modern', 32),
  toolsList,
  bigResult,
  memory,
  memoryRaw,
  startup,
  importCost,
];
