/**
 * Notifications raised for all sessions on one node reach every session of three nodes on one real
 * redis-server once (the tests are in support/broadcast-suite.ts, shared by every topology).
 */
import { afterAll, beforeAll } from 'vitest';
import { broadcastSuite } from './support/broadcast-suite.ts';
import { type RedisServer, startRedisServer } from './support/redis-server.ts';

let redis: RedisServer;

beforeAll(async () => {
  redis = await startRedisServer();
});

afterAll(async () => {
  await redis.stop();
});

broadcastSuite(() => redis.url);
