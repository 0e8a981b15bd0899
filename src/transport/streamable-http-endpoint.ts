/**
 * The HTTP requests a Streamable HTTP client makes to its MCP endpoint: the POST of messages, the
 * GET that opens or resumes an SSE stream, and the DELETE that ends a session, each with the
 * configured headers, the auth retry and the transport's close signal.
 */
import type { JsonRpcMessage } from '../protocol/index.ts';
import type { StreamableHttpClientOptions } from './streamable-http-options.ts';
import {
  buildHeaders,
  combinedSignal,
  defaultFetch,
  discardBody,
  type FetchLike,
  fetchWithAuthRetry,
  HttpStatusError,
} from './streamable-http-request.ts';
import type { SseStream } from './streamable-http-streams.ts';

/** How one POST is sent. */
export interface PostOptions {
  /** Reject with HttpStatusError on an HTTP error status instead of answering the requests. */
  reject: boolean;
  /** Extra headers of this message (`SendOptions.headers`). */
  extra: Record<string, string> | undefined;
  /** The protocol version of a modern message (from its `_meta`); undefined for a legacy one. */
  modern: string | undefined;
}

/** The MCP endpoint of one transport. */
export class Endpoint {
  readonly #url: URL;
  readonly #options: StreamableHttpClientOptions;
  readonly #fetch: FetchLike;
  readonly #closing: AbortSignal;
  readonly #version: () => string | undefined;

  /** `closing` aborts every request; `version` is the protocol version sent with GET and DELETE. */
  constructor(
    url: URL,
    options: StreamableHttpClientOptions,
    closing: AbortSignal,
    version: () => string | undefined,
  ) {
    this.#url = url;
    this.#options = options;
    this.#fetch = defaultFetch(options);
    this.#closing = closing;
    this.#version = version;
  }

  /** POSTs `body` with these headers; `signal` (or closing the transport) aborts it. */
  post(
    body: JsonRpcMessage | JsonRpcMessage[],
    headers: Record<string, string | undefined>,
    signal: AbortSignal,
  ): Promise<Response> {
    return fetchWithAuthRetry(this.#options, async () =>
      this.#fetch(this.#url, {
        ...this.#options.requestInit,
        redirect: 'manual',
        method: 'POST',
        headers: await buildHeaders(this.#options, headers),
        body: JSON.stringify(body),
        signal: AbortSignal.any([signal, combinedSignal(this.#closing, this.#options)]),
      }),
    );
  }

  /** Sends the GET that opens or resumes `stream`. */
  get(stream: SseStream): Promise<Response> {
    return fetchWithAuthRetry(this.#options, async () =>
      this.#fetch(this.#url, {
        ...this.#options.requestInit,
        redirect: 'manual',
        method: 'GET',
        headers: await this.#headers(
          { accept: 'text/event-stream', 'last-event-id': stream.lastEventId },
          stream.session,
          this.#version(),
        ),
        signal: AbortSignal.any([stream.controller.signal, combinedSignal(this.#closing, this.#options)]),
      }),
    );
  }

  /** Ends `session` with DELETE; a 404 or 405 answer is fine, another error status throws. */
  async delete(session: string, signal: AbortSignal): Promise<void> {
    const response = await fetchWithAuthRetry(this.#options, async () =>
      this.#fetch(this.#url, {
        ...this.#options.requestInit,
        redirect: 'manual',
        method: 'DELETE',
        headers: await this.#headers({}, session, this.#version()),
        signal,
      }),
    );
    if (response.ok || response.status === 404 || response.status === 405) {
      discardBody(response);
      return;
    }
    throw await HttpStatusError.from('DELETE', this.#url, response);
  }

  #headers(own: Record<string, string | undefined>, session?: string, version?: string): Promise<Headers> {
    return buildHeaders(this.#options, {
      ...own,
      'mcp-session-id': session,
      'mcp-protocol-version': version,
    });
  }
}
