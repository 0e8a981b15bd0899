/**
 * The official TypeScript SDK client (1.32.2) against the handler, over real HTTP: Streamable HTTP
 * (including a stream the server closes mid-request) and the 2024-11-05 HTTP+SSE transport. Plus the
 * raw wire of HTTP+SSE.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually, type Served, type StandIn, serve, standIn } from './http-server-fixtures.ts';

let host: StandIn;
let s: Served;

beforeEach(async () => {
  host = standIn();
  s = await serve(host.host, { retryMs: 50 });
});
afterEach(async () => {
  await s.close();
});

function client(): Client {
  return new Client({ name: 'sdk-test', version: '1.0.0' });
}

describe('official SDK client, Streamable HTTP', () => {
  it('initializes, lists tools, calls a tool and ends the session with DELETE', async () => {
    const c = client();
    const transport = new StreamableHTTPClientTransport(new URL(s.url));
    await c.connect(transport);
    expect(c.getServerVersion()).toMatchObject({ name: 'stand-in' });
    expect(transport.sessionId).toMatch(/^[0-9a-f]{32}$/);
    const tools = await c.listTools();
    expect(tools.tools.map((t) => t.name)).toContain('echo');
    const result = await c.callTool({ name: 'echo', arguments: { hello: 'world' } });
    expect(result.content).toEqual([{ type: 'text', text: '{"hello":"world"}' }]);
    await transport.terminateSession();
    expect(s.handler.sessionCount).toBe(0);
    await c.close();
  });

  it('gets progress on the request stream and answers the server’s request made during the call', async () => {
    const c = client();
    await c.connect(new StreamableHTTPClientTransport(new URL(s.url)));
    const progress: number[] = [];
    const result = await c.callTool({ name: 'slow', arguments: {} }, undefined, {
      onprogress: (p) => progress.push(p.progress),
    });
    expect(progress).toEqual([1]);
    expect(result.content).toEqual([{ type: 'text', text: 'slow done' }]);
    await c.close();
  });

  it('resumes a stream the server closed mid-request and receives the result', async () => {
    const c = client();
    await c.connect(new StreamableHTTPClientTransport(new URL(s.url)));
    const result = await c.callTool({ name: 'reconnect', arguments: {} });
    expect(result.content).toEqual([{ type: 'text', text: 'reconnected:true' }]);
    await c.close();
  });
});

describe('official SDK client, HTTP+SSE (2024-11-05)', () => {
  it('initializes through the endpoint event and calls a tool', async () => {
    const c = client();
    await c.connect(new SSEClientTransport(new URL(`${s.base}/sse`)));
    expect(s.handler.sessionCount).toBe(1);
    const result = await c.callTool({ name: 'echo', arguments: { x: 1 } });
    expect(result.content).toEqual([{ type: 'text', text: '{"x":1}' }]);
    await c.close();
    await eventually(() => s.handler.sessionCount === 0, 'session ends with its SSE connection');
    expect(host.closed).toBe(1);
  });
});

describe('HTTP+SSE on the wire', () => {
  async function open(): Promise<{
    endpoint: string;
    reader: ReadableStreamDefaultReader<string>;
    ac: AbortController;
  }> {
    const ac = new AbortController();
    const res = await fetch(`${s.base}/sse`, { headers: { accept: 'text/event-stream' }, signal: ac.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = (res.body as ReadableStream<BufferSource>)
      .pipeThrough(new TextDecoderStream())
      .getReader();
    const first = await reader.read();
    const match = /^event: endpoint\ndata: (\/messages\?sessionId=[0-9a-f]{32})\n\n$/.exec(first.value ?? '');
    expect(match).not.toBeNull();
    return { endpoint: `${s.base}${match?.[1]}`, reader, ac };
  }

  it('announces the POST endpoint first, takes POSTs with 202 and answers as message events', async () => {
    const { endpoint, reader, ac } = await open();
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2024-11-05',
          capabilities: {},
          clientInfo: { name: 'raw', version: '1' },
        },
      }),
    });
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('');
    const next = await reader.read();
    expect(next.value).toMatch(/^event: message\ndata: \{.*\}\n\n$/);
    expect(JSON.parse((next.value as string).split('data: ')[1] as string)).toMatchObject({
      id: 1,
      result: { protocolVersion: '2024-11-05' },
    });
    ac.abort();
  });

  it('checks POSTs: 400 without sessionId, 404 for an unknown one, 415 for non-JSON, 400 for bad JSON', async () => {
    const { endpoint, ac } = await open();
    const h = { 'content-type': 'application/json' };
    const body = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' });
    expect((await fetch(`${s.base}/messages`, { method: 'POST', headers: h, body })).status).toBe(400);
    expect(
      (await fetch(`${s.base}/messages?sessionId=nope`, { method: 'POST', headers: h, body })).status,
    ).toBe(404);
    expect(
      (await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'text/plain' }, body })).status,
    ).toBe(415);
    const bad = await fetch(endpoint, { method: 'POST', headers: h, body: '{' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe(-32700);
    ac.abort();
  });

  it('ends the session when its SSE connection closes; a Streamable HTTP request cannot use its id', async () => {
    const { endpoint, ac } = await open();
    const id = new URL(endpoint).searchParams.get('sessionId') as string;
    const cross = await fetch(s.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': id,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(cross.status).toBe(404);
    ac.abort();
    await eventually(() => s.handler.sessionCount === 0, 'session closed');
    expect(host.closed).toBe(1);
    const after = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
    });
    expect(after.status).toBe(404);
  });
});
