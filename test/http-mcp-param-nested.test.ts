/**
 * `x-mcp-header` annotations on nested properties (2026-07-28): the value at the annotated property's
 * path travels in its `Mcp-Param-*` header (McpClient over real HTTP), McpServer behind the handler
 * checks each header against the value at its path, and tools annotated anywhere but a chain of
 * `properties` keys are refused by the server and left out of `tools/list` by the client.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { McpClient } from '../src/client/index.ts';
import { LocalError, MetaKey } from '../src/protocol/index.ts';
import { McpServer } from '../src/server/index.ts';
import { StreamableHttpClientTransport } from '../src/transport/streamable-http.ts';
import { bodyOf, cleanup, closeAfterTest, jsonAnswer, rawServer } from './http-client-fixtures.ts';
import { type Served, serve } from './http-server-fixtures.ts';
import {
  errorOf,
  modernBody,
  modernHeaders,
  type RawAnswer,
  rawPost,
} from './http-server-modern-fixtures.ts';

const ROUTE_INPUT = {
  type: 'object',
  properties: {
    target: {
      type: 'object',
      properties: {
        zone: { type: 'string', 'x-mcp-header': 'Zone' },
        shard: { type: 'integer', 'x-mcp-header': 'Shard' },
      },
    },
    query: { type: 'string' },
  },
};

const INVALID_INPUT = {
  type: 'object',
  properties: { tags: { type: 'array', items: { type: 'string', 'x-mcp-header': 'Tag' } } },
};

let served: Served;

beforeAll(async () => {
  const server = new McpServer({ name: 'nested-headers', version: '1.0.0', onError: () => {} });
  server.tool('route', { input: ROUTE_INPUT }, (args) => `ok ${JSON.stringify(args)}`);
  served = await serve(server);
});
afterAll(() => served.close());
afterEach(cleanup);

async function modernClient(url: string): Promise<McpClient> {
  const client = new McpClient({ era: 'modern' });
  closeAfterTest(() => client.close());
  await client.connect(new StreamableHttpClientTransport(url));
  return client;
}

const call = (args: Record<string, unknown>) => modernBody('tools/call', { name: 'route', arguments: args });
const send = (body: Record<string, unknown>, params: Record<string, string>): Promise<RawAnswer> =>
  rawPost(served.url, body, { ...modernHeaders(body), ...params });

function expectMismatch(answer: RawAnswer, message: RegExp): void {
  expect(answer.status, answer.text).toBe(400);
  expect(errorOf(answer.json)).toMatchObject({ code: -32020, message: expect.stringMatching(message) });
}

describe('McpServer: x-mcp-header on nested properties', () => {
  it('refuses to register a tool annotated anywhere but a chain of properties keys', () => {
    const server = new McpServer({ name: 'x', version: '1.0.0' });
    expect(() => server.tool('bad', { input: INVALID_INPUT }, () => 'never')).toThrow(
      /Tool 'bad' has an invalid x-mcp-header annotation.*not under items/,
    );
  });

  it('accepts a call whose nested values travel in their headers', async () => {
    const answer = await send(call({ target: { zone: 'eu-west', shard: 3 }, query: 'q' }), {
      'Mcp-Param-Zone': 'eu-west',
      'Mcp-Param-Shard': '3',
    });
    expect(answer.status, answer.text).toBe(200);
    expect(errorOf(answer.json)).toBeUndefined();
  });

  it('refuses a header that does not match the value at its path, with HeaderMismatch', async () => {
    const body = call({ target: { zone: 'eu-west' } });
    expectMismatch(
      await send(body, { 'Mcp-Param-Zone': 'us-east' }),
      /Mcp-Param-Zone header value 'us-east' does not match arguments\.target\.zone "eu-west"/,
    );
    expectMismatch(
      await send(body, {}),
      /the Mcp-Param-Zone header is required when arguments\.target\.zone/,
    );
    expectMismatch(
      await send(call({ zone: 'eu-west' }), { 'Mcp-Param-Zone': 'eu-west' }),
      /Mcp-Param-Zone was sent but arguments\.target\.zone is absent/,
    );
  });

  it('refuses an integer outside the JavaScript safe range', async () => {
    const body = call({ target: { shard: 2 ** 53 } });
    expectMismatch(
      await send(body, { 'Mcp-Param-Shard': String(2 ** 53) }),
      /arguments\.target\.shard \(9007199254740992\), mirrored in Mcp-Param-Shard, must be an integer/,
    );
  });

  it('serves McpClient, which mirrors the nested values', async () => {
    const client = await modernClient(served.url);
    const result = await client.callTool('route', { target: { zone: 'Hello, 世界', shard: 7 } });
    expect(result.isError).toBeFalsy();
    expect(result.content).toEqual([
      { type: 'text', text: 'ok {"target":{"zone":"Hello, 世界","shard":7}}' },
    ]);
    await expect(client.callTool('route', { target: { shard: 2 ** 53 } })).rejects.toThrow(LocalError);
  });
});

describe('McpClient: x-mcp-header on nested properties', () => {
  /** A 2026-07-28 server that lists a tool with nested annotations and one with an annotation under items. */
  async function mock() {
    return rawServer((req, res) => {
      const body = bodyOf(req);
      const answer = (result: Record<string, unknown>) =>
        jsonAnswer(res, { jsonrpc: '2.0', id: body.id, result });
      if (body.method === 'server/discover') {
        answer({
          supportedVersions: ['2026-07-28'],
          capabilities: { tools: {} },
          _meta: { [MetaKey.serverInfo]: { name: 'mock', version: '1.0.0' } },
        });
      } else if (body.method === 'tools/list') {
        answer({
          tools: [
            { name: 'route', inputSchema: ROUTE_INPUT },
            { name: 'tagged', inputSchema: INVALID_INPUT },
          ],
        });
      } else answer({ content: [{ type: 'text', text: 'called' }] });
    });
  }

  it('sends the value at each annotated path, omits absent ones, and leaves invalid tools out of tools/list', async () => {
    const server = await mock();
    const client = await modernClient(server.url);
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['route']);
    await client.callTool('route', { target: { zone: ' padded ', shard: 42 }, query: 'q' });
    await client.callTool('route', { target: { shard: null }, zone: 'top-level is another property' });
    const calls = server.requests.filter((r) => bodyOf(r).method === 'tools/call');
    expect(calls).toHaveLength(2);
    expect(calls[0]?.headers['mcp-param-zone']).toBe('=?base64?IHBhZGRlZCA=?=');
    expect(calls[0]?.headers['mcp-param-shard']).toBe('42');
    expect(Object.keys(calls[1]?.headers ?? {}).filter((h) => h.startsWith('mcp-param-'))).toEqual([]);
    await expect(client.callTool('tagged', { tags: ['a'] })).rejects.toThrow(/invalid x-mcp-header/);
  });
});
