/**
 * A legacy client (it sent `initialize`) in front of a modern server (2026-07-28 only): the bridge
 * answers the handshake from `server/discover`, adds the per-request envelope to every request,
 * runs the Multi Round-Trip loop by asking the client real server→client requests, keeps the log
 * level, and turns `resources/subscribe` and list-changed notifications into a `subscriptions/listen`
 * stream. Results are shaped down to the client's revision.
 */
import {
  type ClientCapabilities,
  ErrorCode,
  type Implementation,
  type InitializeResult,
  type JsonRpcNotification,
  type LegacyRevision,
  LOGGING_LEVELS,
  type LoggingLevel,
  McpError,
  MetaKey,
  MRTR_METHODS,
  negotiateVersion,
  type Params,
  type ServerCapabilities,
  shapeResult,
} from '../../protocol/index.ts';
import type { InboundContext } from '../../rpc/index.ts';
import { addEnvelope, type Envelope, subscriptionIdOf, withSubscriptionId } from './envelope.ts';
import type { Call, Front, Link } from './link.ts';
import { ToolHeaders } from './tool-headers.ts';

type Result = Record<string, unknown>;

const MAX_ROUNDS = 16;
const MODERN_ONLY_FIELDS = ['resultType', 'ttlMs', 'cacheScope'];

/** Translates between a legacy client and a modern server. */
export class LegacyClientFront implements Front {
  readonly #link: Link;
  readonly #revision: LegacyRevision;
  readonly #envelope: Envelope;
  readonly #discover: Result;
  readonly #subscriptions = new Set<string>();
  readonly #headers = new ToolHeaders();
  #listen: AbortController | undefined;
  #initialized = false;

  constructor(link: Link, initialize: Params | undefined, discover: Result) {
    this.#link = link;
    this.#revision = negotiateVersion(initialize?.protocolVersion);
    const caps = initialize?.capabilities;
    this.#envelope = {
      clientCapabilities: typeof caps === 'object' && caps !== null ? (caps as ClientCapabilities) : {},
    };
    const info = initialize?.clientInfo;
    if (typeof info === 'object' && info !== null) this.#envelope.clientInfo = info as Implementation;
    this.#discover = discover;
  }

  get description(): string {
    return `translation: ${this.#revision} client ↔ 2026-07-28 server`;
  }

  #capabilities(): ServerCapabilities {
    return (this.#discover.capabilities ?? {}) as ServerCapabilities;
  }

  /** The InitializeResult the client gets, made from the server's DiscoverResult. */
  initializeResult(): Result {
    const meta = this.#discover._meta as Record<string, unknown> | undefined;
    const serverInfo = (meta?.[MetaKey.serverInfo] as Implementation | undefined) ?? {
      name: 'unknown',
      version: '0',
    };
    const result: InitializeResult = {
      protocolVersion: this.#revision,
      capabilities: this.#capabilities(),
      serverInfo,
    };
    if (typeof this.#discover.instructions === 'string') result.instructions = this.#discover.instructions;
    return shapeResult('initialize', result as unknown as Result, this.#revision);
  }

  /** The methods of the legacy session this client answers itself; the rest go upstream. */
  readonly #local: Readonly<Record<string, (call: Call) => Result>> = {
    initialize: () => {
      throw new McpError(
        ErrorCode.InvalidRequest,
        'This session is already initialized; start a new session instead.',
      );
    },
    ping: () => ({}),
    'logging/setLevel': (call) => {
      const level = call.params?.level;
      if (typeof level !== 'string' || !(LOGGING_LEVELS as readonly string[]).includes(level)) {
        throw new McpError(ErrorCode.InvalidParams, `Unknown log level '${String(level)}'.`);
      }
      this.#envelope.logLevel = level as LoggingLevel;
      return {};
    },
    'resources/subscribe': (call) => this.#subscription(call, true),
    'resources/unsubscribe': (call) => this.#subscription(call, false),
  };

  async request(call: Call): Promise<Result> {
    const local = Object.hasOwn(this.#local, call.method) ? this.#local[call.method] : undefined;
    return local ? local(call) : this.#modern(call);
  }

  #subscription(call: Call, subscribe: boolean): Result {
    const uri = call.params?.uri;
    if (typeof uri !== 'string')
      throw new McpError(ErrorCode.InvalidParams, `${call.method} needs 'uri' (a string).`);
    if (subscribe) this.#subscriptions.add(uri);
    else this.#subscriptions.delete(uri);
    this.#openListen();
    return {};
  }

  async #modern(call: Call): Promise<Result> {
    const base = addEnvelope(call.params, { ...this.#envelope });
    let sent = base;
    for (let round = 0; round <= MAX_ROUNDS; round++) {
      const headers = call.method === 'tools/call' ? this.#headers.headersFor(call.params) : undefined;
      const result = await this.#link.request(call.method, sent, { signal: call.signal, headers });
      if (result.resultType !== 'input_required') return this.#legacyResult(call.method, result);
      if (!MRTR_METHODS.has(call.method)) {
        throw new McpError(
          ErrorCode.InternalError,
          `The server asked for input on '${call.method}', which cannot take it.`,
        );
      }
      const requests = (result.inputRequests ?? {}) as Record<string, { method: string; params?: Params }>;
      const responses: Record<string, unknown> = {};
      for (const [key, input] of Object.entries(requests)) {
        responses[key] = await this.#link.ask(call.peer, input.method, input.params, {
          signal: call.signal,
          relatedRequestId: call.id,
        });
      }
      sent = { ...base, inputResponses: responses };
      if (typeof result.requestState === 'string') sent.requestState = result.requestState;
    }
    throw new McpError(
      ErrorCode.InternalError,
      `'${call.method}' still needed input after ${MAX_ROUNDS} rounds.`,
    );
  }

  #legacyResult(method: string, result: Result): Result {
    const out: Result = { ...result };
    for (const field of MODERN_ONLY_FIELDS) delete out[field];
    if (method === 'tools/list') {
      this.#headers.remember(out);
    }
    return shapeResult(method, out, this.#revision);
  }

  /** (Re)opens the listen stream with what the client wants now; none when it wants nothing. */
  #openListen(): void {
    if (!this.#initialized) return;
    this.#listen?.abort();
    this.#listen = undefined;
    const caps = this.#capabilities();
    const notifications: Record<string, unknown> = {};
    if (caps.tools?.listChanged) notifications.toolsListChanged = true;
    if (caps.prompts?.listChanged) notifications.promptsListChanged = true;
    if (caps.resources?.listChanged) notifications.resourcesListChanged = true;
    if (caps.resources?.subscribe && this.#subscriptions.size > 0) {
      notifications.resourceSubscriptions = [...this.#subscriptions];
    }
    if (Object.keys(notifications).length === 0) return;
    const controller = new AbortController();
    this.#listen = controller;
    this.#link
      .request('subscriptions/listen', addEnvelope({ notifications }, this.#envelope), {
        signal: controller.signal,
      })
      .catch(() => {});
  }

  notification(n: JsonRpcNotification): void {
    if (n.method === 'notifications/initialized') {
      this.#initialized = true;
      this.#openListen();
    }
    // roots/list_changed and the like have no counterpart in 2026-07-28.
  }

  serverRequest(method: string, params: Params | undefined, ctx: InboundContext): Promise<Result> {
    const peer = this.#link.primary;
    if (!peer)
      return Promise.reject(new McpError(ErrorCode.MethodNotFound, `No client can answer '${method}'.`));
    return this.#link.ask(peer, method, params, { signal: ctx.signal });
  }

  serverNotification(n: JsonRpcNotification): void {
    if (n.method === 'notifications/subscriptions/acknowledged') return;
    const peer = this.#link.primary;
    if (!peer) return;
    const params = n.params;
    if (subscriptionIdOf(params) !== undefined && params) {
      peer.notify(n.method, withSubscriptionId(params, undefined)).catch(() => {});
      return;
    }
    const call =
      n.method === 'notifications/progress'
        ? this.#link.byToken(params?.progressToken)
        : n.method === 'notifications/message'
          ? this.#link.likelyCall()
          : undefined;
    peer.notify(n.method, params, call ? { relatedRequestId: call.id } : undefined).catch(() => {});
  }

  close(): void {
    this.#listen?.abort();
  }
}
