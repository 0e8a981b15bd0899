/**
 * A modern client (2026-07-28) in front of a legacy server: the bridge initializes one session
 * upstream, answers `server/discover` from it, strips the envelope from each request, keeps the
 * server's log level in step with the envelope's, turns the server's requests to the client into
 * `input_required` rounds (see exchange.ts), and serves `subscriptions/listen` from list-changed
 * notifications and `resources/subscribe`.
 */
import {
  CACHEABLE_METHODS,
  type ClientCapabilities,
  ErrorCode,
  type Implementation,
  INPUT_REQUEST_METHODS,
  type InitializeResult,
  isLegacyRevision,
  type JsonRpcNotification,
  LATEST_LEGACY_REVISION,
  LOGGING_LEVELS,
  type LoggingLevel,
  McpError,
  MetaKey,
  MODERN_REVISION,
  MRTR_METHODS,
  type Params,
  type ServerCapabilities,
  shapeParams,
  shapeResult,
} from '../../protocol/index.ts';
import type { InboundContext } from '../../rpc/index.ts';
import { VERSION } from '../version.ts';
import { type Envelope, envelopeOf, stripEnvelope } from './envelope.ts';
import { Exchange } from './exchange.ts';
import type { Call, Front, Link } from './link.ts';
import { ModernListens } from './listens.ts';

type Result = Record<string, unknown>;

/** The capabilities to declare upstream for a modern client's. */
function legacyCapabilities(caps: ClientCapabilities): ClientCapabilities {
  const out: ClientCapabilities = {};
  if (caps.sampling) out.sampling = caps.sampling;
  if (caps.elicitation) out.elicitation = { form: {} };
  if (caps.roots) out.roots = {};
  if (caps.experimental) out.experimental = caps.experimental;
  return out;
}

/** Translates between a modern client and a legacy server. */
export class ModernClientFront implements Front {
  readonly #link: Link;
  readonly #init: InitializeResult;
  readonly #exchanges = new Map<string, Exchange>();
  readonly #listens: ModernListens;
  #level: LoggingLevel | undefined;

  private constructor(link: Link, init: InitializeResult) {
    this.#link = link;
    this.#init = init;
    this.#listens = new ModernListens(link, init.capabilities);
  }

  /** Initializes the upstream session on behalf of the client whose envelope this is. */
  static async open(link: Link, envelope: Envelope, signal?: AbortSignal): Promise<ModernClientFront> {
    const clientInfo: Implementation = envelope.clientInfo ?? { name: 'mcpkit-bridge', version: VERSION };
    const init = (await link.request(
      'initialize',
      {
        protocolVersion: LATEST_LEGACY_REVISION,
        capabilities: legacyCapabilities(envelope.clientCapabilities),
        clientInfo,
      },
      { signal },
    )) as unknown as InitializeResult;
    // revision: checks what the upstream server answered, a fact of the wire
    if (!isLegacyRevision(init.protocolVersion)) {
      throw new McpError(
        ErrorCode.InternalError,
        `The server answered initialize with revision '${String(init.protocolVersion)}', which the bridge does not know.`,
      );
    }
    await link.up.notify('notifications/initialized');
    return new ModernClientFront(link, init);
  }

  get description(): string {
    return `translation: 2026-07-28 client ↔ ${this.#init.protocolVersion} server`;
  }

  #capabilities(): ServerCapabilities {
    const shaped = shapeResult(
      'initialize',
      this.#init as unknown as Result,
      MODERN_REVISION,
    ) as unknown as InitializeResult;
    return shaped.capabilities;
  }

  #discover(): Result {
    const shaped = shapeResult(
      'initialize',
      this.#init as unknown as Result,
      MODERN_REVISION,
    ) as unknown as InitializeResult;
    const result: Result = {
      resultType: 'complete',
      supportedVersions: [MODERN_REVISION],
      capabilities: this.#capabilities(),
      ttlMs: 0,
      cacheScope: 'public',
      _meta: { [MetaKey.serverInfo]: shaped.serverInfo },
    };
    if (typeof this.#init.instructions === 'string') result.instructions = this.#init.instructions;
    return result;
  }

  async request(call: Call): Promise<Result> {
    if (call.method === 'server/discover') return this.#discover();
    if (call.method === 'subscriptions/listen') return this.#listens.listen(call);
    const state = call.params?.requestState;
    if (typeof state === 'string' && state.startsWith('bridge-')) {
      const exchange = this.#exchanges.get(state);
      if (!exchange) {
        throw new McpError(
          ErrorCode.InvalidParams,
          'This requestState is unknown or has expired; send the request again without requestState and inputResponses.',
        );
      }
      exchange.answer(call.params?.inputResponses);
      return exchange.wait(call);
    }
    const envelope = envelopeOf(call.params);
    await this.#syncLevel(envelope.logLevel);
    const params = stripEnvelope(call.params);
    if (!MRTR_METHODS.has(call.method)) {
      try {
        return this.#modernResult(
          call.method,
          await this.#link.request(call.method, params, { signal: call.signal }),
        );
      } catch (error) {
        throw modernError(error);
      }
    }
    const { inputResponses: _i, requestState: _s, ...rest } = params ?? {};
    const exchange = new Exchange(
      call.token,
      (result) => this.#modernResult(call.method, result),
      (e) => this.#exchanges.delete(e.token),
    );
    this.#exchanges.set(exchange.token, exchange);
    exchange.run(
      this.#link
        .request(call.method, params === undefined ? undefined : rest, { signal: exchange.signal })
        .catch((error: unknown) => Promise.reject(modernError(error))),
    );
    return exchange.wait(call);
  }

  async #syncLevel(level: LoggingLevel | undefined): Promise<void> {
    if (!level || level === this.#level || !this.#init.capabilities.logging) return;
    this.#level = level;
    await this.#link.request('logging/setLevel', { level }).catch(() => {});
  }

  #modernResult(method: string, result: Result): Result {
    const out: Result = { ...shapeResult(method, result, MODERN_REVISION), resultType: 'complete' };
    if (CACHEABLE_METHODS.has(method)) {
      out.ttlMs = 0;
      out.cacheScope = method === 'resources/read' ? 'private' : 'public';
    }
    return out;
  }

  notification(_n: JsonRpcNotification): void {
    // A modern client sends only cancellations, which the peers handle.
  }

  /** The exchange a server request belongs to: the only one running, or the newest waiting one. */
  #exchangeFor(): Exchange | undefined {
    let best: Exchange | undefined;
    for (const e of this.#exchanges.values()) {
      if (e.done) continue;
      if (
        !best ||
        (e.waiting && !best.waiting) ||
        (!!e.waiting === !!best.waiting && e.started >= best.started)
      )
        best = e;
    }
    return best;
  }

  serverRequest(method: string, params: Params | undefined, ctx: InboundContext): Promise<Result> {
    if (method === 'ping') return Promise.resolve({});
    if (!INPUT_REQUEST_METHODS.has(method)) {
      return Promise.reject(new McpError(ErrorCode.MethodNotFound, `Method not found: '${method}'.`));
    }
    const exchange = this.#exchanges.size > 0 ? this.#exchangeFor() : undefined;
    if (!exchange) {
      return Promise.reject(
        new McpError(
          ErrorCode.MethodNotFound,
          `The client speaks 2026-07-28, where '${method}' can only be asked during tools/call, prompts/get or resources/read.`,
        ),
      );
    }
    return exchange.input(method, shapeParams(method, params, MODERN_REVISION), ctx.signal);
  }

  serverNotification(n: JsonRpcNotification): void {
    const params = n.params ?? {};
    if (n.method === 'notifications/progress') {
      this.#progress(params);
      return;
    }
    if (n.method === 'notifications/message') {
      this.#log(n, params);
      return;
    }
    this.#listens.notify(n.method, params);
  }

  #progress(params: Params): void {
    for (const e of this.#exchanges.values()) {
      if (e.progressToken === undefined || e.progressToken !== params.progressToken) continue;
      const call = e.waiting;
      if (call?.token !== undefined) {
        call.peer
          .notify(
            'notifications/progress',
            { ...params, progressToken: call.token },
            { relatedRequestId: call.id },
          )
          .catch(() => {});
      }
      return;
    }
    const call = this.#link.byToken(params.progressToken);
    call?.peer.notify('notifications/progress', params, { relatedRequestId: call.id }).catch(() => {});
  }

  #log(n: JsonRpcNotification, params: Params): void {
    const call = this.#link.likelyCall((c) => envelopeOf(c.params).logLevel !== undefined);
    if (!call) return;
    const wanted = envelopeOf(call.params).logLevel as LoggingLevel;
    const rank = (l: unknown) => LOGGING_LEVELS.indexOf(l as LoggingLevel);
    if (rank(params.level) < rank(wanted)) return;
    call.peer.notify(n.method, params, { relatedRequestId: call.id }).catch(() => {});
  }

  close(): void {
    for (const e of this.#exchanges.values()) e.abandon('the connection closed');
    this.#listens.close();
  }
}

/** A legacy error as a modern server reports it (resource not found is -32602 in 2026-07-28). */
function modernError(error: unknown): unknown {
  if (error instanceof McpError && error.code === ErrorCode.ResourceNotFound) {
    return new McpError(ErrorCode.InvalidParams, error.message, error.data);
  }
  return error;
}
