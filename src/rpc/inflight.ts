/**
 * An inbound request being served, with a lazily made AbortSignal, how middleware sees it, and how
 * its result or failure is answered.
 */
import {
  describeError,
  ErrorCode,
  errorResponse,
  type JsonRpcResponse,
  McpError,
  type Params,
  type RequestId,
} from '../protocol/index.ts';
import type { MiddlewareRequest } from './compose.ts';
import type { InboundContext } from './options.ts';
import type { MessageInfo } from './transport.ts';

/**
 * How long a result waits after a progress notification of its own request, in ms. Official SDK
 * clients (1.x and v2) dispatch notifications a microtask after responses, and drop the progress
 * handler with the response: a progress notification read together with its result is lost. The
 * pause lets the notification travel (and be read) on its own; results without a progress
 * notification just before them go out at once.
 */
export const PROGRESS_PACE_MS = 25;

/** How long a result must still wait after a progress notification sent at `progressAt` (0: none was). */
export function paceAfterProgress(progressAt: number): number {
  if (progressAt === 0) return 0;
  const left = progressAt + PROGRESS_PACE_MS - Date.now();
  return left > 0 ? left : 0;
}

/**
 * An inbound request being served. Its AbortSignal is made only when something asks for it: most
 * handlers never do, and an AbortController per request is a measurable cost on the hot path.
 */
export class InflightRequest {
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;
  /** When a progress notification of this request was last sent (ms since the epoch; 0: never). */
  progressAt = 0;

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

/**
 * An inbound request as middleware and its handler see it; the signal is made when first read. A
 * class rather than an object literal with a getter, which would cost a hidden class per request.
 */
export class InboundRequest implements MiddlewareRequest, InboundContext {
  readonly direction = 'inbound';
  readonly method: string;
  params: Params | undefined;
  readonly id: RequestId;
  readonly info: MessageInfo | undefined;
  readonly #flight: InflightRequest;

  constructor(
    method: string,
    params: Params | undefined,
    id: RequestId,
    info: MessageInfo | undefined,
    flight: InflightRequest,
  ) {
    this.method = method;
    this.params = params;
    this.id = id;
    this.info = info;
    this.#flight = flight;
  }

  get signal(): AbortSignal {
    return this.#flight.signal;
  }
}

/** Turns anything a handler threw into an error response. */
export function toErrorResponse(id: RequestId | null, error: unknown): JsonRpcResponse {
  if (error instanceof McpError) return { jsonrpc: '2.0', id, error: error.toJSON() };
  return errorResponse(id, ErrorCode.InternalError, `Internal error: ${describeError(error)}`);
}
