/**
 * The HTTP client transports' default fetch when they run on Node: one HTTP/1.1 exchange through
 * `node:http` / `node:https` (their global keep-alive agents), answered as a web `Response`. On Node,
 * the global `fetch` (undici) costs several times the CPU of the exchange itself for a small JSON-RPC
 * call; this path does not. It is reached through `process.getBuiltinModule`, never a static import,
 * so this module loads in browsers, workers, Bun and Deno too, where `nodeFetch()` is undefined and
 * the transports keep the global `fetch`.
 *
 * It stands back (calls the global `fetch`) whenever the application may have configured fetch: the
 * global `fetch` was replaced after this module loaded, an undici global dispatcher other than a
 * plain `Agent` was set (a proxy agent, a mock), or `NODE_USE_ENV_PROXY` asks fetch to honour proxy
 * variables. The transports use it only without a `fetch` option and without `requestInit` options
 * beyond `headers` and `signal`.
 */
import { concatBytes } from '../protocol/index.ts';

/** The shape of `fetch` (as the transports' `FetchLike`). */
type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

/*
 * The few shapes of node:http this file uses, written out so that the transport layer compiles
 * without Node's types (it also runs where there is no Node).
 */
/** A `node:http` response (`IncomingMessage`). */
interface IncomingMessage {
  readonly statusCode?: number;
  readonly statusMessage?: string;
  readonly rawHeaders: string[];
  readonly headers: Record<string, string | string[] | undefined> & { 'content-type'?: string };
  readonly complete: boolean;
  on(event: string, listener: (arg: never) => void): unknown;
  pause(): unknown;
  resume(): unknown;
  destroy(error?: unknown): unknown;
}
/** A `node:http` request (`ClientRequest`). */
interface ClientRequest {
  on(event: 'error', listener: (error: unknown) => void): unknown;
  destroy(error?: unknown): unknown;
  end(body?: string): unknown;
}
/** `node:http` or `node:https`. */
interface Http {
  request(
    url: URL,
    options: { method: string; headers: Record<string, string> },
    callback: (res: IncomingMessage) => void,
  ): ClientRequest;
}
/** What of `process` decides whether this path runs. */
interface NodeProcess {
  readonly versions?: { node?: string; bun?: string };
  readonly env: Record<string, string | undefined>;
  getBuiltinModule?(id: string): unknown;
}

/** undici's registry key for the dispatcher `setGlobalDispatcher` installs. */
const UNDICI_DISPATCHER = Symbol.for('undici.globalDispatcher.1');
/** Statuses whose responses have no body (`new Response` refuses one for them). */
const NULL_BODY = new Set([101, 204, 205, 304]);

const loadedFetch = globalThis.fetch;
let modules: { http: Http; https: Http } | null | undefined;

/** The node:http fetch, or undefined where this is not Node (or too old a Node to reach its modules). */
export function nodeFetch(): FetchLike | undefined {
  if (modules === undefined) modules = loadModules();
  return modules === null ? undefined : fetchOnNode;
}

function loadModules(): { http: Http; https: Http } | null {
  const proc = (globalThis as { process?: NodeProcess }).process;
  if (proc?.versions?.node === undefined || proc.versions.bun !== undefined || 'Deno' in globalThis) {
    return null;
  }
  if (typeof proc.getBuiltinModule !== 'function') return null; // Node < 20.16
  if (proc.env.NODE_USE_ENV_PROXY) return null;
  return {
    http: proc.getBuiltinModule('node:http') as Http,
    https: proc.getBuiltinModule('node:https') as Http,
  };
}

/**
 * Whether the application has configured the global fetch: replaced it since this module loaded, or
 * set a global dispatcher other than a plain `Agent` (fetch installs one of those itself on first
 * use; a `ProxyAgent`, `EnvHttpProxyAgent` or `MockAgent` is the application's).
 */
function fetchConfigured(): boolean {
  if (globalThis.fetch !== loadedFetch) return true;
  const dispatcher = (globalThis as Record<symbol, unknown>)[UNDICI_DISPATCHER];
  return dispatcher != null && (dispatcher as object).constructor?.name !== 'Agent';
}

const fetchOnNode: FetchLike = (input, init) => {
  const url = typeof input === 'string' ? new URL(input) : input;
  const body = init?.body;
  if (
    fetchConfigured() ||
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    (body != null && typeof body !== 'string')
  ) {
    return fetch(input, init);
  }
  return exchange(url, init?.method ?? 'GET', plainHeaders(init?.headers), body ?? undefined, init?.signal);
};

function exchange(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  signal: AbortSignal | null | undefined,
): Promise<Response> {
  const { http, https } = modules as { http: Http; https: Http };
  return new Promise<Response>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let settled = false;
    let request: ClientRequest;
    const onAbort = (): void => {
      request.destroy(signal?.reason);
    };
    const done = (): void => {
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (error: unknown): void => {
      done();
      if (settled) return;
      settled = true;
      reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: error }));
    };
    try {
      request = (url.protocol === 'https:' ? https : http).request(url, { method, headers }, (res) => {
        answer(res, signal, done).then(
          (response) => {
            settled = true;
            resolve(response);
          },
          (error: unknown) => {
            fail(error);
            res.destroy();
          },
        );
      });
    } catch (error) {
      // node:http checks header names and values as it builds the request.
      reject(new TypeError(`fetch failed: ${(error as Error).message}`, { cause: error }));
      return;
    }
    request.on('error', fail);
    signal?.addEventListener('abort', onAbort, { once: true });
    request.end(body);
  });
}

/**
 * The `Response` for an answer: a JSON (or any non-SSE) body is read whole first, an event stream is
 * handed over as a stream, read as it arrives.
 */
function answer(
  res: IncomingMessage,
  signal: AbortSignal | null | undefined,
  done: () => void,
): Promise<Response> {
  const status = res.statusCode ?? 0;
  if (status < 200 || status > 599) {
    return Promise.reject(new Error(`the server answered with HTTP status ${status}, outside 200–599`));
  }
  const init: ResponseInit = {
    status,
    statusText: res.statusMessage ?? '',
    headers: headersOf(res.rawHeaders),
  };
  if (NULL_BODY.has(status)) {
    res.resume();
    done();
    return Promise.resolve(new Response(null, init));
  }
  const type = res.headers['content-type'];
  if (type?.toLowerCase().includes('text/event-stream')) {
    return Promise.resolve(new Response(streamOf(res, signal, done), init));
  }
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array<ArrayBuffer>[] = [];
    res.on('data', (chunk: Uint8Array<ArrayBuffer>) => chunks.push(chunk));
    res.on('end', () => {
      done();
      resolve(
        new Response(
          (chunks.length === 1 ? chunks[0] : concatBytes(chunks)) as Uint8Array<ArrayBuffer>,
          init,
        ),
      );
    });
    res.on('error', reject);
    res.on('close', () => {
      if (!res.complete)
        reject(signal?.aborted ? signal.reason : new Error('the connection closed mid-body'));
    });
  });
}

/** A body stream over the response, pausing the socket while the reader is behind. */
function streamOf(
  res: IncomingMessage,
  signal: AbortSignal | null | undefined,
  done: () => void,
): ReadableStream<Uint8Array> {
  let ended = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      res.on('data', (chunk: Uint8Array) => {
        controller.enqueue(chunk);
        if ((controller.desiredSize ?? 1) <= 0) res.pause();
      });
      res.on('end', () => {
        ended = true;
        done();
        controller.close();
      });
      res.on('error', () => {});
      res.on('close', () => {
        done();
        if (ended) return;
        ended = true;
        controller.error(
          signal?.aborted ? signal.reason : new TypeError('terminated: the connection closed mid-stream'),
        );
      });
    },
    pull() {
      res.resume();
    },
    cancel() {
      ended = true;
      done();
      res.destroy();
    },
  });
}

function headersOf(raw: string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  return headers;
}

function plainHeaders(init: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (init === undefined) return out;
  if (init instanceof Headers) {
    init.forEach((value, name) => {
      out[name] = value;
    });
  } else if (Array.isArray(init)) {
    for (const [name, value] of init) out[name.toLowerCase()] = value as string;
  } else {
    for (const [name, value] of Object.entries(init)) out[name.toLowerCase()] = value;
  }
  return out;
}
