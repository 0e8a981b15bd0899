/**
 * Three in-process nodes on one real redis-server serve one session whose requests are spread
 * over them, as a round-robin load balancer without sticky sessions would spread them.
 */
import { afterAll, beforeAll } from 'vitest';
import { crossNodeSuite } from './support/cross-node-suite.ts';
import { type RedisServer, startRedisServer } from './support/redis-server.ts';

let redis: RedisServer;

beforeAll(async () => {
  redis = await startRedisServer();
});

afterAll(async () => {
  await redis.stop();
});

crossNodeSuite(() => redis.url);
