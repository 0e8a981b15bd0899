/**
 * The `jsonSchemaValidator` option of McpServer and McpClient: plain JSON Schemas of tools are checked by
 * the validator given (here @cfworker/json-schema, whose messages differ from ajv's for `minLength`).
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { McpClient } from '../src/client/index.ts';
import { cfworkerValidator } from '../src/schema/index.ts';
import { McpServer } from '../src/server/index.ts';
import { createMemoryPair } from '../src/transport/index.ts';

const NAME = { type: 'object', properties: { name: { type: 'string', minLength: 2 } }, required: ['name'] };

function serverWith(options: Partial<ConstructorParameters<typeof McpServer>[0]>): McpServer {
  const server = new McpServer({ name: 'validators', version: '1', ...options });
  server.tool('greet', { input: NAME }, (args) => `Hello, ${String(args.name)}!`);
  // The server checks output with zod (any string passes) but lists the stricter NAME, for the client to check.
  server.tool('short', { output: { standard: z.object({ name: z.string() }), jsonSchema: NAME } }, () => ({
    structuredContent: { name: 'x' },
    content: [],
  }));
  return server;
}

async function connect(server: McpServer, client: McpClient): Promise<McpClient> {
  const [a, b] = createMemoryPair();
  await server.connect(b);
  await client.connect(a);
  return client;
}

const text = (result: { content: unknown[] }) => (result.content[0] as { text: string }).text;

describe('jsonSchemaValidator', () => {
  it('checks tool input with the validator the server was given', async () => {
    const ajv = await connect(serverWith({}), new McpClient({ era: 'legacy' }));
    expect(text(await ajv.callTool('greet', { name: 'A' }))).toBe(
      "Invalid arguments for tool 'greet': name: must NOT have fewer than 2 characters",
    );
    const cfworker = await connect(
      serverWith({ jsonSchemaValidator: cfworkerValidator }),
      new McpClient({ era: 'legacy' }),
    );
    expect(text(await cfworker.callTool('greet', { name: 'A' }))).toBe(
      "Invalid arguments for tool 'greet': name: String is too short (1 < 2)",
    );
    expect(text(await cfworker.callTool('greet', { name: 'Ada' }))).toBe('Hello, Ada!');
    await ajv.close();
    await cfworker.close();
  });

  it('checks structuredContent with the validator the client was given', async () => {
    const ajv = await connect(serverWith({}), new McpClient({ era: 'legacy' }));
    await ajv.listTools();
    await expect(ajv.callTool('short')).rejects.toThrow(/name: must NOT have fewer than 2 characters/);
    const client = await connect(
      serverWith({}),
      new McpClient({ era: 'legacy', jsonSchemaValidator: cfworkerValidator }),
    );
    await client.listTools();
    await expect(client.callTool('short')).rejects.toThrow(/name: String is too short \(1 < 2\)/);
    await ajv.close();
    await client.close();
  });
});
