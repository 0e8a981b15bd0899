/**
 * Tool transforms on local tools: defaults published and filled in, a wrapper around the handler,
 * the tool's own (zod) schema still applied, and the errors for transforms that cannot apply.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { McpClient } from '../src/client/index.ts';
import { transformTools } from '../src/compose/index.ts';
import { McpServer } from '../src/server/index.ts';
import { createMemoryPair } from '../src/transport/index.ts';

async function connected(server: McpServer): Promise<McpClient> {
  const [a, b] = createMemoryPair();
  await server.connect(b);
  const client = new McpClient({ era: 'legacy' });
  await client.connect(a);
  return client;
}

describe('transformTools', () => {
  it('publishes defaults, fills them in, and wraps the handler', async () => {
    const server = new McpServer({ name: 't', version: '1.0.0' });
    const seen: unknown[] = [];
    transformTools(server, {
      power: {
        defaults: { exponent: 2 },
        wrap: async (args, _ctx, next) => {
          seen.push(args);
          const result = await next({ ...args, base: Number(args.base) + 1 });
          return { content: [{ type: 'text', text: `wrapped ${JSON.stringify(result)}` }] };
        },
      },
    });
    server.tool(
      'power',
      { input: z.object({ base: z.number(), exponent: z.number().int() }) },
      ({ base, exponent }) => String(base ** exponent),
    );
    const client = await connected(server);
    const [tool] = (await client.listTools()).tools;
    const schema = tool?.inputSchema ?? {};
    expect(schema.required).toEqual(['base']);
    expect((schema.properties as Record<string, { default?: unknown }>).exponent?.default).toBe(2);
    expect(await client.callTool('power', { base: 2 })).toEqual({
      content: [{ type: 'text', text: 'wrapped "9"' }],
    });
    expect(seen).toEqual([{ base: 2, exponent: 2 }]);
    const bad = await client.callTool('power', { base: 2, exponent: 1.5 });
    expect(bad.isError).toBe(true);
    await client.close();
  });

  it('refuses a transform naming an argument the tool does not have, and one declared too late', () => {
    const server = new McpServer({ name: 't', version: '1.0.0' });
    transformTools(server, { add: { fixed: { c: 1 } } });
    expect(() =>
      server.tool('add', { input: z.object({ a: z.number(), b: z.number() }) }, ({ a, b }) => String(a + b)),
    ).toThrow(
      "The transform of tool 'add' sets argument 'c', which the tool does not have; its arguments are: a, b.",
    );
    server.tool('other', {}, () => 'x');
    expect(() => transformTools(server, {})).toThrow(
      'Add tool registration hooks (transforms) before registering tools: 1 are registered already.',
    );
  });
});
