/**
 * The Bus on Redis pub/sub: publishes on the given client, subscribes on a duplicate of it (a
 * subscribed Redis connection can do nothing else), one Redis subscription per channel however
 * many local handlers listen. ioredis resubscribes by itself when the connection comes back.
 */
import type { Redis } from 'ioredis';
import type { Bus, BusHandler } from '../store/index.ts';
import { guard } from './guard.ts';

/** Options of the Redis bus. */
export interface RedisBusOptions {
  /** Prefix of every channel (default `mcpkit:`). */
  prefix?: string;
}

interface Channel {
  handlers: Set<BusHandler>;
  ready: Promise<void>;
}

/** A Bus on Redis pub/sub, shared by every node of a deployment. */
export class RedisBus implements Bus {
  readonly #pub: Redis;
  readonly #sub: Redis;
  readonly #prefix: string;
  readonly #handlers = new Map<string, Channel>();
  #connecting: Promise<void> | undefined;

  constructor(redis: Redis, options: RedisBusOptions = {}) {
    this.#pub = redis;
    this.#prefix = `${options.prefix ?? 'mcpkit:'}bus:`;
    this.#sub = redis.duplicate();
    this.#sub.on('error', () => {}); // reported through the calls that fail; reconnection is automatic
    this.#sub.on('message', (channel: string, message: string) => {
      const entry = this.#handlers.get(channel);
      if (entry) for (const h of [...entry.handlers]) h(message);
    });
  }

  /** Channels with at least one local handler (for tests and metrics). */
  get size(): number {
    return this.#handlers.size;
  }

  publish(channel: string, message: string): Promise<void> {
    return guard('publishing', async () => {
      await this.#pub.publish(this.#prefix + channel, message);
    });
  }

  async subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>> {
    const name = this.#prefix + channel;
    let entry = this.#handlers.get(name);
    if (!entry) {
      const made: Channel = { handlers: new Set(), ready: Promise.resolve() };
      made.ready = guard('subscribing', async () => {
        await this.#connect();
        await this.#sub.subscribe(name);
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
      await this.#sub.unsubscribe(name).catch(() => {});
    };
  }

  /** Closes the subscriber connection. */
  async close(): Promise<void> {
    this.#handlers.clear();
    this.#sub.disconnect();
  }

  #connect(): Promise<void> {
    if (this.#sub.status === 'wait') this.#connecting ??= this.#sub.connect();
    return this.#connecting ?? Promise.resolve();
  }
}
