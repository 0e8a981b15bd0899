/** Servers and a hand-driven client peer for the HTTP client transport tests. */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InMemoryEventStore } from '@modelcontextprotocol/sdk/examples/shared/inMemoryEventStore.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { ListRootsResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { JsonRpcNotification, Params } from '../src/protocol/index.ts';
import { JsonRpcPeer } from '../src/rpc/index.ts';
import { StreamableHttpClientTransport } from '../src/transport/streamable-http.ts';

/** One HTTP request as the server saw it. */
export interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A running test server. */
export interface TestServer {
  url: string;
  requests: Recorded[];
  close(): Promise<void>;
}

const servers: TestServer[] = [];
const closers: Array<() => Promise<void>> = [];

/** Registers something to close after the current test. */
export function closeAfterTest(close: () => Promise<void>): void {
  closers.push(close);
}

/** Closes the clients, then the servers, started by the current test (use in afterEach). */
export async function cleanup(): Promise<void> {
  for (const close of closers.splice(0)) await close().catch(() => {});
  for (const s of servers.splice(0)) await s.close();
}

/** Starts a node:http server on 127.0.0.1 with an ephemeral port; it is closed by `cleanup`. */
export async function rawServer(
  handle: (req: Recorded, res: ServerResponse, raw: IncomingMessage) => void | Promise<void>,
): Promise<TestServer> {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded: Recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      Promise.resolve(handle(recorded, res, req)).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const running: TestServer = {
    url: `http://127.0.0.1:${port}/mcp`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(running);
  return running;
}

/** Starts an SSE answer. */
export function sseHead(res: ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
  res.flushHeaders();
}

/** Writes one SSE event. */
export function sseEvent(
  res: ServerResponse,
  event: { id?: string; event?: string; retry?: number; data?: unknown },
): void {
  let text = '';
  if (event.id !== undefined) text += `id: ${event.id}\n`;
  if (event.event !== undefined) text += `event: ${event.event}\n`;
  if (event.retry !== undefined) text += `retry: ${event.retry}\n`;
  const data =
    event.data === undefined ? '' : typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
  text += `data: ${data}\n\n`;
  res.write(text);
}

/** Answers with one JSON body. */
export function jsonAnswer(res: ServerResponse, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(200, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

/** The parsed JSON body of a recorded request. */
export function bodyOf(r: Recorded): { id?: string | number; method?: string; params?: Params } {
  return JSON.parse(r.body) as { id?: string | number; method?: string; params?: Params };
}

/** The result a test server gives to `initialize`. */
export function initializeResult(protocolVersion: string): Record<string, unknown> {
  return { protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'raw', version: '1.0.0' } };
}

/** A client peer driven by hand, with what it received. */
export interface TestClient {
  peer: JsonRpcPeer;
  notifications: JsonRpcNotification[];
  requests: string[];
  closedWith: Array<Error | undefined>;
}

/** A client peer that answers roots/list and ping, and records notifications. */
export function testClient(): TestClient {
  const notifications: JsonRpcNotification[] = [];
  const requests: string[] = [];
  const closedWith: Array<Error | undefined> = [];
  const peer = new JsonRpcPeer({
    onRequest: (method) => {
      requests.push(method);
      if (method === 'roots/list') return { roots: [{ uri: 'file:///work', name: 'work' }] };
      return {};
    },
    onNotification: (n) => notifications.push(n),
    onClose: (reason) => closedWith.push(reason),
    timeout: 20_000,
  });
  return { peer, notifications, requests, closedWith };
}

/** Runs the initialization handshake on a connected peer. */
export async function initialize(
  peer: JsonRpcPeer,
  protocolVersion = '2025-11-25',
): Promise<Record<string, unknown>> {
  const result = await peer.request('initialize', {
    protocolVersion,
    capabilities: { roots: { listChanged: true } },
    clientInfo: { name: 'mcpkit-test', version: '0.0.0' },
  });
  await peer.notify('notifications/initialized');
  return result;
}

function buildSdkServer(): McpServer {
  const server = new McpServer({ name: 'sdk-peer', version: '1.0.0' }, { capabilities: { logging: {} } });
  server.registerTool(
    'echo',
    { description: 'Echoes its text.', inputSchema: { text: z.string() } },
    ({ text }) => ({
      content: [{ type: 'text', text }],
    }),
  );
  server.registerTool('chatty', { description: 'Sends progress and a log message.' }, async (extra) => {
    const token = extra._meta?.progressToken;
    if (token !== undefined) {
      await extra.sendNotification({
        method: 'notifications/progress',
        params: { progressToken: token, progress: 1 },
      });
    }
    await extra.sendNotification({
      method: 'notifications/message',
      params: { level: 'info', data: 'working' },
    });
    return { content: [{ type: 'text', text: 'done' }] };
  });
  server.registerTool('roots', { description: 'Asks the client for its roots.' }, async (extra) => {
    const roots = await extra.sendRequest({ method: 'roots/list' }, ListRootsResultSchema);
    return { content: [{ type: 'text', text: roots.roots.map((r) => r.uri).join(',') }] };
  });
  server.registerTool('poll', { description: 'Drops its stream, then answers.' }, async (extra) => {
    extra.closeSSEStream?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
    return { content: [{ type: 'text', text: extra.closeSSEStream ? 'after-close' : 'no-close' }] };
  });
  return server;
}

/** Options of the official SDK's Streamable HTTP server. */
export interface SdkServerOptions {
  enableJsonResponse?: boolean;
  resumable?: boolean;
  retryInterval?: number;
}

/** The official SDK's Streamable HTTP server, one transport and McpServer per session. */
export interface SdkStreamableServer extends TestServer {
  sessions: Map<string, { transport: StreamableHTTPServerTransport; server: McpServer }>;
  closedSessions: string[];
  /** Forgets a session, so that its id gets 404 from now on. */
  expire(sessionId: string): Promise<void>;
}

/** Starts the official SDK's Streamable HTTP server at /mcp. */
export async function sdkStreamableServer(options: SdkServerOptions = {}): Promise<SdkStreamableServer> {
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; server: McpServer }>();
  const closedSessions: string[] = [];
  const base = await rawServer(async (recorded, res, req) => {
    const sid = req.headers['mcp-session-id'];
    const body = recorded.body ? (JSON.parse(recorded.body) as unknown) : undefined;
    if (typeof sid === 'string') {
      const session = sessions.get(sid);
      if (!session) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }),
        );
        return;
      }
      await session.transport.handleRequest(req, res, body);
      return;
    }
    const server = buildSdkServer();
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: options.enableJsonResponse,
      eventStore: options.resumable ? new InMemoryEventStore() : undefined,
      retryInterval: options.retryInterval,
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, server });
      },
      onsessionclosed: (id) => {
        closedSessions.push(id);
        sessions.delete(id);
      },
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  });
  return {
    ...base,
    sessions,
    closedSessions,
    expire: async (id) => {
      const session = sessions.get(id);
      sessions.delete(id);
      await session?.server.close();
    },
  };
}

/** The official SDK's HTTP+SSE server: GET /sse opens the stream, POST /messages?sessionId=… sends. */
export async function sdkSseServer(): Promise<TestServer & { ssePath: string }> {
  const transports = new Map<string, SSEServerTransport>();
  const base = await rawServer(async (recorded, res, req) => {
    const url = new URL(recorded.url, 'http://localhost');
    if (recorded.method === 'GET' && (url.pathname === '/sse' || url.pathname === '/mcp')) {
      const transport = new SSEServerTransport('/messages', res);
      transports.set(transport.sessionId, transport);
      res.on('close', () => transports.delete(transport.sessionId));
      await buildSdkServer().connect(transport);
      return;
    }
    if (recorded.method === 'POST' && url.pathname === '/messages') {
      const transport = transports.get(url.searchParams.get('sessionId') ?? '');
      if (!transport) {
        res.writeHead(404).end('Unknown session');
        return;
      }
      await transport.handlePostMessage(req, res, JSON.parse(recorded.body));
      return;
    }
    res.writeHead(405, { allow: 'GET' }).end('Method Not Allowed');
  });
  return { ...base, ssePath: base.url.replace(/\/mcp$/, '/sse') };
}

/** A route of mcpServer: returns true when it answered. */
export type Route = (
  req: Recorded,
  res: ServerResponse,
) => boolean | undefined | Promise<boolean | undefined>;

/**
 * A server speaking just enough Streamable HTTP: initialize gets a JSON answer with a session id,
 * notifications and responses get 202, GET gets 405, DELETE gets 200; `route` handles the rest
 * first (return true when it answered).
 */
export async function mcpServer(
  route: Route = () => false,
  sessions: string[] = ['s-1'],
): Promise<TestServer> {
  let next = 0;
  return rawServer(async (req, res) => {
    if (await route(req, res)) return;
    if (req.method === 'GET') {
      res.writeHead(405).end();
      return;
    }
    if (req.method === 'DELETE') {
      res.writeHead(200).end();
      return;
    }
    const body = bodyOf(req);
    if (body.method === 'initialize') {
      const sid = sessions[Math.min(next++, sessions.length - 1)] as string;
      jsonAnswer(
        res,
        { jsonrpc: '2.0', id: body.id, result: initializeResult(String(body.params?.protocolVersion)) },
        { 'mcp-session-id': sid },
      );
      return;
    }
    if (body.id === undefined || body.method === undefined) {
      res.writeHead(202).end();
      return;
    }
    jsonAnswer(res, { jsonrpc: '2.0', id: body.id, result: { echoed: body.method } });
  });
}

/** A peer connected through a StreamableHttpClientTransport; closed by `cleanup`. */
export async function connected(
  url: string,
  options: ConstructorParameters<typeof StreamableHttpClientTransport>[1] = {},
) {
  const transport = new StreamableHttpClientTransport(url, options);
  const client = testClient();
  closers.push(() => client.peer.close());
  await client.peer.connect(transport);
  return { transport, client, peer: client.peer };
}
