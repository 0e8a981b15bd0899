/**
 * SSE events in Redis Streams: one stream per SSE stream, trimmed to `maxEventsPerStream` entries
 * (XADD MAXLEN) and expiring `ttlMs` after its last write. An event id is the SSE stream id and
 * the Redis entry id joined by `_`, so any node can resume any stream from it.
 */
import {
  type EventPage,
  type EventStore,
  FINISHED_TTL_MS,
  type ReplaySink,
  type StoredEvent,
} from '../store/index.ts';
import type { RedisClient } from './client.ts';
import { guard } from './guard.ts';
import { streamKey } from './keys.ts';
import type { Durability } from './wait.ts';

/** Options of the Redis event store. */
export interface RedisEventStoreOptions {
  /** Prefix of every key (default `mcpkit:`). */
  prefix?: string;
  /** Events kept per stream; older ones are trimmed (default 1,000). */
  maxEventsPerStream?: number;
  /** Milliseconds a stream lives after its last write (default 10 minutes). */
  ttlMs?: number;
  /**
   * Milliseconds a finished stream (ended with its last event written to an open connection) lives
   * after `finish` (default 5 seconds; 0 deletes it at once).
   */
  finishedTtlMs?: number;
  /** Waits until replicas hold each stored event (see `waitReplicas` of connectRedis). */
  durability?: Durability;
}

const SEPARATOR = '_';
const ENTRY_ID = /^[0-9]{1,20}-[0-9]{1,20}$/;

/**
 * An EventStore in Redis Streams (one server, Sentinel or a Cluster), shared by every node of a
 * deployment; stream `<p>.<n>` is the key `<prefix>stream:{<p>}.<n>`, so a session's streams share a slot.
 */
export class RedisEventStore implements EventStore {
  readonly #redis: RedisClient;
  readonly #prefix: string;
  readonly #max: number;
  readonly #ttl: number;
  readonly #finishedTtl: number;
  readonly #durability: Durability | undefined;

  constructor(redis: RedisClient, options: RedisEventStoreOptions = {}) {
    this.#redis = redis;
    this.#prefix = options.prefix ?? 'mcpkit:';
    this.#max = Math.max(1, Math.round(options.maxEventsPerStream ?? 1000));
    this.#ttl = Math.max(1, Math.round(options.ttlMs ?? 10 * 60_000));
    this.#finishedTtl = Math.max(0, Math.round(options.finishedTtlMs ?? FINISHED_TTL_MS));
    this.#durability = options.durability;
  }

  append(streamId: string, data: string): Promise<string> {
    return guard('storing an event', async () => {
      const entry = await this.#add(streamId, 'd', data);
      return `${streamId}${SEPARATOR}${entry}`;
    });
  }

  async streamOf(eventId: string): Promise<string | undefined> {
    const parsed = parse(eventId);
    if (!parsed) return undefined;
    const exists = await guard('finding a stream', () =>
      this.#redis.exists(streamKey(this.#prefix, parsed.streamId)),
    );
    return exists === 1 ? parsed.streamId : undefined;
  }

  async replayAfter(eventId: string, send: ReplaySink): Promise<string | undefined> {
    const page = await this.readAfter(eventId, this.#max + 1);
    if (!page) return undefined;
    for (const event of page.events) if (event.data !== '') await send(event.id, event.data);
    return page.streamId;
  }

  deleteStream(streamId: string): Promise<void> {
    return guard('deleting a stream', async () => {
      await this.#redis.del(streamKey(this.#prefix, streamId));
    });
  }

  finish(streamId: string): Promise<void> {
    return guard('finishing a stream', async () => {
      const key = streamKey(this.#prefix, streamId);
      if (this.#finishedTtl === 0) await this.#redis.del(key);
      else await this.#redis.pexpire(key, this.#finishedTtl);
    });
  }

  end(streamId: string): Promise<void> {
    return guard('ending a stream', async () => {
      await this.#add(streamId, 'e', '1');
    });
  }

  async readAfter(eventId: string, limit = 1000): Promise<EventPage | undefined> {
    const parsed = parse(eventId);
    if (!parsed) return undefined;
    const { streamId, entry } = parsed;
    const key = streamKey(this.#prefix, streamId);
    const [exists, entries] = await guard('reading a stream', async () => {
      const replies = await this.#redis
        .multi()
        .exists(key)
        .xrange(key, `(${entry}`, '+', 'COUNT', Math.max(1, limit))
        .exec();
      if (!replies) throw new Error('the transaction was aborted');
      for (const [error] of replies) if (error) throw error;
      return [replies[0]?.[1] as number, replies[1]?.[1] as [string, string[]][]];
    });
    if (exists !== 1) return undefined;
    const events: StoredEvent[] = [];
    for (const [id, fields] of entries) {
      if (fields[0] === 'e') return { streamId, events, ended: true };
      events.push({ id: `${streamId}${SEPARATOR}${id}`, data: fields[1] ?? '' });
    }
    return { streamId, events, ended: false };
  }

  async #add(streamId: string, field: string, value: string): Promise<string> {
    const key = streamKey(this.#prefix, streamId);
    const replies = await this.#redis
      .multi()
      .xadd(key, 'MAXLEN', this.#max, '*', field, value)
      .pexpire(key, this.#ttl)
      .exec();
    const [error, entry] = replies?.[0] ?? [new Error('the transaction was aborted')];
    if (error) throw error;
    await this.#durability?.(key);
    return entry as string;
  }
}

function parse(eventId: string): { streamId: string; entry: string } | undefined {
  const cut = eventId.lastIndexOf(SEPARATOR);
  if (cut <= 0) return undefined;
  const entry = eventId.slice(cut + 1);
  return ENTRY_ID.test(entry) ? { streamId: eventId.slice(0, cut), entry } : undefined;
}
