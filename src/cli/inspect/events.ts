/**
 * The inspector's one event stream (Server-Sent Events) to the page: the message log, progress,
 * log messages, and the server's requests waiting for an answer. Recent events are kept so that a
 * reloaded page sees the log so far.
 */
import type { ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from './guard.ts';

/** One event: its name and its JSON data. */
export interface InspectorEvent {
  seq: number;
  name: string;
  data: unknown;
}

/** The open event streams, and the recent events replayed to each new one. */
export class EventHub {
  readonly #clients = new Set<ServerResponse>();
  readonly #recent: InspectorEvent[] = [];
  readonly #keep: number;
  #seq = 0;
  #heartbeat: NodeJS.Timeout;

  constructor(keep = 2000) {
    this.#keep = keep;
    this.#heartbeat = setInterval(() => {
      for (const res of this.#clients) res.write(': keep-alive\n\n');
    }, 15_000);
    this.#heartbeat.unref();
  }

  /** Sends an event to every open stream; `keep` also replays it to streams that open later. */
  emit(name: string, data: unknown, keep = true): void {
    const event: InspectorEvent = { seq: ++this.#seq, name, data };
    if (keep) {
      this.#recent.push(event);
      if (this.#recent.length > this.#keep) this.#recent.shift();
    }
    const frame = frameOf(event);
    for (const res of this.#clients) res.write(frame);
  }

  /** Answers a GET of the event stream: recent events first, then live ones. */
  open(res: ServerResponse): void {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      connection: 'keep-alive',
    });
    res.write(': mcpkit inspector\n\n');
    for (const event of this.#recent) res.write(frameOf(event));
    this.#clients.add(res);
    res.on('close', () => this.#clients.delete(res));
  }

  /** Ends every stream. */
  close(): void {
    clearInterval(this.#heartbeat);
    for (const res of this.#clients) res.end();
    this.#clients.clear();
  }
}

function frameOf(event: InspectorEvent): string {
  return `id: ${event.seq}\nevent: ${event.name}\ndata: ${JSON.stringify(event.data)}\n\n`;
}
