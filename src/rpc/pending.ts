/** The requests a peer sent and still waits for: their timers, progress tokens and settling. */
import type { JsonRpcRequest, Params, ProgressParams, ProgressToken, RequestId } from '../protocol/index.ts';
import type { PeerOptions, RequestOptions } from './options.ts';

type Result = Record<string, unknown>;

const DEFAULT_TIMEOUT = 60_000;
const DEFAULT_MAX_TOTAL = 10 * 60_000;

/** The progress token of a request: its id when the caller wants progress. */
function progressTokenOf(id: RequestId, options: RequestOptions | undefined): ProgressToken | undefined {
  return options?.onprogress || options?.progressToken ? id : undefined;
}

/** The request message to send, its progress token (the request id) in `_meta` when progress is wanted. */
export function outgoingRequest(
  id: RequestId,
  method: string,
  params: Params | undefined,
  options: RequestOptions | undefined,
): JsonRpcRequest {
  const progressToken = progressTokenOf(id, options);
  const sent =
    progressToken === undefined ? params : { ...params, _meta: { ...params?._meta, progressToken } };
  return sent === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params: sent };
}

/** The record of a request about to be sent: its settling, timeouts (the request's, else the peer's) and progress. */
export function newPending(
  id: RequestId,
  method: string,
  resolve: (result: Result) => void,
  reject: (error: Error) => void,
  options: RequestOptions | undefined,
  defaults: PeerOptions,
): Pending {
  const timeout = options?.timeout ?? defaults.timeout ?? DEFAULT_TIMEOUT;
  const maxTotal = options?.maxTotalTimeout ?? defaults.maxTotalTimeout ?? DEFAULT_MAX_TOTAL;
  return {
    method,
    resolve,
    reject,
    due: undefined,
    timeout,
    deadline: Date.now() + maxTotal,
    maxTotal,
    resetOnProgress: options?.resetTimeoutOnProgress ?? true,
    onprogress: options?.onprogress,
    progressToken: progressTokenOf(id, options),
  };
}

/** One request waiting for its answer. */
export interface Pending {
  method: string;
  resolve: (result: Result) => void;
  reject: (error: Error) => void;
  /** When its timer runs out (ms since the epoch); undefined: no limit. */
  due: number | undefined;
  /** Called when its time ran out; `total` says which limit did. */
  expired?: (total: boolean) => void;
  timeout: number;
  deadline: number;
  maxTotal: number;
  resetOnProgress: boolean;
  onprogress?: (progress: ProgressParams) => void;
  progressToken?: ProgressToken;
  cleanup?: () => void;
}

/**
 * The waiting requests, by id and by progress token. Their time limits share one timer, armed for
 * the earliest: most requests are answered long before it, and an answer touches no timer. When
 * nothing waits the timer is kept but unref'd (it holds no process open, and finds nothing when it
 * fires), so that one request at a time, each answered before the last one's limit, sets no timer
 * of its own: the next request only refs it again. Where a timer cannot be unref'd it is cleared.
 */
export class PendingRequests {
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the shared timer fires (ms since the epoch). */
  #timerAt = Number.POSITIVE_INFINITY;
  // Made when first needed and dropped when empty: most connections wait for nothing most of the time.
  #byId: Map<RequestId, Pending> | undefined;
  #byToken: Map<ProgressToken, RequestId> | undefined;

  /** How many requests wait. */
  get size(): number {
    return this.#byId?.size ?? 0;
  }

  /** Starts waiting for a request. */
  add(id: RequestId, pending: Pending): void {
    this.#byId ??= new Map();
    this.#byId.set(id, pending);
    if (pending.progressToken !== undefined) {
      this.#byToken ??= new Map();
      this.#byToken.set(pending.progressToken, id);
    }
  }

  /** The waiting request with this id. */
  get(id: RequestId): Pending | undefined {
    return this.#byId?.get(id);
  }

  /** Whether a request with this id still waits. */
  has(id: RequestId): boolean {
    return this.#byId?.has(id) ?? false;
  }

  /** The id of the request a progress token belongs to. */
  idOfProgress(token: ProgressToken): RequestId | undefined {
    return this.#byToken?.get(token);
  }

  /** Stops waiting: forgets the request, its timer, its token and its abort listener. */
  settle(id: RequestId, pending: Pending): void {
    const byId = this.#byId;
    if (byId?.delete(id) && byId.size === 0) {
      this.#byId = undefined;
      // Where timers are plain numbers (browsers, Workers, Deno) nothing can unref it: clear it.
      const timer = this.#timer as { unref?: () => unknown } | undefined;
      if (typeof timer?.unref === 'function') timer.unref();
      else this.#stopTimer();
    }
    pending.due = undefined;
    const byToken = this.#byToken;
    if (pending.progressToken !== undefined && byToken?.delete(pending.progressToken) && byToken.size === 0) {
      this.#byToken = undefined;
    }
    pending.cleanup?.();
  }

  /**
   * (Re)starts a request's time limit: the shorter of its timeout and what is left of its total
   * time. When it runs out the request is settled and `expired(total)` says which limit did.
   */
  arm(_id: RequestId, pending: Pending, expired: (total: boolean) => void): void {
    if (!Number.isFinite(pending.timeout) && !Number.isFinite(pending.deadline)) {
      pending.due = undefined;
      return;
    }
    const now = Date.now();
    pending.due = now + Math.max(0, Math.min(pending.deadline - now, pending.timeout));
    pending.expired = expired;
    if (pending.due < this.#timerAt) this.#startTimer(pending.due, now);
    else (this.#timer as { ref?: () => unknown } | undefined)?.ref?.();
  }

  #startTimer(at: number, now: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(() => this.#expire(), Math.max(0, at - now));
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
  }

  /** The shared timer fired: settles every request whose time ran out, then re-arms for the next. */
  #expire(): void {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    const byId = this.#byId;
    if (!byId) return;
    const now = Date.now();
    const due: [RequestId, Pending][] = [];
    let next = Number.POSITIVE_INFINITY;
    for (const entry of byId) {
      const at = entry[1].due;
      if (at === undefined) continue;
      if (at <= now) due.push(entry);
      else if (at < next) next = at;
    }
    for (const [id, pending] of due) {
      const total = (pending.due as number) >= pending.deadline;
      const expired = pending.expired;
      this.settle(id, pending);
      expired?.(total);
    }
    if (next !== Number.POSITIVE_INFINITY && this.#byId && next < this.#timerAt) this.#startTimer(next, now);
  }

  /** Settles every waiting request with an error. */
  rejectAll(error: Error): void {
    const byId = this.#byId;
    if (!byId) return;
    for (const [id, pending] of [...byId]) {
      this.settle(id, pending);
      pending.reject(error);
    }
  }

  /** Clears the shared timer, kept unref'd while nothing waits (the connection is over). */
  release(): void {
    this.#stopTimer();
  }
}
