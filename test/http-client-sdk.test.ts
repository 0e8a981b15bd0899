/** The HTTP client transports against the official SDK's servers. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionClosedError } from '../src/protocol/index.ts';
import { SseClientTransport } from '../src/transport/sse-client.ts';
import { StreamableHttpClientTransport } from '../src/transport/streamable-http.ts';
import { AutoHttpClientTransport } from '../src/transport/streamable-http-fallback.ts';
import {
  cleanup,
  closeAfterTest,
  initialize,
  sdkSseServer,
  sdkStreamableServer,
  testClient,
} from './http-client-fixtures.ts';

afterEach(cleanup);

function textOf(result: Record<string, unknown>): string {
  return (result.content as Array<{ text: string }>)[0]?.text ?? '';
}

describe('StreamableHttpClientTransport with the official SDK server', () => {
  for (const enableJsonResponse of [false, true]) {
    it(`initializes, lists and calls tools (${enableJsonResponse ? 'JSON' : 'SSE'} answers)`, async () => {
      const server = await sdkStreamableServer({ enableJsonResponse });
      const transport = new StreamableHttpClientTransport(server.url);
      const client = testClient();
      closeAfterTest(() => client.peer.close());
      await client.peer.connect(transport);

      const init = await initialize(client.peer, '2025-06-18');
      expect(init.protocolVersion).toBe('2025-06-18');
      expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
      expect(server.sessions.has(transport.sessionId as string)).toBe(true);
      expect(transport.protocolVersion).toBe('2025-06-18');

      const list = await client.peer.request('tools/list');
      expect((list.tools as Array<{ name: string }>).map((t) => t.name).sort()).toEqual([
        'chatty',
        'echo',
        'poll',
        'roots',
      ]);
      const echo = await client.peer.request('tools/call', { name: 'echo', arguments: { text: 'hi there' } });
      expect(textOf(echo)).toBe('hi there');

      const bad = client.peer.request('tools/call', { name: 'nope', arguments: {} });
      await expect(bad).resolves.toMatchObject({ isError: true });
    });
  }

  it('delivers progress and log notifications of a request, and answers server requests on its stream', async () => {
    const server = await sdkStreamableServer();
    const client = testClient();
    closeAfterTest(() => client.peer.close());
    await client.peer.connect(new StreamableHttpClientTransport(server.url));
    await initialize(client.peer);

    const progress: number[] = [];
    const chatty = await client.peer.request(
      'tools/call',
      { name: 'chatty', arguments: {} },
      { onprogress: (p) => progress.push(p.progress) },
    );
    expect(textOf(chatty)).toBe('done');
    expect(progress).toEqual([1]);
    expect(client.notifications.some((n) => n.method === 'notifications/message')).toBe(true);

    const roots = await client.peer.request('tools/call', { name: 'roots', arguments: {} });
    expect(textOf(roots)).toBe('file:///work');
    expect(client.requests).toContain('roots/list');
  });

  it('opens the GET stream after initialization and receives server-initiated messages on it', async () => {
    const server = await sdkStreamableServer();
    const transport = new StreamableHttpClientTransport(server.url);
    const client = testClient();
    closeAfterTest(() => client.peer.close());
    await client.peer.connect(transport);
    await initialize(client.peer);
    await vi.waitFor(() => expect(server.requests.some((r) => r.method === 'GET')).toBe(true));
    const get = server.requests.find((r) => r.method === 'GET');
    expect(get?.headers.accept).toContain('text/event-stream');
    expect(get?.headers['mcp-session-id']).toBe(transport.sessionId);

    const session = server.sessions.get(transport.sessionId as string);
    // The SDK server sends a standalone request only once its GET stream is registered; retry until then.
    const roots = await vi.waitFor(() => session?.server.server.listRoots(undefined, { timeout: 2_000 }), {
      timeout: 10_000,
    });
    expect(roots?.roots[0]?.uri).toBe('file:///work');
    await session?.server.sendToolListChanged();
    await vi.waitFor(() =>
      expect(client.notifications.some((n) => n.method === 'notifications/tools/list_changed')).toBe(true),
    );
  });

  it('sends DELETE with the session id on close, and the server ends the session', async () => {
    const server = await sdkStreamableServer();
    const transport = new StreamableHttpClientTransport(server.url);
    const client = testClient();
    await client.peer.connect(transport);
    await initialize(client.peer);
    const sid = transport.sessionId as string;
    await client.peer.close();
    expect(server.closedSessions).toEqual([sid]);
    const del = server.requests.find((r) => r.method === 'DELETE');
    expect(del?.headers['mcp-session-id']).toBe(sid);
    expect(del?.headers['mcp-protocol-version']).toBe('2025-11-25');
  });

  it('resumes a stream the server closed mid-request, with Last-Event-ID after the retry interval', async () => {
    const server = await sdkStreamableServer({ resumable: true, retryInterval: 10 });
    const client = testClient();
    closeAfterTest(() => client.peer.close());
    await client.peer.connect(
      new StreamableHttpClientTransport(server.url, { reconnect: { initialDelay: 600_000 } }),
    );
    await initialize(client.peer);
    const result = await client.peer.request('tools/call', { name: 'poll', arguments: {} });
    expect(textOf(result)).toBe('after-close');
    const resumes = server.requests.filter((r) => r.method === 'GET' && r.headers['last-event-id']);
    expect(resumes.length).toBeGreaterThanOrEqual(1);
  });

  it('re-initializes and re-sends when the server forgot the session (404)', async () => {
    const server = await sdkStreamableServer();
    let renewals = 0;
    const client = testClient();
    const transport = new StreamableHttpClientTransport(server.url, {
      onSessionExpired: async () => {
        renewals++;
        await initialize(client.peer);
      },
    });
    closeAfterTest(() => client.peer.close());
    await client.peer.connect(transport);
    await initialize(client.peer);
    const first = transport.sessionId as string;
    await server.expire(first);

    const echo = await client.peer.request('tools/call', { name: 'echo', arguments: { text: 'again' } });
    expect(textOf(echo)).toBe('again');
    expect(renewals).toBe(1);
    expect(transport.sessionId).not.toBe(first);
    expect(server.sessions.has(transport.sessionId as string)).toBe(true);
  });
});

describe('SseClientTransport with the official SDK server (2024-11-05)', () => {
  it('waits for the endpoint, POSTs there, and receives answers as message events', async () => {
    const server = await sdkSseServer();
    const transport = new SseClientTransport(server.ssePath);
    const client = testClient();
    closeAfterTest(() => client.peer.close());
    await client.peer.connect(transport);
    expect(transport.endpoint?.pathname).toBe('/messages');
    expect(transport.endpoint?.searchParams.get('sessionId')).toBeTruthy();

    const init = await initialize(client.peer, '2024-11-05');
    expect(init.protocolVersion).toBe('2024-11-05');
    const echo = await client.peer.request('tools/call', { name: 'echo', arguments: { text: 'old' } });
    expect(textOf(echo)).toBe('old');
    const roots = await client.peer.request('tools/call', { name: 'roots', arguments: {} });
    expect(textOf(roots)).toBe('file:///work');
  });

  it('fails pending requests when the server closes the stream', async () => {
    const server = await sdkSseServer();
    const client = testClient();
    await client.peer.connect(new SseClientTransport(server.ssePath));
    await initialize(client.peer, '2024-11-05');
    await server.close();
    await vi.waitFor(() => expect(client.closedWith.length).toBe(1));
    expect(client.closedWith[0]).toBeInstanceOf(ConnectionClosedError);
    await expect(client.peer.request('tools/list')).rejects.toBeInstanceOf(ConnectionClosedError);
  });
});

describe('AutoHttpClientTransport with the official SDK servers', () => {
  it('chooses Streamable HTTP when the server speaks it', async () => {
    const server = await sdkStreamableServer();
    const transport = new AutoHttpClientTransport(server.url);
    const client = testClient();
    closeAfterTest(() => client.peer.close());
    await client.peer.connect(transport);
    await initialize(client.peer);
    expect(transport.kind).toBe('streamable-http');
    expect(transport.sessionId).toBe(server.sessions.keys().next().value);
    expect(textOf(await client.peer.request('tools/call', { name: 'echo', arguments: { text: 'x' } }))).toBe(
      'x',
    );
  });

  it('falls back to HTTP+SSE when the POST gets 405', async () => {
    const server = await sdkSseServer();
    const transport = new AutoHttpClientTransport(server.url);
    const client = testClient();
    closeAfterTest(() => client.peer.close());
    await client.peer.connect(transport);
    const init = await initialize(client.peer, '2024-11-05');
    expect(init.protocolVersion).toBe('2024-11-05');
    expect(transport.kind).toBe('sse');
    expect(textOf(await client.peer.request('tools/call', { name: 'echo', arguments: { text: 'y' } }))).toBe(
      'y',
    );
    expect(server.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`).slice(0, 3)).toEqual([
      'POST /mcp',
      'GET /mcp',
      'POST /messages',
    ]);
  });
});
