/**
 * The inspector's web server: node:http on 127.0.0.1 only, every path under the session token,
 * the page's files, a small JSON API and one event stream. See docs/INSPECTOR.md for the threat
 * model this code answers.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpError } from '../../protocol/index.ts';
import { CliError, UsageError } from '../errors.ts';
import { AskBoard } from './asks.ts';
import { EventHub } from './events.ts';
import { newSessionToken, refusalOf, SECURITY_HEADERS, tokenMatches } from './guard.ts';
import { RunningCalls } from './operations.ts';
import { type ConnectSpec, InspectSession, type SessionDefaults } from './session.ts';

/** The page's files, and their content types. */
const PAGE_FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'inspector.css': 'text/css; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'api.js': 'text/javascript; charset=utf-8',
  'dom.js': 'text/javascript; charset=utf-8',
  'form.js': 'text/javascript; charset=utf-8',
  'render.js': 'text/javascript; charset=utf-8',
  'panels.js': 'text/javascript; charset=utf-8',
  'asks.js': 'text/javascript; charset=utf-8',
  'message-log.js': 'text/javascript; charset=utf-8',
};

const MAX_BODY = 4 * 1024 * 1024;

/** Options of `startInspector`. */
export interface InspectorOptions extends SessionDefaults {
  /** Port on 127.0.0.1 (0 picks a free one). */
  port: number;
  /** Roots offered to the server at first. */
  roots?: Array<{ uri: string; name?: string }>;
  /** The session token (default: a new random one). */
  token?: string;
}

/** A running inspector. */
export interface Inspector {
  /** The page's address, token included. */
  readonly url: string;
  /** The connection the page drives. */
  readonly session: InspectSession;
  /** Stops serving and closes the connection. */
  close(): Promise<void>;
}

/** Starts the inspector's server on 127.0.0.1. */
export async function startInspector(options: InspectorOptions): Promise<Inspector> {
  const token = options.token ?? newSessionToken();
  const files = loadPage();
  const hub = new EventHub();
  const board = new AskBoard(hub, options.roots ?? []);
  const session = new InspectSession(hub, board, options);
  const calls = new RunningCalls();
  let port = 0;
  const api = apiRoutes(session, board, calls, hub);

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error) => sendError(res, error));
  });
  server.requestTimeout = 0;
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'POST') {
      return sendJson(res, 405, { error: { message: 'Only GET and POST are answered.' } });
    }
    const refusal = refusalOf(req, port, method === 'POST');
    if (refusal) return sendJson(res, refusal.status, { error: { message: refusal.message } });
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const [, given = '', ...rest] = path.split('/');
    if (!tokenMatches(given, token)) {
      return sendJson(res, 403, {
        error: { message: 'Open the address the inspector printed: it carries the session token.' },
      });
    }
    const name = rest.join('/') || 'index.html';
    if (method === 'GET' && Object.hasOwn(files, name)) {
      const file = files[name] as { type: string; body: Buffer };
      res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': file.type });
      res.end(file.body);
      return;
    }
    const route = `${method} ${name}`;
    if (route === 'GET api/events') return hub.open(res);
    const handler = Object.hasOwn(api, route) ? api[route] : undefined;
    if (!handler) return sendJson(res, 404, { error: { message: `Nothing at ${method} /…/${name}.` } });
    const body = method === 'POST' ? await readJson(req) : {};
    sendJson(res, 200, await handler(body));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/${token}/`,
    session,
    close: async () => {
      await session.disconnect();
      hub.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

type Route = (body: Record<string, unknown>) => Promise<unknown>;

function apiRoutes(session: InspectSession, board: AskBoard, calls: RunningCalls, hub: EventHub) {
  const routes: Record<string, Route> = {
    'GET api/state': async () => ({ ...session.state(), auth: await session.authStatus() }),
    'POST api/connect': (body) => session.connect(body as ConnectSpec),
    'POST api/disconnect': async () => {
      await session.disconnect();
      return {};
    },
    'POST api/request': async (body) => {
      const op = String(body.op ?? '');
      const callId = typeof body.callId === 'string' ? body.callId : undefined;
      const params = (body.params ?? {}) as Record<string, unknown>;
      const started = Date.now();
      const result = await calls.run(session.client, op, params, callId, (progress) =>
        hub.emit('progress', { callId, progress }, false),
      );
      return { result, ms: Date.now() - started };
    },
    'POST api/cancel': async (body) => ({ cancelled: calls.cancel(String(body.callId ?? '')) }),
    'POST api/answer': async (body) => {
      if (!board.answer(body as never)) throw new UsageError('That request is no longer waiting.');
      return {};
    },
    'POST api/roots': async (body) => {
      board.roots = rootsOf(body.roots);
      const state = session.state();
      if (state.connected && (state.capabilities as object | undefined) !== undefined) {
        await session.client.sendRootsListChanged().catch(() => {});
      }
      return { roots: board.roots };
    },
    'GET api/auth': () => session.authStatus(),
    'POST api/logout': async () => {
      await session.logout();
      return session.authStatus();
    },
  };
  return routes;
}

/** Checks the roots the page sends: a list of `{ uri, name? }` with file: (or other) URIs. */
function rootsOf(value: unknown): Array<{ uri: string; name?: string }> {
  if (!Array.isArray(value)) throw new UsageError("'roots' must be a list of { uri, name }.");
  return value.map((root, i) => {
    const r = root as { uri?: unknown; name?: unknown };
    if (typeof r?.uri !== 'string' || !URL.canParse(r.uri)) {
      throw new UsageError(`Root ${i + 1} needs a URI such as file:///home/me/project.`);
    }
    return typeof r.name === 'string' && r.name !== '' ? { uri: r.uri, name: r.name } : { uri: r.uri };
  });
}

function loadPage(): Record<string, { type: string; body: Buffer }> {
  const dir = new URL('./page/', import.meta.url);
  const files: Record<string, { type: string; body: Buffer }> = {};
  for (const [name, type] of Object.entries(PAGE_FILES)) {
    files[name] = { type, body: readFileSync(new URL(name, dir)) };
  }
  return files;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new UsageError('The request body is larger than 4 MB.');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError('The request body is not JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError('The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(value));
}

function sendError(res: ServerResponse, error: unknown): void {
  if (error instanceof McpError) {
    sendJson(res, 502, {
      error: {
        message: `The server answered with error ${error.code}: ${error.message}`,
        code: error.code,
        data: error.data,
      },
    });
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  const details = error instanceof CliError ? error.details : undefined;
  sendJson(res, error instanceof UsageError ? 400 : 502, { error: { message, details } });
}
