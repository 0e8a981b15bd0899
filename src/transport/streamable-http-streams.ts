/**
 * The SSE streams of a Streamable HTTP client: a POST's answer stream or the GET stream, each
 * possibly spanning several connections. A stream that drops before it delivered the answers it owes
 * is resumed with GET and `Last-Event-ID` after the server's `retry` delay (or a growing backoff),
 * within a bound on failed attempts; a POST stream that delivered its answers is done. A 2026-07-28
 * response stream is not resumable: if it drops before its answer, the request fails.
 */
import type { RequestId } from '../protocol/index.ts';
import { hasMediaType, parseMessages, readSse } from './sse-parse.ts';
import { type ReconnectPolicy, reconnectDelay } from './streamable-http-options.ts';
import { discardBody, HttpStatusError, localErrorResponse } from './streamable-http-request.ts';

/** One logical SSE stream. */
export interface SseStream {
  /** The GET stream for server-initiated messages (not a POST's answer stream). */
  readonly standalone: boolean;
  /** The session the stream belongs to. */
  readonly session: string | undefined;
  /** Whether a dropped stream may be resumed with GET and `Last-Event-ID` (not in 2026-07-28). */
  readonly resumable: boolean;
  /** Requests whose answers this stream still owes (empty for the GET stream). */
  readonly pending: Set<RequestId>;
  /** Aborts every connection of the stream. */
  readonly controller: AbortController;
  /** The id of the last event received, sent as `Last-Event-ID` when resuming. */
  lastEventId: string | undefined;
  /** The reconnection delay the server asked for, in ms. */
  retry: number | undefined;
  /** Failed connection attempts in a row. */
  failed: number;
  /** The pending reconnection. */
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** What the streams need from their transport. */
export interface SseStreamHost {
  /** The MCP endpoint (for messages). */
  readonly url: URL;
  /** Whether the transport is closed. */
  isClosed(): boolean;
  /** Sends the GET that opens or resumes `stream`. */
  get(stream: SseStream): Promise<Response>;
  /** A message arrived on `stream`. */
  deliver(value: unknown, stream: SseStream): void;
  /** Whether request `id` is still waiting for its answer. */
  waiting(id: RequestId): boolean;
  /** The server answered 404 to a GET carrying the session id. */
  sessionGone(session: string): void;
  /** A failure no caller is waiting on. */
  report(error: Error): void;
}

/** The set of live SSE streams of one transport. */
export class SseStreams {
  readonly #host: SseStreamHost;
  readonly #policy: ReconnectPolicy;
  readonly #streams = new Set<SseStream>();

  constructor(host: SseStreamHost, policy: ReconnectPolicy) {
    this.#host = host;
    this.#policy = policy;
  }

  /** Reads a POST's answer stream, which owes the answers to `ids`. */
  readPost(
    response: Response,
    session: string | undefined,
    controller: AbortController,
    ids: RequestId[],
    resumable = true,
  ): void {
    const stream = this.#add(false, session, controller, new Set(ids), resumable);
    void this.#consume(stream, response);
  }

  /** Opens the GET stream of `session`, unless one is open already. */
  openGet(session: string | undefined): void {
    for (const s of this.#streams) if (s.standalone) return;
    const stream = this.#add(true, session, new AbortController(), new Set(), true);
    void this.#connect(stream);
  }

  /** Stops the GET stream. */
  stopGet(): void {
    for (const s of [...this.#streams]) if (s.standalone) this.#stop(s);
  }

  /** Stops the streams of one session, or all streams. */
  stop(session?: string): void {
    for (const s of [...this.#streams]) if (session === undefined || s.session === session) this.#stop(s);
  }

  #add(
    standalone: boolean,
    session: string | undefined,
    controller: AbortController,
    pending: Set<RequestId>,
    resumable: boolean,
  ) {
    const stream: SseStream = {
      standalone,
      session,
      resumable,
      pending,
      controller,
      lastEventId: undefined,
      retry: undefined,
      failed: 0,
      timer: undefined,
    };
    this.#streams.add(stream);
    return stream;
  }

  #stop(stream: SseStream): void {
    if (stream.timer !== undefined) clearTimeout(stream.timer);
    stream.timer = undefined;
    stream.controller.abort();
    this.#streams.delete(stream);
  }

  #gone(stream: SseStream): boolean {
    return this.#host.isClosed() || stream.controller.signal.aborted;
  }

  /** Reads one connection of a stream, then decides whether the stream is done or reconnects. */
  async #consume(stream: SseStream, response: Response): Promise<void> {
    let progressed = false;
    let failure: unknown;
    try {
      await readSse(response.body as ReadableStream<Uint8Array>, {
        onId: (id) => {
          stream.lastEventId = id === '' ? undefined : id;
        },
        onRetry: (ms) => {
          stream.retry = ms;
          progressed = true;
        },
        onEvent: (event) => {
          progressed = true;
          if ((event.event !== undefined && event.event !== 'message') || event.data === '') return;
          let values: unknown[];
          try {
            values = parseMessages(event.data);
          } catch (error) {
            this.#host.report(new Error(`The server sent SSE data that is not JSON: ${messageOf(error)}`));
            return;
          }
          for (const value of values) this.#host.deliver(value, stream);
        },
      });
    } catch (error) {
      failure = error;
    }
    if (this.#gone(stream)) {
      this.#streams.delete(stream);
      return;
    }
    if (progressed) stream.failed = 0;
    if (!stream.standalone && stream.pending.size === 0) {
      this.#streams.delete(stream);
      return;
    }
    if (!stream.standalone && (!stream.resumable || stream.lastEventId === undefined)) {
      const why = failure === undefined ? '' : ` (${messageOf(failure)})`;
      const reason = stream.resumable
        ? 'and sent no event id to resume from'
        : '(a 2026-07-28 response stream cannot be resumed)';
      this.#fail(stream, `ended before answering ${reason}${why}`);
      return;
    }
    this.#schedule(stream, failure);
  }

  #schedule(stream: SseStream, failure: unknown): void {
    if (stream.failed >= this.#policy.maxAttempts) {
      const why = failure === undefined ? 'the server kept closing it' : messageOf(failure);
      this.#giveUp(stream, `gave up reconnecting after ${stream.failed} failed attempts: ${why}`, failure);
      return;
    }
    const delay = reconnectDelay(this.#policy, stream.retry, stream.failed);
    stream.timer = setTimeout(() => {
      stream.timer = undefined;
      void this.#connect(stream);
    }, delay);
  }

  /** Opens (or re-opens) a stream with GET, resuming after its last event id when there is one. */
  async #connect(stream: SseStream): Promise<void> {
    if (this.#gone(stream)) return;
    stream.failed++;
    let response: Response;
    try {
      response = await this.#host.get(stream);
    } catch (error) {
      if (!this.#gone(stream)) this.#schedule(stream, error);
      return;
    }
    if (this.#gone(stream)) {
      discardBody(response);
      return;
    }
    const status = response.status;
    if (status === 405) {
      discardBody(response);
      if (stream.standalone) this.#streams.delete(stream);
      else this.#fail(stream, 'was cut, and the server offers no GET stream to resume it (HTTP 405)');
      return;
    }
    if (status === 404 && stream.session !== undefined) {
      discardBody(response);
      this.#streams.delete(stream);
      this.#host.sessionGone(stream.session);
      return;
    }
    const type = response.headers.get('content-type');
    if (!response.ok || !hasMediaType(type, 'text/event-stream') || !response.body) {
      const error = response.ok
        ? new Error(
            `GET ${this.#host.url.href} answered with Content-Type ${type ?? '(none)'}, not an SSE stream`,
          )
        : await HttpStatusError.from('GET', this.#host.url, response);
      discardBody(response);
      const permanent = status >= 400 && status < 500 && status !== 408 && status !== 429;
      if (permanent) this.#giveUp(stream, error.message, error);
      else this.#schedule(stream, error);
      return;
    }
    await this.#consume(stream, response);
  }

  #giveUp(stream: SseStream, message: string, cause: unknown): void {
    if (stream.standalone) {
      this.#streams.delete(stream);
      this.#host.report(new Error(`The server's GET stream ${message}`, { cause }));
    } else {
      this.#fail(stream, message);
    }
  }

  /** Answers the requests a stream still owes with an error, so their callers are not left waiting. */
  #fail(stream: SseStream, message: string): void {
    this.#streams.delete(stream);
    for (const id of stream.pending) {
      if (!this.#host.waiting(id)) continue;
      const text = `The response stream of request ${JSON.stringify(id)} ${message}.`;
      this.#host.deliver(localErrorResponse(id, text), stream);
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
