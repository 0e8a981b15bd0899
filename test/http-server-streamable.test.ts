/** Streamable HTTP with sessions, over real HTTP on 127.0.0.1: the rules of POST, GET and DELETE. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../src/store/index.ts';
import {
  callTool,
  initializeBody,
  messages,
  openSession,
  POST_HEADERS,
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
  s = await serve(host.host);
});
afterEach(async () => {
  await s.close();
});

describe('initialize and sessions', () => {
  it('creates a session on initialize and answers on an SSE stream that ends after the result', async () => {
    const res = await post(s.url, initializeBody('2025-06-18'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(res.headers.get('cache-control')).toContain('no-cache');
    const id = res.headers.get('mcp-session-id') as string;
    expect(id).toMatch(/^[\x21-\x7e]{32,}$/);
    const { events } = await readEvents(res);
    expect(events).toHaveLength(1);
    expect(events[0]?.event).toBe('message');
    expect(JSON.parse(events[0]?.data as string)).toMatchObject({
      jsonrpc: '2.0',
      id: 0,
      result: { protocolVersion: '2025-06-18', serverInfo: { name: 'stand-in' } },
    });
  });

  it('gives every session a different unguessable id', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const res = await post(s.url, initializeBody());
      ids.add(res.headers.get('mcp-session-id') as string);
      await readEvents(res);
    }
    expect(ids.size).toBe(5);
    expect(s.handler.sessionCount).toBe(5);
  });

  it('answers notifications and responses with 202 and no body', async () => {
    const { headers } = await openSession(s.url);
    const res = await post(
      s.url,
      { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 99 } },
      headers,
    );
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('');
    const answer = await post(s.url, { jsonrpc: '2.0', id: 'x', result: {} }, headers);
    expect(answer.status).toBe(202);
    expect(await answer.text()).toBe('');
  });

  it('refuses a request without a session id with 400', async () => {
    const res = await post(s.url, { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32000 } });
    expect(body.error.message).toContain('Mcp-Session-Id');
  });

  it('answers an unknown session id with 404', async () => {
    const res = await post(
      s.url,
      { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      { 'mcp-session-id': 'nope' },
    );
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe(-32001);
  });

  it('refuses initialize on an existing session, and initialize inside a batch', async () => {
    const { headers } = await openSession(s.url);
    const again = await post(s.url, initializeBody('2025-11-25', 5), headers);
    expect(again.status).toBe(400);
    expect((await again.json()).error.code).toBe(-32600);
    const batch = await post(s.url, [
      initializeBody('2025-03-26', 1),
      { jsonrpc: '2.0', method: 'notifications/initialized' },
    ]);
    expect(batch.status).toBe(400);
    expect((await batch.json()).error.code).toBe(-32600);
  });

  it('ends a session on DELETE, then answers 404 for it', async () => {
    const { headers } = await openSession(s.url);
    const del = await fetch(s.url, { method: 'DELETE', headers });
    expect(del.status).toBe(200);
    expect(s.handler.sessionCount).toBe(0);
    expect(host.closed).toBe(1);
    const after = await post(s.url, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, headers);
    expect(after.status).toBe(404);
    const del2 = await fetch(s.url, { method: 'DELETE', headers });
    expect(del2.status).toBe(404);
  });

  it('ends a session from the server side with closeSession', async () => {
    const { id, headers } = await openSession(s.url);
    expect(await s.handler.closeSession(id)).toBe(true);
    expect(await s.handler.closeSession(id)).toBe(false);
    expect(host.closed).toBe(1);
    const after = await post(s.url, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, headers);
    expect(after.status).toBe(404);
  });

  it('keeps a serializable record of each session in the session store', async () => {
    const sessionStore = new MemorySessionStore();
    const stored = await serve(host.host, { sessionStore });
    try {
      const { id, headers } = await openSession(stored.url, '2025-06-18');
      const record = await sessionStore.get(id);
      expect(record).toMatchObject({ id, transport: 'streamable-http', revision: '2025-06-18' });
      expect(JSON.parse(JSON.stringify(record))).toEqual(record);
      await fetch(stored.url, { method: 'DELETE', headers });
      expect(await sessionStore.get(id)).toBeUndefined();
    } finally {
      await stored.close();
    }
  });

  it('keeps sessions apart: a request id in use on one session is free on another', async () => {
    const a = await openSession(s.url);
    const b = await openSession(s.url);
    const ra = await post(s.url, callTool(7, 'echo', { who: 'a' }), a.headers);
    const rb = await post(s.url, callTool(7, 'echo', { who: 'b' }), b.headers);
    const ma = messages((await readEvents(ra)).events);
    const mb = messages((await readEvents(rb)).events);
    expect(ma).toEqual([
      { jsonrpc: '2.0', id: 7, result: { content: [{ type: 'text', text: '{"who":"a"}' }] } },
    ]);
    expect(mb).toEqual([
      { jsonrpc: '2.0', id: 7, result: { content: [{ type: 'text', text: '{"who":"b"}' }] } },
    ]);
  });
});

describe('POST checks', () => {
  it('answers 406 unless Accept lists both application/json and text/event-stream', async () => {
    for (const accept of ['application/json', 'text/event-stream', '*/*']) {
      const res = await post(s.url, initializeBody(), { accept });
      expect(res.status).toBe(406);
      expect((await res.json()).error.message).toContain('Accept');
    }
  });

  it('answers 415 for a body that is not JSON', async () => {
    const res = await post(s.url, initializeBody(), { 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
    expect((await res.json()).error.code).toBe(-32000);
  });

  it('accepts a charset parameter on the content type', async () => {
    const res = await post(s.url, initializeBody(), { 'content-type': 'application/json; charset=utf-8' });
    expect(res.status).toBe(200);
    await readEvents(res);
  });

  it('answers 400 with -32700 for malformed JSON and for an empty body', async () => {
    const bad = await post(s.url, '{"jsonrpc":');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
    const empty = await post(s.url, '');
    expect(empty.status).toBe(400);
    expect((await empty.json()).error.code).toBe(-32700);
  });

  it('answers 400 with -32600 for JSON that is not JSON-RPC', async () => {
    const { headers } = await openSession(s.url);
    for (const body of [{ hello: 1 }, { jsonrpc: '1.0', id: 1, method: 'x' }, [], 42]) {
      const res = await post(s.url, body, headers);
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe(-32600);
    }
  });

  it('answers 413 for a body over the limit, declared or streamed', async () => {
    const small = await serve(host.host, { maxBodyBytes: 100 });
    try {
      const big = { ...initializeBody(), padding: 'x'.repeat(200) };
      const res = await post(small.url, big);
      expect(res.status).toBe(413);
      expect((await res.json()).error.message).toContain('maxBodyBytes');
      const chunks = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(new TextEncoder().encode(JSON.stringify(big)));
          c.close();
        },
      });
      const streamed = await fetch(small.url, {
        method: 'POST',
        headers: POST_HEADERS,
        body: chunks,
        duplex: 'half',
      } as RequestInit);
      expect(streamed.status).toBe(413);
    } finally {
      await small.close();
    }
  });

  it('refuses an unsupported MCP-Protocol-Version with 400 and accepts every stateful revision on any session', async () => {
    const { headers } = await openSession(s.url, '2025-11-25');
    const bad = await post(
      s.url,
      { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      { ...headers, 'mcp-protocol-version': '1999-01-01' },
    );
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toContain('1999-01-01');
    let id = 2;
    for (const v of ['2025-03-26', '2025-06-18', '2025-11-25']) {
      const ok = await post(
        s.url,
        { jsonrpc: '2.0', id: id++, method: 'tools/list' },
        { ...headers, 'mcp-protocol-version': v },
      );
      expect(ok.status).toBe(200);
      await readEvents(ok);
    }
    const { 'mcp-protocol-version': _, ...noVersion } = headers;
    const absent = await post(s.url, { jsonrpc: '2.0', id: id++, method: 'tools/list' }, noVersion);
    expect(absent.status).toBe(200);
    await readEvents(absent);
  });

  it('refuses a request id that is still in use on the session', async () => {
    const { headers } = await openSession(s.url);
    const first = await post(s.url, callTool(1, 'wait', { ms: 300 }), headers);
    const second = await post(s.url, callTool(1, 'echo'), headers);
    expect(second.status).toBe(400);
    expect((await second.json()).error.message).toContain('already in use');
    expect(messages((await readEvents(first)).events)[0]).toMatchObject({ id: 1, result: {} });
  });

  it('answers 405 for other methods, with Allow', async () => {
    const res = await fetch(s.url, { method: 'PUT', headers: POST_HEADERS, body: '{}' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, POST, DELETE');
  });

  it('answers 404 on other paths', async () => {
    const res = await post(`${s.base}/other`, initializeBody());
    expect(res.status).toBe(404);
  });
});

describe('SSE answers to requests', () => {
  it('sends progress, logging and server→client requests of a request on its stream, then its result, then ends', async () => {
    const { headers } = await openSession(s.url, '2025-06-18');
    const res = await post(s.url, callTool(3, 'slow', {}, { progressToken: 'p1' }), headers);
    expect(res.status).toBe(200);
    expect(res.headers.get('mcp-session-id')).toBe(headers['mcp-session-id']);
    const seen: Record<string, unknown>[] = [];
    const reader = readEvents(res, (e) => {
      if (e.data === '') return false;
      const m = JSON.parse(e.data) as Record<string, unknown>;
      seen.push(m);
      if (m.method === 'ping') {
        void post(s.url, { jsonrpc: '2.0', id: m.id, result: {} }, headers);
      }
      return false;
    });
    const { events } = await reader;
    expect(events.every((e) => e.event === 'message')).toBe(true);
    expect(seen.map((m) => m.method ?? `result:${String(m.id)}`)).toEqual([
      'notifications/progress',
      'notifications/message',
      'ping',
      'result:3',
    ]);
    expect(seen[0]).toMatchObject({ params: { progressToken: 'p1', progress: 1, total: 2 } });
    expect(seen[3]).toMatchObject({ result: { content: [{ text: 'slow done' }] } });
  });

  it('serves several concurrent streams on one session, each with its own result', async () => {
    const { headers } = await openSession(s.url);
    const v = { ...headers, 'mcp-protocol-version': '2025-03-26' };
    const responses = await Promise.all(
      [1000, 1001, 1002].map((id) => post(s.url, { jsonrpc: '2.0', id, method: 'tools/list' }, v)),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    const results = await Promise.all(responses.map(async (r) => messages((await readEvents(r)).events)));
    expect(results.map((m) => m.map((x) => x.id))).toEqual([[1000], [1001], [1002]]);
  });

  it('keeps running a request whose client went away (disconnection is not cancellation)', async () => {
    const { headers } = await openSession(s.url, '2025-06-18');
    const ac = new AbortController();
    const res = await post(s.url, callTool(4, 'wait', { ms: 200 }), headers, ac.signal);
    expect(res.status).toBe(200);
    ac.abort();
    // Id 4 stays in use until the wait ends on its own; then it is free again.
    let status = 400;
    for (let i = 0; i < 200 && status === 400; i++) {
      const next = await post(s.url, callTool(4, 'echo'), headers);
      status = next.status;
      await next.body?.cancel();
      if (status === 400) await new Promise((r) => setTimeout(r, 20));
    }
    expect(status).toBe(200);
    expect(host.cancelled).toBe(0);
  });
});
