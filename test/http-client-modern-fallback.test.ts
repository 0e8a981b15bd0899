/**
 * Era fallback over HTTP: McpClient (era 'auto') probes with a 2026-07-28 `server/discover` POST;
 * against the official SDK v1 servers that probe fails, and the client goes on with `initialize` on
 * the same transport object — Streamable HTTP with a session, or HTTP+SSE after the fallback.
 */

import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { McpClient } from '../src/client/index.ts';
import { StreamableHttpClientTransport } from '../src/transport/streamable-http.ts';
import { AutoHttpClientTransport } from '../src/transport/streamable-http-fallback.ts';
import {
  bodyOf,
  cleanup,
  closeAfterTest,
  mcpServer,
  type Recorded,
  sdkSseServer,
  sdkStreamableServer,
} from './http-client-fixtures.ts';

afterEach(cleanup);

const describeRequest = (r: Recorded) => {
  const path = r.url.split('?')[0];
  return r.method === 'POST' ? `POST ${path} ${String(bodyOf(r).method)}` : `${r.method} ${path}`;
};

describe('era fallback over HTTP against the official SDK v1 servers', () => {
  it('Streamable HTTP: the failed discover is followed by initialize on the same transport, with a session and a GET stream', async () => {
    const server = await sdkStreamableServer();
    const client = new McpClient({ name: 'fallback-test' });
    const transport = new StreamableHttpClientTransport(server.url);
    closeAfterTest(() => client.close());
    await client.connect(transport);
    expect(client.era).toBe('legacy');
    expect(client.revision).toBe('2025-11-25');
    expect(client.serverInfo.name).toBe('sdk-peer');
    const session = transport.sessionId;
    expect(session).toBeDefined();
    expect(server.sessions.has(session as string)).toBe(true);
    expect((await client.callTool('echo', { text: 'hi' })).content).toEqual([{ type: 'text', text: 'hi' }]);
    await vi.waitFor(() =>
      expect(server.requests.some((r) => r.method === 'GET' && r.headers['mcp-session-id'] === session)).toBe(
        true,
      ),
    );

    const [discover, initialize] = server.requests;
    expect(bodyOf(discover as Recorded).method).toBe('server/discover');
    expect(discover?.headers['mcp-protocol-version']).toBe('2026-07-28');
    expect(discover?.headers['mcp-method']).toBe('server/discover');
    expect(bodyOf(initialize as Recorded).method).toBe('initialize');
    expect(initialize?.headers['mcp-session-id']).toBeUndefined();
    expect(initialize?.headers['mcp-method']).toBeUndefined();
    for (const r of server.requests.slice(2)) {
      expect(r.headers['mcp-session-id']).toBe(session);
      expect(r.headers['mcp-protocol-version']).toBe('2025-11-25');
    }
    await client.close();
    expect(server.closedSessions).toEqual([session]);
    expect(server.requests.at(-1)?.method).toBe('DELETE');
  });

  it('AutoHttpClientTransport: stays on Streamable HTTP with a Streamable HTTP server', async () => {
    const server = await sdkStreamableServer();
    const client = new McpClient();
    const transport = new AutoHttpClientTransport(server.url);
    closeAfterTest(() => client.close());
    await client.connect(transport);
    expect(client.era).toBe('legacy');
    expect(transport.kind).toBe('streamable-http');
    expect(transport.sessionId).toBeDefined();
    expect((await client.callTool('echo', { text: 'auto' })).content).toEqual([
      { type: 'text', text: 'auto' },
    ]);
    expect(server.requests.slice(0, 2).map(describeRequest)).toEqual([
      'POST /mcp server/discover',
      'POST /mcp initialize',
    ]);
  });

  it('AutoHttpClientTransport: falls back to HTTP+SSE on the initialize that follows the failed discover', async () => {
    const server = await sdkSseServer();
    const client = new McpClient();
    const transport = new AutoHttpClientTransport(server.url);
    closeAfterTest(() => client.close());
    await client.connect(transport);
    expect(client.era).toBe('legacy');
    expect(transport.kind).toBe('sse');
    expect(client.serverInfo.name).toBe('sdk-peer');
    expect((await client.callTool('echo', { text: 'old' })).content).toEqual([{ type: 'text', text: 'old' }]);
    const seen = server.requests.map(describeRequest);
    expect(seen.slice(0, 5)).toEqual([
      'POST /mcp server/discover',
      'POST /mcp initialize',
      'GET /mcp',
      'POST /messages initialize',
      'POST /messages notifications/initialized',
    ]);
    expect(seen.filter((s) => s === 'GET /mcp')).toHaveLength(1);
  });

  it('AutoHttpClientTransport: a probe that times out is cancelled by closing its POST, and initialize follows', async () => {
    let closed: Promise<void> | undefined;
    const server = await mcpServer((req, res: ServerResponse) => {
      if (req.method !== 'POST' || bodyOf(req).method !== 'server/discover') return false;
      closed = new Promise((resolve) => res.on('close', () => resolve()));
      return true; // never answered
    });
    const client = new McpClient({ probeTimeout: 300 });
    const transport = new AutoHttpClientTransport(server.url);
    closeAfterTest(() => client.close());
    await client.connect(transport);
    expect(client.era).toBe('legacy');
    expect(transport.kind).toBe('streamable-http');
    await closed;
    expect(server.requests.map(describeRequest).slice(0, 3)).toEqual([
      'POST /mcp server/discover',
      'POST /mcp initialize',
      'POST /mcp notifications/initialized',
    ]);
    expect(server.requests.map((r) => r.body)).not.toContain(
      expect.stringContaining('notifications/cancelled'),
    );
  });
});
