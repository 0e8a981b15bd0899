/** Streams that outlive their connection: priming (2025-11-25), the GET stream, Last-Event-ID replay. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  callTool,
  messages,
  openSession,
  post,
  readEvents,
  type Served,
  type StandIn,
  serve,
  standIn,
} from './http-server-fixtures.ts';

let host: StandIn;
let s: Served;

beforeEach(async () => {
  host = standIn();
  s = await serve(host.host, { retryMs: 250 });
});
afterEach(async () => {
  await s.close();
});

function get(headers: Record<string, string>, lastEventId?: string, signal?: AbortSignal): Promise<Response> {
  return fetch(s.url, {
    headers: {
      accept: 'text/event-stream',
      ...headers,
      ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
    },
    signal,
  });
}

describe('priming (SSE polling, 2025-11-25)', () => {
  it('starts each POST stream of a 2025-11-25 session with an id, a retry and empty data, even under an older version header', async () => {
    const { headers } = await openSession(s.url, '2025-11-25');
    const res = await post(s.url, callTool(1, 'echo'), { ...headers, 'mcp-protocol-version': '2025-03-26' });
    const { events, retry } = await readEvents(res);
    expect(events[0]).toEqual({ id: expect.any(String), data: '' });
    expect(retry).toBe(250);
    expect(events).toHaveLength(2);
    expect(events[1]?.id).toBeDefined();
    expect(events[1]?.id).not.toBe(events[0]?.id);
    expect(messages(events)).toEqual([
      { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: '{}' }] } },
    ]);
  });

  it('does not prime streams of an older session, even under a 2025-11-25 header', async () => {
    const { headers } = await openSession(s.url, '2025-06-18');
    const res = await post(s.url, callTool(1, 'echo'), { ...headers, 'mcp-protocol-version': '2025-11-25' });
    const { events, retry } = await readEvents(res);
    expect(retry).toBeUndefined();
    expect(events).toHaveLength(1);
    expect(events[0]?.data).not.toBe('');
  });

  it('gives event ids that are unique across the streams of a session', async () => {
    const { headers } = await openSession(s.url, '2025-11-25');
    const all = await Promise.all(
      [1, 2, 3].map((id) => post(s.url, callTool(id, 'echo'), headers).then(readEvents)),
    );
    const ids = all.flatMap((r) => r.events.map((e) => e.id));
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
  });
});

describe('closing a request stream mid-request', () => {
  it('lets a tool close its stream after priming; GET with Last-Event-ID delivers the rest and the result', async () => {
    const { headers } = await openSession(s.url, '2025-11-25');
    const res = await post(s.url, callTool(1, 'reconnect'), headers);
    const first = await readEvents(res);
    expect(first.events).toEqual([{ id: expect.any(String), data: '' }]);
    const resumed = await get(headers, first.events[0]?.id);
    expect(resumed.status).toBe(200);
    expect(resumed.headers.get('content-type')).toBe('text/event-stream');
    const rest = messages((await readEvents(resumed)).events);
    expect(rest).toEqual([
      { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'after close' } },
      { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'reconnected:true' }] } },
    ]);
  });

  it('exposes closeRequestStream on the handler; the resumed GET carries live messages until the result', async () => {
    const { id, headers } = await openSession(s.url, '2025-11-25');
    const res = await post(s.url, callTool(9, 'wait', { ms: 300 }), headers);
    const reading = readEvents(res);
    expect(s.handler.closeRequestStream(id, 9)).toBe(true);
    expect(s.handler.closeRequestStream(id, 12345)).toBe(false);
    expect(s.handler.closeRequestStream('not-a-session', 9)).toBe(false);
    const first = await reading;
    expect(first.events).toHaveLength(1);
    const resumed = await get(headers, first.events[0]?.id);
    const rest = messages((await readEvents(resumed)).events);
    expect(rest).toEqual([
      { jsonrpc: '2.0', id: 9, result: { content: [{ type: 'text', text: 'waited' }] } },
    ]);
  });

  it('replays a stream that already ended, from the given event on', async () => {
    const { headers } = await openSession(s.url, '2025-11-25');
    const { events } = await readEvents(await post(s.url, callTool(2, 'echo', { a: 1 }), headers));
    const again = await readEvents(await get(headers, events[0]?.id));
    expect(again.events.map((e) => e.id)).toEqual([events[1]?.id]);
    expect(messages(again.events)[0]).toMatchObject({ id: 2 });
    const none = await readEvents(await get(headers, events[1]?.id));
    expect(none.events).toEqual([]);
  });

  it('cannot close or resume streams without an event store', async () => {
    const plain = await serve(host.host, { eventStore: false });
    try {
      const { id, headers } = await openSession(plain.url, '2025-11-25');
      const res = await post(plain.url, callTool(1, 'reconnect', { delayMs: 10 }), headers);
      const { events, retry } = await readEvents(res);
      expect(retry).toBeUndefined();
      expect(events.every((e) => e.id === undefined)).toBe(true);
      expect(messages(events).at(-1)).toMatchObject({ result: { content: [{ text: 'reconnected:false' }] } });
      expect(plain.handler.closeRequestStream(id, 1)).toBe(false);
    } finally {
      await plain.close();
    }
  });
});

describe('the standalone GET stream', () => {
  it('carries messages unrelated to any request; a second GET gets 409', async () => {
    const { headers } = await openSession(s.url, '2025-06-18');
    const ac = new AbortController();
    const stream = await get(headers, undefined, ac.signal);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    expect(stream.headers.get('mcp-session-id')).toBe(headers['mcp-session-id']);
    const second = await get(headers);
    expect(second.status).toBe(409);
    expect((await second.json()).error.code).toBe(-32000);
    const reading = readEvents(stream, (e) => e.data !== '');
    const call = messages((await readEvents(await post(s.url, callTool(1, 'broadcast'), headers))).events);
    expect(call.map((m) => m.id)).toEqual([1]);
    const got = messages((await reading).events);
    expect(got).toEqual([{ jsonrpc: '2.0', method: 'notifications/tools/list_changed' }]);
  });

  it('allows a new GET once the old one has gone', async () => {
    const { headers } = await openSession(s.url, '2025-06-18');
    const ac = new AbortController();
    await get(headers, undefined, ac.signal);
    ac.abort();
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      const again = await get(headers);
      status = again.status;
      if (status === 200) await again.body?.cancel();
      else await new Promise((r) => setTimeout(r, 20));
    }
    expect(status).toBe(200);
  });

  it('keeps what was sent while the GET stream was away, and replays it on Last-Event-ID', async () => {
    const { id, headers } = await openSession(s.url, '2025-11-25');
    const stream = await get(headers);
    const primed = await readEvents(stream, () => true);
    expect(primed.events[0]).toEqual({ id: expect.any(String), data: '' });
    expect(s.handler.closeStandaloneStream(id)).toBe(true);
    await readEvents(await post(s.url, callTool(1, 'broadcast'), headers));
    const resumed = await get(headers, primed.events[0]?.id);
    const got = await readEvents(resumed, (e) => e.data !== '');
    expect(messages(got.events)).toEqual([{ jsonrpc: '2.0', method: 'notifications/tools/list_changed' }]);
  });

  it('never replays another session’s stream', async () => {
    const a = await openSession(s.url, '2025-11-25');
    const b = await openSession(s.url, '2025-11-25');
    const { events } = await readEvents(await post(s.url, callTool(1, 'echo', { secret: 'a' }), a.headers));
    const ac = new AbortController();
    const res = await get(b.headers, events[0]?.id, ac.signal);
    expect(res.status).toBe(200);
    const got = await readEvents(res, () => true);
    expect(got.events).toEqual([{ id: expect.any(String), data: '' }]);
    expect(got.events[0]?.id?.split('_')[0]).not.toBe(events[0]?.id?.split('_')[0]);
  });

  it('checks GET: Accept must list text/event-stream, a session id is required and must be known', async () => {
    const { headers } = await openSession(s.url, '2025-06-18');
    expect((await fetch(s.url, { headers: { ...headers, accept: 'application/json' } })).status).toBe(406);
    expect((await fetch(s.url, { headers: { accept: 'text/event-stream' } })).status).toBe(400);
    expect(
      (await fetch(s.url, { headers: { accept: 'text/event-stream', 'mcp-session-id': 'x' } })).status,
    ).toBe(404);
    const bad = await fetch(s.url, {
      headers: { ...headers, accept: 'text/event-stream', 'mcp-protocol-version': 'v9' },
    });
    expect(bad.status).toBe(400);
  });
});
