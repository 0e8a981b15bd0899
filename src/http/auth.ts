/**
 * Authorization inside the HTTP handler (its `auth` option): what the handler needs of a resource
 * server (`ResourceServerAuth` from mcpkit/auth fits), the principal key sessions are bound to,
 * and the credential stripping that keeps the client's token away from tools.
 */
import { ErrorCode } from '../protocol/index.ts';
import type { AuthInfo } from '../rpc/index.ts';
import { provideBody, providedBody, provideSignal, requestSignal } from './beside.ts';
import { errorReply } from './reply.ts';

/** The resource-server pieces the handler calls (`createResourceServerAuth` returns one). */
export interface HttpAuth {
  /** Answers the Protected Resource Metadata at its well-known paths; undefined for other paths. */
  metadataResponse(request: Request): Response | undefined;
  /** The principal behind a request, or the 400/401/503 answer to send instead. */
  authenticate(request: Request): Promise<{ auth: AuthInfo } | { response: Response }>;
  /** The 403 answer when `auth` lacks scopes one JSON-RPC request needs; undefined when it has them. */
  checkScopes(auth: AuthInfo, method: string, params: unknown): Response | undefined;
}

/** Who sent a request that passed authentication: the principal and its stable key. */
export interface Caller {
  /** What the verifier established; becomes `MessageInfo.auth` (`ctx.auth`). */
  readonly auth: AuthInfo;
  /** The key sessions are bound to (see `principalOf`). */
  readonly principal: string;
}

/** A stable key for the principal behind a token: issuer, subject and client. */
export function principalOf(auth: AuthInfo): string {
  const iss = typeof auth.extra?.iss === 'string' ? auth.extra.iss : '';
  return JSON.stringify([iss, auth.subject ?? '', auth.clientId ?? '']);
}

/** Request headers that carry the client's credentials. */
const CREDENTIAL_HEADERS = ['authorization', 'dpop', 'cookie'];

/** Removes the client's credentials from a request, so that nothing downstream can forward them. */
export function withoutCredentials(request: Request): Request {
  const headers = new Headers(request.headers);
  for (const name of CREDENTIAL_HEADERS) headers.delete(name);
  const init: RequestInit & { duplex?: 'half' } = { headers, method: request.method };
  const carried = requestSignal(request);
  if (carried === request.signal) init.signal = carried;
  const provided = providedBody(request);
  if (provided === undefined && request.body) {
    init.body = request.body;
    init.duplex = 'half';
  }
  const out = new Request(request.url, init);
  if (provided !== undefined) provideBody(out, provided);
  if (carried !== request.signal) provideSignal(out, carried);
  return out;
}

/** The 403 answer to a session id presented with another principal's token. */
export function foreignSession(): Response {
  return errorReply(
    403,
    ErrorCode.InvalidRequest,
    'Forbidden: this session belongs to another principal; start your own session with initialize.',
  );
}

/** The first 403 `insufficient_scope` answer among a body's requests; undefined when all are allowed. */
export function checkRequestScopes(
  auth: HttpAuth,
  caller: Caller,
  requests: readonly { method: string; params?: unknown }[],
): Response | undefined {
  for (const r of requests) {
    const denied = auth.checkScopes(caller.auth, r.method, r.params);
    if (denied) return denied;
  }
  return undefined;
}
