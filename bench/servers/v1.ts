/**
 * The official SDK v1 (`@modelcontextprotocol/sdk`) benchmark server, wired as its documentation
 * shows: McpServer + StdioServerTransport; over HTTP, StreamableHTTPServerTransport with a fresh
 * server and transport per request (stateless, JSON answers) or per session (stateful, SSE answers).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import {
  BIG_BYTES,
  bigText,
  exitOnSignal,
  fillerDescription,
  fillerName,
  listenHttp,
  parseServerArgs,
  readBody,
} from './shared.ts';

const args = parseServerArgs();

const filler = {
  query: z.string().describe('What to look for.'),
  limit: z.number().int().min(1).max(100).optional().describe('Most results to return.'),
  tags: z.array(z.string()).optional().describe('Only documents with these tags.'),
};

/** Builds a server with the shared tools. */
function build(): McpServer {
  const server = new McpServer({ name: 'v1-bench', version: '1.0.0' });
  server.registerTool(
    'echo',
    { description: 'Returns its text argument.', inputSchema: { text: z.string() } },
    async ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  server.registerTool(
    'big',
    {
      description: `Returns ${BIG_BYTES} bytes of text that start with the tag.`,
      inputSchema: { tag: z.string() },
    },
    async ({ tag }) => ({ content: [{ type: 'text', text: bigText(tag) }] }),
  );
  for (let i = 0; i < args.tools - 2; i++) {
    server.registerTool(
      fillerName(i),
      { description: fillerDescription(i), inputSchema: filler },
      async ({ query }) => ({ content: [{ type: 'text', text: query }] }),
    );
  }
  return server;
}

async function stateless(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') {
    res.writeHead(405, { allow: 'POST' }).end();
    return;
  }
  const body: unknown = JSON.parse(await readBody(req));
  const server = build();
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
}

const sessions = new Map<string, StreamableHTTPServerTransport>();

async function stateful(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const id = req.headers['mcp-session-id'];
  const existing = typeof id === 'string' ? sessions.get(id) : undefined;
  if (req.method !== 'POST') {
    if (!existing) res.writeHead(404).end();
    else await existing.handleRequest(req, res);
    return;
  }
  const body: unknown = JSON.parse(await readBody(req));
  if (existing) {
    await existing.handleRequest(req, res, body);
    return;
  }
  if (id !== undefined || !isInitializeRequest(body)) {
    res.writeHead(404).end();
    return;
  }
  const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (sid) => {
      sessions.set(sid, transport);
    },
  });
  transport.onclose = () => {
    if (transport.sessionId) sessions.delete(transport.sessionId);
  };
  await build().connect(transport);
  await transport.handleRequest(req, res, body);
}

if (args.mode === 'stdio') {
  await build().connect(new StdioServerTransport());
  exitOnSignal();
} else if (args.mode === 'http-stateful') {
  listenHttp((req, res) => void stateful(req, res).catch(() => res.destroy()));
} else if (args.mode === 'http-stateless') {
  listenHttp((req, res) => void stateless(req, res).catch(() => res.destroy()));
} else {
  throw new Error('The official SDK v1 does not serve the 2026-07-28 revision.');
}
