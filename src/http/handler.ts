/**
 * `createHttpHandler`: MCP over HTTP as one web-standard `fetch(request) → Response` function. It
 * serves Streamable HTTP on one path — each POST of the stateless revision 2026-07-28 on its own,
 * the stateful revisions with sessions (or without) — and the HTTP+SSE transport of 2024-11-05 on
 * two more, after checking Host and Origin.
 */
import { ErrorCode, LEGACY_REVISIONS, MODERN_REVISION, type RequestId } from '../protocol/index.ts';
import { StoreUnavailableError } from '../store/index.ts';
import { type Caller, checkRequestScopes } from './auth.ts';
import { PROVIDED_BODIES } from './beside.ts';
import { type ParsedBody, readPost } from './body.ts';
import { Cluster } from './cluster/cluster.ts';
import type { HandlerContext } from './context.ts';
import { authenticate, authMetadata, composeEdge, type Endpoint, hostAndOrigin, route } from './edge.ts';
import type { ModernExchange } from './modern/exchange.ts';
import { serveModernPost } from './modern/modern.ts';
import { isModernPost } from './modern/modern-check.ts';
import {
  type HttpHandlerOptions,
  type ResolvedOptions,
  resolveOptions,
  type SessionHost,
} from './options.ts';
import { completeResponse, errorReply, methodNotAllowed, TRANSPORT_ERROR } from './reply.ts';
import { openLegacySse, postLegacyMessage } from './sessions/legacy-sse.ts';
import { SessionRegistry } from './sessions/registry.ts';
import { StreamableSession } from './sessions/session.ts';
import { postStateless } from './sessions/stateless.ts';
import { postStreamable, serveStreamable } from './sessions/streamable.ts';

/** The handler: call it (or its `fetch`) with a Request; the other members control its sessions. */
export interface HttpHandler {
  /** Answers one HTTP request. */
  (request: Request): Promise<Response>;
  /** The same function, for runtimes that take an object with `fetch` (Bun, Deno, Workers). */
  fetch(request: Request): Promise<Response>;
  /**
   * Closes the connection of the SSE stream that carries `requestId` of a session, without ending
   * the stream: the client reconnects with GET and `Last-Event-ID` and gets the rest. False when there
   * is no such stream or no event store.
   */
  closeRequestStream(sessionId: string, requestId: RequestId): boolean;
  /** Closes the connection of a session's GET stream; the client reconnects. False when none is open. */
  closeStandaloneStream(sessionId: string): boolean;
  /** Ends a session, as a DELETE would. False when it is unknown. */
  closeSession(sessionId: string): Promise<boolean>;
  /** Number of live sessions. */
  readonly sessionCount: number;
  /**
   * Number of 2026-07-28 requests being served right now (open `subscriptions/listen` streams
   * included); a request leaves the count when it is answered or its client closes the connection.
   */
  readonly requestsInFlight: number;
  /**
   * Ends every session and every 2026-07-28 request in flight, and stops the idle timer. In
   * cluster mode only this node's copies end: the sessions go on through the other nodes.
   */
  close(): Promise<void>;
}

/** Creates the HTTP handler for a host (an McpServer, or anything that can `connect` a transport). */
export function createHttpHandler(host: SessionHost, options?: HttpHandlerOptions): HttpHandler {
  const resolved = resolveOptions(options);
  const registry = new SessionRegistry({
    idleMs: resolved.sessionIdleMs,
    unusedIdleMs: resolved.unusedSessionIdleMs,
    maxSessions: resolved.maxSessions,
    maxPerClient: resolved.maxSessionsPerClient,
    store: resolved.sessionStore,
    onError: resolved.onError,
    shared: resolved.bus !== undefined,
  });
  const cluster = resolved.bus ? new Cluster(host, resolved, registry, resolved.bus) : undefined;
  const supported = host.supportedVersions ?? [MODERN_REVISION, ...[...LEGACY_REVISIONS].reverse()];
  const exchanges = new Set<ModernExchange>();
  const ctx: HandlerContext = {
    host,
    options: resolved,
    registry,
    modern: { enabled: supported.includes(MODERN_REVISION), supported, host },
    exchanges,
    cluster,
  };

  const routes = new Map<string, Endpoint>([
    [resolved.mcpPath, (e) => settled(serveEndpoint(e.request, ctx, e.caller))],
  ]);
  if (resolved.legacySse) {
    if (!routes.has(resolved.ssePath)) {
      routes.set(resolved.ssePath, (e) => openLegacySse(e.request, ctx, e.caller));
    }
    if (!routes.has(resolved.messagesPath)) {
      routes.set(resolved.messagesPath, (e) =>
        postLegacyMessage(e.request, new URL(e.incoming.url), ctx, e.caller),
      );
    }
  }
  const auth = resolved.auth;
  const edge = composeEdge([
    ...(auth ? [authMetadata(auth)] : []),
    hostAndOrigin(resolved),
    route(routes, resolved.mcpPath),
    ...(auth ? [authenticate(auth)] : []),
  ]);

  const failed = (error: unknown): Response => {
    resolved.onError(error as Error);
    if (error instanceof StoreUnavailableError) {
      return errorReply(503, TRANSPORT_ERROR, `Service Unavailable: ${error.message}`, {
        'retry-after': '1',
      });
    }
    return errorReply(500, ErrorCode.InternalError, `Internal error: ${(error as Error).message}`);
  };

  const serve = (incoming: Request): Promise<Response> => {
    let answer: Promise<Response>;
    try {
      answer = edge({ incoming, request: incoming });
    } catch (error) {
      return Promise.resolve(completeResponse(incoming, failed(error)));
    }
    return answer.then(
      (response) => completeResponse(incoming, response),
      (error: unknown) => completeResponse(incoming, failed(error)),
    );
  };

  const streamable = (sessionId: string): StreamableSession | undefined => {
    const s = registry.get(sessionId, 'streamable-http');
    return s instanceof StreamableSession ? s : undefined;
  };

  return Object.defineProperties(serve, {
    fetch: { value: serve },
    // With `auth`, the request goes to the application's verifier: it gets a real Request.
    [PROVIDED_BODIES]: { value: resolved.auth === undefined },
    closeRequestStream: {
      value: (sessionId: string, requestId: RequestId) =>
        streamable(sessionId)?.closeRequestStream(requestId) ?? false,
    },
    closeStandaloneStream: {
      value: (sessionId: string) => streamable(sessionId)?.closeStandaloneStream() ?? false,
    },
    closeSession: {
      value: async (sessionId: string) => {
        const s = registry.get(sessionId, 'streamable-http') ?? registry.get(sessionId, 'sse');
        if (!s) return false;
        await s.terminate();
        if (s.kind === 'streamable-http') await cluster?.ended(sessionId);
        return true;
      },
    },
    sessionCount: { get: () => registry.size },
    requestsInFlight: { get: () => exchanges.size },
    close: {
      value: async () => {
        await Promise.all([...exchanges].map((e) => e.terminate()));
        await registry.closeAll();
        await cluster?.close();
      },
    },
  }) as HttpHandler;
}

/** An answer as a promise, made only for one that is not one already. */
function settled(answer: Response | Promise<Response>): Promise<Response> {
  return answer instanceof Promise ? answer : Promise.resolve(answer);
}

/** The MCP endpoint: each POST goes to its era; GET and DELETE exist only with sessions. */
function serveEndpoint(
  request: Request,
  ctx: HandlerContext,
  caller: Caller | undefined,
): Response | Promise<Response> {
  const options: ResolvedOptions = ctx.options;
  if (request.method === 'POST') {
    const body = readPost(request, options);
    // A body handed over by the adapter is read at once; one still arriving, when it has.
    if (body instanceof Promise) return body.then((read) => servePost(request, read, ctx, caller));
    return servePost(request, body, ctx, caller);
  }
  // revision: routing by era: the version header of a GET or DELETE
  if (ctx.modern.enabled && request.headers.get('mcp-protocol-version') === MODERN_REVISION) {
    return methodNotAllowed(
      'POST',
      `the MCP endpoint in revision ${MODERN_REVISION} (no GET stream, no sessions)`,
    );
  }
  if (options.sessions) return serveStreamable(request, ctx, caller);
  return methodNotAllowed('POST', 'the MCP endpoint of a server without sessions');
}

/** A POST, read: to its era, after the scope check. */
function servePost(
  request: Request,
  body: ParsedBody | Response,
  ctx: HandlerContext,
  caller: Caller | undefined,
): Response | Promise<Response> {
  if (body instanceof Response) return body;
  const options = ctx.options;
  if (caller && options.auth) {
    const denied = checkRequestScopes(options.auth, caller, body.requests);
    if (denied) return denied;
  }
  // revision: routing by era: a POST's era is named by its header or envelope, before any method is looked up
  if (ctx.modern.enabled && isModernPost(request, body)) return serveModernPost(request, body, ctx, caller);
  return options.sessions
    ? postStreamable(request, body, ctx, caller)
    : postStateless(request, body, ctx, caller);
}
