/**
 * The GET stream of a session that several nodes serve: every node appends what it sends there to
 * the shared event store and wakes the stream's followers; whichever node holds the client's GET
 * connection follows the stored stream and writes it out (see follow.ts).
 */
import type { JsonRpcMessage, RequestId } from '../../protocol/index.ts';
import type { EventStore } from '../../store/index.ts';
import type { ReplyTarget } from '../sessions/stream.ts';

/** A stream written through the store only, never straight to a connection. */
export class SharedStream implements ReplyTarget {
  /** The stream id. */
  readonly id: string;
  readonly pending = new Set<RequestId>();
  readonly carriesRelated = true;
  #chain: Promise<void> = Promise.resolve();
  readonly #store: EventStore;
  readonly #cluster: { wake(streamId: string): void };
  readonly #onError: (error: Error) => void;

  constructor(
    id: string,
    store: EventStore,
    cluster: { wake(streamId: string): void },
    onError: (error: Error) => void,
  ) {
    this.id = id;
    this.#store = store;
    this.#cluster = cluster;
    this.#onError = onError;
  }

  push(_message: JsonRpcMessage | JsonRpcMessage[], text: string): Promise<void> {
    const next = this.#chain.then(async () => {
      await this.#store.append(this.id, text);
      this.#cluster.wake(this.id);
    });
    this.#chain = next.catch((error: unknown) => this.#onError(error as Error));
    return next;
  }

  end(): void {}
}
