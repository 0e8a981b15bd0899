/**
 * `protectHandler`: puts a web-standard MCP handler behind resource-server authorization. It answers
 * the metadata, authenticates every other request, checks per-request scopes on POSTed JSON-RPC
 * requests, binds each session to the principal that created it, and strips the client's
 * credentials before the inner handler sees the request (the token is never passed on).
 *
 * For `createHttpHandler`, its `auth` option does all of this inside the handler and also gives
 * tools the principal (`ctx.auth`) and binds sessions in the shared store (cluster mode); use it
 * instead. `protectHandler` stays for other handlers.
 */
import { principalOf, withoutCredentials } from '../http/index.ts';
import { readAtMost } from '../protocol/index.ts';
import type { AuthInfo } from '../rpc/index.ts';
import type { ResourceServerAuth } from './resource-server.ts';

export { principalOf, withoutCredentials };

/** A web-standard handler; the second argument carries the authenticated principal. */
export type ProtectedHandler = (request: Request, auth: AuthInfo) => Promise<Response>;

/** Options of `protectHandler`. */
export interface ProtectHandlerOptions {
  /** Largest POST body read for scope checks, bytes (default 4 MiB; larger bodies are refused with 413). */
  maxBodyBytes?: number;
  /** Most session→principal bindings remembered (default 100,000; the oldest are forgotten first). */
  maxSessions?: number;
}

/**
 * Wraps a web-standard `handler` with authorization.
 * @deprecated for `createHttpHandler`: pass the same object as its `auth` option instead (this
 * wrapper cannot set `ctx.auth`, and binds sessions in this process only).
 */
export function protectHandler(
  handler: ProtectedHandler,
  auth: ResourceServerAuth,
  options: ProtectHandlerOptions = {},
): (request: Request) => Promise<Response> {
  const maxBody = options.maxBodyBytes ?? 4 * 1024 * 1024;
  const maxSessions = options.maxSessions ?? 100_000;
  const owners = new Map<string, string>();

  return async (request) => {
    const metadata = auth.metadataResponse(request);
    if (metadata) return metadata;
    if (request.method === 'OPTIONS') return handler(withoutCredentials(request), { token: '', scopes: [] });
    const result = await auth.authenticate(request);
    if ('response' in result) return result.response;
    const principal = principalOf(result.auth);
    const sessionId = request.headers.get('mcp-session-id');
    const owner = sessionId === null ? undefined : owners.get(sessionId);
    if (owner !== undefined && owner !== principal) {
      return Response.json(
        {
          jsonrpc: '2.0',
          id: null,
          error: {
            code: -32600,
            message:
              'Forbidden: this session belongs to another principal; start your own session with initialize.',
          },
        },
        { status: 403 },
      );
    }
    let forwarded = request;
    if (request.method === 'POST') {
      const text = await readBounded(request, maxBody);
      if (text === undefined) {
        return Response.json(
          { error: 'invalid_request', error_description: `The body exceeds ${maxBody} bytes.` },
          { status: 413 },
        );
      }
      for (const { method, params } of requestsIn(text)) {
        const denied = auth.checkScopes(result.auth, method, params);
        if (denied) return denied;
      }
      forwarded = new Request(request, { body: text });
    }
    const response = await handler(withoutCredentials(forwarded), result.auth);
    const created = response.headers.get('mcp-session-id');
    if (created !== null && sessionId === null && response.ok) {
      if (owners.size >= maxSessions) owners.delete(owners.keys().next().value as string);
      owners.set(created, principal);
    }
    if (request.method === 'DELETE' && sessionId !== null && response.ok) owners.delete(sessionId);
    return response;
  };
}

async function readBounded(request: Request, limit: number): Promise<string | undefined> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) return undefined;
  if (!request.body) return '';
  const bytes = await readAtMost(request.body, limit);
  return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
}

/** The JSON-RPC requests (method and params) in a POST body; nothing when it does not parse. */
function requestsIn(text: string): { method: string; params: unknown }[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [];
  }
  const list = Array.isArray(value) ? value : [value];
  const found: { method: string; params: unknown }[] = [];
  for (const m of list) {
    if (typeof m === 'object' && m !== null && typeof (m as { method?: unknown }).method === 'string') {
      found.push({ method: (m as { method: string }).method, params: (m as { params?: unknown }).params });
    }
  }
  return found;
}
