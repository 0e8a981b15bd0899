import { describe, expect, it } from 'vitest';
import { MemoryTaskStore, type TaskRecord } from './task-store.ts';

function record(taskId: string, createdMs: number, ttlMs: number): TaskRecord {
  const stamp = new Date(createdMs).toISOString();
  return {
    taskId,
    status: 'working',
    createdAt: stamp,
    lastUpdatedAt: stamp,
    ttlMs,
    pollIntervalMs: 100,
    principal: '',
    expiresAt: createdMs + ttlMs,
    request: { name: 't' },
  };
}

describe('MemoryTaskStore', () => {
  it('keeps a task readable for its whole ttl and forgets it afterwards', async () => {
    let now = 1_000;
    const store = new MemoryTaskStore({ now: () => now });
    await store.create(record('a', now, 500));
    now = 1_499;
    expect((await store.get('a'))?.taskId).toBe('a');
    now = 1_500;
    expect(await store.get('a')).toBeUndefined();
  });

  it('hands out copies: changing a returned record changes nothing until put', async () => {
    const store = new MemoryTaskStore();
    await store.create(record('a', Date.now(), 60_000));
    const got = await store.get('a');
    if (!got) throw new Error('missing');
    got.status = 'completed';
    expect((await store.get('a'))?.status).toBe('working');
    await store.put(got);
    expect((await store.get('a'))?.status).toBe('completed');
  });

  it('refuses a duplicate id and drops expired tasks as new ones arrive', async () => {
    let now = 0;
    const store = new MemoryTaskStore({ now: () => now });
    await store.create(record('old', now, 10));
    await expect(store.create(record('old', now, 10))).rejects.toThrow(/already exists/);
    now = 100;
    await store.create(record('new', now, 10));
    expect(store.size).toBe(1);
  });
});
