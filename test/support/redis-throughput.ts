/**
 * Measures requests per second through 1, 2 and 3 node processes on one redis-server (and one
 * in-memory node, for reference): `node test/support/redis-throughput.ts [seconds] [concurrency]`.
 * Each request is a `tools/call` of `add` on one of 30 sessions, sent to the nodes in turn.
 */
import { post, readEvents } from '../http-server-fixtures.ts';
import { type NodeProcess, spawnNode } from './redis-nodes.ts';
import { startRedisServer } from './redis-server.ts';

const seconds = Number(process.argv[2] ?? 10);
const concurrency = Number(process.argv[3] ?? 32);
const REVISION = '2025-06-18';

async function openSession(url: string): Promise<Record<string, string>> {
  const res = await post(url, {
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion: REVISION, capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
  });
  await readEvents(res);
  const h = {
    'mcp-session-id': res.headers.get('mcp-session-id') as string,
    'mcp-protocol-version': REVISION,
  };
  await post(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, h);
  return h;
}

async function measure(nodes: NodeProcess[]): Promise<{ rps: number; p50: number; p99: number }> {
  const sessions = await Promise.all(
    Array.from({ length: 30 }, (_, i) => openSession(nodes[i % nodes.length]?.url as string)),
  );
  let turn = 0;
  let id = 1;
  const latencies: number[] = [];
  const run = async (until: number, record: boolean) => {
    while (Date.now() < until) {
      const n = turn++;
      const url = (nodes[n % nodes.length] as NodeProcess).url;
      const h = sessions[n % sessions.length] as Record<string, string>;
      const start = performance.now();
      const res = await post(
        url,
        {
          jsonrpc: '2.0',
          id: id++,
          method: 'tools/call',
          params: { name: 'add', arguments: { a: 1, b: 2 } },
        },
        h,
      );
      await res.text();
      if (res.status !== 200) throw new Error(`status ${res.status}`);
      if (record) latencies.push(performance.now() - start);
    }
  };
  const warm = Date.now() + 2000;
  await Promise.all(Array.from({ length: concurrency }, () => run(warm, false)));
  const begin = Date.now();
  await Promise.all(Array.from({ length: concurrency }, () => run(begin + seconds * 1000, true)));
  const elapsed = (Date.now() - begin) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { rps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99) };
}

const redis = await startRedisServer();
const rows: string[] = [];
for (const count of [0, 1, 2, 3]) {
  const nodes = await Promise.all(
    Array.from({ length: Math.max(1, count) }, () => spawnNode(count === 0 ? undefined : redis.url)),
  );
  const r = await measure(nodes);
  const label = count === 0 ? '1 (in memory)' : `${count} (Redis)`;
  rows.push(`| ${label} | ${Math.round(r.rps)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} |`);
  await Promise.all(nodes.map((n) => n.kill()));
}
await redis.stop();
console.log(`${seconds} s per run, ${concurrency} concurrent clients, 30 sessions\n`);
console.log('| nodes | requests/s | p50 ms | p99 ms |\n|---|---|---|---|');
console.log(rows.join('\n'));
