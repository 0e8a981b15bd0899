/**
 * McpServer: one object holding the tools, resources and prompts, serving any number of sessions on
 * any transports. Registries are built once and shared; each session is a small record.
 */

import type { McpClient } from '../client/index.ts';
import {
  FEATURES,
  hasEnvelope,
  type InitializeResult,
  type JsonRpcRequest,
  type JsonRpcResponse,
  LEGACY_REVISIONS,
  type LegacyRevision,
  MODERN_REVISION,
  type ServerCapabilities,
} from '../protocol/index.ts';
import type { Middleware, Transport } from '../rpc/index.ts';
import { Emitter } from '../rpc/index.ts';
import {
  compileSchema,
  createSchemaCompiler,
  type SchemaCompiler,
  type SchemaInput,
} from '../schema/index.ts';
import { type BroadcastListener, raise } from './broadcast.ts';
import { Catalog, type Registered } from './catalog.ts';
import type { RequestContext } from './context.ts';
import { Dispatcher, type MethodHandler } from './dispatcher.ts';
import { Exchanges, type ServeOptions } from './exchange.ts';
import { type Listener, listen, notifyListeners } from './listen.ts';
import type { ServerCore } from './methods.ts';
import type { Mount, MountOptions } from './mount.ts';
import type { McpServerOptions, ServerEvents } from './options.ts';
import { buildPrompt, type PromptDefinition, type PromptHandler } from './prompts.ts';
import { RequestStateCodec } from './request-state.ts';
import {
  buildResource,
  buildTemplate,
  type ReadReturn,
  type ResourceDefinition,
  type ResourceEntry,
  type ResourceTemplateDefinition,
  type TemplateEntry,
} from './resources.ts';
import { type ModernHost, serveModern } from './serve-modern.ts';
import { type StatelessHost, serveStateless } from './serve-stateless.ts';
import { ServerSession, type SessionServer } from './session.ts';
import { LEFT_OUT, runToolHooks, type ToolRegistrationHook } from './tool-hooks.ts';
import { toolNameProblems } from './tool-name.ts';
import { buildTool, type ToolDefinition, type ToolHandler } from './tools.ts';
import { UriTemplate } from './uri-template.ts';

type Result = Record<string, unknown>;

export type { MethodHandler } from './dispatcher.ts';
export type { McpServerOptions, ServerEvents } from './options.ts';
export type { ToolRegistration, ToolRegistrationHook } from './tool-hooks.ts';

/** The MCP server. */
export class McpServer {
  readonly #options: McpServerOptions;
  readonly #sessions = new Set<ServerSession>();
  readonly #events = new Emitter<ServerEvents>();
  readonly #pending = new Set<string>();
  readonly #catalog: Catalog;
  readonly #host: SessionServer;
  readonly #listeners = new Set<Listener>();
  readonly #broadcasts = new Set<BroadcastListener>();
  readonly #dispatcher: Dispatcher;
  readonly #modern: ModernHost;
  readonly #exchanges: Exchanges;
  readonly #middleware: Middleware[];
  readonly #extensions: Record<string, object> = {};
  readonly #codec: RequestStateCodec;
  readonly #compile: SchemaCompiler;
  readonly #versions: string[];
  readonly #toolHooks: ToolRegistrationHook[] = [];

  constructor(options: McpServerOptions) {
    this.#options = options;
    this.#codec = new RequestStateCodec(options.requestStateSecret);
    this.#compile = options.jsonSchemaValidator
      ? createSchemaCompiler(options.jsonSchemaValidator)
      : compileSchema;
    this.#middleware = [...(options.middleware ?? [])];
    const legacy = [...(options.revisions ?? LEGACY_REVISIONS)].reverse();
    this.#versions = options.modern === false ? legacy : [MODERN_REVISION, ...legacy];
    this.#catalog = new Catalog(options.pageSize ?? 100, (method) => this.#listChanged(method));
    const core: ServerCore = {
      catalog: this.#catalog,
      discover: () => this.#discover(),
      listen: (p, ctx, wire) => listen(p.notifications, ctx, this.capabilities, this.#listeners, wire),
    };
    this.#dispatcher = new Dispatcher(core);
    this.#modern = {
      dispatcher: this.#dispatcher,
      codec: this.#codec,
      versions: this.#versions,
      serverInfo: { name: options.name, version: options.version },
      cache: options.cache,
    };
    const stateless: StatelessHost = {
      dispatcher: this.#dispatcher,
      supportedRevisions: options.revisions ?? LEGACY_REVISIONS,
      initializeResult: (revision) => this.#initializeResult(revision),
    };
    this.#exchanges = new Exchanges(this.#middleware, (r) =>
      // revision: the era of this one request, named by its transport or its envelope
      r.revision === undefined || this.#host.isModern(r.method, r.params, r)
        ? serveModern(this.#modern, r.method, r.params, r, r, r.envelope)
        : serveStateless(stateless, r.method, r.params, r, r, r.revision),
    );
    const report = options.onError ?? ((e: Error) => console.error('mcpkit server:', e.message));
    this.#events.onListenerError = (e) => report(e instanceof Error ? e : new Error(String(e)));
    this.#host = {
      supportedRevisions: options.revisions ?? LEGACY_REVISIONS,
      requestTimeout: options.requestTimeout,
      limits: options.limits,
      peerOptions: this.#middleware,
      initializeResult: (revision) => this.#initializeResult(revision),
      dispatch: (method, params, ctx, session) =>
        this.#dispatcher.dispatch(method, params, ctx, { session }, session.revision),
      isModern: (method, params, inbound) =>
        options.modern !== false &&
        (method === 'server/discover' ||
          // revision: the era of one message on a session's transport, named by its version header
          inbound.info?.protocolVersion === MODERN_REVISION ||
          hasEnvelope(params as Record<string, unknown> | undefined)),
      serveModern: (method, params, inbound, session) =>
        serveModern(this.#modern, method, params, inbound, {
          notify: (m, p, related) => session.peer.notify(m, p, { relatedRequestId: related }),
        }),
      sessionOpened: (session) => {
        this.#sessions.add(session);
        this.#events.emit('session', session);
      },
      sessionClosed: (session) => {
        if (this.#sessions.delete(session)) this.#events.emit('sessionClosed', session);
      },
      notification: (session, n) => {
        if (n.method === 'notifications/roots/list_changed') this.#events.emit('rootsListChanged', session);
        this.#events.emit('notification', session, n);
      },
      reportError: report,
    };
  }

  /** Serves MCP on a transport: one session per transport. */
  async connect(transport: Transport): Promise<ServerSession> {
    const session = new ServerSession(this.#host, transport);
    await session.peer.connect(transport);
    return session;
  }

  /**
   * Serves one request without a session: the transport-free exchange. A request of the stateless
   * revision 2026-07-28, or, with `options.revision`, of a legacy revision served statelessly. Its notifications go to `options.notify`; the promise resolves with its one response
   * (an error response when it failed) and never rejects.
   */
  serve(request: JsonRpcRequest, options: ServeOptions = {}): Promise<JsonRpcResponse> {
    return this.#exchanges.serve(request, options);
  }

  /** The revisions this server speaks, newest first (what `server/discover` lists). */
  get supportedVersions(): readonly string[] {
    return this.#versions;
  }

  /** The sessions that finished initialize and are still open. */
  get sessions(): ReadonlySet<ServerSession> {
    return this.#sessions;
  }

  /** Listens to server events. */
  on<K extends keyof ServerEvents>(event: K, listener: (...args: ServerEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  /** Registers a tool. */
  tool<S extends SchemaInput | undefined = undefined>(
    name: string,
    definition: ToolDefinition<S>,
    handler: ToolHandler<S>,
  ): Registered {
    const tool = runToolHooks(this.#toolHooks, {
      name,
      definition: definition as ToolDefinition,
      handler: handler as ToolHandler<unknown>,
    });
    if (tool === undefined) return LEFT_OUT;
    ({ name } = tool);
    if (typeof name !== 'string') {
      throw new TypeError(
        `A tool name must be a string, got ${typeof name}; e.g. server.tool('get_weather', …).`,
      );
    }
    if (this.#catalog.tools.get(name))
      throw new Error(`A tool named '${name}' is already registered; remove it first.`);
    const warn = this.#options.onWarning ?? ((message: string) => console.warn('mcpkit server:', message));
    for (const problem of toolNameProblems(name)) warn(problem);
    const entry = buildTool(name, tool.definition, tool.handler, this.#compile);
    this.#catalog.tools.set(name, entry);
    return this.#catalog.handle(this.#catalog.tools, name, entry);
  }

  /**
   * Adds a hook that rewrites (or leaves out) every tool registered from now on: local, mounted and
   * proxied tools alike. Add hooks before registering tools.
   */
  onToolRegistration(hook: ToolRegistrationHook): void {
    if (this.#catalog.tools.size > 0) {
      throw new Error(
        `Add tool registration hooks (transforms) before registering tools: ${this.#catalog.tools.size} are registered already.`,
      );
    }
    this.#toolHooks.push(hook);
  }

  /**
   * Mounts another server under a prefix: an McpServer of this process, or an McpClient connected
   * to any server (see `mcpkit/compose`).
   */
  async mount(prefix: string, child: McpServer | McpClient, options?: MountOptions): Promise<Mount> {
    const { mount } = await import('../compose/index.ts');
    return mount(this, prefix, child, options);
  }

  /** Registers a resource with a fixed URI. */
  resource(
    uri: string,
    definition: ResourceDefinition,
    read: (uri: string, ctx: RequestContext) => ReadReturn | Promise<ReadReturn>,
  ): Registered {
    if (this.#catalog.resources.get(uri))
      throw new Error(`A resource with URI '${uri}' is already registered.`);
    const entry: ResourceEntry = { listed: buildResource(uri, definition), read };
    this.#catalog.resources.set(uri, entry);
    return this.#catalog.handle(this.#catalog.resources, uri, entry);
  }

  /** Registers a resource template (RFC 6570). */
  resourceTemplate(
    uriTemplate: string,
    definition: ResourceTemplateDefinition,
    read: (
      uri: string,
      variables: Record<string, string | string[]>,
      ctx: RequestContext,
    ) => ReadReturn | Promise<ReadReturn>,
  ): Registered {
    if (this.#catalog.templates.get(uriTemplate))
      throw new Error(`A template '${uriTemplate}' is already registered.`);
    const entry: TemplateEntry = {
      listed: buildTemplate(uriTemplate, definition),
      template: new UriTemplate(uriTemplate),
      def: definition,
      read,
    };
    this.#catalog.templates.set(uriTemplate, entry);
    return this.#catalog.handle(this.#catalog.templates, uriTemplate, entry);
  }

  /** Registers a prompt. */
  prompt(name: string, definition: PromptDefinition, handler: PromptHandler): Registered {
    if (this.#catalog.prompts.get(name)) throw new Error(`A prompt named '${name}' is already registered.`);
    const entry = buildPrompt(name, definition, handler, this.#compile);
    this.#catalog.prompts.set(name, entry);
    return this.#catalog.handle(this.#catalog.prompts, name, entry);
  }

  /**
   * Adds middleware around every inbound and outbound request of sessions connected from now on
   * (the `middleware` option, for plug-ins such as the tasks extension).
   */
  use(middleware: Middleware): void {
    this.#middleware.push(middleware);
  }

  /**
   * Declares an extension this server supports (`capabilities.extensions[id]`, 2026-07-28), such
   * as `io.modelcontextprotocol/tasks`. Its methods are added with `method()`, its behaviour with
   * middleware.
   */
  extension(id: string, settings: object = {}): void {
    this.#extensions[id] = settings;
  }

  /**
   * Adds a request method beyond the core ones (an extension's, or an experimental one). The
   * handler gets the params and the same context as tool handlers; throw McpError to answer with
   * an error.
   */
  method(name: string, handler: MethodHandler): Registered {
    const remove = this.#dispatcher.add(name, handler);
    return { remove, disable: () => {}, enable: () => {} };
  }

  /**
   * The `x-mcp-header` parameters of a tool ([property path, header] pairs), for the HTTP layer's
   * `Mcp-Param-*` checks; undefined for a tool that does not exist.
   */
  toolHeaders(name: string): ReadonlyArray<readonly [readonly string[], string]> | undefined {
    return this.#catalog.lookup(this.#catalog.tools, name)?.headers;
  }

  /** Tells subscribed sessions that a resource changed (`notifications/resources/updated`). */
  async resourceUpdated(uri: string): Promise<void> {
    const raised = raise(this.#broadcasts, {
      method: 'notifications/resources/updated',
      params: { uri },
      uri,
    });
    const sends = raised.done;
    for (const s of this.#sessions) {
      if (s.isSubscribed(uri) && !raised.skips(s.id))
        sends.push(s.notify('notifications/resources/updated', { uri }).catch(() => {}));
    }
    await Promise.all(sends);
  }

  /**
   * Listens to the notifications raised for all sessions (resource updated, list changed): the
   * HTTP handler in cluster mode delivers them to the sessions of every node. The listener may
   * take sessions (by id) to deliver itself; the server skips those.
   */
  onBroadcast(listener: BroadcastListener): () => void {
    this.#broadcasts.add(listener);
    return () => void this.#broadcasts.delete(listener);
  }

  /** Ends every subscription stream gracefully, then closes every session. */
  async close(): Promise<void> {
    for (const l of [...this.#listeners]) l.end();
    await Promise.all([...this.#sessions].map((s) => s.close().catch(() => {})));
  }

  /** Coalesces list_changed notifications made in the same tick into one per kind. */
  #listChanged(method: string): void {
    const idle = this.#sessions.size === 0 && this.#listeners.size === 0 && this.#broadcasts.size === 0;
    if (idle || this.#pending.has(method)) return;
    this.#pending.add(method);
    queueMicrotask(() => {
      this.#pending.delete(method);
      const raised = raise(this.#broadcasts, { method });
      for (const s of this.#sessions) if (!raised.skips(s.id)) s.notify(method, undefined).catch(() => {});
      notifyListeners(this.#listeners, method, {});
    });
  }

  /** The capabilities this server declares. */
  get capabilities(): ServerCapabilities {
    const caps = this.#catalog.capabilities(this.#options.capabilities);
    if (Object.keys(this.#extensions).length > 0)
      caps.extensions = { ...caps.extensions, ...this.#extensions };
    return caps;
  }

  #initializeResult(revision: LegacyRevision): InitializeResult {
    const o = this.#options;
    const capabilities = this.capabilities;
    if (!FEATURES[revision].completionsCapability) delete capabilities.completions;
    const serverInfo: InitializeResult['serverInfo'] = { name: o.name, version: o.version };
    if (o.title !== undefined) serverInfo.title = o.title;
    if (o.description !== undefined) serverInfo.description = o.description;
    if (o.icons !== undefined) serverInfo.icons = o.icons;
    if (o.websiteUrl !== undefined) serverInfo.websiteUrl = o.websiteUrl;
    const result: InitializeResult = { protocolVersion: revision, capabilities, serverInfo };
    if (o.instructions !== undefined) result.instructions = o.instructions;
    return result;
  }

  #discover(): Result {
    const o = this.#options;
    const result: Result = { supportedVersions: this.#versions, capabilities: this.capabilities };
    if (o.instructions !== undefined) result.instructions = o.instructions;
    return result;
  }
}
