/**
 * Streamable HTTP of the stateful revisions without sessions: every POST is served by a fresh
 * transport connected to the host and closed once its answer is complete (or its client has gone).
 * Its messages are marked stateless, so the server serves them without initialize, at the revision
 * of the `MCP-Protocol-Version` header. GET and DELETE are not offered.
 */
import { ErrorCode } from '../../protocol/index.ts';
import type { Caller } from '../auth.ts';
import { requestSignal } from '../beside.ts';
import type { ParsedBody } from '../body.ts';
import type { HandlerContext } from '../context.ts';
import { errorReply } from '../reply.ts';
import {
  answerPost,
  checkBatchAndIds,
  checkVersionHeader,
  DEFAULT_HEADER_REVISION,
  findInitialize,
} from './post.ts';
import { StreamableSession } from './session.ts';

/** Serves one POST (already read) of the stateful revisions on the MCP endpoint of a stateless handler. */
export async function postStateless(
  request: Request,
  body: ParsedBody,
  ctx: HandlerContext,
  caller?: Caller,
): Promise<Response> {
  const { options } = ctx;
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
  requestSignal(request).addEventListener('abort', () => void transport.terminate(), { once: true });
  const response = await answerPost(transport, body, request, options, {}, true, caller?.auth);
  if (body.requests.length === 0) void transport.terminate();
  return response;
}
