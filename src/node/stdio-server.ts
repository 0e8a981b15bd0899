/** The server side of the stdio transport: reads messages from stdin, writes them to stdout. */
import { Console } from 'node:console';
import type { Readable, Writable } from 'node:stream';
import {
  ConnectionClosedError,
  ErrorCode,
  errorResponse,
  type JsonRpcMessage,
  LocalError,
} from '../protocol/index.ts';
import type { Transport, TransportSink } from '../rpc/index.ts';
import { encodeMessage, LineDecoder, oversizeFrameMessage, readFrameHead } from '../transport/stdio.ts';

/** Options of a StdioServerTransport. */
export interface StdioServerTransportOptions {
  /**
   * How many characters may wait for a client that does not read its output before the server stops
   * reading new requests (default 8 MiB).
   */
  maxBufferedBytes?: number;
  /** Where messages are read from (default `process.stdin`). */
  stdin?: Readable;
  /** Where messages are written (default `process.stdout`). */
  stdout?: Writable;
  /** The largest message accepted, in bytes (default 4 MiB). */
  maxFrameBytes?: number;
  /**
   * Send `console.log`, `info`, `debug` and the other stdout-writing console methods to stderr while
   * the transport is open, so that stray logging cannot corrupt the protocol stream. Default: true
   * when writing to `process.stdout`.
   */
  redirectConsole?: boolean;
  /** Problems with no caller to report to (an oversize message, a failed write); default: a process warning. */
  onError?: (error: Error) => void;
}

/** The console methods that write to stdout. */
const STDOUT_CONSOLE_METHODS = [
  'log',
  'info',
  'debug',
  'dir',
  'dirxml',
  'table',
  'count',
  'countReset',
  'time',
  'timeLog',
  'timeEnd',
  'group',
  'groupCollapsed',
  'groupEnd',
] as const;

type ConsoleMethod = (typeof STDOUT_CONSOLE_METHODS)[number];

/** A stdio transport for an MCP server running as a child process of its client. */
export class StdioServerTransport implements Transport {
  readonly #stdin: Readable;
  readonly #stdout: Writable;
  readonly #decoder: LineDecoder;
  readonly #writer: FrameWriter;
  readonly #redirectConsole: boolean;
  readonly #onError: (error: Error) => void;
  #sink: TransportSink | undefined;
  #closed = false;
  #ended = false;
  #restoreConsole: (() => void) | undefined;

  constructor(options: StdioServerTransportOptions = {}) {
    this.#stdin = options.stdin ?? process.stdin;
    this.#stdout = options.stdout ?? process.stdout;
    this.#redirectConsole = options.redirectConsole ?? this.#stdout === process.stdout;
    this.#onError = options.onError ?? ((error) => process.emitWarning(error));
    this.#decoder = new LineDecoder({
      maxFrameBytes: options.maxFrameBytes,
      onOversize: (limit, head) => this.#rejectOversize(limit, head),
    });
    this.#writer = new FrameWriter(
      this.#stdout,
      'stdout',
      (error) => this.#finish(error),
      (high) => {
        // A reader that does not keep up: stop reading requests until it catches up.
        if (this.#closed || this.#ended) return;
        if (high) this.#stdin.pause();
        else this.#stdin.resume();
      },
      options.maxBufferedBytes,
    );
  }

  start(sink: TransportSink): void {
    if (this.#sink) throw new Error('StdioServerTransport is already started; start it once.');
    if (this.#closed) throw new ConnectionClosedError('StdioServerTransport is closed.');
    this.#sink = sink;
    if (this.#redirectConsole) this.#restoreConsole = redirectConsoleToStderr();
    this.#stdin.on('data', this.#onData);
    this.#stdin.on('end', this.#onEnd);
    this.#stdin.on('close', this.#onEnd);
    this.#stdin.on('error', this.#onInputError);
  }

  send(message: JsonRpcMessage | JsonRpcMessage[]): Promise<void> {
    if (this.#closed) return Promise.reject(new ConnectionClosedError('The stdio transport is closed.'));
    return this.#writer.write(encodeMessage(message));
  }

  async close(): Promise<void> {
    this.#finish(undefined);
  }

  readonly #onData = (chunk: Uint8Array | string): void => {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    for (const frame of this.#decoder.push(bytes)) {
      if (this.#closed) return;
      this.#sink?.receiveText(frame);
    }
  };

  readonly #onEnd = (): void => {
    if (this.#closed || this.#ended) return;
    for (const frame of this.#decoder.flush()) this.#sink?.receiveText(frame);
    if (this.#sink?.ended) {
      // Input is over; the peer answers what is in flight and then closes us.
      this.#ended = true;
      this.#stdin.off('data', this.#onData);
      this.#sink.ended();
      return;
    }
    this.#finish(undefined);
  };

  readonly #onInputError = (error: Error): void => {
    this.#finish(new ConnectionClosedError(`Reading stdin failed: ${error.message}`, { cause: error }));
  };

  /** A request over the limit is answered -32600 (with its id when readable); an answer fails its request. */
  #rejectOversize(limit: number, head: string): void {
    const message = oversizeFrameMessage(limit, 'maxFrameBytes of StdioServerTransport');
    const frame = readFrameHead(head);
    if (frame?.kind === 'response' && this.#sink?.failed) {
      this.#sink.failed(
        frame.id,
        new LocalError(`The client's answer to request ${JSON.stringify(frame.id)}: ${message}`),
      );
      return;
    }
    this.#onError(new Error(message));
    if (!this.#closed) {
      const id = frame?.kind === 'request' ? frame.id : null;
      this.#writer.write(encodeMessage(errorResponse(id, ErrorCode.InvalidRequest, message))).catch(() => {});
    }
  }

  /** Closes once: stops reading, flushes what is queued, restores the console, tells the sink. */
  #finish(reason: Error | undefined): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stdin.off('data', this.#onData);
    this.#stdin.off('end', this.#onEnd);
    this.#stdin.off('close', this.#onEnd);
    this.#stdin.off('error', this.#onInputError);
    this.#stdin.pause();
    this.#writer.close();
    this.#restoreConsole?.();
    this.#restoreConsole = undefined;
    this.#sink?.closed(reason);
  }
}

/** Points the stdout-writing console methods at stderr; returns the function that undoes it. */
function redirectConsoleToStderr(): () => void {
  const target = globalThis.console as unknown as Record<ConsoleMethod, unknown>;
  const stderrConsole = new Console({ stdout: process.stderr, stderr: process.stderr }) as unknown as Record<
    ConsoleMethod,
    (...args: unknown[]) => void
  >;
  const saved = new Map<ConsoleMethod, unknown>();
  const installed = new Map<ConsoleMethod, unknown>();
  for (const name of STDOUT_CONSOLE_METHODS) {
    if (typeof stderrConsole[name] !== 'function') continue;
    const replacement = stderrConsole[name].bind(stderrConsole);
    saved.set(name, target[name]);
    installed.set(name, replacement);
    target[name] = replacement;
  }
  return () => {
    for (const [name, original] of saved) {
      // Leave alone a method someone else replaced after us.
      if (target[name] === installed.get(name)) target[name] = original;
    }
  };
}

interface QueuedFrame {
  text: string;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Writes frames to a Node stream in order, honouring backpressure: after `write` returns false, later
 * frames wait for 'drain'. Each promise settles when its frame has been handed to the OS. A write
 * error (EPIPE when the reader went away) is caught, never thrown, and reported once.
 */
const WRITTEN = Promise.resolve();

export class FrameWriter {
  readonly #stream: Writable;
  readonly #name: string;
  readonly #onBroken: (error: Error) => void;
  #queue: QueuedFrame[] = [];
  #waitingDrain = false;
  #closed = false;
  #broken: Error | undefined;
  #backlog = 0;
  #pressured = false;
  readonly #onPressure: ((high: boolean) => void) | undefined;
  readonly #highWater: number;

  /**
   * `onPressure(true)` is called when more than `highWater` characters wait for a slow reader, and
   * `onPressure(false)` once the backlog is down to a quarter of that: the owner stops reading new
   * input meanwhile, so memory stays bounded.
   */
  constructor(
    stream: Writable,
    name: string,
    onBroken: (error: Error) => void,
    onPressure?: (high: boolean) => void,
    highWater = 8 * 1024 * 1024,
  ) {
    this.#stream = stream;
    this.#name = name;
    this.#onBroken = onBroken;
    this.#onPressure = onPressure;
    this.#highWater = highWater;
    // Kept for the stream's whole life: an EPIPE after close must not become an uncaught exception.
    stream.on('error', (error: Error) => this.#fail(error));
  }

  /**
   * Queues one frame; resolves once the stream has taken it (at once when the stream is not
   * backed up: no promise or callback per frame on the fast path).
   */
  write(text: string): Promise<void> {
    if (this.#broken) return Promise.reject(this.#broken);
    if (this.#closed) return Promise.reject(new ConnectionClosedError(`${this.#name} is closed.`));
    const stream = this.#stream;
    if (!this.#waitingDrain && this.#queue.length === 0 && !stream.destroyed && !stream.writableEnded) {
      if (!stream.write(text)) {
        this.#waitingDrain = true;
        stream.once('drain', this.#onDrain);
      }
      return WRITTEN;
    }
    return new Promise<void>((resolve, reject) => {
      const frame = { text, resolve, reject };
      if (this.#waitingDrain || this.#queue.length > 0) {
        this.#queue.push(frame);
        this.#backlog += text.length;
        if (!this.#pressured && this.#backlog > this.#highWater) {
          this.#pressured = true;
          this.#onPressure?.(true);
        }
      } else this.#writeNow(frame);
    });
  }

  /** Accepts no more frames; hands the queued ones to the stream at once. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const queued = this.#queue;
    this.#queue = [];
    this.#backlog = 0;
    for (const frame of queued) this.#writeNow(frame);
  }

  #writeNow(frame: QueuedFrame): void {
    const stream = this.#stream;
    if (this.#broken) {
      frame.reject(this.#broken);
      return;
    }
    if (stream.destroyed || stream.writableEnded) {
      frame.reject(new ConnectionClosedError(`${this.#name} is closed.`));
      return;
    }
    const ok = stream.write(frame.text, (error) => {
      if (error) frame.reject(this.#broken ?? this.#wrap(error));
      else frame.resolve();
    });
    if (!ok && !this.#waitingDrain) {
      this.#waitingDrain = true;
      stream.once('drain', this.#onDrain);
    }
  }

  readonly #onDrain = (): void => {
    this.#waitingDrain = false;
    while (this.#queue.length > 0 && !this.#waitingDrain) {
      const frame = this.#queue.shift()!;
      this.#backlog -= frame.text.length;
      this.#writeNow(frame);
    }
    if (this.#pressured && this.#backlog <= this.#highWater / 4) {
      this.#pressured = false;
      this.#onPressure?.(false);
    }
  };

  #wrap(error: Error): ConnectionClosedError {
    return new ConnectionClosedError(`Writing to ${this.#name} failed: ${error.message}`, { cause: error });
  }

  #fail(error: Error): void {
    if (this.#broken) return;
    this.#broken = this.#wrap(error);
    const queued = this.#queue;
    this.#queue = [];
    for (const frame of queued) frame.reject(this.#broken);
    this.#onBroken(this.#broken);
  }
}
