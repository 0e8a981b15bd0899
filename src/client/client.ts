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
  isLegacyRevision,
  type JsonRpcNotification,
  LATEST_LEGACY_REVISION,
  type LegacyRevision,
  type ListPromptsResult,
  type ListResourcesResult,
  type ListResourceTemplatesResult,
  type ListToolsResult,
  type LoggingLevel,
  type LoggingMessageParams,
  McpError,
  MissingCapabilityError,
  type Params,
  type ProgressParams,
  type Prompt,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplate,
  type ServerCapabilities,
  serverCapabilityFor,
  type Tool,
} from '../protocol/index.ts';
import { Emitter, JsonRpcPeer, type Middleware, type RequestOptions, type Transport } from '../rpc/index.ts';
import { answerServerRequest, type ClientHandlers, capabilitiesFor } from './handlers.ts';
import { OutputValidator } from './output.ts';

type Result = Record<string, unknown>;

/** Options of a client. */
export interface McpClientOptions extends Partial<Implementation> {
  /** The client's name (default 'mcpkit-client'). */
  name?: string;
  /** The client's version. */
  version?: string;
  /** The revision to ask for (default: the newest stateful one). */
  protocolVersion?: LegacyRevision;
  /** Capabilities beyond those the handlers imply. */
  capabilities?: ClientCapabilities;
  /** Answers to server→client requests. */
  handlers?: ClientHandlers;
  /** Timeout of each request without progress, ms (default 60,000). */
  timeout?: number;
  /** Maximum total time of each request, ms (default 10 minutes). */
  maxTotalTimeout?: number;
  /** Middleware around every request. */
  middleware?: Middleware[];
  /** Validate `structuredContent` against the tool's outputSchema (default true). */
  validateOutput?: boolean;
}

/** Options of one call. */
export type CallOptions = Pick<RequestOptions, 'signal' | 'timeout' | 'maxTotalTimeout' | 'onprogress'>;

/** Events a client emits. */
export interface ClientEvents extends Record<string, unknown[]> {
  /** `notifications/tools/list_changed`. */
  toolsListChanged: [];
  /** `notifications/resources/list_changed`. */
  resourcesListChanged: [];
  /** `notifications/prompts/list_changed`. */
  promptsListChanged: [];
  /** `notifications/resources/updated`. */
  resourceUpdated: [uri: string];
  /** `notifications/message`. */
  log: [LoggingMessageParams];
  /** `notifications/progress`, for any request. */
  progress: [ProgressParams];
  /** `notifications/elicitation/complete` (2025-11-25). */
  elicitationComplete: [elicitationId: string];
  /** Any notification. */
  notification: [JsonRpcNotification];
  /** The connection closed. */
  close: [reason: Error | undefined];
}

/** The MCP client. */
export class McpClient {
  readonly #options: McpClientOptions;
  readonly #events = new Emitter<ClientEvents>();
  readonly #capabilities: ClientCapabilities;
  readonly #output = new OutputValidator();
  #peer: JsonRpcPeer | undefined;
  #init: InitializeResult | undefined;

  constructor(options: McpClientOptions = {}) {
    this.#options = options;
    this.#capabilities = capabilitiesFor(options.handlers ?? {}, options.capabilities);
  }

  /** Connects over a transport and performs the initialize handshake. */
  async connect(transport: Transport, options?: { signal?: AbortSignal }): Promise<InitializeResult> {
    if (this.#peer && !this.#peer.closed)
      throw new Error('This client is already connected; close it first.');
    const handlers = this.#options.handlers ?? {};
    const peer = new JsonRpcPeer({
      onRequest: (method, params, ctx) =>
        answerServerRequest(method, params, handlers, this.#capabilities, { signal: ctx.signal }),
      onNotification: (n) => this.#onNotification(n),
      onClose: (reason) => this.#events.emit('close', reason),
      middleware: this.#options.middleware,
      timeout: this.#options.timeout,
      maxTotalTimeout: this.#options.maxTotalTimeout,
    });
    this.#peer = peer;
    this.#init = undefined;
    await peer.connect(transport);
    const o = this.#options;
    const clientInfo: Implementation = { name: o.name ?? 'mcpkit-client', version: o.version ?? '0.0.0' };
    if (o.title !== undefined) clientInfo.title = o.title;
    const requested = o.protocolVersion ?? LATEST_LEGACY_REVISION;
    let result: InitializeResult;
    try {
      result = await peer.request<InitializeResult>(
        'initialize',
        { protocolVersion: requested, capabilities: this.#capabilities, clientInfo },
        { signal: options?.signal },
      );
    } catch (error) {
      await peer.close().catch(() => {});
      throw error;
    }
    if (!isLegacyRevision(result.protocolVersion)) {
      await peer.close().catch(() => {});
      throw new McpError(
        ErrorCode.InvalidRequest,
        `The server answered with protocol revision '${String(result.protocolVersion)}', which this client does not support.`,
      );
    }
    this.#init = result;
    await peer.notify('notifications/initialized');
    return result;
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    await this.#peer?.close();
  }

  /** Listens to client events. */
  on<K extends keyof ClientEvents>(event: K, listener: (...args: ClientEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  /** The negotiated revision. */
  get revision(): LegacyRevision {
    return this.#initialized().protocolVersion as LegacyRevision;
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
    const needed = serverCapabilityFor(method);
    if (needed !== null && !hasCapability(this.#init.capabilities, needed)) {
      return Promise.reject(
        new MissingCapabilityError(
          needed,
          `The server did not declare '${needed}', so '${method}' cannot be used.`,
        ),
      );
    }
    return peer.request<R>(method, params, { progressToken: true, ...options });
  }

  /** Checks that the server answers. */
  async ping(options?: CallOptions): Promise<void> {
    await this.request('ping', undefined, options);
  }

  /** One page of tools. */
  async listTools(cursor?: string, options?: CallOptions): Promise<ListToolsResult> {
    const result = await this.request<ListToolsResult>(
      'tools/list',
      cursor === undefined ? undefined : { cursor },
      options,
    );
    for (const tool of result.tools) this.#output.remember(tool);
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
    const result = await this.request<CallToolResult>('tools/call', params, options);
    if (this.#options.validateOutput !== false && !result.isError) {
      if (!this.#output.knows(name) && this.serverCapabilities.tools) {
        for await (const _ of this.iterateTools(options)) {
          // remembering output schemas as a side effect
        }
      }
      const problem = await this.#output.check(name, result);
      if (problem) throw new McpError(ErrorCode.InvalidParams, problem);
    }
    return result;
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
    await this.request('logging/setLevel', { level }, options);
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

  #onNotification(n: JsonRpcNotification): void {
    const p = n.params ?? {};
    switch (n.method) {
      case 'notifications/tools/list_changed':
        this.#output.clear();
        this.#events.emit('toolsListChanged');
        break;
      case 'notifications/resources/list_changed':
        this.#events.emit('resourcesListChanged');
        break;
      case 'notifications/prompts/list_changed':
        this.#events.emit('promptsListChanged');
        break;
      case 'notifications/resources/updated':
        this.#events.emit('resourceUpdated', String(p.uri));
        break;
      case 'notifications/message':
        this.#events.emit('log', p as unknown as LoggingMessageParams);
        break;
      case 'notifications/progress':
        this.#events.emit('progress', p as unknown as ProgressParams);
        break;
      case 'notifications/elicitation/complete':
        if (typeof p.elicitationId === 'string') this.#events.emit('elicitationComplete', p.elicitationId);
        break;
    }
    this.#events.emit('notification', n);
  }
}
