/**
 * Both eras on one running handler: the official SDK client (v1, Streamable HTTP) in a legacy
 * session while a raw 2026-07-28 client is served beside it; cancellation by closing the response;
 * the stateless legacy mode (`sessions: false`) served without initialize; and the DNS-rebinding
 * probes of the stateful revisions. Real McpServer, real HTTP on 127.0.0.1.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createReferenceServer } from '../src/reference/index.ts';
import { McpServer } from '../src/server/index.ts';
import {
  callTool,
  eventually,
  initializeBody,
  messages,
  post,
  readEvents,
  type Served,
  serve,
} from './http-server-fixtures.ts';
import { envelope, modernBody, modernPost, rawPost } from './http-server-modern-fixtures.ts';

const servers: Served[] = [];

async function start(host: McpServer, options?: Parameters<typeof serve>[1]): Promise<Served> {
  const s = await serve(host, options);
  servers.push(s);
  return s;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('a legacy SDK client and a 2026-07-28 client on one handler', () => {
  it('serves both at once: the session stays a session, modern requests leave nothing behind', async () => {
    const s = await start(createReferenceServer());
    const sdk = new Client({ name: 'sdk-v1', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(s.url));
    await sdk.connect(transport);
    expect(transport.sessionId).toBeTruthy();

    const abort = new AbortController();
    const listen = await modernPost(
      s.url,
      modernBody('subscriptions/listen', { notifications: { toolsListChanged: true } }, 'L'),
      {},
      abort.signal,
    );
    const seen: string[] = [];
    const reading = readEvents(listen, (e) => {
      seen.push(String((JSON.parse(e.data) as { method?: string }).method));
      return seen.length === 2;
    });
    await eventually(() => seen.length === 1, 'the listen acknowledgement');

    const legacyChanged = new Promise<void>((resolve) => {
      sdk.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve());
    });
    const [legacy, modern, tools] = await Promise.all([
      sdk.callTool({ name: 'test_trigger_tool_change', arguments: {} }),
      modernPost(s.url, modernBody('tools/call', { name: 'test_simple_text', arguments: {} }, 2)),
      sdk.listTools(),
    ]);
    expect(legacy.content).toEqual([{ type: 'text', text: 'The tool list changed.' }]);
    expect((await modern.json()).result.content[0].type).toBe('text');
    expect(tools.tools.length).toBeGreaterThan(0);

    await reading;
    expect(seen).toEqual(['notifications/subscriptions/acknowledged', 'notifications/tools/list_changed']);
    await legacyChanged;
    expect(s.handler.sessionCount).toBe(1);
    abort.abort();
    await eventually(() => s.handler.requestsInFlight === 0, 'the listen stream to end');
    await transport.terminateSession();
    await sdk.close();
    expect(s.handler.sessionCount).toBe(0);
  });
});

describe('cancellation', () => {
  it('aborts the handler’s signal when the client closes the response, and sends nothing more', async () => {
    const server = new McpServer({ name: 'cancel', version: '1.0.0', onError: () => {} });
    let aborted = false;
    server.tool('hold', { description: 'Reports progress, then waits to be cancelled.' }, async (_a, ctx) => {
      await ctx.progress(1, 2);
      await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
      aborted = true;
      return 'never seen';
    });
    const s = await start(server);
    const abort = new AbortController();
    const res = await modernPost(
      s.url,
      modernBody('tools/call', { name: 'hold', arguments: {}, _meta: { ...envelope(), progressToken: 1 } }),
      {},
      abort.signal,
    );
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    await readEvents(res, () => true);
    expect(aborted).toBe(false);
    abort.abort();
    await eventually(() => aborted, 'the tool to see the cancellation');
    await eventually(() => s.handler.requestsInFlight === 0, 'the request to end');
  });
});

describe('stateless legacy mode (sessions: false)', () => {
  it('serves requests without initialize at the revision of the version header', async () => {
    const s = await start(createReferenceServer(), { sessions: false });
    const res = await post(s.url, callTool(1, 'test_simple_text'), { 'mcp-protocol-version': '2025-06-18' });
    expect(res.status).toBe(200);
    expect(res.headers.get('mcp-session-id')).toBeNull();
    // Nothing to send before the result: one JSON body, no stream.
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      jsonrpc: '2.0',
      id: 1,
      result: { content: [{ type: 'text', text: 'This is a simple text response for testing.' }] },
    });
    const noHeader = await post(s.url, { jsonrpc: '2.0', id: 2, method: 'tools/list' });
    const listed = (await noHeader.json()) as { result: { tools: unknown[] } };
    expect(listed.result.tools.length).toBeGreaterThan(0);
    expect(s.handler.sessionCount).toBe(0);
  });

  it('streams the notifications a request sends before its result, then ends the stream', async () => {
    const s = await start(createReferenceServer(), { sessions: false });
    const res = await post(s.url, callTool(7, 'test_tool_with_logging'), {
      'mcp-protocol-version': '2025-06-18',
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const got = messages((await readEvents(res)).events);
    expect(got.map((m) => m.method ?? `result ${m.id}`)).toEqual([
      'notifications/message',
      'notifications/message',
      'notifications/message',
      'result 7',
    ]);
  });

  it('answers initialize without opening a session, and a 2025-03-26 batch in one answer', async () => {
    const server = createReferenceServer();
    const s = await start(server, { sessions: false, jsonResponse: true });
    const init = await post(s.url, initializeBody());
    expect(((await init.json()) as { result: { protocolVersion: string } }).result.protocolVersion).toBe(
      '2025-11-25',
    );
    expect(server.sessions.size).toBe(0);
    const batch = await post(
      s.url,
      [
        { jsonrpc: '2.0', id: 'a', method: 'ping' },
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        { jsonrpc: '2.0', id: 'b', method: 'tools/list' },
      ],
      { 'mcp-protocol-version': '2025-03-26' },
    );
    expect(batch.status).toBe(200);
    const answers = (await batch.json()) as { id: string; result: Record<string, unknown> }[];
    expect(answers.map((a) => a.id).sort()).toEqual(['a', 'b']);
    expect(answers.find((a) => a.id === 'b')?.result.tools).toBeInstanceOf(Array);
    const onlyNotification = await post(s.url, { jsonrpc: '2.0', method: 'notifications/initialized' });
    expect(onlyNotification.status).toBe(202);
    expect(server.sessions.size).toBe(0);
  });

  it('ends a request that asks the client for something: without a session the answer has no way back', async () => {
    const server = new McpServer({ name: 'asks', version: '1.0.0' });
    server.tool('ask', { description: 'Asks the client for its roots.' }, async (_args, ctx) => {
      await ctx.listRoots();
      return 'never';
    });
    const s = await start(server, { sessions: false });
    const res = await post(s.url, callTool(3, 'ask'), { 'mcp-protocol-version': '2025-06-18' });
    const answer = (await res.json()) as { result?: { isError?: boolean; content: { text: string }[] } };
    expect(JSON.stringify(answer)).toMatch(/roots/);
    expect(answer.result?.isError ?? true).toBe(true);
  });

  it('serves 2026-07-28 requests too', async () => {
    const s = await start(createReferenceServer(), { sessions: false });
    const res = await modernPost(s.url, modernBody('server/discover'));
    expect(res.status).toBe(200);
    expect((await res.json()).result.supportedVersions).toContain('2026-07-28');
  });
});

describe('DNS-rebinding protection at 2025-11-25', () => {
  it('refuses initialize from a foreign Host; for localhost, initialize and notifications/initialized get 2xx', async () => {
    const s = await start(createReferenceServer());
    const port = new URL(s.url).port;
    const headers = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
      'mcp-method': 'initialize',
    };
    const evil = await rawPost(s.url, initializeBody(), {
      ...headers,
      host: 'evil.example.com',
      origin: 'http://evil.example.com',
    });
    expect(evil.status).toBe(403);
    const local = await rawPost(s.url, initializeBody(), {
      ...headers,
      host: `localhost:${port}`,
      origin: `http://localhost:${port}`,
    });
    expect(local.status).toBe(200);
    const id = local.headers['mcp-session-id'] as string;
    expect(id).toBeTruthy();
    const initialized = await rawPost(
      s.url,
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      {
        ...headers,
        'mcp-method': 'notifications/initialized',
        'mcp-session-id': id,
        host: `localhost:${port}`,
        origin: `http://localhost:${port}`,
      },
    );
    expect(initialized.status).toBe(202);
  });
});
