/** Small builders for the HTTP answers the handler gives outside of MCP messages. */
import type { RequestId } from '../protocol/index.ts';
import { defersBodies, jsonAnswer, jsonAnswerFields, jsonBodyText, setJsonText } from './beside.ts';
import { sseConnectionOf } from './sse.ts';

/** The code used for transport-level failures that JSON-RPC has no code for. */
export const TRANSPORT_ERROR = -32000;

/** The code the official servers use for an unknown or ended session (with HTTP 404). */
export const SESSION_NOT_FOUND = -32001;

/** The header fields of a JSON answer given no others (shared: never changed). */
const JSON_ONLY: Readonly<Record<string, string>> = { 'content-type': 'application/json' };

/**
 * A JSON answer with the given status. It is made without a Response (`jsonAnswer`):
 * `completeResponse` makes it one before it leaves the handler, unless the caller writes the text
 * itself (`deferBodies`, `jsonBodyText`).
 */
export function jsonResponse(status: number, body: string, headers?: Record<string, string>): Response {
  return jsonAnswer(status, body, headers ? { 'content-type': 'application/json', ...headers } : JSON_ONLY);
}

/**
 * The answer as it leaves the handler: a JSON or SSE answer made without a body stream gets one,
 * unless the caller writes it itself (`deferBodies`).
 */
export function completeResponse(request: Request, response: Response): Response {
  if (response.body !== null || defersBodies(request)) return response;
  const text = jsonBodyText(response);
  if (text !== undefined) {
    const fields = jsonAnswerFields(response);
    const complete = new Response(text, { status: response.status, headers: fields ?? response.headers });
    setJsonText(complete, text);
    return complete;
  }
  const conn = sseConnectionOf(response);
  if (conn) return new Response(conn.body, { status: response.status, headers: response.headers });
  return response;
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

/** The answer to a new session the registry could not admit: 503 when full, 429 past the client's cap. */
export function sessionRefused(why: 'full' | 'client', maxSessions: number, maxPerClient: number): Response {
  return why === 'client'
    ? errorReply(
        429,
        TRANSPORT_ERROR,
        `Too Many Requests: this client already holds its maximum of ${maxPerClient} sessions, all in use; end one (DELETE) or retry later (maxSessionsPerClient).`,
        { 'retry-after': '5' },
      )
    : errorReply(
        503,
        TRANSPORT_ERROR,
        `Service Unavailable: this server already holds its maximum of ${maxSessions} sessions, all in use; retry later (or raise maxSessions).`,
        { 'retry-after': '5' },
      );
}
