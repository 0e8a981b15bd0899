import { toStandardJsonSchema } from '@valibot/to-json-schema';
import { type } from 'arktype';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { McpClient } from '../src/client/index.ts';
import { ErrorCode, McpError, urlElicitationRequired } from '../src/protocol/index.ts';
import { McpServer, type ServerSession } from '../src/server/index.ts';
import { createMemoryPair } from '../src/transport/index.ts';

async function pair(server: McpServer, client: McpClient) {
  const [a, b] = createMemoryPair();
  const sessions: ServerSession[] = [];
  server.on('session', (s) => sessions.push(s));
  await server.connect(b);
  await client.connect(a);
  return { client, session: () => sessions[0] };
}

describe('server/tools: input schemas from any Standard Schema library', () => {
  const server = new McpServer({ name: 's', version: '1' });
  server.tool(
    'zod',
    { description: 'd', input: z.object({ n: z.number().int() }) },
    ({ n }) => `zod ${n + 1}`,
  );
  server.tool(
    'valibot',
    { description: 'd', input: toStandardJsonSchema(v.object({ n: v.number() })) },
    ({ n }) => `valibot ${n + 1}`,
  );
  server.tool('arktype', { description: 'd', input: type({ n: 'number' }) }, ({ n }) => `arktype ${n + 1}`);

  it('publishes each as JSON Schema, validates arguments, and passes typed values to the handler', async () => {
    const { client } = await pair(server, new McpClient({ era: 'legacy' }));
    const tools = await client.listTools();
    for (const t of tools.tools) {
      expect(t.inputSchema).toMatchObject({ type: 'object', properties: { n: { type: expect.anything() } } });
    }
    for (const name of ['zod', 'valibot', 'arktype']) {
      expect((await client.callTool(name, { n: 1 })).content).toEqual([{ type: 'text', text: `${name} 2` }]);
      const bad = await client.callTool(name, { n: 'one' });
      expect(bad.isError).toBe(true);
      expect((bad.content[0] as { text: string }).text).toMatch(
        new RegExp(`Invalid arguments for tool '${name}'`),
      );
    }
  });
});

describe('client/sampling: tools in sampling (2025-11-25)', () => {
  it('sends tools only to a client that declared sampling.tools', async () => {
    const server = new McpServer({ name: 's', version: '1' });
    server.tool('agent', { description: 'd' }, async (_a, ctx) => {
      const r = await ctx.sample({
        messages: [{ role: 'user', content: { type: 'text', text: 'weather?' } }],
        maxTokens: 50,
        tools: [
          { name: 'get_weather', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } },
        ],
        toolChoice: { mode: 'auto' },
      });
      return JSON.stringify(r.content);
    });
    const seen: unknown[] = [];
    const { client } = await pair(
      server,
      new McpClient({
        era: 'legacy',
        capabilities: { sampling: { tools: {} } },
        handlers: {
          sampling: (p) => {
            seen.push(
              p.tools?.map((t) => t.name),
              p.toolChoice,
            );
            return {
              role: 'assistant',
              model: 'm',
              stopReason: 'toolUse',
              content: [{ type: 'tool_use', id: 'u1', name: 'get_weather', input: { city: 'Oslo' } }],
            };
          },
        },
      }),
    );
    const r = await client.callTool('agent');
    expect(seen).toEqual([['get_weather'], { mode: 'auto' }]);
    expect(JSON.parse((r.content[0] as { text: string }).text)).toEqual([
      { type: 'tool_use', id: 'u1', name: 'get_weather', input: { city: 'Oslo' } },
    ]);
    const plain = await pair(
      server,
      new McpClient({
        era: 'legacy',
        handlers: {
          sampling: () => ({ role: 'assistant', model: 'm', content: { type: 'text', text: '' } }),
        },
      }),
    );
    const refused = await plain.client.callTool('agent');
    expect(refused.isError).toBe(true);
    expect((refused.content[0] as { text: string }).text).toMatch(/sampling\.tools/);
  });
});

describe('client/elicitation: URL mode (2025-11-25)', () => {
  it('carries a URL-mode request, the completion notification, and the -32042 error with its elicitations', async () => {
    const server = new McpServer({ name: 's', version: '1' });
    server.tool('open', { description: 'd' }, async (_a, ctx) => {
      const r = await ctx.elicit({
        mode: 'url',
        message: 'Sign in',
        url: 'https://example.com/x',
        elicitationId: 'e1',
      });
      return r.action;
    });
    server.tool('needs', { description: 'd' }, () => {
      throw urlElicitationRequired([
        { mode: 'url', message: 'Connect', url: 'https://example.com/c', elicitationId: 'e2' },
      ]);
    });
    const requests: unknown[] = [];
    const { client, session } = await pair(
      server,
      new McpClient({
        era: 'legacy',
        capabilities: { elicitation: { form: {}, url: {} } },
        handlers: {
          elicitation: (p) => {
            requests.push(p);
            return { action: 'accept' };
          },
        },
      }),
    );
    expect((await client.callTool('open')).content).toEqual([{ type: 'text', text: 'accept' }]);
    expect(requests).toEqual([
      { mode: 'url', message: 'Sign in', url: 'https://example.com/x', elicitationId: 'e1' },
    ]);
    const completed = new Promise((r) => client.on('elicitationComplete', r));
    await session().elicitationComplete('e1');
    expect(await completed).toBe('e1');
    const e = (await client.callTool('needs').catch((x: unknown) => x)) as McpError;
    expect(e).toBeInstanceOf(McpError);
    expect(e.code).toBe(ErrorCode.UrlElicitationRequired);
    expect(e.data).toEqual({
      elicitations: [{ mode: 'url', message: 'Connect', url: 'https://example.com/c', elicitationId: 'e2' }],
    });
  });

  it('refuses URL mode toward a client that declared only form mode', async () => {
    const server = new McpServer({ name: 's', version: '1' });
    server.tool(
      'open',
      { description: 'd' },
      async (_a, ctx) =>
        (await ctx.elicit({ mode: 'url', message: 'm', url: 'https://example.com', elicitationId: 'x' }))
          .action,
    );
    const { client } = await pair(
      server,
      new McpClient({ era: 'legacy', handlers: { elicitation: () => ({ action: 'accept' }) } }),
    );
    const r = await client.callTool('open');
    expect(r.isError).toBe(true);
    expect((r.content[0] as { text: string }).text).toMatch(/URL-mode/);
  });
});

describe('client/roots', () => {
  it('tells the server when roots change', async () => {
    const server = new McpServer({ name: 's', version: '1' });
    server.tool('t', { description: 'd' }, () => 'x');
    const changed = new Promise((r) => server.on('rootsListChanged', r));
    const { client } = await pair(server, new McpClient({ era: 'legacy', handlers: { roots: () => [] } }));
    expect(client.capabilities.roots).toEqual({ listChanged: true });
    await client.sendRootsListChanged();
    await changed;
  });
});
