/** The options of the JSON-RPC peer and of one outgoing request, and what an inbound handler gets. */
import type { JsonRpcNotification, Params, ProgressParams, RequestId } from '../protocol/index.ts';
import type { Middleware } from './compose.ts';
import type { MessageInfo } from './transport.ts';

type Result = Record<string, unknown>;

/** What an inbound request handler receives besides the params. */
export interface InboundContext {
  /** The request's id. */
  readonly id: RequestId;
  /** The method. */
  readonly method: string;
  /** Aborted when the peer cancels the request or the connection closes. */
  readonly signal: AbortSignal;
  /** Facts from the transport. */
  readonly info?: MessageInfo;
}

/** Options of one outgoing request. */
export interface RequestOptions {
  /** Cancels the request: a `notifications/cancelled` is sent and the call rejects. */
  signal?: AbortSignal;
  /** Milliseconds without an answer or progress before the request fails (default 60,000). */
  timeout?: number;
  /** Milliseconds the request may take in all, progress or not (default 10 minutes). */
  maxTotalTimeout?: number;
  /** Whether progress notifications restart the timeout (default true). */
  resetTimeoutOnProgress?: boolean;
  /** Called for each progress notification; asking for progress sends a progress token. */
  onprogress?: (progress: ProgressParams) => void;
  /** Send a progress token even without `onprogress`, so that progress keeps the request alive. */
  progressToken?: boolean;
  /** The inbound request this one is made on behalf of (routes it on that request's stream). */
  relatedRequestId?: RequestId;
  /** Extra transport headers for this request (HTTP: `Mcp-Param-*`). */
  headers?: Record<string, string>;
}

/** Options of the peer. */
export interface PeerOptions {
  /** Handles inbound requests; throw McpError to answer with an error. */
  onRequest: (method: string, params: Params | undefined, ctx: InboundContext) => Promise<Result> | Result;
  /** Handles inbound notifications (except cancellation and progress, which the peer handles). */
  onNotification?: (notification: JsonRpcNotification, info?: MessageInfo) => void;
  /** Called when the connection closes. */
  onClose?: (reason?: Error) => void;
  /** Called for problems that have no caller to report to (a bad message, a failed send). */
  onError?: (error: Error) => void;
  /** Middleware around inbound and outbound requests. */
  middleware?: readonly Middleware[];
  /** Whether JSON-RPC batches are accepted now (the 2025-03-26 revision). */
  acceptBatches?: () => boolean;
  /** Default timeout of outgoing requests, ms. */
  timeout?: number;
  /** Default maximum total time of outgoing requests, ms. */
  maxTotalTimeout?: number;
  /** Maximum nesting depth of a received message (default 64). */
  maxDepth?: number;
  /** Maximum number of inbound requests running at once (default 1,024); past it: an error answer. */
  maxInflight?: number;
}
