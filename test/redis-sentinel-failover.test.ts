/**
 * The primary behind Sentinel killed with SIGKILL under a bounded load, with the safe setting
 * (`appendonly yes`, `min-replicas-to-write 1` on the servers, `waitReplicas: 1` on the nodes):
 * every request ends, answered or failed with a clear 503, none hangs; the nodes follow the
 * promoted replica by themselves; every session and every event a client was answered with survives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post } from './http-server-fixtures.ts';
import {
  expectEveryRequestEnded,
  expectNothingLost,
  loadThroughFailover,
  subscribedAcross,
} from './support/failover-load.ts';
import { openSession, type SessionHeaders } from './support/redis-clients.ts';
import { type Node, startNode } from './support/redis-nodes.ts';
import { cli, type SentinelTopology, startRedisSentinel, until } from './support/redis-topology.ts';

/** The check reads every answered event after the run, so finished streams stay that long. */
const KEEP_FINISHED_MS = 120_000;

let topology: SentinelTopology;
let nodes: Node[];

beforeAll(async () => {
  topology = await startRedisSentinel({
    replicas: 2,
    serverArgs: ['--appendonly', 'yes', '--min-replicas-to-write', '1', '--min-replicas-max-lag', '10'],
  });
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

describe('the primary killed with SIGKILL under load, with the safe setting', () => {
  it('ends every request with an answer or a clear 503, and loses no session or answered event', async () => {
    const sessions: SessionHeaders[] = [];
    for (let i = 0; i < 6; i++) sessions.push(await openSession(url(i), url(i + 1)));
    const urls = [url(0), url(1)];
    const old = topology.primary.port;
    const bus = await subscribedAcross((nodes[1] as Node).stores.bus, (nodes[0] as Node).stores.bus);
    const run = await loadThroughFailover(
      urls,
      sessions,
      () => topology.primary.kill(),
      async () => (await topology.currentPrimary()) !== old,
    );
    console.log(`Sentinel failover: ${run.summary}`);
    expectEveryRequestEnded(run);
    // Once the promoted primary has its replica back (until then it refuses writes:
    // min-replicas-to-write), nothing is missing.
    const primary = await topology.currentPrimary();
    await until(
      async () => (await cli(primary, 'info', 'replication')).includes('min_slaves_good_slaves:1'),
      'the promoted primary to get a replica',
      30_000,
    );
    console.log(
      `Sentinel failover: ${await expectNothingLost(run, urls, sessions, (nodes[0] as Node).stores.eventStore)}`,
    );
    await bus(); // the nodes' subscriptions came back with the promoted primary
  }, 90_000);

  it('fails a write the replicas did not confirm in time with a clear 503 instead of answering', async () => {
    const primary = await topology.currentPrimary();
    const replica = topology.replicas.find((r) => r.port !== primary) as (typeof topology.replicas)[number];
    replica.child.kill('SIGSTOP');
    try {
      const res = await post(url(0), {
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } },
      });
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        jsonrpc: '2.0',
        id: null,
        error: {
          code: -32000,
          message:
            'Service Unavailable: Redis is unavailable (storing a session: the write reached 0 of 1 replicas within 1000 ms); retry shortly.',
        },
      });
    } finally {
      replica.child.kill('SIGCONT');
    }
  });
});
