/** One SSE connection: a byte stream for a Response body, with framing, keep-alives and a buffer cap. */
import type { Departure } from './beside.ts';

const encoder = new TextEncoder();

/** Options of one SSE connection. */
export interface SseConnectionOptions {
  /** Milliseconds between keep-alive comment frames; 0 turns them off. */
  keepAliveMs: number;
  /** Bytes the client may leave unread before the connection is dropped as too slow. */
  maxBufferedBytes: number;
  /** Fires when the client goes away (the Request's signal, or its adapter's lighter watch). */
  signal?: Departure;
  /** Called once when the connection ends, whoever ended it. */
  onClose?: () => void;
}

/** Headers of every SSE response. */
export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
};

/** Frames one event. `data` must not hold line breaks (JSON text never does). */
export function formatEvent(data: string, id?: string, event?: string): string {
  let out = '';
  if (event !== undefined) out += `event: ${event}\n`;
  if (id !== undefined) out += `id: ${id}\n`;
  return `${out}data: ${data}\n\n`;
}

/**
 * Where a server adapter writes an SSE connection directly (see `sseResponse`): text in, no body
 * stream in between.
 */
export interface SseSink {
  /** Writes SSE text. */
  write(text: string): void;
  /** Ends the response. */
  end(): void;
  /** Bytes written but not yet taken by the client. */
  backlog(): number;
}

/**
 * The keep-alive clocks: one interval per period, for every connection open with that period,
 * rather than a timer per connection (a GET stream lives as long as its session, and an idle
 * session should hold little). A connection's first comment comes within one period of opening.
 */
const keepAlives = new Map<number, { timer: ReturnType<typeof setInterval>; conns: Set<SseConnection> }>();

function keepAlive(conn: SseConnection, ms: number): void {
  let clock = keepAlives.get(ms);
  if (!clock) {
    const conns = new Set<SseConnection>();
    const timer = setInterval(() => {
      for (const c of conns) c.write(': keep-alive\n\n');
    }, ms);
    (timer as { unref?: () => void }).unref?.();
    clock = { timer, conns };
    keepAlives.set(ms, clock);
  }
  clock.conns.add(conn);
}

function stopKeepAlive(conn: SseConnection, ms: number): void {
  const clock = keepAlives.get(ms);
  if (!clock?.conns.delete(conn) || clock.conns.size > 0) return;
  clearInterval(clock.timer);
  keepAlives.delete(ms);
}

/** A live SSE connection to one client. */
export class SseConnection {
  #stream: ReadableStream<Uint8Array> | undefined;
  #controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  #sink: SseSink | undefined;
  /** Text written before a reader (body stream or sink) was there, and its length. */
  #pending: string[] | undefined;
  #pendingLength = 0;
  #closed = false;
  readonly #options: SseConnectionOptions;
  readonly #onAbort = () => this.#finish();

  constructor(options: SseConnectionOptions) {
    this.#options = options;
    if (options.keepAliveMs > 0) keepAlive(this, options.keepAliveMs);
    if (options.signal) {
      if (options.signal.aborted) this.#finish();
      else options.signal.addEventListener('abort', this.#onAbort, { once: true });
    }
  }

  /** The body to put in a Response: a byte stream, made when first asked for. */
  get body(): ReadableStream<Uint8Array> {
    if (this.#stream) return this.#stream;
    if (this.#sink) throw new Error('This SSE connection is written to a sink; it has no body stream.');
    this.#stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          for (const text of this.#takePending()) controller.enqueue(encoder.encode(text));
          if (this.#closed) controller.close();
          else this.#controller = controller;
        },
        cancel: () => this.#finish(),
      },
      new ByteLengthQueuingStrategy({ highWaterMark: Math.max(1, this.#options.maxBufferedBytes) }),
    );
    return this.#stream;
  }

  /**
   * Writes the connection to a sink instead of a body stream: what was written so far, then each
   * write as it comes; ends the sink when the connection ends.
   */
  pipe(sink: SseSink): void {
    if (this.#sink || this.#stream) throw new Error('This SSE connection already has a reader.');
    this.#sink = sink;
    for (const text of this.#takePending()) sink.write(text);
    if (this.#closed) sink.end();
  }

  /** Whether the connection has ended. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Writes raw SSE text; returns false when the connection is gone (or was just dropped as too slow). */
  write(text: string): boolean {
    if (this.#closed) return false;
    const sink = this.#sink;
    if (sink) {
      if (sink.backlog() > this.#options.maxBufferedBytes) return this.#tooSlow();
      sink.write(text);
      return true;
    }
    const controller = this.#controller;
    if (!controller) {
      if (this.#pendingLength > this.#options.maxBufferedBytes) return this.#tooSlow();
      this.#pending ??= [];
      this.#pending.push(text);
      this.#pendingLength += text.length;
      return true;
    }
    const backlog = controller.desiredSize;
    if (backlog !== null && backlog < 0) return this.#tooSlow();
    try {
      controller.enqueue(encoder.encode(text));
      return true;
    } catch {
      this.#finish();
      return false;
    }
  }

  /** Writes one event. */
  event(data: string, id?: string, event?: string): boolean {
    return this.write(formatEvent(data, id, event));
  }

  /** Ends the response body normally. */
  end(): void {
    this.#finish();
  }

  /** The client stopped reading: drop the connection; a resumable stream keeps the events. */
  #tooSlow(): false {
    this.#pending = undefined;
    this.#finish();
    return false;
  }

  #takePending(): string[] {
    const pending = this.#pending ?? [];
    this.#pending = undefined;
    this.#pendingLength = 0;
    return pending;
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#options.keepAliveMs > 0) stopKeepAlive(this, this.#options.keepAliveMs);
    this.#options.signal?.removeEventListener('abort', this.#onAbort);
    this.#sink?.end();
    try {
      this.#controller?.close();
    } catch {
      // already closed, or cancelled by the reader
    }
    this.#options.onClose?.();
  }
}

/**
 * An SSE answer on a connection. Like a JSON answer it is made without a body stream: the
 * handler's `completeResponse` gives it the connection's stream on the way out, unless the caller
 * pipes the connection itself (`sseConnectionOf`, as the Node adapter does).
 */
export function sseResponse(conn: SseConnection, headers: Record<string, string>): Response {
  const response = new Response(null, { status: 200, headers });
  (response as CarriedSse)[SSE] = conn;
  return response;
}

const SSE = Symbol('mcpkit.sse');

interface CarriedSse {
  [SSE]?: SseConnection;
}

/** The connection behind an SSE answer, for an adapter that writes it to its own sink. */
export function sseConnectionOf(response: Response): SseConnection | undefined {
  return (response as CarriedSse)[SSE];
}
