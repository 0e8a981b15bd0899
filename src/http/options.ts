/** Options of the HTTP handler, and their defaults. */
import {
  type JsonRpcNotification,
  type JsonRpcRequest,
  type JsonRpcResponse,
  LEGACY_REVISIONS,
  type RequestEnvelope,
} from '../protocol/index.ts';
import type { MessageInfo, Transport } from '../rpc/index.ts';
import {
  type Bus,
  type EventStore,
  MemoryEventStore,
  MemorySessionStore,
  randomToken,
  type SessionStore,
} from '../store/index.ts';
import type { HttpAuth } from './auth.ts';
import { DEFAULT_ALLOWED_HOSTS } from './guard.ts';

/** What the handler serves: anything that can serve MCP on a transport (McpServer does). */
/** Ends a host's service of a transport, reporting (not throwing) a failure to close. */
export async function endService(
  handle: { close(): Promise<void> } | undefined,
  onError: (error: Error) => void,
): Promise<void> {
  try {
    await handle?.close();
  } catch (error) {
    onError(error as Error);
  }
}

export interface SessionHost {
  /** Serves MCP on the transport until it closes; `close()` ends that service. */
  connect(transport: Transport): Promise<{ close(): Promise<void> }>;
  /**
   * Serves one request without a session (McpServer's transport-free exchange): requests of the
   * stateless revision go here when it is present, and on a transport of their own otherwise.
   */
  serve?(request: JsonRpcRequest, options: HostServeOptions): Promise<JsonRpcResponse>;
  /**
   * The protocol versions the host serves, as `server/discover` lists them. Requests of the
   * stateless revision 2026-07-28 are served only when it is listed; absent: every revision is.
   */
  readonly supportedVersions?: readonly string[];
  /**
   * The `x-mcp-header` parameters of a tool, as [property path in the arguments, header name] pairs,
   * so that the `Mcp-Param-*` headers of a `tools/call` can be checked against its arguments; undefined
   * for an unknown tool.
   */
  toolHeaders?(name: string): ReadonlyArray<readonly [readonly string[], string]> | undefined;
  /**
   * Listens to the notifications the host raises for all its sessions (McpServer: resource
   * updated, list changed), so that cluster mode can deliver them to sessions of other nodes.
   * Returns the function that stops listening.
   */
  onBroadcast?(listener: BroadcastListener): () => void;
}

/** What the handler hands a host's `serve` with one request. */
export interface HostServeOptions {
  /** Facts of the HTTP request (the caller, the version header). */
  info: MessageInfo;
  /** The request's `_meta` envelope, read once by the header checks (2026-07-28). */
  envelope?: RequestEnvelope;
  /** The legacy revision to serve the request at without a session (a handler with `sessions: false`). */
  revision?: string;
  /** Aborted when the client goes; its signal is made when first read. */
  signal: { readonly signal: AbortSignal };
  /** Sends a notification of the request ahead of its response. */
  notify(notification: JsonRpcNotification): Promise<void>;
}

/** A notification a host raises for every session, or for every subscriber of a resource. */
export interface HostBroadcast {
  readonly method: string;
  readonly params?: Record<string, unknown>;
  /** Only sessions subscribed to this resource URI get it; absent: every initialized session. */
  readonly uri?: string;
}

/**
 * Takes a broadcast when it is raised; may return which sessions (by transport session id) it
 * delivers to itself, which the host then skips, and a promise settled when it has delivered.
 */
export type BroadcastListener = (
  broadcast: HostBroadcast,
) => { handles(sessionId: string): boolean; done: Promise<void> } | undefined;

/** Options of `createHttpHandler`. */
export interface HttpHandlerOptions {
  /** Path of the Streamable HTTP endpoint (default `/mcp`). */
  mcpPath?: string;
  /** Path of the HTTP+SSE (2024-11-05) event stream (default `/sse`). */
  ssePath?: string;
  /** Path HTTP+SSE clients POST to; the `endpoint` event names it (default `/messages`). */
  messagesPath?: string;
  /** Serve the HTTP+SSE transport of 2024-11-05 too (default true; never in stateless mode). */
  legacySse?: boolean;
  /**
   * Stateful sessions with `Mcp-Session-Id` (default true). False: every POST stands alone, served
   * without initialize at the revision of its `MCP-Protocol-Version` header; `initialize` answers but
   * opens nothing; no GET stream, no DELETE; a handler cannot ask the client for input (sampling,
   * elicitation, roots fail at once saying sessions are needed). Answers are JSON unless a request
   * sends notifications before its result.
   */
  sessions?: boolean;
  /** Answer requests with one JSON body instead of an SSE stream (default false). */
  jsonResponse?: boolean;
  /** Largest POST body accepted, in bytes (default 4 MiB). */
  maxBodyBytes?: number;
  /** Longest silence while a POST body arrives, ms; past it the answer is 408 (default 5,000). */
  bodyIdleMs?: number;
  /** Longest time a POST body may take to arrive in full, ms; past it the answer is 408 (default 30,000). */
  bodyTimeoutMs?: number;
  /** Allowed Host values (default localhost, 127.0.0.1, [::1], any port); false turns the check off. */
  allowedHosts?: readonly string[] | false;
  /** Allowed Origin values (default: same origin or an allowed host); false turns the check off. */
  allowedOrigins?: readonly string[] | false;
  /** A session nobody is connected to is closed after this many ms without a request (default 30 min). */
  sessionIdleMs?: number;
  /**
   * A session whose client has made no request since initialize (nor opened a GET stream) is
   * closed after this many ms without a request (default 60,000), so floods of handshakes expire.
   */
  unusedSessionIdleMs?: number;
  /**
   * Most sessions alive at once (default 10,000). When full, the oldest idle session never used
   * beyond its handshake is closed to make room, else the least recently used idle one; only when
   * every session has a connection open do new ones get 503.
   */
  maxSessions?: number;
  /**
   * Most sessions one client may hold (its authenticated principal, else its network address as the
   * server adapter gives it); past it the client's own least recently used idle session is closed,
   * or, all busy, the new one gets 429 (default: no cap; behind a proxy every client shares one address).
   */
  maxSessionsPerClient?: number;
  /**
   * Most connections one session may hold open at once: POSTs whose answer is in progress (SSE
   * stream or JSON) and GET streams; past it, a POST or GET gets 429 (default 100).
   */
  maxStreamsPerSession?: number;
  /**
   * Milliseconds between SSE keep-alive comments (default 15,000; 0: none). One clock per period
   * serves every open stream, so a stream's first comment comes within one period of its opening.
   */
  keepAliveMs?: number;
  /** The `retry` interval sent to clients of resumable streams, ms (default 1,000). */
  retryMs?: number;
  /** Where SSE events are kept for resumption (default: in memory); false: streams are not resumable. */
  eventStore?: EventStore | false;
  /** Where session records are kept (default: in memory). */
  sessionStore?: SessionStore;
  /** Accepted `MCP-Protocol-Version` header values (default: the stateful revisions). */
  protocolVersions?: readonly string[];
  /** Unread bytes an SSE client may fall behind before its connection is dropped (default 16 MiB). */
  maxBufferedBytes?: number;
  /** Called with problems that have nobody else to go to (a failed store write, a dropped message). */
  onError?: (error: Error) => void;
  /**
   * Links this handler to the other nodes of a deployment (cluster mode): with a session store
   * and an event store shared by every node (mcpkit/redis), any node serves any request of any
   * session, and resumes any stream.
   */
  bus?: Bus;
  /** This node's id in the cluster: letters and digits (default: random). */
  nodeId?: string;
  /**
   * OAuth protection (`createResourceServerAuth` from mcpkit/auth): the handler answers the
   * Protected Resource Metadata, authenticates every request to its MCP paths, checks each
   * request's scopes, binds sessions to the principal that created them, gives tools the principal
   * as `ctx.auth`, and removes the client's credentials from the request tools see.
   */
  auth?: HttpAuth;
}

/** The options with every default applied. */
export interface ResolvedOptions {
  mcpPath: string;
  ssePath: string;
  messagesPath: string;
  legacySse: boolean;
  sessions: boolean;
  jsonResponse: boolean;
  maxBodyBytes: number;
  bodyIdleMs: number;
  bodyTimeoutMs: number;
  allowedHosts: readonly string[] | false;
  allowedOrigins: readonly string[] | false | undefined;
  sessionIdleMs: number;
  unusedSessionIdleMs: number;
  maxSessions: number;
  maxSessionsPerClient: number;
  maxStreamsPerSession: number;
  keepAliveMs: number;
  retryMs: number;
  eventStore: EventStore | undefined;
  sessionStore: SessionStore;
  protocolVersions: readonly string[];
  maxBufferedBytes: number;
  onError: (error: Error) => void;
  bus: Bus | undefined;
  nodeId: string;
  auth: HttpAuth | undefined;
}

/** Applies the defaults. */
export function resolveOptions(options: HttpHandlerOptions = {}): ResolvedOptions {
  const sessions = options.sessions ?? true;
  if (options.nodeId !== undefined && !/^[0-9a-z]{1,32}$/.test(options.nodeId)) {
    throw new Error(`nodeId must be 1 to 32 lowercase letters and digits, not '${options.nodeId}'.`);
  }
  // Drawn when first read (a cluster reads it), never while the handler is made: Workers forbid
  // random values at start-up.
  let nodeId = options.nodeId;
  return {
    mcpPath: options.mcpPath ?? '/mcp',
    ssePath: options.ssePath ?? '/sse',
    messagesPath: options.messagesPath ?? '/messages',
    legacySse: sessions && (options.legacySse ?? true),
    sessions,
    jsonResponse: options.jsonResponse ?? false,
    maxBodyBytes: options.maxBodyBytes ?? 4 * 1024 * 1024,
    bodyIdleMs: positiveMs(options.bodyIdleMs, 5_000, 'bodyIdleMs'),
    bodyTimeoutMs: positiveMs(options.bodyTimeoutMs, 30_000, 'bodyTimeoutMs'),
    allowedHosts: options.allowedHosts ?? DEFAULT_ALLOWED_HOSTS,
    allowedOrigins: options.allowedOrigins,
    sessionIdleMs: options.sessionIdleMs ?? 30 * 60_000,
    unusedSessionIdleMs: positiveMs(options.unusedSessionIdleMs, 60_000, 'unusedSessionIdleMs'),
    maxSessions: options.maxSessions ?? 10_000,
    maxSessionsPerClient: options.maxSessionsPerClient ?? Number.POSITIVE_INFINITY,
    maxStreamsPerSession: options.maxStreamsPerSession ?? 100,
    keepAliveMs: options.keepAliveMs ?? 15_000,
    retryMs: options.retryMs ?? 1000,
    eventStore:
      options.eventStore === false || !sessions ? undefined : (options.eventStore ?? new MemoryEventStore()),
    sessionStore: options.sessionStore ?? new MemorySessionStore(),
    protocolVersions: options.protocolVersions ?? LEGACY_REVISIONS,
    maxBufferedBytes: options.maxBufferedBytes ?? 16 * 1024 * 1024,
    onError: options.onError ?? (() => {}),
    bus: sessions ? options.bus : undefined,
    get nodeId() {
      nodeId ??= randomToken(6);
      return nodeId;
    },
    auth: options.auth,
  };
}

/** A positive duration option (Infinity: no limit), or its default. */
function positiveMs(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!(value > 0))
    throw new RangeError(`${name} must be a positive number of ms (Infinity: no limit), got ${value}.`);
  return value;
}
