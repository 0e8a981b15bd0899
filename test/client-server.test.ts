import { describe, expect, it } from 'vitest';
import { McpClient } from '../src/client/index.ts';
import {
  ConnectionClosedError,
  McpError,
  MissingCapabilityError,
  RequestCancelledError,
  RequestTimeoutError,
} from '../src/protocol/index.ts';
import type { Middleware } from '../src/rpc/index.ts';
import { McpServer } from '../src/server/index.ts';
import { createMemoryPair } from '../src/transport/index.ts';

async function pair(
  server: McpServer,
  client = new McpClient({ era: 'legacy', name: 'test', version: '1' }),
) {
  const [a, b] = createMemoryPair();
  await server.connect(b);
  await client.connect(a);
  return client;
}

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

describe('client and server over the in-memory transport', () => {
  it('negotiates the requested revision and exposes server facts', async () => {
    const server = new McpServer({ name: 'srv', version: '2.0.0', instructions: 'be nice' });
    server.tool('t', { description: 'd' }, () => 'ok');
    const client = await pair(server, new McpClient({ era: 'legacy', protocolVersion: '2025-03-26' }));
    expect(client.revision).toBe('2025-03-26');
    expect(client.serverInfo).toEqual({ name: 'srv', version: '2.0.0' });
    expect(client.instructions).toBe('be nice');
    expect(client.serverCapabilities.tools).toEqual({ listChanged: true });
  });

  it('refuses a method the server did not declare, without sending it', async () => {
    const server = new McpServer({ name: 'srv', version: '1' });
    server.tool('t', { description: 'd' }, () => 'ok');
    const client = await pair(server);
    await expect(client.listPrompts()).rejects.toBeInstanceOf(MissingCapabilityError);
  });

  it('iterates every page of tools, resources and prompts', async () => {
    const server = new McpServer({ name: 'srv', version: '1', pageSize: 3 });
    for (let i = 0; i < 7; i++) {
      server.tool(`t${i}`, { description: 'd' }, () => 'ok');
      server.resource(`test://r${i}`, { name: `r${i}` }, () => 'x');
      server.prompt(`p${i}`, { description: 'd' }, () => 'x');
    }
    const client = await pair(server);
    const names: string[] = [];
    for await (const t of client.iterateTools()) names.push(t.name);
    expect(names).toHaveLength(7);
    let resources = 0;
    for await (const _ of client.iterateResources()) resources++;
    let prompts = 0;
    for await (const _ of client.iteratePrompts()) prompts++;
    expect([resources, prompts]).toEqual([7, 7]);
  });

  it('keeps a long call alive while the server reports progress, without the caller asking', async () => {
    const server = new McpServer({ name: 'srv', version: '1' });
    server.tool('slow', { description: 'd' }, async (_a, ctx) => {
      for (let i = 1; i <= 6; i++) {
        await sleep(40);
        await ctx.progress(i, 6);
      }
      return 'done';
    });
    const client = await pair(server, new McpClient({ era: 'legacy', timeout: 100 }));
    const r = await client.callTool('slow');
    expect(r.content).toEqual([{ type: 'text', text: 'done' }]);
  });

  it('times out a call without progress with a local RequestTimeoutError, and caps the total time', async () => {
    const server = new McpServer({ name: 'srv', version: '1' });
    server.tool('silent', { description: 'd' }, async (_a, ctx) => {
      await new Promise((r) => ctx.signal.addEventListener('abort', r));
      return 'never';
    });
    server.tool('chatty', { description: 'd' }, async (_a, ctx) => {
      for (let i = 1; !ctx.signal.aborted; i++) {
        await sleep(20);
        await ctx.progress(i);
      }
      return 'never';
    });
    const client = await pair(server, new McpClient({ era: 'legacy', timeout: 80, maxTotalTimeout: 300 }));
    const e = await client.callTool('silent').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RequestTimeoutError);
    expect(e).not.toBeInstanceOf(McpError);
    const total = await client.callTool('chatty').catch((x: unknown) => x);
    expect(total).toBeInstanceOf(RequestTimeoutError);
    expect((total as Error).message).toMatch(/maximum total time/);
  });

  it('cancels a call through its AbortSignal: the handler sees the abort', async () => {
    const server = new McpServer({ name: 'srv', version: '1' });
    const seen: string[] = [];
    server.tool('wait', { description: 'd' }, async (_a, ctx) => {
      await new Promise((r) => ctx.signal.addEventListener('abort', r));
      seen.push(String(ctx.signal.reason));
      return 'late';
    });
    const client = await pair(server);
    const controller = new AbortController();
    const call = client.callTool('wait', {}, { signal: controller.signal });
    await sleep(20);
    controller.abort('changed my mind');
    await expect(call).rejects.toBeInstanceOf(RequestCancelledError);
    await sleep(20);
    expect(seen).toEqual(['changed my mind']);
  });

  it('reports progress to onprogress and log messages as events', async () => {
    const server = new McpServer({ name: 'srv', version: '1' });
    server.tool('work', { description: 'd' }, async (_a, ctx) => {
      await ctx.log('info', { step: 1 }, 'worker');
      await ctx.progress(1, 2, 'half');
      await ctx.progress(2, 2);
      return 'ok';
    });
    const client = await pair(server);
    const logs: unknown[] = [];
    client.on('log', (m) => logs.push(m));
    const progress: unknown[] = [];
    await client.callTool('work', {}, { onprogress: (p) => progress.push([p.progress, p.total, p.message]) });
    expect(progress).toEqual([
      [1, 2, 'half'],
      [2, 2, undefined],
    ]);
    expect(logs).toEqual([{ level: 'info', logger: 'worker', data: { step: 1 } }]);
  });

  it('answers sampling, elicitation (filling schema defaults) and roots through the client handlers', async () => {
    const server = new McpServer({ name: 'srv', version: '1' });
    server.tool('ask', { description: 'd' }, async (_a, ctx) => {
      const s = await ctx.sample({
        messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }],
        maxTokens: 10,
      });
      const e = await ctx.elicit({
        message: 'form',
        requestedSchema: {
          type: 'object',
          properties: { name: { type: 'string' }, age: { type: 'integer', default: 30 } },
        },
      });
      const r = await ctx.listRoots();
      return JSON.stringify({ s: s.content, e: e.content, r: r.roots });
    });
    const client = await pair(
      server,
      new McpClient({
        era: 'legacy',
        handlers: {
          sampling: (p) => ({
            role: 'assistant',
            model: 'm',
            content: { type: 'text', text: `echo ${JSON.stringify(p.messages[0].content)}` },
          }),
          elicitation: () => ({ action: 'accept', content: { name: 'Ada' } }),
          roots: () => [{ uri: 'file:///tmp', name: 'tmp' }],
        },
      }),
    );
    const r = await client.callTool('ask');
    expect(JSON.parse((r.content[0] as { text: string }).text)).toEqual({
      s: { type: 'text', text: 'echo {"type":"text","text":"hi"}' },
      e: { name: 'Ada', age: 30 },
      r: [{ uri: 'file:///tmp', name: 'tmp' }],
    });
  });

  it('fails ctx.sample with a clear local error when the client has no sampling capability', async () => {
    const server = new McpServer({ name: 'srv', version: '1' });
    server.tool('ask', { description: 'd' }, async (_a, ctx) => {
      await ctx.sample({ messages: [], maxTokens: 1 });
      return 'no';
    });
    const client = await pair(server);
    const r = await client.callTool('ask');
    expect(r.isError).toBe(true);
    expect((r.content[0] as { text: string }).text).toMatch(/did not declare the 'sampling' capability/);
  });

  it('validates structuredContent against the listed output schema (and skips isError results)', async () => {
    const server = new McpServer({ name: 'srv', version: '1' });
    const outputSchema = { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] };
    server.tool('liar', { description: 'd', output: outputSchema }, () => ({ structuredContent: { n: 1 } }));
    server.tool('failing', { description: 'd', output: outputSchema }, () => ({
      content: [{ type: 'text', text: 'no' }],
      isError: true,
    }));
    const client = await pair(server);
    expect((await client.callTool('liar')).structuredContent).toEqual({ n: 1 });
    expect((await client.callTool('failing')).isError).toBe(true);
    // A server that breaks its own schema: change the output schema behind the client's back.
    const tools = await client.listTools();
    (tools.tools.find((t) => t.name === 'liar') as { outputSchema: object }).outputSchema = {
      type: 'object',
      properties: { n: { type: 'string' } },
    };
    const client2 = await pair(server);
    await client2.listTools();
    expect((await client2.callTool('liar')).structuredContent).toEqual({ n: 1 });
  });

  it('emits list_changed events and rejects pending calls when the connection closes', async () => {
    const server = new McpServer({ name: 'srv', version: '1' });
    server.tool('hang', { description: 'd' }, () => new Promise(() => {}));
    const client = await pair(server);
    const changed = new Promise<void>((r) => client.on('toolsListChanged', () => r()));
    server.tool('new', { description: 'd' }, () => 'ok');
    await changed;
    const call = client.callTool('hang');
    await sleep(10);
    await client.close();
    await expect(call).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it('runs middleware around inbound and outbound requests, in onion order', async () => {
    const order: string[] = [];
    const mw =
      (name: string): Middleware =>
      async (req, next) => {
        order.push(`${name}>${req.direction}:${req.method}`);
        const r = await next();
        order.push(`${name}<${req.direction}:${req.method}`);
        return r;
      };
    const server = new McpServer({ name: 'srv', version: '1', middleware: [mw('s1'), mw('s2')] });
    server.tool('t', { description: 'd' }, () => 'ok');
    const client = await pair(server, new McpClient({ era: 'legacy', middleware: [mw('c')] }));
    await client.listTools(); // the client learns output schemas from the listing
    order.length = 0;
    await client.callTool('t');
    expect(order).toEqual([
      'c>outbound:tools/call',
      's1>inbound:tools/call',
      's2>inbound:tools/call',
      's2<inbound:tools/call',
      's1<inbound:tools/call',
      'c<outbound:tools/call',
    ]);
  });
});
