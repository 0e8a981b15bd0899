/**
 * URL-mode elicitation consent over real HTTP: a server can send a URL only to a client that opted
 * in to URL mode; the client SDK hands the URL, unchanged, to the application's handler (which asks
 * the user) and never opens or fetches it itself; a decline reaches the tool as a decline.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { McpClient } from '../src/client/index.ts';
import type { ElicitParams } from '../src/protocol/index.ts';
import { McpServer } from '../src/server/index.ts';
import { StreamableHttpClientTransport } from '../src/transport/index.ts';
import { type Served, serve } from './http-server-fixtures.ts';

let s: Served;
let target: Server;
let targetUrl: string;
let hits: number;

beforeEach(async () => {
  hits = 0;
  target = createServer((_req, res) => {
    hits++;
    res.end('consent page');
  });
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/connect?state=abc`;
  const server = new McpServer({ name: 'linker', version: '1.0.0', onError: () => {} });
  server.tool('link', {}, async (_args, ctx) => {
    const r = await ctx.elicit({
      mode: 'url',
      message: 'Connect your account',
      url: targetUrl,
      elicitationId: 'link-1',
    });
    return `action: ${r.action}`;
  });
  s = await serve(server);
});
afterEach(async () => {
  await s.close();
  await new Promise<void>((r) => target.close(() => r()));
});

describe('URL-mode elicitation consent', () => {
  it('is refused for a client that did not opt in to URL mode; its form handler is never called', async () => {
    const asked: ElicitParams[] = [];
    const client = new McpClient({
      era: 'legacy',
      handlers: {
        elicitation: (p) => {
          asked.push(p);
          return { action: 'accept', content: {} };
        },
      },
    });
    await client.connect(new StreamableHttpClientTransport(s.url));
    try {
      const result = await client.callTool('link');
      expect(result.isError).toBe(true);
      expect(JSON.stringify(result.content)).toContain('elicitation.url');
      expect(asked).toEqual([]);
      expect(hits).toBe(0);
    } finally {
      await client.close();
    }
  });

  it('hands the exact URL to the application, never fetches it, and returns the user’s decline', async () => {
    const asked: ElicitParams[] = [];
    const client = new McpClient({
      era: 'legacy',
      capabilities: { elicitation: { form: {}, url: {} } },
      handlers: {
        elicitation: (p) => {
          asked.push(p);
          return { action: 'decline' };
        },
      },
    });
    await client.connect(new StreamableHttpClientTransport(s.url));
    try {
      const result = await client.callTool('link');
      expect(JSON.stringify(result.content)).toContain('action: decline');
      expect(asked).toHaveLength(1);
      expect(asked[0]).toMatchObject({ mode: 'url', url: targetUrl, elicitationId: 'link-1' });
      expect(hits).toBe(0);
    } finally {
      await client.close();
    }
  });

  it('a client declaring URL mode only is never sent a form', async () => {
    const server = new McpServer({ name: 'former', version: '1.0.0', onError: () => {} });
    server.tool('form', {}, async (_args, ctx) => {
      await ctx.elicit({ message: 'Name?', requestedSchema: { type: 'object', properties: {} } });
      return 'asked';
    });
    const other = await serve(server);
    const asked: ElicitParams[] = [];
    const client = new McpClient({
      era: 'legacy',
      capabilities: { elicitation: { url: {} } },
      handlers: {
        elicitation: (p) => {
          asked.push(p);
          return { action: 'cancel' };
        },
      },
    });
    await client.connect(new StreamableHttpClientTransport(other.url));
    try {
      const result = await client.callTool('form');
      expect(result.isError).toBe(true);
      expect(asked).toEqual([]);
    } finally {
      await client.close();
      await other.close();
    }
  });
});
