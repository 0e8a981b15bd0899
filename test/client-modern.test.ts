import { describe, expect, it } from 'vitest';
import { eraMemory } from '../src/client/era.ts';
import { McpClient } from '../src/client/index.ts';
import { LocalError } from '../src/protocol/index.ts';
import { McpServer } from '../src/server/index.ts';
import { createMemoryPair } from '../src/transport/index.ts';

async function pair(server: McpServer, client: McpClient) {
  const [a, b] = createMemoryPair();
  await server.connect(b);
  await client.connect(a);
  return client;
}

function server(options: Partial<ConstructorParameters<typeof McpServer>[0]> = {}) {
  const s = new McpServer({ name: 'srv', version: '9', ...options });
  s.tool('hello', { description: 'd' }, () => 'hello');
  s.tool('interview', { description: 'd' }, async (_a, ctx) => {
    const who = await ctx.elicit({
      message: 'Who?',
      requestedSchema: {
        type: 'object',
        properties: { name: { type: 'string' }, age: { type: 'integer', default: 7 } },
      },
    });
    const roots = await ctx.listRoots();
    const s2 = await ctx.sample({
      messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }],
      maxTokens: 3,
    });
    return JSON.stringify({ who: who.content, roots: roots.roots.length, model: s2.model });
  });
  s.tool('logs', { description: 'd' }, async (_a, ctx) => {
    await ctx.log('warning', 'careful');
    return 'ok';
  });
  return s;
}

const handlers = {
  elicitation: () => ({ action: 'accept' as const, content: { name: 'Ada' } }),
  roots: () => [{ uri: 'file:///w', name: 'w' }],
  sampling: () => ({
    role: 'assistant' as const,
    model: 'tiny',
    content: { type: 'text' as const, text: 'yo' },
  }),
};

describe('client: era detection (basic/versioning, "Backward Compatibility")', () => {
  it('speaks 2026-07-28 with a dual-era server, learning identity and capabilities from server/discover', async () => {
    const client = await pair(server({ instructions: 'use me' }), new McpClient());
    expect(client.era).toBe('modern');
    expect(client.revision).toBe('2026-07-28');
    expect(client.serverInfo).toEqual({ name: 'srv', version: '9' });
    expect(client.instructions).toBe('use me');
    expect((await client.callTool('hello')).content).toEqual([{ type: 'text', text: 'hello' }]);
  });

  it('falls back to initialize with a server that only speaks the legacy revisions, and remembers it', async () => {
    const client = await pair(server({ modern: false }), new McpClient({ eraKey: 'legacy-only' }));
    expect(client.era).toBe('legacy');
    expect(client.revision).toBe('2025-11-25');
    expect(eraMemory.get('legacy-only')).toBe('legacy');
    const seen: string[] = [];
    const s = server({
      modern: false,
      middleware: [
        async (r, next) => {
          seen.push(r.method);
          return next();
        },
      ],
    });
    await pair(s, new McpClient({ eraKey: 'legacy-only' }));
    expect(seen[0]).toBe('initialize');
  });
});

describe('client: Multi Round-Trip Requests through the same handlers as legacy requests', () => {
  it('answers elicitation (with defaults), roots and sampling and retries until complete', async () => {
    const rounds: unknown[] = [];
    const s = server({
      middleware: [
        async (r, next) => {
          if (r.method === 'tools/call') rounds.push(Object.keys((r.params?.inputResponses as object) ?? {}));
          return next();
        },
      ],
    });
    const client = await pair(s, new McpClient({ handlers }));
    const r = await client.callTool('interview');
    expect(JSON.parse((r.content[0] as { text: string }).text)).toEqual({
      who: { name: 'Ada', age: 7 },
      roots: 1,
      model: 'tiny',
    });
    expect(rounds).toEqual([[], ['elicitation-1'], ['roots-2'], ['sampling-3']]);
  });
});

describe('client: caching hints (server/utilities/caching)', () => {
  it('serves a fresh cached list without asking again, and asks again once a list change arrives', async () => {
    let lists = 0;
    const s = server({
      cache: { ttlMs: 60_000 },
      middleware: [
        async (r, next) => {
          if (r.method === 'tools/list') lists++;
          return next();
        },
      ],
    });
    const client = await pair(s, new McpClient());
    await client.listTools();
    await client.listTools();
    expect(lists).toBe(1);
    const controller = new AbortController();
    const changed = new Promise<void>((resolve) => client.on('toolsListChanged', () => resolve()));
    const stream = client.listen({ toolsListChanged: true }, { signal: controller.signal }).catch(() => {});
    await new Promise((r) => setTimeout(r, 20));
    s.tool('late', { description: 'd' }, () => 'x');
    await changed;
    const after = await client.listTools();
    expect(lists).toBe(2);
    expect(after.tools.map((t) => t.name)).toContain('late');
    controller.abort();
    await stream;
  });
});

describe('client: logging and headers in the modern era', () => {
  it('sends the log level with each request once setLoggingLevel was called', async () => {
    const client = await pair(server(), new McpClient());
    const logs: unknown[] = [];
    client.on('log', (m) => logs.push(m.data));
    await client.callTool('logs');
    expect(logs).toEqual([]);
    await client.setLoggingLevel('info');
    await client.callTool('logs');
    expect(logs).toEqual(['careful']);
  });

  it('drops tools whose x-mcp-header annotations are invalid and refuses to call them', async () => {
    // A server that lists a tool with a broken annotation (mcpkit's own server refuses to register one).
    const badTool = {
      name: 'bad_tool',
      inputSchema: { type: 'object', properties: { n: { type: 'number', 'x-mcp-header': 'Bad Name' } } },
    };
    const s = new McpServer({
      name: 's',
      version: '1',
      middleware: [
        async (r, next) => {
          const result = await next();
          return r.method === 'tools/list'
            ? { ...result, tools: [...(result.tools as object[]), badTool] }
            : result;
        },
      ],
    });
    s.tool(
      'valid_tool',
      {
        description: 'd',
        input: { type: 'object', properties: { region: { type: 'string', 'x-mcp-header': 'Region' } } },
      },
      () => 'ok',
    );
    const client = await pair(s, new McpClient());
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['valid_tool']);
    await expect(client.callTool('bad_tool', { n: 1 })).rejects.toBeInstanceOf(LocalError);
    expect((await client.callTool('valid_tool', { region: 'eu' })).content).toEqual([
      { type: 'text', text: 'ok' },
    ]);
  });
});
