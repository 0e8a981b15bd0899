/**
 * The real McpServer behind the HTTP handler, driven by the official SDK client (1.32.2) over
 * Streamable HTTP and HTTP+SSE, plus the raw wire of a 2025-11-25 session (priming, polling).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HttpMessageInfo } from '../src/http/index.ts';
import { McpServer } from '../src/server/index.ts';
import {
  callTool,
  messages,
  openSession,
  post,
  readEvents,
  type Served,
  serve,
} from './http-server-fixtures.ts';

let server: McpServer;
let s: Served;

beforeEach(async () => {
  server = new McpServer({ name: 'real', version: '1.0.0', onError: () => {} });
  server.tool(
    'greet',
    {
      description: 'Greets someone.',
      input: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
    },
    (args) => `Hello, ${(args as { name: string }).name}!`,
  );
  server.tool('work', { description: 'Reports progress and logs.' }, async (_args, ctx) => {
    await ctx.log('info', 'starting');
    await ctx.progress(1, 2);
    await ctx.progress(2, 2);
    return 'worked';
  });
  server.tool('ask', { description: 'Asks the user.' }, async (_args, ctx) => {
    const answer = await ctx.elicit({
      message: 'Name?',
      requestedSchema: { type: 'object', properties: { name: { type: 'string' } } },
    });
    return `answer: ${JSON.stringify(answer.content)}`;
  });
  server.tool(
    'test_reconnection',
    { description: 'Closes its stream, then answers.' },
    async (_args, ctx) => {
      const closed = (ctx.info as HttpMessageInfo | undefined)?.closeSseStream?.() ?? false;
      await new Promise((r) => setTimeout(r, 100));
      return `closed: ${closed}`;
    },
  );
  s = await serve(server, { retryMs: 50 });
});
afterEach(async () => {
  await s.close();
  await server.close();
});

describe('McpServer over Streamable HTTP with the official SDK client', () => {
  it('initializes, lists and calls tools, gets progress and logs, answers an elicitation, resumes a closed stream', async () => {
    const client = new Client({ name: 'sdk', version: '1.0.0' }, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, async () => ({
      action: 'accept',
      content: { name: 'Ada' },
    }));
    const logs: unknown[] = [];
    client.fallbackNotificationHandler = async (n) => {
      if (n.method === 'notifications/message') logs.push(n.params?.data);
    };
    const transport = new StreamableHTTPClientTransport(new URL(s.url));
    await client.connect(transport);
    expect(client.getServerVersion()).toMatchObject({ name: 'real' });
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual([
      'greet',
      'work',
      'ask',
      'test_reconnection',
    ]);
    expect((await client.callTool({ name: 'greet', arguments: { name: 'Ada' } })).content).toEqual([
      { type: 'text', text: 'Hello, Ada!' },
    ]);
    const progress: number[] = [];
    const work = await client.callTool({ name: 'work', arguments: {} }, undefined, {
      onprogress: (p) => progress.push(p.progress),
    });
    expect(work.content).toEqual([{ type: 'text', text: 'worked' }]);
    expect(progress).toEqual([1, 2]);
    expect(logs).toEqual(['starting']);
    const ask = await client.callTool({ name: 'ask', arguments: {} });
    expect(ask.content).toEqual([{ type: 'text', text: 'answer: {"name":"Ada"}' }]);
    const again = await client.callTool({ name: 'test_reconnection', arguments: {} });
    expect(again.content).toEqual([{ type: 'text', text: 'closed: true' }]);
    expect(server.sessions.size).toBe(1);
    await transport.terminateSession();
    expect(server.sessions.size).toBe(0);
    await client.close();
  });
});

describe('McpServer over HTTP+SSE with the official SDK client', () => {
  it('initializes and calls a tool', async () => {
    const client = new Client({ name: 'sdk', version: '1.0.0' });
    await client.connect(new SSEClientTransport(new URL(`${s.base}/sse`)));
    expect((await client.callTool({ name: 'greet', arguments: { name: 'Bo' } })).content).toEqual([
      { type: 'text', text: 'Hello, Bo!' },
    ]);
    await client.close();
  });
});

describe('McpServer on the raw wire, 2025-11-25', () => {
  it('primes each POST stream, and the polling flow delivers the result on GET with Last-Event-ID', async () => {
    const { headers } = await openSession(s.url, '2025-11-25');
    const raw = { ...headers, 'mcp-protocol-version': '2025-03-26' };
    const res = await post(s.url, callTool(1, 'test_reconnection'), raw);
    expect(res.status).toBe(200);
    const first = await readEvents(res);
    expect(first.retry).toBe(50);
    expect(first.events).toEqual([{ id: expect.any(String), data: '' }]);
    const resumed = await fetch(s.url, {
      headers: { ...raw, accept: 'text/event-stream', 'last-event-id': first.events[0]?.id as string },
    });
    expect(resumed.status).toBe(200);
    expect(messages((await readEvents(resumed)).events)).toEqual([
      { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'closed: true' }] } },
    ]);
  });
});
