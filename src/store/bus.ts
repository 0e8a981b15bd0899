/**
 * The Bus: publish/subscribe between the nodes of one deployment, so that a message received by
 * one node reaches the node that can act on it (the one waiting for an answer, the one holding a
 * client's SSE connection). Messages are strings; delivery is at most once and unordered across
 * publishers, so what must not be lost travels through a store and the Bus only says "look".
 */

/** Receives one message published on a channel. */
export type BusHandler = (message: string) => void;

/** Publish/subscribe between processes (or, in memory, between handlers of one process). */
export interface Bus {
  /** Publishes a message on a channel; resolves once the bus has taken it. */
  publish(channel: string, message: string): Promise<void>;
  /** Subscribes to a channel; resolves, once subscribed, with the function that unsubscribes. */
  subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>>;
}

/** A Bus inside one process: handlers of several HTTP handlers in a test, or one node alone. */
export class MemoryBus implements Bus {
  readonly #channels = new Map<string, Set<BusHandler>>();

  /** Number of channels with at least one subscriber (for tests and metrics). */
  get size(): number {
    return this.#channels.size;
  }

  async publish(channel: string, message: string): Promise<void> {
    const handlers = this.#channels.get(channel);
    if (!handlers) return;
    for (const handler of [...handlers]) queueMicrotask(() => handler(message));
  }

  async subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>> {
    let handlers = this.#channels.get(channel);
    if (!handlers) {
      handlers = new Set();
      this.#channels.set(channel, handlers);
    }
    const wrapped: BusHandler = (m) => handler(m);
    handlers.add(wrapped);
    return async () => {
      const set = this.#channels.get(channel);
      if (!set?.delete(wrapped)) return;
      if (set.size === 0) this.#channels.delete(channel);
    };
  }
}
