/**
 * 10,000 sessions opened across three nodes, then left alone: they expire from Redis (record
 * TTL, event stream TTL) and from every node (idle eviction), and memory comes back to where it was.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, post, readEvents } from './http-server-fixtures.ts';
import { type Node, startNode } from './support/redis-nodes.ts';
import { type RedisServer, startRedisServer } from './support/redis-server.ts';

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

let redis: RedisServer;
let nodes: Node[];
let probe: Redis;

beforeAll(async () => {
  redis = await startRedisServer();
  nodes = [];
  for (let i = 0; i < 3; i++) {
    nodes.push(
      await startNode(redis.url, {
        redis: { sessionTtlMs: 1500, eventTtlMs: 1500 },
        http: { sessionIdleMs: 1000, maxSessions: 20_000 },
      }),
    );
  }
  probe = new Redis(redis.url);
});

afterAll(async () => {
  probe.disconnect();
  await Promise.all(nodes.map((n) => n.close()));
  await redis.stop();
});

function heapMb(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

async function openMany(count: number, concurrency: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const node = nodes[n % nodes.length] as Node;
      const res = await post(node.url, {
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
      });
      if (res.status !== 200) throw new Error(`initialize ${n}: ${res.status}`);
      await readEvents(res);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

describe('10,000 expired sessions', () => {
  it('leave Redis and the nodes, and memory returns to where it started', async () => {
    await openMany(300, 20); // warm up: code paths compiled, pools filled
    await eventually(
      () => nodes.every((n) => n.handler.sessionCount === 0),
      'warm-up sessions evicted',
      15_000,
    );
    // Only the shared request-state secret and each live node's liveness lease stay.
    const resting = 1 + nodes.length;
    let keys = -1;
    for (let i = 0; i < 100 && keys !== resting; i++) {
      keys = await probe.dbsize();
      if (keys !== resting) await new Promise((r) => setTimeout(r, 100));
    }
    expect(keys).toBe(resting);
    expect((await probe.keys('*lease:node:*')).length).toBe(nodes.length);
    const heapBefore = heapMb();

    let peak = 0;
    const sampler = setInterval(() => {
      void probe.dbsize().then((n) => {
        peak = Math.max(peak, n);
      });
    }, 200);
    await openMany(10_000, 50);
    clearInterval(sampler);
    expect(peak).toBeGreaterThan(1000); // records and event streams were there while in use

    await eventually(
      () => nodes.every((n) => n.handler.sessionCount === 0 && n.server.sessions.size === 0),
      'every node evicts its sessions',
      30_000,
    );
    keys = -1;
    for (let i = 0; i < 200 && keys !== resting; i++) {
      keys = await probe.dbsize();
      if (keys !== resting) await new Promise((r) => setTimeout(r, 100));
    }
    keys = await probe.dbsize();
    expect(keys).toBe(resting);
    for (const n of nodes) expect(n.stores.bus.size).toBe(2); // the node's own channel and 'all'
    const heapAfter = heapMb();
    // 10,000 leaked sessions would hold tens of megabytes; allow a little for caches and pools.
    expect(heapAfter - heapBefore).toBeLessThan(12);
  }, 180_000);
});
