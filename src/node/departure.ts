/**
 * The client of a node:http request going away, watched without an AbortController: a request
 * whose answer is written before its client leaves (nearly all of them) never needs one, and an
 * AbortController with its signal is the dearest object the adapter would otherwise make per
 * request. The AbortSignal is made the first time it is asked for, already aborted if the client
 * has gone by then.
 */
import type { DepartureWatch } from '../http/adapter.ts';

type Listener = () => void;

export class ClientDeparture implements DepartureWatch {
  #aborted = false;
  /** One listener, or several (most requests have one: their exchange). */
  #listeners: Listener | Listener[] | undefined;
  #controller: AbortController | undefined;

  get aborted(): boolean {
    return this.#aborted;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(departed());
    }
    return this.#controller.signal;
  }

  /** Adds a listener called once when the client goes (never, if it has gone already). */
  addEventListener(_type: 'abort', listener: Listener): void {
    if (this.#aborted) return;
    const now = this.#listeners;
    if (now === undefined) this.#listeners = listener;
    else if (typeof now === 'function') this.#listeners = [now, listener];
    else now.push(listener);
  }

  removeEventListener(_type: 'abort', listener: Listener): void {
    const now = this.#listeners;
    if (now === listener) this.#listeners = undefined;
    else if (Array.isArray(now)) {
      const at = now.indexOf(listener);
      if (at >= 0) now.splice(at, 1);
    }
  }

  /** The client went away: abort the signal, if made, and call each listener once. */
  depart(): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#controller?.abort(departed());
    const now = this.#listeners;
    this.#listeners = undefined;
    if (typeof now === 'function') now();
    else if (now !== undefined) {
      // As with an AbortSignal, a listener that throws does not keep the others from running.
      let failure: { error: unknown } | undefined;
      for (const listener of now) {
        try {
          listener();
        } catch (error) {
          failure ??= { error };
        }
      }
      if (failure) throw failure.error;
    }
  }
}

function departed(): Error {
  return new Error('The client closed the connection.');
}
