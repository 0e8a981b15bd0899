/**
 * Shared pieces of the authorization tests: the development authorization server on an ephemeral
 * loopback port, an McpServer behind `protectHandler` (tools that report what the handler saw), and
 * an McpClient connected through the OAuth client.
 */
import { createOAuthClient, type OAuthClient, type OAuthClientOptions } from '../src/auth/index.ts';
import { protectHandler } from '../src/auth/protect.ts';
import { createResourceServerAuth, type ResourceServerAuth } from '../src/auth/resource-server.ts';
import { createJwtVerifier, type TokenVerifier } from '../src/auth/verifier.ts';
import { McpClient } from '../src/client/index.ts';
import { createHttpHandler } from '../src/http/index.ts';
import { type AuthServerOptions, type RunningAuthServer, startAuthServer } from '../src/node/auth-server.ts';
import { type HttpServerHandle, serveHttp } from '../src/node/http.ts';
import { McpServer } from '../src/server/index.ts';
import { StreamableHttpClientTransport } from '../src/transport/index.ts';

/** Things to close after a test. */
export const cleanup: (() => Promise<unknown>)[] = [];

/** Closes everything registered in `cleanup`. */
export async function closeAll(): Promise<void> {
  while (cleanup.length > 0) await (cleanup.pop() as () => Promise<unknown>)().catch(() => {});
}

/** Starts the development authorization server on a free port (client metadata on loopback allowed). */
export async function startDevAs(options: AuthServerOptions = {}): Promise<RunningAuthServer> {
  const as = await startAuthServer({ port: 0, allowPrivateClientMetadata: true, ...options });
  cleanup.push(() => as.close());
  return as;
}

/** A protected MCP server and what its tools saw. */
export interface ProtectedMcp {
  url: string;
  auth: ResourceServerAuth;
  http: HttpServerHandle;
  /** The Authorization header each `whoami` call saw (null: stripped). */
  seenAuthorization: (string | null)[];
}

/** Options of `startProtectedMcp`. */
export interface ProtectedMcpOptions {
  issuer: string;
  verifier?: TokenVerifier;
  scopesSupported?: string[];
  requiredScopes?: (method: string, params: unknown) => readonly string[];
}

/** Serves an McpServer (tools `whoami` and `write`) behind resource-server authorization. */
export async function startProtectedMcp(options: ProtectedMcpOptions): Promise<ProtectedMcp> {
  const seenAuthorization: (string | null)[] = [];
  const server = new McpServer({ name: 'protected', version: '1.0.0' });
  server.tool('whoami', { description: 'Says what the handler saw.' }, (_args, ctx) => {
    seenAuthorization.push(ctx.info?.request?.headers.get('authorization') ?? null);
    return 'hello';
  });
  server.tool('write', { description: 'Needs mcp:write.' }, () => 'written');
  const mcp = createHttpHandler(server);
  let handler: ((r: Request) => Promise<Response>) | undefined;
  const http = await serveHttp(async (r) => (handler as (r: Request) => Promise<Response>)(r), { port: 0 });
  const url = `http://localhost:${http.port}/mcp`;
  const auth = createResourceServerAuth({
    resource: url,
    authorizationServers: [options.issuer],
    verifier:
      options.verifier ?? createJwtVerifier({ issuer: options.issuer, jwks: `${options.issuer}/jwks` }),
    scopesSupported: options.scopesSupported ?? ['mcp:read'],
    requiredScopes:
      options.requiredScopes ??
      ((method, params) =>
        method === 'tools/call' && (params as { name?: string }).name === 'write'
          ? ['mcp:read', 'mcp:write']
          : ['mcp:read']),
  });
  handler = protectHandler((r) => mcp(r), auth);
  cleanup.push(async () => {
    await mcp.close();
    await http.close();
  });
  return { url, auth, http, seenAuthorization };
}

/** Connects an McpClient (legacy era, with sessions) to `url` through an OAuth client. */
export async function connectWithOAuth(
  url: string,
  options: Omit<OAuthClientOptions, 'serverUrl'>,
): Promise<{ client: McpClient; oauth: OAuthClient }> {
  const oauth = createOAuthClient({ serverUrl: url, ...options });
  const client = new McpClient({ name: 'auth-test', version: '1.0.0', era: 'legacy' });
  await client.connect(
    new StreamableHttpClientTransport(url, { ...oauth.transportOptions(), openGetStream: false }),
  );
  cleanup.push(() => client.close());
  return { client, oauth };
}

/** Mints a token at the dev AS for a given audience and scope. */
export function mint(
  as: RunningAuthServer,
  resource: string,
  scope: string,
  ttlSec?: number,
): Promise<string> {
  return as.server.mintAccessToken({ clientId: 'test-client', subject: 'alice', scope, resource }, ttlSec);
}

/** A JSON-RPC initialize POST with a bearer token. */
export function initializeRequest(url: string, token: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    }),
  });
}
