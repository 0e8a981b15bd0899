/** Streamable HTTP with sessions (revisions 2025-03-26 to 2025-11-25): POST, GET and DELETE. */
import { ErrorCode } from '../../protocol/index.ts';
import type { EventStore } from '../../store/index.ts';
import { newSessionId, randomToken } from '../../store/index.ts';
import { type Caller, foreignSession } from '../auth.ts';
import { clientAddressOf, requestDeparture } from '../beside.ts';
import { accepts, type ParsedBody } from '../body.ts';
import type { PostClaims } from '../cluster/claims.ts';
import type { HandlerContext } from '../context.ts';
import {
  errorReply,
  methodNotAllowed,
  SESSION_NOT_FOUND,
  sessionRefused,
  TRANSPORT_ERROR,
} from '../reply.ts';
import { SSE_HEADERS, type SseConnection, sseResponse } from '../sse.ts';
import { answerPost, checkBatchAndIds, checkVersionHeader, findInitialize, tooManyStreams } from './post.ts';
import { StreamableSession } from './session.ts';
import type { SessionSettings } from './settings.ts';

/** Serves one GET or DELETE on the MCP endpoint of a stateful handler. */
export async function serveStreamable(
  request: Request,
  ctx: HandlerContext,
  caller?: Caller,
): Promise<Response> {
  switch (request.method) {
    case 'GET':
      return get(request, ctx, caller);
    case 'DELETE':
      return del(request, ctx, caller);
    default:
      return methodNotAllowed('GET, POST, DELETE', 'the MCP endpoint');
  }
}

/** The Streamable HTTP session with this id, on this node or (cluster mode) another. */
async function lookUp(id: string, ctx: HandlerContext): Promise<unknown> {
  return ctx.cluster ? await ctx.cluster.find(id) : ctx.registry.get(id, 'streamable-http');
}

function sessionNotFound(): Response {
  return errorReply(
    404,
    SESSION_NOT_FOUND,
    'Session not found: it has expired or was closed; start a new session with initialize (without Mcp-Session-Id).',
  );
}

/** The session a request names, or the 400/403/404 answer. */
async function findSession(
  request: Request,
  ctx: HandlerContext,
  caller: Caller | undefined,
): Promise<StreamableSession | Response> {
  const id = request.headers.get('mcp-session-id');
  if (id === null) {
    return errorReply(
      400,
      TRANSPORT_ERROR,
      'Bad Request: the Mcp-Session-Id header is required; send initialize first to start a session.',
    );
  }
  const session = await lookUp(id, ctx);
  if (!(session instanceof StreamableSession)) return sessionNotFound();
  if (ctx.options.auth && session.subject !== caller?.principal) return foreignSession();
  return checkVersionHeader(request, ctx.options) ?? session;
}

/** Serves one POST (already read) of the stateful revisions on the MCP endpoint of a stateful handler. */
export function postStreamable(
  request: Request,
  body: ParsedBody,
  ctx: HandlerContext,
  caller?: Caller,
): Promise<Response> {
  if (findInitialize(body)) return initialize(request, body, ctx, caller);
  // Cluster mode: the request ids are claimed cluster-wide, alongside reading the session.
  const claims = ctx.cluster?.claim(request.headers.get('mcp-session-id'), body.requests);
  if (claims) return claims.around(() => postToSession(request, body, ctx, caller, claims));
  return postToSession(request, body, ctx, caller);
}

async function postToSession(
  request: Request,
  body: ParsedBody,
  ctx: HandlerContext,
  caller: Caller | undefined,
  claims?: PostClaims,
): Promise<Response> {
  const session = await findSession(request, ctx, caller);
  if (session instanceof Response) return session;
  const taken = claims && (await claims.settle());
  const refused = checkBatchAndIds(body, session.revision, (id) => id === taken || session.inUse(id));
  if (refused) return refused;
  claims?.keep(session);
  if (ctx.cluster && body.requests.length === 0 && !session.closed) {
    const info = {
      request,
      protocolVersion: request.headers.get('mcp-protocol-version') ?? undefined,
      ...(caller ? { auth: caller.auth } : {}),
    };
    ctx.cluster.route(session, body, (value) => session.deliver(value, info));
    return new Response(null, { status: 202, headers: { 'mcp-session-id': session.sessionId as string } });
  }
  return answerPost(
    session,
    body,
    request,
    ctx.options,
    { 'mcp-session-id': session.sessionId as string },
    false,
    caller?.auth,
  );
}

async function initialize(
  request: Request,
  body: ParsedBody,
  ctx: HandlerContext,
  caller: Caller | undefined,
): Promise<Response> {
  const init = findInitialize(body);
  if (!init || body.messages.length > 1) {
    return errorReply(
      400,
      ErrorCode.InvalidRequest,
      'Invalid Request: initialize must be the only message of its POST, never part of a batch.',
    );
  }
  const named = request.headers.get('mcp-session-id');
  if (named !== null) {
    // A session that no longer exists is 404 (the client starts afresh); a live one is initialized once.
    if (!((await lookUp(named, ctx)) instanceof StreamableSession)) return sessionNotFound();
    return errorReply(
      400,
      ErrorCode.InvalidRequest,
      'Invalid Request: a session is initialized only once; to start a new one, send initialize without Mcp-Session-Id.',
      undefined,
      init.id,
    );
  }
  const { options, registry } = ctx;
  const client = caller?.principal ?? clientAddressOf(request);
  const refused = registry.admit(client);
  if (refused) return sessionRefused(refused, options.maxSessions, options.maxSessionsPerClient);
  const id = newSessionId();
  const streamPrefix = ctx.cluster ? `${randomToken(8)}.` : '';
  const session = new StreamableSession(id, ctx.cluster?.settings(streamPrefix) ?? localSettings(ctx));
  session.subject = caller?.principal;
  if (ctx.cluster) {
    const now = Date.now();
    await options.sessionStore.set({
      id,
      transport: 'streamable-http',
      createdAt: now,
      lastSeen: now,
      streamPrefix,
      ...(caller ? { subject: caller.principal } : {}),
    });
    session.initParams = init.params as Record<string, unknown> | undefined;
    ctx.cluster.created(session);
  }
  try {
    session.handle = await ctx.host.connect(session);
  } catch (error) {
    options.onError(error as Error);
    return errorReply(
      500,
      ErrorCode.InternalError,
      `Internal error: the server could not start a session: ${(error as Error).message}`,
    );
  }
  registry.add(session as StreamableSession & { sessionId: string }, client);
  session.expectInitialize(init.id);
  return answerPost(session, body, request, options, { 'mcp-session-id': id }, false, caller?.auth);
}

/** One handler's sessions share their settings (an idle session should hold little of its own). */
const sharedSettings = new WeakMap<HandlerContext, SessionSettings<StreamableSession>>();

function localSettings(ctx: HandlerContext): SessionSettings<StreamableSession> {
  let settings = sharedSettings.get(ctx);
  if (settings) return settings;
  const { options, registry } = ctx;
  settings = {
    store: options.eventStore,
    retryMs: options.retryMs,
    keepAliveMs: options.keepAliveMs,
    maxBufferedBytes: options.maxBufferedBytes,
    onError: options.onError,
    onClosed: (s) => registry.remove(s),
    onRevision: (s, revision) => {
      if (s.sessionId !== undefined) registry.update(s.sessionId, { revision });
    },
  };
  sharedSettings.set(ctx, settings);
  return settings;
}

async function get(request: Request, ctx: HandlerContext, caller: Caller | undefined): Promise<Response> {
  if (!accepts(request.headers.get('accept'), 'text/event-stream')) {
    return errorReply(
      406,
      TRANSPORT_ERROR,
      'Not Acceptable: a GET must list text/event-stream in its Accept header.',
    );
  }
  const session = await findSession(request, ctx, caller);
  if (session instanceof Response) return session;
  const busy = tooManyStreams(session, ctx.options);
  if (busy) return busy;
  const headers = { ...SSE_HEADERS, 'mcp-session-id': session.sessionId as string };
  const lastEventId = request.headers.get('last-event-id');
  if (lastEventId !== null) {
    const streamId = await session.resumable(lastEventId);
    if (streamId !== undefined && ctx.cluster && !session.isLive(streamId)) {
      return follow(request, ctx, session, streamId, lastEventId, headers);
    }
    if (streamId !== undefined) {
      const conn = session.connection(requestDeparture(request));
      session.resume(streamId, lastEventId, conn).catch(ctx.options.onError);
      return sseResponse(conn, headers);
    }
  }
  if (ctx.cluster && ctx.options.eventStore) {
    // Every node writes the GET stream through the store; this node follows it from now on.
    return follow(request, ctx, session, session.standaloneStreamId, undefined, headers);
  }
  if (session.standaloneConnected) return conflict();
  const conn = session.connection(requestDeparture(request));
  session.openStandalone(conn);
  return sseResponse(conn, headers);
}

function conflict(): Response {
  return errorReply(
    409,
    TRANSPORT_ERROR,
    'Conflict: this session already has its GET stream open; only one is allowed (resume a broken one with Last-Event-ID).',
  );
}

/**
 * Answers a GET with a stream this node follows in the shared store (cluster mode), after
 * `lastEventId` or from now on. The session's GET stream is held by one connection of the cluster
 * at a time: a second is refused with 409, unless it resumes with Last-Event-ID (it takes over).
 */
async function follow(
  request: Request,
  ctx: HandlerContext,
  session: StreamableSession,
  streamId: string,
  lastEventId: string | undefined,
  headers: Record<string, string>,
): Promise<Response> {
  const cluster = ctx.cluster as NonNullable<HandlerContext['cluster']>;
  const standalone = streamId === session.standaloneStreamId;
  let stop: (() => void) | undefined;
  let release: (() => void) | undefined;
  const conn: SseConnection = session.connection(requestDeparture(request), () => {
    stop?.();
    release?.();
  });
  try {
    if (standalone) {
      release = await cluster.holdGet(session.sessionId as string, conn, lastEventId !== undefined);
      if (!release) {
        conn.end();
        return conflict();
      }
      if (conn.closed) release();
    }
    const after = lastEventId ?? (await (ctx.options.eventStore as EventStore).append(streamId, ''));
    if (standalone && session.polling) {
      conn.write(`id: ${after}\nretry: ${ctx.options.retryMs}\ndata: \n\n`);
    }
    stop = await cluster.follow(streamId, after, conn);
  } catch (error) {
    conn.end();
    throw error;
  }
  return sseResponse(conn, headers);
}

async function del(request: Request, ctx: HandlerContext, caller: Caller | undefined): Promise<Response> {
  const session = await findSession(request, ctx, caller);
  if (session instanceof Response) return session;
  await session.terminate();
  await ctx.cluster?.ended(session.sessionId as string);
  return new Response(null, { status: 200 });
}
