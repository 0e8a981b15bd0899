/** The requests a peer sent and still waits for: their timers, progress tokens and settling. */
import type { ProgressParams, ProgressToken, RequestId } from '../protocol/index.ts';

type Result = Record<string, unknown>;

/** One request waiting for its answer. */
export interface Pending {
  method: string;
  resolve: (result: Result) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
  timeout: number;
  deadline: number;
  maxTotal: number;
  resetOnProgress: boolean;
  onprogress?: (progress: ProgressParams) => void;
  progressToken?: ProgressToken;
  cleanup?: () => void;
}

/** The waiting requests, by id and by progress token. */
export class PendingRequests {
  readonly #byId = new Map<RequestId, Pending>();
  readonly #byToken = new Map<ProgressToken, RequestId>();

  /** How many requests wait. */
  get size(): number {
    return this.#byId.size;
  }

  /** Starts waiting for a request. */
  add(id: RequestId, pending: Pending): void {
    this.#byId.set(id, pending);
    if (pending.progressToken !== undefined) this.#byToken.set(pending.progressToken, id);
  }

  /** The waiting request with this id. */
  get(id: RequestId): Pending | undefined {
    return this.#byId.get(id);
  }

  /** Whether a request with this id still waits. */
  has(id: RequestId): boolean {
    return this.#byId.has(id);
  }

  /** The id of the request a progress token belongs to. */
  idOfProgress(token: ProgressToken): RequestId | undefined {
    return this.#byToken.get(token);
  }

  /** Stops waiting: forgets the request, its timer, its token and its abort listener. */
  settle(id: RequestId, pending: Pending): void {
    this.#byId.delete(id);
    if (pending.timer !== undefined) clearTimeout(pending.timer);
    if (pending.progressToken !== undefined) this.#byToken.delete(pending.progressToken);
    pending.cleanup?.();
  }

  /**
   * (Re)starts a request's timer: the shorter of its timeout and what is left of its total time.
   * When it fires the request is settled and `expired(total)` says which limit ran out.
   */
  arm(id: RequestId, pending: Pending, expired: (total: boolean) => void): void {
    if (pending.timer !== undefined) clearTimeout(pending.timer);
    if (!Number.isFinite(pending.timeout) && !Number.isFinite(pending.deadline)) return;
    const left = pending.deadline - Date.now();
    const total = left <= pending.timeout;
    pending.timer = setTimeout(
      () => {
        if (!this.#byId.has(id)) return;
        this.settle(id, pending);
        expired(total);
      },
      Math.max(0, Math.min(left, pending.timeout)),
    );
  }

  /** Settles every waiting request with an error. */
  rejectAll(error: Error): void {
    for (const [id, pending] of this.#byId) {
      this.settle(id, pending);
      pending.reject(error);
    }
  }
}
