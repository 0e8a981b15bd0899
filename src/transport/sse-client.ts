/**
 * The HTTP+SSE client transport of the 2024-11-05 revision: a GET opens an SSE stream whose first
 * event, `endpoint`, names the URL to POST messages to; server messages arrive as `message` events.
 */
import { ConnectionClosedError, isRequest, type JsonRpcMessage, LocalError } from '../protocol/index.ts';
import type { Transport, TransportSink } from '../rpc/index.ts';
import { describeBody, describeFetchFailure } from './http-failure.ts';
import { hasMediaType, parseMessages, readSse } from './sse-parse.ts';
import {
  buildHeaders,
  combinedSignal,
  defaultFetch,
  discardBody,
  type FetchLike,
  fetchWithAuthRetry,
  type HttpClientBaseOptions,
  HttpStatusError,
  readTextBounded,
} from './streamable-http-request.ts';

/** Options of an SseClientTransport. */
export interface SseClientOptions extends HttpClientBaseOptions {}

/** A client transport for the HTTP+SSE transport (2024-11-05). */
export class SseClientTransport implements Transport {
  readonly #url: URL;
  readonly #options: SseClientOptions;
  readonly #fetch: FetchLike;
  readonly #closing = new AbortController();
  #sink: TransportSink | undefined;
  #endpoint: URL | undefined;
  #closed = false;

  constructor(url: URL | string, options: SseClientOptions = {}) {
    this.#url = new URL(url);
    this.#options = options;
    this.#fetch = defaultFetch(options);
  }

  /** The SSE URL. */
  get url(): URL {
    return this.#url;
  }

  /** The URL messages are POSTed to, once the server sent it. */
  get endpoint(): URL | undefined {
    return this.#endpoint;
  }

  /**
   * Opens the SSE stream and waits for the `endpoint` event. Rejects if the GET fails, the answer is
   * not an event stream, the endpoint is on another origin, or the stream ends before the event.
   */
  async start(sink: TransportSink): Promise<void> {
    if (this.#sink) throw new Error('This transport is already started; use one transport per connection.');
    this.#sink = sink;
    let response: Response;
    try {
      response = await fetchWithAuthRetry(this.#options, async () =>
        this.#fetch(this.#url, {
          ...this.#options.requestInit,
          redirect: 'manual',
          method: 'GET',
          headers: await buildHeaders(this.#options, { accept: 'text/event-stream' }),
          signal: combinedSignal(this.#closing.signal, this.#options),
        }),
      );
    } catch (error) {
      if (error instanceof LocalError) throw error;
      throw new LocalError(`GET ${this.#url.href} failed: ${describeFetchFailure(error, this.#url)}`, {
        cause: error,
      });
    }
    if (!response.ok) throw await HttpStatusError.from('GET', this.#url, response);
    const type = response.headers.get('content-type');
    if (!hasMediaType(type, 'text/event-stream') || !response.body) {
      const page = describeBody(await readTextBounded(response, 64 * 1024).catch(() => ''));
      throw new LocalError(
        `GET ${this.#url.href} answered with Content-Type ${type ?? '(none)'}${page ? ` (${page})` : ''}, not an SSE stream; this is not an HTTP+SSE MCP endpoint: check the URL (the SSE endpoint is often at /sse).`,
      );
    }
    const body = response.body;
    await new Promise<void>((resolve, reject) => {
      const fail = (error: Error) => {
        this.#closing.abort(error);
        reject(error);
      };
      this.#read(body, resolve, fail);
    });
  }

  #read(body: ReadableStream<Uint8Array>, ready: () => void, fail: (error: Error) => void): void {
    readSse(body, {
      onEvent: (event) => {
        if (event.event === 'endpoint') {
          if (this.#endpoint) return;
          const endpoint = this.#resolveEndpoint(event.data);
          if (endpoint instanceof Error) fail(endpoint);
          else {
            this.#endpoint = endpoint;
            ready();
          }
          return;
        }
        if ((event.event !== undefined && event.event !== 'message') || event.data === '') return;
        let values: unknown[];
        try {
          values = parseMessages(event.data);
        } catch (error) {
          this.#options.onerror?.(
            new Error(`The server sent SSE data that is not JSON: ${asError(error).message}`),
          );
          return;
        }
        for (const value of values) this.#sink?.receive(value);
      },
    }).then(
      () => this.#ended(undefined, fail),
      (error: unknown) => this.#ended(asError(error), fail),
    );
  }

  #resolveEndpoint(data: string): URL | Error {
    let endpoint: URL;
    try {
      endpoint = new URL(data.trim(), this.#url);
    } catch {
      return new Error(`The server's endpoint event named an invalid URL: ${JSON.stringify(data)}.`);
    }
    if (endpoint.origin !== this.#url.origin) {
      return new Error(
        `The server's endpoint event named ${endpoint.origin}, another origin than the SSE stream's (${this.#url.origin}); refused.`,
      );
    }
    return endpoint;
  }

  #ended(failure: Error | undefined, fail: (error: Error) => void): void {
    if (!this.#endpoint) {
      fail(
        new Error(
          `The SSE stream of ${this.#url.href} ended before its endpoint event${failure ? `: ${failure.message}` : ''}.`,
        ),
      );
      return;
    }
    if (this.#closed) return;
    this.#closed = true;
    this.#closing.abort();
    const reason = failure
      ? new ConnectionClosedError(`The HTTP+SSE stream failed: ${failure.message}`, { cause: failure })
      : new ConnectionClosedError('The server closed the HTTP+SSE stream.');
    this.#sink?.closed(reason);
  }

  async send(message: JsonRpcMessage | JsonRpcMessage[]): Promise<void> {
    if (this.#closed) throw new ConnectionClosedError('The HTTP+SSE transport is closed.');
    const endpoint = this.#endpoint;
    if (!endpoint) throw new Error('Start the HTTP+SSE transport and wait for its endpoint before sending.');
    let response: Response;
    try {
      response = await fetchWithAuthRetry(this.#options, async () =>
        this.#fetch(endpoint, {
          ...this.#options.requestInit,
          redirect: 'manual',
          method: 'POST',
          headers: await buildHeaders(this.#options, { 'content-type': 'application/json' }),
          body: JSON.stringify(message),
          signal: combinedSignal(this.#closing.signal, this.#options),
        }),
      );
    } catch (error) {
      if (this.#closed) throw new ConnectionClosedError('The HTTP+SSE transport is closed.');
      if (error instanceof LocalError) throw error;
      throw new LocalError(`POST ${endpoint.href} failed: ${describeFetchFailure(error, endpoint)}`, {
        cause: error,
      });
    }
    if (response.ok) {
      discardBody(response);
      return;
    }
    const error = await HttpStatusError.from('POST', endpoint, response);
    const requests = (Array.isArray(message) ? message : [message]).filter(isRequest);
    if (requests.length === 0) throw error;
    for (const r of requests) this.#sink?.receive(error.toResponse(r.id));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#closing.abort(new ConnectionClosedError('The transport was closed.'));
    this.#sink?.closed();
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
