/**
 * `mcpkit bridge`, run as a process and checked with the official TypeScript SDK clients: v1
 * (@modelcontextprotocol/sdk, legacy revisions) and v2 (@modelcontextprotocol/client, pinned to
 * 2026-07-28). Each direction: a stdio server served over HTTP, an HTTP server given to a stdio
 * client; each era pairing: relayed when both ends speak the same era, translated when not.
 */
import {
  Client as ModernClient,
  StreamableHTTPClientTransport as ModernHttp,
} from '@modelcontextprotocol/client';
import { StdioClientTransport as ModernStdio } from '@modelcontextprotocol/client/stdio';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EVERYTHING,
  MAIN,
  MODERN_ONLY,
  NODE,
  ROOT,
  type Running,
  runCli,
  startCli,
} from './fixtures/cli-process.ts';

const MODERN = '2026-07-28';

/** An official v1 client with sampling and elicitation handlers. */
function legacyClient(): Client {
  const client = new Client(
    { name: 'sdk-v1', version: '1.0.0' },
    { capabilities: { sampling: {}, elicitation: {} } },
  );
  client.setRequestHandler(CreateMessageRequestSchema, async () => ({
    role: 'assistant',
    content: { type: 'text', text: 'sampled by v1' },
    model: 'test-model',
  }));
  client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { name: 'Ada' } }));
  return client;
}

/** An official v2 client pinned to 2026-07-28, with sampling and elicitation handlers. */
function modernClient(): ModernClient {
  const client = new ModernClient(
    { name: 'sdk-v2', version: '2.0.0' },
    {
      capabilities: { sampling: {}, elicitation: { form: {} } },
      versionNegotiation: { mode: { pin: MODERN } },
    },
  );
  client.setRequestHandler('sampling/createMessage', async () => ({
    role: 'assistant',
    content: { type: 'text', text: 'sampled by v2' },
    model: 'test-model',
  }));
  client.setRequestHandler('elicitation/create', async () => ({
    action: 'accept',
    content: { name: 'Grace' },
  }));
  return client;
}

/**
 * Checks the progress a client saw. The official SDK clients dispatch a progress notification a
 * microtask after the response when both arrive in one read (modelcontextprotocol/typescript-sdk#2580),
 * so the last notification may be dropped on their side; all the earlier ones must be there, in order.
 */
function expectProgress(seen: number[], sent: number[]): void {
  expect(seen.length).toBeGreaterThanOrEqual(sent.length - 1);
  expect(seen).toEqual(sent.slice(0, seen.length));
}

const textOf = (result: unknown) =>
  ((result as { content: Array<{ text?: string }> }).content ?? []).map((b) => b.text ?? '').join('\n');

describe('bridge --stdio <server-everything> --port: a stdio server over HTTP', () => {
  let bridge: Running;
  beforeAll(async () => {
    bridge = await startCli(['bridge', '--stdio', EVERYTHING, '--port', '0']);
  });
  afterAll(async () => {
    expect(await bridge.stop()).toBe(0);
  });

  it('relays a legacy client (Streamable HTTP): tools, sampling answered by the client, progress', async () => {
    const client = legacyClient();
    await client.connect(new StreamableHTTPClientTransport(new URL(bridge.url)));
    expect(client.getServerVersion()?.name).toBe('mcp-servers/everything');
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('get-sum');
    expect(textOf(await client.callTool({ name: 'get-sum', arguments: { a: 2, b: 3 } }))).toBe(
      'The sum of 2 and 3 is 5.',
    );
    expect(
      textOf(await client.callTool({ name: 'trigger-sampling-request', arguments: { prompt: 'hi' } })),
    ).toContain('sampled by v1');
    const progress: number[] = [];
    await client.callTool(
      { name: 'trigger-long-running-operation', arguments: { duration: 1, steps: 2 } },
      undefined,
      {
        onprogress: (p) => progress.push(p.progress),
      },
    );
    expectProgress(progress, [1, 2]);
    await client.close();
  });

  it('relays a legacy client over HTTP+SSE', async () => {
    const client = legacyClient();
    await client.connect(new SSEClientTransport(new URL(bridge.url.replace(/\/mcp$/, '/sse'))));
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'over sse' } }))).toBe(
      'Echo: over sse',
    );
    await client.close();
  });

  it('translates for a 2026-07-28 client: discover, tools, and sampling as an input_required round', async () => {
    const client = modernClient();
    await client.connect(new ModernHttp(new URL(bridge.url)));
    expect(client.getNegotiatedProtocolVersion()).toBe(MODERN);
    expect(client.getServerVersion()?.name).toBe('mcp-servers/everything');
    expect(textOf(await client.callTool({ name: 'get-sum', arguments: { a: 1, b: 2 } }))).toBe(
      'The sum of 1 and 2 is 3.',
    );
    expect(
      textOf(await client.callTool({ name: 'trigger-sampling-request', arguments: { prompt: 'x' } })),
    ).toContain('sampled by v2');
    const progress: number[] = [];
    await client.callTool(
      { name: 'trigger-long-running-operation', arguments: { duration: 1, steps: 2 } },
      {
        onprogress: (p) => progress.push(p.progress),
      },
    );
    expectProgress(progress, [1, 2]);
    await client.close();
  });

  it('is usable by mcpkit itself, which finds the modern era through the bridge', async () => {
    const r = await runCli(['info', bridge.url]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^mcp-servers\/everything 2\.0\.0\n/);
    expect(r.stdout).toContain('revision     2026-07-28 (modern era)');
  });
});

describe('bridge <url>: an HTTP server to a stdio client', () => {
  let served: Running;
  beforeAll(async () => {
    served = await startCli(['serve', '--port', '0']);
  });
  afterAll(async () => {
    await served.stop();
  });

  it('relays a legacy stdio client (elicitation answered by the client)', async () => {
    const client = legacyClient();
    client.setRequestHandler(ElicitRequestSchema, async () => ({
      action: 'accept',
      content: { username: 'ada', email: 'ada@example.com' },
    }));
    await client.connect(
      new StdioClientTransport({
        command: NODE,
        args: [MAIN, 'bridge', served.url],
        cwd: ROOT,
        stderr: 'pipe',
      }),
    );
    expect(client.getServerVersion()?.name).toBe('mcpkit-reference-server');
    expect(textOf(await client.callTool({ name: 'test_elicitation', arguments: { message: 'Who?' } }))).toBe(
      'User response: action=accept, content={"username":"ada","email":"ada@example.com"}',
    );
    await client.close();
  });

  it('relays a 2026-07-28 stdio client, Multi Round-Trip Requests included', async () => {
    const client = modernClient();
    await client.connect(
      new ModernStdio({ command: NODE, args: [MAIN, 'bridge', served.url], cwd: ROOT, stderr: 'pipe' }),
    );
    expect(client.getNegotiatedProtocolVersion()).toBe(MODERN);
    expect(
      textOf(await client.callTool({ name: 'test_input_required_result_elicitation', arguments: {} })),
    ).toBe('Hello, Grace!');
    await client.close();
  });
});

describe('bridge --stdio <a 2026-07-28-only server>: translation for a legacy client', () => {
  it('answers initialize from server/discover and turns input_required into requests to the client', async () => {
    const client = legacyClient();
    const transport = new StdioClientTransport({
      command: NODE,
      args: [MAIN, 'bridge', '--stdio', MODERN_ONLY],
      cwd: ROOT,
      stderr: 'pipe',
    });
    await client.connect(transport);
    expect(client.getServerVersion()).toMatchObject({ name: 'mcpkit-reference-server', version: '0.1.0' });
    expect(client.getInstructions()).toContain('A test server');
    expect(
      textOf(await client.callTool({ name: 'test_input_required_result_elicitation', arguments: {} })),
    ).toBe('Hello, Ada!');
    const progress: number[] = [];
    await client.callTool({ name: 'test_tool_with_progress', arguments: {} }, undefined, {
      onprogress: (p) => progress.push(p.progress),
    });
    expectProgress(progress, [0, 50, 100]);
    await client.ping();
    await client.close();
  });

  it('without the bridge, the same legacy client cannot connect', async () => {
    const r = await runCli(['info', '--era', 'legacy', '--stdio', MODERN_ONLY]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('refused the connection (error -32022)');
  });
});

describe('bridge when the server dies', () => {
  it('exits with code 3 and reports the exit code and stderr of the server', async () => {
    const crash = `${NODE} -e "process.stderr.write('cannot start: no config\\n'); process.exit(5)"`;
    const r = await runCli(['bridge', '--stdio', crash], '', true);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('exited with code 5');
    expect(r.stderr).toContain('cannot start: no config');
  });
});
