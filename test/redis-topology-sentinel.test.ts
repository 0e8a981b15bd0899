/**
 * mcpkit nodes on a real primary and replica behind 3 Sentinels (`redis+sentinel://…/mymaster`):
 * the cross-node and broadcast tests pass as on one Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../src/redis/index.ts';
import { broadcastSuite } from './support/broadcast-suite.ts';
import { crossNodeSuite } from './support/cross-node-suite.ts';
import { nodeProcessSuite } from './support/node-processes.ts';
import { cli, type SentinelTopology, startRedisSentinel } from './support/redis-topology.ts';

let topology: SentinelTopology;

beforeAll(async () => {
  topology = await startRedisSentinel();
}, 120_000);

afterAll(async () => {
  await topology.stop();
});

describe('connectRedis with the sentinels as options', () => {
  it('finds the primary, and refuses options without the name of the primary', async () => {
    const sentinels = topology.sentinels.map((s) => ({ host: '127.0.0.1', port: s.port }));
    const viaOptions = await connectRedis({ sentinels, name: 'mymaster' });
    const viaUrl = await connectRedis(topology.url);
    try {
      await viaOptions.sessionStore.set({
        id: 'opt-1',
        transport: 'streamable-http',
        createdAt: 1,
        lastSeen: 2,
      });
      expect(await viaUrl.sessionStore.get('opt-1')).toEqual({
        id: 'opt-1',
        transport: 'streamable-http',
        createdAt: 1,
        lastSeen: 2,
      });
      expect(await cli(topology.primary.port, 'exists', 'mcpkit:session:{opt-1}')).toBe('1\n');
    } finally {
      await Promise.all([viaOptions.close(), viaUrl.close()]);
    }
    await expect(connectRedis({ sentinels, name: '' })).rejects.toThrow(
      'The sentinel option needs name: the name the sentinels know the primary by.',
    );
  });
});

crossNodeSuite(() => topology.url);
broadcastSuite(() => topology.url);
nodeProcessSuite(() => topology.url, { REDIS_WAIT_REPLICAS: '1' });
