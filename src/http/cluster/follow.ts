/**
 * Following a stored stream on a connection: what a node does when the client's SSE connection is
 * here but the stream is written elsewhere (another node's POST stream, or the GET stream every
 * node writes to). The store is the source of truth; a wake on the bus (or, if one is lost, a slow
 * poll) says when to read on. Each event is written once, in store order, from `after` on.
 */
import { ErrorCode, errorResponse, type RequestId } from '../../protocol/index.ts';
import type { Bus, EventStore } from '../../store/index.ts';
import type { SseConnection } from '../sse.ts';

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
  /**
   * Whether the node writing the stream is still there (another node's POST stream): asked at the
   * first read and at each poll; once it is gone, what it stored is written and the stream ends,
   * so that the client learns at once that no answer will come.
   */
  writerAlive?: () => Promise<boolean>;
  /** The request ids the stream answers: those still unanswered when its writer is gone get an error. */
  lost?: readonly RequestId[];
  onError: (error: Error) => void;
}

/** The ids a message text answers (a response or a batch of them), read only when it may hold one. */
function answeredIds(data: string, into: Set<RequestId>): void {
  if (!data.includes('"result"') && !data.includes('"error"')) return;
  try {
    const value: unknown = JSON.parse(data);
    for (const m of Array.isArray(value) ? value : [value]) {
      const id = (m as { id?: unknown } | null)?.id;
      if (typeof id === 'string' || typeof id === 'number') into.add(id);
    }
  } catch {
    // not JSON: answers nothing
  }
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
  const lost = settings.lost !== undefined && settings.lost.length > 0 ? settings.lost : undefined;
  const answered = lost === undefined ? undefined : new Set<RequestId>();
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

  /** Writes what is stored after `last`; false once following is over (ended, gone, closed). */
  const drain = async (): Promise<boolean> => {
    do {
      again = false;
      const page = await store.readAfter?.(last, PAGE);
      if (stopped) return false;
      let open = page !== undefined;
      for (const event of page?.events ?? []) {
        if (event.data !== '' && !conn.event(event.data, event.id, 'message')) open = false;
        if (!open) break;
        if (answered !== undefined) answeredIds(event.data, answered);
        last = event.id;
      }
      if (!open || page?.ended) {
        stop();
        return false;
      }
      if (page?.events.length === PAGE) again = true;
    } while (again && !stopped);
    return !stopped;
  };

  const read = async (probe = false): Promise<void> => {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      if (!(await drain()) || !probe || !settings.writerAlive || (await settings.writerAlive())) return;
      // The writer died: anything it stored before is there now; no end mark will ever come. Each
      // request it left unanswered ends with an error (without an event id: a later resume asks again).
      if (!(await drain())) return;
      for (const id of lost ?? []) {
        if (answered?.has(id)) continue;
        const error = errorResponse(
          id,
          ErrorCode.InternalError,
          'The server node handling this request stopped before answering; send the request again.',
        );
        conn.event(JSON.stringify(error), undefined, 'message');
      }
      stop();
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
  timer = setInterval(() => void read(true), settings.pollMs);
  (timer as { unref?: () => void }).unref?.();
  void read(true);
  return stop;
}
