/** Options, policies and errors of the Streamable HTTP client transport. */
import type { SendOptions } from '../rpc/index.ts';
import type { HttpClientBaseOptions } from './streamable-http-request.ts';

/** How a dropped SSE stream is reconnected (with GET and `Last-Event-ID`). */
export interface ReconnectPolicy {
  /** Delay before reconnecting when the server sent no `retry` field, in ms (default 1,000). */
  initialDelay: number;
  /** Longest delay in ms (default 30,000); a server's `retry` above it is still honoured. */
  maxDelay: number;
  /** Factor the delay grows by after each failed attempt (default 1.5). */
  growth: number;
  /** Failed attempts in a row before the stream is given up (default 5). */
  maxAttempts: number;
}

/** The default reconnection policy. */
export const DEFAULT_RECONNECT_POLICY: Readonly<ReconnectPolicy> = {
  initialDelay: 1_000,
  maxDelay: 30_000,
  growth: 1.5,
  maxAttempts: 5,
};

/**
 * The delay before reconnection attempt number `failed + 1`: the server's `retry` (or the initial
 * delay) grown by `growth` per failed attempt, capped at `maxDelay` but never below `retry`.
 */
export function reconnectDelay(policy: ReconnectPolicy, retry: number | undefined, failed: number): number {
  const base = retry ?? policy.initialDelay;
  return Math.min(base * policy.growth ** failed, Math.max(policy.maxDelay, base));
}

/** Options of a StreamableHttpClientTransport. */
export interface StreamableHttpClientOptions extends HttpClientBaseOptions {
  /** How dropped streams are reconnected. */
  reconnect?: Partial<ReconnectPolicy>;
  /** Continue an existing session: its id is sent from the first request on. */
  sessionId?: string;
  /** The negotiated protocol version of that session, sent as `MCP-Protocol-Version`. */
  protocolVersion?: string;
  /** Open the GET stream for server-initiated messages after initialization (default true). */
  openGetStream?: boolean;
  /** Send DELETE with the session id when the transport closes (default true). */
  terminateOnClose?: boolean;
  /**
   * Called when the server answers 404 to a request carrying the session id: the session has
   * ended. Start a new session here (send `initialize` and `notifications/initialized` through this
   * transport); when it resolves, the transport re-sends the message that got the 404 and every
   * request of the old session still waiting for its answer. Messages sent meanwhile (other than
   * the initialization itself and responses) wait until then, so the handler must not wait for
   * any other message it sends. Without this option, or when it throws, the transport closes with
   * a SessionExpiredError.
   */
  onSessionExpired?: () => Promise<void> | void;
}

/** Per-message options of the Streamable HTTP client transport. */
export interface StreamableHttpSendOptions extends SendOptions {
  /**
   * Reject with HttpStatusError when the server answers with an HTTP error status, instead of
   * answering the request with a JSON-RPC error (used when probing which transport a server speaks).
   */
  rejectHttpErrors?: boolean;
}

/** The server ended the session (HTTP 404 to a request carrying its id). */
export class SessionExpiredError extends Error {
  /** The id of the session that ended. */
  readonly sessionId: string;

  constructor(sessionId: string, options?: { cause?: unknown }) {
    const cause = options?.cause;
    const why =
      cause === undefined
        ? 'start a new session with initialize, or set onSessionExpired to have the transport re-initialize and re-send'
        : `starting a new session failed: ${cause instanceof Error ? cause.message : String(cause)}`;
    super(`The server ended session ${sessionId} (HTTP 404); ${why}.`, options);
    this.name = 'SessionExpiredError';
    this.sessionId = sessionId;
  }
}
