/**
 * The HTTP+SSE transport of revision 2024-11-05: GET on the SSE path opens a session whose first
 * event, `endpoint`, names the URL to POST messages to; answers arrive as `message` events.
 */
import { ErrorCode } from '../../protocol/index.ts';
import { newSessionId } from '../../store/index.ts';
import { type Caller, checkRequestScopes, foreignSession } from '../auth.ts';
import { clientAddressOf, requestDeparture } from '../beside.ts';
import { isJsonContentType, parseBody, readBodyText } from '../body.ts';
import type { HandlerContext } from '../context.ts';
import { HttpInfo } from '../info.ts';
import {
  accepted,
  errorReply,
  methodNotAllowed,
  SESSION_NOT_FOUND,
  sessionRefused,
  TRANSPORT_ERROR,
} from '../reply.ts';
import { SSE_HEADERS, SseConnection, sseResponse } from '../sse.ts';
import { LegacySseSession } from './legacy-session.ts';
import { checkVersionHeader } from './post.ts';

/** Opens an HTTP+SSE session (GET on the SSE path). */
export async function openLegacySse(
  request: Request,
  ctx: HandlerContext,
  caller?: Caller,
): Promise<Response> {
  if (request.method !== 'GET') return methodNotAllowed('GET', 'the SSE endpoint');
  const { options, registry } = ctx;
  const client = caller?.principal ?? clientAddressOf(request);
  const refused = registry.admit(client);
  if (refused) return sessionRefused(refused, options.maxSessions, options.maxSessionsPerClient);
  const id = newSessionId();
  const session = new LegacySseSession(id, options.onError, (s) => registry.remove(s));
  session.subject = caller?.principal;
  const conn = new SseConnection({
    keepAliveMs: options.keepAliveMs,
    maxBufferedBytes: options.maxBufferedBytes,
    signal: requestDeparture(request),
    onClose: () => void session.terminate(),
  });
  session.attach(conn);
  try {
    session.handle = await ctx.host.connect(session);
  } catch (error) {
    options.onError(error as Error);
    conn.end();
    return errorReply(
      500,
      ErrorCode.InternalError,
      `Internal error: the server could not start a session: ${(error as Error).message}`,
    );
  }
  if (conn.closed) {
    await session.terminate();
    return new Response(null, { status: 499 });
  }
  registry.add(session, client);
  if (ctx.cluster) {
    const now = Date.now();
    const record = {
      id,
      transport: 'sse' as const,
      createdAt: now,
      lastSeen: now,
      node: ctx.cluster.nodeId,
      ...(caller ? { subject: caller.principal } : {}),
    };
    await options.sessionStore.set(record);
  }
  conn.event(`${options.messagesPath}?sessionId=${id}`, undefined, 'endpoint');
  return sseResponse(conn, SSE_HEADERS);
}

/** Takes a message POSTed to an HTTP+SSE session; the answer goes out on the session's SSE stream. */
export async function postLegacyMessage(
  request: Request,
  url: URL,
  ctx: HandlerContext,
  caller?: Caller,
): Promise<Response> {
  if (request.method !== 'POST') return methodNotAllowed('POST', 'the message endpoint');
  const { options, registry } = ctx;
  if (!isJsonContentType(request.headers.get('content-type'))) {
    return errorReply(
      415,
      TRANSPORT_ERROR,
      'Unsupported Media Type: send the body as Content-Type: application/json.',
    );
  }
  const id = url.searchParams.get('sessionId');
  if (id === null) {
    return errorReply(
      400,
      TRANSPORT_ERROR,
      'Bad Request: the sessionId query parameter is missing; POST to the URL of the endpoint event.',
    );
  }
  const session = registry.get(id, 'sse');
  const remote = session || !ctx.cluster ? undefined : await options.sessionStore.get(id);
  if (!(session instanceof LegacySseSession) && remote?.transport !== 'sse') {
    return errorReply(
      404,
      SESSION_NOT_FOUND,
      'Session not found: its SSE connection has closed; open a new one.',
    );
  }
  const subject = session instanceof LegacySseSession ? session.subject : remote?.subject;
  if (options.auth && subject !== caller?.principal) return foreignSession();
  const badVersion = checkVersionHeader(request, options);
  if (badVersion) return badVersion;
  const text = await readBodyText(request, options);
  if (text instanceof Response) return text;
  const body = parseBody(text);
  if (body instanceof Response) return body;
  if (caller && options.auth) {
    const denied = checkRequestScopes(options.auth, caller, body.requests);
    if (denied) return denied;
  }
  if (!(session instanceof LegacySseSession)) {
    // The session's connection is on another node: the message goes there.
    if (remote) ctx.cluster?.forwardLegacy(remote, body.value, caller?.auth);
    return accepted();
  }
  const info = new HttpInfo(request, request.headers.get('mcp-protocol-version') ?? undefined);
  if (caller) info.auth = caller.auth;
  session.deliver(body.value, info);
  return accepted();
}
