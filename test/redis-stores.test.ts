/** The Redis stores and bus on a real redis-server: bounds, expiry, replay, pub/sub. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, type RedisStores } from '../src/redis/index.ts';
import { type RedisServer, startRedisServer } from './support/redis-server.ts';

let redis: RedisServer;
let stores: RedisStores;

beforeAll(async () => {
  redis = await startRedisServer();
  stores = await connectRedis(redis.url, { maxEventsPerStream: 3, sessionTtlMs: 300, prefix: 't:' });
});

afterAll(async () => {
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
    expect(await stores.client.xlen('t:stream:s1')).toBe(3);
    await eventStore.end?.('s1');
    const page = await eventStore.readAfter?.(first);
    expect(page?.ended).toBe(true);
    for (const id of ['nope', 's1_1-x', 'gone_1-0']) expect(await eventStore.streamOf(id)).toBeUndefined();
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
