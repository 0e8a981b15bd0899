/**
 * Session records in Redis: one hash per session (each field a JSON value), expiring `ttlMs` after
 * its last write, so that a session nobody uses leaves Redis by itself.
 */
import type { Redis } from 'ioredis';
import type { SessionRecord, SessionStore } from '../store/index.ts';
import { guard } from './guard.ts';

/** Options of the Redis session store. */
export interface RedisSessionStoreOptions {
  /** Prefix of every key (default `mcpkit:`). */
  prefix?: string;
  /** Milliseconds a record lives after its last write (default 30 minutes). */
  ttlMs?: number;
}

// Changes fields only when the record still exists, and renews its expiry.
const UPDATE = `if redis.call('exists', KEYS[1]) == 0 then return 0 end
redis.call('hset', KEYS[1], unpack(ARGV, 2))
redis.call('pexpire', KEYS[1], ARGV[1])
return 1`;

/** A SessionStore in Redis, shared by every node of a deployment. */
export class RedisSessionStore implements SessionStore {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #ttl: number;

  constructor(redis: Redis, options: RedisSessionStoreOptions = {}) {
    this.#redis = redis;
    this.#prefix = `${options.prefix ?? 'mcpkit:'}session:`;
    this.#ttl = Math.max(1, Math.round(options.ttlMs ?? 30 * 60_000));
  }

  get(id: string): Promise<SessionRecord | undefined> {
    return guard('reading a session', async () => {
      const hash = await this.#redis.hgetall(this.#prefix + id);
      if (!hash || Object.keys(hash).length === 0) return undefined;
      const record: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(hash)) record[k] = JSON.parse(v);
      return record as unknown as SessionRecord;
    });
  }

  set(record: SessionRecord): Promise<void> {
    const key = this.#prefix + record.id;
    return guard('storing a session', async () => {
      await this.#redis.multi().del(key).hset(key, flatten(record)).pexpire(key, this.#ttl).exec();
    });
  }

  update(id: string, changes: Partial<Omit<SessionRecord, 'id'>>): Promise<void> {
    const fields = Object.entries(flatten(changes)).flat();
    if (fields.length === 0) return Promise.resolve();
    return guard('updating a session', async () => {
      await this.#redis.eval(UPDATE, 1, this.#prefix + id, this.#ttl, ...fields);
    });
  }

  delete(id: string): Promise<void> {
    return guard('deleting a session', async () => {
      await this.#redis.del(this.#prefix + id);
    });
  }

  count(): Promise<number> {
    return guard('counting sessions', async () => {
      let cursor = '0';
      let n = 0;
      do {
        const [next, keys] = await this.#redis.scan(cursor, 'MATCH', `${this.#prefix}*`, 'COUNT', 1000);
        cursor = next;
        n += keys.length;
      } while (cursor !== '0');
      return n;
    });
  }
}

function flatten(values: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (v !== undefined) out[k] = JSON.stringify(v);
  return out;
}
