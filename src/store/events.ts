/**
 * Event storage for resumable SSE streams: each event sent on a stream is stored under an id that
 * names its stream, so that a client reconnecting with `Last-Event-ID` gets the rest of that stream
 * (and only that stream) replayed.
 */

/** Receives one replayed event: its id and its data (the JSON text of a message). */
export type ReplaySink = (eventId: string, data: string) => void | Promise<void>;

/**
 * Where SSE events are kept for replay. Event data is the JSON text of one message (or batch); the
 * empty string marks a priming event, which carries an id but no message and is never replayed.
 * Everything crosses this interface as strings, so an implementation may live in another process.
 */
export interface EventStore {
  /** Stores one event at the end of a stream and returns its id, unique across all streams. */
  append(streamId: string, data: string): Promise<string>;
  /** The stream an event id belongs to, or undefined when the id is unknown or has expired. */
  streamOf(eventId: string): Promise<string | undefined>;
  /**
   * Replays, in order, the events of `eventId`'s stream that came after it (priming events skipped),
   * and returns that stream's id, or undefined when the id is unknown (then nothing is replayed).
   */
  replayAfter(eventId: string, send: ReplaySink): Promise<string | undefined>;
  /** Forgets a stream and its events. */
  deleteStream(streamId: string): Promise<void>;
  /**
   * The stream ended with every event written to a connection that was still open, so no client
   * needs to resume it: its events are kept only a short grace longer (for a connection that broke
   * right after the last write), then forgotten. A stream cut off before it ended is never finished
   * and keeps its events for the store's full time-to-live.
   */
  finish?(streamId: string): Promise<void>;
  /**
   * Marks a stream as ended: a reader that reaches the mark knows no more events will come.
   * Needed when several nodes share the store (the handler's `bus` option).
   */
  end?(streamId: string): Promise<void>;
  /**
   * Up to `limit` events of `eventId`'s stream that came after it, in order (priming events
   * included, with empty data), and whether the end mark was reached; undefined when the id is
   * unknown. Needed when several nodes share the store (the handler's `bus` option).
   */
  readAfter?(eventId: string, limit?: number): Promise<EventPage | undefined>;
}

/** One stored event. */
export interface StoredEvent {
  /** The event id (it names its stream). */
  id: string;
  /** The JSON text of the message; empty for a priming event. */
  data: string;
}

/** What `readAfter` found. */
export interface EventPage {
  /** The stream the events belong to. */
  streamId: string;
  /** The events, oldest first. */
  events: StoredEvent[];
  /** Whether the stream's end mark follows the last of `events`. */
  ended: boolean;
}

/** Options of the in-memory event store. */
export interface MemoryEventStoreOptions {
  /** Events kept per stream; older ones are dropped first (default 1,000). */
  maxEventsPerStream?: number;
  /** Streams kept in all; the least recently written is dropped first (default 10,000). */
  maxStreams?: number;
  /** Milliseconds a stream is kept after its last event (default 10 minutes). */
  ttlMs?: number;
  /**
   * Milliseconds a finished stream (ended with its last event written to an open connection) is
   * kept after `finish` (default 5 seconds; 0 forgets it at once).
   */
  finishedTtlMs?: number;
}

/** The default grace of a finished stream: several of the clients' default reconnection intervals (1 s). */
export const FINISHED_TTL_MS = 5000;

interface StoredStream {
  /** The sequence number of `events[0]`. */
  first: number;
  /** The sequence number the next event gets. */
  next: number;
  events: string[];
  lastWrite: number;
  ended: boolean;
}

const SEPARATOR = '_';

/** An EventStore in process memory, bounded per stream, in streams, and in time. */
export class MemoryEventStore implements EventStore {
  readonly #streams = new Map<string, StoredStream>();
  readonly #maxEvents: number;
  readonly #maxStreams: number;
  readonly #ttl: number;
  readonly #finishedTtl: number;
  #lastSweep = 0;
  /** Finished streams to forget, oldest first (one grace for all, so also soonest first). */
  #finished: { streamId: string; stream: StoredStream; at: number }[] = [];
  /** One timer for the store, running while `#finished` is not empty. */
  #finishTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: MemoryEventStoreOptions = {}) {
    this.#maxEvents = Math.max(1, options.maxEventsPerStream ?? 1000);
    this.#maxStreams = Math.max(1, options.maxStreams ?? 10_000);
    this.#ttl = options.ttlMs ?? 10 * 60_000;
    this.#finishedTtl = Math.max(0, options.finishedTtlMs ?? FINISHED_TTL_MS);
  }

  /** Number of streams held (for tests and metrics). */
  get size(): number {
    return this.#streams.size;
  }

  async append(streamId: string, data: string): Promise<string> {
    const now = Date.now();
    this.#sweep(now);
    let stream = this.#streams.get(streamId);
    if (stream) {
      // Re-insert so that Map order stays least-recently-written first.
      this.#streams.delete(streamId);
    } else {
      if (this.#streams.size >= this.#maxStreams) {
        const oldest = this.#streams.keys().next().value;
        if (oldest !== undefined) this.#streams.delete(oldest);
      }
      stream = { first: 1, next: 1, events: [], lastWrite: now, ended: false };
    }
    this.#streams.set(streamId, stream);
    const seq = stream.next++;
    stream.events.push(data);
    stream.lastWrite = now;
    if (stream.events.length > this.#maxEvents) {
      stream.events.shift();
      stream.first++;
    }
    return `${streamId}${SEPARATOR}${seq}`;
  }

  async streamOf(eventId: string): Promise<string | undefined> {
    const parsed = this.#parse(eventId);
    return parsed ? parsed.streamId : undefined;
  }

  async replayAfter(eventId: string, send: ReplaySink): Promise<string | undefined> {
    const parsed = this.#parse(eventId);
    if (!parsed) return undefined;
    const { streamId, seq, stream } = parsed;
    // Copy first: `send` may await, and the stream may grow meanwhile; later events go live.
    const start = Math.max(seq + 1, stream.first);
    const events = stream.events.slice(start - stream.first, stream.next - stream.first);
    for (let i = 0; i < events.length; i++) {
      const data = events[i] as string;
      if (data === '') continue;
      await send(`${streamId}${SEPARATOR}${start + i}`, data);
    }
    return streamId;
  }

  async deleteStream(streamId: string): Promise<void> {
    this.#streams.delete(streamId);
  }

  async finish(streamId: string): Promise<void> {
    const stream = this.#streams.get(streamId);
    if (!stream) return;
    if (this.#finishedTtl === 0) {
      this.#streams.delete(streamId);
      return;
    }
    this.#finished.push({ streamId, stream, at: Date.now() + this.#finishedTtl });
    this.#scheduleForget();
  }

  async end(streamId: string): Promise<void> {
    const stream = this.#streams.get(streamId);
    if (stream) stream.ended = true;
  }

  async readAfter(eventId: string, limit = 1000): Promise<EventPage | undefined> {
    const parsed = this.#parse(eventId);
    if (!parsed) return undefined;
    const { streamId, seq, stream } = parsed;
    const start = Math.max(seq + 1, stream.first);
    const stop = Math.min(stream.next, start + Math.max(1, limit));
    const events: StoredEvent[] = [];
    for (let n = start; n < stop; n++) {
      events.push({ id: `${streamId}${SEPARATOR}${n}`, data: stream.events[n - stream.first] as string });
    }
    return { streamId, events, ended: stream.ended && stop === stream.next };
  }

  #parse(eventId: string): { streamId: string; seq: number; stream: StoredStream } | undefined {
    const cut = eventId.lastIndexOf(SEPARATOR);
    if (cut <= 0) return undefined;
    const streamId = eventId.slice(0, cut);
    const seqText = eventId.slice(cut + 1);
    if (!/^[0-9]{1,15}$/.test(seqText)) return undefined;
    const seq = Number(seqText);
    const stream = this.#streams.get(streamId);
    if (!stream || seq >= stream.next) return undefined;
    if (Date.now() - stream.lastWrite > this.#ttl) {
      this.#streams.delete(streamId);
      return undefined;
    }
    return { streamId, seq, stream };
  }

  #scheduleForget(): void {
    if (this.#finishTimer !== undefined) return;
    const head = this.#finished[0];
    if (!head) return;
    this.#finishTimer = setTimeout(() => this.#forgetFinished(), Math.max(0, head.at - Date.now()));
    (this.#finishTimer as { unref?: () => void }).unref?.();
  }

  #forgetFinished(): void {
    this.#finishTimer = undefined;
    const now = Date.now();
    let done = 0;
    for (const entry of this.#finished) {
      if (entry.at > now) break;
      done++;
      // Only the stream that was finished: an id reused since then names a new stream.
      if (this.#streams.get(entry.streamId) === entry.stream) this.#streams.delete(entry.streamId);
    }
    this.#finished = done === this.#finished.length ? [] : this.#finished.slice(done);
    this.#scheduleForget();
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < Math.min(this.#ttl, 60_000)) return;
    this.#lastSweep = now;
    for (const [id, stream] of this.#streams) {
      if (now - stream.lastWrite <= this.#ttl) break; // Map order: least recently written first
      this.#streams.delete(id);
    }
  }
}
