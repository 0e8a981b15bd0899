import { describe, expect, it } from 'vitest';
import { MemorySessionStore, type SessionRecord } from './sessions.ts';

const record = (id: string, lastSeen = Date.now()): SessionRecord => ({
  id,
  transport: 'streamable-http',
  createdAt: lastSeen,
  lastSeen,
});

describe('MemorySessionStore', () => {
  it('stores, updates and deletes records, copying them in and out', async () => {
    const store = new MemorySessionStore();
    const r = record('a');
    await store.set(r);
    r.revision = 'changed outside';
    expect((await store.get('a'))?.revision).toBeUndefined();
    await store.update('a', { revision: '2025-11-25' });
    const got = await store.get('a');
    expect(got).toMatchObject({ id: 'a', revision: '2025-11-25' });
    expect(JSON.parse(JSON.stringify(got))).toEqual(got);
    await store.update('missing', { revision: 'x' });
    expect(await store.get('missing')).toBeUndefined();
    expect(await store.count()).toBe(1);
    await store.delete('a');
    expect(await store.get('a')).toBeUndefined();
    expect(await store.count()).toBe(0);
  });

  it('expires records not seen within the TTL', async () => {
    const store = new MemorySessionStore({ ttlMs: 1000 });
    await store.set(record('old', Date.now() - 5000));
    await store.set(record('new'));
    expect(await store.get('old')).toBeUndefined();
    expect(await store.count()).toBe(1);
  });
});
