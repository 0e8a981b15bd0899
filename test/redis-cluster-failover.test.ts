/**
 * A primary of the Redis Cluster killed with SIGKILL under a bounded load, with the safe setting
 * (`appendonly yes` on every node, `waitReplicas: 1` on the mcpkit nodes): every request ends,
 * answered or failed with a clear 503, none hangs; the nodes follow the replica the cluster
 * promotes by themselves; once the killed node is back (as the promoted primary's replica), every
 * session and every event a client was answered with is there.
 */
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectEveryRequestEnded,
  expectNothingLost,
  loadThroughFailover,
  subscribedAcross,
} from './support/failover-load.ts';
import { openSession, type SessionHeaders } from './support/redis-clients.ts';
import { type Node, startNode } from './support/redis-nodes.ts';
import {
  type ClusterTopology,
  cli,
  type RedisProcess,
  startRedisCluster,
  until,
} from './support/redis-topology.ts';

/** The check reads every answered event after the run, so finished streams stay that long. */
const KEEP_FINISHED_MS = 120_000;

let topology: ClusterTopology;
let nodes: Node[];

beforeAll(async () => {
  topology = await startRedisCluster(3, 1, ['--appendonly', 'yes']);
  nodes = [];
  for (const nodeId of ['a', 'b']) {
    nodes.push(
      await startNode(topology.url, {
        http: { nodeId },
        redis: { waitReplicas: 1, waitTimeoutMs: 1000, finishedEventTtlMs: KEEP_FINISHED_MS },
      }),
    );
  }
}, 120_000);

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.close()));
  await topology.stop();
});

const url = (i: number) => (nodes[i % nodes.length] as Node).url;

/** The replica of a primary (ROLE on a replica names its primary's port). */
async function replicaOf(primary: RedisProcess): Promise<RedisProcess> {
  for (const r of topology.replicas) {
    const role = (await cli(r.port, 'role')).split('\n').map((l) => l.trim());
    if (role[2] === String(primary.port)) return r;
  }
  throw new Error(`no replica of ${primary.port}`);
}

describe('a primary of the Redis Cluster killed with SIGKILL under load, with the safe setting', () => {
  it('waits for the replica of the primary that took the write: a stalled replica fails only its shard', async () => {
    const stalled = topology.replicas[0] as RedisProcess;
    const role = (await cli(stalled.port, 'role')).split('\n').map((l) => l.trim());
    const stores = (nodes[0] as Node).stores;
    const cluster = stores.client as Cluster;
    /** The port of the primary owning a key's slot, as the client sees it. */
    const owner = async (key: string) => {
      const slot = Number(await cli(stalled.port, 'cluster', 'keyslot', key));
      return cluster.slots[slot]?.[0]?.split(':')[1];
    };
    const ids = Array.from({ length: 12 }, (_, i) => `wait-${i}`);
    const onStalled: string[] = [];
    for (const id of ids) if ((await owner(`mcpkit:session:{${id}}`)) === role[2]) onStalled.push(id);
    expect(onStalled.length).toBeGreaterThan(0);
    expect(onStalled.length).toBeLessThan(ids.length);
    stalled.child.kill('SIGSTOP');
    try {
      const results = await Promise.all(
        ids.map((id) =>
          stores.sessionStore.set({ id, transport: 'streamable-http', createdAt: 1, lastSeen: 1 }).then(
            () => 'stored',
            (error: Error) => error.message,
          ),
        ),
      );
      for (const [i, id] of ids.entries()) {
        expect(results[i]).toBe(
          onStalled.includes(id)
            ? 'Redis is unavailable (storing a session: the write reached 0 of 1 replicas within 1000 ms); retry shortly.'
            : 'stored',
        );
      }
    } finally {
      stalled.child.kill('SIGCONT');
    }
  });

  it('ends every request with an answer or a clear 503, and loses no session or answered event', async () => {
    const sessions: SessionHeaders[] = [];
    for (let i = 0; i < 9; i++) sessions.push(await openSession(url(i), url(i + 1)));
    const urls = [url(0), url(1)];
    const victim = topology.primaries[0] as RedisProcess;
    const replica = await replicaOf(victim);
    const bus = await subscribedAcross((nodes[1] as Node).stores.bus, (nodes[0] as Node).stores.bus);
    const run = await loadThroughFailover(
      urls,
      sessions,
      () => victim.kill(),
      async () => (await cli(replica.port, 'role')).startsWith('master'),
    );
    console.log(`Redis Cluster failover: ${run.summary}`);
    expectEveryRequestEnded(run);
    // The promoted replica has no replica of its own until the killed node comes back as one
    // (until then its writes wait for a replica in vain and fail with 503).
    await victim.restart();
    await until(
      async () =>
        /connected_slaves:1[\s\S]*state=online/.test(await cli(replica.port, 'info', 'replication')),
      'the restarted node to replicate the promoted one',
      30_000,
    );
    const lost = await expectNothingLost(run, urls, sessions, (nodes[0] as Node).stores.eventStore);
    console.log(`Redis Cluster failover: ${lost}`);
    await bus(); // the nodes' subscriptions came back with the promoted primary
  }, 90_000);
});
