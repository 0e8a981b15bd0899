/**
 * The official SDK v2 (`@modelcontextprotocol/server`) benchmark server, wired as its documentation
 * shows: `serveStdio(factory)` over stdio; over HTTP, WebStandardStreamableHTTPServerTransport with a
 * fresh server per request (stateless, JSON answers) or per session (stateful, SSE answers), and
 * `createMcpHandler(factory)` for the 2026-07-28 revision. The fetch handlers run on node:http through
 * `@hono/node-server` (what the SDK's own Node adapter package builds on; v1 uses it internally too).
 */
import { randomUUID } from 'node:crypto';
import { getRequestListener } from '@hono/node-server';
import {
  createMcpHandler,
  isInitializeRequest,
  McpServer,
  WebStandardStreamableHTTPServerTransport,
} from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';
import {
  BIG_BYTES,
  bigText,
  exitOnSignal,
  fillerDescription,
  fillerName,
  type Listener,
  listenHttp,
  parseServerArgs,
} from './shared.ts';

const args = parseServerArgs();

const filler = z.object({
  query: z.string().describe('What to look for.'),
  limit: z.number().int().min(1).max(100).optional().describe('Most results to return.'),
  tags: z.array(z.string()).optional().describe('Only documents with these tags.'),
});

/** Builds a server with the shared tools. */
function build(): McpServer {
  const server = new McpServer({ name: 'v2-bench', version: '1.0.0' });
  server.registerTool(
    'echo',
    { description: 'Returns its text argument.', inputSchema: z.object({ text: z.string() }) },
    async ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  server.registerTool(
    'big',
    {
      description: `Returns ${BIG_BYTES} bytes of text that start with the tag.`,
      inputSchema: z.object({ tag: z.string() }),
    },
    async ({ tag }) => ({ content: [{ type: 'text', text: bigText(tag) }] }),
  );
  for (let i = 0; i < args.tools - 2; i++) {
    server.registerTool(
      fillerName(i),
      { description: fillerDescription(i), inputSchema: filler },
      async ({ query }) => ({
        content: [{ type: 'text', text: query }],
      }),
    );
  }
  return server;
}

function node(fetch: (request: Request) => Promise<Response>): Listener {
  const listener = getRequestListener(fetch);
  return (req, res) => void listener(req, res);
}

async function stateless(request: Request): Promise<Response> {
  if (request.method !== 'POST') return new Response(null, { status: 405, headers: { allow: 'POST' } });
  const server = build();
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  await server.connect(transport);
  const response = await transport.handleRequest(request);
  setImmediate(() => {
    void transport.close();
    void server.close();
  });
  return response;
}

const sessions = new Map<string, WebStandardStreamableHTTPServerTransport>();

async function stateful(request: Request): Promise<Response> {
  const id = request.headers.get('mcp-session-id');
  const existing = id === null ? undefined : sessions.get(id);
  if (request.method !== 'POST') {
    return existing ? existing.handleRequest(request) : new Response(null, { status: 404 });
  }
  const body: unknown = await request.json();
  if (existing) return existing.handleRequest(request, { parsedBody: body });
  if (id !== null || !isInitializeRequest(body)) return new Response(null, { status: 404 });
  const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (sid) => {
      sessions.set(sid, transport);
    },
  });
  transport.onclose = () => {
    if (transport.sessionId) sessions.delete(transport.sessionId);
  };
  await build().connect(transport);
  return transport.handleRequest(request, { parsedBody: body });
}

if (args.mode === 'stdio') {
  serveStdio(() => build());
  exitOnSignal();
} else if (args.mode === 'http-stateful') {
  listenHttp(node(stateful));
} else if (args.mode === 'http-stateless') {
  listenHttp(node(stateless));
} else {
  const handler = createMcpHandler(() => build());
  listenHttp(node((request) => handler.fetch(request)));
}
