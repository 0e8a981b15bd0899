/**
 * `mcpkit proxy`: any server served as if it were local, in both eras whatever the upstream speaks,
 * with sampling, elicitation, roots, progress and logging relayed, driven by the official v1 client
 * and the v2 client pinned to 2026-07-28; and an upstream dying turned into an error and an exit.
 */
import { StreamableHTTPClientTransport as ModernHttp } from '@modelcontextprotocol/client';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as LegacyHttp } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  ElicitRequestSchema,
  type LoggingMessageNotification,
  LoggingMessageNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVERYTHING, MAIN, NODE, ROOT, type Running, startCli } from './fixtures/cli-process.ts';
import { acceptWithDefaults, textOf } from './support/sdk-client.ts';
import { MODERN, modernClient, ROOTS } from './support/sdk-v2-client.ts';

function legacyClient(): LegacyClient {
  const client = new LegacyClient({ name: 'v1', version: '1.0.0' }, { capabilities: { elicitation: {} } });
  client.setRequestHandler(ElicitRequestSchema, async (request) => acceptWithDefaults(request.params));
  return client;
}

describe('proxy --stdio <server-everything> --port: a legacy stdio server for both eras', () => {
  let proxy: Running;
  beforeAll(async () => {
    proxy = await startCli(['proxy', '--stdio', EVERYTHING, '--port', '0', '--hide', 'get-env']);
  });
  afterAll(async () => {
    await proxy?.stop();
  });

  it('serves a v2 client pinned to 2026-07-28: sampling and roots relayed by Multi Round-Trip Requests', async () => {
    const { client, seen } = modernClient('v2-proxy');
    await client.connect(new ModernHttp(new URL(proxy.url)));
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe(MODERN);
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toContain('echo');
      expect(names).toContain('trigger-sampling-request');
      expect(names).not.toContain('get-env');
      const sampled = await client.callTool({
        name: 'trigger-sampling-request',
        arguments: { prompt: 'Capital of France?' },
      });
      expect(textOf(sampled)).toContain('Paris');
      expect(seen.sampling).toHaveLength(1);
      const roots = await client.callTool({ name: 'get-roots-list', arguments: {} });
      expect(textOf(roots)).toContain(ROOTS[0].uri);
      expect(seen.roots).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });

  it('serves a v1 client: elicitation and progress relayed', async () => {
    const client = legacyClient();
    await client.connect(new LegacyHttp(new URL(proxy.url)));
    try {
      const elicited = await client.callTool({ name: 'trigger-elicitation-request', arguments: {} });
      expect(textOf(elicited)).toContain('User provided the requested information');
      const progress: number[] = [];
      await client.callTool(
        { name: 'trigger-long-running-operation', arguments: { duration: 0.2, steps: 2 } },
        undefined,
        { onprogress: (p) => progress.push(p.progress) },
      );
      expect(progress).toEqual([1, 2]);
      const hidden = await client.callTool({ name: 'get-env', arguments: {} }).catch((e: Error) => e);
      expect(String(hidden)).toContain("Unknown tool 'get-env'");
    } finally {
      await client.close();
    }
  });
});

describe('proxy <url>: a 2026-07-28 HTTP server to a v1 stdio client', () => {
  let served: Running;
  beforeAll(async () => {
    served = await startCli(['serve', '--port', '0']);
  });
  afterAll(async () => {
    await served?.stop();
  });

  it('relays elicitation (input_required upstream, a request downstream) and the log level and messages', async () => {
    const client = legacyClient();
    client.setRequestHandler(ElicitRequestSchema, async () => ({
      action: 'accept',
      content: { username: 'ada', email: 'ada@example.com' },
    }));
    const logs: LoggingMessageNotification['params'][] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      logs.push(n.params);
    });
    await client.connect(
      new StdioClientTransport({
        command: NODE,
        args: [MAIN, 'proxy', served.url],
        cwd: ROOT,
        stderr: 'pipe',
      }),
    );
    try {
      expect(client.getServerVersion()?.name).toBe('mcpkit-reference-server');
      expect(
        textOf(await client.callTool({ name: 'test_elicitation', arguments: { message: 'Who?' } })),
      ).toBe('User response: action=accept, content={"username":"ada","email":"ada@example.com"}');
      await client.setLoggingLevel('info');
      await client.callTool({ name: 'test_tool_with_logging', arguments: {} });
      expect(logs.map((l) => l.data)).toEqual([
        'Tool execution started',
        'Tool processing data',
        'Tool execution completed',
      ]);
    } finally {
      await client.close();
    }
  });
});

describe('proxy --stdio <a server that dies>', () => {
  it('answers the call in flight with an error, then stops, naming how the server ended', async () => {
    const crash = `${NODE} ${ROOT}test/fixtures/cli-crash-server.mjs`;
    const transport = new StdioClientTransport({
      command: NODE,
      args: [MAIN, 'proxy', '--stdio', crash],
      cwd: ROOT,
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const exited = new Promise<number | null>((resolve) => {
      transport.onclose = () => resolve(null);
    });
    const client = new LegacyClient({ name: 'v1', version: '1.0.0' });
    await client.connect(transport);
    const outcome = await client.callTool({ name: 'crash', arguments: {} }).then(
      (r) => textOf(r),
      (e: Error) => e.message,
    );
    expect(outcome).toMatch(/exited with code 7|closed/);
    await exited;
    expect(stderr).toContain('exited with code 7');
  });
});
