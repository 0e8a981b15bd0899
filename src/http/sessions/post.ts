/**
 * The checks and the answer shared by every Streamable HTTP POST of the stateful revisions, with
 * sessions or without.
 */
import { ErrorCode, FEATURES, isRevision, type JsonRpcRequest } from '../../protocol/index.ts';
import type { AuthInfo } from '../../rpc/index.ts';
import { type Departure, requestDeparture } from '../beside.ts';
import { duplicateId, type ParsedBody } from '../body.ts';
import { HttpInfo } from '../info.ts';
import type { ResolvedOptions } from '../options.ts';
import { accepted, errorReply, jsonResponse, SESSION_NOT_FOUND, TRANSPORT_ERROR } from '../reply.ts';
import { SSE_HEADERS, sseResponse } from '../sse.ts';
import type { StreamableSession } from './session.ts';

/** The revision assumed when a request carries no `MCP-Protocol-Version` header. */
export const DEFAULT_HEADER_REVISION = '2025-03-26';

/** Refuses an unsupported `MCP-Protocol-Version` header with 400; undefined when it is fine or absent. */
export function checkVersionHeader(request: Request, options: ResolvedOptions): Response | undefined {
  const version = request.headers.get('mcp-protocol-version');
  if (version === null || options.protocolVersions.includes(version)) return undefined;
  return errorReply(
    400,
    TRANSPORT_ERROR,
    `Bad Request: unsupported MCP-Protocol-Version '${version}'; this server accepts ${options.protocolVersions.join(', ')}.`,
  );
}

/** The initialize request of a body, if it holds one. */
export function findInitialize(body: ParsedBody): JsonRpcRequest | undefined {
  return body.requests.find((r) => r.method === 'initialize');
}

/** Refuses a batch the revision does not allow, or request ids already in use; undefined when fine. */
export function checkBatchAndIds(
  body: ParsedBody,
  revision: string | undefined,
  inUse: (id: JsonRpcRequest['id']) => boolean,
): Response | undefined {
  if (body.batch && !(isRevision(revision) && FEATURES[revision].batching)) {
    return errorReply(
      400,
      ErrorCode.InvalidRequest,
      `Invalid Request: JSON-RPC batches are accepted only in revision 2025-03-26 (this is ${revision ?? 'an uninitialized session'}); send one message per POST.`,
    );
  }
  const dup = duplicateId(body.requests) ?? body.requests.find((r) => inUse(r.id))?.id;
  if (dup !== undefined) {
    return errorReply(
      400,
      ErrorCode.InvalidRequest,
      `Invalid Request: request id ${JSON.stringify(dup)} is already in use; give each request a new id.`,
    );
  }
  return undefined;
}

/**
 * Gives a checked body to a session and answers the POST: 202 for notifications and responses, else
 * an SSE stream of the requests' related messages that ends after the last response, or one JSON body.
 * `stateless` marks the messages as coming without a session (served without initialize); `auth`
 * is the authenticated principal, handed to the server with every message.
 */
export async function answerPost(
  session: StreamableSession,
  body: ParsedBody,
  request: Request,
  options: ResolvedOptions,
  headers: Record<string, string>,
  stateless = false,
  auth?: AuthInfo,
): Promise<Response> {
  if (session.closed) {
    return errorReply(
      404,
      SESSION_NOT_FOUND,
      'Session not found: it was closed while this request was read; start a new session.',
    );
  }
  const info = new HttpInfo(request, request.headers.get('mcp-protocol-version') ?? undefined);
  if (auth) info.auth = auth;
  if (stateless) {
    info.stateless = true;
    info.protocolVersion ??= DEFAULT_HEADER_REVISION;
  }
  if (body.requests.length === 0) {
    session.deliver(body.value, info);
    return accepted(headers);
  }
  const busy = tooManyStreams(session, options, headers);
  if (busy) return busy;
  if (options.jsonResponse) {
    const reply = session.openJson(body.requests, body.batch);
    session.deliver(body.value, info, reply);
    // Without a session the transport ends when the client goes away, and its reply with it.
    const text = await (stateless
      ? reply.done
      : Promise.race([reply.done, aborted(requestDeparture(request))]));
    if (text === undefined) {
      return errorReply(
        503,
        TRANSPORT_ERROR,
        'The session closed before the request was answered; retry it.',
        headers,
      );
    }
    return jsonResponse(200, text, headers);
  }
  const conn = session.connection(requestDeparture(request));
  const stream = session.openStream(body.requests, conn);
  info.closeSseStream = () => session.closeStream(stream);
  session.deliver(body.value, info, stream);
  return sseResponse(conn, { ...SSE_HEADERS, ...headers });
}

/**
 * Refuses a new connection (a POST with requests, or a GET) with 429 when the session already
 * holds `maxStreamsPerSession` open; undefined when there is room.
 */
export function tooManyStreams(
  session: StreamableSession,
  options: ResolvedOptions,
  headers?: Record<string, string>,
): Response | undefined {
  const open = session.openConnections;
  if (open < options.maxStreamsPerSession) return undefined;
  return errorReply(
    429,
    TRANSPORT_ERROR,
    `Too Many Requests: this session already has ${open} connections open (POSTs in progress and GET streams; the limit is maxStreamsPerSession = ${options.maxStreamsPerSession}); wait for an answer to finish, or raise maxStreamsPerSession.`,
    { ...headers, 'retry-after': '1' },
  );
}

function aborted(signal: Departure): Promise<undefined> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(undefined);
    else signal.addEventListener('abort', () => resolve(undefined), { once: true });
  });
}
