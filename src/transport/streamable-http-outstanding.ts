/**
 * The requests a Streamable HTTP client has POSTed and not yet seen answered: the session each was
 * sent in, which are `initialize`, and how a 2026-07-28 one is cancelled.
 */
import type { JsonRpcRequest, RequestId } from '../protocol/index.ts';

/** One request waiting for its answer. */
export interface Outstanding {
  message: JsonRpcRequest;
  session: string | undefined;
  /** Aborts the POST of a modern request: its cancellation. */
  cancel: AbortController | undefined;
}

/** The waiting requests of one transport, by id. */
export class OutstandingRequests {
  readonly #byId = new Map<RequestId, Outstanding>();
  readonly #initializeIds = new Set<RequestId>();

  /** Starts waiting for a request; `initialize` marks the one whose answer names the protocol version. */
  add(id: RequestId, outstanding: Outstanding, initialize: boolean): void {
    this.#byId.set(id, outstanding);
    if (initialize) this.#initializeIds.add(id);
  }

  /** The waiting request with this id. */
  get(id: RequestId): Outstanding | undefined {
    return this.#byId.get(id);
  }

  /** Whether request `id` still waits for its answer. */
  has(id: RequestId): boolean {
    return this.#byId.has(id);
  }

  /** Stops waiting for request `id`; true when it was an `initialize` request. */
  forget(id: RequestId): boolean {
    this.#byId.delete(id);
    return this.#initializeIds.delete(id);
  }

  /** The requests sent in `session` that are to be sent again in a new one (all but `initialize`). */
  resendable(session: string): JsonRpcRequest[] {
    return [...this.#byId.values()]
      .filter((o) => o.session === session && o.message.method !== 'initialize')
      .map((o) => o.message);
  }
}
