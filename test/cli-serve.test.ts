/**
 * `mcpkit serve`: our reference server over Streamable HTTP (and HTTP+SSE) and over stdio, run as a
 * process, used by the `mcpkit` command itself and checked by the official TypeScript SDK client.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIN, NODE, ROOT, type Running, runCli, startCli } from './fixtures/cli-process.ts';

let served: Running;

beforeAll(async () => {
  served = await startCli(['serve', '--port', '0']);
});
afterAll(async () => {
  expect(await served.stop()).toBe(0);
});

describe('mcpkit against `mcpkit serve --port`', () => {
  it('prints where it serves, and info finds the modern era', async () => {
    expect(served.stderr()).toMatch(
      /mcpkit reference server on http:\/\/127\.0\.0\.1:\d+\/mcp \(Streamable HTTP; HTTP\+SSE at http:\/\/127\.0\.0\.1:\d+\/sse\)/,
    );
    const r = await runCli(['info', served.url]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^mcpkit-reference-server 0\.1\.0\n/);
    expect(r.stdout).toContain('revision     2026-07-28 (modern era)');
    expect(r.stdout).toContain(`transport    ${served.url} (Streamable HTTP)`);
  });

  it('speaks a chosen legacy revision, and HTTP+SSE at /sse', async () => {
    const legacy = await runCli(['info', '--protocol-version', '2024-11-05', served.url]);
    expect(legacy.stdout).toContain('revision     2024-11-05 (legacy era)');
    const sse = await runCli(['info', served.url.replace(/\/mcp$/, '/sse')]);
    expect(sse.code).toBe(0);
    expect(sse.stdout).toContain('revision     2025-11-25 (legacy era)');
    expect(sse.stdout).toMatch(/transport {4}http:\/\/\S+\/sse \(HTTP\+SSE\)/);
  });

  it('calls tools over HTTP: log messages on stderr, an isError result exits 1', async () => {
    const logs = await runCli(['call', served.url, 'test_tool_with_logging']);
    expect(logs.code).toBe(0);
    expect(logs.stderr).toContain('[info] Tool execution started');
    const failed = await runCli(['call', served.url, 'test_error_handling']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(
      "The tool 'test_error_handling' reported an error:\nThis tool intentionally returns an error for testing",
    );
  });

  it('answers an input_required elicitation (2026-07-28) at the terminal', async () => {
    const r = await runCli(['call', served.url, 'test_input_required_result_elicitation'], 'y\nAda\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Hello, Ada!\n');
  });

  it('reads, gets a prompt and completes over HTTP', async () => {
    const read = await runCli(['read', served.url, 'test://static-text']);
    expect(read.stdout).toBe('This is the content of the static text resource.\n');
    const prompt = await runCli(['prompt', '--json', served.url, 'test_simple_prompt']);
    expect(JSON.parse(prompt.stdout).messages[0].content.text).toBe('This is a simple prompt for testing.');
    const complete = await runCli(['complete', served.url, 'resource:test://template/{id}/data', 'id=1']);
    expect(complete.stdout).toBe('1\n123\n');
  });

  it('is served to the official SDK client over Streamable HTTP and HTTP+SSE', async () => {
    const client = new Client({ name: 'sdk', version: '1.0.0' }, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, async () => ({
      action: 'accept',
      content: { username: 'ada', email: 'ada@example.com' },
    }));
    await client.connect(new StreamableHTTPClientTransport(new URL(served.url)));
    expect(client.getServerVersion()?.name).toBe('mcpkit-reference-server');
    const result = await client.callTool({ name: 'test_elicitation', arguments: { message: 'Who?' } });
    expect(result.content).toEqual([
      {
        type: 'text',
        text: 'User response: action=accept, content={"username":"ada","email":"ada@example.com"}',
      },
    ]);
    await client.close();
    const sse = new Client({ name: 'sdk', version: '1.0.0' });
    await sse.connect(new SSEClientTransport(new URL(served.url.replace(/\/mcp$/, '/sse'))));
    expect((await sse.listTools()).tools.map((t) => t.name)).toContain('test_simple_text');
    await sse.close();
  });

  it('refuses a port already in use with exit code 2', async () => {
    const port = new URL(served.url).port;
    const r = await runCli(['serve', '--port', port]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
  });
});

describe('mcpkit serve (stdio)', () => {
  it('is served to the official SDK client over stdio', async () => {
    const client = new Client({ name: 'sdk', version: '1.0.0' });
    const transport = new StdioClientTransport({
      command: NODE,
      args: [MAIN, 'serve'],
      cwd: ROOT,
      stderr: 'pipe',
    });
    await client.connect(transport);
    expect(client.getServerVersion()?.name).toBe('mcpkit-reference-server');
    const result = await client.callTool({ name: 'test_simple_text', arguments: {} });
    expect(result.content).toEqual([{ type: 'text', text: 'This is a simple text response for testing.' }]);
    await client.close();
  });
});
