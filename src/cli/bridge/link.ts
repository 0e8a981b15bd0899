/**
 * A link of the bridge: one upstream connection (the bridge as a client of the real server) and
 * the downstream connections attached to it (the bridge as a server to real clients). Every message
 * passes through a JsonRpcPeer on each side, so that ids, cancellation and progress work in both
 * directions, and through a Front that either relays it or translates it between eras.
 */
import type { JsonRpcNotification, Params, ProgressToken, RequestId } from '../../protocol/index.ts';
import {
  type InboundContext,
  JsonRpcPeer,
  type MessageInfo,
  type RequestOptions,
  type Transport,
} from '../../rpc/index.ts';

type Result = Record<string, unknown>;

/** One downstream request in flight. */
export interface Call {
  /** The downstream peer it came from. */
  readonly peer: JsonRpcPeer;
  /** Its id, as the client gave it. */
  readonly id: RequestId;
  readonly method: string;
  readonly params: Params | undefined;
  /** Its progress token, if it asked for progress. */
  readonly token: ProgressToken | undefined;
  /** Aborted when the client cancels it or goes away. */
  readonly signal: AbortSignal;
  /** What the transport said about it (the HTTP request). */
  readonly info: MessageInfo | undefined;
  /** When it arrived, for choosing among several. */
  readonly order: number;
}

/** How a link handles traffic: a relay, or a translation between eras. */
export interface Front {
  /** A short description, e.g. 'relay (2025-11-25)'. */
  readonly description: string;
  /** Answers a downstream request. */
  request(call: Call): Promise<Result>;
  /** Handles a downstream notification (cancellation is already handled). */
  notification(n: JsonRpcNotification, from: JsonRpcPeer): void;
  /** Answers a request the upstream server sent. */
  serverRequest(method: string, params: Params | undefined, ctx: InboundContext): Promise<Result>;
  /** Handles a notification the upstream server sent (cancellation is already handled). */
  serverNotification(n: JsonRpcNotification): void;
  /** Whether downstream batches are accepted now. */
  acceptBatches?(): boolean;
  /** Releases what the front holds. */
  close?(): void;
}

/** The front chosen, and the answer to the first request when choosing gave one. */
export interface Choice {
  front: Front;
  /** The result of the first request. */
  result?: Result;
  /** The error the first request failed with (the front stays chosen). */
  error?: unknown;
}

/** Chooses the front on the first downstream request; may answer that request itself. */
export type FrontChooser = (link: Link, first: Call) => Promise<Choice>;

/** Options of a link. */
export interface LinkOptions {
  /** Makes the upstream transport. */
  upstream: () => Transport;
  /** Chooses how to handle the traffic. */
  choose: FrontChooser;
  /** One downstream connection only: when it closes, the link closes, and the other way round. */
  single: boolean;
  /** Called once when the link has closed, with the upstream's reason when it went first. */
  onClose?: (reason: Error | undefined) => void;
  /** Reports decisions (the era found, the translation chosen). */
  report?: (text: string) => void;
}

const NO_TIMEOUT = { timeout: Number.POSITIVE_INFINITY, maxTotalTimeout: Number.POSITIVE_INFINITY };

/** The progress token in a request's `_meta`, if any. */
export function progressTokenOf(params: Params | undefined): ProgressToken | undefined {
  const token = (params?._meta as { progressToken?: unknown } | undefined)?.progressToken;
  return typeof token === 'string' || typeof token === 'number' ? token : undefined;
}

/** A link between one upstream connection and its downstream connections. */
export class Link {
  /** The upstream peer (the bridge as a client). */
  readonly up: JsonRpcPeer;
  /** Downstream requests in flight. */
  readonly calls = new Set<Call>();
  /** Downstream peers attached. */
  readonly attachments = new Set<JsonRpcPeer>();
  readonly #options: LinkOptions;
  #front: Front | undefined;
  #choosing: Promise<Front> | undefined;
  #lastUpId: RequestId | undefined;
  #order = 0;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(options: LinkOptions) {
    this.#options = options;
    this.up = new JsonRpcPeer({
      onRequest: (method, params, ctx) => this.#serverRequest(method, params, ctx),
      onNotification: (n) => {
        if (n.method !== 'notifications/cancelled') this.#front?.serverNotification(n);
      },
      onClose: (reason) => this.#upstreamClosed(reason),
      onError: () => {},
      middleware: [
        (request, next) => {
          if (request.direction === 'outbound') this.#lastUpId = request.id;
          return next();
        },
      ],
      ...NO_TIMEOUT,
    });
  }

  /** The front in use, once chosen. */
  get front(): Front | undefined {
    return this.#front;
  }

  /** Whether the link has closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Starts the upstream connection (spawns the server, for stdio). */
  async start(): Promise<void> {
    await this.up.connect(this.#options.upstream());
  }

  /** Sends a request upstream; returns the id it went out with, and its result. */
  send(
    method: string,
    params: Params | undefined,
    options: RequestOptions = {},
  ): { id: RequestId; result: Promise<Result> } {
    const result = this.up.request(method, params, { ...NO_TIMEOUT, ...options });
    return { id: this.#lastUpId as RequestId, result };
  }

  /** Sends a request upstream and waits for its result. */
  request(method: string, params: Params | undefined, options?: RequestOptions): Promise<Result> {
    return this.send(method, params, options).result;
  }

  /** Sends a request to a downstream peer. */
  ask(
    peer: JsonRpcPeer,
    method: string,
    params: Params | undefined,
    options: RequestOptions = {},
  ): Promise<Result> {
    return peer.request(method, params, { ...NO_TIMEOUT, ...options });
  }

  /** The call whose progress token this is. */
  byToken(token: unknown): Call | undefined {
    for (const call of this.calls) if (call.token === token) return call;
    return undefined;
  }

  /**
   * The call a server message without an explicit relation most likely belongs to: the only one in
   * flight, or else the most recent (listen streams never count).
   */
  likelyCall(filter: (call: Call) => boolean = () => true): Call | undefined {
    let best: Call | undefined;
    for (const call of this.calls) {
      if (call.method === 'subscriptions/listen' || !filter(call)) continue;
      if (!best || call.order > best.order) best = call;
    }
    return best;
  }

  /** The one downstream peer of a single link (undefined for a shared one). */
  get primary(): JsonRpcPeer | undefined {
    return this.#options.single ? this.attachments.values().next().value : undefined;
  }

  /** Attaches a downstream transport. */
  async attach(transport: Transport): Promise<{ close(): Promise<void> }> {
    const peer: JsonRpcPeer = new JsonRpcPeer({
      onRequest: (method, params, ctx) => this.#clientRequest(peer, method, params, ctx),
      onNotification: (n) => {
        if (n.method !== 'notifications/cancelled') this.#clientNotification(peer, n);
      },
      onClose: () => {
        this.attachments.delete(peer);
        if (this.#options.single) void this.close();
      },
      onError: () => {},
      acceptBatches: () => this.#front?.acceptBatches?.() ?? false,
      ...NO_TIMEOUT,
    });
    this.attachments.add(peer);
    await peer.connect(transport);
    return { close: () => peer.close() };
  }

  async #clientRequest(
    peer: JsonRpcPeer,
    method: string,
    params: Params | undefined,
    ctx: InboundContext,
  ): Promise<Result> {
    const call: Call = {
      peer,
      id: ctx.id,
      method,
      params,
      token: progressTokenOf(params),
      signal: ctx.signal,
      info: ctx.info,
      order: this.#order++,
    };
    this.calls.add(call);
    try {
      if (this.#front) return await this.#front.request(call);
      if (this.#choosing) return await (await this.#choosing).request(call);
      let answer: Choice | undefined;
      const choosing = this.#options.choose(this, call).then((choice) => {
        this.#front = choice.front;
        answer = choice;
        this.#options.report?.(choice.front.description);
        return choice.front;
      });
      this.#choosing = choosing;
      let front: Front;
      try {
        front = await choosing;
      } catch (error) {
        this.#choosing = undefined;
        throw error;
      }
      if (answer?.error !== undefined) throw answer.error;
      return answer?.result ?? (await front.request(call));
    } finally {
      this.calls.delete(call);
    }
  }

  #clientNotification(peer: JsonRpcPeer, n: JsonRpcNotification): void {
    if (this.#front) this.#front.notification(n, peer);
    else if (this.#choosing)
      void this.#choosing.then(
        (f) => f.notification(n, peer),
        () => {},
      );
    else this.up.notify(n.method, n.params).catch(() => {});
  }

  #serverRequest(method: string, params: Params | undefined, ctx: InboundContext): Promise<Result> {
    if (this.#front) return this.#front.serverRequest(method, params, ctx);
    const peer = this.primary;
    if (method === 'ping' || !peer) return Promise.resolve({});
    return this.ask(peer, method, params, { signal: ctx.signal });
  }

  #upstreamClosed(reason: Error | undefined): void {
    if (this.#options.single) void this.close(reason);
    else this.#finish(reason);
  }

  /** Closes the link: the upstream connection and every downstream one. */
  close(reason?: Error): Promise<void> {
    this.#closing ??= this.#shutdown(reason);
    return this.#closing;
  }

  async #shutdown(reason: Error | undefined): Promise<void> {
    this.#closed = true;
    this.#front?.close?.();
    await Promise.all([
      this.up.close().catch(() => {}),
      ...[...this.attachments].map((p) => p.close().catch(() => {})),
    ]);
    this.#options.onClose?.(reason);
  }

  #finish(reason: Error | undefined): void {
    if (this.#closing) return;
    this.#closed = true;
    this.#closing = Promise.resolve();
    this.#front?.close?.();
    this.#options.onClose?.(reason);
  }
}
