/**
 * The Bus on Redis pub/sub: publishes on the given client, subscribes on a duplicate of it (a
 * subscribed Redis connection can do nothing else), one Redis subscription per channel however
 * many local handlers listen. ioredis resubscribes by itself when the connection comes back.
 * On a Redis Cluster it uses sharded pub/sub (SPUBLISH/SSUBSCRIBE, Redis 7): a message goes to the
 * primary owning its channel's slot and its replicas only, not to every node of the cluster, and
 * the subscriber keeps one connection per primary that owns channels it listens to.
 */
import type { Cluster, Redis } from 'ioredis';
import type { Bus, BusHandler } from '../store/index.ts';
import { isCluster, type RedisClient } from './client.ts';
import { guard } from './guard.ts';
import { channelName } from './keys.ts';

/** Options of the Redis bus. */
export interface RedisBusOptions {
  /** Prefix of every channel (default `mcpkit:`). */
  prefix?: string;
}

interface Channel {
  handlers: Set<BusHandler>;
  ready: Promise<void>;
}

/** A Bus on Redis pub/sub (sharded on a Cluster), shared by every node of a deployment. */
export class RedisBus implements Bus {
  readonly #pub: RedisClient;
  readonly #sub: RedisClient;
  readonly #sharded: boolean;
  readonly #prefix: string;
  readonly #handlers = new Map<string, Channel>();
  #connecting: Promise<void> | undefined;

  constructor(redis: RedisClient, options: RedisBusOptions = {}) {
    this.#pub = redis;
    this.#prefix = options.prefix ?? 'mcpkit:';
    this.#sharded = isCluster(redis);
    this.#sub = isCluster(redis)
      ? redis.duplicate([], { ...redis.options, lazyConnect: true, shardedSubscribers: true })
      : redis.duplicate();
    this.#sub.on('error', () => {}); // reported through the calls that fail; reconnection is automatic
    const deliver = (channel: string, message: string) => {
      const entry = this.#handlers.get(channel);
      if (entry) for (const h of [...entry.handlers]) h(message);
    };
    this.#sub.on(this.#sharded ? 'smessage' : 'message', deliver);
  }

  /** Channels with at least one local handler (for tests and metrics). */
  get size(): number {
    return this.#handlers.size;
  }

  publish(channel: string, message: string): Promise<void> {
    return guard('publishing', async () => {
      const name = channelName(this.#prefix, channel);
      if (this.#sharded) await (this.#pub as Cluster).spublish(name, message);
      else await (this.#pub as Redis).publish(name, message);
    });
  }

  async subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>> {
    const name = channelName(this.#prefix, channel);
    let entry = this.#handlers.get(name);
    if (!entry) {
      const made: Channel = { handlers: new Set(), ready: Promise.resolve() };
      made.ready = guard('subscribing', async () => {
        await this.#connect();
        if (this.#sharded) await this.#sub.ssubscribe(name);
        else await this.#sub.subscribe(name);
      });
      made.ready.catch(() => {
        if (this.#handlers.get(name) === made) this.#handlers.delete(name);
      });
      entry = made;
      this.#handlers.set(name, entry);
    }
    const wrapped: BusHandler = (m) => handler(m);
    entry.handlers.add(wrapped);
    const mine = entry;
    try {
      await mine.ready;
    } catch (error) {
      mine.handlers.delete(wrapped);
      throw error;
    }
    return async () => {
      if (!mine.handlers.delete(wrapped) || mine.handlers.size > 0) return;
      if (this.#handlers.get(name) !== mine) return;
      this.#handlers.delete(name);
      const leave = this.#sharded ? this.#sub.sunsubscribe(name) : this.#sub.unsubscribe(name);
      await leave.catch(() => {});
    };
  }

  /** Closes the subscriber connection. */
  async close(): Promise<void> {
    this.#handlers.clear();
    this.#sub.disconnect();
  }

  #connect(): Promise<void> {
    if (this.#sub.status === 'wait') this.#connecting ??= this.#sub.connect().then(() => {});
    return this.#connecting ?? Promise.resolve();
  }
}
