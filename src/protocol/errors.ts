/** JSON-RPC and MCP error codes, and the error classes the SDK throws. */

import type { ElicitUrlParams } from './client-features.ts';
import type { ErrorObject } from './jsonrpc.ts';

/** Error codes used on the wire. */
export const ErrorCode = {
  /** Invalid JSON was received. */
  ParseError: -32700,
  /** The JSON sent is not a valid request object. */
  InvalidRequest: -32600,
  /** The method does not exist or is not available. */
  MethodNotFound: -32601,
  /** Invalid method parameters. */
  InvalidParams: -32602,
  /** Internal error. */
  InternalError: -32603,
  /** Resource not found (2024-11-05 to 2025-11-25). */
  ResourceNotFound: -32002,
  /** URL-mode elicitation required (2025-11-25). */
  UrlElicitationRequired: -32042,
  /** The `Mcp-Method`/`Mcp-Name` headers disagree with the body (2026-07-28). */
  HeaderMismatch: -32020,
  /** The request needs a client capability it did not declare (2026-07-28). */
  MissingRequiredClientCapability: -32021,
  /** The protocol version is not supported (2026-07-28). */
  UnsupportedProtocolVersion: -32022,
  /** The user rejected a sampling request (example code in the sampling page). */
  UserRejected: -1,
} as const;

/**
 * An error that travels on the wire: thrown by a handler to answer with this code, and thrown to a
 * caller when the peer answered with an error.
 */
export class McpError extends Error {
  /** The JSON-RPC error code. */
  readonly code: number;
  /** The error's `data` member, if any. */
  readonly data: unknown;

  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.name = 'McpError';
    this.code = code;
    this.data = data;
  }

  /** The JSON-RPC error object for this error. */
  toJSON(): ErrorObject {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }

  /** Builds an McpError from a received error object. */
  static fromObject(error: ErrorObject): McpError {
    return new McpError(error.code, error.message, error.data);
  }
}

/**
 * A failure that happened on this side, never sent by the peer: a timeout, a closed connection, a
 * cancellation by the caller. Distinct from McpError so that callers can tell the two apart.
 */
export class LocalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocalError';
  }
}

/** The peer did not answer in time. */
export class RequestTimeoutError extends LocalError {
  /** How long the request waited, in milliseconds. */
  readonly timeoutMs: number;
  constructor(method: string, timeoutMs: number, total = false) {
    super(
      total
        ? `Request '${method}' ran past its maximum total time of ${timeoutMs} ms; raise maxTotalTimeout if it is expected to take longer.`
        : `Request '${method}' got no answer or progress within ${timeoutMs} ms; raise timeout if the server is slow.`,
    );
    this.name = 'RequestTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/** The connection closed before the answer came. */
export class ConnectionClosedError extends LocalError {
  constructor(message = 'The connection closed before an answer came.', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConnectionClosedError';
  }
}

/** The caller cancelled the request through its AbortSignal. */
export class RequestCancelledError extends LocalError {
  constructor(method: string, reason?: unknown) {
    super(`Request '${method}' was cancelled${reason === undefined ? '' : `: ${String(reason)}`}.`, {
      cause: reason,
    });
    this.name = 'RequestCancelledError';
  }
}

/** A capability the other side did not declare is needed, so the request is not sent. */
export class MissingCapabilityError extends LocalError {
  /** The capability path, e.g. `elicitation.url` or `tools`. */
  readonly capability: string;
  constructor(capability: string, message: string) {
    super(message);
    this.name = 'MissingCapabilityError';
    this.capability = capability;
  }
}

/**
 * The error a handler throws when the user must first complete URL-mode elicitations (-32042,
 * 2025-11-25): every entry is a URL-mode request with an elicitationId.
 */
export function urlElicitationRequired(
  elicitations: Array<Omit<ElicitUrlParams, '_meta'>>,
  message = 'This request needs the user to complete an interaction in the browser first.',
): McpError {
  return new McpError(ErrorCode.UrlElicitationRequired, message, {
    elicitations: elicitations.map((e) => ({ ...e, mode: 'url' })),
  });
}

/**
 * A message for anything thrown, never throwing itself (a thrown value may have no prototype, or a
 * message getter that throws).
 */
export function describeError(error: unknown): string {
  try {
    if (error instanceof Error) return String(error.message);
    return String(error);
  } catch {
    return 'an exception that cannot be turned into text';
  }
}
