/**
 * The HTTP client transports' node:http path (src/transport/node-fetch.ts): what it answers must be
 * what the fetch path would give the transport, and the transports must fall back to the global
 * fetch wherever the application configured it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LocalError } from '../src/protocol/index.ts';
import { StreamableHttpClientTransport } from '../src/transport/index.ts';
import { nodeFetch } from '../src/transport/node-fetch.ts';
import { defaultFetch, globalFetch } from '../src/transport/streamable-http-request.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

let server: Server;
let base: string;
let handler: Handler;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => handler(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

afterEach(() => {
  vi.unstubAllGlobals();
});

const fetchOnNode = nodeFetch();

describe('nodeFetch', () => {
  it('is available on Node and is what a transport without fetch options uses', () => {
    expect(fetchOnNode).toBeTypeOf('function');
    expect(defaultFetch({})).toBe(fetchOnNode);
    expect(defaultFetch({ requestInit: { headers: { 'x-a': '1' } } })).toBe(fetchOnNode);
    // Options only fetch understands keep the global fetch; so does a fetch of the application's.
    expect(defaultFetch({ requestInit: { credentials: 'include' } })).toBe(globalFetch);
    const own = async () => new Response('');
    expect(defaultFetch({ fetch: own })).toBe(own);
  });

  it('sends method, headers and body, and answers a JSON body with status and headers', async () => {
    let seen: { method?: string; type?: string; custom?: string; length?: string; body?: string } = {};
    handler = (req, res, body) => {
      seen = {
        method: req.method,
        type: req.headers['content-type'],
        custom: String(req.headers['x-custom']),
        length: req.headers['content-length'],
        body,
      };
      res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 's1' });
      res.end('{"ok":"é"}');
    };
    const headers = new Headers({ 'content-type': 'application/json', 'X-Custom': 'v' });
    const response = await fetchOnNode!(`${base}/mcp`, { method: 'POST', headers, body: '{"a":"é"}' });
    expect(seen).toEqual({
      method: 'POST',
      type: 'application/json',
      custom: 'v',
      length: String(Buffer.byteLength('{"a":"é"}')),
      body: '{"a":"é"}',
    });
    expect(response.status).toBe(200);
    expect(response.ok).toBe(true);
    expect(response.headers.get('mcp-session-id')).toBe('s1');
    expect(await response.text()).toBe('{"ok":"é"}');
    // A Response of undici's fetch carries the URL; this one was built from node:http's answer.
    expect(response.url).toBe('');
  });

  it('hands an SSE answer over as a stream, readable before the server ends it', async () => {
    let finish: (() => void) | undefined;
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: one\n\n');
      finish = () => res.end('data: two\n\n');
    };
    const response = await fetchOnNode!(`${base}/sse`, { method: 'POST', body: '{}' });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const first = await reader.read();
    expect(decoder.decode(first.value)).toBe('data: one\n\n');
    finish!();
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += decoder.decode(r.value);
    expect(rest).toBe('data: two\n\n');
  });

  it('does not follow redirects: the 3xx is the answer, as with redirect "manual"', async () => {
    let hits = 0;
    handler = (req, res) => {
      hits++;
      if (req.url === '/moved') {
        res.writeHead(307, { location: '/elsewhere' });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    };
    const response = await fetchOnNode!(`${base}/moved`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toBe('/elsewhere');
    expect(hits).toBe(1);
  });

  it('answers 204 without a body', async () => {
    handler = (_req, res) => {
      res.writeHead(204);
      res.end();
    };
    const response = await fetchOnNode!(`${base}/none`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it('rejects with the abort reason when aborted before the answer, and errors a stream aborted mid-way', async () => {
    handler = () => {}; // never answers
    const controller = new AbortController();
    const pending = fetchOnNode!(`${base}/slow`, { method: 'POST', body: '{}', signal: controller.signal });
    const reason = new Error('stop');
    setTimeout(() => controller.abort(reason), 20);
    await expect(pending).rejects.toBe(reason);

    const already = AbortSignal.abort(new Error('before'));
    await expect(fetchOnNode!(`${base}/slow`, { method: 'POST', signal: already })).rejects.toThrow('before');

    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: one\n\n');
    };
    const streaming = new AbortController();
    const response = await fetchOnNode!(`${base}/sse`, {
      method: 'POST',
      body: '{}',
      signal: streaming.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    const midway = new Error('midway');
    streaming.abort(midway);
    await expect(reader.read()).rejects.toBe(midway);
  });

  it('fails like fetch when nothing listens: a TypeError whose cause names the network error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await fetchOnNode!(`http://127.0.0.1:${port}/mcp`, { method: 'POST', body: '{}' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(((error as Error).cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('calls the global fetch when the application set a dispatcher of its own (a proxy, a mock)', async () => {
    const key = Symbol.for('undici.globalDispatcher.1');
    const holder = globalThis as Record<symbol, unknown>;
    const before = holder[key];
    class ProxyAgent {}
    holder[key] = new ProxyAgent();
    try {
      handler = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      };
      // The global fetch would reject the fake dispatcher: proof that it, not node:http, was called.
      await expect(fetchOnNode!(`${base}/mcp`, { method: 'POST', body: '{}' })).rejects.toThrow();
    } finally {
      holder[key] = before;
    }
    const response = await fetchOnNode!(`${base}/mcp`, { method: 'POST', body: '{}' });
    expect(response.url).toBe('');
  });

  it('calls the global fetch once the application has replaced it', async () => {
    const replaced = vi.fn(async () => new Response('from the replacement'));
    vi.stubGlobal('fetch', replaced);
    const response = await fetchOnNode!(`${base}/mcp`, { method: 'POST', body: '{}' });
    expect(await response.text()).toBe('from the replacement');
    expect(replaced).toHaveBeenCalledTimes(1);
  });
});

describe('StreamableHttpClientTransport on the node:http path', () => {
  function connect(url: string): { transport: StreamableHttpClientTransport; received: unknown[] } {
    const transport = new StreamableHttpClientTransport(url, { openGetStream: false });
    const received: unknown[] = [];
    transport.start({
      receive: (value) => received.push(value),
      receiveText: (text) => received.push(JSON.parse(text)),
      closed: () => {},
      ended: () => {},
      failed: () => {},
    });
    return { transport, received };
  }

  it('delivers JSON and SSE answers', async () => {
    handler = (req, res, body) => {
      const id = (JSON.parse(body) as { id: number }).id;
      const answer = JSON.stringify({ jsonrpc: '2.0', id, result: { via: req.url } });
      if (req.url === '/sse') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(`event: message\ndata: ${answer}\n\n`);
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(answer);
      }
    };
    for (const path of ['/json', '/sse']) {
      const { transport, received } = connect(`${base}${path}`);
      await transport.send({ jsonrpc: '2.0', id: 1, method: 'ping' });
      await vi.waitFor(() => expect(received).toEqual([{ jsonrpc: '2.0', id: 1, result: { via: path } }]));
      await transport.close();
    }
  });

  it('turns a refused connection into a LocalError naming the cause', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const { transport } = connect(`http://127.0.0.1:${port}/mcp`);
    const error = await transport.send({ jsonrpc: '2.0', id: 1, method: 'ping' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LocalError);
    expect((error as Error).message).toContain('connection refused (ECONNREFUSED)');
    await transport.close();
  });

  it('answers a redirect with an HTTP error, not by following it', async () => {
    handler = (_req, res) => {
      res.writeHead(308, { location: 'http://127.0.0.1:1/elsewhere' });
      res.end();
    };
    const { transport } = connect(`${base}/moved`);
    const error = await transport
      .send({ jsonrpc: '2.0', method: 'notifications/x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LocalError);
    expect((error as Error).message).toContain('answered HTTP 308');
    await transport.close();
  });
});
