/**
 * The Streamable HTTP client transport. Every message is a POST to the MCP endpoint, answered with
 * 202, one JSON body or an SSE stream. 2025-03-26 to 2025-11-25: a GET stream carries
 * server-initiated messages; dropped streams resume with GET and `Last-Event-ID`; the session id and
 * the negotiated protocol version travel as headers. 2026-07-28 (a message whose `params._meta`
 * names the protocol version): no session, no GET stream, no resumption; the request metadata
 * headers mirror the body; closing a request's POST is its cancellation.
 */
import {
  ConnectionClosedError,
  classify,
  isNotification,
  isRequest,
  type JsonRpcMessage,
  type JsonRpcRequest,
  LocalError,
} from '../protocol/index.ts';
import type { Transport, TransportSink } from '../rpc/index.ts';
import { describeFetchFailure, notMcpContentType } from './http-failure.ts';
import { hasMediaType, parseMessages } from './sse-parse.ts';
import { Endpoint, type PostOptions } from './streamable-http-endpoint.ts';
import { modernHeaders, modernVersionOf } from './streamable-http-modern.ts';
import {
  DEFAULT_RECONNECT_POLICY,
  type StreamableHttpClientOptions,
  type StreamableHttpSendOptions,
} from './streamable-http-options.ts';
import { OutstandingRequests } from './streamable-http-outstanding.ts';
import { passesDuringRecovery, type RecoveryHost, SessionRecovery } from './streamable-http-recovery.ts';
import {
  combinedSignal,
  discardBody,
  HttpStatusError,
  localErrorResponse,
  readTextBounded,
} from './streamable-http-request.ts';
import { type SseStream, type SseStreamHost, SseStreams } from './streamable-http-streams.ts';

const ACCEPT_POST = 'application/json, text/event-stream';
const DELETE_TIMEOUT = 5_000;
const VISIBLE_ASCII = /^[\x21-\x7E]+$/;

/** A client transport for the Streamable HTTP transport. */
export class StreamableHttpClientTransport implements Transport {
  readonly #url: URL;
  readonly #options: StreamableHttpClientOptions;
  readonly #closing = new AbortController();
  readonly #endpoint: Endpoint;
  #sink: TransportSink | undefined;
  #sessionId: string | undefined;
  #protocolVersion: string | undefined;
  #closed = false;
  readonly #outstanding = new OutstandingRequests();
  readonly #streams: SseStreams;
  readonly #recovery: SessionRecovery;

  constructor(url: URL | string, options: StreamableHttpClientOptions = {}) {
    this.#url = new URL(url);
    this.#options = options;
    this.#endpoint = new Endpoint(this.#url, options, this.#closing.signal, () => this.#protocolVersion);
    this.#sessionId = options.sessionId;
    this.#protocolVersion = options.protocolVersion;
    this.#streams = new SseStreams(this.#streamHost(), { ...DEFAULT_RECONNECT_POLICY, ...options.reconnect });
    this.#recovery = new SessionRecovery(this.#recoveryHost(), options);
  }

  /** The MCP endpoint. */
  get url(): URL {
    return this.#url;
  }

  /** The session id the server assigned, once initialized (undefined for sessionless servers). */
  get sessionId(): string | undefined {
    return this.#sessionId;
  }

  /** The protocol version sent as `MCP-Protocol-Version` (the one negotiated by `initialize`). */
  get protocolVersion(): string | undefined {
    return this.#protocolVersion;
  }

  /** Sets the protocol version sent as `MCP-Protocol-Version` on later requests. */
  setProtocolVersion(version: string): void {
    this.#protocolVersion = version;
  }

  start(sink: TransportSink): void {
    if (this.#sink) throw new Error('This transport is already started; use one transport per connection.');
    this.#sink = sink;
    if (this.#sessionId !== undefined) this.#openGetStream();
  }

  /**
   * Sends a message as one POST. A message whose `params._meta` names the protocol version is sent
   * the 2026-07-28 way; a `notifications/cancelled` for such a request aborts that request's POST
   * instead of being sent. `options.headers` are added to the POST.
   */
  async send(message: JsonRpcMessage | JsonRpcMessage[], options?: StreamableHttpSendOptions): Promise<void> {
    this.#assertOpen();
    let body = message;
    let list = Array.isArray(message) ? message : [message];
    const kept = list.filter((m) => !this.#cancelsModern(m));
    if (kept.length === 0) return;
    if (kept.length !== list.length) {
      list = kept;
      body = kept;
    }
    const modern = Array.isArray(body) ? undefined : modernVersionOf(body);
    const recovery = this.#recovery.current;
    if (modern === undefined && recovery && !list.every(passesDuringRecovery)) {
      await recovery.catch(() => {});
      this.#assertOpen();
    }
    await this.#post(body, list, {
      reject: options?.rejectHttpErrors === true,
      extra: options?.headers,
      modern,
    });
  }

  /**
   * A `notifications/cancelled` for a modern request, or one that is itself modern: on modern HTTP,
   * closing the request's POST is the cancellation and no notification is sent. Aborts the POST;
   * true when the notification is to be dropped.
   */
  #cancelsModern(m: JsonRpcMessage): boolean {
    if (!isNotification(m) || m.method !== 'notifications/cancelled') return false;
    const id = m.params?.requestId;
    const outstanding =
      typeof id === 'string' || typeof id === 'number' ? this.#outstanding.get(id) : undefined;
    if (outstanding?.cancel) {
      this.#outstanding.forget(outstanding.message.id);
      outstanding.cancel.abort(new Error(`Request ${JSON.stringify(id)} was cancelled.`));
      return true;
    }
    return modernVersionOf(m) !== undefined;
  }

  /** Ends the session: DELETE with the session id (a 405 or 404 answer is fine). */
  async terminateSession(): Promise<void> {
    const session = this.#sessionId;
    if (session === undefined) return;
    await this.#endpoint.delete(session, combinedSignal(this.#closing.signal, this.#options));
    if (this.#sessionId === session) this.#sessionId = undefined;
    this.#streams.stop(session);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#streams.stop();
    this.#closing.abort(new ConnectionClosedError('The transport was closed.'));
    const session = this.#sessionId;
    if (session !== undefined && this.#options.terminateOnClose !== false) {
      try {
        await this.#endpoint.delete(session, AbortSignal.timeout(DELETE_TIMEOUT));
      } catch (error) {
        this.#report(asError(error));
      }
    }
    this.#sink?.closed();
  }

  #assertOpen(): void {
    if (this.#closed) throw new ConnectionClosedError('The Streamable HTTP transport is closed.');
    if (!this.#sink) throw new Error('Start the transport (connect it to a peer) before sending.');
  }

  async #post(
    body: JsonRpcMessage | JsonRpcMessage[],
    list: JsonRpcMessage[],
    how: PostOptions,
  ): Promise<void> {
    const { reject, modern } = how;
    const initializing = modern === undefined && list.some((m) => isRequest(m) && m.method === 'initialize');
    if (initializing) this.#startNewSession();
    const session = modern === undefined ? this.#sessionId : undefined;
    const own =
      modern === undefined
        ? {
            'mcp-session-id': session,
            'mcp-protocol-version': initializing ? undefined : this.#protocolVersion,
          }
        : modernHeaders(list[0] as JsonRpcMessage, modern);
    const requests = list.filter(isRequest);
    const controller = new AbortController();
    for (const r of requests) {
      this.#outstanding.add(
        r.id,
        { message: r, session, cancel: modern === undefined ? undefined : controller },
        initializing && r.method === 'initialize',
      );
    }
    for (const m of list) {
      const cancelled = isNotification(m) && m.method === 'notifications/cancelled' && m.params?.requestId;
      if (typeof cancelled === 'string' || typeof cancelled === 'number') this.#outstanding.forget(cancelled);
    }
    let response: Response;
    try {
      response = await this.#endpoint.post(
        body,
        { ...how.extra, accept: ACCEPT_POST, 'content-type': 'application/json', ...own },
        controller.signal,
      );
    } catch (error) {
      for (const r of requests) this.#outstanding.forget(r.id);
      if (this.#closed) throw new ConnectionClosedError('The Streamable HTTP transport is closed.');
      if (controller.signal.aborted) return; // the caller cancelled the request
      throw new LocalError(`POST ${this.#url.href} failed: ${describeFetchFailure(error, this.#url)}`, {
        cause: error,
      });
    }
    if (controller.signal.aborted) {
      discardBody(response);
      return;
    }
    if (response.status === 404 && session !== undefined) {
      discardBody(response);
      return this.#recovery.sessionGone(session, list);
    }
    if (!response.ok) {
      const error = await HttpStatusError.from('POST', this.#url, response);
      // Without a JSON-RPC error in the body no MCP server answered: a local failure, not the peer's.
      if (reject || requests.length === 0 || error.rpcError === undefined) {
        for (const r of requests) this.#outstanding.forget(r.id);
        throw error;
      }
      for (const r of requests) this.#deliver(error.toResponse(r.id), undefined);
      return;
    }
    if (initializing) this.#captureSession(response);
    if (
      modern === undefined &&
      list.some((m) => isNotification(m) && m.method === 'notifications/initialized')
    )
      this.#openGetStream();
    if (requests.length === 0 || response.status === 202 || response.status === 204) {
      discardBody(response);
      // Without a session there is no other stream the answer could come on.
      if (modern !== undefined) this.#answerMissing(requests, `HTTP ${response.status} without a body`);
      return;
    }
    await this.#readAnswer(response, requests, session, controller, modern === undefined);
  }

  async #readAnswer(
    response: Response,
    requests: JsonRpcRequest[],
    session: string | undefined,
    controller: AbortController,
    resumable: boolean,
  ): Promise<void> {
    const type = response.headers.get('content-type');
    if (hasMediaType(type, 'text/event-stream') && response.body) {
      this.#streams.readPost(
        response,
        session,
        controller,
        requests.map((r) => r.id),
        resumable,
      );
      return;
    }
    let problem: string;
    if (hasMediaType(type, 'application/json')) {
      try {
        const text = await response.text();
        if (text.trim() !== '') {
          for (const value of parseMessages(text)) this.#deliver(value, undefined);
          return;
        }
        problem = 'an empty JSON body';
      } catch (error) {
        if (this.#closed || controller.signal.aborted) return;
        problem = `a JSON body that could not be read: ${asError(error).message}`;
      }
    } else {
      const text = await readTextBounded(response, 64 * 1024).catch(() => '');
      for (const r of requests) this.#outstanding.forget(r.id);
      throw new LocalError(notMcpContentType(this.#url, type, text));
    }
    this.#answerMissing(requests, problem);
  }

  /** Answers the requests of a POST whose answer did not come with a local error. */
  #answerMissing(requests: JsonRpcRequest[], problem: string): void {
    for (const r of requests) {
      if (this.#outstanding.has(r.id)) {
        this.#deliver(
          localErrorResponse(r.id, `POST ${this.#url.href} answered with ${problem}.`),
          undefined,
        );
      }
    }
  }

  /** Delivers one received message, noting answered requests and the negotiated version. */
  #deliver(value: unknown, stream: SseStream | undefined): void {
    const c = classify(value);
    if (c.kind === 'response' && c.message.id !== null) {
      const id = c.message.id;
      stream?.pending.delete(id);
      if (this.#outstanding.forget(id) && 'result' in c.message) {
        const version = c.message.result.protocolVersion;
        if (typeof version === 'string') this.#protocolVersion = version;
      }
    }
    this.#sink?.receive(value);
  }

  #startNewSession(): void {
    this.#sessionId = undefined;
    this.#protocolVersion = undefined;
    this.#streams.stopGet();
  }

  #captureSession(response: Response): void {
    const id = response.headers.get('mcp-session-id');
    if (id === null) return;
    if (!VISIBLE_ASCII.test(id)) {
      this.#report(
        new Error('The server sent a session id with characters other than visible ASCII; ignored.'),
      );
      return;
    }
    this.#sessionId = id;
  }

  #openGetStream(): void {
    if (!this.#closed && this.#options.openGetStream !== false) this.#streams.openGet(this.#sessionId);
  }

  #streamHost(): SseStreamHost {
    return {
      url: this.#url,
      isClosed: () => this.#closed,
      get: (stream) => this.#endpoint.get(stream),
      deliver: (value, stream) => this.#deliver(value, stream),
      waiting: (id) => this.#outstanding.has(id),
      sessionGone: (session) => {
        this.#recovery.sessionGone(session, []).catch(() => {});
      },
      report: (error) => this.#report(error),
    };
  }

  // ---- session expiry ----------------------------------------------------------------------------

  #recoveryHost(): RecoveryHost {
    return {
      sessionId: () => this.#sessionId,
      endSession: (session) => {
        this.#sessionId = undefined;
        this.#protocolVersion = undefined;
        this.#streams.stop(session);
      },
      isClosed: () => this.#closed,
      fail: (error) => this.#fail(error),
      send: (message) => this.send(message),
      resend: (session) => this.#resend(session),
    };
  }

  /** Sends the requests of the ended `session` again; one that cannot be sent is answered with an error. */
  async #resend(session: string): Promise<void> {
    const again = this.#outstanding.resendable(session);
    await Promise.all(
      again.map((m) =>
        this.#post(m, [m], { reject: false, extra: undefined, modern: undefined }).catch((error: unknown) => {
          if (!this.#outstanding.has(m.id)) return;
          this.#deliver(
            localErrorResponse(m.id, `Re-sending after a new session failed: ${asError(error).message}`),
            undefined,
          );
        }),
      ),
    );
  }

  /** Closes the transport because of `error` (no DELETE: the session is gone). */
  #fail(error: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#streams.stop();
    this.#closing.abort(error);
    this.#sink?.closed(error);
  }

  #report(error: Error): void {
    this.#options.onerror?.(error);
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
