/** The Redis stores and bus on a real redis-server: bounds, expiry, replay, pub/sub. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, type RedisStores } from '../src/redis/index.ts';
import { type RedisServer, startRedisServer } from './support/redis-server.ts';

let redis: RedisServer;
let stores: RedisStores;
const others: RedisStores[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  stores = await connectRedis(redis.url, { maxEventsPerStream: 3, sessionTtlMs: 300, prefix: 't:' });
});

afterAll(async () => {
  await Promise.all(others.map((s) => s.close()));
  await stores.close();
  await redis.stop();
});

describe('RedisEventStore', () => {
  it('keeps at most maxEventsPerStream events per stream and replays only its stream, in order', async () => {
    const { eventStore } = stores;
    const first = await eventStore.append('s1', '');
    await eventStore.append('s2', '{"other":1}');
    for (const n of [1, 2, 3, 4]) await eventStore.append('s1', `{"n":${n}}`);
    expect(await eventStore.streamOf(first)).toBe('s1');
    const got: string[] = [];
    expect(await eventStore.replayAfter(first, (_id, data) => void got.push(data))).toBe('s1');
    expect(got).toEqual(['{"n":2}', '{"n":3}', '{"n":4}']);
    expect(await stores.client.xlen('t:stream:{s1}')).toBe(3);
    await eventStore.end?.('s1');
    const page = await eventStore.readAfter?.(first);
    expect(page?.ended).toBe(true);
    for (const id of ['nope', 's1_1-x', 'gone_1-0']) expect(await eventStore.streamOf(id)).toBeUndefined();
  });

  it('keeps a finished stream resumable for finishedEventTtlMs, then forgets it; 0 forgets it at once', async () => {
    const short = await connectRedis(redis.url, { prefix: 'f:', finishedEventTtlMs: 300 });
    const none = await connectRedis(redis.url, { prefix: 'z:', finishedEventTtlMs: 0 });
    others.push(short, none);
    const finished = await short.eventStore.append('done', '{"n":1}');
    await short.eventStore.append('done', '{"n":2}');
    const open = await short.eventStore.append('open', '{"n":1}');
    await short.eventStore.finish?.('done');
    const ttl = await short.client.pttl('f:stream:{done}');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(300);
    expect(await short.client.pttl('f:stream:{open}')).toBeGreaterThan(60_000);
    expect(await short.eventStore.streamOf(finished)).toBe('done');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await short.eventStore.streamOf(finished)).toBeUndefined();
    expect(await short.eventStore.streamOf(open)).toBe('open');
    const gone = await none.eventStore.append('done', '{"n":1}');
    await none.eventStore.finish?.('done');
    expect(await none.eventStore.streamOf(gone)).toBeUndefined();
  });
});

describe('RedisSessionStore', () => {
  it('stores records, updates only existing ones, and lets them expire', async () => {
    const { sessionStore } = stores;
    const now = Date.now();
    await sessionStore.set({ id: 'a', transport: 'streamable-http', createdAt: now, lastSeen: now });
    await sessionStore.update('a', { logLevel: 'error', subscriptions: ['x://1'] });
    await sessionStore.update('missing', { logLevel: 'error' });
    expect(await sessionStore.get('a')).toMatchObject({
      id: 'a',
      logLevel: 'error',
      subscriptions: ['x://1'],
    });
    expect(await sessionStore.get('missing')).toBeUndefined();
    expect(await sessionStore.count()).toBe(1);
    let left = 1;
    for (let i = 0; i < 50 && left > 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      left = await sessionStore.count();
    }
    expect(left).toBe(0);
  });
});

describe('RedisSessionStore leases and listing', () => {
  it('lists every record over several SCAN pages, and nothing but records', async () => {
    const listing = await connectRedis(redis.url, { prefix: 'list:' });
    others.push(listing);
    const { sessionStore } = listing;
    const now = Date.now();
    for (let i = 0; i < 1200; i++) {
      await sessionStore.set({ id: `s${i}`, transport: 'streamable-http', createdAt: now, lastSeen: now });
    }
    await sessionStore.acquireLease('get:s1', 'owner', 60_000);
    const ids = new Set<string>();
    for await (const r of sessionStore.list()) ids.add(r.id);
    expect(ids.size).toBe(1200);
    expect(await sessionStore.count()).toBe(1200);
  });

  it('keeps leases: one owner at a time, taken over, renewed and released by their owner, expiring', async () => {
    const { sessionStore } = stores;
    expect(await sessionStore.acquireLease('x', 'one', 60_000)).toBe(true);
    expect(await sessionStore.acquireLease('x', 'two', 60_000)).toBe(false);
    expect(await stores.client.get('t:lease:x')).toBe('one');
    expect(
      await sessionStore.renewLeases(
        [
          { name: 'x', owner: 'two' },
          { name: 'x', owner: 'one' },
        ],
        60_000,
      ),
    ).toEqual([false, true]);
    await sessionStore.releaseLease('x', 'two');
    expect(await sessionStore.takeLease('x', 'two', 60_000)).toBe('one');
    expect(await sessionStore.takeLease('x', 'two', 60_000)).toBeUndefined();
    await sessionStore.releaseLease('x', 'two');
    expect(await stores.client.exists('t:lease:x')).toBe(0);
    expect(await sessionStore.acquireLease('x', 'three', 30)).toBe(true);
    let taken = false;
    for (let i = 0; i < 50 && !taken; i++) {
      await new Promise((r) => setTimeout(r, 20));
      taken = await sessionStore.acquireLease('x', 'four', 60_000);
    }
    expect(taken).toBe(true);
  });
});

describe('RedisBus', () => {
  it('delivers to every subscriber of a channel until it unsubscribes', async () => {
    const other = await connectRedis(redis.url, { prefix: 't:' });
    const got: string[] = [];
    const off = await other.bus.subscribe('ch', (m) => got.push(m));
    await stores.bus.publish('ch', 'one');
    for (let i = 0; i < 50 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await off();
    await stores.bus.publish('ch', 'two');
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toEqual(['one']);
    expect(other.bus.size).toBe(0);
    await other.close();
  });
});

describe('waitReplicas on a primary with no replica connected', () => {
  it('fails every write at once, saying why, instead of each waiting out WAIT', async () => {
    // A WAIT here would hold each write for the whole minute (and the ones after it, in turn).
    const durable = await connectRedis(redis.url, { prefix: 'w:', waitReplicas: 1, waitTimeoutMs: 60_000 });
    others.push(durable);
    const results = await Promise.all(
      [1, 2, 3].map((n) =>
        durable.sessionStore
          .set({ id: `w${n}`, transport: 'streamable-http', createdAt: 1, lastSeen: 1 })
          .then(
            () => 'stored',
            (error: Error) => error.message,
          ),
      ),
    );
    expect(results).toEqual(
      Array(3).fill(
        'Redis is unavailable (storing a session: the write cannot reach 1 replicas: the primary has 0 connected); retry shortly.',
      ),
    );
  });
});
