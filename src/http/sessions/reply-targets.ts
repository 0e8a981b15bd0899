/**
 * The answers a Streamable HTTP session has open (POST streams and JSON replies), and which of them
 * each request waiting for its response goes to. Its collections are made when first needed and
 * dropped when empty, so an idle session holds none.
 */
import type { JsonRpcRequest, RequestId } from '../../protocol/index.ts';
import type { ReplyTarget } from './stream.ts';

/** The open answers of one session, by request id. */
export class ReplyTargets {
  #open: Set<ReplyTarget> | undefined;
  #byRequest: Map<RequestId, ReplyTarget> | undefined;

  /** The answer a request goes to, while it waits for its response. */
  of(id: RequestId): ReplyTarget | undefined {
    return this.#byRequest?.get(id);
  }

  /** Whether a request id is waiting for its response. */
  has(id: RequestId): boolean {
    return this.#byRequest?.has(id) ?? false;
  }

  /** Every answer open. */
  all(): ReplyTarget[] {
    return [...(this.#open ?? [])];
  }

  /** Opens an answer to the given requests. */
  add(target: ReplyTarget, requests: readonly JsonRpcRequest[]): void {
    this.#open ??= new Set();
    this.#open.add(target);
    this.#byRequest ??= new Map();
    for (const r of requests) {
      target.pending.add(r.id);
      this.#byRequest.set(r.id, target);
    }
  }

  /** Forgets a request (its response is on its way). */
  forget(id: RequestId): void {
    const byRequest = this.#byRequest;
    if (byRequest?.delete(id) && byRequest.size === 0) this.#byRequest = undefined;
  }

  /** Notes that an answer has ended; true when it was the last one open. */
  ended(target: ReplyTarget): boolean {
    const open = this.#open;
    if (!open?.delete(target) || open.size > 0) return false;
    this.#open = undefined;
    return true;
  }

  /** Forgets every answer and request. */
  clear(): void {
    this.#open = undefined;
    this.#byRequest = undefined;
  }
}
