/**
 * The connection under the stores: one Redis, a Redis Cluster or a primary found through Sentinel,
 * each set to fail fast while Redis is away (no offline queue, one retry) and to reconnect by
 * itself, following a failover. Also what the stores need to run on any of them: every primary
 * (for listings), and a batch of single-key commands that may span slots.
 */
import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import type { ParsedTarget } from './url.ts';

/** An ioredis connection the stores run on: a `Redis` (one server, or Sentinel) or a `Cluster`. */
export type RedisClient = Redis | Cluster;

/** Options for the connection of each kind. */
export interface ClientOptions {
  /** Extra ioredis options, for one server, each cluster node, or the primary behind Sentinel. */
  redis?: RedisOptions;
  /** Extra ioredis Cluster options. */
  cluster?: ClusterOptions;
}

const FAIL_FAST: RedisOptions = {
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  retryStrategy: (times: number) => Math.min(times * 100, 1000),
};

/** Makes the (not yet connected) client for a target. */
export function createClient(target: ParsedTarget, options: ClientOptions = {}): RedisClient {
  if (target.kind === 'single') return new Redis(target.url, { ...FAIL_FAST, ...options.redis });
  const auth = { username: target.username, password: target.password, ...(target.tls ? { tls: {} } : {}) };
  if (target.kind === 'sentinel') {
    return new Redis({
      ...FAIL_FAST,
      sentinels: target.sentinels,
      name: target.name,
      db: target.db,
      ...auth,
      ...(target.tls ? { enableTLSForSentinelMode: true } : {}),
      // A primary demoted while reachable answers READONLY: look the primary up again.
      reconnectOnError: (error: Error) => error.message.startsWith('READONLY'),
      sentinelRetryStrategy: (times: number) => Math.min(times * 100, 1000),
      ...options.redis,
    });
  }
  return new Cluster(target.nodes, {
    lazyConnect: true,
    enableOfflineQueue: false,
    clusterRetryStrategy: (times: number) => Math.min(times * 100, 1000),
    retryDelayOnFailover: 100,
    retryDelayOnClusterDown: 100,
    retryDelayOnTryAgain: 100,
    maxRedirections: 16,
    slotsRefreshTimeout: 2000,
    ...options.cluster,
    redisOptions: { ...auth, maxRetriesPerRequest: 1, ...options.cluster?.redisOptions, ...options.redis },
  });
}

/** Whether a client is a Redis Cluster. */
export function isCluster(client: RedisClient): client is Cluster {
  return client.isCluster;
}

/** The primaries holding the keys: every primary of a cluster, or the one server. */
export function primaries(client: RedisClient): Redis[] {
  return isCluster(client) ? client.nodes('master') : [client];
}

/**
 * Sends single-key commands (`[name, ...args]`) and resolves with each reply or error, in order: in
 * one pipeline on one server; on a cluster each to the primary owning its key, all written at once.
 */
export async function batch(
  client: RedisClient,
  commands: readonly (readonly (string | number)[])[],
): Promise<[Error | null, unknown][]> {
  if (commands.length === 0) return [];
  if (isCluster(client)) {
    return Promise.all(
      commands.map(([name, ...args]) =>
        client.call(String(name), ...args).then(
          (reply): [Error | null, unknown] => [null, reply],
          (error: Error): [Error | null, unknown] => [error, undefined],
        ),
      ),
    );
  }
  const pipeline = client.pipeline();
  for (const [name, ...args] of commands) pipeline.call(String(name), ...args);
  return ((await pipeline.exec()) ?? []) as [Error | null, unknown][];
}
