/** Rules of the Streamable HTTP client transport, checked against small node:http servers. */
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LocalError, McpError } from '../src/protocol/index.ts';
import type { TransportSink } from '../src/rpc/index.ts';
import { StreamableHttpClientTransport } from '../src/transport/streamable-http.ts';
import { HttpStatusError } from '../src/transport/streamable-http-request.ts';
import {
  bodyOf,
  cleanup,
  closeAfterTest,
  connected,
  initialize,
  jsonAnswer,
  mcpServer,
  type Recorded,
  sseEvent,
  sseHead,
} from './http-client-fixtures.ts';

function postId(r: Recorded): unknown {
  return r.method === 'POST' ? (JSON.parse(r.body) as { id?: unknown }).id : undefined;
}

afterEach(cleanup);

describe('requests and headers', () => {
  it('POSTs each message with the required headers, then the session id and protocol version', async () => {
    let n = 0;
    const server = await mcpServer();
    const errors: Error[] = [];
    const { transport, peer } = await connected(server.url, {
      headers: async () => ({ 'x-request-number': String(++n) }),
      requestInit: { headers: { 'x-fixed': 'yes' } },
      onerror: (e) => errors.push(e),
    });
    await initialize(peer, '2025-06-18');
    expect(await peer.request('tools/list')).toEqual({ echoed: 'tools/list' });
    await vi.waitFor(() => expect(server.requests.some((r) => r.method === 'GET')).toBe(true));

    const [init, initialized, ...rest] = server.requests;
    for (const r of [init, initialized]) {
      expect(r?.method).toBe('POST');
      expect(r?.headers.accept).toContain('application/json');
      expect(r?.headers.accept).toContain('text/event-stream');
      expect(r?.headers['content-type']).toBe('application/json');
      expect(r?.headers['x-fixed']).toBe('yes');
    }
    expect(init?.headers['mcp-session-id']).toBeUndefined();
    expect(init?.headers['mcp-protocol-version']).toBeUndefined();
    expect(initialized?.headers['mcp-session-id']).toBe('s-1');
    expect(initialized?.headers['mcp-protocol-version']).toBe('2025-06-18');
    const list = rest.find((r) => r.method === 'POST');
    expect(list?.headers['mcp-session-id']).toBe('s-1');
    expect(list?.headers['mcp-protocol-version']).toBe('2025-06-18');
    const get = rest.find((r) => r.method === 'GET');
    expect(get?.headers.accept).toBe('text/event-stream');
    expect(get?.headers['mcp-session-id']).toBe('s-1');
    expect(server.requests.map((r) => r.headers['x-request-number'])).toEqual(
      server.requests.map((_, i) => String(i + 1)),
    );
    expect(transport.sessionId).toBe('s-1');
    expect(errors).toEqual([]);
  });

  it('sends the version set with setProtocolVersion', async () => {
    const server = await mcpServer();
    const { transport, peer } = await connected(server.url, { openGetStream: false });
    await initialize(peer, '2025-03-26');
    transport.setProtocolVersion('2025-11-25');
    await peer.request('ping');
    expect(server.requests.at(-1)?.headers['mcp-protocol-version']).toBe('2025-11-25');
    expect(server.requests.some((r) => r.method === 'GET')).toBe(false);
  });

  it('reads SSE answers: notifications and server requests before the response; comments and priming skipped', async () => {
    let open: ServerResponse | undefined;
    const server = await mcpServer((req, res) => {
      const body = bodyOf(req) as { id?: string | number; method?: string; result?: unknown };
      if (body.method === 'tools/call') {
        open = res;
        sseHead(res);
        res.write(': keep-alive\n\n');
        sseEvent(res, { id: 'p-0', data: '' });
        sseEvent(res, {
          event: 'message',
          data: { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x' } },
        });
        sseEvent(res, { data: { jsonrpc: '2.0', id: 'srv-1', method: 'roots/list' } });
        return true;
      }
      if (body.id === 'srv-1' && open) {
        res.writeHead(202).end();
        sseEvent(open, { id: 'p-1', data: { jsonrpc: '2.0', id: body.id, result: { ignored: true } } });
        sseEvent(open, { event: 'other', data: { jsonrpc: '2.0', method: 'notifications/ignored' } });
        sseEvent(open, { id: 'p-2', data: { jsonrpc: '2.0', id: 1, result: { answer: body.result } } });
        open.end();
        return true;
      }
      return false;
    });
    const { client, peer } = await connected(server.url, { openGetStream: false });
    await initialize(peer);
    const result = await peer.request('tools/call', { name: 'x', arguments: {} });
    expect(result).toEqual({ answer: { roots: [{ uri: 'file:///work', name: 'work' }] } });
    expect(client.requests).toEqual(['roots/list']);
    expect(client.notifications.map((n) => n.method)).toEqual(['notifications/message']);
    const answer = server.requests.find((r) => bodyOf(r).id === 'srv-1');
    expect(answer?.headers['mcp-session-id']).toBe('s-1');
  });

  it('gets 202 for notifications, and sends a batch as one POST with its answers delivered one by one', async () => {
    const server = await mcpServer((req, res) => {
      const value = JSON.parse(req.body) as unknown;
      if (!Array.isArray(value)) return false;
      jsonAnswer(
        res,
        value.map((m: { id: number }) => ({ jsonrpc: '2.0', id: m.id, result: { n: m.id } })),
      );
      return true;
    });
    const received: unknown[] = [];
    const sink: TransportSink = {
      receive: (v) => received.push(v),
      receiveText: () => {},
      closed: () => {},
    };
    const transport = new StreamableHttpClientTransport(server.url, { terminateOnClose: false });
    closeAfterTest(() => transport.close());
    transport.start(sink);
    await transport.send({ jsonrpc: '2.0', method: 'notifications/roots/list_changed' });
    await transport.send([
      { jsonrpc: '2.0', id: 7, method: 'ping' },
      { jsonrpc: '2.0', id: 8, method: 'ping' },
    ]);
    expect(received).toEqual([
      { jsonrpc: '2.0', id: 7, result: { n: 7 } },
      { jsonrpc: '2.0', id: 8, result: { n: 8 } },
    ]);
    expect(JSON.parse(server.requests[1]?.body ?? '')).toHaveLength(2);
  });

  it('answers the request with the JSON-RPC error the server sent with an HTTP error', async () => {
    const server = await mcpServer((req, res) => {
      if (bodyOf(req).method !== 'tools/list') return false;
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Bad header' } }));
      return true;
    });
    const { peer } = await connected(server.url, { openGetStream: false });
    await initialize(peer);
    const error = await peer.request('tools/list').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpError);
    expect(error).toMatchObject({ code: -32600, message: 'Bad header' });
  });

  it('fails the request with a LocalError naming the status when the body is not JSON-RPC', async () => {
    const server = await mcpServer((req, res) => {
      if (bodyOf(req).method !== 'tools/list') return false;
      res.writeHead(502, 'Bad Gateway').end('upstream down');
      return true;
    });
    const { peer } = await connected(server.url, { openGetStream: false });
    await initialize(peer);
    const error = await peer.request('tools/list').catch((e: unknown) => e);
    // No MCP server answered: a transport failure, not an error the server sent.
    expect(error).toBeInstanceOf(LocalError);
    expect(error).not.toBeInstanceOf(McpError);
    expect((error as Error).cause).toBeInstanceOf(HttpStatusError);
    expect((error as Error).cause).toMatchObject({ status: 502, body: 'upstream down' });
    expect((error as Error).message).toContain('HTTP 502');
    expect((error as Error).message).toContain('upstream down');
  });

  it('rejects a notification the server refuses', async () => {
    const server = await mcpServer((req, res) => {
      if (bodyOf(req).method !== 'notifications/roots/list_changed') return false;
      res.writeHead(400).end('no thanks');
      return true;
    });
    const { peer } = await connected(server.url, { openGetStream: false });
    await initialize(peer);
    const error = await peer.notify('notifications/roots/list_changed').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error).toMatchObject({ status: 400, body: 'no thanks' });
  });

  it('asks onUnauthorized on 401 and retries once with fresh headers', async () => {
    let token = 'old';
    const server = await mcpServer((req, res) => {
      if (req.headers.authorization === 'Bearer new') return false;
      res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' }).end();
      return true;
    });
    const seen: string[] = [];
    const { peer } = await connected(server.url, {
      openGetStream: false,
      headers: () => ({ authorization: `Bearer ${token}` }),
      onUnauthorized: async (response) => {
        seen.push(response.headers.get('www-authenticate') ?? '');
        token = 'new';
        return true;
      },
    });
    await initialize(peer);
    expect(seen).toEqual(['Bearer error="invalid_token"']);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer old',
      'Bearer new',
      'Bearer new',
    ]);
  });

  it('lets a 401 stand when onUnauthorized declines', async () => {
    const server = await mcpServer((_req, res) => {
      res.writeHead(401).end();
      return true;
    });
    const { peer } = await connected(server.url, { onUnauthorized: async () => false });
    const error = await peer.request('initialize', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LocalError);
    expect((error as Error).cause).toMatchObject({ status: 401 });
    expect((error as Error).message).toContain('answered HTTP 401');
    expect(server.requests).toHaveLength(1);
  });
});

describe('the GET stream', () => {
  it('carries server requests; the answer is POSTed back', async () => {
    const server = await mcpServer((req, res) => {
      if (req.method !== 'GET') return false;
      sseHead(res);
      sseEvent(res, { id: 'g-1', data: { jsonrpc: '2.0', id: 'r-1', method: 'roots/list' } });
      return true;
    });
    const { client, peer } = await connected(server.url);
    await initialize(peer);
    await vi.waitFor(() => expect(server.requests.some((r) => postId(r) === 'r-1')).toBe(true));
    const answer = server.requests.find((r) => postId(r) === 'r-1');
    expect(JSON.parse(answer?.body ?? '')).toEqual({
      jsonrpc: '2.0',
      id: 'r-1',
      result: { roots: [{ uri: 'file:///work', name: 'work' }] },
    });
    expect(client.requests).toEqual(['roots/list']);
  });

  it('reopens with Last-Event-ID when the server ends it', async () => {
    let gets = 0;
    const server = await mcpServer((req, res) => {
      if (req.method !== 'GET') return false;
      gets++;
      sseHead(res);
      if (gets === 1) {
        sseEvent(res, {
          id: 'g-7',
          retry: 5,
          data: { jsonrpc: '2.0', method: 'notifications/tools/list_changed' },
        });
        res.end();
      }
      return true;
    });
    const { client, peer } = await connected(server.url, { reconnect: { initialDelay: 600_000 } });
    await initialize(peer);
    await vi.waitFor(() => expect(gets).toBe(2));
    const second = server.requests.filter((r) => r.method === 'GET')[1];
    expect(second?.headers['last-event-id']).toBe('g-7');
    expect(client.notifications.map((n) => n.method)).toEqual(['notifications/tools/list_changed']);
  });
});

describe('resumability', () => {
  it('resumes a POST stream with GET and Last-Event-ID, honouring retry, until the response arrives', async () => {
    let gets = 0;
    const server = await mcpServer((req, res) => {
      if (req.method === 'POST' && bodyOf(req).method === 'tools/call') {
        sseHead(res);
        sseEvent(res, { id: 'c-1', retry: 5, data: '' });
        res.end();
        return true;
      }
      if (req.method === 'GET' && req.headers['last-event-id']) {
        gets++;
        sseHead(res);
        if (gets === 1) {
          sseEvent(res, {
            id: 'c-2',
            data: {
              jsonrpc: '2.0',
              method: 'notifications/progress',
              params: { progressToken: 1, progress: 5 },
            },
          });
          res.end();
        } else {
          sseEvent(res, { id: 'c-3', data: { jsonrpc: '2.0', id: 1, result: { resumed: true } } });
          res.end();
        }
        return true;
      }
      return false;
    });
    const { peer } = await connected(server.url, {
      openGetStream: false,
      reconnect: { initialDelay: 600_000 },
    });
    await initialize(peer);
    const progress: number[] = [];
    const result = await peer.request(
      'tools/call',
      { name: 'slow', arguments: {} },
      { onprogress: (p) => progress.push(p.progress) },
    );
    expect(result).toEqual({ resumed: true });
    expect(progress).toEqual([5]);
    const resumes = server.requests.filter((r) => r.method === 'GET');
    expect(resumes.map((r) => r.headers['last-event-id'])).toEqual(['c-1', 'c-2']);
    for (const r of resumes) {
      expect(r.headers['mcp-session-id']).toBe('s-1');
      expect(r.headers['mcp-protocol-version']).toBe('2025-11-25');
      expect(r.headers.accept).toBe('text/event-stream');
    }
  });

  it('fails the request when its stream ends with no answer and no event id', async () => {
    const server = await mcpServer((req, res) => {
      if (req.method !== 'POST' || bodyOf(req).method !== 'tools/call') return false;
      sseHead(res);
      res.end();
      return true;
    });
    const { peer } = await connected(server.url, { openGetStream: false });
    await initialize(peer);
    const error = await peer.request('tools/call', { name: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpError);
    expect((error as Error).message).toContain('no event id');
    expect(server.requests.filter((r) => r.method === 'GET')).toHaveLength(0);
  });

  it('gives up after the configured number of failed reconnections', async () => {
    const server = await mcpServer((req, res) => {
      if (req.method === 'POST' && bodyOf(req).method === 'tools/call') {
        sseHead(res);
        sseEvent(res, { id: 'c-1', data: '' });
        res.end();
        return true;
      }
      if (req.method === 'GET') {
        res.writeHead(503).end('busy');
        return true;
      }
      return false;
    });
    const { peer } = await connected(server.url, {
      openGetStream: false,
      reconnect: { initialDelay: 1, maxAttempts: 3 },
    });
    await initialize(peer);
    const error = await peer.request('tools/call', { name: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpError);
    expect((error as Error).message).toContain('gave up reconnecting after 3 failed attempts');
    expect(server.requests.filter((r) => r.method === 'GET')).toHaveLength(3);
  });
});
