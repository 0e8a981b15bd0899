/**
 * mcpkit nodes on a real primary and replica behind 3 Sentinels (`redis+sentinel://…/mymaster`):
 * the cross-node and broadcast tests pass as on one Redis.
 */
import { afterAll, beforeAll } from 'vitest';
import { broadcastSuite } from './support/broadcast-suite.ts';
import { crossNodeSuite } from './support/cross-node-suite.ts';
import { nodeProcessSuite } from './support/node-processes.ts';
import { type SentinelTopology, startRedisSentinel } from './support/redis-topology.ts';

let topology: SentinelTopology;

beforeAll(async () => {
  topology = await startRedisSentinel();
}, 120_000);

afterAll(async () => {
  await topology.stop();
});

crossNodeSuite(() => topology.url);
broadcastSuite(() => topology.url);
nodeProcessSuite(() => topology.url, { REDIS_WAIT_REPLICAS: '1' });
