/**
 * The requests a peer sends: their ids, the outbound middleware, timeouts and cancellation, and
 * the answers, progress and failures matched back to them.
 */
import {
  ConnectionClosedError,
  ErrorCode,
  type JsonRpcMessage,
  type JsonRpcResponse,
  McpError,
  type Params,
  type ProgressParams,
  RequestCancelledError,
  type RequestId,
  RequestTimeoutError,
} from '../protocol/index.ts';
import { compose, type MiddlewareRequest } from './compose.ts';
import type { PeerOptions, RequestOptions } from './options.ts';
import { newPending, outgoingRequest, type Pending, PendingRequests } from './pending.ts';
import type { Transport } from './transport.ts';

type Result = Record<string, unknown>;

/** The connection state the outgoing requests read: the peer itself. */
export interface Connection {
  readonly closed: boolean;
  readonly transport: Transport | undefined;
}

/** Sends one message on the peer's transport; rejects when the connection is closed. */
export type SendMessage = (
  message: JsonRpcMessage,
  relatedRequestId?: RequestId,
  headers?: Record<string, string>,
) => Promise<void>;

/** The outgoing requests of one peer, from sending to settling. */
export class OutgoingRequests {
  #nextId = 0;
  readonly #pending = new PendingRequests();
  readonly #options: PeerOptions;
  readonly #connection: Connection;
  readonly #send: SendMessage;
  readonly #outbound: ((request: MiddlewareRequest) => Promise<Result>) | undefined;
  #outboundContext: Map<RequestId, { options: RequestOptions | undefined }> | undefined;

  constructor(options: PeerOptions, connection: Connection, send: SendMessage) {
    this.#options = options;
    this.#connection = connection;
    this.#send = send;
    const mw = options.middleware ?? [];
    this.#outbound =
      mw.length === 0
        ? undefined
        : compose(mw, (r) =>
            this.#sendRequest(r.id, r.method, r.params, this.#outboundContext?.get(r.id)?.options),
          );
  }

  /** How many requests wait for an answer. */
  get size(): number {
    return this.#pending.size;
  }

  /** Sends a request and waits for its result. */
  request<R extends Result = Result>(method: string, params?: Params, options?: RequestOptions): Promise<R> {
    const id = this.#nextId++;
    if (this.#outbound) {
      const signal = options?.signal ?? new AbortController().signal;
      this.#outboundContext ??= new Map();
      const context = this.#outboundContext;
      context.set(id, { options });
      return this.#outbound({ direction: 'outbound', method, params, id, signal }).finally(() =>
        context.delete(id),
      ) as Promise<R>;
    }
    return this.#sendRequest(id, method, params, options) as Promise<R>;
  }

  #sendRequest(
    id: RequestId,
    method: string,
    params: Params | undefined,
    options?: RequestOptions,
  ): Promise<Result> {
    if (this.#connection.closed || !this.#connection.transport) {
      return Promise.reject(new ConnectionClosedError(`Cannot send '${method}': the connection is closed.`));
    }
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(new RequestCancelledError(method, signal.reason));
    const message = outgoingRequest(id, method, params, options);
    return new Promise<Result>((resolve, reject) => {
      const pending = newPending(id, method, resolve, reject, options, this.#options);
      if (signal) {
        const onAbort = () => {
          this.#pending.settle(id, pending);
          this.#cancelRemote(id, signal.reason, options?.relatedRequestId);
          reject(new RequestCancelledError(method, signal.reason));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        pending.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      this.#pending.add(id, pending);
      this.#arm(id, pending);
      this.#send(message, options?.relatedRequestId, options?.headers).catch((error: unknown) => {
        if (!this.#pending.has(id)) return;
        this.#pending.settle(id, pending);
        reject(
          error instanceof ConnectionClosedError
            ? error
            : new ConnectionClosedError(`Could not send '${method}': ${(error as Error).message}`, {
                cause: error,
              }),
        );
      });
    });
  }

  #arm(id: RequestId, pending: Pending): void {
    this.#pending.arm(id, pending, (total) => {
      this.#cancelRemote(id, 'timed out');
      pending.reject(
        new RequestTimeoutError(pending.method, total ? pending.maxTotal : pending.timeout, total),
      );
    });
  }

  #cancelRemote(id: RequestId, reason: unknown, relatedRequestId?: RequestId): void {
    if (this.#connection.closed) return;
    const params: Params = { requestId: id };
    if (reason !== undefined) params.reason = reason instanceof Error ? reason.message : String(reason);
    this.#send({ jsonrpc: '2.0', method: 'notifications/cancelled', params }, relatedRequestId).catch(
      () => {},
    );
  }

  /** A progress notification: restarts its request's timeout (unless told not to) and reports it. */
  progress(p: ProgressParams): void {
    const reqId = this.#pending.idOfProgress(p.progressToken);
    const pending = reqId === undefined ? undefined : this.#pending.get(reqId);
    if (pending) {
      if (pending.resetOnProgress) this.#arm(reqId as RequestId, pending);
      try {
        pending.onprogress?.(p);
      } catch (error) {
        this.#options.onError?.(error as Error);
      }
    }
  }

  /** Settles the request a response answers; an error response without an id is reported. */
  answer(response: JsonRpcResponse): void {
    const id = response.id;
    if (id === null) {
      const e = (response as { error: { code: number; message: string } }).error;
      this.#options.onError?.(new McpError(e.code, `The peer reported an error: ${e.message}`));
      return;
    }
    const pending = this.#pending.get(id);
    if (!pending) return; // unknown or already settled: ignored
    this.#pending.settle(id, pending);
    if ('error' in response) pending.reject(McpError.fromObject(response.error));
    else pending.resolve(response.result);
  }

  /** Fails the request `id` waits on (a message: -32600); with no such request, reports it. */
  fail(id: RequestId | null, reason: string | Error): void {
    const pending = id === null ? undefined : this.#pending.get(id);
    if (!pending) {
      this.#options.onError?.(typeof reason === 'string' ? new Error(reason) : reason);
      return;
    }
    this.#pending.settle(id as RequestId, pending);
    pending.reject(typeof reason === 'string' ? new McpError(ErrorCode.InvalidRequest, reason) : reason);
  }

  /** Settles every waiting request with an error. */
  rejectAll(error: Error): void {
    this.#pending.rejectAll(error);
  }

  /** Lets go of the shared time-limit timer once the connection is over. */
  release(): void {
    this.#pending.release();
  }
}
