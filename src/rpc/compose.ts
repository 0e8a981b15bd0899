/** Onion middleware around every inbound and outbound request. */
import type { Params, RequestId } from '../protocol/index.ts';
import type { MessageInfo } from './transport.ts';

/** One request as middleware sees it. */
export interface MiddlewareRequest {
  /** 'inbound' for requests the peer received, 'outbound' for requests it sends. */
  direction: 'inbound' | 'outbound';
  /** The JSON-RPC method. */
  method: string;
  /** The params, which middleware may replace before calling next. */
  params: Params | undefined;
  /** The request id (for outbound requests, the id it will carry). */
  id: RequestId;
  /** Facts from the transport about an inbound request. */
  info?: MessageInfo;
  /** Aborted when the request is cancelled. */
  signal: AbortSignal;
}

/** A middleware: call `next()` to go on, or return/throw to answer without it. */
export type Middleware = (
  request: MiddlewareRequest,
  next: () => Promise<Record<string, unknown>>,
) => Promise<Record<string, unknown>>;

/** Composes middleware around a final handler; returns the handler itself when there is none. */
export function compose(
  middleware: readonly Middleware[],
  final: (request: MiddlewareRequest) => Promise<Record<string, unknown>>,
): (request: MiddlewareRequest) => Promise<Record<string, unknown>> {
  if (middleware.length === 0) return final;
  return (request) => {
    let last = -1;
    const run = (i: number): Promise<Record<string, unknown>> => {
      if (i <= last) return Promise.reject(new Error('next() was called twice by one middleware.'));
      last = i;
      const mw = middleware[i];
      if (mw === undefined) return final(request);
      try {
        return mw(request, () => run(i + 1));
      } catch (error) {
        return Promise.reject(error);
      }
    };
    return run(0);
  };
}
