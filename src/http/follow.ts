/**
 * Following a stored stream on a connection: what a node does when the client's SSE connection is
 * here but the stream is written elsewhere (another node's POST stream, or the GET stream every
 * node writes to). The store is the source of truth; a wake on the bus (or, if one is lost, a slow
 * poll) says when to read on. Each event is written once, in store order, from `after` on.
 */
import type { Bus, EventStore } from '../store/index.ts';
import type { SseConnection } from './sse.ts';

/** What following a stream needs. */
export interface FollowSettings {
  store: EventStore;
  bus: Bus;
  /** The stream to follow. */
  streamId: string;
  /** The event id to start after (the client's `Last-Event-ID`, or a priming event's id). */
  after: string;
  /** The connection to write to; following stops when it closes. */
  conn: SseConnection;
  /** Milliseconds between reads when no wake comes (a lost wake costs at most this much delay). */
  pollMs: number;
  onError: (error: Error) => void;
}

/** The bus channel that wakes the followers of a stream. */
export function wakeChannel(streamId: string): string {
  return `wake:${streamId}`;
}

const PAGE = 500;

/**
 * Follows a stream until it ends, disappears or the connection closes. Resolves once subscribed
 * and the first read is under way; returns the function to call when the connection closes.
 */
export async function followStream(settings: FollowSettings): Promise<() => void> {
  const { store, conn } = settings;
  let last = settings.after;
  let reading = false;
  let again = false;
  let stopped = false;
  let unsubscribe: (() => Promise<void>) | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;

  const stop = () => {
    if (stopped) return;
    stopped = true;
    if (timer !== undefined) clearInterval(timer);
    void unsubscribe?.().catch(() => {});
    conn.end();
  };

  const read = async (): Promise<void> => {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      do {
        again = false;
        const page = await store.readAfter?.(last, PAGE);
        if (stopped) return;
        if (!page) return stop();
        for (const event of page.events) {
          if (event.data !== '' && !conn.event(event.data, event.id, 'message')) return stop();
          last = event.id;
        }
        if (page.ended) return stop();
        if (page.events.length === PAGE) again = true;
      } while (again && !stopped);
    } catch (error) {
      settings.onError(error as Error); // the poll tries again
    } finally {
      reading = false;
    }
  };

  unsubscribe = await settings.bus.subscribe(wakeChannel(settings.streamId), () => void read());
  if (conn.closed) {
    stop();
    return stop;
  }
  timer = setInterval(() => void read(), settings.pollMs);
  (timer as { unref?: () => void }).unref?.();
  void read();
  return stop;
}
