import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { connectWire } from '../../test/support/wire.ts';
import { McpServer } from './index.ts';

function demoServer(options: Partial<ConstructorParameters<typeof McpServer>[0]> = {}) {
  const server = new McpServer({ name: 'demo', version: '1.0.0', title: 'Demo', ...options });
  server.tool(
    'echo',
    {
      title: 'Echo',
      description: 'Echoes text',
      input: z.object({ text: z.string() }),
      output: z.object({ echoed: z.string() }),
      annotations: { readOnlyHint: true },
      icons: [{ src: 'https://example.com/i.png' }],
    },
    ({ text }) => ({ structuredContent: { echoed: text } }),
  );
  return server;
}

describe('lifecycle: Version Negotiation', () => {
  for (const revision of ['2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25']) {
    it(`answers a client asking for ${revision} with ${revision}`, async () => {
      const wire = await connectWire(demoServer());
      const result = await wire.initialize(revision);
      expect(result.protocolVersion).toBe(revision);
    });
  }
  it('answers an unknown revision with the newest stateful one', async () => {
    const wire = await connectWire(demoServer());
    expect((await wire.initialize('1999-01-01')).protocolVersion).toBe('2025-11-25');
    const wire2 = await connectWire(demoServer());
    expect((await wire2.initialize('2026-07-28')).protocolVersion).toBe('2025-11-25');
  });
  it('rejects a second initialize and requests before initialize', async () => {
    const wire = await connectWire(demoServer());
    const early = await wire.call('tools/list');
    expect((early.response.error as { code: number }).code).toBe(-32600);
    await wire.initialize('2025-11-25');
    const again = await wire.call('initialize', {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'x', version: '1' },
    });
    expect((again.response.error as { code: number }).code).toBe(-32600);
  });
  it('lets ping through before initialize and answers it with an empty object', async () => {
    const wire = await connectWire(demoServer());
    expect((await wire.call('ping')).response.result).toEqual({});
  });
  it('drops serverInfo fields a 2024-11-05 client does not know and declares no completions capability', async () => {
    const server = demoServer({ description: 'd', websiteUrl: 'https://example.com' });
    server.prompt('p', { description: 'p', complete: { a: () => [] } }, () => 'x');
    const old = await (await connectWire(server)).initialize('2024-11-05');
    expect(old.serverInfo).toEqual({ name: 'demo', version: '1.0.0' });
    expect(old.capabilities).not.toHaveProperty('completions');
    const current = await (await connectWire(server)).initialize('2025-11-25');
    expect(current.serverInfo).toMatchObject({
      title: 'Demo',
      description: 'd',
      websiteUrl: 'https://example.com',
    });
    expect(current.capabilities).toHaveProperty('completions');
  });
});

describe('basic: JSON-RPC errors on bad input', () => {
  it('-32700 with a null id for malformed JSON, then keeps serving', async () => {
    const wire = await connectWire(demoServer());
    wire.send('{"jsonrpc":"2.0", "id": 1, "method": ');
    const m = await wire.next();
    expect(m).toMatchObject({ id: null, error: { code: -32700 } });
    expect((await wire.call('ping')).response.result).toEqual({});
  });
  it('-32600 for JSON that is not JSON-RPC, naming the id when it can be read', async () => {
    const wire = await connectWire(demoServer());
    wire.send({ jsonrpc: '1.0', id: 7, method: 'ping' });
    expect(await wire.next()).toMatchObject({ id: 7, error: { code: -32600 } });
    wire.send([1, 2, 3]);
    expect(await wire.next()).toMatchObject({ id: null, error: { code: -32600 } });
    wire.send('"just a string"');
    expect(await wire.next()).toMatchObject({ id: null, error: { code: -32600 } });
  });
  it('-32601 for an unknown method and -32602 for wrong parameter types', async () => {
    const wire = await connectWire(demoServer());
    await wire.initialize('2025-11-25');
    expect((await wire.call('nope/nothing')).response.error).toMatchObject({ code: -32601 });
    expect((await wire.call('tools/call', { name: 42 })).response.error).toMatchObject({ code: -32602 });
    expect((await wire.call('tools/call', { name: 'missing' })).response.error).toMatchObject({
      code: -32602,
    });
  });
  it('answers a deeply nested message with an error instead of crashing', async () => {
    const wire = await connectWire(demoServer());
    await wire.initialize('2025-11-25');
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    wire.send(
      `{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"echo","arguments":{"x":${deep}}}}`,
    );
    expect(await wire.next()).toMatchObject({ id: 5, error: { code: -32600 } });
    expect((await wire.call('ping')).response.result).toEqual({});
  });
  it('ignores responses to unknown ids and cancellations of unknown requests', async () => {
    const wire = await connectWire(demoServer());
    await wire.initialize('2025-11-25');
    wire.send({ jsonrpc: '2.0', id: 999, result: {} });
    wire.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 12345 } });
    expect((await wire.call('ping')).response.result).toEqual({});
    expect(wire.queue).toEqual([]);
  });
});

describe('server/tools', () => {
  it('lists a tool with every field at 2025-11-25 and none of the later ones at 2024-11-05', async () => {
    const server = demoServer();
    const wire = await connectWire(server);
    await wire.initialize('2025-11-25');
    const { tools } = (await wire.call('tools/list')).response.result as { tools: Record<string, unknown>[] };
    expect(tools[0]).toMatchObject({ name: 'echo', title: 'Echo', annotations: { readOnlyHint: true } });
    expect(tools[0].outputSchema).toBeDefined();
    expect(tools[0].icons).toBeDefined();
    const old = await connectWire(server);
    await old.initialize('2024-11-05');
    const oldTools = ((await old.call('tools/list')).response.result as { tools: Record<string, unknown>[] })
      .tools;
    expect(Object.keys(oldTools[0]).sort()).toEqual(['description', 'inputSchema', 'name']);
  });
  it('keeps a JSON Schema 2020-12 input schema exactly as written', async () => {
    const server = new McpServer({ name: 's', version: '1' });
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      $defs: { address: { type: 'object', properties: { city: { type: 'string' } } } },
      properties: { address: { $ref: '#/$defs/address' } },
      additionalProperties: false,
    };
    server.tool('t', { description: 'd', input: schema }, () => 'ok');
    const wire = await connectWire(server);
    await wire.initialize('2025-11-25');
    const { tools } = (await wire.call('tools/list')).response.result as { tools: Record<string, unknown>[] };
    expect(tools[0].inputSchema).toEqual(schema);
  });
  it('returns structuredContent with a text fallback, and drops structuredContent for 2025-03-26', async () => {
    const server = demoServer();
    const wire = await connectWire(server);
    await wire.initialize('2025-06-18');
    const r = (await wire.call('tools/call', { name: 'echo', arguments: { text: 'hi' } })).response.result;
    expect(r).toEqual({
      content: [{ type: 'text', text: '{"echoed":"hi"}' }],
      structuredContent: { echoed: 'hi' },
    });
    const old = await connectWire(server);
    await old.initialize('2025-03-26');
    const r2 = (await old.call('tools/call', { name: 'echo', arguments: { text: 'hi' } })).response.result;
    expect(r2).toEqual({ content: [{ type: 'text', text: '{"echoed":"hi"}' }] });
  });
  it('reports invalid arguments as an isError result from 2025-11-25 and as -32602 before', async () => {
    const server = demoServer();
    const modern = await connectWire(server);
    await modern.initialize('2025-11-25');
    const r = (await modern.call('tools/call', { name: 'echo', arguments: { text: 5 } })).response;
    expect(r.result).toMatchObject({ isError: true });
    expect((r.result as { content: { text: string }[] }).content[0].text).toMatch(
      /Invalid arguments for tool 'echo'/,
    );
    const older = await connectWire(server);
    await older.initialize('2025-06-18');
    const r2 = (await older.call('tools/call', { name: 'echo', arguments: { text: 5 } })).response;
    expect(r2.error).toMatchObject({ code: -32602 });
  });
  it('answers structuredContent that fails the output schema with -32603', async () => {
    const server = new McpServer({ name: 's', version: '1' });
    server.tool('bad', { description: 'd', output: z.object({ n: z.number() }) }, () => ({
      structuredContent: { n: 'not a number' },
    }));
    const wire = await connectWire(server);
    await wire.initialize('2025-11-25');
    const r = (await wire.call('tools/call', { name: 'bad' })).response;
    expect(r.error).toMatchObject({ code: -32603 });
  });
  it('turns an exception thrown by a handler into an isError result and keeps serving', async () => {
    const server = new McpServer({ name: 's', version: '1' });
    server.tool('boom', { description: 'd' }, () => {
      throw new Error('kaput');
    });
    const wire = await connectWire(server);
    await wire.initialize('2025-11-25');
    const r = (await wire.call('tools/call', { name: 'boom' })).response.result;
    expect(r).toEqual({ content: [{ type: 'text', text: 'kaput' }], isError: true });
    expect((await wire.call('ping')).response.result).toEqual({});
  });
  it('sends one tools/list_changed when tools are added and removed, and lists the change', async () => {
    const server = demoServer();
    const wire = await connectWire(server);
    await wire.initialize('2025-11-25');
    const a = server.tool('a', { description: 'a' }, () => 'a');
    server.tool('b', { description: 'b' }, () => 'b');
    expect(await wire.next()).toEqual({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
    a.remove();
    expect(await wire.next()).toMatchObject({ method: 'notifications/tools/list_changed' });
    const names = (
      (await wire.call('tools/list')).response.result as { tools: { name: string }[] }
    ).tools.map((t) => t.name);
    expect(names).toEqual(['echo', 'b']);
  });
});

describe('server/utilities/pagination', () => {
  it('walks pages with opaque cursors and rejects a forged cursor with -32602', async () => {
    const server = new McpServer({ name: 's', version: '1', pageSize: 2 });
    for (const n of ['a', 'b', 'c', 'd', 'e']) server.tool(n, { description: n }, () => n);
    const wire = await connectWire(server);
    await wire.initialize('2025-11-25');
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const r = (await wire.call('tools/list', cursor ? { cursor } : undefined)).response.result as {
        tools: { name: string }[];
        nextCursor?: string;
      };
      names.push(...r.tools.map((t) => t.name));
      cursor = r.nextCursor;
    } while (cursor);
    expect(names).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect((await wire.call('tools/list', { cursor: 'garbage' })).response.error).toMatchObject({
      code: -32602,
    });
  });
});

describe('basic: Batching (2025-03-26 only)', () => {
  it('answers a batch with an array on 2025-03-26', async () => {
    const wire = await connectWire(demoServer());
    await wire.initialize('2025-03-26');
    wire.send([
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
    ]);
    const answer = (await wire.next()) as unknown as Record<string, unknown>[];
    expect(Array.isArray(answer)).toBe(true);
    expect(answer.map((r) => r.id)).toEqual([1, 2]);
  });
  it('refuses a batch on other revisions with -32600', async () => {
    const wire = await connectWire(demoServer());
    await wire.initialize('2025-06-18');
    wire.send([{ jsonrpc: '2.0', id: 1, method: 'ping' }]);
    expect(await wire.next()).toMatchObject({ id: null, error: { code: -32600 } });
  });
});

describe('server/utilities/logging', () => {
  it('sends only messages at or above the level set with logging/setLevel', async () => {
    const server = new McpServer({ name: 's', version: '1' });
    server.tool('log', { description: 'd' }, async (_a, ctx) => {
      await ctx.log('debug', 'd');
      await ctx.log('warning', 'w');
      return 'ok';
    });
    const wire = await connectWire(server);
    await wire.initialize('2025-11-25');
    expect((await wire.call('logging/setLevel', { level: 'warning' })).response.result).toEqual({});
    const { before } = await wire.call('tools/call', { name: 'log' });
    expect(before).toEqual([
      { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'warning', data: 'w' } },
    ]);
    expect((await wire.call('logging/setLevel', { level: 'loud' })).response.error).toMatchObject({
      code: -32602,
    });
  });
});

describe('basic/utilities/cancellation', () => {
  it('aborts the handler on notifications/cancelled and sends no response', async () => {
    const server = new McpServer({ name: 's', version: '1' });
    let aborted = false;
    server.tool('wait', { description: 'd' }, (_a, ctx) => {
      return new Promise((resolve) => {
        ctx.signal.addEventListener('abort', () => {
          aborted = true;
          resolve('late');
        });
      });
    });
    const wire = await connectWire(server);
    await wire.initialize('2025-11-25');
    wire.send({ jsonrpc: '2.0', id: 'c1', method: 'tools/call', params: { name: 'wait' } });
    wire.send({
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId: 'c1', reason: 'user' },
    });
    expect((await wire.call('ping')).response.result).toEqual({});
    expect(aborted).toBe(true);
    expect(wire.queue).toEqual([]);
  });
});

describe('server/resources', () => {
  it('reads static and templated resources, and answers a missing one with -32002 and the uri', async () => {
    const server = new McpServer({ name: 's', version: '1' });
    server.resource('test://a', { name: 'a', mimeType: 'text/plain' }, () => 'A');
    server.resource(
      'test://bin',
      { name: 'bin', mimeType: 'application/octet-stream' },
      () => new Uint8Array([1, 2, 3]),
    );
    server.resourceTemplate('test://item/{id}', { name: 'item', mimeType: 'application/json' }, (_uri, v) =>
      JSON.stringify({ id: v.id }),
    );
    const wire = await connectWire(server);
    await wire.initialize('2025-11-25');
    expect((await wire.call('resources/read', { uri: 'test://a' })).response.result).toEqual({
      contents: [{ uri: 'test://a', mimeType: 'text/plain', text: 'A' }],
    });
    expect((await wire.call('resources/read', { uri: 'test://bin' })).response.result).toEqual({
      contents: [{ uri: 'test://bin', mimeType: 'application/octet-stream', blob: 'AQID' }],
    });
    expect((await wire.call('resources/read', { uri: 'test://item/42' })).response.result).toEqual({
      contents: [{ uri: 'test://item/42', mimeType: 'application/json', text: '{"id":"42"}' }],
    });
    expect((await wire.call('resources/read', { uri: 'test://none' })).response.error).toEqual({
      code: -32002,
      message: 'Resource not found: test://none',
      data: { uri: 'test://none' },
    });
  });
  it('sends notifications/resources/updated only to subscribed sessions', async () => {
    const server = new McpServer({ name: 's', version: '1' });
    server.resource('test://w', { name: 'w' }, () => 'w');
    const subscribed = await connectWire(server);
    await subscribed.initialize('2025-11-25');
    const other = await connectWire(server);
    await other.initialize('2025-11-25');
    await subscribed.call('resources/subscribe', { uri: 'test://w' });
    await server.resourceUpdated('test://w');
    expect(await subscribed.next()).toEqual({
      jsonrpc: '2.0',
      method: 'notifications/resources/updated',
      params: { uri: 'test://w' },
    });
    expect(other.queue).toEqual([]);
    await subscribed.call('resources/unsubscribe', { uri: 'test://w' });
    await server.resourceUpdated('test://w');
    expect((await subscribed.call('ping')).before).toEqual([]);
  });
});

describe('server/utilities/completion', () => {
  it('completes prompt arguments and template variables, capped at 100 values', async () => {
    const server = new McpServer({ name: 's', version: '1' });
    server.prompt(
      'p',
      {
        description: 'd',
        arguments: [{ name: 'lang', required: true }],
        complete: {
          lang: (v, c) =>
            ['python', 'perl', 'php'].filter((x) => x.startsWith(v)).concat(Object.keys(c.arguments)),
        },
      },
      (a) => `lang=${a.lang}`,
    );
    server.resourceTemplate(
      'test://n/{n}',
      { name: 'n', complete: { n: () => Array.from({ length: 150 }, (_, i) => String(i)) } },
      () => 'x',
    );
    const wire = await connectWire(server);
    await wire.initialize('2025-11-25');
    const r = await wire.call('completion/complete', {
      ref: { type: 'ref/prompt', name: 'p' },
      argument: { name: 'lang', value: 'p' },
      context: { arguments: { other: 'x' } },
    });
    expect(r.response.result).toEqual({
      completion: { values: ['python', 'perl', 'php', 'other'], total: 4, hasMore: false },
    });
    const t = await wire.call('completion/complete', {
      ref: { type: 'ref/resource', uri: 'test://n/{n}' },
      argument: { name: 'n', value: '' },
    });
    const c = (t.response.result as { completion: { values: string[]; total: number; hasMore: boolean } })
      .completion;
    expect([c.values.length, c.total, c.hasMore]).toEqual([100, 150, true]);
    const bad = await wire.call('completion/complete', {
      ref: { type: 'ref/prompt', name: 'zz' },
      argument: { name: 'a', value: '' },
    });
    expect(bad.response.error).toMatchObject({ code: -32602 });
  });
});

describe('server/prompts', () => {
  it('answers a missing required argument with -32602 and fills a prompt', async () => {
    const server = new McpServer({ name: 's', version: '1' });
    server.prompt(
      'greet',
      { description: 'd', arguments: [{ name: 'who', required: true }] },
      (a) => `Hello ${a.who}`,
    );
    const wire = await connectWire(server);
    await wire.initialize('2025-11-25');
    expect((await wire.call('prompts/get', { name: 'greet' })).response.error).toMatchObject({
      code: -32602,
    });
    expect(
      (await wire.call('prompts/get', { name: 'greet', arguments: { who: 'Ada' } })).response.result,
    ).toEqual({
      description: 'd',
      messages: [{ role: 'user', content: { type: 'text', text: 'Hello Ada' } }],
    });
  });
});

describe('server/tools: x-mcp-header parameters (2026-07-28)', () => {
  it('exposes a tool’s header parameters and refuses an invalid annotation at registration', () => {
    const server = new McpServer({ name: 's', version: '1' });
    server.tool(
      'geo',
      {
        description: 'd',
        input: { type: 'object', properties: { region: { type: 'string', 'x-mcp-header': 'Region' } } },
      },
      () => 'ok',
    );
    expect(server.toolHeaders('geo')).toEqual([[['region'], 'Region']]);
    expect(server.toolHeaders('nope')).toBeUndefined();
    expect(() =>
      server.tool(
        'bad',
        {
          description: 'd',
          input: { type: 'object', properties: { n: { type: 'number', 'x-mcp-header': 'N' } } },
        },
        () => 'x',
      ),
    ).toThrow(/invalid x-mcp-header/);
  });
});
