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

  it('lists every live record, as copies', async () => {
    const store = new MemorySessionStore({ ttlMs: 1000 });
    await store.set(record('a'));
    await store.set(record('b'));
    await store.set(record('old', Date.now() - 5000));
    const listed: SessionRecord[] = [];
    for await (const r of store.list()) listed.push(r);
    expect(listed.map((r) => r.id).sort()).toEqual(['a', 'b']);
    (listed[0] as SessionRecord).revision = 'changed outside';
    expect((await store.get(listed[0]?.id as string))?.revision).toBeUndefined();
  });

  it('keeps leases: one owner at a time, taken over, renewed and released only by their owner', async () => {
    const store = new MemorySessionStore();
    expect(await store.acquireLease('x', 'one', 60_000)).toBe(true);
    expect(await store.acquireLease('x', 'two', 60_000)).toBe(false);
    expect(
      await store.renewLeases(
        [
          { name: 'x', owner: 'two' },
          { name: 'x', owner: 'one' },
        ],
        60_000,
      ),
    ).toEqual([false, true]);
    await store.releaseLease('x', 'two');
    expect(await store.takeLease('x', 'two', 60_000)).toBe('one');
    expect(await store.takeLease('x', 'two', 60_000)).toBeUndefined();
    await store.releaseLease('x', 'two');
    expect(await store.acquireLease('x', 'three', 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 5));
    expect(await store.acquireLease('x', 'four', 60_000)).toBe(true);
  });
});
