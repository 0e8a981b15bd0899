/**
 * Faults, end to end: a server process that crashes or is killed mid-request, a client that goes
 * away mid-request (HTTP session ended, 2026-07-28 request connection dropped), and exceptions
 * thrown by handlers, which become error answers and never take the server process down.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { McpClient } from '../src/client/index.ts';
import { ProcessExitedError, StdioClientTransport } from '../src/node/index.ts';
import { ConnectionClosedError } from '../src/protocol/index.ts';
import { McpServer } from '../src/server/index.ts';
import { StreamableHttpClientTransport } from '../src/transport/index.ts';
import { callTool, eventually, messages, post, readEvents, serve } from './http-server-fixtures.ts';

const ROOT = new URL('..', import.meta.url).pathname;

/** An McpServer over stdio whose tools fail in every way a handler can. */
const FAULTY_SERVER = `
import { McpServer } from './src/server/index.ts';
import { StdioServerTransport } from './src/node/index.ts';
const server = new McpServer({ name: 'faulty', version: '1.0.0', onError: () => {} });
server.tool('wait', {}, (_args, ctx) => new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve('x'))));
server.tool('crash', {}, () => {
  process.stderr.write('loading the widget store\\nfatal: the widget store is corrupt\\n', () => process.exit(3));
  return new Promise(() => {});
});
server.tool('throws', {}, () => { throw new Error('the database is unreachable'); });
server.tool('rejects', {}, async () => { await Promise.resolve(); throw new TypeError('undefined is not a function'); });
server.tool('throwsString', {}, () => { throw 'a bare string'; });
server.tool('throwsUndefined', {}, () => { throw undefined; });
server.resource('file:///broken', { name: 'broken' }, () => { throw new Error('disk on fire'); });
server.prompt('broken', {}, () => { throw new RangeError('prompt exploded'); });
server.method('x/throws', () => { throw new Error('custom method failed'); });
server.method('x/rejects', async () => { throw 42; });
await server.connect(new StdioServerTransport());
`;

const spawned: ChildProcess[] = [];
const clients: McpClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close().catch(() => {})));
  for (const c of spawned.splice(0)) c.kill('SIGKILL');
});

async function stdioClient(): Promise<{ client: McpClient; transport: StdioClientTransport }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--input-type=module', '-e', FAULTY_SERVER],
    cwd: ROOT,
    onError: () => {},
  });
  // A timeout far beyond the test's: a failure that comes is the crash being noticed, not a timer.
  const client = new McpClient({ era: 'legacy', timeout: 10 * 60_000 });
  clients.push(client);
  await client.connect(transport);
  return { client, transport };
}

describe('a stdio server that dies mid-request', () => {
  it('fails every pending call at once, naming the exit code and the last stderr lines (cause: ProcessExitedError)', async () => {
    const { client, transport } = await stdioClient();
    let closeReason: Error | undefined;
    client.on('close', (reason) => {
      closeReason = reason;
    });
    const waiting = [client.callTool('wait'), client.callTool('wait'), client.listTools()];
    const settled = Promise.allSettled(waiting);
    const crashed = client.callTool('crash').catch((e: unknown) => e);
    const error = (await crashed) as ConnectionClosedError;
    // The call fails with ConnectionClosedError; its message and cause carry the exit.
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect(error.message).toContain('exited with code 3');
    expect(error.message).toContain('fatal: the widget store is corrupt');
    const exited = error.cause as ProcessExitedError;
    expect(exited).toBeInstanceOf(ProcessExitedError);
    expect(exited.exitCode).toBe(3);
    expect(exited.signal).toBeNull();
    expect(exited.stderrTail).toContain('loading the widget store');
    for (const r of await settled) {
      // listTools may have been answered before the crash; calls to 'wait' never are.
      if (r.status === 'rejected') expect((r.reason as Error).cause).toBe(exited);
    }
    expect((await settled).filter((r) => r.status === 'rejected').length).toBeGreaterThanOrEqual(2);
    expect(closeReason).toBeInstanceOf(ProcessExitedError);
    expect(transport.exitCode).toBe(3);
    await expect(client.ping()).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it('names the signal when the server is killed', async () => {
    const { client, transport } = await stdioClient();
    const pending = client.callTool('wait').catch((e: unknown) => e);
    await eventually(() => transport.pid !== undefined, 'the child to start');
    process.kill(transport.pid as number, 'SIGKILL');
    const error = (await pending) as ConnectionClosedError;
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect(error.message).toContain('was killed by signal SIGKILL');
    expect((error.cause as ProcessExitedError).signal).toBe('SIGKILL');
  });
});

describe('an HTTP server that dies mid-request', () => {
  /** The McpServer behind the HTTP handler in a child process; resolves with its URL. */
  async function httpChild(): Promise<{ child: ChildProcess; url: string }> {
    const code = `
      import { McpServer } from './src/server/index.ts';
      import { createHttpHandler } from './src/http/index.ts';
      import { serveHttp } from './src/node/index.ts';
      const server = new McpServer({ name: 'doomed', version: '1.0.0', onError: () => {} });
      server.tool('wait', {}, (_a, ctx) => new Promise((r) => ctx.signal.addEventListener('abort', () => r('x'))));
      const h = await serveHttp(createHttpHandler(server, { retryMs: 20 }), { port: 0 });
      process.stdout.write(h.url + '\\n');
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    spawned.push(child);
    const url = await new Promise<string>((resolve) => {
      child.stdout?.once('data', (d: Buffer) => resolve(d.toString().trim()));
    });
    return { child, url: `${url}/mcp` };
  }

  for (const era of ['legacy', 'modern'] as const) {
    it(`fails the pending call with an error naming the lost connection (${era})`, async () => {
      const { child, url } = await httpChild();
      const client = new McpClient({ era, timeout: 10 * 60_000 });
      clients.push(client);
      await client.connect(
        new StreamableHttpClientTransport(url, { reconnect: { initialDelay: 20, maxAttempts: 1 } }),
      );
      const pending = client.callTool('wait').catch((e: unknown) => e as Error);
      // The call is in the server's hands once a first request reached it; kill it then.
      await new Promise((r) => setTimeout(r, 200));
      child.kill('SIGKILL');
      const error = await pending;
      expect(error).toBeInstanceOf(Error);
      expect(error.message).toMatch(
        /fetch failed|gave up reconnecting|closed|connection reset \(ECONNRESET\)/,
      );
    });
  }
});

describe('a client that goes away mid-request', () => {
  it('HTTP session ended: a pending elicitation fails at once with ConnectionClosedError and the session is freed', async () => {
    const server = new McpServer({
      name: 'asks',
      version: '1.0.0',
      onError: () => {},
      requestTimeout: 10 * 60_000,
    });
    let seen: { error?: unknown; aborted?: boolean } | undefined;
    let asked: () => void = () => {};
    const askedPromise = new Promise<void>((r) => {
      asked = r;
    });
    server.tool('ask', {}, async (_args, ctx) => {
      try {
        const pending = ctx.elicit({
          message: 'Your name?',
          requestedSchema: { type: 'object', properties: { name: { type: 'string' } } },
        });
        asked();
        await pending;
        return 'answered';
      } catch (error) {
        seen = { error, aborted: ctx.signal.aborted };
        throw error;
      }
    });
    const s = await serve(server);
    try {
      const res = await post(
        s.url,
        {
          jsonrpc: '2.0',
          id: 0,
          method: 'initialize',
          params: {
            protocolVersion: '2025-11-25',
            capabilities: { elicitation: { form: {} } },
            clientInfo: { name: 'leaving', version: '1.0.0' },
          },
        },
        {},
      );
      const id = res.headers.get('mcp-session-id') as string;
      await readEvents(res);
      const headers = { 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' };
      await post(s.url, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers);
      const call = await post(s.url, callTool(1, 'ask'), headers);
      const reading = readEvents(call);
      await askedPromise;
      expect(server.sessions.size).toBe(1);
      const del = await fetch(s.url, { method: 'DELETE', headers });
      expect(del.status).toBe(200);
      await eventually(() => seen !== undefined, 'the elicitation to fail');
      expect(seen?.error).toBeInstanceOf(ConnectionClosedError);
      expect(String((seen?.error as Error | undefined)?.message)).toMatch(/closed/i);
      expect(seen?.aborted).toBe(true);
      const { events } = await reading;
      expect(messages(events).some((m) => m.method === 'elicitation/create')).toBe(true);
      expect(server.sessions.size).toBe(0);
      expect(s.handler.sessionCount).toBe(0);
    } finally {
      await s.close();
    }
  });

  it('2026-07-28: dropping the request connection aborts the handler and frees the request', async () => {
    const server = new McpServer({ name: 'modern', version: '1.0.0', onError: () => {} });
    let reason: unknown;
    let started: () => void = () => {};
    const startedPromise = new Promise<void>((r) => {
      started = r;
    });
    server.tool('wait', {}, async (_args, ctx) => {
      started();
      await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
      reason = ctx.signal.reason;
      return 'never sent';
    });
    const s = await serve(server);
    try {
      const client = new McpClient({ era: 'modern' });
      clients.push(client);
      await client.connect(new StreamableHttpClientTransport(s.url));
      const ac = new AbortController();
      const call = client.callTool('wait', {}, { signal: ac.signal }).catch((e: unknown) => e);
      await startedPromise;
      expect(s.handler.requestsInFlight).toBe(1);
      ac.abort('the user gave up');
      expect(await call).toBeInstanceOf(Error);
      await eventually(() => reason !== undefined, 'the handler to be aborted');
      await eventually(() => s.handler.requestsInFlight === 0, 'the request to be freed');
    } finally {
      await s.close();
    }
  });
});

describe('exceptions thrown by handlers', () => {
  it('become isError results or -32603 answers, and the server process lives on', async () => {
    const { client, transport } = await stdioClient();
    for (const [tool, text] of [
      ['throws', 'the database is unreachable'],
      ['rejects', 'undefined is not a function'],
      ['throwsString', 'a bare string'],
      ['throwsUndefined', 'undefined'],
    ] as const) {
      const result = await client.callTool(tool);
      expect(result.isError, tool).toBe(true);
      expect(JSON.stringify(result.content), tool).toContain(text);
    }
    await expect(client.readResource('file:///broken')).rejects.toMatchObject({
      code: -32603,
      message: expect.stringContaining('disk on fire'),
    });
    await expect(client.getPrompt('broken')).rejects.toMatchObject({
      code: -32603,
      message: expect.stringContaining('prompt exploded'),
    });
    await expect(client.request('x/throws', {})).rejects.toMatchObject({
      code: -32603,
      message: expect.stringContaining('custom method failed'),
    });
    await expect(client.request('x/rejects', {})).rejects.toMatchObject({ code: -32603 });
    await client.ping();
    expect(transport.exitCode).toBeNull();
  });
});
