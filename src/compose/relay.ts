/**
 * The relay between a downstream request and the upstream call it caused: the upstream's
 * server→client requests (elicitation, sampling, roots) and its progress and log messages are
 * carried to the downstream request through that request's handler context, so the same code
 * serves a legacy session (a request to the client) and a 2026-07-28 one (a Multi Round-Trip Request).
 */
import { McpClient, type McpClientOptions } from '../client/index.ts';
import {
  ErrorCode,
  type LoggingLevel,
  type LoggingMessageParams,
  McpError,
  type ProgressParams,
} from '../protocol/index.ts';
import type { RequestContext } from '../server/index.ts';

/** One downstream request waiting on its upstream call. */
interface Call {
  readonly ctx: RequestContext;
  /** Aborts the upstream call (the downstream request was suspended for input or cancelled). */
  readonly upstream: AbortController;
  /** Set when the downstream context suspended the request for input (2026-07-28). */
  suspended: unknown;
}

const relays = new WeakMap<McpClient, UpstreamRelay>();

/** Whether an error is the signal that a 2026-07-28 request now waits for the client's input. */
function isInputRequired(error: unknown): boolean {
  return error instanceof Error && error.name === 'InputRequired';
}

/**
 * Carries an upstream's requests to the downstream request whose call caused them. With several
 * calls in flight on one upstream connection, the most recently started one is asked: a legacy
 * upstream's request does not say which call it belongs to.
 */
export class UpstreamRelay {
  readonly #calls: Call[] = [];
  /** Where an upstream log message goes when no downstream request is waiting (default: nowhere). */
  idleLog: ((message: LoggingMessageParams) => void) | undefined;

  /** The client handlers that forward to the downstream request (give them to the upstream McpClient). */
  readonly handlers: NonNullable<McpClientOptions['handlers']> = {
    elicitation: (params, { signal }) =>
      this.#ask((call) => call.ctx.elicit(params, { signal: both(signal, call.ctx.signal) })),
    sampling: (params, { signal }) =>
      this.#ask((call) => call.ctx.sample(params, { signal: both(signal, call.ctx.signal) })),
    roots: async ({ signal }) =>
      (await this.#ask((call) => call.ctx.listRoots({ signal: both(signal, call.ctx.signal) }))).roots,
  };

  /** Whether any downstream request is waiting on this upstream. */
  get busy(): boolean {
    return this.#calls.length > 0;
  }

  /**
   * Runs an upstream call on behalf of `ctx`: the call gets a signal that aborts when the
   * downstream request is cancelled or suspended for input; progress and log messages of the
   * upstream reach the downstream request meanwhile.
   */
  async run<T>(ctx: RequestContext, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const entry: Call = { ctx, upstream: new AbortController(), suspended: undefined };
    const onAbort = () => entry.upstream.abort(ctx.signal.reason);
    if (ctx.signal.aborted) onAbort();
    else ctx.signal.addEventListener('abort', onAbort, { once: true });
    this.#calls.push(entry);
    try {
      const result = await call(entry.upstream.signal);
      if (entry.suspended !== undefined) throw entry.suspended;
      return result;
    } catch (error) {
      throw entry.suspended ?? error;
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
      const i = this.#calls.indexOf(entry);
      if (i >= 0) this.#calls.splice(i, 1);
    }
  }

  /** The progress callback of an upstream call made for `ctx` (undefined when the client asked for none). */
  progressFor(ctx: RequestContext): ((p: ProgressParams) => void) | undefined {
    if (!ctx.wantsProgress) return undefined;
    return (p) => {
      ctx.progress(p.progress, p.total, p.message).catch(() => {});
    };
  }

  /** Passes an upstream log message to the downstream request now waiting, else to `idleLog`. */
  log(message: LoggingMessageParams): void {
    const call = this.#calls.at(-1);
    if (call) call.ctx.log(message.level as LoggingLevel, message.data, message.logger).catch(() => {});
    else this.idleLog?.(message);
  }

  async #ask<R>(ask: (call: Call) => Promise<R>): Promise<R> {
    const call = this.#calls.at(-1);
    if (!call) {
      throw new McpError(
        ErrorCode.InvalidRequest,
        'No downstream request is waiting on this server, so there is nobody to ask; ask during a tool call, prompt or read.',
      );
    }
    try {
      return await ask(call);
    } catch (error) {
      if (isInputRequired(error)) {
        // 2026-07-28: the downstream request is answered with input_required and retried with the
        // answer; this upstream call is cancelled and made again on the retry.
        call.suspended = error;
        call.upstream.abort(error);
      }
      throw error;
    }
  }
}

function both(a: AbortSignal, b: AbortSignal): AbortSignal {
  return AbortSignal.any([a, b]);
}

/**
 * A client for an upstream server whose elicitation, sampling and roots requests are relayed to the
 * downstream request that caused them, once the client is mounted or proxied.
 */
export function createUpstreamClient(options: Omit<McpClientOptions, 'handlers'> = {}): McpClient {
  const relay = new UpstreamRelay();
  const client = new McpClient({
    ...options,
    handlers: relay.handlers,
    capabilities: { elicitation: { form: {}, url: {} }, ...options.capabilities },
  });
  relays.set(client, relay);
  client.on('log', (message) => relay.log(message));
  return client;
}

/** The relay of a client made by `createUpstreamClient`, or undefined for any other client. */
export function relayOf(client: McpClient): UpstreamRelay | undefined {
  return relays.get(client);
}
