/**
 * Measures what mcpkit costs Redis, for the capacity model of docs/SCALING.md:
 * `npx node test/support/redis-capacity.ts [requests] [sessions] [cluster]`. Two node processes (as
 * `npm start` runs them) on one redis-server (or, with `cluster`, a Redis Cluster of 3 primaries,
 * each phase's counts summed over them and each primary's share of the commands shown); `INFO commandstats`, `INFO stats`, `INFO cpu` and
 * `INFO memory` are read before and after each phase: opening sessions, `tools/call` requests
 * (each answered on an SSE stream), one server-wide notification, and a 10 s load at 32
 * concurrent clients whose Redis CPU is compared with what the request phase predicts.
 */
import { Redis } from 'ioredis';
import { post, readEvents } from '../http-server-fixtures.ts';
import { openSession, type SessionHeaders } from './redis-clients.ts';
import { type NodeProcess, spawnNode } from './redis-nodes.ts';
import { startRedisServer } from './redis-server.ts';
import { startRedisCluster } from './redis-topology.ts';

const REQUESTS = Number(process.argv[2] ?? 3000);
const SESSIONS = Number(process.argv[3] ?? 200);
const CLUSTER = process.argv[4] === 'cluster';

interface Snapshot {
  calls: Map<string, number>;
  usec: number;
  bytesIn: number;
  bytesOut: number;
  cpu: number;
  memory: number;
  at: number;
}

const server = CLUSTER ? undefined : await startRedisServer();
const cluster = CLUSTER ? await startRedisCluster(3, 0) : undefined;
const redisUrl = (server?.url ?? cluster?.url) as string;
const admins = server
  ? [new Redis(server.url)]
  : (cluster?.primaries ?? []).map((p) => new Redis({ host: '127.0.0.1', port: p.port }));

function field(text: string, name: string): number {
  return Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(text)?.[1] ?? 0);
}

/** The counters of every primary, summed; `shares` holds each primary's command count. */
async function snapshot(shares: number[] = []): Promise<Snapshot> {
  const texts = await Promise.all(admins.map((r) => r.info('everything')));
  const calls = new Map<string, number>();
  let usec = 0;
  for (const text of texts) {
    let mine = 0;
    for (const m of text.matchAll(/^cmdstat_([a-z|]+):calls=(\d+),usec=(\d+)/gm)) {
      if (m[1] === 'info') continue; // this script's own
      calls.set(m[1] as string, (calls.get(m[1] as string) ?? 0) + Number(m[2]));
      usec += Number(m[3]);
      mine += Number(m[2]);
    }
    shares.push(mine);
  }
  const sum = (name: string) => texts.reduce((s, t) => s + field(t, name), 0);
  return {
    calls,
    usec,
    bytesIn: sum('total_net_input_bytes'),
    bytesOut: sum('total_net_output_bytes'),
    cpu: sum('used_cpu_user') + sum('used_cpu_sys'),
    memory: sum('used_memory'),
    at: performance.now(),
  };
}

interface Delta {
  calls: [string, number][];
  total: number;
  usec: number;
  bytesIn: number;
  bytesOut: number;
  cpuUs: number;
  memory: number;
  seconds: number;
}

function delta(a: Snapshot, b: Snapshot): Delta {
  const calls: [string, number][] = [];
  for (const [name, n] of b.calls) {
    const d = n - (a.calls.get(name) ?? 0);
    if (d > 0) calls.push([name, d]);
  }
  calls.sort((x, y) => y[1] - x[1]);
  return {
    calls,
    total: calls.reduce((s, [, n]) => s + n, 0),
    usec: b.usec - a.usec,
    bytesIn: b.bytesIn - a.bytesIn,
    bytesOut: b.bytesOut - a.bytesOut,
    cpuUs: (b.cpu - a.cpu) * 1e6,
    memory: b.memory - a.memory,
    seconds: (b.at - a.at) / 1000,
  };
}

function per(d: Delta, n: number, what: string): void {
  const mix = d.calls.map(([name, c]) => `${name} ${(c / n).toFixed(2)}`).join(', ');
  console.log(`\nper ${what} (${n}):`);
  console.log(`  commands ${(d.total / n).toFixed(2)}: ${mix}`);
  console.log(`  bytes to Redis ${Math.round(d.bytesIn / n)}, from Redis ${Math.round(d.bytesOut / n)}`);
  console.log(
    `  Redis CPU ${(d.cpuUs / n).toFixed(1)} µs (of which command execution ${(d.usec / n).toFixed(1)} µs)`,
  );
  console.log(`  memory ${Math.round(d.memory / n)} bytes`);
}

async function streamEntries(): Promise<number> {
  let n = 0;
  for (const r of admins) {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', 'mcpkit:stream:*', 'COUNT', 1000);
      cursor = next;
      for (const key of keys) n += await r.xlen(key);
    } while (cursor !== '0');
  }
  return n;
}

async function call(url: string, h: SessionHeaders, id: number, name: string, args: object): Promise<void> {
  const res = await post(
    url,
    { jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } },
    h,
  );
  if (res.status !== 200) throw new Error(`tools/call ${name} answered ${res.status}`);
  await readEvents(res);
}

const nodes: NodeProcess[] = [await spawnNode(redisUrl), await spawnNode(redisUrl)];
const url = (i: number) => (nodes[i % nodes.length] as NodeProcess).url;
await Promise.all(admins.map((r) => r.config('RESETSTAT')));

// 1. Sessions: initialize on one node, notifications/initialized on the other.
let a = await snapshot();
const sessions: SessionHeaders[] = [];
for (let i = 0; i < SESSIONS; i += 10) {
  sessions.push(
    ...(await Promise.all(Array.from({ length: 10 }, (_, j) => openSession(url(i + j), url(i + j + 1))))),
  );
}
let b = await snapshot();
per(delta(a, b), SESSIONS, 'session opened');

// 2. Requests: tools/call add, 16 at a time, each on the next node.
const entriesBefore = await streamEntries();
const sharesBefore: number[] = [];
a = await snapshot(sharesBefore);
let next = 0;
const sharesAfter: number[] = [];
const requests = delta(
  a,
  await (async () => {
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let n = next++; n < REQUESTS; n = next++) {
          await call(url(n), sessions[n % SESSIONS] as SessionHeaders, n + 1, 'add', { a: n, b: 1 });
        }
      }),
    );
    return snapshot(sharesAfter);
  })(),
);
const entries = (await streamEntries()) - entriesBefore;
per(requests, REQUESTS, 'request (tools/call answered on an SSE stream)');
console.log(`  stored events ${(entries / REQUESTS).toFixed(2)} per request (priming, answer, end mark)`);
console.log(`  memory per stored event ${Math.round(requests.memory / entries)} bytes`);
if (CLUSTER) {
  const shares = sharesAfter.map((n, i) => n - (sharesBefore[i] ?? 0));
  const total = shares.reduce((x, y) => x + y, 0);
  console.log(
    `  share of the commands per primary: ${shares.map((n) => `${Math.round((100 * n) / total)}%`).join(', ')}`,
  );
}

// 3. One server-wide notification (resources/updated) with a quarter of the sessions subscribed.
for (const [i, h] of sessions.entries()) {
  if (i % 4 !== 0) continue;
  const res = await post(
    url(i),
    {
      jsonrpc: '2.0',
      id: `s${i}`,
      method: 'resources/subscribe',
      params: { uri: 'test://watched-resource' },
    },
    h,
  );
  await readEvents(res);
}
a = await snapshot();
await call(url(0), sessions[1] as SessionHeaders, 1e9, 'test_update_watched_resource', {});
await new Promise((r) => setTimeout(r, 500)); // the appends finish before the answer; wakes may trail
b = await snapshot();
per(delta(a, b), 1, `server-wide notification (${SESSIONS} sessions, ${SESSIONS / 4} subscribed)`);

// 4. A measured point: 10 s at 32 concurrent clients; Redis CPU against the per-request model.
a = await snapshot();
let done = 0;
let id = 2e9;
const until = Date.now() + 10_000;
await Promise.all(
  Array.from({ length: 32 }, async () => {
    while (Date.now() < until) {
      const n = id++;
      await call(url(n), sessions[n % SESSIONS] as SessionHeaders, n, 'add', { a: 1, b: 2 });
      done++;
    }
  }),
);
b = await snapshot();
const load = delta(a, b);
const rps = done / load.seconds;
const measured = load.cpuUs / 1e6 / load.seconds;
const predicted = (rps * requests.cpuUs) / REQUESTS / 1e6;
console.log(
  `\nmeasured point: ${Math.round(rps)} requests/s through 2 nodes for ${load.seconds.toFixed(1)} s`,
);
console.log(
  `  Redis CPU measured ${(measured * 100).toFixed(1)}% of a core; the model predicts ${(predicted * 100).toFixed(1)}%`,
);
console.log(
  `  commands/s ${Math.round(load.total / load.seconds)}, per request ${(load.total / done).toFixed(2)}`,
);
console.log(
  `  ceiling at this cost: ${Math.round((admins.length * 1e6 * REQUESTS) / requests.cpuUs)} requests/s ` +
    `(${admins.length} primar${admins.length === 1 ? 'y' : 'ies'}, a core each)`,
);

await Promise.all(nodes.map((n) => n.kill()));
for (const r of admins) r.disconnect();
await server?.stop();
await cluster?.stop();
