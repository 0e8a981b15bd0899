/**
 * Streamable HTTP without sessions: every POST is served by a fresh transport connected to the host
 * and closed once its answer is complete (or its client has gone). GET and DELETE are not offered.
 */
import { ErrorCode } from '../protocol/index.ts';
import type { HandlerContext } from './context.ts';
import {
  answerPost,
  checkBatchAndIds,
  checkVersionHeader,
  DEFAULT_HEADER_REVISION,
  findInitialize,
  readPost,
} from './post.ts';
import { errorReply, methodNotAllowed } from './reply.ts';
import { StreamableSession } from './session.ts';

/** Serves one request on the MCP endpoint of a stateless handler. */
export async function serveStateless(request: Request, ctx: HandlerContext): Promise<Response> {
  if (request.method !== 'POST')
    return methodNotAllowed('POST', 'the MCP endpoint of a server without sessions');
  const { options } = ctx;
  const body = await readPost(request, options);
  if (body instanceof Response) return body;
  if (!findInitialize(body)) {
    const badVersion = checkVersionHeader(request, options);
    if (badVersion) return badVersion;
  }
  const version = request.headers.get('mcp-protocol-version') ?? DEFAULT_HEADER_REVISION;
  const refused = checkBatchAndIds(body, version, () => false);
  if (refused) return refused;
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
  request.signal.addEventListener('abort', () => void transport.terminate(), { once: true });
  const response = await answerPost(transport, body, request, options, {});
  if (body.requests.length === 0) void transport.terminate();
  return response;
}
