/**
 * node:http adapters for a web-standard handler: `toNodeHandler` turns it into a request listener,
 * `serveHttp` listens on a port (127.0.0.1 by default). A request body that has arrived by the time
 * the handler is called is handed over as bytes, a later one as a stream; JSON answers are written
 * in one piece, other bodies (SSE) streamed as they come; a client that goes away aborts the
 * Request's signal.
 */

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  deferBodies,
  jsonAnswerFields,
  jsonBodyText,
  PROVIDED_BODIES,
  provideBody,
  provideClientAddress,
  provideDeparture,
  sseConnectionOf,
} from '../http/adapter.ts';
import type { SseConnection, SseSink } from '../http/index.ts';
import { ClientDeparture } from './departure.ts';
import { lightRequest } from './light-request.ts';

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

/** A Host header that can be put in front of the path as it is: a name or IPv4/IPv6 address, a port. */
const PLAIN_HOST = /^(?:[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

const EMPTY = new Uint8Array(0);

/**
 * The last Host a URL parser accepted: whether `scheme://host/path` parses depends on the host alone
 * (a path-absolute path is percent-encoded, never refused), and nearly every request of a server
 * names the same host.
 */
let parsedHost = '';

/** The request's absolute URL, resolved the way `new URL(path, scheme://host)` does. */
function requestUrl(req: IncomingMessage): string {
  const scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  const path = req.url ?? '/';
  const host = req.headers.host;
  if (host !== undefined && PLAIN_HOST.test(host) && isPlainPath(path)) {
    const url = `${scheme}://${host}${path}`; // as resolving the path against the host gives it
    if (host === parsedHost) return url;
    if (URL.canParse(url)) {
      parsedHost = host;
      return url;
    }
  }
  try {
    return new URL(path, `${scheme}://${host ?? 'localhost'}`).href;
  } catch {
    return new URL(path.startsWith('/') ? path : '/', `${scheme}://localhost`).href;
  }
}

/** A path-absolute target (`/x`, not `//x` or `/\x`, which a URL parser reads as a host). */
function isPlainPath(path: string): boolean {
  if (path.charCodeAt(0) !== 47) return false;
  const second = path.charCodeAt(1);
  return second !== 47 && second !== 92;
}

/** The request's headers as [name, value] pairs, HTTP/2 pseudo-headers left out. */
function headerPairs(req: IncomingMessage): [string, string][] {
  const raw = req.rawHeaders;
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.charCodeAt(0) === 58) continue; // ':' starts an HTTP/2 pseudo-header
    pairs.push([name, raw[i + 1] as string]);
  }
  return pairs;
}

/**
 * Builds the Request; its signal aborts when the client goes away. For a handler marked
 * PROVIDED_BODIES (mcpkit's own) whose request has no body or one that has fully arrived, a light
 * stand-in is made instead, the bytes and the signal handed over beside it: parsing the URL again,
 * copying the headers and linking a second signal are the dearest parts of a Request.
 */
function toRequest(
  req: IncomingMessage,
  departure: ClientDeparture,
  body: Uint8Array | IncomingMessage | null,
  provided: boolean,
): Request {
  if (provided && body !== req) {
    const request = lightRequest(req, requestUrl(req), departure);
    if (body !== null) provideBody(request, body as Uint8Array);
    provideDeparture(request, departure);
    deferBodies(request);
    return request;
  }
  const init: RequestInit & { duplex?: 'half' } = {
    method: req.method ?? 'GET',
    headers: headerPairs(req),
    signal: departure.signal,
  };
  if (body !== null) {
    init.body = body as unknown as BodyInit; // node:http requests are async iterables of bytes
    if (body === req) init.duplex = 'half';
  }
  const request = new Request(requestUrl(req), init);
  deferBodies(request);
  provideClientAddress(request, req.socket.remoteAddress);
  return request;
}

/**
 * The whole body if it has already arrived, else null. node:http parses everything a socket read
 * brought before it returns, so one tick after the `request` event a body that came along with its
 * headers (or right after them) is buffered in `req`: `complete`, or as long as Content-Length says.
 */
function arrivedBody(req: IncomingMessage): Uint8Array | null {
  if (!req.complete) {
    const declared = req.headers['content-length'];
    if (declared === undefined || req.readableLength < Number(declared)) return null;
  }
  const first = req.read() as Buffer | null;
  if (first === null) return EMPTY;
  const next = req.read() as Buffer | null;
  if (next === null) return first;
  const chunks = [first, next];
  for (let chunk = req.read() as Buffer | null; chunk !== null; chunk = req.read() as Buffer | null) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Whether a Content-Type names JSON (`application/json`, `application/*+json`): one complete value. */
function isJson(type: string): boolean {
  const semi = type.indexOf(';');
  const essence = (semi < 0 ? type : type.slice(0, semi)).trim().toLowerCase();
  return essence === 'application/json' || (essence.startsWith('application/') && essence.endsWith('+json'));
}

/**
 * Writes the handler's Response: status and headers in one `writeHead`; a JSON body (complete once
 * produced) gathered and sent with its Content-Length in one `end`; any other body streamed chunk by
 * chunk as it comes, with backpressure, cancelled when the client goes away.
 */
function writeResponse(response: Response, res: ServerResponse): Promise<void> | undefined {
  const fields = jsonAnswerFields(response);
  const text = jsonBodyText(response);
  if (fields !== undefined && text !== undefined) {
    const flat: string[] = [];
    for (const name in fields) flat.push(name, fields[name] as string);
    flat.push('content-length', String(Buffer.byteLength(text)));
    res.writeHead(response.status, flat).end(text);
    return undefined;
  }
  const flat: string[] = [];
  let type = '';
  let length = false;
  response.headers.forEach((value, name) => {
    flat.push(name, value); // Set-Cookie comes once per cookie
    if (name === 'content-type') type = value;
    else if (name === 'content-length') length = true;
  });
  if (text !== undefined) {
    if (!length) flat.push('content-length', String(Buffer.byteLength(text)));
    res.writeHead(response.status, flat).end(text);
    return undefined;
  }
  const body = response.body;
  if (!body) {
    const conn = sseConnectionOf(response);
    res.writeHead(response.status, flat);
    if (conn) pipeSse(conn, res);
    else res.end();
    return undefined;
  }
  if (isJson(type)) {
    return readAll(body).then((bytes) => {
      if (!length) flat.push('content-length', String(bytes.byteLength));
      res.writeHead(response.status, flat).end(bytes);
    });
  }
  res.writeHead(response.status, flat);
  return streamBody(body, res);
}

/**
 * Writes an SSE connection straight to the response: the writes of one tick joined into one
 * (with the headers, if they have not gone yet); the connection ends when the client goes away.
 */
function pipeSse(conn: SseConnection, res: ServerResponse): void {
  res.once('close', () => conn.end());
  const sink = new ResponseSink(res);
  conn.pipe(sink);
  if (!sink.queued && !res.writableEnded) res.flushHeaders();
}

/**
 * An SSE connection's sink on a node:http response. A class rather than closures: a GET stream
 * lives as long as its session, and an idle session should hold little.
 */
class ResponseSink implements SseSink {
  readonly #res: ServerResponse;
  #queued: string | undefined;

  constructor(res: ServerResponse) {
    this.#res = res;
  }

  /** Whether text is waiting for the end of the tick. */
  get queued(): boolean {
    return this.#queued !== undefined;
  }

  write(text: string): void {
    if (this.#queued === undefined) {
      this.#queued = text;
      process.nextTick(flushSink, this);
    } else this.#queued += text;
  }

  end(): void {
    this.flush();
    const res = this.#res;
    if (!res.writableEnded && !res.destroyed) res.end();
  }

  backlog(): number {
    return this.#res.writableLength + (this.#queued?.length ?? 0);
  }

  /** Writes what the tick queued. */
  flush(): void {
    const text = this.#queued;
    this.#queued = undefined;
    const res = this.#res;
    if (text !== undefined && !res.writableEnded && !res.destroyed) res.write(text);
  }
}

function flushSink(sink: ResponseSink): void {
  sink.flush();
}

async function readAll(body: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const reader = body.getReader();
  const first = await reader.read();
  if (first.done) return new Uint8Array(0);
  let next = await reader.read();
  if (next.done) return first.value;
  const chunks = [first.value];
  while (!next.done) {
    chunks.push(next.value);
    next = await reader.read();
  }
  return Buffer.concat(chunks);
}

async function streamBody(body: ReadableStream<Uint8Array>, res: ServerResponse): Promise<void> {
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

function failed(res: ServerResponse): void {
  if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal server error');
  else res.destroy();
}

/**
 * Tells `departure` when the response closes before it finished. Its own function, so that the
 * listener (which a GET stream keeps as long as its session) holds these two and not the request's.
 */
function watchDeparture(res: ServerResponse, departure: ClientDeparture): void {
  res.once('close', () => {
    if (!res.writableFinished) departure.depart();
  });
}

/** Adapts a web-standard handler to node:http. */
export function toNodeHandler(handler: FetchHandler): NodeListener {
  const provided = (handler as { [PROVIDED_BODIES]?: boolean })[PROVIDED_BODIES] === true;
  return (req, res) => {
    const departure = new ClientDeparture();
    watchDeparture(res, departure);
    const serve = (body: Uint8Array | IncomingMessage | null) => {
      let request: Request;
      try {
        request = toRequest(req, departure, body, provided);
      } catch {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('Bad request');
        return;
      }
      let answer: Promise<Response>;
      try {
        answer = handler(request);
      } catch {
        failed(res);
        return;
      }
      answer.then((response) => writeResponse(response, res)).catch(() => failed(res));
    };
    const method = req.method;
    if (method === 'GET' || method === 'HEAD') serve(null);
    else process.nextTick(() => serve(arrivedBody(req) ?? req));
  };
}

/**
 * Serves a web-standard handler with node:http; resolves once listening. node:http is loaded here,
 * not with this module: it is the dearest module a stdio server would otherwise load (≈ 25 ms).
 */
export async function serveHttp(
  handler: FetchHandler,
  options: ServeHttpOptions = {},
): Promise<HttpServerHandle> {
  const { createServer } = await import('node:http');
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
