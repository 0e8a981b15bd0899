/** The Transport interface: how the JSON-RPC peer reaches the wire. */
import type { JsonRpcMessage, RequestId } from '../protocol/index.ts';

/**
 * Extra facts about one received message, set by the transport. Only what is not particular to
 * one transport: the web-standard `Request` of a fetch-style transport (handlers read it as
 * `ctx.info.request`), the authenticated principal, the version the transport saw. What belongs
 * to HTTP alone (closing an SSE stream) is `HttpMessageInfo` in `mcpkit/http`.
 */
export interface MessageInfo {
  /** The HTTP request that carried the message, when there was one. */
  request?: Request;
  /** What the transport's authentication established about the sender. */
  auth?: AuthInfo;
  /** The protocol version the transport saw (HTTP: the `MCP-Protocol-Version` header). */
  protocolVersion?: string;
  /**
   * The message came without a session (stateless HTTP): the server serves it as if the session
   * had been initialized at `protocolVersion`, with no client capabilities.
   */
  stateless?: boolean;
}

/** The authenticated principal behind a message. */
export interface AuthInfo {
  /** The verified token. */
  token: string;
  /** The OAuth client id. */
  clientId?: string;
  /** Granted scopes. */
  scopes: string[];
  /** The subject (user) the token was issued for. */
  subject?: string;
  /** Expiry, seconds since the epoch. */
  expiresAt?: number;
  /** Any further claims. */
  extra?: Record<string, unknown>;
}

/** Where a transport delivers what it receives. */
export interface TransportSink {
  /** A parsed message (or batch) arrived. */
  receive(value: unknown, info?: MessageInfo): void;
  /** A raw text frame arrived; the peer parses it once. */
  receiveText(text: string, info?: MessageInfo): void;
  /** The transport closed; `reason` says why when it was not a clean close. */
  closed(reason?: Error): void;
  /**
   * No more input will come (stdin ended), but output still works: the peer answers the requests
   * in flight, then closes the transport.
   */
  ended?(): void;
  /**
   * The answer to our request `id` arrived but could not be read (a frame over the size limit): the
   * request fails at once with `error` rather than waiting for its timeout.
   */
  failed?(id: RequestId, error: Error): void;
}

/** Options for sending one message. */
export interface SendOptions {
  /** The inbound request this message belongs to (HTTP sends it on that request's stream). */
  relatedRequestId?: RequestId;
  /** Extra headers for this message, where the transport has headers (HTTP `Mcp-Param-*`). */
  headers?: Record<string, string>;
}

/** A bidirectional message channel. */
export interface Transport {
  /** Attaches the sink and starts reading. Called once. */
  start(sink: TransportSink): void | Promise<void>;
  /** Sends one message or a batch. Rejects or throws if the transport is closed. */
  send(message: JsonRpcMessage | JsonRpcMessage[], options?: SendOptions): void | Promise<void>;
  /** Closes the transport; the sink's `closed` is called once. */
  close(): Promise<void>;
  /** The session id, for transports that have sessions. */
  readonly sessionId?: string;
}
