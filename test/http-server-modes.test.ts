/** JSON answers, stateless mode and 2025-03-26 batches, over real HTTP on 127.0.0.1. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  callTool,
  eventually,
  initializeBody,
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
const servers: Served[] = [];

async function start(options: Parameters<typeof serve>[1]): Promise<Served> {
  const s = await serve(host.host, options);
  servers.push(s);
  return s;
}

beforeEach(() => {
  host = standIn();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('jsonResponse: true', () => {
  it('answers initialize and requests with one JSON body, session id included', async () => {
    const s = await start({ jsonResponse: true });
    const res = await post(s.url, initializeBody('2025-06-18'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const id = res.headers.get('mcp-session-id') as string;
    expect(id).toBeTruthy();
    expect(await res.json()).toMatchObject({
      jsonrpc: '2.0',
      id: 0,
      result: { protocolVersion: '2025-06-18' },
    });
    const list = await post(s.url, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, { 'mcp-session-id': id });
    expect(list.headers.get('content-type')).toBe('application/json');
    expect((await list.json()).result.tools.map((t: { name: string }) => t.name)).toContain('echo');
  });

  it('sends a request’s related messages on the GET stream, since its answer is a single JSON body', async () => {
    const s = await start({ jsonResponse: true });
    const { headers } = await openSession(s.url, '2025-06-18');
    const stream = await fetch(s.url, { headers: { ...headers, accept: 'text/event-stream' } });
    const seen: string[] = [];
    const reading = readEvents(stream, (e) => {
      const m = JSON.parse(e.data) as { id?: number; method?: string };
      seen.push(m.method as string);
      if (m.method === 'ping') void post(s.url, { jsonrpc: '2.0', id: m.id, result: {} }, headers);
      return m.method === 'ping';
    });
    const res = await post(s.url, callTool(5, 'slow', {}, { progressToken: 7 }), headers);
    expect(await res.json()).toMatchObject({ id: 5, result: { content: [{ text: 'slow done' }] } });
    await reading;
    expect(seen).toEqual(['notifications/progress', 'notifications/message', 'ping']);
  });
});

describe('batches (2025-03-26)', () => {
  it('answers a batch of requests and notifications with all the responses', async () => {
    const s = await start({});
    const { headers } = await openSession(s.url, '2025-03-26');
    const res = await post(
      s.url,
      [
        callTool(1, 'echo', { n: 1 }),
        { jsonrpc: '2.0', method: 'notifications/progress', params: {} },
        callTool(2, 'echo', { n: 2 }),
      ],
      headers,
    );
    expect(res.status).toBe(200);
    const all = messages((await readEvents(res)).events).flatMap((m) => (Array.isArray(m) ? m : [m]));
    expect(all.map((m) => m.id).sort()).toEqual([1, 2]);
  });

  it('answers a batch with one JSON array in JSON mode', async () => {
    const s = await start({ jsonResponse: true });
    const init = await post(s.url, initializeBody('2025-03-26'));
    const headers = { 'mcp-session-id': init.headers.get('mcp-session-id') as string };
    const res = await post(s.url, [callTool('a', 'echo'), callTool('b', 'echo')], headers);
    const body = (await res.json()) as { id: string }[];
    expect(Array.isArray(body)).toBe(true);
    expect(body.map((m) => m.id).sort()).toEqual(['a', 'b']);
  });

  it('answers a batch of notifications only with 202', async () => {
    const s = await start({});
    const { headers } = await openSession(s.url, '2025-03-26');
    const res = await post(s.url, [{ jsonrpc: '2.0', method: 'notifications/initialized' }], headers);
    expect(res.status).toBe(202);
  });

  it('refuses batches on sessions of later revisions with 400', async () => {
    const s = await start({});
    const { headers } = await openSession(s.url, '2025-06-18');
    const res = await post(s.url, [callTool(1, 'echo')], headers);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe(-32600);
    expect(body.error.message).toContain('2025-03-26');
  });
});

describe('sessions: false (stateless)', () => {
  it('serves each POST on its own transport, without session ids, and closes it when answered', async () => {
    const s = await start({ sessions: false });
    const init = await post(s.url, initializeBody('2025-06-18'));
    expect(init.status).toBe(200);
    expect(init.headers.get('mcp-session-id')).toBeNull();
    expect(messages((await readEvents(init)).events)[0]).toMatchObject({
      result: { protocolVersion: '2025-06-18' },
    });
    const list = await post(
      s.url,
      { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      { 'mcp-protocol-version': '2025-06-18' },
    );
    expect(messages((await readEvents(list)).events)[0]).toMatchObject({
      id: 1,
      result: { tools: expect.any(Array) },
    });
    const note = await post(s.url, { jsonrpc: '2.0', method: 'notifications/initialized' });
    expect(note.status).toBe(202);
    await eventually(() => host.closed === 3, 'three transports closed');
    expect(host.transports.map((t) => t.sessionId)).toEqual([undefined, undefined, undefined]);
    expect(s.handler.sessionCount).toBe(0);
  });

  it('offers neither GET nor DELETE', async () => {
    const s = await start({ sessions: false });
    const get = await fetch(s.url, { headers: { accept: 'text/event-stream' } });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await fetch(s.url, { method: 'DELETE' })).status).toBe(405);
    expect((await fetch(`${s.base}/sse`)).status).toBe(404);
  });

  it('streams related messages, and answers with JSON in JSON mode', async () => {
    const s = await start({ sessions: false });
    const res = await post(s.url, callTool(2, 'slow', {}, { progressToken: 'x' }));
    // A server→client request can go out, but its answer would reach another transport: stop there.
    const got = messages((await readEvents(res, (e) => e.data.includes('"ping"'))).events);
    expect(got.map((m) => m.method)).toEqual(['notifications/progress', 'notifications/message', 'ping']);
    await eventually(() => host.closed === 1, 'transport closed when the client left');
    const json = await start({ sessions: false, jsonResponse: true });
    const j = await post(json.url, callTool(3, 'echo', { k: 1 }));
    expect(j.headers.get('content-type')).toBe('application/json');
    expect(await j.json()).toMatchObject({ id: 3, result: { content: [{ text: '{"k":1}' }] } });
  });

  it('closes the transport (cancelling the work) when the client goes away', async () => {
    const s = await start({ sessions: false });
    const ac = new AbortController();
    const res = await post(s.url, callTool(1, 'wait'), {}, ac.signal);
    expect(res.status).toBe(200);
    ac.abort();
    await eventually(() => host.cancelled === 1 && host.closed === 1, 'transport closed on disconnect');
  });

  it('refuses an unsupported version header and allows batches under the default 2025-03-26', async () => {
    const s = await start({ sessions: false, jsonResponse: true });
    const bad = await post(s.url, callTool(1, 'echo'), { 'mcp-protocol-version': '2030-01-01' });
    expect(bad.status).toBe(400);
    const batch = await post(s.url, [callTool(1, 'echo'), callTool(2, 'echo')]);
    expect(((await batch.json()) as unknown[]).length).toBe(2);
    const later = await post(s.url, [callTool(1, 'echo')], { 'mcp-protocol-version': '2025-06-18' });
    expect(later.status).toBe(400);
  });
});
