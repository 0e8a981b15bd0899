/**
 * The JSON-RPC peer: routes each message it reads (inbound requests through middleware to their
 * handler, answers and progress to its outgoing requests in `outgoing.ts`), and carries
 * notifications, cancellation and the connection's end. It knows messages, not MCP features.
 */
import {
  ConnectionClosedError,
  classify,
  depthExceeds,
  describeError,
  ErrorCode,
  errorResponse,
  type JsonRpcMessage,
  type JsonRpcNotification,
  type JsonRpcRequest,
  type JsonRpcResponse,
  type Params,
  type ProgressParams,
  type RequestId,
} from '../protocol/index.ts';
import { compose, type MiddlewareRequest } from './compose.ts';
import { InboundRequest, InflightRequest, paceAfterProgress, toErrorResponse } from './inflight.ts';
import type { PeerOptions, RequestOptions } from './options.ts';
import { OutgoingRequests } from './outgoing.ts';
import type { MessageInfo, SendOptions, Transport, TransportSink } from './transport.ts';

export type { InboundContext, PeerOptions, RequestOptions } from './options.ts';

type Result = Record<string, unknown>;

/** A JSON-RPC 2.0 peer on one transport. */
export class JsonRpcPeer {
  #transport: Transport | undefined;
  readonly #requests: OutgoingRequests;
  /** Requests being served; made when first needed and dropped when empty (idle sessions keep none). */
  #inflight: Map<RequestId, InflightRequest> | undefined;
  /** Results waiting for their request's progress notification to go out first. */
  #paced = 0;
  #closed = false;
  #draining = false;
  readonly #options: PeerOptions;
  readonly #inbound: (request: MiddlewareRequest) => Promise<Result>;
  readonly #maxDepth: number;
  readonly #maxInflight: number;

  constructor(options: PeerOptions) {
    this.#options = options;
    this.#maxDepth = options.maxDepth ?? 64;
    this.#maxInflight = options.maxInflight ?? 1024;
    const mw = options.middleware ?? [];
    // The request object itself is the handler's context (id, method, info, signal).
    this.#inbound = compose(mw, async (r) => options.onRequest(r.method, r.params, r));
    this.#requests = new OutgoingRequests(options, this, (m, r, h) => this.#send(m, r, h));
  }

  /** Whether the connection has closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** The transport, once connected. */
  get transport(): Transport | undefined {
    return this.#transport;
  }

  /** Attaches a transport and starts it. */
  async connect(transport: Transport): Promise<void> {
    if (this.#transport) throw new Error('This peer is already connected; use one peer per transport.');
    this.#transport = transport;
    const sink = new JsonRpcPeer.#Sink(this);
    await transport.start(sink);
  }

  /** What the transport feeds: one small object per connection, its methods on the prototype. */
  static readonly #Sink = class implements TransportSink {
    readonly peer: JsonRpcPeer;
    constructor(peer: JsonRpcPeer) {
      this.peer = peer;
    }
    receive(value: unknown, info?: MessageInfo): void {
      this.peer.receive(value, info);
    }
    receiveText(text: string, info?: MessageInfo): void {
      this.peer.receiveText(text, info);
    }
    closed(reason?: Error): void {
      this.peer.#onClosed(reason);
    }
    ended(): void {
      const peer = this.peer;
      peer.#draining = true;
      // Nothing more will be read, so no answer to our own requests can come.
      peer.#requests.rejectAll(new ConnectionClosedError('The peer closed its input; no answer can come.'));
      peer.#closeIfDrained();
    }
    failed(id: RequestId, error: Error): void {
      this.peer.#requests.fail(id, error);
    }
  };

  /** Closes the transport; pending requests fail with ConnectionClosedError. */
  async close(): Promise<void> {
    if (this.#transport && !this.#closed) await this.#transport.close();
    this.#onClosed();
  }

  #closeIfDrained(): void {
    if (this.#inflight === undefined && this.#paced === 0) this.close().catch(() => {});
  }

  /** Feeds one raw text frame to the peer. */
  receiveText(text: string, info?: MessageInfo): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.#write(errorResponse(null, ErrorCode.ParseError, `Parse error: ${(error as Error).message}`));
      return;
    }
    // Nesting deeper than maxDepth takes at least 2 × (maxDepth + 1) bracket characters.
    if (text.length <= 2 * this.#maxDepth + 1) this.#dispatch(value, info);
    else this.receive(value, info);
  }

  /** Feeds one parsed message (or batch) to the peer. */
  receive(value: unknown, info?: MessageInfo): void {
    if (typeof value === 'object' && value !== null && depthExceeds(value, this.#maxDepth)) {
      const m = Array.isArray(value) ? undefined : (value as { id?: unknown; method?: unknown });
      if (m && typeof m.method !== 'string' && ('result' in m || 'error' in m)) {
        this.#requests.fail(
          typeof m.id === 'string' || Number.isSafeInteger(m.id) ? (m.id as RequestId) : null,
          `The peer sent a response nested deeper than ${this.#maxDepth} levels.`,
        );
        return;
      }
      const id = m?.id;
      this.#write(
        errorResponse(
          typeof id === 'string' || Number.isSafeInteger(id) ? (id as RequestId) : null,
          ErrorCode.InvalidRequest,
          `Message nested deeper than ${this.#maxDepth} levels; flatten it or raise maxDepth.`,
        ),
      );
      return;
    }
    this.#dispatch(value, info);
  }

  #dispatch(value: unknown, info: MessageInfo | undefined): void {
    if (Array.isArray(value)) {
      this.#receiveBatch(value, info);
      return;
    }
    this.#receiveOne(value, info, undefined);
  }

  #receiveBatch(values: unknown[], info: MessageInfo | undefined): void {
    if (!this.#options.acceptBatches?.()) {
      this.#write(
        errorResponse(
          null,
          ErrorCode.InvalidRequest,
          'JSON-RPC batches are accepted only in revision 2025-03-26.',
        ),
      );
      return;
    }
    if (values.length === 0) {
      this.#write(errorResponse(null, ErrorCode.InvalidRequest, 'An empty batch is not a valid request.'));
      return;
    }
    const answers: Promise<JsonRpcResponse | undefined>[] = [];
    for (const v of values) {
      const p = this.#receiveOne(v, info, true);
      if (p) answers.push(p);
    }
    if (answers.length === 0) return;
    Promise.all(answers).then((responses) => {
      const out = responses.filter((r): r is JsonRpcResponse => r !== undefined);
      if (out.length > 0) this.#write(out);
    });
  }

  /** Handles one message; in a batch, returns the promise of its response instead of sending it. */
  #receiveOne(
    value: unknown,
    info: MessageInfo | undefined,
    inBatch: true | undefined,
  ): Promise<JsonRpcResponse | undefined> | undefined {
    const c = classify(value);
    switch (c.kind) {
      case 'request':
        return this.#handleRequest(c.message, info, inBatch);
      case 'notification':
        this.#handleNotification(c.message, info);
        return undefined;
      case 'response':
        this.#requests.answer(c.message);
        return undefined;
      default: {
        if (c.response) {
          // A malformed answer is never answered back; the request it names fails instead.
          this.#requests.fail(c.id, `The peer sent a malformed response: ${c.reason}`);
          return undefined;
        }
        return this.#refuse(
          errorResponse(c.id, ErrorCode.InvalidRequest, `Invalid request: ${c.reason}`),
          inBatch,
        );
      }
    }
  }

  /** An error answer without running anything: part of the batch's answer, or sent at once. */
  #refuse(response: JsonRpcResponse, inBatch: true | undefined): Promise<JsonRpcResponse> | undefined {
    if (inBatch) return Promise.resolve(response);
    this.#write(response);
    return undefined;
  }

  #handleRequest(
    request: JsonRpcRequest,
    info: MessageInfo | undefined,
    inBatch: true | undefined,
  ): Promise<JsonRpcResponse | undefined> | undefined {
    const { id, method } = request;
    this.#inflight ??= new Map();
    const inflight = this.#inflight;
    if (inflight.has(id)) {
      return this.#refuse(
        errorResponse(id, ErrorCode.InvalidRequest, `Request id ${JSON.stringify(id)} is already in use.`),
        inBatch,
      );
    }
    if (inflight.size >= this.#maxInflight) {
      const why = `Too many requests in progress (${this.#maxInflight}); wait for answers before sending more.`;
      return this.#refuse(errorResponse(id, ErrorCode.InternalError, why), inBatch);
    }
    const flight = new InflightRequest();
    inflight.set(id, flight);
    let promise: Promise<Result>;
    try {
      promise = this.#inbound(new InboundRequest(method, request.params, id, info, flight));
    } catch (error) {
      promise = Promise.reject(error);
    }
    const done = promise.then(
      (result): JsonRpcResponse | undefined => {
        this.#served(id);
        if (flight.aborted) return undefined;
        return { jsonrpc: '2.0', id, result };
      },
      (error: unknown): JsonRpcResponse | undefined => {
        this.#served(id);
        if (flight.aborted) return undefined;
        return toErrorResponse(id, error);
      },
    );
    if (inBatch) return done;
    done.then((response) => {
      const wait = response === undefined ? 0 : paceAfterProgress(flight.progressAt);
      if (wait === 0) return this.#answer(response, id);
      this.#paced++; // its progress notification goes out on its own first (see PROGRESS_PACE_MS)
      setTimeout(() => {
        this.#paced--;
        this.#answer(response, id);
      }, wait);
    });
    return undefined;
  }

  #answer(response: JsonRpcResponse | undefined, id: RequestId): void {
    if (response) this.#respond(response, id);
    if (this.#draining) this.#closeIfDrained();
  }

  /** Forgets a request that has been served (the map goes when it empties). */
  #served(id: RequestId): void {
    const inflight = this.#inflight;
    if (inflight?.delete(id) && inflight.size === 0) this.#inflight = undefined;
  }

  #handleNotification(n: JsonRpcNotification, info: MessageInfo | undefined): void {
    if (n.method === 'notifications/cancelled') {
      const id = n.params?.requestId as RequestId | undefined;
      if (id !== undefined) this.#inflight?.get(id)?.abort(n.params?.reason ?? 'cancelled by the peer');
      this.#options.onNotification?.(n, info);
      return;
    }
    if (n.method === 'notifications/progress') {
      const p = n.params as unknown as ProgressParams | undefined;
      if (p) this.#requests.progress(p);
      this.#options.onNotification?.(n, info);
      return;
    }
    try {
      this.#options.onNotification?.(n, info);
    } catch (error) {
      this.#options.onError?.(error as Error);
    }
  }

  /** Sends a request and waits for its result. */
  request<R extends Result = Result>(method: string, params?: Params, options?: RequestOptions): Promise<R> {
    return this.#requests.request<R>(method, params, options);
  }

  /** Sends a notification. */
  notify(method: string, params?: Params, options?: SendOptions): Promise<void> {
    const message: JsonRpcNotification =
      params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params };
    const related = options?.relatedRequestId;
    if (related !== undefined && method === 'notifications/progress') {
      const flight = this.#inflight?.get(related);
      if (flight) flight.progressAt = Date.now();
    }
    return this.#send(message, related);
  }

  #send(
    message: JsonRpcMessage,
    relatedRequestId?: RequestId,
    headers?: Record<string, string>,
  ): Promise<void> {
    if (this.#closed || !this.#transport) {
      return Promise.reject(new ConnectionClosedError('The connection is closed.'));
    }
    try {
      const options =
        relatedRequestId === undefined && headers === undefined ? undefined : { relatedRequestId, headers };
      const r = this.#transport.send(message, options);
      return r instanceof Promise ? r : Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Sends a response; when the transport cannot send a result (it does not serialize: a BigInt, a
   * cycle), the request is answered with -32603 instead, so the caller is not left waiting.
   */
  #respond(response: JsonRpcResponse, id: RequestId): void {
    if (this.#closed || !this.#transport) return;
    const fallback = (error: unknown) => {
      if (this.#closed || !('result' in response)) return this.#options.onError?.(error as Error);
      this.#write(
        errorResponse(
          id,
          ErrorCode.InternalError,
          `Internal error: the result could not be sent: ${describeError(error)}`,
        ),
        { relatedRequestId: id },
      );
    };
    try {
      const r = this.#transport.send(response, { relatedRequestId: id });
      if (r instanceof Promise) r.catch(fallback);
    } catch (error) {
      fallback(error);
    }
  }

  #write(message: JsonRpcMessage | JsonRpcMessage[], options?: SendOptions): void {
    if (this.#closed || !this.#transport) return;
    try {
      const r = this.#transport.send(message, options);
      if (r instanceof Promise) r.catch((error: unknown) => this.#options.onError?.(error as Error));
    } catch (error) {
      this.#options.onError?.(error as Error);
    }
  }

  #onClosed(reason?: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    const inflight = this.#inflight;
    if (this.#requests.size > 0 || inflight !== undefined) {
      const error = new ConnectionClosedError(
        reason ? `The connection closed: ${reason.message}` : 'The connection closed before an answer came.',
        { cause: reason },
      );
      this.#requests.rejectAll(error);
      this.#inflight = undefined;
      for (const flight of inflight?.values() ?? []) flight.abort(error);
    }
    this.#requests.release();
    this.#options.onClose?.(reason);
  }
}
