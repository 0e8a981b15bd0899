/** The HTTP+SSE client transport and the fallback to it, against small node:http servers. */
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionClosedError, LocalError } from '../src/protocol/index.ts';
import { SseClientTransport } from '../src/transport/sse-client.ts';
import { AutoHttpClientTransport } from '../src/transport/streamable-http-fallback.ts';
import { HttpStatusError } from '../src/transport/streamable-http-request.ts';
import {
  bodyOf,
  cleanup,
  closeAfterTest,
  initialize,
  initializeResult,
  type Recorded,
  rawServer,
  sseEvent,
  sseHead,
  type TestServer,
  testClient,
} from './http-client-fixtures.ts';

afterEach(cleanup);

/**
 * An old-style server: GET opens the stream and names `endpoint`; POSTs there get 202 and their
 * answers go out on the stream. `post` says how a POST to the URL itself is refused.
 */
async function legacyServer(options: {
  post: number;
  endpoint?: (base: string) => string;
}): Promise<TestServer> {
  let stream: ServerResponse | undefined;
  const server = await rawServer((req: Recorded, res) => {
    const path = req.url.split('?')[0];
    if (req.method === 'GET' && path === '/mcp') {
      stream = res;
      sseHead(res);
      sseEvent(res, { event: 'endpoint', data: options.endpoint?.(server.url) ?? '/messages?session=abc' });
      return;
    }
    if (req.method === 'POST' && path === '/messages') {
      res.writeHead(202).end('Accepted');
      const body = bodyOf(req);
      if (body.id === undefined || !stream) return;
      const result =
        body.method === 'initialize'
          ? initializeResult(String(body.params?.protocolVersion))
          : { echoed: body.method };
      sseEvent(stream, { event: 'message', data: { jsonrpc: '2.0', id: body.id, result } });
      return;
    }
    res.writeHead(options.post).end();
  });
  return server;
}

describe('AutoHttpClientTransport fallback', () => {
  for (const status of [400, 404, 405]) {
    it(`falls back to HTTP+SSE when the initialize POST gets ${status}`, async () => {
      const server = await legacyServer({ post: status });
      const transport = new AutoHttpClientTransport(server.url);
      const client = testClient();
      closeAfterTest(() => client.peer.close());
      await client.peer.connect(transport);
      const init = await initialize(client.peer, '2024-11-05');
      expect(init.protocolVersion).toBe('2024-11-05');
      expect(transport.kind).toBe('sse');
      expect(await client.peer.request('tools/list')).toEqual({ echoed: 'tools/list' });
      const seen = server.requests.map((r) => `${r.method} ${r.url}`);
      expect(seen.slice(0, 3)).toEqual(['POST /mcp', 'GET /mcp', 'POST /messages?session=abc']);
      expect(server.requests[0]?.headers.accept).toContain('text/event-stream');
      expect(server.requests[1]?.headers.accept).toBe('text/event-stream');
      expect(bodyOf(server.requests[2] as Recorded).method).toBe('initialize');
    });
  }

  it('does not fall back on other statuses (401)', async () => {
    const server = await legacyServer({ post: 401 });
    const client = testClient();
    closeAfterTest(() => client.peer.close());
    await client.peer.connect(new AutoHttpClientTransport(server.url));
    const error = await initialize(client.peer).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LocalError);
    expect((error as Error).cause).toMatchObject({ status: 401 });
    expect((error as Error).message).toContain('answered HTTP 401');
    expect(server.requests.map((r) => r.method)).toEqual(['POST']);
  });

  it('reports both failures when the GET offers no SSE stream either', async () => {
    const server = await rawServer((_req, res) => {
      res.writeHead(404).end('nothing here');
    });
    const client = testClient();
    closeAfterTest(() => client.peer.close());
    await client.peer.connect(new AutoHttpClientTransport(server.url));
    const error = (await initialize(client.peer).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('POST');
    expect(error.message).toContain('HTTP 404');
    expect(error.message).toContain('neither Streamable HTTP nor HTTP+SSE');
    expect(server.requests.map((r) => r.method)).toEqual(['POST', 'GET']);
  });
});

describe('SseClientTransport', () => {
  it('accepts an absolute endpoint on the same origin', async () => {
    const server = await legacyServer({
      post: 405,
      endpoint: (base) => `${new URL(base).origin}/messages?session=abc`,
    });
    const transport = new SseClientTransport(server.url);
    const client = testClient();
    closeAfterTest(() => client.peer.close());
    await client.peer.connect(transport);
    expect(transport.endpoint?.href).toBe(`${new URL(server.url).origin}/messages?session=abc`);
    expect(await client.peer.request('ping')).toEqual({ echoed: 'ping' });
  });

  it('refuses an endpoint on another origin', async () => {
    const server = await legacyServer({ post: 405, endpoint: () => 'http://evil.example:8080/messages' });
    const client = testClient();
    const error = (await client.peer
      .connect(new SseClientTransport(server.url))
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('another origin');
    expect(server.requests.map((r) => r.method)).toEqual(['GET']);
  });

  it('fails to start when the stream ends before the endpoint event', async () => {
    const server = await rawServer((_req, res) => {
      sseHead(res);
      sseEvent(res, { event: 'message', data: { jsonrpc: '2.0', method: 'early' } });
      res.end();
    });
    const client = testClient();
    const error = (await client.peer
      .connect(new SseClientTransport(server.url))
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('ended before its endpoint event');
  });

  it('fails to start on an HTTP error', async () => {
    const server = await rawServer((_req, res) => {
      res.writeHead(403).end('forbidden');
    });
    const client = testClient();
    const error = await client.peer.connect(new SseClientTransport(server.url)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error).toMatchObject({ status: 403 });
  });

  it('sends custom headers on the GET and every POST, and stops the stream on close', async () => {
    const server = await legacyServer({ post: 405 });
    const transport = new SseClientTransport(server.url, { headers: { authorization: 'Bearer t' } });
    const client = testClient();
    await client.peer.connect(transport);
    await client.peer.request('ping');
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(['Bearer t', 'Bearer t']);
    expect(server.requests[1]?.headers['content-type']).toBe('application/json');
    await client.peer.close();
    expect(client.closedWith).toEqual([undefined]);
    await expect(transport.send({ jsonrpc: '2.0', method: 'x' })).rejects.toBeInstanceOf(
      ConnectionClosedError,
    );
  });
});
