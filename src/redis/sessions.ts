/**
 * Session records in Redis: one hash per session (each field a JSON value), expiring `ttlMs` after
 * its last write, so that a session nobody uses leaves Redis by itself.
 */
import type { Redis } from 'ioredis';
import type { Lease, SessionRecord, SessionStore } from '../store/index.ts';
import { batch, primaries, type RedisClient } from './client.ts';
import { guard } from './guard.ts';
import { leaseKey, sessionKey } from './keys.ts';
import type { Durability } from './wait.ts';

/** Options of the Redis session store. */
export interface RedisSessionStoreOptions {
  /** Prefix of every key (default `mcpkit:`). */
  prefix?: string;
  /** Milliseconds a record lives after its last write (default 30 minutes). */
  ttlMs?: number;
  /** Waits until replicas hold each write of a record (see `waitReplicas` of connectRedis). */
  durability?: Durability;
}

// Changes fields only when the record still exists, and renews its expiry.
const UPDATE = `if redis.call('exists', KEYS[1]) == 0 then return 0 end
redis.call('hset', KEYS[1], unpack(ARGV, 2))
redis.call('pexpire', KEYS[1], ARGV[1])
return 1`;

// Sets a lease whoever holds it; returns the other owner it replaced.
const TAKE = `local held = redis.call('get', KEYS[1])
redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
if held and held ~= ARGV[1] then return held end
return false`;

// Extends a lease if its owner still holds it.
const RENEW = `if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('pexpire', KEYS[1], ARGV[2])
return 1`;

// Deletes a lease if its owner still holds it.
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) end
return 1`;

/** Records read per SCAN step when listing sessions. */
const LIST_PAGE = 500;

/**
 * A SessionStore in Redis (one server, Sentinel or a Cluster), shared by every node of a
 * deployment. A record is the hash `<prefix>session:{<id>}`; leases are plain keys
 * `<prefix>lease:<kind>:{<session id>}…` holding their owner, with a TTL, in the record's slot.
 */
export class RedisSessionStore implements SessionStore {
  readonly #redis: RedisClient;
  readonly #prefix: string;
  readonly #ttl: number;
  readonly #durability: Durability | undefined;

  constructor(redis: RedisClient, options: RedisSessionStoreOptions = {}) {
    this.#redis = redis;
    this.#prefix = options.prefix ?? 'mcpkit:';
    this.#ttl = Math.max(1, Math.round(options.ttlMs ?? 30 * 60_000));
    this.#durability = options.durability;
  }

  get(id: string): Promise<SessionRecord | undefined> {
    return guard('reading a session', async () => parse(await this.#redis.hgetall(this.#key(id))));
  }

  /** Every record, walking each primary's keyspace in turn (every primary of a cluster). */
  async *list(): AsyncIterable<SessionRecord> {
    const nodes = await guard('listing sessions', async () => primaries(this.#redis));
    for (const node of nodes) yield* this.#listOn(node);
  }

  async *#listOn(node: Redis): AsyncIterable<SessionRecord> {
    let cursor = '0';
    do {
      const [next, keys] = await guard('listing sessions', () =>
        node.scan(cursor, 'MATCH', `${this.#prefix}session:*`, 'COUNT', LIST_PAGE),
      );
      cursor = next;
      if (keys.length === 0) continue;
      const pipeline = node.pipeline();
      for (const key of keys) pipeline.hgetall(key);
      const replies = await guard('listing sessions', async () => (await pipeline.exec()) ?? []);
      for (const [error, hash] of replies) {
        const record = error ? undefined : safeParse(hash as Record<string, string>);
        if (record) yield record;
      }
    } while (cursor !== '0');
  }

  acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return guard('taking a lease', async () => {
      const done = await this.#redis.set(leaseKey(this.#prefix, name), owner, 'PX', leaseTtl(ttlMs), 'NX');
      return done === 'OK';
    });
  }

  takeLease(name: string, owner: string, ttlMs: number): Promise<string | undefined> {
    return guard('taking a lease', async () => {
      const held = await this.#redis.eval(TAKE, 1, leaseKey(this.#prefix, name), owner, leaseTtl(ttlMs));
      return typeof held === 'string' ? held : undefined;
    });
  }

  renewLeases(leases: readonly Lease[], ttlMs: number): Promise<boolean[]> {
    if (leases.length === 0) return Promise.resolve([]);
    return guard('renewing leases', async () => {
      const replies = await batch(
        this.#redis,
        leases.map(({ name, owner }) => [
          'eval',
          RENEW,
          1,
          leaseKey(this.#prefix, name),
          owner,
          leaseTtl(ttlMs),
        ]),
      );
      return leases.map((_, i) => {
        const [error, held] = replies[i] ?? [new Error('no reply')];
        if (error) throw error;
        return held === 1;
      });
    });
  }

  releaseLease(name: string, owner: string): Promise<void> {
    return guard('releasing a lease', async () => {
      await this.#redis.eval(RELEASE, 1, leaseKey(this.#prefix, name), owner);
    });
  }

  set(record: SessionRecord): Promise<void> {
    const key = this.#key(record.id);
    return guard('storing a session', async () => {
      await this.#redis.multi().del(key).hset(key, flatten(record)).pexpire(key, this.#ttl).exec();
      await this.#durability?.(key);
    });
  }

  update(id: string, changes: Partial<Omit<SessionRecord, 'id'>>): Promise<void> {
    const fields = Object.entries(flatten(changes)).flat();
    if (fields.length === 0) return Promise.resolve();
    return guard('updating a session', async () => {
      const key = this.#key(id);
      await this.#redis.eval(UPDATE, 1, key, this.#ttl, ...fields);
      await this.#durability?.(key);
    });
  }

  delete(id: string): Promise<void> {
    return guard('deleting a session', async () => {
      await this.#redis.del(this.#key(id));
    });
  }

  /** How many records there are, on every primary. */
  count(): Promise<number> {
    return guard('counting sessions', async () => {
      let n = 0;
      for (const node of primaries(this.#redis)) {
        let cursor = '0';
        do {
          const [next, keys] = await node.scan(cursor, 'MATCH', `${this.#prefix}session:*`, 'COUNT', 1000);
          cursor = next;
          n += keys.length;
        } while (cursor !== '0');
      }
      return n;
    });
  }

  #key(id: string): string {
    return sessionKey(this.#prefix, id);
  }
}

function leaseTtl(ttlMs: number): number {
  return Math.max(1, Math.round(ttlMs));
}

function parse(hash: Record<string, string> | null | undefined): SessionRecord | undefined {
  if (!hash || Object.keys(hash).length === 0) return undefined;
  const record: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(hash)) record[k] = JSON.parse(v);
  return record as unknown as SessionRecord;
}

function safeParse(hash: Record<string, string> | null | undefined): SessionRecord | undefined {
  try {
    return parse(hash);
  } catch {
    return undefined; // not a record of ours
  }
}

function flatten(values: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (v !== undefined) out[k] = JSON.stringify(v);
  return out;
}
