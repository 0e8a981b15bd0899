/**
 * Streamable HTTP of the stateful revisions without sessions: the requests of every POST are served
 * without initialize, at the revision of the `MCP-Protocol-Version` header, by the host's
 * transport-free exchange (`serve`), the same one the stateless revision 2026-07-28 takes; a host
 * that only connects transports gets a fresh transport per POST, closed once its answer is complete
 * (or its client has gone). Notifications and responses change nothing without a session. GET and
 * DELETE are not offered.
 */
import { ErrorCode, type JsonRpcRequest } from '../../protocol/index.ts';
import type { Caller } from '../auth.ts';
import { requestDeparture } from '../beside.ts';
import type { ParsedBody } from '../body.ts';
import type { HandlerContext } from '../context.ts';
import { HttpInfo } from '../info.ts';
import { ModernExchange } from '../modern/exchange.ts';
import { accepted, errorReply } from '../reply.ts';
import {
  answerPost,
  checkBatchAndIds,
  checkVersionHeader,
  DEFAULT_HEADER_REVISION,
  findInitialize,
} from './post.ts';
import { StreamableSession } from './session.ts';

/**
 * Serves one POST (already read) of the stateful revisions on the MCP endpoint of a stateless
 * handler. Not an async function: the exchange's answer is passed on as it is.
 */
export function postStateless(
  request: Request,
  body: ParsedBody,
  ctx: HandlerContext,
  caller?: Caller,
): Response | Promise<Response> {
  const { options } = ctx;
  if (!findInitialize(body)) {
    const badVersion = checkVersionHeader(request, options);
    if (badVersion) return badVersion;
  }
  const version = request.headers.get('mcp-protocol-version') ?? DEFAULT_HEADER_REVISION;
  const refused = checkBatchAndIds(body, version, () => false);
  if (refused) return refused;
  if (ctx.host.serve) return serveStateless(request, body, ctx, version, caller);
  return connectStateless(request, body, ctx, version, caller);
}

/** Serves the POST on a transport of its own, for a host that only connects transports. */
async function connectStateless(
  request: Request,
  body: ParsedBody,
  ctx: HandlerContext,
  version: string,
  caller: Caller | undefined,
): Promise<Response> {
  const { options } = ctx;
  const transport = new StreamableSession(
    undefined,
    {
      store: undefined,
      retryMs: options.retryMs,
      keepAliveMs: options.keepAliveMs,
      maxBufferedBytes: options.maxBufferedBytes,
      onError: options.onError,
      onAnswered: (t) => void t.terminate(),
    },
    version,
  );
  try {
    transport.handle = await ctx.host.connect(transport);
  } catch (error) {
    options.onError(error as Error);
    return errorReply(
      500,
      ErrorCode.InternalError,
      `Internal error: the server could not serve the request: ${(error as Error).message}`,
    );
  }
  requestDeparture(request).addEventListener('abort', () => void transport.terminate(), { once: true });
  const response = await answerPost(transport, body, request, options, {}, true, caller?.auth);
  if (body.requests.length === 0) void transport.terminate();
  return response;
}

/** Serves the requests of a POST through the host's exchange: one answer, JSON or SSE. */
function serveStateless(
  request: Request,
  body: ParsedBody,
  ctx: HandlerContext,
  version: string,
  caller: Caller | undefined,
): Response | Promise<Response> {
  const { options, host } = ctx;
  const serve = host.serve;
  const requests = body.requests;
  if (serve === undefined || requests.length === 0) return accepted();
  const exchange = new ModernExchange(requestDeparture(request), {
    jsonOnly: options.jsonResponse,
    keepAliveMs: options.keepAliveMs,
    maxBufferedBytes: options.maxBufferedBytes,
    onError: options.onError,
    onDone: (e) => ctx.exchanges.delete(e),
    count: requests.length,
    batch: body.batch,
    errorStatus: () => 200,
  });
  if (exchange.done) return new Response(null, { status: 499 });
  ctx.exchanges.add(exchange);
  const info = new HttpInfo(request, version);
  info.stateless = true;
  if (caller) info.auth = caller.auth;
  const notify = exchange.notify.bind(exchange);
  const one = (message: JsonRpcRequest) =>
    serve
      .call(host, message, { info, revision: version, signal: exchange, notify })
      .then((response) => exchange.finish(response), options.onError);
  for (const message of requests) void one(message);
  return exchange.response;
}
