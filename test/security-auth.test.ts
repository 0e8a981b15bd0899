/**
 * Authorization security over real HTTP: the McpServer behind `protectHandler` with JWT access
 * tokens. Tokens must name this server as their audience; the client's credentials never reach the
 * MCP handler (no token passthrough); a session answers only the principal that created it; no error
 * answer echoes the token. Discovery refuses URLs at private addresses or without https before any
 * request is made (SSRF).
 */
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverResourceMetadata } from '../src/auth/discovery.ts';
import { OAuthFlowError } from '../src/auth/errors.ts';
import { protectHandler } from '../src/auth/protect.ts';
import { createResourceServerAuth } from '../src/auth/resource-server.ts';
import { createJwtVerifier } from '../src/auth/verifier.ts';
import { createHttpHandler, type HttpHandler } from '../src/http/index.ts';
import { type HttpServerHandle, serveHttp } from '../src/node/http.ts';
import { McpServer } from '../src/server/index.ts';
import { callTool, initializeBody, messages, post, readEvents } from './http-server-fixtures.ts';

const ISSUER = 'https://as.example';
let listening: HttpServerHandle;
let mcp: HttpHandler;
let url: string;
let sign: (claims: Record<string, unknown>) => Promise<string>;
let seen: Record<string, unknown>[];

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
  sign = (claims) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
  seen = [];
  const server = new McpServer({ name: 'guarded', version: '1.0.0', onError: () => {} });
  server.tool('whoami', {}, (_args, ctx) => {
    const headers = ctx.info?.request?.headers;
    seen.push({
      authorization: headers?.get('authorization') ?? null,
      cookie: headers?.get('cookie') ?? null,
      dpop: headers?.get('dpop') ?? null,
    });
    return 'checked';
  });
  mcp = createHttpHandler(server);
  let app: (request: Request) => Promise<Response> = async () => new Response(null, { status: 503 });
  listening = await serveHttp((request) => app(request), { port: 0 });
  url = `${listening.url}/mcp`;
  const auth = createResourceServerAuth({
    resource: url,
    authorizationServers: [ISSUER],
    verifier: createJwtVerifier({ issuer: ISSUER, jwks: { keys: [jwk] } }),
  });
  app = protectHandler((request) => mcp(request), auth);
});
afterAll(async () => {
  await mcp.close();
  await listening.close();
});

async function session(token: string): Promise<Record<string, string>> {
  const res = await post(url, initializeBody(), { authorization: `Bearer ${token}` });
  expect(res.status).toBe(200);
  const id = res.headers.get('mcp-session-id') as string;
  await readEvents(res);
  const headers = {
    authorization: `Bearer ${token}`,
    'mcp-session-id': id,
    'mcp-protocol-version': '2025-11-25',
  };
  await post(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers);
  return headers;
}

describe('audience', () => {
  it('refuses a token issued for another server with 401 invalid_token, without echoing it', async () => {
    const token = await sign({ sub: 'alice', aud: 'https://other.example/mcp', client_id: 'c1' });
    const res = await post(url, initializeBody(), { authorization: `Bearer ${token}` });
    expect(res.status).toBe(401);
    const challenge = res.headers.get('www-authenticate') ?? '';
    expect(challenge).toContain('invalid_token');
    expect(challenge).toContain('resource_metadata=');
    const body = await res.text();
    expect(body).toContain('audience');
    expect(body + challenge).not.toContain(token);
  });

  it('refuses a missing token with 401 pointing at the metadata, and accepts one for this server', async () => {
    const none = await post(url, initializeBody());
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('resource_metadata=');
    const token = await sign({ sub: 'alice', aud: url, client_id: 'c1' });
    await session(token);
  });
});

describe('no token passthrough', () => {
  it('the MCP handler never sees the Authorization, DPoP or Cookie headers', async () => {
    const token = await sign({ sub: 'alice', aud: url, client_id: 'c1' });
    const headers = await session(token);
    const res = await post(url, callTool(1, 'whoami'), { ...headers, cookie: 'sid=secret-cookie' });
    expect(messages((await readEvents(res)).events)[0]?.result).toBeDefined();
    expect(seen.at(-1)).toEqual({ authorization: null, cookie: null, dpop: null });
  });
});

describe('sessions bound to their principal', () => {
  it('another principal presenting a valid token and the session id gets 403; the owner goes on', async () => {
    const alice = await session(await sign({ sub: 'alice', aud: url, client_id: 'c1' }));
    const bobToken = await sign({ sub: 'bob', aud: url, client_id: 'c1' });
    const stolen = await post(url, callTool(2, 'whoami'), { ...alice, authorization: `Bearer ${bobToken}` });
    expect(stolen.status).toBe(403);
    expect(await stolen.text()).toContain('another principal');
    const sse = await fetch(url, {
      headers: { ...alice, authorization: `Bearer ${bobToken}`, accept: 'text/event-stream' },
    });
    expect(sse.status).toBe(403);
    const del = await fetch(url, {
      method: 'DELETE',
      headers: { ...alice, authorization: `Bearer ${bobToken}` },
    });
    expect(del.status).toBe(403);
    const mine = await post(url, callTool(3, 'whoami'), alice);
    expect(messages((await readEvents(mine)).events)[0]?.id).toBe(3);
  });
});

describe('SSRF in OAuth discovery', () => {
  it('refuses metadata URLs at private, loopback-by-name or link-local addresses, or without https, before fetching', async () => {
    const fetched: string[] = [];
    const ctx = {
      serverUrl: new URL('https://mcp.example/mcp'),
      fetch: async (input: string | URL) => {
        fetched.push(String(input));
        return new Response('{}', { status: 404 });
      },
      policy: {},
    };
    for (const target of [
      'https://169.254.169.254/latest/meta-data/',
      'https://10.0.0.5/.well-known/oauth-protected-resource',
      'https://192.168.1.1/prm',
      'https://[::ffff:127.0.0.1]/prm',
      'https://[fd00::1]/prm',
      'https://2130706433/prm',
      'http://as.example/prm',
      'https://user:pass@as.example/prm',
    ]) {
      const error = await discoverResourceMetadata(ctx, target).catch((e: unknown) => e);
      expect(error, target).toBeInstanceOf(OAuthFlowError);
    }
    expect(fetched).toEqual([]);
  });

  it('refuses a host name that resolves to a private address', async () => {
    const fetched: string[] = [];
    const ctx = {
      serverUrl: new URL('https://mcp.example/mcp'),
      fetch: async (input: string | URL) => {
        fetched.push(String(input));
        return new Response('{}', { status: 404 });
      },
      policy: { resolveHost: async () => ['10.1.2.3'] },
    };
    const error = await discoverResourceMetadata(ctx, 'https://rebind.example/prm').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthFlowError);
    expect((error as Error).message).toContain('10.1.2.3');
    expect(fetched).toEqual([]);
  });
});
