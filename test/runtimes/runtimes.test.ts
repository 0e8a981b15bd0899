/**
 * The reference tools served by `createHttpHandler` on Bun, Deno and workerd (Cloudflare Workers'
 * runtime), called by McpClient from Node in both eras: the stateless 2026-07-28 and a legacy revision
 * with sessions. The binaries come from devDependencies. Each server builds its McpServer and handler at
 * module scope (where Workers forbid random values) and, under /lazy/, in its first request (where
 * Workers forbid code generation, so plain JSON Schemas are compiled there).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpClient } from '../../src/client/index.ts';
import type { LegacyRevision } from '../../src/protocol/index.ts';
import { StreamableHttpClientTransport } from '../../src/transport/streamable-http.ts';
import { binary, freePort, type RuntimeServer, startServer } from './spawn.ts';
import { startWorkerd } from './workerd.ts';

const RUNTIMES: Array<[string, () => Promise<RuntimeServer>]> = [
  [
    'Bun',
    async () => {
      const port = await freePort();
      return startServer(binary('bun'), ['test/runtimes/serve.ts', String(port)], port);
    },
  ],
  [
    'Deno',
    async () => {
      const port = await freePort();
      return startServer(
        binary('deno'),
        [
          'run',
          '--allow-net=127.0.0.1',
          '--allow-read',
          '--allow-env',
          'test/runtimes/serve.ts',
          String(port),
        ],
        port,
      );
    },
  ],
  ['workerd', startWorkerd],
];

const text = (result: { content: unknown[] }): string => (result.content[0] as { text: string }).text;

async function connect(
  url: string,
  options: ConstructorParameters<typeof McpClient>[0],
): Promise<{ client: McpClient; transport: StreamableHttpClientTransport }> {
  const client = new McpClient(options);
  const transport = new StreamableHttpClientTransport(url);
  await client.connect(transport);
  return { client, transport };
}

/** An "Invalid arguments" message as its head and its issues sorted (ajv and cfworker order them differently). */
function issues(message: string): string[] {
  const at = message.indexOf("': ");
  return [
    message.slice(0, at),
    ...message
      .slice(at + 3)
      .split('; ')
      .sort(),
  ];
}

/** Calls the plain-JSON-Schema tool with good and bad arguments. */
async function checkJsonSchemaTool(client: McpClient): Promise<void> {
  expect(text(await client.callTool('runtime_add', { a: 2, b: 3 }))).toBe('5');
  const wrong = await client.callTool('runtime_add', { a: 'two', b: 3, note: 'not an address', extra: 1 });
  expect(wrong.isError).toBe(true);
  expect(issues(text(wrong))).toEqual(
    issues(
      "Invalid arguments for tool 'runtime_add': a: expected integer, got string; " +
        'note: must be a valid email; extra: is not an allowed property',
    ),
  );
  const refs = await client.callTool('json_schema_2020_12_tool', {
    name: 'Ada',
    address: { city: 7 },
    contactMethod: 'email',
    email: 'a@b.co',
  });
  expect(text(refs)).toBe(
    "Invalid arguments for tool 'json_schema_2020_12_tool': address.city: expected string, got number",
  );
}

describe.each(RUNTIMES)('the reference server on %s', (_name, start) => {
  let server: RuntimeServer;
  beforeAll(async () => {
    server = await start();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers 2026-07-28 (stateless): plain JSON Schema input, progress, input_required with requestState', async () => {
    const { client, transport } = await connect(server.url, {
      era: 'modern',
      handlers: { elicitation: () => ({ action: 'accept', content: { name: 'Ada' } }) },
    });
    expect(client.era).toBe('modern');
    await checkJsonSchemaTool(client);
    const progress: number[] = [];
    await client.callTool('test_tool_with_progress', {}, { onprogress: (p) => progress.push(p.progress) });
    expect(progress).toEqual([0, 50, 100]);
    expect(text(await client.callTool('test_input_required_result_elicitation'))).toBe('Hello, Ada!');
    expect(transport.sessionId).toBeUndefined();
    await client.close();
  });

  it('answers 2025-11-25 with a session: plain JSON Schema input, elicitation, resources', async () => {
    const protocolVersion: LegacyRevision = '2025-11-25';
    const { client, transport } = await connect(server.url, {
      era: 'legacy',
      protocolVersion,
      handlers: { elicitation: () => ({ action: 'accept', content: { username: 'ada', email: 'a@b.co' } }) },
    });
    expect(client.era).toBe('legacy');
    expect(client.serverInfo.name).toBe('mcpkit-reference-server');
    expect(transport.sessionId).toMatch(/^[0-9a-f]{32}$/);
    await checkJsonSchemaTool(client);
    expect(text(await client.callTool('test_elicitation', { message: 'Who?' }))).toBe(
      'User response: action=accept, content={"username":"ada","email":"a@b.co"}',
    );
    const read = await client.readResource('test://static-text');
    expect(read.contents[0]).toMatchObject({ text: 'This is the content of the static text resource.' });
    await client.close();
  });

  it('compiles plain JSON Schemas inside a request (/lazy/), where Workers refuse code generation', async () => {
    const url = server.url.replace('/mcp', '/lazy/mcp');
    for (const era of ['modern', 'legacy'] as const) {
      const { client } = await connect(url, { era });
      await checkJsonSchemaTool(client);
      await client.close();
    }
  });

  it('runs McpClient inside the runtime too, made at module scope and connected in a request', async () => {
    const response = await fetch(server.url.replace('/mcp', '/client'));
    const body = (await response.json()) as { tools: number; sum: unknown };
    expect(body.tools).toBeGreaterThan(20);
    expect(body.sum).toEqual([{ type: 'text', text: '42' }]);
  });
});
