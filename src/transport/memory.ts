/** An in-memory transport pair, for tests and for running a client and server in one process. */
import type { JsonRpcMessage } from '../protocol/index.ts';
import { ConnectionClosedError } from '../protocol/index.ts';
import type { Transport, TransportSink } from '../rpc/index.ts';

/** One end of an in-memory pair. Messages cross as JSON text, as they would on a wire. */
export class MemoryTransport implements Transport {
  #sink: TransportSink | undefined;
  #other: MemoryTransport | undefined;
  #queue: string[] = [];
  #closed = false;

  /** Links two ends. */
  static pair(): [MemoryTransport, MemoryTransport] {
    const a = new MemoryTransport();
    const b = new MemoryTransport();
    a.#other = b;
    b.#other = a;
    return [a, b];
  }

  start(sink: TransportSink): void {
    this.#sink = sink;
    const queued = this.#queue;
    this.#queue = [];
    for (const text of queued) sink.receiveText(text);
  }

  send(message: JsonRpcMessage | JsonRpcMessage[]): Promise<void> {
    if (this.#closed) return Promise.reject(new ConnectionClosedError('The in-memory transport is closed.'));
    const text = JSON.stringify(message);
    const other = this.#other as MemoryTransport;
    queueMicrotask(() => other.#deliver(text));
    return Promise.resolve();
  }

  #deliver(text: string): void {
    if (this.#closed) return;
    if (this.#sink) this.#sink.receiveText(text);
    else this.#queue.push(text);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#sink?.closed();
    const other = this.#other;
    if (other && !other.#closed) queueMicrotask(() => other.close());
  }
}

/** Creates a linked pair: give one end to the client and the other to the server. */
export function createMemoryPair(): [MemoryTransport, MemoryTransport] {
  return MemoryTransport.pair();
}
