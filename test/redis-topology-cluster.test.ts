/**
 * mcpkit nodes on a real Redis Cluster (3 primaries, a replica each, `redis+cluster://` seed URL):
 * the cross-node and broadcast tests pass as on one Redis, each session's keys sit in one slot,
 * sessions spread over every primary, and the bus publishes on the shard owning a channel only.
 */

import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, RedisEventStore, RedisSessionStore, type RedisStores } from '../src/redis/index.ts';
import { broadcastSuite } from './support/broadcast-suite.ts';
import { crossNodeSuite } from './support/cross-node-suite.ts';
import { nodeProcessSuite } from './support/node-processes.ts';
import { type ClusterTopology, cli, startRedisCluster } from './support/redis-topology.ts';

let topology: ClusterTopology;

beforeAll(async () => {
  topology = await startRedisCluster(3, 1);
}, 120_000);

afterAll(async () => {
  await topology.stop();
});

crossNodeSuite(() => topology.url);
broadcastSuite(() => topology.url);
nodeProcessSuite(() => topology.url);

describe('the stores on a Redis Cluster', () => {
  let stores: RedisStores;
  beforeAll(async () => {
    stores = await connectRedis(topology.url, { prefix: 'k:' });
  });
  afterAll(async () => {
    await stores.close();
  });

  it('keeps each session in one slot, spreads sessions over every primary, and lists them all', async () => {
    const ids = Array.from({ length: 60 }, (_, i) => `session-${i}`);
    for (const id of ids) {
      await stores.sessionStore.set({
        id,
        transport: 'streamable-http',
        streamPrefix: `p${id}.`,
        createdAt: Date.now(),
        lastSeen: Date.now(),
      });
      expect(await stores.sessionStore.acquireLease(`req:${id}:1`, 'a.r1', 5000)).toBe(true);
      expect(await stores.sessionStore.acquireLease(`get:${id}`, 'a.g1', 5000)).toBe(true);
    }
    for (const id of ids) {
      const slots = await Promise.all(
        [`k:session:{${id}}`, `k:lease:req:{${id}}:1`, `k:lease:get:{${id}}`].map(async (key) =>
          Number(await cli(topology.primaries[0]?.port ?? 0, 'cluster', 'keyslot', key)),
        ),
      );
      expect(new Set(slots).size).toBe(1);
    }
    const perPrimary = await Promise.all(
      topology.primaries.map(async (p) =>
        Number((await cli(p.port, 'eval', "return #redis.call('keys', 'k:session:*')", '0')).trim()),
      ),
    );
    expect(perPrimary).toHaveLength(3);
    for (const n of perPrimary) expect(n).toBeGreaterThan(5);
    expect(perPrimary.reduce((a, b) => a + b, 0)).toBe(60);
    const listed: string[] = [];
    for await (const record of stores.sessionStore.list())
      if (record.id.startsWith('session-')) listed.push(record.id);
    expect(listed.sort()).toEqual([...ids].sort());
    expect(await stores.sessionStore.count()).toBeGreaterThanOrEqual(60);
    const renewed = await stores.sessionStore.renewLeases(
      ids.flatMap((id) => [
        { name: `req:${id}:1`, owner: 'a.r1' },
        { name: `get:${id}`, owner: 'someone else' },
      ]),
      5000,
    );
    expect(renewed).toEqual(ids.flatMap(() => [true, false]));
  });

  it('builds the stores on an ioredis Cluster made by the application, and connects with seed nodes as options', async () => {
    const own = new Cluster([{ host: '127.0.0.1', port: topology.primaries[1]?.port as number }]);
    const viaOptions = await connectRedis(
      { cluster: [{ host: '127.0.0.1', port: topology.replicas[0]?.port as number }] },
      { prefix: 'k:' },
    );
    try {
      const sessions = new RedisSessionStore(own, { prefix: 'k:' });
      const events = new RedisEventStore(own, { prefix: 'k:' });
      await sessions.set({ id: 'own-1', transport: 'streamable-http', createdAt: 1, lastSeen: 2 });
      const first = await events.append('own1.get', '{"n":1}');
      await events.append('own1.get', '{"n":2}');
      expect(await viaOptions.sessionStore.get('own-1')).toEqual({
        id: 'own-1',
        transport: 'streamable-http',
        createdAt: 1,
        lastSeen: 2,
      });
      expect((await viaOptions.eventStore.readAfter(first))?.events.map((e) => e.data)).toEqual(['{"n":2}']);
    } finally {
      own.disconnect();
      await viaOptions.close();
    }
  });

  it('publishes bus messages with SPUBLISH on the shard owning the channel, never PUBLISH', async () => {
    const before = await Promise.all(topology.primaries.map((p) => cli(p.port, 'info', 'commandstats')));
    const other = await connectRedis(topology.url, { prefix: 'k:' });
    try {
      const got: string[] = [];
      const channels = Array.from({ length: 12 }, (_, i) => `wake:stream${i}.get`);
      const unsubs = await Promise.all(
        channels.map((c) => other.bus.subscribe(c, (m) => got.push(`${c}=${m}`))),
      );
      for (const c of channels) await stores.bus.publish(c, 'x');
      await until(() => got.length === 12);
      expect(got.sort()).toEqual(channels.map((c) => `${c}=x`).sort());
      await Promise.all(unsubs.map((u) => u()));
    } finally {
      await other.close();
    }
    const after = await Promise.all(topology.primaries.map((p) => cli(p.port, 'info', 'commandstats')));
    const calls = (text: string, cmd: string) =>
      Number(new RegExp(`cmdstat_${cmd}:calls=(\\d+)`).exec(text)?.[1] ?? 0);
    const spublished = after.map((a, i) => calls(a, 'spublish') - calls(before[i] as string, 'spublish'));
    expect(spublished.reduce((a, b) => a + b, 0)).toBe(12);
    expect(spublished.filter((n) => n > 0).length).toBeGreaterThan(1); // the channels live on several shards
    for (const [i, a] of after.entries())
      expect(calls(a, 'publish')).toBe(calls(before[i] as string, 'publish'));
  });
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
}
