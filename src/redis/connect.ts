/** `connectRedis`: one call that connects to Redis and builds the three shared stores on it. */
import { Redis, type RedisOptions } from 'ioredis';
import { randomToken } from '../http/index.ts';
import { RedisBus } from './bus.ts';
import { RedisEventStore } from './events.ts';
import { guard } from './guard.ts';
import { RedisSessionStore } from './sessions.ts';

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
  /** Extra ioredis options (the defaults fail fast while Redis is away and reconnect within a second). */
  redis?: RedisOptions;
  /** Called with connection errors (default: ignored; calls that fail report them). */
  onError?: (error: Error) => void;
}

/** The stores of one node, on one Redis connection (plus one for subscriptions). */
export interface RedisStores {
  /** The command connection. */
  readonly client: Redis;
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

/** Connects to Redis (`redis://…` URL) and builds the session store, event store and bus on it. */
export async function connectRedis(url: string, options: ConnectRedisOptions = {}): Promise<RedisStores> {
  const prefix = options.prefix ?? 'mcpkit:';
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (times: number) => Math.min(times * 100, 1000),
    ...options.redis,
  });
  client.on('error', (error: Error) => options.onError?.(error));
  await guard(`connecting to ${redactUrl(url)}`, () => client.connect());
  const bus = new RedisBus(client, { prefix });
  return {
    client,
    sessionStore: new RedisSessionStore(client, { prefix, ttlMs: options.sessionTtlMs }),
    eventStore: new RedisEventStore(client, {
      prefix,
      ttlMs: options.eventTtlMs,
      maxEventsPerStream: options.maxEventsPerStream,
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

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
