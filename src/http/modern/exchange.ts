/**
 * The HTTP answer to a POST served without a session (a request of the stateless revision
 * 2026-07-28, or the requests of a legacy POST on a handler without sessions): one JSON body, or,
 * once the server has a notification to send before the result (progress, a log line, a
 * subscription acknowledgement), an SSE stream that ends after the last result. No session, no ids on events, no
 * resumption; the client closing the stream cancels the request. A host with `serve` (McpServer)
 * answers through `notify` and `finish`; a host with only `connect` gets it as a Transport.
 */
import {
  ConnectionClosedError,
  ErrorCode,
  isResponse,
  type JsonRpcMessage,
  type JsonRpcResponse,
  messageText,
} from '../../protocol/index.ts';
import type { MessageInfo, Transport, TransportSink } from '../../rpc/index.ts';
import type { Departure } from '../beside.ts';
import { endService } from '../options.ts';
import { errorReply, jsonResponse } from '../reply.ts';
import { SSE_HEADERS, SseConnection, sseResponse } from '../sse.ts';

/** What an exchange needs from the handler. */
export interface ExchangeSettings {
  /** Answer with JSON only: notifications before the result are dropped. */
  jsonOnly: boolean;
  keepAliveMs: number;
  maxBufferedBytes: number;
  onError: (error: Error) => void;
  /** Called once when the exchange is over, whoever ended it. */
  onDone: (exchange: ModernExchange) => void;
  /** The responses to wait for (the requests of a legacy batch); default 1. */
  count?: number;
  /** Answer in JSON with an array (the POST was a batch). */
  batch?: boolean;
  /** The HTTP status of a JSON-RPC error answered in JSON; default `modernErrorStatus`. */
  errorStatus?: (code: number) => number;
}

/** The HTTP status for a JSON-RPC error of a 2026-07-28 request answered in JSON. */
export function modernErrorStatus(code: number): number {
  switch (code) {
    case ErrorCode.MethodNotFound:
      return 404;
    case ErrorCode.InvalidRequest:
    case ErrorCode.HeaderMismatch:
    case ErrorCode.MissingRequiredClientCapability:
    case ErrorCode.UnsupportedProtocolVersion:
      return 400;
    default:
      return 200;
  }
}

/** One 2026-07-28 request being served. */
export class ModernExchange implements Transport {
  /** Resolves with the HTTP answer once the first message (or the end) is known. */
  readonly response: Promise<Response>;
  /** The server's handle on this exchange, set once `connect` resolved. */
  handle: { close(): Promise<void> } | undefined;
  #resolve: (response: Response) => void = () => {};
  #answered = false;
  #sink: TransportSink | undefined;
  #conn: SseConnection | undefined;
  #done = false;
  #closed = false;
  readonly #signal: Departure;
  readonly #settings: ExchangeSettings;
  readonly #onAbort = () => void this.terminate();
  #controller: AbortController | undefined;
  /** Responses still to come. */
  #left: number;
  /** The texts of responses kept for one JSON answer (a batch). */
  readonly #texts: string[] = [];

  constructor(signal: Departure, settings: ExchangeSettings) {
    this.#signal = signal;
    this.#settings = settings;
    this.#left = settings.count ?? 1;
    this.response = new Promise((resolve) => {
      this.#resolve = resolve;
    });
    if (signal.aborted) this.#done = true;
    else signal.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** Aborted when the client goes or the exchange is ended; made when first read. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#done) this.#controller.abort(new ConnectionClosedError('The HTTP request has ended.'));
    }
    return this.#controller.signal;
  }

  /** Whether the exchange is over. */
  get done(): boolean {
    return this.#done;
  }

  start(sink: TransportSink): void {
    if (this.#sink) throw new Error('This HTTP request transport is already started.');
    this.#sink = sink;
  }

  /** Hands the request to the server. */
  deliver(value: unknown, info: MessageInfo): void {
    if (!this.#sink || this.#done) throw new ConnectionClosedError('The HTTP request was cancelled.');
    this.#sink.receive(value, info);
  }

  send(message: JsonRpcMessage | JsonRpcMessage[]): Promise<void> {
    if (this.#done) return Promise.reject(new ConnectionClosedError('The HTTP request has ended.'));
    if (Array.isArray(message)) {
      for (const m of message) void this.send(m).catch(this.#settings.onError);
      return Promise.resolve();
    }
    if (isResponse(message)) {
      this.#finish(message);
      return Promise.resolve();
    }
    if ('id' in message) {
      return Promise.reject(
        new Error(
          `No server-to-client requests in revision 2026-07-28 ('${message.method}'): ask for input with an input_required result.`,
        ),
      );
    }
    return this.notify(message);
  }

  /** Sends a notification of the request ahead of its result (dropped when answering in JSON only). */
  notify(message: JsonRpcMessage): Promise<void> {
    if (this.#done) return Promise.reject(new ConnectionClosedError('The HTTP request has ended.'));
    if (this.#settings.jsonOnly) return Promise.resolve();
    const conn = this.#stream();
    if (!conn.event(messageText(message), undefined, 'message')) {
      return Promise.reject(new ConnectionClosedError('The client closed the response stream.'));
    }
    return Promise.resolve();
  }

  /** The SSE stream, opened (and given as the HTTP answer) on first use. */
  #stream(): SseConnection {
    if (this.#conn) return this.#conn;
    const conn = new SseConnection({
      keepAliveMs: this.#settings.keepAliveMs,
      maxBufferedBytes: this.#settings.maxBufferedBytes,
      signal: this.#signal,
      onClose: () => void this.terminate(),
    });
    this.#conn = conn;
    this.#answer(sseResponse(conn, SSE_HEADERS));
    // Responses of a batch that came before the stream opened go first.
    for (const text of this.#texts.splice(0)) conn.event(text, undefined, 'message');
    return conn;
  }

  /** Answers the request with its response, ending the exchange. */
  finish(response: JsonRpcResponse): void {
    if (this.#done) return;
    this.#finish(response);
  }

  #finish(response: JsonRpcResponse): void {
    const text = messageText(response);
    const last = --this.#left <= 0;
    if (this.#conn) {
      this.#conn.event(text, undefined, 'message');
      if (!last) return;
      this.#conn.end();
    } else if (this.#settings.batch) {
      this.#texts.push(text);
      if (!last) return;
      this.#answer(jsonResponse(200, `[${this.#texts.join(',')}]`));
    } else {
      if (!last) return;
      const status =
        'error' in response ? (this.#settings.errorStatus ?? modernErrorStatus)(response.error.code) : 200;
      this.#answer(jsonResponse(status, text));
    }
    void this.terminate();
  }

  #answer(response: Response): void {
    if (this.#answered) return;
    this.#answered = true;
    this.#resolve(response);
  }

  /** Ends the server's service of this request (cancelling it if unanswered), then the exchange. */
  terminate(): Promise<void> {
    const handle = this.handle;
    if (handle === undefined) return this.close();
    this.handle = undefined;
    return endService(handle, this.#settings.onError).then(() => this.close());
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    this.#done = true;
    this.#controller?.abort(new ConnectionClosedError('The HTTP request has ended.'));
    this.#signal.removeEventListener('abort', this.#onAbort);
    this.#conn?.end();
    if (!this.#answered) {
      this.#answer(
        errorReply(503, ErrorCode.InternalError, 'The request ended before it was answered; retry it.'),
      );
    }
    try {
      this.#sink?.closed();
    } catch (error) {
      this.#settings.onError(error as Error);
    }
    this.#settings.onDone(this);
    return Promise.resolve();
  }
}
