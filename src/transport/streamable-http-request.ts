/**
 * The HTTP side shared by the client transports (Streamable HTTP and HTTP+SSE): the injectable fetch,
 * header assembly, error statuses, and the JSON-RPC error answers that stand in for a failed POST.
 */
import {
  ErrorCode,
  type ErrorObject,
  type JsonRpcResponse,
  LocalError,
  type RequestId,
} from '../protocol/index.ts';
import { describeBody, NOT_MCP_ADVICE } from './http-failure.ts';
import { nodeFetch } from './node-fetch.ts';

/** The fetch function a transport calls; defaults to the global `fetch`. */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** Extra headers for every HTTP request: fixed, or computed per request (e.g. a fresh bearer token). */
export type HeadersOption = HeadersInit | (() => HeadersInit | Promise<HeadersInit>);

/** Options shared by the HTTP client transports. */
export interface HttpClientBaseOptions {
  /** The fetch implementation (default: the global `fetch`). */
  fetch?: FetchLike;
  /** Extra headers sent on every request; a function is called before each request. */
  headers?: HeadersOption;
  /** Further fetch options (credentials, mode, …); method, body and signal are set by the transport. */
  requestInit?: RequestInit;
  /**
   * Called on HTTP 401 or 403. Resolve `true` after refreshing credentials (e.g. what `headers`
   * returns) to have the request sent once more; `false` lets the failure stand.
   */
  onUnauthorized?: (response: Response) => Promise<boolean>;
  /** Called for failures that no caller is waiting on (a background stream, a dropped reconnection). */
  onerror?: (error: Error) => void;
}

/**
 * An HTTP response with an error status: a local failure (the request got no MCP answer), unless its
 * body carried a JSON-RPC error, which `toResponse` then delivers as the server's answer.
 */
export class HttpStatusError extends LocalError {
  /** The HTTP status code. */
  readonly status: number;
  /** The start of the response body (at most 64 KiB). */
  readonly body: string;
  /** The JSON-RPC error the body carried, if it was a JSON-RPC error response. */
  readonly rpcError: ErrorObject | undefined;

  constructor(method: string, url: URL, status: number, statusText: string, body: string) {
    const rpcError = rpcErrorIn(body);
    const page = rpcError ? undefined : describeBody(body);
    const detail = rpcError
      ? `: ${rpcError.message}`
      : page?.startsWith('an HTML page')
        ? ` with ${page}; ${NOT_MCP_ADVICE}`
        : body
          ? `: ${body.slice(0, 200)}`
          : '';
    super(`${method} ${url.href} answered HTTP ${status}${statusText ? ` ${statusText}` : ''}${detail}`);
    this.name = 'HttpStatusError';
    this.status = status;
    this.body = body;
    this.rpcError = rpcError;
  }

  /** Reads (the start of) the body of `response` and builds the error. */
  static async from(method: string, url: URL, response: Response): Promise<HttpStatusError> {
    const body = await readTextBounded(response, 64 * 1024).catch(() => '');
    return new HttpStatusError(method, url, response.status, response.statusText, body);
  }

  /** The JSON-RPC error response that answers request `id` in place of the missing answer. */
  toResponse(id: RequestId): JsonRpcResponse {
    const error: ErrorObject = this.rpcError ?? {
      code: ErrorCode.InternalError,
      message: this.message,
      data: { httpStatus: this.status },
    };
    return { jsonrpc: '2.0', id, error };
  }
}

function rpcErrorIn(body: string): ErrorObject | undefined {
  if (!body.trimStart().startsWith('{')) return undefined;
  try {
    const value = JSON.parse(body) as { jsonrpc?: unknown; error?: { code?: unknown; message?: unknown } };
    const e = value.error;
    if (value.jsonrpc !== '2.0' || typeof e !== 'object' || e === null) return undefined;
    if (typeof e.code !== 'number' || typeof e.message !== 'string') return undefined;
    return e as ErrorObject;
  } catch {
    return undefined;
  }
}

/** Reads at most `limit` characters of a body, then stops reading it. */
export async function readTextBounded(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < limit) {
      const { done, value } = await reader.read();
      if (done) return text + decoder.decode();
      text += decoder.decode(value, { stream: true });
    }
    await reader.cancel();
    return text.slice(0, limit);
  } finally {
    reader.releaseLock();
  }
}

/** Drops a response body that will not be read, so the connection can be reused. */
export function discardBody(response: Response): void {
  if (response.body && !response.bodyUsed) response.body.cancel().catch(() => {});
}

/** The JSON-RPC error response for request `id` when no answer can come (a lost stream, a failed send). */
export function localErrorResponse(id: RequestId, message: string): JsonRpcResponse {
  return { jsonrpc: '2.0', id, error: { code: ErrorCode.InternalError, message } };
}

/** The global fetch, looked up when called (so that it can be replaced later). */
export const globalFetch: FetchLike = (input, init) => fetch(input, init);

/** `requestInit` options the node:http path honours; any other one is fetch's to interpret. */
const PLAIN_INIT = new Set(['headers', 'signal']);

/**
 * The fetch a transport calls: the `fetch` option; else, on Node and with no `requestInit` option
 * other than `headers` and `signal`, the node:http path (src/transport/node-fetch.ts); else the
 * global `fetch`.
 */
export function defaultFetch(options: HttpClientBaseOptions): FetchLike {
  if (options.fetch) return options.fetch;
  const init = options.requestInit;
  if (init && Object.keys(init).some((key) => !PLAIN_INIT.has(key))) return globalFetch;
  return nodeFetch() ?? globalFetch;
}

/**
 * Builds the headers of one request: `requestInit.headers`, then the `headers` option, then the
 * transport's own (which win).
 */
export async function buildHeaders(
  options: HttpClientBaseOptions,
  own: Record<string, string | undefined>,
): Promise<Headers> {
  const headers = new Headers(options.requestInit?.headers);
  const extra = typeof options.headers === 'function' ? await options.headers() : options.headers;
  if (extra) {
    new Headers(extra).forEach((value, name) => {
      headers.set(name, value);
    });
  }
  for (const [name, value] of Object.entries(own)) {
    if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

/** Combines the transport's abort signal with the one in `requestInit`, if any. */
export function combinedSignal(own: AbortSignal, options: HttpClientBaseOptions): AbortSignal {
  const theirs = options.requestInit?.signal;
  return theirs ? AbortSignal.any([own, theirs]) : own;
}

/**
 * Runs one HTTP exchange, asking `onUnauthorized` once on 401/403 and re-running it (with headers
 * rebuilt) when the hook says so.
 */
export async function fetchWithAuthRetry(
  options: HttpClientBaseOptions,
  run: () => Promise<Response>,
): Promise<Response> {
  const response = await run();
  if ((response.status !== 401 && response.status !== 403) || !options.onUnauthorized) return response;
  const retry = await options.onUnauthorized(response);
  if (!retry) return response;
  discardBody(response);
  return run();
}
