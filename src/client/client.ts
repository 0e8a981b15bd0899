/**
 * McpClient: connects to a server over any transport, negotiates the revision, and offers every
 * client→server method with typed results, page iterators, and events for notifications.
 */
import {
  type CallToolResult,
  type ClientCapabilities,
  type CompleteParams,
  type CompleteResult,
  ConnectionClosedError,
  ErrorCode,
  type GetPromptResult,
  hasCapability,
  type Implementation,
  type InitializeResult,
  isRevision,
  LATEST_LEGACY_REVISION,
  type ListPromptsResult,
  type ListResourcesResult,
  type ListResourceTemplatesResult,
  type ListToolsResult,
  LocalError,
  type LoggingLevel,
  McpError,
  MissingCapabilityError,
  type Params,
  type Prompt,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplate,
  type Revision,
  type ServerCapabilities,
  serverCapabilityFor,
  type Tool,
} from '../protocol/index.ts';
import { Emitter, JsonRpcPeer, type Middleware, type Transport } from '../rpc/index.ts';
import { createSchemaCompiler } from '../schema/index.ts';
import { ResultCache } from './cache.ts';
import { clientInfoOf, type Opened, openConversation } from './connect.ts';
import { type Era, eraMemory, withEnvelope } from './era.ts';
import { answerServerRequest, capabilitiesFor } from './handlers.ts';
import { runModernRequest } from './mrtr.ts';
import { routeNotification } from './notifications.ts';
import type { CallOptions, ClientEvents, McpClientOptions } from './options.ts';
import { OutputValidator } from './output.ts';
import { ToolHeaders } from './tool-headers.ts';

export type { CallOptions, ClientEvents, McpClientOptions } from './options.ts';

type Result = Record<string, unknown>;

/** The MCP client. */
export class McpClient {
  readonly #options: McpClientOptions;
  readonly #events = new Emitter<ClientEvents>();
  readonly #capabilities: ClientCapabilities;
  readonly #output: OutputValidator;
  #peer: JsonRpcPeer | undefined;
  #init: InitializeResult | undefined;
  #era: Era | undefined;
  #logLevel: LoggingLevel | undefined;
  readonly #cache = new ResultCache();
  readonly #toolHeaders = new ToolHeaders();
  readonly #middleware: Middleware[];

  constructor(options: McpClientOptions = {}) {
    this.#options = options;
    this.#middleware = [...(options.middleware ?? [])];
    this.#capabilities = capabilitiesFor(options.handlers ?? {}, options.capabilities);
    this.#output = new OutputValidator(
      options.jsonSchemaValidator ? createSchemaCompiler(options.jsonSchemaValidator) : undefined,
    );
  }

  /** Connects over a transport and performs the initialize handshake. */
  async connect(transport: Transport, options?: { signal?: AbortSignal }): Promise<InitializeResult> {
    if (this.#peer && !this.#peer.closed)
      throw new Error('This client is already connected; close it first.');
    const handlers = this.#options.handlers ?? {};
    const peer = new JsonRpcPeer({
      onRequest: (method, params, ctx) =>
        answerServerRequest(method, params, handlers, this.#capabilities, { signal: ctx.signal }),
      onNotification: (n) => routeNotification(n, this.#events, this.#output, this.#toolHeaders, this.#cache),
      onClose: (reason) => this.#events.emit('close', reason),
      middleware: this.#middleware,
      timeout: this.#options.timeout,
      maxTotalTimeout: this.#options.maxTotalTimeout,
      maxDepth: this.#options.limits?.maxDepth,
      maxInflight: this.#options.limits?.maxInflight,
    });
    this.#peer = peer;
    this.#init = undefined;
    this.#era = undefined;
    await peer.connect(transport);
    const key = this.#options.eraKey;
    let opened: Opened;
    try {
      opened = await openConversation(peer, this.#options, this.#capabilities, options?.signal);
    } catch (error) {
      await peer.close().catch(() => {});
      throw error;
    }
    this.#era = opened.era;
    this.#init = opened.init;
    if (key !== undefined) eraMemory.set(key, opened.era);
    return opened.init;
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    await this.#peer?.close();
  }

  /**
   * Adds middleware around every outbound and inbound request of connections made from now on (the
   * `middleware` option, for plug-ins such as tracing).
   */
  use(middleware: Middleware): void {
    this.#middleware.push(middleware);
  }

  /** Listens to client events. */
  on<K extends keyof ClientEvents>(event: K, listener: (...args: ClientEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  /** The negotiated revision (2026-07-28 in the modern era). */
  get revision(): Revision {
    const v = this.#initialized().protocolVersion;
    return isRevision(v) ? v : LATEST_LEGACY_REVISION;
  }

  /** The era spoken with the server. */
  get era(): Era {
    this.#initialized();
    return this.#era as Era;
  }

  /** What the server said about itself. */
  get serverInfo(): Implementation {
    return this.#initialized().serverInfo;
  }

  /** The server's capabilities. */
  get serverCapabilities(): ServerCapabilities {
    return this.#initialized().capabilities;
  }

  /** The server's instructions, if any. */
  get instructions(): string | undefined {
    return this.#initialized().instructions;
  }

  /** The capabilities this client declared. */
  get capabilities(): ClientCapabilities {
    return this.#capabilities;
  }

  #initialized(): InitializeResult {
    if (!this.#init) throw new ConnectionClosedError('The client is not connected; call connect() first.');
    return this.#init;
  }

  /** Sends any request. The server's capability for it is checked first. */
  request<R extends Result = Result>(method: string, params?: Params, options?: CallOptions): Promise<R> {
    const peer = this.#peer;
    if (!peer || !this.#init) {
      return Promise.reject(new ConnectionClosedError('The client is not connected; call connect() first.'));
    }
    const caps = this.#initialized().capabilities;
    const needed = serverCapabilityFor(method);
    if (needed !== null && !hasCapability(caps, needed)) {
      return Promise.reject(
        new MissingCapabilityError(
          needed,
          `The server did not declare '${needed}', so '${method}' cannot be used.`,
        ),
      );
    }
    if (this.#era === 'modern') return this.#modernRequest(peer, method, params, options) as Promise<R>;
    return peer.request<R>(method, params, { progressToken: true, ...options });
  }

  #modernRequest(
    peer: JsonRpcPeer,
    method: string,
    params: Params | undefined,
    options: CallOptions & { headers?: Record<string, string> } = {},
  ): Promise<Result> {
    const useCache = this.#options.cache !== false;
    const cached = useCache ? this.#cache.get(method, params) : undefined;
    if (cached) return Promise.resolve(cached);
    return runModernRequest(peer, method, params, options, {
      envelope: (p) => withEnvelope(p, this.#capabilities, clientInfoOf(this.#options), this.#logLevel),
      answer: (m, p, signal) =>
        answerServerRequest(m, p, this.#options.handlers ?? {}, this.#capabilities, { signal }),
      maxRounds: this.#options.maxRounds ?? 16,
      complete: (result) => {
        if (useCache) this.#cache.put(method, params, result);
      },
    });
  }

  /**
   * Opens a `subscriptions/listen` stream (2026-07-28). Notifications arrive as the usual events;
   * the promise settles when the server ends the stream, and aborting the signal cancels it.
   */
  async listen(
    notifications: {
      toolsListChanged?: boolean;
      promptsListChanged?: boolean;
      resourcesListChanged?: boolean;
      resourceSubscriptions?: string[];
    },
    options?: { signal?: AbortSignal },
  ): Promise<void> {
    const peer = this.#peer;
    if (this.#era !== 'modern' || !peer) {
      throw new LocalError(
        'listen() needs a 2026-07-28 (modern) server; on a legacy session use the events.',
      );
    }
    await peer.request(
      'subscriptions/listen',
      withEnvelope({ notifications }, this.#capabilities, clientInfoOf(this.#options), undefined),
      {
        signal: options?.signal,
        timeout: Number.POSITIVE_INFINITY,
        maxTotalTimeout: Number.POSITIVE_INFINITY,
      },
    );
  }

  /** Checks that the server answers. */
  async ping(options?: CallOptions): Promise<void> {
    if (this.#era === 'modern') await this.request('server/discover', undefined, options);
    else await this.request('ping', undefined, options);
  }

  /** One page of tools. */
  async listTools(cursor?: string, options?: CallOptions): Promise<ListToolsResult> {
    const result = await this.request<ListToolsResult>(
      'tools/list',
      cursor === undefined ? undefined : { cursor },
      options,
    );
    let invalid = false;
    for (const tool of result.tools) {
      this.#output.remember(tool);
      if (this.#era !== 'modern') continue;
      if (!this.#toolHeaders.learn(tool)) invalid = true;
    }
    if (invalid && this.#era === 'modern') {
      return { ...result, tools: result.tools.filter((t) => this.#toolHeaders.get(t.name) !== undefined) };
    }
    return result;
  }

  /** Every tool, page by page. */
  async *iterateTools(options?: CallOptions): AsyncGenerator<Tool> {
    let cursor: string | undefined;
    do {
      const page = await this.listTools(cursor, options);
      yield* page.tools;
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  }

  /** Calls a tool. Its structuredContent is checked against the tool's outputSchema. */
  async callTool(
    name: string,
    args?: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<CallToolResult> {
    const params: Params = args === undefined ? { name } : { name, arguments: args };
    let headers: Record<string, string> | undefined;
    if (this.#era === 'modern') {
      if (!this.#toolHeaders.has(name)) await this.#learnTools(options);
      headers = this.#toolHeaders.forCall(name, args);
    }
    const result = await this.request<CallToolResult>(
      'tools/call',
      params,
      headers ? ({ ...options, headers } as CallOptions) : options,
    );
    if (this.#options.validateOutput !== false && !result.isError) {
      // A finished walk holds while a server that announces list changes has announced none.
      const told = this.#era !== 'modern' && this.serverCapabilities.tools?.listChanged;
      if (!this.#output.knows(name) && !(told && this.#toolHeaders.walked)) await this.#learnTools(options);
      const problem = await this.#output.check(name, result);
      if (problem) throw new McpError(ErrorCode.InvalidParams, problem);
    }
    return result;
  }

  /** Walks the tool list to learn output schemas and header parameters (see ToolHeaders.walk). */
  #learnTools(options?: CallOptions): Promise<void> {
    if (!this.serverCapabilities.tools) return Promise.resolve();
    return this.#toolHeaders.walk(async () => {
      for await (const _ of this.iterateTools({ timeout: options?.timeout })) {
        // listTools remembers what it sees
      }
    });
  }

  /** One page of resources. */
  listResources(cursor?: string, options?: CallOptions): Promise<ListResourcesResult> {
    return this.request<ListResourcesResult>(
      'resources/list',
      cursor === undefined ? undefined : { cursor },
      options,
    );
  }

  /** Every resource, page by page. */
  iterateResources(options?: CallOptions): AsyncGenerator<Resource> {
    return this.#iterate<Resource>('resources/list', 'resources', options);
  }

  /** One page of resource templates. */
  listResourceTemplates(cursor?: string, options?: CallOptions): Promise<ListResourceTemplatesResult> {
    return this.request<ListResourceTemplatesResult>(
      'resources/templates/list',
      cursor === undefined ? undefined : { cursor },
      options,
    );
  }

  /** Every resource template, page by page. */
  iterateResourceTemplates(options?: CallOptions): AsyncGenerator<ResourceTemplate> {
    return this.#iterate<ResourceTemplate>('resources/templates/list', 'resourceTemplates', options);
  }

  /** Reads a resource. */
  readResource(uri: string, options?: CallOptions): Promise<ReadResourceResult> {
    return this.request<ReadResourceResult>('resources/read', { uri }, options);
  }

  /** Subscribes to updates of a resource. */
  async subscribeResource(uri: string, options?: CallOptions): Promise<void> {
    if (this.#era === 'modern') {
      throw new LocalError(
        'resources/subscribe does not exist in 2026-07-28; use listen({ resourceSubscriptions }).',
      );
    }
    await this.request('resources/subscribe', { uri }, options);
  }

  /** Ends a subscription. */
  async unsubscribeResource(uri: string, options?: CallOptions): Promise<void> {
    await this.request('resources/unsubscribe', { uri }, options);
  }

  /** One page of prompts. */
  listPrompts(cursor?: string, options?: CallOptions): Promise<ListPromptsResult> {
    return this.request<ListPromptsResult>(
      'prompts/list',
      cursor === undefined ? undefined : { cursor },
      options,
    );
  }

  /** Every prompt, page by page. */
  iteratePrompts(options?: CallOptions): AsyncGenerator<Prompt> {
    return this.#iterate<Prompt>('prompts/list', 'prompts', options);
  }

  /** Gets a prompt. */
  getPrompt(name: string, args?: Record<string, string>, options?: CallOptions): Promise<GetPromptResult> {
    return this.request<GetPromptResult>(
      'prompts/get',
      args === undefined ? { name } : { name, arguments: args },
      options,
    );
  }

  /** Asks for completions of a prompt argument or template variable. */
  complete(params: Omit<CompleteParams, '_meta'>, options?: CallOptions): Promise<CompleteResult> {
    return this.request<CompleteResult>('completion/complete', params as unknown as Params, options);
  }

  /** Sets the level of log messages the server sends. */
  async setLoggingLevel(level: LoggingLevel, options?: CallOptions): Promise<void> {
    if (this.#era === 'modern') this.#logLevel = level;
    else await this.request('logging/setLevel', { level }, options);
  }

  /** Tells the server the roots changed. */
  async sendRootsListChanged(): Promise<void> {
    await this.#peer?.notify('notifications/roots/list_changed');
  }

  async *#iterate<T>(method: string, key: string, options?: CallOptions): AsyncGenerator<T> {
    let cursor: string | undefined;
    do {
      const page = await this.request<Result>(method, cursor === undefined ? undefined : { cursor }, options);
      yield* page[key] as T[];
      cursor = page.nextCursor as string | undefined;
    } while (cursor !== undefined);
  }
}
