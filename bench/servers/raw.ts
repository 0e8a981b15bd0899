/**
 * The raw baseline: no SDK. Over stdio, newline-delimited JSON on the same pipes; over HTTP, a bare
 * node:http handler doing JSON.parse and JSON.stringify (JSON answers, or one SSE event per answer
 * with a session id in stateful mode). It answers initialize, ping, tools/list and tools/call, and in
 * stateful mode holds a session's standalone GET stream open (the least a server must do to offer one).
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import {
  BIG_BYTES,
  bigText,
  exitOnSignal,
  FILLER_JSON_SCHEMA,
  fillerDescription,
  fillerName,
  listenHttp,
  parseServerArgs,
  readBody,
} from './shared.ts';

interface Message {
  jsonrpc: '2.0';
  id?: string | number;
  method?: string;
  params?: { name?: string; arguments?: Record<string, unknown>; protocolVersion?: string };
}

const args = parseServerArgs();

const tools: object[] = [
  {
    name: 'echo',
    description: 'Returns its text argument.',
    inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  },
  {
    name: 'big',
    description: `Returns ${BIG_BYTES} bytes of text that start with the tag.`,
    inputSchema: { type: 'object', properties: { tag: { type: 'string' } }, required: ['tag'] },
  },
];
for (let i = 0; i < args.tools - 2; i++) {
  tools.push({ name: fillerName(i), description: fillerDescription(i), inputSchema: FILLER_JSON_SCHEMA });
}

/** The answer to one message, or undefined for a notification. */
function answer(message: Message): object | undefined {
  const id = message.id;
  if (id === undefined) return undefined;
  const p = message.params;
  switch (message.method) {
    case 'initialize':
      return {
        jsonrpc: '2.0',
        id,
        result: {
          protocolVersion: p?.protocolVersion ?? '2025-06-18',
          capabilities: { tools: {} },
          serverInfo: { name: 'raw', version: '1.0.0' },
        },
      };
    case 'ping':
      return { jsonrpc: '2.0', id, result: {} };
    case 'tools/list':
      return { jsonrpc: '2.0', id, result: { tools } };
    case 'tools/call': {
      const a = p?.arguments ?? {};
      if (p?.name === 'echo' && typeof a.text === 'string') {
        return { jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: a.text }] } };
      }
      if (p?.name === 'big' && typeof a.tag === 'string') {
        return { jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: bigText(a.tag) }] } };
      }
      return { jsonrpc: '2.0', id, error: { code: -32602, message: 'Unknown tool or bad arguments' } };
    }
    default:
      return { jsonrpc: '2.0', id, error: { code: -32601, message: 'Method not found' } };
  }
}

function serveStdio(): void {
  let parts: string[] = [];
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    // Only the new chunk is searched for newlines, so a long line costs linear time.
    let start = 0;
    let newline = chunk.indexOf('\n');
    while (newline !== -1) {
      parts.push(chunk.slice(start, newline));
      const line = parts.length === 1 ? parts[0] : parts.join('');
      parts = [];
      const out = answer(JSON.parse(line) as Message);
      if (out) process.stdout.write(JSON.stringify(out) + '\n');
      start = newline + 1;
      newline = chunk.indexOf('\n', start);
    }
    if (start < chunk.length) parts.push(chunk.slice(start));
  });
  process.stdin.on('end', () => process.exit(0));
  exitOnSignal();
}

interface RawSession {
  created: number;
  /** The open GET stream, where the server could send its own messages. */
  stream?: ServerResponse;
}

function serveHttp(stateful: boolean): void {
  const sessions = new Map<string, RawSession>();
  listenHttp((req, res) => {
    if (req.method === 'GET' && stateful) {
      const session = sessions.get(String(req.headers['mcp-session-id']));
      if (!session || session.stream) {
        res.writeHead(session ? 409 : 404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.flushHeaders();
      session.stream = res;
      res.once('close', () => {
        session.stream = undefined;
      });
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: stateful ? 'GET, POST' : 'POST' }).end();
      return;
    }
    readBody(req).then((text) => {
      const message = JSON.parse(text) as Message;
      const headers: Record<string, string> = {};
      if (stateful) {
        if (message.method === 'initialize') {
          const id = randomUUID();
          sessions.set(id, { created: Date.now() });
          headers['mcp-session-id'] = id;
        } else if (!sessions.has(String(req.headers['mcp-session-id']))) {
          res.writeHead(404).end();
          return;
        }
      }
      const out = answer(message);
      if (!out) {
        res.writeHead(202, headers).end();
        return;
      }
      if (stateful) {
        headers['content-type'] = 'text/event-stream';
        res.writeHead(200, headers).end(`event: message\ndata: ${JSON.stringify(out)}\n\n`);
      } else {
        headers['content-type'] = 'application/json';
        res.writeHead(200, headers).end(JSON.stringify(out));
      }
    });
  });
}

if (args.mode === 'stdio') serveStdio();
else serveHttp(args.mode === 'http-stateful');
