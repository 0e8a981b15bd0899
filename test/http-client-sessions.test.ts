/** Sessions of the Streamable HTTP client transport: expiry, re-initialization, DELETE, continuation. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionClosedError } from '../src/protocol/index.ts';
import { StreamableHttpClientTransport } from '../src/transport/streamable-http.ts';
import { SessionExpiredError } from '../src/transport/streamable-http-options.ts';
import {
  bodyOf,
  cleanup,
  closeAfterTest,
  connected,
  initialize,
  mcpServer,
  type Recorded,
  sseEvent,
  sseHead,
  testClient,
} from './http-client-fixtures.ts';

afterEach(cleanup);

function postId(r: Recorded): unknown {
  return r.method === 'POST' ? (JSON.parse(r.body) as { id?: unknown }).id : undefined;
}

describe('sessions', () => {
  it('on 404, calls onSessionExpired, then re-sends the failed request and unanswered ones on the new session', async () => {
    let expired = false;
    const server = await mcpServer(
      (req, res) => {
        const body = bodyOf(req);
        const sid = req.headers['mcp-session-id'];
        if (sid === 's-1' && expired) {
          res.writeHead(404).end();
          return true;
        }
        if (body.method === 'tools/call' && sid === 's-1') {
          // Never answered on the old session: the stream stays open until the session ends.
          sseHead(res);
          sseEvent(res, { id: 'old-1', data: '' });
          return true;
        }
        return false;
      },
      ['s-1', 's-2'],
    );
    const renewals: Array<string | undefined> = [];
    const client = testClient();
    const transport = new StreamableHttpClientTransport(server.url, {
      openGetStream: false,
      onSessionExpired: async () => {
        renewals.push(transport.sessionId);
        await initialize(client.peer, '2025-06-18');
      },
    });
    closeAfterTest(() => client.peer.close());
    await client.peer.connect(transport);
    await initialize(client.peer, '2025-06-18');
    const hanging = client.peer.request('tools/call', { name: 'slow' });
    await vi.waitFor(() => expect(server.requests.some((r) => postId(r) === 1)).toBe(true));
    expired = true;
    const listed = await client.peer.request('tools/list');
    expect(listed).toEqual({ echoed: 'tools/list' });
    expect(await hanging).toEqual({ echoed: 'tools/call' });
    expect(renewals).toEqual([undefined]);
    expect(transport.sessionId).toBe('s-2');

    const posts = server.requests
      .filter((r) => r.method === 'POST')
      .map((r) => ({
        method: bodyOf(r).method,
        session: r.headers['mcp-session-id'],
        version: r.headers['mcp-protocol-version'],
      }));
    const reinit = posts.findIndex((p, i) => i > 0 && p.method === 'initialize');
    expect(posts[reinit]).toEqual({ method: 'initialize', session: undefined, version: undefined });
    expect(posts.slice(reinit + 1)).toEqual(
      expect.arrayContaining([
        { method: 'notifications/initialized', session: 's-2', version: '2025-06-18' },
        { method: 'tools/call', session: 's-2', version: '2025-06-18' },
        { method: 'tools/list', session: 's-2', version: '2025-06-18' },
      ]),
    );
  });

  it('without onSessionExpired, a 404 closes the transport with a SessionExpiredError', async () => {
    const server = await mcpServer((req, res) => {
      if (req.headers['mcp-session-id'] !== 's-1' || bodyOf(req).method !== 'tools/list') return false;
      res.writeHead(404).end();
      return true;
    });
    const { client, peer } = await connected(server.url, { openGetStream: false });
    await initialize(peer);
    const error = await peer.request('tools/list').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect((error as Error).message).toContain('ended session s-1');
    expect(client.closedWith[0]).toBeInstanceOf(SessionExpiredError);
    expect(server.requests.some((r) => r.method === 'DELETE')).toBe(false);
  });

  it('sends DELETE with the session id on close; a 405 answer is fine', async () => {
    const server = await mcpServer((req, res) => {
      if (req.method !== 'DELETE') return false;
      res.writeHead(405).end();
      return true;
    });
    const errors: Error[] = [];
    const { transport, peer } = await connected(server.url, {
      openGetStream: false,
      onerror: (e) => errors.push(e),
    });
    await initialize(peer);
    await peer.close();
    const del = server.requests.filter((r) => r.method === 'DELETE');
    expect(del).toHaveLength(1);
    expect(del[0]?.headers['mcp-session-id']).toBe('s-1');
    expect(errors).toEqual([]);
    await expect(transport.send({ jsonrpc: '2.0', method: 'x' })).rejects.toBeInstanceOf(
      ConnectionClosedError,
    );
  });

  it('keeps the session on close when terminateOnClose is false, and continues it with sessionId', async () => {
    const server = await mcpServer();
    const first = await connected(server.url, { openGetStream: false, terminateOnClose: false });
    await initialize(first.peer, '2025-06-18');
    await first.peer.close();
    expect(server.requests.some((r) => r.method === 'DELETE')).toBe(false);

    const second = await connected(server.url, {
      openGetStream: false,
      sessionId: first.transport.sessionId,
      protocolVersion: '2025-06-18',
    });
    await second.peer.request('tools/list');
    const last = server.requests.at(-1);
    expect(last?.headers['mcp-session-id']).toBe('s-1');
    expect(last?.headers['mcp-protocol-version']).toBe('2025-06-18');
  });

  it('terminateSession sends DELETE and forgets the session', async () => {
    const server = await mcpServer();
    const { transport, peer } = await connected(server.url, { openGetStream: false });
    await initialize(peer);
    await transport.terminateSession();
    expect(transport.sessionId).toBeUndefined();
    expect(server.requests.at(-1)).toMatchObject({ method: 'DELETE', headers: { 'mcp-session-id': 's-1' } });
  });
});
