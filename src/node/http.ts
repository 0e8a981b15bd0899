/**
 * node:http adapters for a web-standard handler: `toNodeHandler` turns it into a request listener,
 * `serveHttp` listens on a port (127.0.0.1 by default). Response bodies are streamed as they come,
 * and a client that goes away aborts the Request's signal.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A web-standard handler: what `createHttpHandler` returns. */
export type FetchHandler = (request: Request) => Promise<Response>;

/** A node:http request listener. */
export type NodeListener = (req: IncomingMessage, res: ServerResponse) => void;

/** Options of `serveHttp`. */
export interface ServeHttpOptions {
  /** Port to listen on (default 3000; 0 picks a free one). */
  port?: number;
  /** Address to bind (default 127.0.0.1, the loopback interface only). */
  host?: string;
  /**
   * How long an idle kept-alive connection stays open, ms (default 65,000: longer than the idle
   * timeouts of common clients and load balancers, so that they close first and never reuse a
   * socket the server is closing).
   */
  keepAliveTimeout?: number;
  /** How long a request may take to arrive in full, ms (default 300,000, Node's own). */
  requestTimeout?: number;
}

/** A listening server. */
export interface HttpServerHandle {
  /** The base URL, e.g. `http://127.0.0.1:3000`. */
  readonly url: string;
  /** The port actually bound. */
  readonly port: number;
  /** The node:http server. */
  readonly server: Server;
  /** Stops listening and drops every open connection. */
  close(): Promise<void>;
}

/** Builds the Request for a node:http request; its signal aborts when the client goes away. */
function toRequest(req: IncomingMessage, signal: AbortSignal): Request {
  const scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  const path = req.url ?? '/';
  let url: URL;
  try {
    url = new URL(path, `${scheme}://${req.headers.host ?? 'localhost'}`);
  } catch {
    url = new URL(path.startsWith('/') ? path : '/', `${scheme}://localhost`);
  }
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.startsWith(':')) continue; // HTTP/2 pseudo-headers
    headers.append(name, raw[i + 1] as string);
  }
  const method = req.method ?? 'GET';
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal };
  if (method !== 'GET' && method !== 'HEAD') {
    init.body = req as unknown as BodyInit; // node:http requests are async iterables of bytes
    init.duplex = 'half';
  }
  return new Request(url, init);
}

async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  res.writeHead(response.status, headers);
  const body = response.body;
  if (!body) {
    res.end();
    return;
  }
  res.flushHeaders();
  const reader = body.getReader();
  const cancel = () => void reader.cancel().catch(() => {});
  res.once('close', cancel);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await drained(res);
      if (res.destroyed) break;
    }
    res.end();
  } catch {
    res.destroy();
  } finally {
    res.off('close', cancel);
  }
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Adapts a web-standard handler to node:http. */
export function toNodeHandler(handler: FetchHandler): NodeListener {
  return (req, res) => {
    const controller = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) controller.abort(new Error('The client closed the connection.'));
    });
    let request: Request;
    try {
      request = toRequest(req, controller.signal);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('Bad request');
      return;
    }
    handler(request)
      .then((response) => writeResponse(response, res))
      .catch(() => {
        if (!res.headersSent)
          res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal server error');
        else res.destroy();
      });
  };
}

/** Serves a web-standard handler with node:http; resolves once listening. */
export function serveHttp(handler: FetchHandler, options: ServeHttpOptions = {}): Promise<HttpServerHandle> {
  const server = createServer(toNodeHandler(handler));
  server.keepAliveTimeout = options.keepAliveTimeout ?? 65_000;
  server.headersTimeout = Math.max(server.headersTimeout, server.keepAliveTimeout + 1000);
  if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout;
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, host, () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      const shown = host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `http://${shown}:${port}`,
        port,
        server,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
