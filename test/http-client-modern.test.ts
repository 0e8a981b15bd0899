/**
 * The Streamable HTTP client transport on the 2026-07-28 wire, driven by McpClient against raw
 * node:http servers: request metadata headers, `Mcp-Param-*`, version retry, JSON-RPC errors in
 * HTTP error answers, SSE answers, Multi Round-Trip Requests, cancellation by closing the POST, and
 * `subscriptions/listen` streams.
 */
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { McpClient } from '../src/client/index.ts';
import {
  McpError,
  MetaKey,
  type Params,
  RequestCancelledError,
  RequestTimeoutError,
} from '../src/protocol/index.ts';
import { StreamableHttpClientTransport } from '../src/transport/streamable-http.ts';
import { AutoHttpClientTransport } from '../src/transport/streamable-http-fallback.ts';
import {
  bodyOf,
  cleanup,
  closeAfterTest,
  jsonAnswer,
  type Recorded,
  rawServer,
  sseEvent,
  sseHead,
  type TestServer,
} from './http-client-fixtures.ts';

afterEach(cleanup);

type Body = ReturnType<typeof bodyOf>;

/** A route of the mock: answers and returns true, or returns false to leave the request to the defaults. */
type Route = (body: Body, res: ServerResponse, req: Recorded) => boolean | Promise<boolean>;

const TOOLS = [
  {
    name: 'test_headers',
    inputSchema: {
      type: 'object',
      properties: {
        region: { type: 'string', 'x-mcp-header': 'Region' },
        greeting: { type: 'string', 'x-mcp-header': 'Greeting' },
        priority: { type: 'integer', 'x-mcp-header': 'Priority' },
        verbose: { type: 'boolean', 'x-mcp-header': 'Verbose' },
        query: { type: 'string' },
      },
    },
  },
  { name: 'my-hyphenated-tool', inputSchema: { type: 'object' } },
  { name: 'grüße', inputSchema: { type: 'object' } },
  { name: 'slow', inputSchema: { type: 'object' } },
  { name: 'chatty', inputSchema: { type: 'object' } },
  { name: 'test_mrtr_echo_state', inputSchema: { type: 'object' } },
  { name: 'test_mrtr_no_result_type', inputSchema: { type: 'object' } },
];

function answer(res: ServerResponse, id: Body['id'], result: Record<string, unknown>): void {
  // A session id a 2026-07-28 client must ignore.
  jsonAnswer(res, { jsonrpc: '2.0', id, result }, { 'mcp-session-id': 'not-for-modern-clients' });
}

function refuse(res: ServerResponse, status: number, id: Body['id'], error: Record<string, unknown>): void {
  res
    .writeHead(status, { 'content-type': 'application/json' })
    .end(JSON.stringify({ jsonrpc: '2.0', id: id ?? null, error }));
}

/** A 2026-07-28 server speaking just enough: discover, lists, calls, reads, prompts; 405 to anything but POST. */
async function modernMock(route: Route = () => false): Promise<TestServer> {
  return rawServer(async (req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    const body = bodyOf(req);
    if (await route(body, res, req)) return;
    if (body.id === undefined) {
      res.writeHead(202).end();
      return;
    }
    const p = body.params ?? {};
    switch (body.method) {
      case 'server/discover':
        answer(res, body.id, {
          supportedVersions: ['2026-07-28'],
          capabilities: { tools: { listChanged: true }, resources: {}, prompts: {} },
          _meta: { [MetaKey.serverInfo]: { name: 'mock', version: '1.0.0' } },
        });
        return;
      case 'tools/list':
        answer(res, body.id, { tools: TOOLS });
        return;
      case 'tools/call':
        answer(res, body.id, { content: [{ type: 'text', text: `called ${String(p.name)}` }] });
        return;
      case 'resources/read':
        answer(res, body.id, { contents: [{ uri: p.uri, text: 'contents' }] });
        return;
      case 'prompts/get':
        answer(res, body.id, { messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }] });
        return;
      default:
        refuse(res, 404, body.id, { code: -32601, message: `Method not found: ${String(body.method)}` });
    }
  });
}

/** A client connected in the modern era over a StreamableHttpClientTransport; closed after the test. */
async function modernClient(url: string, options: ConstructorParameters<typeof McpClient>[0] = {}) {
  const client = new McpClient({ era: 'modern', ...options });
  const transport = new StreamableHttpClientTransport(url);
  closeAfterTest(() => client.close());
  await client.connect(transport);
  return { client, transport };
}

const posts = (server: TestServer, method: string) =>
  server.requests.filter((r) => r.method === 'POST' && bodyOf(r).method === method);

const metaVersion = (r: Recorded) =>
  (bodyOf(r).params?._meta as Record<string, unknown> | undefined)?.[MetaKey.protocolVersion];

/** Resolves when the client closes the request before its answer was complete. */
function closedEarly(res: ServerResponse): Promise<void> {
  return new Promise((resolve) =>
    res.on('close', () => {
      if (!res.writableEnded) resolve();
    }),
  );
}

describe('Streamable HTTP, 2026-07-28: request metadata headers', () => {
  it('sends MCP-Protocol-Version equal to the _meta version and Mcp-Method on every POST, and no session', async () => {
    const server = await modernMock();
    const { client, transport } = await modernClient(server.url);
    await client.listTools();
    await client.callTool('my-hyphenated-tool');
    await client.readResource('file:///path/to/file%20name.txt');
    await client.getPrompt('test_prompt');
    expect(transport.sessionId).toBeUndefined();
    await client.close();
    expect(server.requests.map((r) => r.method)).toEqual(server.requests.map(() => 'POST'));
    expect(server.requests.map((r) => bodyOf(r).method)).toEqual([
      'server/discover',
      'tools/list',
      'tools/call',
      'resources/read',
      'prompts/get',
    ]);
    for (const r of server.requests) {
      expect(metaVersion(r)).toBe('2026-07-28');
      expect(r.headers['mcp-protocol-version']).toBe(metaVersion(r));
      expect(r.headers['mcp-method']).toBe(bodyOf(r).method);
      expect(r.headers['mcp-session-id']).toBeUndefined();
      expect(r.headers.accept).toContain('application/json');
      expect(r.headers.accept).toContain('text/event-stream');
      expect(r.headers['content-type']).toBe('application/json');
    }
    expect(server.requests[0]?.headers['mcp-name']).toBeUndefined();
    expect(server.requests[1]?.headers['mcp-name']).toBeUndefined();
  });

  it('sends Mcp-Name byte for byte for tools/call, resources/read and prompts/get, Base64 when not plain ASCII', async () => {
    const server = await modernMock();
    const { client } = await modernClient(server.url);
    await client.callTool('my-hyphenated-tool');
    await client.callTool('grüße');
    await client.readResource('file:///path/to/file%20name.txt');
    await client.readResource('https://example.com/resource?id=123');
    await client.getPrompt('test_prompt', { a: 'b' });
    const names = (method: string) => posts(server, method).map((r) => r.headers['mcp-name']);
    expect(names('tools/call')).toEqual(['my-hyphenated-tool', `=?base64?${b64('grüße')}?=`]);
    expect(names('resources/read')).toEqual([
      'file:///path/to/file%20name.txt',
      'https://example.com/resource?id=123',
    ]);
    expect(names('prompts/get')).toEqual(['test_prompt']);
  });

  it('mirrors x-mcp-header parameters as Mcp-Param-* (plain, Base64, omitted for null; unannotated never)', async () => {
    const server = await modernMock();
    const { client } = await modernClient(server.url);
    await client.callTool('test_headers', {
      region: 'us-west1',
      greeting: 'Hello, 世界',
      priority: 42,
      verbose: false,
      query: 'SELECT 1',
    });
    await client.callTool('test_headers', { region: ' padded ', verbose: null });
    const [first, second] = posts(server, 'tools/call');
    expect(first?.headers['mcp-name']).toBe('test_headers');
    expect(first?.headers['mcp-param-region']).toBe('us-west1');
    expect(first?.headers['mcp-param-greeting']).toBe('=?base64?SGVsbG8sIOS4lueVjA==?=');
    expect(first?.headers['mcp-param-priority']).toBe('42');
    expect(first?.headers['mcp-param-verbose']).toBe('false');
    expect(Object.keys(first?.headers ?? {}).filter((h) => h.startsWith('mcp-param-'))).toHaveLength(4);
    expect(second?.headers['mcp-param-region']).toBe('=?base64?IHBhZGRlZCA=?=');
    expect(second?.headers).not.toHaveProperty('mcp-param-verbose');
    expect(second?.headers).not.toHaveProperty('mcp-param-greeting');
  });
});

describe('Streamable HTTP, 2026-07-28: errors in HTTP error answers', () => {
  it('retries with a supported version after 400 UnsupportedProtocolVersion on the first POST', async () => {
    let first = true;
    const server = await modernMock((body, res) => {
      if (!first) return false;
      first = false;
      refuse(res, 400, body.id, {
        code: -32022,
        message: 'Unsupported protocol version',
        data: { supported: ['2026-07-28'], requested: metaOf(body.params) },
      });
      return true;
    });
    const { client } = await modernClient(server.url);
    expect(client.era).toBe('modern');
    expect((await client.callTool('my-hyphenated-tool')).content).toEqual([
      { type: 'text', text: 'called my-hyphenated-tool' },
    ]);
    const discovers = posts(server, 'server/discover');
    expect(discovers).toHaveLength(2);
    expect(discovers[1]?.headers['mcp-protocol-version']).toBe('2026-07-28');
    expect(metaVersion(discovers[1] as Recorded)).toBe('2026-07-28');
  });

  it('hands the JSON-RPC error of a 404 answer to the caller', async () => {
    const server = await modernMock((body, res) => {
      if (body.method !== 'prompts/get') return false;
      refuse(res, 404, body.id, { code: -32601, message: 'No such prompt method here' });
      return true;
    });
    const { client } = await modernClient(server.url);
    const error = await client.getPrompt('test_prompt').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).code).toBe(-32601);
    expect((error as McpError).message).toContain('No such prompt method here');
  });

  it('with AutoHttpClientTransport and era auto, a modern server is spoken to over Streamable HTTP only', async () => {
    const server = await modernMock();
    const client = new McpClient();
    const transport = new AutoHttpClientTransport(server.url);
    closeAfterTest(() => client.close());
    await client.connect(transport);
    expect(client.era).toBe('modern');
    expect(transport.kind).toBe('streamable-http');
    await client.listTools();
    await client.close();
    expect(server.requests.map((r) => `${r.method} ${bodyOf(r).method}`)).toEqual([
      'POST server/discover',
      'POST tools/list',
    ]);
  });

  it('with AutoHttpClientTransport and era auto, a modern refusal of the probe keeps Streamable HTTP', async () => {
    let first = true;
    const server = await modernMock((body, res) => {
      if (!first) return false;
      first = false;
      refuse(res, 400, body.id, {
        code: -32022,
        message: 'Unsupported protocol version',
        data: { supported: ['2026-07-28'], requested: 'x' },
      });
      return true;
    });
    const client = new McpClient();
    const transport = new AutoHttpClientTransport(server.url);
    closeAfterTest(() => client.close());
    await client.connect(transport);
    expect(client.era).toBe('modern');
    expect(transport.kind).toBe('streamable-http');
    await client.listTools();
    expect(server.requests.map((r) => `${r.method} ${bodyOf(r).method}`)).toEqual([
      'POST server/discover',
      'POST server/discover',
      'POST tools/list',
    ]);
  });
});

describe('Streamable HTTP, 2026-07-28: answers', () => {
  it('reads an SSE answer: the request’s progress and log notifications, then its result', async () => {
    const server = await modernMock((body, res) => {
      if (body.method !== 'tools/call') return false;
      const token = (body.params?._meta as Record<string, unknown> | undefined)?.progressToken;
      sseHead(res);
      sseEvent(res, {
        data: {
          jsonrpc: '2.0',
          method: 'notifications/progress',
          params: { progressToken: token, progress: 1, total: 2 },
        },
      });
      sseEvent(res, {
        data: { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'working' } },
      });
      sseEvent(res, {
        data: { jsonrpc: '2.0', id: body.id, result: { content: [{ type: 'text', text: 'streamed' }] } },
      });
      res.end();
      return true;
    });
    const { client } = await modernClient(server.url);
    const logs: unknown[] = [];
    client.on('log', (m) => logs.push(m.data));
    const progress: number[] = [];
    const result = await client.callTool('chatty', undefined, {
      onprogress: (p) => progress.push(p.progress),
    });
    expect(result.content).toEqual([{ type: 'text', text: 'streamed' }]);
    expect(progress).toEqual([1]);
    expect(logs).toEqual(['working']);
  });

  it('fails a request whose SSE answer ends before the result, without trying to resume it', async () => {
    const server = await modernMock((body, res) => {
      if (body.method !== 'tools/call') return false;
      sseHead(res);
      sseEvent(res, {
        id: 'e-1',
        data: { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x' } },
      });
      res.end();
      return true;
    });
    const { client } = await modernClient(server.url);
    const error = await client.callTool('chatty').catch((e: unknown) => e);
    expect((error as Error).message).toContain('cannot be resumed');
    expect(server.requests.every((r) => r.method === 'POST')).toBe(true);
  });
});

describe('Streamable HTTP, 2026-07-28: Multi Round-Trip Requests', () => {
  const STATE = 'eyJzdGVwIjoxfQ==.c2lnbmF0dXJl+/= "quoted" \\ ü';

  it('answers input_required and retries with a new id, inputResponses and the byte-identical requestState', async () => {
    const server = await modernMock((body, res) => {
      const p = body.params ?? {};
      if (body.method !== 'tools/call') return false;
      if (p.name === 'test_mrtr_no_result_type') {
        answer(res, body.id, { content: [{ type: 'text', text: 'plain' }] });
        return true;
      }
      if (p.name !== 'test_mrtr_echo_state') return false;
      if (p.inputResponses === undefined) {
        answer(res, body.id, {
          resultType: 'input_required',
          inputRequests: {
            confirm: {
              method: 'elicitation/create',
              params: {
                mode: 'form',
                message: 'Proceed?',
                requestedSchema: {
                  type: 'object',
                  properties: { ok: { type: 'boolean' } },
                  required: ['ok'],
                },
              },
            },
          },
          requestState: STATE,
        });
        return true;
      }
      answer(res, body.id, { resultType: 'complete', content: [{ type: 'text', text: 'confirmed' }] });
      return true;
    });
    const asked: string[] = [];
    const { client } = await modernClient(server.url, {
      handlers: {
        elicitation: (params) => {
          asked.push(params.message);
          return { action: 'accept', content: { ok: true } };
        },
      },
    });
    const result = await client.callTool('test_mrtr_echo_state', { x: 1 });
    expect(result.content).toEqual([{ type: 'text', text: 'confirmed' }]);
    expect(asked).toEqual(['Proceed?']);
    const rounds = posts(server, 'tools/call');
    expect(rounds).toHaveLength(2);
    const [one, two] = rounds.map(bodyOf);
    expect(two?.id).not.toBe(one?.id);
    expect(one?.params?.requestState).toBeUndefined();
    expect(one?.params?.inputResponses).toBeUndefined();
    expect(two?.params?.inputResponses).toEqual({ confirm: { action: 'accept', content: { ok: true } } });
    expect(two?.params?.requestState).toBe(STATE);
    expect(rounds[1]?.body).toContain(`"requestState":${JSON.stringify(STATE)}`);
    expect(two?.params?.arguments).toEqual({ x: 1 });
    for (const r of rounds) {
      expect(r.headers['mcp-name']).toBe('test_mrtr_echo_state');
      expect(r.headers['mcp-protocol-version']).toBe('2026-07-28');
    }

    const plain = await client.callTool('test_mrtr_no_result_type');
    expect(plain.content).toEqual([{ type: 'text', text: 'plain' }]);
    expect(posts(server, 'tools/call')).toHaveLength(3);
  });
});

describe('Streamable HTTP, 2026-07-28: cancellation closes the request', () => {
  for (const when of ['before the answer starts', 'while its SSE answer streams'] as const) {
    it(`aborting a call ${when} closes its POST and sends no notifications/cancelled`, async () => {
      let seen: (() => void) | undefined;
      const arrived = new Promise<void>((resolve) => {
        seen = resolve;
      });
      let closed: Promise<void> | undefined;
      const server = await modernMock((body, res) => {
        if (body.method !== 'tools/call' || body.params?.name !== 'slow') return false;
        closed = closedEarly(res);
        if (when === 'while its SSE answer streams') {
          sseHead(res);
          sseEvent(res, {
            data: {
              jsonrpc: '2.0',
              method: 'notifications/message',
              params: { level: 'info', data: 'started' },
            },
          });
        }
        seen?.();
        return true;
      });
      const { client } = await modernClient(server.url);
      const logs: unknown[] = [];
      client.on('log', (m) => logs.push(m.data));
      const controller = new AbortController();
      const call = client.callTool('slow', undefined, { signal: controller.signal });
      await arrived;
      if (when === 'while its SSE answer streams') await vi.waitFor(() => expect(logs).toEqual(['started']));
      controller.abort('no longer needed');
      await expect(call).rejects.toBeInstanceOf(RequestCancelledError);
      await closed;
      // The connection still works, and nothing was sent about the cancelled call.
      await client.callTool('my-hyphenated-tool');
      expect(server.requests.map((r) => bodyOf(r).method)).not.toContain('notifications/cancelled');
      expect(server.requests.every((r) => r.method === 'POST')).toBe(true);
    });
  }

  it('a timed-out call closes its POST too, and sends no notifications/cancelled', async () => {
    let closed: Promise<void> | undefined;
    const server = await modernMock((body, res) => {
      if (body.method !== 'tools/call' || body.params?.name !== 'slow') return false;
      closed = closedEarly(res);
      return true;
    });
    const { client } = await modernClient(server.url);
    await client.listTools();
    await expect(client.callTool('slow', undefined, { timeout: 500 })).rejects.toBeInstanceOf(
      RequestTimeoutError,
    );
    await vi.waitFor(() => expect(closed).toBeDefined());
    await closed;
    await client.callTool('my-hyphenated-tool');
    expect(server.requests.map((r) => bodyOf(r).method)).not.toContain('notifications/cancelled');
  });
});

describe('Streamable HTTP, 2026-07-28: subscriptions/listen', () => {
  async function listenServer() {
    const streams: ServerResponse[] = [];
    const closes: Promise<void>[] = [];
    const server = await modernMock((body, res) => {
      if (body.method !== 'subscriptions/listen') return false;
      sseHead(res);
      closes.push(closedEarly(res));
      streams.push(res);
      sseEvent(res, {
        data: {
          jsonrpc: '2.0',
          method: 'notifications/subscriptions/acknowledged',
          params: { _meta: { [MetaKey.subscriptionId]: body.id }, notifications: body.params?.notifications },
        },
      });
      return true;
    });
    return { server, streams, closes };
  }

  it('keeps the stream open, passes its notifications on, and settles on the final response', async () => {
    const { server, streams } = await listenServer();
    const { client } = await modernClient(server.url);
    const acknowledged = new Promise<void>((resolve) =>
      client.on('notification', (n) => n.method === 'notifications/subscriptions/acknowledged' && resolve()),
    );
    let changes = 0;
    client.on('toolsListChanged', () => changes++);
    const listening = client.listen({ toolsListChanged: true });
    await acknowledged;
    const stream = streams[0] as ServerResponse;
    const id = bodyOf(posts(server, 'subscriptions/listen')[0] as Recorded).id;
    for (let i = 0; i < 2; i++) {
      sseEvent(stream, {
        data: {
          jsonrpc: '2.0',
          method: 'notifications/tools/list_changed',
          params: { _meta: { [MetaKey.subscriptionId]: id } },
        },
      });
    }
    await vi.waitFor(() => expect(changes).toBe(2));
    sseEvent(stream, {
      data: {
        jsonrpc: '2.0',
        id,
        result: { resultType: 'complete', _meta: { [MetaKey.subscriptionId]: id } },
      },
    });
    stream.end();
    await expect(listening).resolves.toBeUndefined();
    const listen = posts(server, 'subscriptions/listen')[0] as Recorded;
    expect(listen.headers['mcp-method']).toBe('subscriptions/listen');
    expect(listen.headers['mcp-protocol-version']).toBe('2026-07-28');
  });

  it('ends the stream by closing it when the listener aborts, with no notifications/cancelled', async () => {
    const { server, closes } = await listenServer();
    const { client } = await modernClient(server.url);
    const acknowledged = new Promise<void>((resolve) =>
      client.on('notification', (n) => n.method === 'notifications/subscriptions/acknowledged' && resolve()),
    );
    const controller = new AbortController();
    const listening = client.listen({ toolsListChanged: true }, { signal: controller.signal });
    await acknowledged;
    controller.abort();
    await expect(listening).rejects.toBeInstanceOf(RequestCancelledError);
    await closes[0];
    await client.listTools();
    expect(server.requests.map((r) => bodyOf(r).method)).not.toContain('notifications/cancelled');
  });
});

function metaOf(params: Params | undefined): unknown {
  return (params?._meta as Record<string, unknown> | undefined)?.[MetaKey.protocolVersion];
}

function b64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
