/**
 * Serving a POST of the stateless revision 2026-07-28: checked (see modern-check.ts), then served
 * by the host's transport-free exchange (`serve`), or, for a host that only connects transports, on
 * a transport of its own that lives as long as the request. Nothing outlives it: no session, no
 * stream to resume, and the client closing the connection cancels the request.
 */
import { ErrorCode, isResponse, MODERN_REVISION, type RequestId } from '../../protocol/index.ts';
import type { Caller } from '../auth.ts';
import { requestDeparture } from '../beside.ts';
import type { ParsedBody } from '../body.ts';
import type { HandlerContext } from '../context.ts';
import { HttpInfo } from '../info.ts';
import { accepted, errorReply } from '../reply.ts';
import { ModernExchange } from './exchange.ts';
import { checkModernPost } from './modern-check.ts';

/**
 * Serves one POST of the stateless revision. Not an async function: a host with `serve` answers
 * through the exchange's promise as it is, without another promise around it.
 */
export function serveModernPost(
  request: Request,
  body: ParsedBody,
  ctx: HandlerContext,
  caller?: Caller,
): Response | Promise<Response> {
  const message = body.messages[0];
  if (body.batch || message === undefined) {
    return errorReply(
      400,
      ErrorCode.InvalidRequest,
      `Invalid Request: a ${MODERN_REVISION} POST carries exactly one JSON-RPC message, never a batch.`,
    );
  }
  if (isResponse(message)) {
    return errorReply(
      400,
      ErrorCode.InvalidRequest,
      `Invalid Request: a ${MODERN_REVISION} client sends no responses; answers to input requests go in the inputResponses of the retried request.`,
      undefined,
      message.id,
    );
  }
  if (!('id' in message)) return accepted(); // no session, so nothing a notification could change
  const { options, host } = ctx;
  const envelope = checkModernPost(request, message, ctx.modern);
  if (envelope instanceof Response) return envelope;
  const exchange = new ModernExchange(requestDeparture(request), {
    jsonOnly: options.jsonResponse && message.method !== 'subscriptions/listen',
    keepAliveMs: options.keepAliveMs,
    maxBufferedBytes: options.maxBufferedBytes,
    onError: options.onError,
    onDone: (e) => ctx.exchanges.delete(e),
  });
  if (exchange.done) return new Response(null, { status: 499 });
  ctx.exchanges.add(exchange);
  const info = new HttpInfo(request, MODERN_REVISION);
  if (caller) info.auth = caller.auth;
  if (host.serve) {
    host
      .serve(message, { info, envelope, signal: exchange, notify: (n) => exchange.notify(n) })
      .then((response) => exchange.finish(response), options.onError);
    return exchange.response;
  }
  return connectModern(exchange, body, info, ctx, message.id);
}

/** Serves the request on a transport of its own, for a host that only connects transports. */
async function connectModern(
  exchange: ModernExchange,
  body: ParsedBody,
  info: HttpInfo,
  ctx: HandlerContext,
  id: RequestId,
): Promise<Response> {
  const { options, host } = ctx;
  try {
    exchange.handle = await host.connect(exchange);
  } catch (error) {
    options.onError(error as Error);
    await exchange.close();
    return errorReply(
      500,
      ErrorCode.InternalError,
      `Internal error: the server could not serve the request: ${(error as Error).message}`,
      undefined,
      id,
    );
  }
  if (exchange.done) {
    await exchange.terminate();
    return new Response(null, { status: 499 });
  }
  exchange.deliver(body.value, info);
  return exchange.response;
}
