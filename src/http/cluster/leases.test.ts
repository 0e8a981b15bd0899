import { describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../store/index.ts';
import { LeaseKeeper } from './leases.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('LeaseKeeper', () => {
  it('renews what it holds, learns when a lease was taken over, and gives everything up on close', async () => {
    const store = new MemorySessionStore();
    const keeper = new LeaseKeeper(store, 60, () => {});
    let lost = 0;
    expect(await keeper.acquire('get:s', 'a.1', () => lost++)).toBe(true);
    expect(await keeper.acquire('req:s:1', 'a.2')).toBe(true);
    await sleep(200); // more than three lease lifetimes: held only because it was renewed
    expect(await store.acquireLease('get:s', 'b.1', 60_000)).toBe(false);

    expect(await store.takeLease('get:s', 'b.1', 60_000)).toBe('a.1');
    for (let i = 0; i < 50 && lost === 0; i++) await sleep(10);
    expect(lost).toBe(1);
    expect(keeper.size).toBe(1);

    await keeper.close();
    expect(keeper.size).toBe(0);
    expect(await store.acquireLease('req:s:1', 'b.2', 60_000)).toBe(true);
    expect(await store.acquireLease('get:s', 'c.1', 60_000)).toBe(false); // b.1 holds it, not a.1
  });

  it('ends the older holder on this node at once when a newer one of this node takes over', async () => {
    const keeper = new LeaseKeeper(new MemorySessionStore(), 60_000, () => {});
    let lost = 0;
    await keeper.acquire('get:s', 'a.1', () => lost++);
    expect(await keeper.take('get:s', 'a.2')).toBe('a.1');
    expect(lost).toBe(1);
    await keeper.release('get:s', 'a.1'); // the older holder lets go: the newer one keeps it
    expect(keeper.size).toBe(1);
    await keeper.close();
  });
});
