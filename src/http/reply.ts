/** Small builders for the HTTP answers the handler gives outside of MCP messages. */
import type { RequestId } from '../protocol/index.ts';

/** The code used for transport-level failures that JSON-RPC has no code for. */
export const TRANSPORT_ERROR = -32000;

/** The code the official servers use for an unknown or ended session (with HTTP 404). */
export const SESSION_NOT_FOUND = -32001;

/** A JSON body with the given status. */
export function jsonResponse(status: number, body: string, headers?: Record<string, string>): Response {
  const response = new Response(body, {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
  jsonBodies.set(response, body);
  return response;
}

const jsonBodies = new WeakMap<Response, string>();

/**
 * The text a `jsonResponse` answer was built from, while its body is unread: a server adapter can
 * write it in one call instead of reading the body stream back.
 */
export function jsonBodyText(response: Response): string | undefined {
  return response.bodyUsed ? undefined : jsonBodies.get(response);
}

/** An HTTP error whose body is a JSON-RPC error response (id null unless known). */
export function errorReply(
  status: number,
  code: number,
  message: string,
  headers?: Record<string, string>,
  id: RequestId | null = null,
  data?: unknown,
): Response {
  const error = data === undefined ? { code, message } : { code, message, data };
  return jsonResponse(status, JSON.stringify({ jsonrpc: '2.0', id, error }), headers);
}

/** 202 Accepted with no body: the answer to notifications and responses. */
export function accepted(headers?: Record<string, string>): Response {
  return new Response(null, { status: 202, headers });
}

/** 405 with the methods the path does allow. */
export function methodNotAllowed(allow: string, what: string): Response {
  return errorReply(405, TRANSPORT_ERROR, `Method not allowed: ${what} accepts ${allow}.`, { allow });
}
