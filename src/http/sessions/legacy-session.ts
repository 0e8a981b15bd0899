/**
 * One HTTP+SSE session (revision 2024-11-05) as a Transport: every server message is a `message`
 * event on the session's one SSE connection; client messages arrive by POST. The session lives as
 * long as that connection.
 */
import { ConnectionClosedError, type JsonRpcMessage, messageText } from '../../protocol/index.ts';
import type { MessageInfo, Transport, TransportSink } from '../../rpc/index.ts';
import type { SseConnection } from '../sse.ts';

/** An HTTP+SSE session. */
export class LegacySseSession implements Transport {
  readonly sessionId: string;
  /** Which transport this is. */
  readonly kind = 'sse';
  /** When the client was last heard from (ms since the epoch). */
  lastSeen = Date.now();
  /** Always true: an HTTP+SSE session lives only while its stream is open. */
  readonly engaged = true;
  /** The server's handle on this session, set once `connect` resolved. */
  handle: { close(): Promise<void> } | undefined;
  /** The principal the session is bound to (with the `auth` option); messages of others are refused. */
  subject: string | undefined;
  #sink: TransportSink | undefined;
  #conn: SseConnection | undefined;
  #closed = false;
  readonly #onError: (error: Error) => void;
  readonly #onClosed: (session: LegacySseSession) => void;

  constructor(
    sessionId: string,
    onError: (error: Error) => void,
    onClosed: (session: LegacySseSession) => void,
  ) {
    this.sessionId = sessionId;
    this.#onError = onError;
    this.#onClosed = onClosed;
  }

  /** Sets the SSE connection (once). */
  attach(conn: SseConnection): void {
    this.#conn = conn;
  }

  /** SSE connections open right now (0 or 1). */
  get openConnections(): number {
    return this.#conn && !this.#conn.closed ? 1 : 0;
  }

  start(sink: TransportSink): void {
    if (this.#sink) throw new Error('This HTTP+SSE session transport is already started.');
    this.#sink = sink;
  }

  /** Hands a POSTed body to the server. */
  deliver(value: unknown, info: MessageInfo): void {
    this.lastSeen = Date.now();
    if (!this.#sink || this.#closed) throw new ConnectionClosedError('The HTTP+SSE session is closed.');
    this.#sink.receive(value, info);
  }

  send(message: JsonRpcMessage | JsonRpcMessage[]): Promise<void> {
    if (this.#closed || !this.#conn?.event(messageText(message), undefined, 'message')) {
      return Promise.reject(new ConnectionClosedError('The HTTP+SSE connection is closed.'));
    }
    return Promise.resolve();
  }

  /** Ends the server's service of this session, then the session itself. */
  async terminate(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    try {
      await handle?.close();
    } catch (error) {
      this.#onError(error as Error);
    }
    await this.close();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#conn?.end();
    this.#sink?.closed();
    this.#onClosed(this);
  }
}
