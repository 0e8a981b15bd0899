/** One SSE connection: a byte stream for a Response body, with framing, keep-alives and a buffer cap. */

const encoder = new TextEncoder();

/** Options of one SSE connection. */
export interface SseConnectionOptions {
  /** Milliseconds between keep-alive comment frames; 0 turns them off. */
  keepAliveMs: number;
  /** Bytes the client may leave unread before the connection is dropped as too slow. */
  maxBufferedBytes: number;
  /** Aborted when the client goes away (the Request's signal). */
  signal?: AbortSignal;
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

/** A live SSE connection to one client. */
export class SseConnection {
  /** The body to put in the Response. */
  readonly body: ReadableStream<Uint8Array>;
  #controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  #closed = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #options: SseConnectionOptions;
  readonly #onAbort = () => this.#finish();

  constructor(options: SseConnectionOptions) {
    this.#options = options;
    this.body = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.#controller = controller;
        },
        cancel: () => this.#finish(),
      },
      new ByteLengthQueuingStrategy({ highWaterMark: Math.max(1, options.maxBufferedBytes) }),
    );
    if (options.keepAliveMs > 0) {
      this.#timer = setInterval(() => this.write(': keep-alive\n\n'), options.keepAliveMs);
      (this.#timer as { unref?: () => void }).unref?.();
    }
    if (options.signal) {
      if (options.signal.aborted) this.#finish();
      else options.signal.addEventListener('abort', this.#onAbort, { once: true });
    }
  }

  /** Whether the connection has ended. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Writes raw SSE text; returns false when the connection is gone (or was just dropped as too slow). */
  write(text: string): boolean {
    const controller = this.#controller;
    if (this.#closed || !controller) return false;
    const backlog = controller.desiredSize;
    if (backlog !== null && backlog < 0) {
      // The client stopped reading: drop the connection; a resumable stream keeps the events.
      this.#finish();
      return false;
    }
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

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#options.signal?.removeEventListener('abort', this.#onAbort);
    try {
      this.#controller?.close();
    } catch {
      // already closed, or cancelled by the reader
    }
    this.#options.onClose?.();
  }
}
