/**
 * How long a finished POST stream stays resumable over HTTP: a client cut off as the last event
 * went out can still resume within the event store's `finishedTtlMs`; after it, the stream is gone
 * and the server says so. A stream cut off before its end keeps its events.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryEventStore } from '../src/store/index.ts';
import {
  callTool,
  messages,
  openSession,
  post,
  readEvents,
  type Served,
  serve,
  standIn,
} from './http-server-fixtures.ts';

let s: Served | undefined;
afterEach(async () => {
  await s?.close();
});

const get = (url: string, headers: Record<string, string>, lastEventId: string) =>
  fetch(url, { headers: { accept: 'text/event-stream', ...headers, 'last-event-id': lastEventId } });

describe('a finished POST stream', () => {
  it('replays within the grace; after it the store has forgotten it, and a GET resuming it gets a fresh stream', async () => {
    const store = new MemoryEventStore({ finishedTtlMs: 300 });
    s = await serve(standIn().host, { eventStore: store });
    const { headers } = await openSession(s.url, '2025-11-25');
    const { events } = await readEvents(await post(s.url, callTool(1, 'echo'), headers));
    const primed = events[0]?.id as string;
    expect(primed).toBeDefined();
    const soon = await get(s.url, headers, primed);
    expect(soon.status).toBe(200);
    expect(messages((await readEvents(soon)).events)).toEqual([
      { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: '{}' }] } },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await store.streamOf(primed)).toBeUndefined();
    const controller = new AbortController();
    const late = await fetch(s.url, {
      headers: { accept: 'text/event-stream', ...headers, 'last-event-id': primed },
      signal: controller.signal,
    });
    expect(late.status).toBe(200);
    // The session's GET stream opens (primed, empty); nothing of the finished stream comes back.
    const first = await readEvents(late, (e) => e.data === '');
    controller.abort();
    expect(messages(first.events)).toEqual([]);
  });

  it('keeps the events of a stream cut off before its end', async () => {
    const store = new MemoryEventStore({ finishedTtlMs: 0 });
    const fixture = standIn();
    s = await serve(fixture.host, { eventStore: store, retryMs: 50 });
    const { headers } = await openSession(s.url, '2025-11-25');
    const { events } = await readEvents(await post(s.url, callTool(2, 'reconnect'), headers));
    const primed = events[0]?.id as string;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await store.streamOf(primed)).toBeDefined();
    const resumed = await get(s.url, headers, primed);
    expect(messages((await readEvents(resumed)).events).map((m) => m.id)).toContain(2);
  });
});
