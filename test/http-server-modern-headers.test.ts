/**
 * The request headers of 2026-07-28 that mirror the body — `Mcp-Method`, `Mcp-Name` and the
 * `Mcp-Param-*` headers of `x-mcp-header` tool parameters — checked by the handler against a real
 * McpServer over node:http on 127.0.0.1, with header names and values sent byte for byte.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReferenceServer } from '../src/reference/index.ts';
import { McpServer } from '../src/server/index.ts';
import {
  callTool,
  messages,
  openSession,
  post,
  readEvents,
  type Served,
  serve,
} from './http-server-fixtures.ts';
import {
  errorOf,
  modernBody,
  modernHeaders,
  type RawAnswer,
  rawPost,
} from './http-server-modern-fixtures.ts';

let ref: Served;
let custom: Served;

beforeAll(async () => {
  ref = await serve(createReferenceServer());
  const server = new McpServer({ name: 'headers', version: '1.0.0', onError: () => {} });
  server.tool(
    'scale',
    {
      description: 'Takes an integer and a boolean mirrored in headers.',
      input: {
        type: 'object',
        properties: {
          n: { type: 'integer', 'x-mcp-header': 'N' },
          on: { type: 'boolean', 'x-mcp-header': 'On' },
          note: { type: 'string' },
        },
      },
    },
    (args) => `ok ${JSON.stringify(args)}`,
  );
  custom = await serve(server);
});
afterAll(async () => {
  await ref.close();
  await custom.close();
});

/** POSTs `body` with the conforming headers changed by `change` (null removes one). */
function send(
  url: string,
  body: Record<string, unknown>,
  change: Record<string, string | null> = {},
): Promise<RawAnswer> {
  const headers: Record<string, string> = {};
  const base = modernHeaders(body);
  const dropped = new Set(Object.keys(change).map((k) => k.toLowerCase()));
  for (const [k, v] of Object.entries(base)) if (!dropped.has(k)) headers[k] = v;
  for (const [k, v] of Object.entries(change)) if (v !== null) headers[k] = v;
  return rawPost(url, body, headers);
}

function expectMismatch(answer: RawAnswer, id: number | string = 1): void {
  expect(answer.status, answer.text).toBe(400);
  expect(answer.json?.id).toBe(id);
  expect(errorOf(answer.json)?.code).toBe(-32020);
}

function expectServed(answer: RawAnswer): void {
  expect(answer.status, answer.text).toBe(200);
  expect(errorOf(answer.json)).toBeUndefined();
}

const list = modernBody('tools/list');
const simple = modernBody('tools/call', { name: 'test_simple_text', arguments: {} });

describe('Mcp-Method', () => {
  it('is required and must equal the body method, value compared case-sensitively', async () => {
    expectMismatch(await send(ref.url, list, { 'mcp-method': null }));
    expectMismatch(await send(ref.url, list, { 'mcp-method': 'prompts/list' }));
    expectMismatch(await send(ref.url, list, { 'mcp-method': 'TOOLS/LIST' }));
  });

  it('is found whatever the case of the header name', async () => {
    expectServed(await send(ref.url, list, { 'mcp-method': null, 'MCP-METHOD': 'tools/list' }));
    expectServed(await send(ref.url, list, { 'mcp-method': null, 'Mcp-Method': 'tools/list' }));
  });
});

describe('Mcp-Name', () => {
  it('is required for tools/call and must equal params.name', async () => {
    expectMismatch(await send(ref.url, simple, { 'mcp-name': null }));
    expectMismatch(await send(ref.url, simple, { 'mcp-name': 'wrong_tool_name' }));
  });

  it('is compared without the optional whitespace around it, and may be base64-encoded', async () => {
    expectServed(await send(ref.url, simple, { 'mcp-name': '  test_simple_text  ' }));
    expectServed(await send(ref.url, simple, { 'mcp-name': `=?base64?${btoa('test_simple_text')}?=` }));
    expectMismatch(await send(ref.url, simple, { 'mcp-name': '=?base64?dGVzdF9zaW1wbGVfdGV4dA?=' }));
  });

  it('mirrors params.uri for resources/read and params.name for prompts/get', async () => {
    const read = modernBody('resources/read', { uri: 'test://static-text' });
    expectServed(await send(ref.url, read));
    expectMismatch(await send(ref.url, read, { 'mcp-name': 'test://static-binary' }));
    const prompt = modernBody('prompts/get', { name: 'test_simple_prompt' });
    expectServed(await send(ref.url, prompt));
    expectMismatch(await send(ref.url, prompt, { 'mcp-name': null }));
  });

  it('is not asked of methods without a name', async () => {
    expectServed(await send(ref.url, list, { 'mcp-name': 'anything' }));
  });
});

describe('Mcp-Param-* (x-mcp-header)', () => {
  const region = (value: string) =>
    modernBody('tools/call', { name: 'test_x_mcp_header', arguments: { region: value } });

  it('accepts a plain value or the =?base64?…?= form that decodes to the argument', async () => {
    expectServed(await send(ref.url, region('us-west1'), { 'Mcp-Param-Region': 'us-west1' }));
    expectServed(await send(ref.url, region('Hello'), { 'Mcp-Param-Region': '=?base64?SGVsbG8=?=' }));
    expectServed(
      await send(ref.url, region('Hello, 世界'), { 'mcp-param-region': '=?base64?SGVsbG8sIOS4lueVjA==?=' }),
    );
  });

  it('takes text that only looks like base64 literally', async () => {
    expectServed(await send(ref.url, region('SGVsbG8='), { 'Mcp-Param-Region': 'SGVsbG8=' }));
    expectServed(
      await send(ref.url, region('=?base64?SGVsbG8='), { 'Mcp-Param-Region': '=?base64?SGVsbG8=' }),
    );
  });

  it('refuses malformed base64 (bad padding, characters outside the alphabet) with 400', async () => {
    const bad = await send(ref.url, region('Hello'), { 'Mcp-Param-Region': '=?base64?SGVsbG8?=' });
    expect(bad.status).toBe(400);
    const chars = await send(ref.url, region('Hello'), { 'Mcp-Param-Region': '=?base64?SGVs!!!bG8=?=' });
    expect(chars.status).toBe(400);
    expect(errorOf(chars.json)?.code).toBe(-32020);
  });

  it('refuses a plain value with bytes outside visible ASCII', async () => {
    expectMismatch(await send(ref.url, region('café'), { 'Mcp-Param-Region': 'caf\xe9' }));
  });

  it('refuses a missing header when the argument is given, a different value, and a header without argument', async () => {
    expectMismatch(await send(ref.url, region('us-west1')));
    expectMismatch(await send(ref.url, region('us-west1'), { 'Mcp-Param-Region': 'eu-west1' }));
    const none = modernBody('tools/call', { name: 'test_x_mcp_header', arguments: {} });
    expectMismatch(await send(ref.url, none, { 'Mcp-Param-Region': 'us-west1' }));
  });

  it('compares integers numerically and booleans as true/false; absent arguments need no header', async () => {
    const call = (args: Record<string, unknown>) =>
      modernBody('tools/call', { name: 'scale', arguments: args });
    expectServed(
      await send(custom.url, call({ n: 42, on: true }), { 'Mcp-Param-N': '42.0', 'Mcp-Param-On': 'true' }),
    );
    expectMismatch(await send(custom.url, call({ n: 42 }), { 'Mcp-Param-N': '43' }));
    expectMismatch(await send(custom.url, call({ on: false }), { 'Mcp-Param-On': 'False' }));
    expectServed(await send(custom.url, call({ note: 'no headers needed' })));
  });

  it('are not asked of a legacy session', async () => {
    const { headers } = await openSession(ref.url);
    const res = await post(ref.url, callTool(1, 'test_x_mcp_header', { region: 'us-west1' }), headers);
    expect(res.status).toBe(200);
    expect(messages((await readEvents(res)).events).at(-1)).toMatchObject({
      id: 1,
      result: { content: [{ type: 'text', text: 'Region: us-west1' }] },
    });
  });
});
