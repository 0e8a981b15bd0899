import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { McpClient } from '../src/client/index.ts';
import { FrameWriter, StdioServerTransport, serveHttp } from '../src/node/index.ts';
import { ConnectionClosedError, LocalError } from '../src/protocol/index.ts';
import { JsonRpcPeer } from '../src/rpc/index.ts';
import { McpServer } from '../src/server/index.ts';
import { StreamableHttpClientTransport } from '../src/transport/index.ts';
import { connectWire } from './support/wire.ts';

describe('faults: whatever a handler throws or returns, the request is answered', () => {
  it('answers -32603 for a thrown value without a prototype and an Error whose message getter throws', async () => {
    const server = new McpServer({ name: 's', version: '1' });
    server.method('x/null', () => {
      throw Object.create(null);
    });
    server.method('x/getter', () => {
      const e = new Error('x');
      Object.defineProperty(e, 'message', {
        get() {
          throw new Error('no');
        },
      });
      throw e;
    });
    const wire = await connectWire(server);
    await wire.initialize('2025-11-25');
    expect((await wire.call('x/null')).response.error).toMatchObject({ code: -32603 });
    expect((await wire.call('x/getter')).response.error).toMatchObject({ code: -32603 });
    expect((await wire.call('ping')).response.result).toEqual({});
  });

  it('answers -32603 when a result cannot be serialized (a BigInt, a cycle)', async () => {
    const server = new McpServer({ name: 's', version: '1' });
    server.method('x/bigint', () => ({ n: 10n }) as unknown as Record<string, unknown>);
    server.method('x/cycle', () => {
      const o: Record<string, unknown> = {};
      o.self = o;
      return o;
    });
    const wire = await connectWire(server);
    await wire.initialize('2025-11-25');
    expect((await wire.call('x/bigint')).response.error).toMatchObject({ code: -32603 });
    expect((await wire.call('x/cycle')).response.error).toMatchObject({ code: -32603 });
  });
});

describe('faults: input that ends while the server waits for the client', () => {
  it('fails a pending server→client request at once when stdin ends', async () => {
    const server = new McpServer({ name: 's', version: '1', requestTimeout: 60_000 });
    let failure: unknown;
    server.tool('ask', { description: 'd' }, async (_a, ctx) => {
      try {
        await ctx.elicit({ message: 'm', requestedSchema: { type: 'object', properties: {} } });
      } catch (error) {
        failure = error;
      }
      return 'done';
    });
    const stdin = new PassThrough();
    const out: string[] = [];
    const stdout = new Writable({
      write(chunk, _enc, cb) {
        out.push(String(chunk));
        cb();
      },
    });
    await server.connect(new StdioServerTransport({ stdin, stdout }));
    const send = (m: unknown) => stdin.write(`${JSON.stringify(m)}\n`);
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-11-25',
        capabilities: { elicitation: {} },
        clientInfo: { name: 'c', version: '1' },
      },
    });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'ask' } });
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    stdin.end();
    await new Promise((r) => setTimeout(r, 100));
    expect(failure).toBeInstanceOf(ConnectionClosedError);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(out.join('')).toContain('"id":2');
  });
});

describe('limits: configurable on the server', () => {
  it('answers past the in-flight limit the server was given', async () => {
    const server = new McpServer({ name: 's', version: '1', limits: { maxInflight: 2 } });
    server.tool('hang', { description: 'd' }, () => new Promise(() => {}));
    const wire = await connectWire(server);
    await wire.initialize('2025-11-25');
    for (const id of [1, 2, 3])
      wire.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'hang' } });
    expect(await wire.next()).toMatchObject({ id: 3, error: { code: -32603 } });
  });
});

describe('limits: backpressure towards a slow stdio reader', () => {
  it('reports pressure above the high-water mark and relief once the reader catches up', async () => {
    const events: boolean[] = [];
    let release: (() => void) | undefined;
    const slow = new Writable({
      highWaterMark: 16,
      write(_chunk, _enc, cb) {
        release = cb;
      },
    });
    const writer = new FrameWriter(
      slow,
      'test',
      () => {},
      (high) => events.push(high),
      64,
    );
    const writes = Array.from({ length: 20 }, () => writer.write('x'.repeat(20)));
    expect(events).toEqual([true]);
    while (events.length < 2 && release) {
      const r = release;
      release = undefined;
      r();
      await new Promise((res) => setImmediate(res));
    }
    expect(events).toEqual([true, false]);
    await Promise.all(writes.slice(0, 1));
  });
});

describe('security: the HTTP client follows no redirect with a request body', () => {
  it('does not POST to the origin a 307 points at', async () => {
    let hits = 0;
    const other = createServer((_req, res) => {
      hits++;
      res.end('{}');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const target = `http://127.0.0.1:${(other.address() as AddressInfo).port}/mcp`;
    const redirector = createServer((_req, res) => {
      res.writeHead(307, { location: target });
      res.end();
    });
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/mcp`;
    const client = new McpClient({ era: 'legacy' });
    const error = await client.connect(new StreamableHttpClientTransport(url)).catch((e: unknown) => e);
    // A redirect is no MCP answer: a local failure that names the status.
    expect(error).toBeInstanceOf(LocalError);
    expect((error as Error).message).toContain('answered HTTP 307');
    expect(hits).toBe(0);
    other.close();
    redirector.close();
  });
});

describe('limits: idle kept-alive connections', () => {
  it('keeps idle connections longer than common clients do, and lets the caller choose', async () => {
    const handle = await serveHttp(() => Promise.resolve(new Response('ok')), { port: 0 });
    expect(handle.server.keepAliveTimeout).toBe(65_000);
    await handle.close();
    const short = await serveHttp(() => Promise.resolve(new Response('ok')), {
      port: 0,
      keepAliveTimeout: 1000,
    });
    expect(short.server.keepAliveTimeout).toBe(1000);
    await short.close();
  });
});

describe('peer: closing with nothing pending', () => {
  it('closes cleanly', async () => {
    const p = new JsonRpcPeer({ onRequest: () => ({}) });
    await p.connect({ start() {}, send() {}, async close() {} });
    await p.close();
    expect(p.closed).toBe(true);
  });
});
