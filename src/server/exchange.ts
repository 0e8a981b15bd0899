/**
 * The transport-free exchange: one request without a session (of the stateless revision, or of a
 * legacy one served statelessly) goes in, its notifications and one response come out. No session record, no JSON-RPC peer, no correlation map and no timer unless
 * a handler asks for one; middleware runs around it as around a session's requests, and it ends in
 * the same dispatcher.
 */
import type {
  JsonRpcNotification,
  JsonRpcRequest,
  JsonRpcResponse,
  Params,
  RequestEnvelope,
  RequestId,
} from '../protocol/index.ts';
import {
  compose,
  type InboundContext,
  type MessageInfo,
  type Middleware,
  type MiddlewareRequest,
  paceAfterProgress,
  toErrorResponse,
} from '../rpc/index.ts';
import type { ModernWire } from './modern.ts';

type Result = Record<string, unknown>;

/** How one request is served without a session: where its notifications go, and when it is cancelled. */
export interface ServeOptions {
  /** Facts from the transport (the authenticated caller, the protocol version header). */
  info?: MessageInfo;
  /**
   * Sends a notification of this request (progress, a log line, a subscription's events) ahead of
   * its response. Without it, such notifications are dropped.
   */
  notify?: (notification: JsonRpcNotification) => void | Promise<void>;
  /**
   * Aborted when the client goes: the handler's `ctx.signal` fires. Either a signal, or an object
   * whose `signal` getter makes one when first read (most handlers never read it).
   */
  signal?: AbortSignal | { readonly signal: AbortSignal };
  /** The request's `_meta` envelope when the caller has read it already (HTTP checks its headers). */
  envelope?: RequestEnvelope;
  /**
   * Serve the request at this legacy revision without a session (stateless HTTP of the revisions
   * 2024-11-05 … 2025-11-25, the transport's protocol version header). Absent: the request is of
   * the stateless revision 2026-07-28.
   */
  revision?: string;
}

const NEVER: AbortSignal = new AbortController().signal;

/** The request as middleware and the handler see it, and the wire its notifications take. */
export class ExchangeRequest implements MiddlewareRequest, InboundContext, ModernWire {
  readonly direction = 'inbound';
  readonly method: string;
  params: Params | undefined;
  readonly id: RequestId;
  readonly info: MessageInfo | undefined;
  readonly #signal: AbortSignal | { readonly signal: AbortSignal };
  readonly envelope: RequestEnvelope | undefined;
  readonly revision: string | undefined;
  readonly #notify: ServeOptions['notify'];
  /** When the last progress notification went out (0: none). */
  progressAt = 0;

  constructor(request: JsonRpcRequest, options: ServeOptions) {
    this.method = request.method;
    this.params = request.params;
    this.id = request.id;
    this.info = options.info;
    this.#signal = options.signal ?? NEVER;
    this.envelope = options.envelope;
    this.revision = options.revision;
    this.#notify = options.notify;
  }

  get signal(): AbortSignal {
    const s = this.#signal;
    return s instanceof AbortSignal ? s : s.signal;
  }

  notify(method: string, params: Result): Promise<void> {
    const send = this.#notify;
    if (send === undefined || this.signal.aborted) return Promise.resolve();
    if (method === 'notifications/progress') this.progressAt = Date.now();
    try {
      return Promise.resolve(send({ jsonrpc: '2.0', method, params }));
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

/** Serves requests through middleware into a final handler, answering each with one response. */
export class Exchanges {
  readonly #middleware: readonly Middleware[];
  readonly #final: (request: ExchangeRequest) => Promise<Result>;
  #composed: ((request: MiddlewareRequest) => Promise<Result>) | undefined;
  #composedFor = -1;

  constructor(middleware: readonly Middleware[], final: (request: ExchangeRequest) => Promise<Result>) {
    this.#middleware = middleware;
    this.#final = final;
  }

  /** Serves one request; never rejects: a failure is an error response. */
  async serve(message: JsonRpcRequest, options: ServeOptions): Promise<JsonRpcResponse> {
    const request = new ExchangeRequest(message, options);
    let response: JsonRpcResponse;
    try {
      response = { jsonrpc: '2.0', id: request.id, result: await this.#chain()(request) };
    } catch (error) {
      response = toErrorResponse(request.id, error);
    }
    // A result right after its request's progress waits a little (see PROGRESS_PACE_MS).
    const wait = paceAfterProgress(request.progressAt);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    return response;
  }

  /** The middleware chain, composed again only when middleware was added since. */
  #chain(): (request: MiddlewareRequest) => Promise<Result> {
    if (this.#composed === undefined || this.#composedFor !== this.#middleware.length) {
      const final = this.#final as (request: MiddlewareRequest) => Promise<Result>;
      this.#composed = compose(this.#middleware, final);
      this.#composedFor = this.#middleware.length;
    }
    return this.#composed;
  }
}
