/**
 * Shared pieces of the HTTP server tests: a stand-in host built from JsonRpcPeer (initialize,
 * tools/list and a few tools that exercise routing), a real node:http listener on an ephemeral
 * loopback port, and small readers for SSE and JSON answers.
 */
import { createParser } from 'eventsource-parser';
import type { HttpHandler, HttpHandlerOptions, SessionHost } from '../src/http/index.ts';
import { createHttpHandler } from '../src/http/index.ts';
import { type HttpServerHandle, serveHttp } from '../src/node/http.ts';
import { McpError, negotiateVersion, type Params } from '../src/protocol/index.ts';
import { JsonRpcPeer, type Transport } from '../src/rpc/index.ts';

/** One SSE event as the client sees it. */
export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/** A stand-in host plus what it saw. */
export interface StandIn {
  host: SessionHost;
  /** Transports connected so far. */
  transports: Transport[];
  /** How many connections were closed through their handle or transport. */
  closed: number;
  /** Aborts seen by the `wait` tool. */
  cancelled: number;
}

const TOOLS = [
  { name: 'echo', description: 'Echoes its arguments.', inputSchema: { type: 'object' } },
  {
    name: 'slow',
    description: 'Progress, a log line and a ping to the client.',
    inputSchema: { type: 'object' },
  },
  { name: 'reconnect', description: 'Closes its own stream, then answers.', inputSchema: { type: 'object' } },
  { name: 'broadcast', description: 'Sends an unrelated notification.', inputSchema: { type: 'object' } },
  { name: 'wait', description: 'Waits until cancelled or for ms.', inputSchema: { type: 'object' } },
];

const text = (t: string) => ({ content: [{ type: 'text', text: t }] });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A host that serves a small MCP server per connection, built directly on JsonRpcPeer. */
export function standIn(): StandIn {
  const state: StandIn = {
    host: { connect: async () => ({ close: async () => {} }) },
    transports: [],
    closed: 0,
    cancelled: 0,
  };
  state.host = {
    async connect(transport) {
      let revision = '2025-03-26';
      const peer: JsonRpcPeer = new JsonRpcPeer({
        acceptBatches: () => revision === '2025-03-26',
        onClose: () => {
          state.closed++;
        },
        onRequest: async (method, params, ctx) => {
          if (method === 'initialize') {
            revision = negotiateVersion(params?.protocolVersion);
            return {
              protocolVersion: revision,
              capabilities: { tools: {} },
              serverInfo: { name: 'stand-in', version: '1.0.0' },
            };
          }
          if (method === 'ping') return {};
          if (method === 'tools/list') return { tools: TOOLS };
          if (method !== 'tools/call') throw new McpError(-32601, `Method not found: ${method}`);
          const args = (params?.arguments ?? {}) as Params;
          const related = { relatedRequestId: ctx.id };
          const token = (params?._meta as { progressToken?: string | number } | undefined)?.progressToken;
          switch (params?.name) {
            case 'echo':
              return text(JSON.stringify(args));
            case 'slow': {
              if (token !== undefined) {
                await peer.notify(
                  'notifications/progress',
                  { progressToken: token, progress: 1, total: 2 },
                  related,
                );
              }
              await peer.notify('notifications/message', { level: 'info', data: 'working' }, related);
              await peer.request('ping', undefined, { relatedRequestId: ctx.id });
              return text('slow done');
            }
            case 'reconnect': {
              const t = transport as Transport & { closeRequestStream?: (id: string | number) => boolean };
              const closed = t.closeRequestStream?.(ctx.id) ?? false;
              await sleep(Number(args.delayMs ?? 100));
              await peer.notify('notifications/message', { level: 'info', data: 'after close' }, related);
              return text(`reconnected:${closed}`);
            }
            case 'broadcast':
              await peer.notify('notifications/tools/list_changed');
              return text('sent');
            case 'wait':
              await new Promise<void>((resolve) => {
                const timer = setTimeout(resolve, Number(args.ms ?? 60_000));
                ctx.signal.addEventListener('abort', () => {
                  state.cancelled++;
                  clearTimeout(timer);
                  resolve();
                });
              });
              return text('waited');
            default:
              throw new McpError(-32602, `Unknown tool ${String(params?.name)}`);
          }
        },
      });
      state.transports.push(transport);
      await peer.connect(transport);
      return { close: () => peer.close() };
    },
  };
  return state;
}

/** A handler served on 127.0.0.1 at an ephemeral port. */
export interface Served {
  handler: HttpHandler;
  server: HttpServerHandle;
  /** The MCP endpoint URL. */
  url: string;
  /** The base URL. */
  base: string;
  close(): Promise<void>;
}

/** Serves a handler for `host` with real node:http on an ephemeral loopback port. */
export async function serve(host: SessionHost, options?: HttpHandlerOptions): Promise<Served> {
  const handler = createHttpHandler(host, options);
  const server = await serveHttp(handler, { port: 0 });
  return {
    handler,
    server,
    base: server.url,
    url: `${server.url}${options?.mcpPath ?? '/mcp'}`,
    close: async () => {
      await handler.close();
      await server.close();
    },
  };
}

/** Headers of a well-formed Streamable HTTP POST. */
export const POST_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};

/** An initialize request asking for `revision`. */
export function initializeBody(revision = '2025-11-25', id: number | string = 0): Record<string, unknown> {
  return {
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: revision, capabilities: {}, clientInfo: { name: 'test', version: '1.0.0' } },
  };
}

/** POSTs JSON to a URL. */
export function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { ...POST_HEADERS, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal,
  });
}

/** Reads SSE events from a response until the body ends (or `until` says stop). */
export async function readEvents(
  response: Response,
  until?: (event: SseEvent, all: SseEvent[]) => boolean,
): Promise<{ events: SseEvent[]; retry?: number; comments: string[] }> {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  let retry: number | undefined;
  let stop = false;
  const parser = createParser({
    onEvent: (e) => {
      const ev: SseEvent = { data: e.data };
      if (e.id !== undefined) ev.id = e.id;
      if (e.event !== undefined) ev.event = e.event;
      events.push(ev);
      if (until?.(ev, events)) stop = true;
    },
    onRetry: (ms) => {
      retry = ms;
    },
    onComment: (c) => comments.push(c),
  });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  while (!stop) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.feed(decoder.decode(value, { stream: true }));
  }
  if (stop) await reader.cancel();
  return { events, retry, comments };
}

/** The JSON-RPC messages among SSE events (priming events skipped). */
export function messages(events: SseEvent[]): Record<string, unknown>[] {
  return events.filter((e) => e.data !== '').map((e) => JSON.parse(e.data) as Record<string, unknown>);
}

/** Opens a session: initialize, read its answer, send notifications/initialized. */
export async function openSession(
  url: string,
  revision = '2025-11-25',
): Promise<{ id: string; headers: Record<string, string> }> {
  const res = await post(url, initializeBody(revision));
  const id = res.headers.get('mcp-session-id');
  if (res.status !== 200 || !id) throw new Error(`initialize failed: ${res.status}`);
  await readEvents(res);
  const headers = { 'mcp-session-id': id, 'mcp-protocol-version': revision };
  const ack = await post(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers);
  if (ack.status !== 202) throw new Error(`initialized got ${ack.status}`);
  return { id, headers };
}

/** A tools/call request. */
export function callTool(
  id: number | string,
  name: string,
  args: Record<string, unknown> = {},
  meta?: Record<string, unknown>,
): Record<string, unknown> {
  return {
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name, arguments: args, ...(meta ? { _meta: meta } : {}) },
  };
}

/** Waits until `check` holds, polling (for effects that happen after a response, like cleanup). */
export async function eventually(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for: ${what}`);
    await sleep(10);
  }
}

/** Opens a session's GET stream and keeps it open (a busy session) until the controller aborts. */
export async function holdGetStream(url: string, headers: Record<string, string>): Promise<AbortController> {
  const controller = new AbortController();
  const res = await fetch(url, {
    method: 'GET',
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  if (res.status !== 200) throw new Error(`GET stream got ${res.status}`);
  return controller;
}
