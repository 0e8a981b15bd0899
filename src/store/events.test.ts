import { describe, expect, it, vi } from 'vitest';
import { MemoryEventStore } from './events.ts';

async function replay(
  store: MemoryEventStore,
  id: string,
): Promise<{ stream: string | undefined; got: [string, string][] }> {
  const got: [string, string][] = [];
  const stream = await store.replayAfter(id, (eventId, data) => {
    got.push([eventId, data]);
  });
  return { stream, got };
}

describe('MemoryEventStore', () => {
  it('gives ids that name their stream and replays only that stream, after the given event', async () => {
    const store = new MemoryEventStore();
    const p = await store.append('s1', '');
    const a = await store.append('s1', '{"a":1}');
    await store.append('s2', '{"other":1}');
    const b = await store.append('s1', '{"b":2}');
    expect(new Set([p, a, b]).size).toBe(3);
    expect(await store.streamOf(a)).toBe('s1');
    expect(await replay(store, p)).toEqual({
      stream: 's1',
      got: [
        [a, '{"a":1}'],
        [b, '{"b":2}'],
      ],
    });
    expect(await replay(store, a)).toEqual({ stream: 's1', got: [[b, '{"b":2}']] });
    expect(await replay(store, b)).toEqual({ stream: 's1', got: [] });
  });

  it('treats unknown, malformed and future ids as unknown', async () => {
    const store = new MemoryEventStore();
    await store.append('s', 'x');
    for (const id of ['nope', 's_', 's_abc', 's_99', '_1', 'other_1']) {
      expect(await store.streamOf(id)).toBeUndefined();
      expect(await replay(store, id)).toEqual({ stream: undefined, got: [] });
    }
  });

  it('keeps at most maxEventsPerStream events, dropping the oldest', async () => {
    const store = new MemoryEventStore({ maxEventsPerStream: 2 });
    const first = await store.append('s', '1');
    await store.append('s', '2');
    await store.append('s', '3');
    const { got } = await replay(store, first);
    expect(got.map(([, d]) => d)).toEqual(['2', '3']);
  });

  it('keeps at most maxStreams streams, dropping the least recently written', async () => {
    const store = new MemoryEventStore({ maxStreams: 2 });
    const a = await store.append('a', '1');
    const b = await store.append('b', '1');
    await store.append('a', '2');
    await store.append('c', '1');
    expect(store.size).toBe(2);
    expect(await store.streamOf(a)).toBe('a');
    expect(await store.streamOf(b)).toBeUndefined();
  });

  it('forgets streams after their TTL and on deleteStream', async () => {
    const store = new MemoryEventStore({ ttlMs: 0 });
    const id = await store.append('s', '1');
    await new Promise((r) => setTimeout(r, 5));
    expect(await store.streamOf(id)).toBeUndefined();
    const kept = new MemoryEventStore();
    const k = await kept.append('s', '1');
    await kept.deleteStream('s');
    expect(await kept.streamOf(k)).toBeUndefined();
  });
});

describe('MemoryEventStore: finished streams', () => {
  it('forgets a finished stream after the grace, keeps an unfinished one', async () => {
    vi.useFakeTimers();
    try {
      const store = new MemoryEventStore({ finishedTtlMs: 1000 });
      const done = await store.append('done', '{"a":1}');
      const cut = await store.append('cut', '{"b":2}');
      await store.finish('done');
      expect(await store.streamOf(done)).toBe('done');
      vi.advanceTimersByTime(1001);
      expect(await store.streamOf(done)).toBeUndefined();
      expect(await store.streamOf(cut)).toBe('cut');
    } finally {
      vi.useRealTimers();
    }
  });

  it('forgets a finished stream at once with finishedTtlMs 0', async () => {
    const store = new MemoryEventStore({ finishedTtlMs: 0 });
    const id = await store.append('s', 'x');
    await store.finish('s');
    expect(await store.streamOf(id)).toBeUndefined();
  });
});
