/**
 * `mcpkit/redis`: the Redis implementations of SessionStore, EventStore and Bus, so that several
 * nodes behind a load balancer serve the same sessions. Needs the `ioredis` package.
 */
export { RedisBus, type RedisBusOptions } from './bus.ts';
export { type ConnectRedisOptions, connectRedis, type RedisStores } from './connect.ts';
export { RedisEventStore, type RedisEventStoreOptions } from './events.ts';
export { RedisSessionStore, type RedisSessionStoreOptions } from './sessions.ts';
