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
    timer: undefined,
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
    if (byId?.delete(id) && byId.size === 0) this.#byId = undefined;
    if (pending.timer !== undefined) clearTimeout(pending.timer);
    const byToken = this.#byToken;
    if (pending.progressToken !== undefined && byToken?.delete(pending.progressToken) && byToken.size === 0) {
      this.#byToken = undefined;
    }
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
        if (!this.#byId?.has(id)) return;
        this.settle(id, pending);
        expired(total);
      },
      Math.max(0, Math.min(left, pending.timeout)),
    );
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
}
