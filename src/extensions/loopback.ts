/**
 * An in-process channel into a server: requests sent through it are dispatched like any other
 * (middleware, envelope checks, handlers, result shaping) but answered to the sender in this
 * process. Background work (a task's tool call) runs on it, so that it does not depend on the
 * transport of the request that started it, which closes once that request is answered.
 */
import type { ErrorObject, JsonRpcMessage, RequestId } from '../protocol/index.ts';
import type { MessageInfo, SendOptions, Transport, TransportSink } from '../rpc/index.ts';

/** How one request through the loopback ended. */
export type LoopbackOutcome = { result: Record<string, unknown> } | { error: ErrorObject };

/** A notification the server sent while serving a loopback request. */
export interface LoopbackNotification {
  method: string;
  params: Record<string, unknown> | undefined;
  /** The loopback request it belongs to, when the server said. */
  relatedRequestId: RequestId | undefined;
}

/** The Transport that feeds requests to a server and collects its answers. */
export class Loopback implements Transport {
  #sink: TransportSink | undefined;
  #next = 0;
  #closed = false;
  readonly #pending = new Map<RequestId, (outcome: LoopbackOutcome) => void>();
  readonly #onNotification: (n: LoopbackNotification) => void;

  constructor(onNotification: (n: LoopbackNotification) => void = () => {}) {
    this.#onNotification = onNotification;
  }

  start(sink: TransportSink): void {
    this.#sink = sink;
  }

  send(message: JsonRpcMessage | JsonRpcMessage[], options?: SendOptions): void {
    for (const m of Array.isArray(message) ? message : [message]) {
      if ('method' in m) {
        if (!('id' in m)) {
          this.#onNotification({
            method: m.method,
            params: m.params,
            relatedRequestId: options?.relatedRequestId,
          });
        }
        continue; // a server request needs a client; the modern revision asks through results instead
      }
      if (m.id === null) continue;
      const settle = this.#pending.get(m.id);
      if (!settle) continue;
      this.#pending.delete(m.id);
      settle('error' in m ? { error: m.error } : { result: m.result as Record<string, unknown> });
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const settle of this.#pending.values()) {
      settle({ error: { code: -32603, message: 'The server closed while the request ran.' } });
    }
    this.#pending.clear();
    this.#sink?.closed();
  }

  /** Sends a request with the given transport facts; resolves with its answer. */
  request(
    method: string,
    params: Record<string, unknown>,
    info: MessageInfo,
  ): { id: RequestId; outcome: Promise<LoopbackOutcome> } {
    const id = `loopback-${++this.#next}`;
    if (!this.#sink || this.#closed) {
      return {
        id,
        outcome: Promise.resolve({ error: { code: -32603, message: 'The loopback is not connected.' } }),
      };
    }
    const outcome = new Promise<LoopbackOutcome>((resolve) => this.#pending.set(id, resolve));
    this.#sink.receive({ jsonrpc: '2.0', id, method, params }, info);
    return { id, outcome };
  }

  /** Cancels a request (`notifications/cancelled`); its outcome becomes an error. */
  cancel(id: RequestId, reason: string): void {
    const settle = this.#pending.get(id);
    this.#pending.delete(id);
    settle?.({ error: { code: -32603, message: `Request cancelled: ${reason}` } });
    this.#sink?.receive({
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId: id, reason },
    });
  }
}
