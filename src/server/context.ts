/** The context a handler receives: cancellation, progress, logging and requests to the client. */
import {
  type ClientCapabilities,
  type CreateMessageParams,
  type CreateMessageResult,
  type ElicitParams,
  type ElicitResult,
  FEATURES,
  hasCapability,
  type Implementation,
  type ListRootsResult,
  type LoggingLevel,
  type Meta,
  type ProgressToken,
  type RequestId,
  type Revision,
} from '../protocol/index.ts';
import type { AuthInfo, MessageInfo, RequestOptions } from '../rpc/index.ts';

/** What a handler knows about the client it serves. */
export interface SessionInfo {
  /** The session id (HTTP), when there is one. */
  readonly id: string | undefined;
  /** The negotiated revision. */
  readonly revision: Revision;
  /** The client's name and version. */
  readonly clientInfo: Implementation | undefined;
  /** The capabilities the client declared. */
  readonly clientCapabilities: ClientCapabilities;
}

/** How a handler context reaches its session (implemented by the session). */
export interface ContextHost {
  readonly session: SessionInfo;
  /** Whether a log message at this level goes out. */
  shouldLog(level: LoggingLevel): boolean;
  /** The error to throw when a client capability is missing. */
  missingCapability(capability: string, message: string): Error;
  request<R extends Record<string, unknown>>(
    method: string,
    params: Record<string, unknown>,
    options: RequestOptions & { inputKey?: string },
  ): Promise<R>;
  notify(method: string, params: Record<string, unknown>, relatedRequestId: RequestId): Promise<void>;
}

/** Options for a request the handler makes to the client. */
export interface ClientRequestOptions {
  /** Milliseconds to wait (default: the server's timeout). */
  timeout?: number;
  /** Cancels the request. Defaults to the handler's own signal. */
  signal?: AbortSignal;
  /**
   * The key of this input request in a Multi Round-Trip Request (2026-07-28). Defaults to one made
   * from the call order; give a stable key when the order of calls can vary between rounds.
   */
  key?: string;
}

/** The handler context: one per inbound request. */
export class RequestContext {
  readonly #signal: { readonly signal: AbortSignal };
  /** The inbound request's id. */
  readonly requestId: RequestId;
  /** The request's `_meta`. */
  readonly meta: Meta | undefined;
  /** What the transport established about the sender. */
  readonly info: MessageInfo | undefined;
  readonly #host: ContextHost;
  readonly #progressToken: ProgressToken | undefined;
  #lastProgress = Number.NEGATIVE_INFINITY;

  constructor(
    host: ContextHost,
    requestId: RequestId,
    signal: AbortSignal | { readonly signal: AbortSignal },
    meta: Meta | undefined,
    info?: MessageInfo,
  ) {
    this.#host = host;
    this.requestId = requestId;
    this.#signal = signal instanceof AbortSignal ? { signal } : signal;
    this.meta = meta;
    this.info = info;
    const token = meta?.progressToken;
    this.#progressToken = typeof token === 'string' || typeof token === 'number' ? token : undefined;
  }

  /** Aborted when the client cancels the request or the connection closes. */
  get signal(): AbortSignal {
    return this.#signal.signal;
  }

  /** The client this request came from. */
  get session(): SessionInfo {
    return this.#host.session;
  }

  /** The authenticated principal, when the transport authenticated the request. */
  get auth(): AuthInfo | undefined {
    return this.info?.auth;
  }

  /** Whether the client asked for progress (sent a progress token). */
  get wantsProgress(): boolean {
    return this.#progressToken !== undefined;
  }

  /**
   * Reports progress. Does nothing when the client sent no progress token. `progress` must increase
   * from one call to the next.
   */
  async progress(progress: number, total?: number, message?: string): Promise<void> {
    if (this.#progressToken === undefined || this.signal.aborted) return;
    if (!(progress > this.#lastProgress)) {
      throw new RangeError(
        `Progress must increase with each report (got ${progress} after ${this.#lastProgress}).`,
      );
    }
    this.#lastProgress = progress;
    const params: Record<string, unknown> = { progressToken: this.#progressToken, progress };
    if (total !== undefined) params.total = total;
    if (message !== undefined) params.message = message;
    await this.#host.notify('notifications/progress', params, this.requestId);
  }

  /** Sends a log message if the session's level lets it through. */
  async log(level: LoggingLevel, data: unknown, logger?: string): Promise<void> {
    if (this.signal.aborted) return;
    if (!this.#host.shouldLog(level)) return;
    const params: Record<string, unknown> = { level, data };
    if (logger !== undefined) params.logger = logger;
    await this.#host.notify('notifications/message', params, this.requestId);
  }

  /**
   * Fails unless the client declared a capability: a local MissingCapabilityError on a legacy
   * session, a -32021 error answer on a modern request.
   */
  requireCapability(capability: string, what = `'${capability}'`): void {
    if (!hasCapability(this.session.clientCapabilities, capability)) {
      throw this.#host.missingCapability(
        capability,
        `The client did not declare the '${capability}' capability, so ${what} cannot be used; check ctx.session.clientCapabilities first.`,
      );
    }
  }

  #options(options?: ClientRequestOptions): RequestOptions & { inputKey?: string } {
    return {
      signal: options?.signal ?? this.signal,
      timeout: options?.timeout,
      relatedRequestId: this.requestId,
      inputKey: options?.key,
    };
  }

  /** Asks the client's model for a completion (`sampling/createMessage`). */
  sample(params: CreateMessageParams, options?: ClientRequestOptions): Promise<CreateMessageResult> {
    this.requireCapability('sampling', 'sampling');
    if (params.tools !== undefined) this.requireCapability('sampling.tools', 'tools in sampling');
    return this.#host.request<CreateMessageResult>(
      'sampling/createMessage',
      params as unknown as Record<string, unknown>,
      this.#options(options),
    );
  }

  /** Asks the user for input through the client (`elicitation/create`), in form or URL mode. */
  elicit(params: ElicitParams, options?: ClientRequestOptions): Promise<ElicitResult> {
    if (!FEATURES[this.session.revision].elicitation) {
      throw this.#host.missingCapability(
        'elicitation',
        `Revision ${this.session.revision} has no elicitation; the client must negotiate 2025-06-18 or later.`,
      );
    }
    this.requireCapability('elicitation', 'elicitation');
    const caps = this.session.clientCapabilities.elicitation as Record<string, unknown>;
    if (params.mode === 'url') {
      if (
        !(FEATURES[this.session.revision].elicitationUrl || FEATURES[this.session.revision].stateless) ||
        !caps.url
      ) {
        throw this.#host.missingCapability(
          'elicitation.url',
          'The client did not declare URL-mode elicitation (elicitation.url); use form mode or check ctx.session.clientCapabilities.',
        );
      }
    } else if (caps.url && !caps.form) {
      throw this.#host.missingCapability(
        'elicitation.form',
        'The client declared only URL-mode elicitation; form mode cannot be used.',
      );
    }
    return this.#host.request<ElicitResult>(
      'elicitation/create',
      params as unknown as Record<string, unknown>,
      this.#options(options),
    );
  }

  /** Asks the client for its roots (`roots/list`). */
  listRoots(options?: ClientRequestOptions): Promise<ListRootsResult> {
    this.requireCapability('roots', 'roots');
    return this.#host.request<ListRootsResult>('roots/list', {}, this.#options(options));
  }
}
