/** An inbound request being served, with a lazily made AbortSignal. */

/**
 * An inbound request being served. Its AbortSignal is made only when something asks for it: most
 * handlers never do, and an AbortController per request is a measurable cost on the hot path.
 */
export class InflightRequest {
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;

  /** Aborted when the peer cancels the request or the connection closes. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Whether the request was cancelled. */
  get aborted(): boolean {
    return this.#aborted;
  }

  /** Cancels the request. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }
}
