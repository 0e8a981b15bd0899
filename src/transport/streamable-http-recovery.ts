/**
 * Session expiry on a Streamable HTTP client: an HTTP 404 to a request carrying the session id
 * means the session ended. With `onSessionExpired` a new session is set up and the ended session's
 * requests are sent again; without it, the transport closes with SessionExpiredError.
 */
import { ConnectionClosedError, isNotification, isResponse, type JsonRpcMessage } from '../protocol/index.ts';
import { SessionExpiredError, type StreamableHttpClientOptions } from './streamable-http-options.ts';

/** What session recovery needs from its transport. */
export interface RecoveryHost {
  /** The session id in use. */
  sessionId(): string | undefined;
  /** Forgets the ended session: its id, the protocol version and its streams. */
  endSession(session: string): void;
  /** Whether the transport is closed. */
  isClosed(): boolean;
  /** Closes the transport because of `error` (no DELETE: the session is gone). */
  fail(error: Error): void;
  /** Sends a message, as `Transport.send`. */
  send(message: JsonRpcMessage): Promise<void>;
  /** Sends the requests of the ended session again, in the new one. */
  resend(session: string): Promise<void>;
}

/** The recoveries of one transport: the one under way, and each ended session's. */
export class SessionRecovery {
  readonly #host: RecoveryHost;
  readonly #options: StreamableHttpClientOptions;
  #recovery: Promise<void> | undefined;
  readonly #recoveries = new Map<string, Promise<void>>();

  constructor(host: RecoveryHost, options: StreamableHttpClientOptions) {
    this.#host = host;
    this.#options = options;
  }

  /** The recovery under way, if any: messages other than the handshake wait for it. */
  get current(): Promise<void> | undefined {
    return this.#recovery;
  }

  /** HTTP 404 to a request carrying `session`: the session ended. Recover, or close. */
  async sessionGone(session: string, list: JsonRpcMessage[]): Promise<void> {
    if (session === this.#host.sessionId()) {
      this.#host.endSession(session);
      const handler = this.#options.onSessionExpired;
      if (!handler) {
        const error = new SessionExpiredError(session);
        this.#host.fail(error);
        throw error;
      }
      const recovery = this.#recover(session, handler);
      this.#recovery = recovery;
      this.#recoveries.set(session, recovery);
      recovery.catch(() => {});
    }
    const recovery = this.#recoveries.get(session);
    if (!recovery) {
      if (this.#host.isClosed()) throw new ConnectionClosedError('The Streamable HTTP transport is closed.');
      throw new SessionExpiredError(session);
    }
    await recovery;
    for (const m of list) {
      if (
        isNotification(m) &&
        m.method !== 'notifications/initialized' &&
        m.method !== 'notifications/cancelled'
      ) {
        await this.#host.send(m);
      }
    }
    if (list.some(isResponse)) {
      throw new Error(`An answer to a request of the ended session ${session} was dropped.`);
    }
  }

  async #recover(session: string, handler: () => Promise<void> | void): Promise<void> {
    try {
      await handler();
    } catch (error) {
      this.#recovery = undefined;
      const e = new SessionExpiredError(session, { cause: error });
      this.#host.fail(e);
      throw e;
    }
    this.#recovery = undefined;
    if (this.#host.isClosed()) throw new ConnectionClosedError('The Streamable HTTP transport is closed.');
    await this.#host.resend(session);
  }
}

/** Messages that go out at once while a new session is being set up. */
export function passesDuringRecovery(m: JsonRpcMessage): boolean {
  if (isResponse(m)) return true;
  return m.method === 'initialize' || m.method === 'notifications/initialized';
}
