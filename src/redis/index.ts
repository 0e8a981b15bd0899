/**
 * `mcpkit/redis`: the Redis implementations of SessionStore, EventStore and Bus, so that several
 * nodes behind a load balancer serve the same sessions, on one Redis, a Redis Cluster or a primary
 * behind Sentinel. Needs the `ioredis` package.
 */
export { RedisBus, type RedisBusOptions } from './bus.ts';
export type { RedisClient } from './client.ts';
export { type ConnectRedisOptions, connectRedis, type RedisStores } from './connect.ts';
export { redisOptionsFromEnv } from './env.ts';
export { RedisEventStore, type RedisEventStoreOptions } from './events.ts';
export { RedisSessionStore, type RedisSessionStoreOptions } from './sessions.ts';
export {
  type ParsedTarget,
  parseTarget,
  REDIS_URL_FORMS,
  type RedisAddress,
  type RedisTarget,
} from './url.ts';
export { type Durability, waitForReplicas } from './wait.ts';
