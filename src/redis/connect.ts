/** `connectRedis`: one call that connects to Redis and builds the three shared stores on it. */
import type { ClusterOptions, RedisOptions } from 'ioredis';
import { randomToken } from '../store/index.ts';
import { RedisBus } from './bus.ts';
import { createClient, type RedisClient } from './client.ts';
import { RedisEventStore } from './events.ts';
import { guard } from './guard.ts';
import { RedisSessionStore } from './sessions.ts';
import { describeTarget, parseTarget, type RedisTarget } from './url.ts';
import { waitForReplicas } from './wait.ts';

/** Options of `connectRedis`. */
export interface ConnectRedisOptions {
  /** Prefix of every key and channel (default `mcpkit:`). */
  prefix?: string;
  /** Milliseconds a session record lives after its last use (default 30 minutes). */
  sessionTtlMs?: number;
  /** Milliseconds an event stream lives after its last event (default 10 minutes). */
  eventTtlMs?: number;
  /** Events kept per SSE stream (default 1,000). */
  maxEventsPerStream?: number;
  /**
   * Milliseconds the events of a finished stream (its response sent) stay resumable, for a client
   * cut off as the last event went out (default 5 seconds; 0: forgotten at once).
   */
  finishedEventTtlMs?: number;
  /**
   * The safe setting for failover: each write of a session record or an event counts as done only
   * once this many replicas hold it (`WAIT`), else it fails with HTTP 503 (default 0: no waiting).
   */
  waitReplicas?: number;
  /** Milliseconds `WAIT` gives the replicas (default 1,000). */
  waitTimeoutMs?: number;
  /** Extra ioredis options (the defaults fail fast while Redis is away and reconnect within a second). */
  redis?: RedisOptions;
  /** Extra ioredis Cluster options, for `redis+cluster://`. */
  cluster?: ClusterOptions;
  /** Called with connection errors (default: ignored; calls that fail report them). */
  onError?: (error: Error) => void;
}

/** The stores of one node, on one Redis connection (plus one for subscriptions). */
export interface RedisStores {
  /** The command connection (a `Cluster` for `redis+cluster://`). */
  readonly client: RedisClient;
  readonly sessionStore: RedisSessionStore;
  readonly eventStore: RedisEventStore;
  readonly bus: RedisBus;
  /**
   * A secret shared by every node (made by the first node that asks, kept in Redis): give it to
   * McpServer as `requestStateSecret` so any node can check what another signed.
   */
  sharedSecret(): Promise<string>;
  /** Closes both connections. */
  close(): Promise<void>;
}

/**
 * Connects to Redis and builds the session store, event store and bus on it: `redis://host:port`
 * (one server), `redis+cluster://h1:p1,h2:p2,…` (a Redis Cluster), `redis+sentinel://h1:p1,…/name`
 * (a primary behind Sentinel), or the same as options. A malformed URL is refused with the forms.
 */
export async function connectRedis(
  target: RedisTarget,
  options: ConnectRedisOptions = {},
): Promise<RedisStores> {
  const parsed = parseTarget(target);
  const prefix = options.prefix ?? 'mcpkit:';
  const client = createClient(parsed, { redis: options.redis, cluster: options.cluster });
  client.on('error', (error: Error) => options.onError?.(error));
  try {
    await guard(`connecting to ${describeTarget(parsed)}`, () => client.connect());
  } catch (error) {
    client.disconnect();
    throw error;
  }
  const durability =
    (options.waitReplicas ?? 0) > 0
      ? waitForReplicas(client, options.waitReplicas as number, options.waitTimeoutMs ?? 1000)
      : undefined;
  const bus = new RedisBus(client, { prefix });
  return {
    client,
    sessionStore: new RedisSessionStore(client, { prefix, ttlMs: options.sessionTtlMs, durability }),
    eventStore: new RedisEventStore(client, {
      prefix,
      ttlMs: options.eventTtlMs,
      maxEventsPerStream: options.maxEventsPerStream,
      finishedTtlMs: options.finishedEventTtlMs,
      durability,
    }),
    bus,
    sharedSecret: () =>
      guard('reading the shared secret', async () => {
        const key = `${prefix}request-state-secret`;
        await client.set(key, randomToken(32), 'NX');
        return (await client.get(key)) as string;
      }),
    close: async () => {
      await bus.close();
      client.disconnect();
    },
  };
}
