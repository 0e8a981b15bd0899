/**
 * One client's session on a server: the JSON-RPC peer on its transport, the negotiated revision and
 * capabilities, the log level and resource subscriptions. Small on purpose: the registries live in
 * the server and are shared by every session.
 */
import {
  type ClientCapabilities,
  ErrorCode,
  FEATURES,
  type Implementation,
  type InitializeParams,
  type InitializeResult,
  isLegacyRevision,
  type JsonRpcNotification,
  type LegacyRevision,
  LOGGING_LEVELS,
  type LoggingLevel,
  McpError,
  MissingCapabilityError,
  negotiateVersion,
  type Params,
  type RequestId,
  type Revision,
  shapeParams,
  shapeResult,
} from '../protocol/index.ts';
import {
  type InboundContext,
  JsonRpcPeer,
  type PeerOptions,
  type RequestOptions,
  type Transport,
} from '../rpc/index.ts';
import { type ContextHost, RequestContext, type SessionInfo } from './context.ts';

type Result = Record<string, unknown>;

/** What a session needs from its server. */
export interface SessionServer {
  readonly supportedRevisions: readonly LegacyRevision[];
  readonly requestTimeout: number | undefined;
  readonly limits?: { maxDepth?: number; maxInflight?: number };
  initializeResult(revision: LegacyRevision): InitializeResult;
  dispatch(
    method: string,
    params: Params | undefined,
    ctx: RequestContext,
    session: ServerSession,
  ): Promise<Result>;
  /** Whether a request belongs to the stateless revision (served per request, without a session). */
  // revision: a session's transport may carry 2026-07-28 requests (the era of a message, not of a method)
  isModern(method: string, params: Params | undefined, inbound: InboundContext): boolean;
  /** Serves a stateless request. */
  serveModern(
    method: string,
    params: Params | undefined,
    inbound: InboundContext,
    session: ServerSession,
  ): Promise<Result>;
  peerOptions: ConstructorParameters<typeof JsonRpcPeer>[0]['middleware'];
  sessionOpened(session: ServerSession): void;
  sessionClosed(session: ServerSession): void;
  notification(session: ServerSession, notification: JsonRpcNotification): void;
  reportError(error: Error): void;
}

/** A connected client. */
export class ServerSession implements SessionInfo, ContextHost {
  readonly peer: JsonRpcPeer;
  #server: SessionServer;
  #revision: LegacyRevision | undefined;
  #clientInfo: Implementation | undefined;
  #clientCapabilities: ClientCapabilities = {};
  #initialized = false;
  /** The level set by `logging/setLevel` (every level until then). */
  logLevel: LoggingLevel | undefined;
  #subscriptions: Set<string> | undefined;
  /** The transport's session id, if it has one. */
  readonly id: string | undefined;

  constructor(server: SessionServer, transport: Transport) {
    this.#server = server;
    this.id = transport.sessionId;
    this.peer = new JsonRpcPeer(new ServerSession.#Wiring(this));
  }

  /** URIs this session subscribed to (the set is made when first asked for). */
  get subscriptions(): Set<string> {
    this.#subscriptions ??= new Set();
    return this.#subscriptions;
  }

  /** Whether this session subscribed to `uri` (makes no set when it never subscribed). */
  isSubscribed(uri: string): boolean {
    return this.#subscriptions?.has(uri) ?? false;
  }

  /**
   * The peer's options for one session, as methods on a prototype rather than closures: a server
   * holds many sessions, most of them idle, and each closure costs memory.
   */
  static readonly #Wiring = class implements PeerOptions {
    readonly session: ServerSession;
    constructor(session: ServerSession) {
      this.session = session;
    }
    get middleware(): PeerOptions['middleware'] {
      return this.session.#server.peerOptions;
    }
    get timeout(): number | undefined {
      return this.session.#server.requestTimeout;
    }
    get maxDepth(): number | undefined {
      return this.session.#server.limits?.maxDepth;
    }
    get maxInflight(): number | undefined {
      return this.session.#server.limits?.maxInflight;
    }
    onRequest(method: string, params: Params | undefined, ctx: InboundContext): Promise<Result> {
      return this.session.#onRequest(method, params, ctx);
    }
    onNotification(n: JsonRpcNotification): void {
      this.session.#onNotification(n);
    }
    onClose(): void {
      this.session.#server.sessionClosed(this.session);
    }
    onError(error: Error): void {
      this.session.#server.reportError(error);
    }
    acceptBatches(): boolean {
      const revision = this.session.#revision;
      return revision !== undefined && FEATURES[revision].batching;
    }
  };

  /** This object itself: a handler context reads session facts through it. */
  get session(): SessionInfo {
    return this;
  }

  /** The negotiated revision (the server's newest until initialize). */
  get revision(): Revision {
    return this.#revision ?? this.#server.supportedRevisions[this.#server.supportedRevisions.length - 1];
  }

  /** Whether initialize has been answered. */
  get ready(): boolean {
    return this.#revision !== undefined;
  }

  /** Whether the client sent `notifications/initialized`. */
  get initialized(): boolean {
    return this.#initialized;
  }

  /** The client's name and version. */
  get clientInfo(): Implementation | undefined {
    return this.#clientInfo;
  }

  /** The capabilities the client declared. */
  get clientCapabilities(): ClientCapabilities {
    return this.#clientCapabilities;
  }

  /** Whether a log message at this level passes the level the client set. */
  shouldLog(level: LoggingLevel): boolean {
    return (
      this.logLevel === undefined || LOGGING_LEVELS.indexOf(level) >= LOGGING_LEVELS.indexOf(this.logLevel)
    );
  }

  /** A missing client capability on a legacy session is a local error in the handler. */
  missingCapability(capability: string, message: string): Error {
    return new MissingCapabilityError(capability, message);
  }

  /** Closes the session's transport. */
  close(): Promise<void> {
    return this.peer.close();
  }

  async #onRequest(method: string, params: Params | undefined, inbound: InboundContext): Promise<Result> {
    // revision: a message of the stateless revision on a session's transport leaves the session
    if (this.#server.isModern(method, params, inbound))
      return this.#server.serveModern(method, params, inbound, this);
    if (method === 'initialize') return this.#initialize(params);
    if (method === 'ping') return {};
    if (this.#revision === undefined && inbound.info?.stateless) {
      this.#revision = negotiateVersion(
        inbound.info.protocolVersion ?? '2025-03-26',
        this.#server.supportedRevisions,
      );
    }
    if (this.#revision === undefined) {
      throw new McpError(
        ErrorCode.InvalidRequest,
        `'${method}' came before 'initialize'; a client must initialize the session first.`,
      );
    }
    const ctx = new RequestContext(this, inbound.id, inbound, params?._meta, inbound.info);
    const result = await this.#server.dispatch(method, params, ctx, this);
    return shapeResult(method, result, this.#revision);
  }

  #initialize(params: Params | undefined): InitializeResult {
    if (this.#revision !== undefined) {
      throw new McpError(
        ErrorCode.InvalidRequest,
        'This session is already initialized; start a new session instead.',
      );
    }
    const p = readInitialize(params);
    const revision = negotiateVersion(p.protocolVersion, this.#server.supportedRevisions);
    this.#revision = revision;
    this.#clientInfo = p.clientInfo;
    this.#clientCapabilities = p.capabilities ?? {};
    this.#server.sessionOpened(this);
    return shapeResult('initialize', this.#server.initializeResult(revision), revision) as InitializeResult;
  }

  #onNotification(n: JsonRpcNotification): void {
    if (n.method === 'notifications/initialized') this.#initialized = true;
    this.#server.notification(this, n);
  }

  /**
   * Tells the client a URL-mode elicitation finished (`notifications/elicitation/complete`,
   * 2025-11-25). Does nothing on revisions without URL mode.
   */
  async elicitationComplete(elicitationId: string): Promise<void> {
    if (!FEATURES[this.revision].elicitationUrl) return;
    await this.notify('notifications/elicitation/complete', { elicitationId });
  }

  /** Sends a request to the client, shaped for its revision. */
  request<R extends Result>(method: string, params: Result, options: RequestOptions): Promise<R> {
    return this.peer.request<R>(method, shapeParams(method, params, this.revision), options);
  }

  /** Sends a notification to the client, shaped for its revision. */
  notify(method: string, params: Result | undefined, relatedRequestId?: RequestId): Promise<void> {
    return this.peer.notify(
      method,
      shapeParams(method, params, this.revision),
      relatedRequestId === undefined ? undefined : { relatedRequestId },
    );
  }
}

/** Whether a value names a revision this server can run a session at. */
export function isSupported(server: SessionServer, revision: unknown): revision is LegacyRevision {
  // revision: validates a version a peer named
  return isLegacyRevision(revision) && server.supportedRevisions.includes(revision);
}

/** The params of `initialize`, checked: a -32602 error names what is missing. */
export function readInitialize(params: Params | undefined): InitializeParams {
  const p = params as Partial<InitializeParams> | undefined;
  if (!p || typeof p.protocolVersion !== 'string') {
    throw new McpError(ErrorCode.InvalidParams, "initialize needs 'protocolVersion' (a string).");
  }
  if (p.capabilities !== undefined && (typeof p.capabilities !== 'object' || p.capabilities === null)) {
    throw new McpError(ErrorCode.InvalidParams, "initialize needs 'capabilities' to be an object.");
  }
  if (p.clientInfo !== undefined && (typeof p.clientInfo !== 'object' || p.clientInfo === null)) {
    throw new McpError(ErrorCode.InvalidParams, "initialize needs 'clientInfo' to be an object.");
  }
  return p as InitializeParams;
}
