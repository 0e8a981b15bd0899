/**
 * Runs the development authorization server on node:http, and the reference MCP server behind it
 * as a protected resource (JWT access tokens checked against the server's JWKS). For local
 * development and tests only: it approves every request for one configured user.
 */
import {
  createDevAuthorizationServer,
  createJwtVerifier,
  createResourceServerAuth,
  type DevAuthorizationServer,
  type DevAuthorizationServerOptions,
} from '../auth/index.ts';
import { createHttpHandler } from '../http/index.ts';
import { createReferenceServer } from '../reference/index.ts';
import { type HttpServerHandle, serveHttp } from './http.ts';
import { resolveHostAddresses } from './oauth-loopback.ts';

/** Options of `startAuthServer`. */
export interface AuthServerOptions extends Omit<DevAuthorizationServerOptions, 'issuer'> {
  /** Port to listen on (default 9000; 0 picks a free one). */
  port?: number;
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  /** The issuer (default `http://localhost:<port>`). */
  issuer?: string;
}

/** A listening development authorization server. */
export interface RunningAuthServer {
  /** The issuer identifier. */
  readonly issuer: string;
  /** The server itself (metadata, keys, helpers). */
  readonly server: DevAuthorizationServer;
  /** The HTTP listener. */
  readonly http: HttpServerHandle;
  /** Stops listening. */
  close(): Promise<void>;
}

/** Starts the development authorization server. */
export async function startAuthServer(options: AuthServerOptions = {}): Promise<RunningAuthServer> {
  let server: DevAuthorizationServer | undefined;
  const http = await serveHttp(
    async (request) =>
      server
        ? server.fetch(request)
        : new Response('Starting', { status: 503, headers: { 'retry-after': '1' } }),
    { port: options.port ?? 9000, host: options.host ?? '127.0.0.1' },
  );
  const { port: _port, host: _host, issuer: chosen, ...rest } = options;
  const issuer = chosen ?? `http://localhost:${http.port}`;
  server = await createDevAuthorizationServer({
    resolveHost: options.allowPrivateClientMetadata ? undefined : resolveHostAddresses,
    ...rest,
    issuer,
  });
  return { issuer: server.issuer, server, http, close: () => http.close() };
}

/** Options of `startProtectedReferenceServer`. */
export interface ProtectedReferenceServerOptions {
  /** The authorization server's issuer. */
  issuer: string;
  /** Its JWKS URL (default `<issuer>/jwks`). */
  jwksUrl?: string;
  /** Port to listen on (default 3000; 0 picks a free one). */
  port?: number;
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  /** The public URL of the MCP endpoint: the resource tokens must name (default `http://localhost:<port>/mcp`). */
  resource?: string;
  /** Scopes published and asked for on 401 (default `mcp:read`). */
  scopesSupported?: string[];
  /** Scopes per JSON-RPC method (default: `tools/call` also needs `mcp:write`, so clients step up). */
  requiredScopes?: (method: string, params: unknown) => readonly string[];
}

/** A listening protected MCP server. */
export interface RunningProtectedServer {
  /** The MCP endpoint URL (the resource). */
  readonly resource: string;
  /** The HTTP listener. */
  readonly http: HttpServerHandle;
  /** Stops listening and ends every session. */
  close(): Promise<void>;
}

/** Serves the reference MCP server behind bearer-token authorization. */
export async function startProtectedReferenceServer(
  options: ProtectedReferenceServerOptions,
): Promise<RunningProtectedServer> {
  let mcp: ReturnType<typeof createHttpHandler> | undefined;
  let protectedHandler: ((request: Request) => Promise<Response>) | undefined;
  const http = await serveHttp(
    async (request) =>
      protectedHandler ? protectedHandler(request) : new Response('Starting', { status: 503 }),
    { port: options.port ?? 3000, host: options.host ?? '127.0.0.1' },
  );
  // The origin: one resource for /mcp and the HTTP+SSE paths (/sse, /messages) it also serves.
  const resource = options.resource ?? `http://localhost:${http.port}`;
  const scopes = options.scopesSupported ?? ['mcp:read'];
  const auth = createResourceServerAuth({
    resource,
    authorizationServers: [options.issuer],
    verifier: createJwtVerifier({
      issuer: options.issuer,
      jwks: options.jwksUrl ?? `${options.issuer}/jwks`,
    }),
    scopesSupported: scopes,
    requiredScopes:
      options.requiredScopes ?? ((method) => (method === 'tools/call' ? [...scopes, 'mcp:write'] : scopes)),
    resourceName: 'mcpkit reference server',
  });
  const handler = createHttpHandler(createReferenceServer(), { auth });
  mcp = handler;
  protectedHandler = (request) => handler(request);
  return {
    resource: auth.resource,
    http,
    close: async () => {
      await mcp?.close();
      await http.close();
    },
  };
}
