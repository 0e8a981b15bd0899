/**
 * `createHttpHandler`: MCP over HTTP as one web-standard `fetch(request) → Response` function. It
 * serves Streamable HTTP on one path — each POST of the stateless revision 2026-07-28 on its own,
 * the stateful revisions with sessions (or without) — and the HTTP+SSE transport of 2024-11-05 on
 * two more, after checking Host and Origin.
 */
import { ErrorCode, LEGACY_REVISIONS, MODERN_REVISION, type RequestId } from '../protocol/index.ts';
import { StoreUnavailableError } from '../store/index.ts';
import { type Caller, checkRequestScopes, principalOf, withoutCredentials } from './auth.ts';
import { PROVIDED_BODIES } from './beside.ts';
import { readPost } from './body.ts';
import { Cluster } from './cluster/cluster.ts';
import type { HandlerContext } from './context.ts';
import { checkHostAndOrigin } from './guard.ts';
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

  const answer = async (incoming: Request): Promise<Response> => {
    try {
      const auth = resolved.auth;
      const metadata = auth?.metadataResponse(incoming);
      if (metadata) return metadata;
      const denied = checkHostAndOrigin(incoming, resolved);
      if (denied) return denied;
      const path = pathOf(incoming.url);
      const route =
        path === resolved.mcpPath
          ? 'mcp'
          : resolved.legacySse && path === resolved.ssePath
            ? 'sse'
            : resolved.legacySse && path === resolved.messagesPath
              ? 'messages'
              : undefined;
      if (route === undefined) {
        return errorReply(404, TRANSPORT_ERROR, `Not Found: the MCP endpoint is ${resolved.mcpPath}.`);
      }
      let request = incoming;
      let caller: Caller | undefined;
      if (auth) {
        if (incoming.method !== 'OPTIONS') {
          const result = await auth.authenticate(incoming);
          if ('response' in result) return result.response;
          caller = { auth: result.auth, principal: principalOf(result.auth) };
        }
        request = withoutCredentials(incoming);
      }
      if (route === 'mcp') return await serveEndpoint(request, ctx, caller);
      if (route === 'sse') return await openLegacySse(request, ctx, caller);
      return await postLegacyMessage(request, new URL(incoming.url), ctx, caller);
    } catch (error) {
      resolved.onError(error as Error);
      if (error instanceof StoreUnavailableError) {
        return errorReply(503, TRANSPORT_ERROR, `Service Unavailable: ${error.message}`, {
          'retry-after': '1',
        });
      }
      return errorReply(500, ErrorCode.InternalError, `Internal error: ${(error as Error).message}`);
    }
  };

  const serve = (incoming: Request): Promise<Response> =>
    answer(incoming).then((response) => completeResponse(incoming, response));

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

const PLAIN_PATH = /^\/[A-Za-z0-9/_~-]*$/;

/**
 * The path of a request URL as `new URL(url).pathname` gives it; without parsing when the path
 * holds nothing a URL parser would rewrite (no dots, percent signs or backslashes).
 */
function pathOf(url: string): string {
  const scheme = url.indexOf('://');
  if (scheme > 0) {
    const start = url.indexOf('/', scheme + 3);
    if (start > 0) {
      let end = url.length;
      const query = url.indexOf('?', start);
      if (query >= 0) end = query;
      const hash = url.indexOf('#', start);
      if (hash >= 0 && hash < end) end = hash;
      const path = url.slice(start, end);
      if (PLAIN_PATH.test(path) && url.indexOf('@') < 0) return path;
    }
  }
  return new URL(url).pathname;
}

/** The MCP endpoint: each POST goes to its era; GET and DELETE exist only with sessions. */
async function serveEndpoint(
  request: Request,
  ctx: HandlerContext,
  caller: Caller | undefined,
): Promise<Response> {
  const options: ResolvedOptions = ctx.options;
  if (request.method === 'POST') {
    const body = await readPost(request, options);
    if (body instanceof Response) return body;
    if (caller && options.auth) {
      const denied = checkRequestScopes(options.auth, caller, body.requests);
      if (denied) return denied;
    }
    if (ctx.modern.enabled && isModernPost(request, body)) return serveModernPost(request, body, ctx, caller);
    return options.sessions
      ? postStreamable(request, body, ctx, caller)
      : postStateless(request, body, ctx, caller);
  }
  if (ctx.modern.enabled && request.headers.get('mcp-protocol-version') === MODERN_REVISION) {
    return methodNotAllowed(
      'POST',
      `the MCP endpoint in revision ${MODERN_REVISION} (no GET stream, no sessions)`,
    );
  }
  if (options.sessions) return serveStreamable(request, ctx, caller);
  return methodNotAllowed('POST', 'the MCP endpoint of a server without sessions');
}
