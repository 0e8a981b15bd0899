/**
 * Where the answers to one POST go: an SSE stream (resumable when there is an event store) or a
 * single JSON reply. Both know which request ids are still waiting for their response.
 */
import type { JsonRpcMessage, RequestId } from '../../protocol/index.ts';
import type { EventStore } from '../../store/index.ts';
import type { SseConnection } from '../sse.ts';

/** Something the session routes a POST's responses to. */
export interface ReplyTarget {
  /** Request ids whose responses have not gone out yet. */
  readonly pending: Set<RequestId>;
  /** Whether related requests and notifications can travel here too (SSE) or not (JSON). */
  readonly carriesRelated: boolean;
  /** Sends one message (its JSON text given); `last` ends the target after it. */
  push(message: JsonRpcMessage | JsonRpcMessage[], text: string, last: boolean): Promise<void>;
  /** Ends the target now (session closing). */
  end(): void;
}

/**
 * A logical SSE stream. Its messages are stored (when there is a store) and written to the
 * connection attached at the moment, if any; a client that reconnects with `Last-Event-ID` gets a
 * new connection attached after the replay. All work on one stream runs in order.
 */
export class MessageStream implements ReplyTarget {
  /** The stream id; event ids name it. */
  readonly id: string;
  readonly carriesRelated = true;
  /** Made when a request is first routed here: a GET stream never has one. */
  #pending: Set<RequestId> | undefined;
  #conn: SseConnection | undefined;
  #attaching: SseConnection | undefined;
  #chain: Promise<void> = Promise.resolve();
  #ended = false;
  #delivered = false;
  readonly #store: EventStore | undefined;
  readonly #onError: (error: Error) => void;
  readonly #onEnded: (stream: MessageStream) => void;
  readonly #shared: { wake(streamId: string): void } | undefined;

  /** `shared`: the store is shared by several nodes; followers elsewhere are woken on each event. */
  constructor(
    id: string,
    store: EventStore | undefined,
    onError: (error: Error) => void,
    onEnded: (stream: MessageStream) => void,
    shared?: { wake(streamId: string): void },
  ) {
    this.id = id;
    this.#store = store;
    this.#onError = onError;
    this.#onEnded = onEnded;
    this.#shared = shared;
  }

  /** Request ids whose responses have not gone out yet. */
  get pending(): Set<RequestId> {
    this.#pending ??= new Set();
    return this.#pending;
  }

  /** Whether a live connection is attached. */
  get connected(): boolean {
    return (
      (this.#conn !== undefined && !this.#conn.closed) ||
      (this.#attaching !== undefined && !this.#attaching.closed)
    );
  }

  /** Whether the stream has ended (every response sent). */
  get ended(): boolean {
    return this.#ended;
  }

  /** Attaches a connection, replacing any other, after replaying the events that follow `lastEventId`. */
  attach(conn: SseConnection, lastEventId?: string): Promise<void> {
    this.#attaching = conn;
    return this.#run(async () => {
      if (this.#attaching === conn) this.#attaching = undefined;
      if (lastEventId !== undefined && this.#store) {
        await this.#store.replayAfter(lastEventId, (id, data) => {
          conn.event(data, id, 'message');
        });
      }
      if (this.#ended) {
        conn.end();
        return;
      }
      if (this.#conn && this.#conn !== conn) this.#conn.end();
      this.#conn = conn;
    });
  }

  /** Sends a priming event: an id and a retry interval, no data (only with a store). */
  prime(retryMs: number): Promise<void> {
    return this.#run(async () => {
      if (!this.#store) return;
      const id = await this.#store.append(this.id, '');
      this.#write(`id: ${id}\nretry: ${retryMs}\ndata: \n\n`);
    });
  }

  push(_message: JsonRpcMessage | JsonRpcMessage[], text: string, last: boolean): Promise<void> {
    return this.#run(async () => {
      let id: string | undefined;
      if (this.#store) {
        try {
          id = await this.#store.append(this.id, text);
          this.#shared?.wake(this.id);
        } catch (error) {
          this.#onError(error as Error);
        }
      }
      this.#write(`event: message\n${id === undefined ? '' : `id: ${id}\n`}data: ${text}\n\n`);
      if (last) this.end();
    });
  }

  /** Closes the connection without ending the stream; the client reconnects after `retryMs`. */
  dropConnection(retryMs: number): Promise<void> {
    return this.#run(async () => {
      const conn = this.#conn;
      this.#conn = undefined;
      if (!conn) return;
      conn.write(`retry: ${retryMs}\n\n`);
      conn.end();
    });
  }

  /** Whether the stream ended with every event written to a connection that was still open. */
  get delivered(): boolean {
    return this.#delivered;
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    // Every request answered and the last event written to an open connection: nothing to resume.
    this.#delivered = (this.#pending?.size ?? 0) === 0 && this.#conn !== undefined && !this.#conn.closed;
    this.#conn?.end();
    this.#conn = undefined;
    this.#onEnded(this);
    const store = this.#store;
    const shared = this.#shared;
    const finish = this.#delivered && store?.finish !== undefined;
    if ((shared && store?.end) || finish) {
      void this.#run(async () => {
        if (shared && store?.end) {
          await store.end(this.id);
          shared.wake(this.id);
        }
        // After the end mark: followers on other nodes read up to it within the grace.
        if (finish) await store?.finish?.(this.id);
      });
    }
  }

  #write(text: string): void {
    if (this.#conn && !this.#conn.write(text)) this.#conn = undefined;
  }

  #run(work: () => Promise<void>): Promise<void> {
    const next = this.#chain.then(work).catch((error: unknown) => this.#onError(error as Error));
    this.#chain = next;
    return next;
  }
}

/** The answer to a POST in JSON mode: collects the responses, then resolves with the body text. */
export class JsonReply implements ReplyTarget {
  readonly pending = new Set<RequestId>();
  readonly carriesRelated = false;
  /** Resolves with the body once every response is in (undefined when ended early). */
  readonly done: Promise<string | undefined>;
  readonly #batch: boolean;
  readonly #collected: JsonRpcMessage[] = [];
  #resolve: (body: string | undefined) => void = () => {};
  #ended = false;
  readonly #onEnded: (reply: JsonReply) => void;

  constructor(batch: boolean, onEnded: (reply: JsonReply) => void) {
    this.#batch = batch;
    this.#onEnded = onEnded;
    this.done = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  push(message: JsonRpcMessage | JsonRpcMessage[], text: string, last: boolean): Promise<void> {
    if (this.#ended) return Promise.resolve();
    const single = this.#collected.length === 0 && !Array.isArray(message);
    if (Array.isArray(message)) this.#collected.push(...message);
    else this.#collected.push(message);
    if (last) {
      // One response to one request: its text as it was serialized for sending.
      this.#finish(single && !this.#batch ? text : JSON.stringify(this.#collected));
    }
    return Promise.resolve();
  }

  end(): void {
    this.#finish(undefined);
  }

  #finish(body: string | undefined): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#resolve(body);
    this.#onEnded(this);
  }
}
