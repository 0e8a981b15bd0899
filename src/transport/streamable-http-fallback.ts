/**
 * The backwards-compatible HTTP client transport ("Backwards Compatibility" in the transports
 * pages): the initialize request is POSTed as Streamable HTTP; if the server answers 400, 404 or
 * 405 without a JSON-RPC error only a modern server sends, a GET to the same URL looks for an
 * HTTP+SSE stream and its `endpoint` event, and the initialize request is sent there instead. A
 * 2026-07-28 request sent first (the `server/discover` probe) chooses Streamable HTTP when it
 * succeeds or is refused as only a modern server refuses it; any other refusal reaches the caller
 * as an error and leaves the choice to the initialize request that follows.
 */
import {
  ConnectionClosedError,
  isNotification,
  isRequest,
  type JsonRpcMessage,
  type RequestId,
} from '../protocol/index.ts';
import type { SendOptions, Transport, TransportSink } from '../rpc/index.ts';
import { SseClientTransport } from './sse-client.ts';
import { StreamableHttpClientTransport } from './streamable-http.ts';
import { isModernRefusal, isModernRequest } from './streamable-http-modern.ts';
import type { StreamableHttpClientOptions } from './streamable-http-options.ts';
import { HttpStatusError } from './streamable-http-request.ts';

/** Which HTTP transport a server speaks. */
export type HttpTransportKind = 'streamable-http' | 'sse';

/** The statuses of the initialize POST that mean "try HTTP+SSE" (2025-11-25). */
export const DEFAULT_FALLBACK_STATUSES: readonly number[] = [400, 404, 405];

/** Options of an AutoHttpClientTransport: those of both transports, plus when to fall back. */
export interface AutoHttpClientOptions extends StreamableHttpClientOptions {
  /** Statuses of the initialize POST that make the transport try HTTP+SSE (default 400, 404, 405). */
  fallbackStatuses?: readonly number[];
}

/**
 * An HTTP client transport that finds out which transport the server speaks on its first message
 * (the initialize request): Streamable HTTP, or else the 2024-11-05 HTTP+SSE transport.
 */
export class AutoHttpClientTransport implements Transport {
  readonly #url: URL;
  readonly #options: AutoHttpClientOptions;
  #sink: TransportSink | undefined;
  #inner: StreamableHttpClientTransport | SseClientTransport | undefined;
  #candidate: StreamableHttpClientTransport | SseClientTransport | undefined;
  #kind: HttpTransportKind | undefined;
  #probe: { id: RequestId; transport: StreamableHttpClientTransport; cancelled: boolean } | undefined;
  #choosing: Promise<void> | undefined;
  #closed = false;
  #ended = false;

  constructor(url: URL | string, options: AutoHttpClientOptions = {}) {
    this.#url = new URL(url);
    this.#options = options;
  }

  /** The transport chosen, once the first message went out. */
  get kind(): HttpTransportKind | undefined {
    return this.#kind;
  }

  /** The chosen transport itself (for its session id, protocol version, `terminateSession`). */
  get transport(): StreamableHttpClientTransport | SseClientTransport | undefined {
    return this.#inner;
  }

  /** The Streamable HTTP session id, when that transport was chosen and the server assigned one. */
  get sessionId(): string | undefined {
    return this.#inner instanceof StreamableHttpClientTransport ? this.#inner.sessionId : undefined;
  }

  start(sink: TransportSink): void {
    if (this.#sink) throw new Error('This transport is already started; use one transport per connection.');
    this.#sink = sink;
  }

  async send(message: JsonRpcMessage | JsonRpcMessage[], options?: SendOptions): Promise<void> {
    if (this.#closed) throw new ConnectionClosedError('The HTTP transport is closed.');
    if (!this.#sink) throw new Error('Start the transport (connect it to a peer) before sending.');
    const probe = this.#probe;
    if (probe && cancels(message, probe.id)) {
      // Cancels the modern probe in flight (by closing its POST) without waiting for it.
      probe.cancelled = true;
      return probe.transport.send(message, options);
    }
    if (this.#choosing) await this.#choosing.catch(() => {});
    if (this.#inner) return this.#inner.send(message, options);
    if (this.#closed) throw new ConnectionClosedError('The HTTP transport is closed.');
    const choosing = this.#choose(message, options);
    this.#choosing = choosing;
    try {
      await choosing;
    } finally {
      if (this.#choosing === choosing) this.#choosing = undefined;
    }
  }

  async #choose(message: JsonRpcMessage | JsonRpcMessage[], options: SendOptions | undefined): Promise<void> {
    let streamable = this.#candidate;
    if (!(streamable instanceof StreamableHttpClientTransport)) {
      streamable = new StreamableHttpClientTransport(this.#url, this.#options);
      this.#candidate = streamable;
      streamable.start(this.#relay(streamable));
    }
    // revision: transport fallback: a modern request probes the server's era
    if (isModernRequest(message)) {
      // Chosen unless the server refuses the request as no modern server would; chosen already
      // while its answer is delivered, so that the caller sees the choice made.
      this.#adopt(streamable, 'streamable-http');
      const probe = { id: message.id, transport: streamable, cancelled: false };
      this.#probe = probe;
      try {
        await streamable.send(message, { ...options, rejectHttpErrors: true });
        if (probe.cancelled) this.#undecide(streamable);
      } catch (error) {
        // revision: an era learnt from the server's refusal
        if (!(error instanceof HttpStatusError) || !isModernRefusal(error)) this.#undecide(streamable);
        // A refusal without a JSON-RPC error is no MCP answer: a local failure, thrown to the caller.
        if (!(error instanceof HttpStatusError) || error.rpcError === undefined) throw error;
        this.#sink?.receive(error.toResponse(message.id));
      } finally {
        this.#probe = undefined;
      }
      return;
    }
    if (Array.isArray(message) || !isRequest(message) || message.method !== 'initialize') {
      this.#adopt(streamable, 'streamable-http');
      return streamable.send(message, options);
    }
    let refusal: HttpStatusError;
    try {
      await streamable.send(message, { ...options, rejectHttpErrors: true });
      this.#adopt(streamable, 'streamable-http');
      return;
    } catch (error) {
      if (!(error instanceof HttpStatusError)) throw error;
      const statuses = this.#options.fallbackStatuses ?? DEFAULT_FALLBACK_STATUSES;
      // revision: an era learnt from the server's refusal
      if (!statuses.includes(error.status) || isModernRefusal(error)) {
        // Not a sign of the old transport: the initialize request fails as it would on Streamable HTTP.
        // revision: an era learnt from the server's refusal
        if (isModernRefusal(error)) this.#adopt(streamable, 'streamable-http');
        if (error.rpcError === undefined) throw error;
        this.#sink?.receive(error.toResponse(message.id));
        return;
      }
      refusal = error;
    }
    const sse = new SseClientTransport(this.#url, this.#options);
    await streamable.close();
    this.#candidate = sse;
    try {
      await sse.start(this.#relay(sse));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `${refusal.message}; the server speaks neither Streamable HTTP nor HTTP+SSE there (${reason}).`,
        { cause: error },
      );
    }
    if (this.#closed) {
      await sse.close();
      throw new ConnectionClosedError('The HTTP transport is closed.');
    }
    this.#adopt(sse, 'sse');
    await sse.send(message);
  }

  #adopt(transport: StreamableHttpClientTransport | SseClientTransport, kind: HttpTransportKind): void {
    this.#inner = transport;
    this.#kind = kind;
    this.#candidate = undefined;
  }

  /** Takes back a choice made ahead of time: the next message chooses again. */
  #undecide(transport: StreamableHttpClientTransport): void {
    this.#inner = undefined;
    this.#kind = undefined;
    this.#candidate = transport;
  }

  /** The sink given to a candidate: messages pass through; its close counts once it is chosen. */
  #relay(transport: Transport): TransportSink {
    return {
      receive: (value, info) => this.#sink?.receive(value, info),
      receiveText: (text, info) => this.#sink?.receiveText(text, info),
      closed: (reason) => {
        if (this.#inner === transport) this.#end(reason);
      },
    };
  }

  #end(reason?: Error): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#closed = true;
    this.#sink?.closed(reason);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const transport = this.#inner ?? this.#candidate;
    if (transport) await transport.close();
    this.#end();
  }
}

/** Whether a message is the `notifications/cancelled` of request `id`. */
function cancels(message: JsonRpcMessage | JsonRpcMessage[], id: RequestId): boolean {
  return (
    !Array.isArray(message) &&
    isNotification(message) &&
    message.method === 'notifications/cancelled' &&
    message.params?.requestId === id
  );
}
