/**
 * The OAuth client against malicious resource and authorization servers on 127.0.0.1: spoofed
 * issuers on every discovery path, endpoints pointing where credentials must not go (link-local,
 * private, plain http, credentials in the URL, redirects) on every grant, and answers that drip or
 * never end. Each must fail with an error naming the problem before any credential leaves, and
 * every request the client made is recorded to prove it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { OAuthFlowError } from '../src/auth/errors.ts';
import { headlessRedirect } from '../src/auth/headless.ts';
import { createOAuthClient, type OAuthClientOptions } from '../src/auth/oauth-client.ts';
import { isLoopbackHost } from '../src/auth/resource-uri.ts';
import { MemoryTokenStore } from '../src/auth/token-store.ts';
import { serveHttp } from '../src/node/http.ts';
import { cleanup, closeAll, connectWithOAuth } from './auth-fixtures.ts';

afterEach(closeAll);

type Route = (request: Request, url: URL, origin: string) => Response | Promise<Response> | undefined;

/** A server whose every answer comes from `route`; `seen` records each request (path and Authorization). */
async function hostile(route: Route) {
  const seen: { path: string; authorization: string | null }[] = [];
  let origin = '';
  const http = await serveHttp(
    async (r) => {
      const url = new URL(r.url);
      seen.push({ path: url.pathname, authorization: r.headers.get('authorization') });
      return (await route(r, url, origin)) ?? new Response('not found', { status: 404 });
    },
    { port: 0 },
  );
  origin = `http://localhost:${http.port}`;
  cleanup.push(() => http.close());
  return { origin, seen, paths: () => seen.map((s) => s.path) };
}

/** Authorization server metadata for `issuer` with endpoints under `base` (default: the issuer). */
function asMetadata(issuer: string, over: Record<string, unknown> = {}, base = issuer) {
  return {
    issuer,
    authorization_endpoint: `${base}/authorize`,
    token_endpoint: `${base}/token`,
    registration_endpoint: `${base}/register`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'none'],
    ...over,
  };
}

const unauthorized = (resourceMetadata?: string) =>
  new Response(null, {
    status: 401,
    headers: {
      'www-authenticate': resourceMetadata ? `Bearer resource_metadata="${resourceMetadata}"` : 'Bearer',
    },
  });

/** A fetch that records every URL the OAuth client asks for, and never leaves this machine. */
function recordingFetch() {
  const urls: string[] = [];
  const fetch = async (input: string | URL, init?: RequestInit) => {
    urls.push(String(input));
    if (!isLoopbackHost(new URL(input).hostname)) throw new Error(`(test) not sent off loopback: ${input}`);
    return globalThis.fetch(input, init);
  };
  return { urls, fetch };
}

const base: Partial<OAuthClientOptions> = {
  fetch: recordingFetch().fetch,
  redirectUri: 'http://127.0.0.1:8976/callback',
  redirect: async () => ({ error: 'access_denied' }),
  allowLoopback: true,
};

async function failure(promise: Promise<unknown>): Promise<OAuthFlowError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OAuthFlowError);
  return error as OAuthFlowError;
}

/** A resource server whose PRM names `issuer`; the MCP endpoint is `${origin}/mcp`. */
async function resourceServer(issuer: () => string) {
  return hostile((_r, url, origin) => {
    if (url.pathname === '/.well-known/oauth-protected-resource/mcp')
      return Response.json({ resource: `${origin}/mcp`, authorization_servers: [issuer()] });
    return undefined;
  });
}

describe('spoofed issuers on every discovery path', () => {
  it('no-PRM fallback: metadata at the MCP origin naming another issuer gets none of that issuer’s credentials', async () => {
    const real = 'https://auth.example.com';
    const evil = await hostile((_r, url, origin) => {
      if (url.pathname === '/.well-known/oauth-authorization-server')
        return Response.json(asMetadata(real, {}, origin));
      if (url.pathname === '/token') return Response.json({ access_token: 'x', token_type: 'Bearer' });
      return undefined;
    });
    const { fetch, urls } = recordingFetch();
    const oauth = createOAuthClient({
      ...base,
      serverUrl: `${evil.origin}/mcp`,
      fetch,
      grant: { type: 'client_credentials' },
      preRegistered: { clientId: 'app', clientSecret: 's3cret', issuer: real },
    });
    const error = await failure(oauth.onUnauthorized(unauthorized()));
    expect(error.code).toBe('issuer_mismatch');
    expect(error.message).toMatch(/names issuer "https:\/\/auth\.example\.com", not http:\/\/localhost:\d+/);
    expect(evil.paths()).not.toContain('/token');
    expect(evil.seen.every((s) => s.authorization === null)).toBe(true);
    expect(urls.every((u) => u.includes('/.well-known/'))).toBe(true);
  });

  it('no-PRM fallback over a real MCP connection: a stored registration is neither used nor overwritten', async () => {
    const real = 'https://auth.example.com';
    const evil = await hostile((_r, url, origin) => {
      if (url.pathname === '/.well-known/oauth-authorization-server')
        return Response.json(asMetadata(real, {}, origin));
      if (url.pathname === '/register') return Response.json({ client_id: 'evil-client' }, { status: 201 });
      if (url.pathname === '/mcp') return unauthorized();
      return undefined;
    });
    const store = new MemoryTokenStore();
    const stored = { clientId: 'mine', clientSecret: 'secret', redirectUris: ['http://127.0.0.1:1/cb'] };
    await store.setClient(real, stored);
    await expect(connectWithOAuth(`${evil.origin}/mcp`, { ...base, store })).rejects.toThrow(
      /names issuer "https:\/\/auth\.example\.com"/,
    );
    expect(await store.getClient(real)).toEqual(stored);
    expect(evil.paths()).not.toContain('/register');
    expect(evil.paths()).not.toContain('/token');
  });

  it('no-PRM fallback: metadata without an issuer is refused too', async () => {
    const evil = await hostile((_r, url, origin) =>
      url.pathname === '/.well-known/oauth-authorization-server'
        ? Response.json({ ...asMetadata(origin), issuer: undefined })
        : undefined,
    );
    const oauth = createOAuthClient({ ...base, serverUrl: `${evil.origin}/mcp` });
    expect((await failure(oauth.onUnauthorized(unauthorized()))).code).toBe('issuer_mismatch');
  });

  it('OpenID Connect path: a tenant issuer whose configuration names another issuer is refused', async () => {
    const as = await hostile((_r, url) =>
      url.pathname === '/.well-known/openid-configuration/tenant1'
        ? Response.json(asMetadata('https://accounts.example.com'))
        : undefined,
    );
    const mcp = await resourceServer(() => `${as.origin}/tenant1`);
    const oauth = createOAuthClient({ ...base, serverUrl: `${mcp.origin}/mcp` });
    const error = await failure(oauth.onUnauthorized(unauthorized()));
    expect(error.code).toBe('issuer_mismatch');
    expect(as.paths()).toEqual([
      '/.well-known/oauth-authorization-server/tenant1',
      '/.well-known/openid-configuration/tenant1',
    ]);
  });

  it('refresh: stored tokens’ issuer rediscovered with spoofed metadata sends no refresh token', async () => {
    const evil = await hostile((_r, url, origin) =>
      url.pathname === '/.well-known/oauth-authorization-server'
        ? Response.json(asMetadata('https://auth.example.com', {}, origin))
        : undefined,
    );
    const store = new MemoryTokenStore();
    const serverUrl = 'https://mcp.example.com/mcp';
    await store.setTokens(serverUrl, {
      accessToken: 'old',
      tokenType: 'Bearer',
      issuer: evil.origin,
      resource: serverUrl,
      refreshToken: 'refresh-secret',
      expiresAt: Date.now() - 1000,
    });
    const oauth = createOAuthClient({ ...base, serverUrl, store });
    expect((await failure(oauth.refresh())).code).toBe('issuer_mismatch');
    expect(evil.paths()).not.toContain('/token');
  });

  it('an issuer identifier with credentials in it is refused before anything is fetched from it', async () => {
    const as = await hostile(() => undefined);
    const mcp = await resourceServer(() => as.origin.replace('http://', 'http://user:pw@'));
    const oauth = createOAuthClient({ ...base, serverUrl: `${mcp.origin}/mcp` });
    const error = await failure(oauth.onUnauthorized(unauthorized()));
    expect(error.code).toBe('unsafe_url');
    expect(error.message).not.toContain('pw');
    expect(as.seen).toEqual([]);
  });
});

/** Where a hostile authorization server may point its token endpoint, and why each is refused. */
const BAD_TOKEN_ENDPOINTS: [string, string, Partial<OAuthClientOptions>][] = [
  ['https://169.254.169.254/latest/token', 'private_address', { allowPrivateNetwork: true }],
  ['https://[fe80::1]/token', 'private_address', { allowPrivateNetwork: true }],
  ['https://10.1.2.3/token', 'private_address', {}],
  ['https://[fd00:ec2::254]/token', 'private_address', {}],
  ['http://as.example.com/token', 'unsafe_url', { allowPrivateNetwork: true }],
  ['https://user:pw@as.example.com/token', 'unsafe_url', {}],
];

type GrantCase = [string, Partial<OAuthClientOptions>, 'flow' | 'refresh'];

const GRANTS: GrantCase[] = [
  ['authorization_code', { grant: { type: 'authorization_code' } }, 'flow'],
  [
    'client_credentials',
    { grant: { type: 'client_credentials' }, preRegistered: { clientId: 'app', clientSecret: 's3cret' } },
    'flow',
  ],
  ['refresh_token', { preRegistered: { clientId: 'app', clientSecret: 's3cret' } }, 'refresh'],
  [
    'jwt_bearer',
    {
      grant: { type: 'jwt_bearer', assertion: () => 'workload-jwt' },
      preRegistered: { clientId: 'app', clientSecret: 's3cret' },
    },
    'flow',
  ],
];

describe('every learned endpoint passes the network guard, on every grant', () => {
  for (const [endpoint, code, policy] of BAD_TOKEN_ENDPOINTS) {
    for (const [grant, options, how] of GRANTS) {
      it(`${grant}: a token endpoint at ${endpoint} is refused (${code}), nothing sent there or registered`, async () => {
        const as = await hostile((_r, url, origin) =>
          url.pathname === '/.well-known/oauth-authorization-server'
            ? Response.json(asMetadata(origin, { token_endpoint: endpoint }))
            : url.pathname === '/register'
              ? Response.json({ client_id: 'registered' }, { status: 201 })
              : undefined,
        );
        const mcp = await resourceServer(() => as.origin);
        const { fetch, urls } = recordingFetch();
        const store = new MemoryTokenStore();
        const serverUrl = `${mcp.origin}/mcp`;
        const oauth = createOAuthClient({ ...base, ...options, ...policy, serverUrl, fetch, store });
        if (how === 'refresh') {
          await store.setTokens(serverUrl, {
            accessToken: 'old',
            tokenType: 'Bearer',
            issuer: as.origin,
            resource: serverUrl,
            refreshToken: 'refresh-secret',
            expiresAt: Date.now() - 1000,
          });
        }
        const error = await failure(
          how === 'refresh' ? oauth.refresh() : oauth.onUnauthorized(unauthorized()),
        );
        expect(error.code).toBe(code);
        expect(error.message).toContain('token endpoint');
        expect(urls.filter((u) => !u.startsWith(as.origin) && !u.startsWith(mcp.origin))).toEqual([]);
        expect(as.paths()).toEqual(['/.well-known/oauth-authorization-server']);
      });
    }
  }

  it('token exchange (ID-JAG): the IdP is not asked for an assertion for an authorization server that will be refused', async () => {
    const idp = await hostile(() => Response.json({ access_token: 'id-jag', token_type: 'N_A' }));
    const as = await hostile((_r, url, origin) =>
      url.pathname === '/.well-known/oauth-authorization-server'
        ? Response.json(asMetadata(origin, { token_endpoint: 'https://169.254.169.254/token' }))
        : undefined,
    );
    const mcp = await resourceServer(() => as.origin);
    const oauth = createOAuthClient({
      ...base,
      serverUrl: `${mcp.origin}/mcp`,
      preRegistered: { clientId: 'app', clientSecret: 's3cret' },
      grant: {
        type: 'id_jag',
        idpTokenEndpoint: `${idp.origin}/token`,
        idpClientId: 'idp-client',
        idToken: () => 'user-id-token',
      },
    });
    expect((await failure(oauth.onUnauthorized(unauthorized()))).code).toBe('private_address');
    expect(idp.seen).toEqual([]);
  });

  it('authorization and registration endpoints at link-local addresses are refused before registering', async () => {
    for (const field of ['authorization_endpoint', 'registration_endpoint']) {
      const as = await hostile((_r, url, origin) =>
        url.pathname === '/.well-known/oauth-authorization-server'
          ? Response.json(asMetadata(origin, { [field]: 'https://169.254.169.254/x' }))
          : undefined,
      );
      const mcp = await resourceServer(() => as.origin);
      const { fetch, urls } = recordingFetch();
      const oauth = createOAuthClient({
        ...base,
        serverUrl: `${mcp.origin}/mcp`,
        fetch,
        allowPrivateNetwork: true,
      });
      expect((await failure(oauth.onUnauthorized(unauthorized()))).code, field).toBe('private_address');
      expect(
        urls.some((u) => u.includes('169.254')),
        field,
      ).toBe(false);
    }
  });

  it('a token endpoint that redirects is not followed: the secret never reaches the target', async () => {
    const target = await hostile(() => Response.json({ access_token: 'stolen', token_type: 'Bearer' }));
    const as = await hostile((_r, url, origin) =>
      url.pathname === '/.well-known/oauth-authorization-server'
        ? Response.json(asMetadata(origin))
        : url.pathname === '/token'
          ? new Response(null, { status: 307, headers: { location: `${target.origin}/token` } })
          : undefined,
    );
    const mcp = await resourceServer(() => as.origin);
    const oauth = createOAuthClient({
      ...base,
      serverUrl: `${mcp.origin}/mcp`,
      grant: { type: 'client_credentials' },
      preRegistered: { clientId: 'app', clientSecret: 's3cret' },
    });
    const error = await failure(oauth.onUnauthorized(unauthorized()));
    expect(error.code).toBe('redirect_refused');
    expect(error.message).toMatch(/HTTP 307 to http:\/\/localhost:\d+\/token.*never follow redirects/);
    expect(target.seen).toEqual([]);
  });

  it('a registration endpoint that redirects is not followed', async () => {
    const target = await hostile(() => Response.json({ client_id: 'x' }, { status: 201 }));
    const as = await hostile((_r, url, origin) =>
      url.pathname === '/.well-known/oauth-authorization-server'
        ? Response.json(asMetadata(origin))
        : url.pathname === '/register'
          ? new Response(null, { status: 308, headers: { location: `${target.origin}/register` } })
          : undefined,
    );
    const mcp = await resourceServer(() => as.origin);
    const oauth = createOAuthClient({ ...base, serverUrl: `${mcp.origin}/mcp` });
    expect((await failure(oauth.onUnauthorized(unauthorized()))).code).toBe('redirect_refused');
    expect(target.seen).toEqual([]);
  });
});

describe('metadata is checked whole before a client registers', () => {
  it('an authorization server without PKCE S256 is refused before Dynamic Client Registration', async () => {
    const as = await hostile((_r, url, origin) =>
      url.pathname === '/.well-known/oauth-authorization-server'
        ? Response.json(asMetadata(origin, { code_challenge_methods_supported: ['plain'] }))
        : url.pathname === '/register'
          ? Response.json({ client_id: 'registered' }, { status: 201 })
          : undefined,
    );
    const mcp = await resourceServer(() => as.origin);
    const store = new MemoryTokenStore();
    const oauth = createOAuthClient({ ...base, serverUrl: `${mcp.origin}/mcp`, store });
    expect((await failure(oauth.onUnauthorized(unauthorized()))).code).toBe('pkce_unsupported');
    expect(as.paths()).not.toContain('/register');
    expect(await store.getClient(as.origin)).toBeUndefined();
  });
});

describe('Protected Resource Metadata must name this server (RFC 9728 §3.3)', () => {
  async function prmServer(path: string, resource: (origin: string) => string) {
    const as = await hostile((_r, url, origin) =>
      url.pathname === '/.well-known/oauth-authorization-server'
        ? Response.json(asMetadata(origin, { code_challenge_methods_supported: ['plain'] }))
        : undefined,
    );
    const mcp = await hostile((_r, url, origin) =>
      url.pathname === path
        ? Response.json({ resource: resource(origin), authorization_servers: [as.origin] })
        : undefined,
    );
    return { as, url: `${mcp.origin}/api/mcp` };
  }

  it('a parent path served at the server’s own path-specific URL is refused by default', async () => {
    const { as, url } = await prmServer('/.well-known/oauth-protected-resource/api/mcp', (o) => `${o}/api`);
    const oauth = createOAuthClient({ ...base, serverUrl: url });
    const error = await failure(oauth.onUnauthorized(unauthorized()));
    expect(error.code).toBe('resource_mismatch');
    expect(error.message).toMatch(/allowParentResource/);
    expect(as.seen).toEqual([]);
  });

  it('the same parent path is accepted with allowParentResource: true', async () => {
    const { as, url } = await prmServer('/.well-known/oauth-protected-resource/api/mcp', (o) => `${o}/api`);
    const oauth = createOAuthClient({ ...base, serverUrl: url, allowParentResource: true });
    // Discovery gets past the resource check and on to the authorization server (which lacks PKCE).
    expect((await failure(oauth.onUnauthorized(unauthorized()))).code).toBe('pkce_unsupported');
    expect(as.paths()).toContain('/.well-known/oauth-authorization-server');
  });

  it('the origin named by the root document (its own well-known URL) is accepted by default', async () => {
    const { as, url } = await prmServer('/.well-known/oauth-protected-resource', (o) => o);
    const oauth = createOAuthClient({ ...base, serverUrl: url });
    expect((await failure(oauth.onUnauthorized(unauthorized()))).code).toBe('pkce_unsupported');
    expect(as.paths()).toContain('/.well-known/oauth-authorization-server');
  });

  it('a parent path named through a challenge’s resource_metadata elsewhere is refused by default', async () => {
    const { url } = await prmServer('/custom/prm.json', (o) => `${o}/api`);
    const oauth = createOAuthClient({ ...base, serverUrl: url });
    const prm = `${new URL(url).origin}/custom/prm.json`;
    expect((await failure(oauth.onUnauthorized(unauthorized(prm)))).code).toBe('resource_mismatch');
  });
});

/** A body that sends one byte every 100 ms, for ever (until the client goes). */
function drip(): Response {
  let timer: ReturnType<typeof setInterval> | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{'));
      timer = setInterval(() => controller.enqueue(new TextEncoder().encode(' ')), 100);
    },
    cancel() {
      clearInterval(timer);
    },
  });
  cleanup.push(async () => clearInterval(timer));
  return new Response(body, { headers: { 'content-type': 'application/json' } });
}

/** A JSON body of over a megabyte, with or without Content-Length. */
function huge(declared: boolean, json: Record<string, unknown>): Response {
  const text = JSON.stringify({ ...json, access_token: 'A'.repeat(1024 * 1024) });
  if (declared) return new Response(text, { headers: { 'content-type': 'application/json' } });
  const bytes = new TextEncoder().encode(text);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 16384) controller.enqueue(bytes.slice(i, i + 16384));
      controller.close();
    },
  });
  return new Response(body, { headers: { 'content-type': 'application/json' } });
}

const STAGES = [
  '/.well-known/oauth-protected-resource/mcp',
  '/.well-known/oauth-authorization-server',
  '/register',
  '/token',
];

/** A resource server that is its own authorization server, answering `stage` with `answer`. */
async function oneServer(stage: string, answer: () => Response) {
  return hostile((_r, url, origin) => {
    if (url.pathname === stage) return answer();
    if (url.pathname === '/.well-known/oauth-protected-resource/mcp')
      return Response.json({ resource: `${origin}/mcp`, authorization_servers: [origin] });
    if (url.pathname === '/.well-known/oauth-authorization-server') return Response.json(asMetadata(origin));
    if (url.pathname === '/register') return Response.json({ client_id: 'c1' }, { status: 201 });
    return undefined;
  });
}

describe('slow and oversized answers', () => {
  for (const stage of STAGES) {
    it(`a ${stage} answer that drips is abandoned at the deadline`, async () => {
      const server = await oneServer(stage, drip);
      const store = new MemoryTokenStore();
      const oauth = createOAuthClient({
        ...base,
        serverUrl: `${server.origin}/mcp`,
        timeoutMs: 600,
        store,
        grant: { type: 'client_credentials' },
        ...(stage === '/register' ? {} : { preRegistered: { clientId: 'app', clientSecret: 's' } }),
      });
      const started = Date.now();
      const error = await failure(oauth.onUnauthorized(unauthorized()));
      expect(error.code).toBe('timeout');
      expect(error.message).toMatch(
        new RegExp(`${stage.replaceAll('.', '\\.')} did not answer in full within 600 ms`),
      );
      expect(Date.now() - started).toBeLessThan(5000);
      expect(await oauth.tokens()).toBeUndefined();
    });

    for (const declared of [true, false]) {
      it(`a ${stage} answer over the size limit is refused (${declared ? 'declared' : 'streamed'})`, async () => {
        const server = await oneServer(stage, () =>
          huge(declared, stage === '/token' ? { token_type: 'Bearer' } : { resource: 'x', client_id: 'c' }),
        );
        const oauth = createOAuthClient({
          ...base,
          serverUrl: `${server.origin}/mcp`,
          grant: { type: 'client_credentials' },
          ...(stage === '/register' ? {} : { preRegistered: { clientId: 'app', clientSecret: 's' } }),
        });
        const error = await failure(oauth.onUnauthorized(unauthorized()));
        expect(error.code).toBe('response_too_large');
        expect(error.message).toMatch(/over the 262144-byte limit on OAuth responses/);
        expect(await oauth.tokens()).toBeUndefined();
      });
    }
  }

  it('headers that never come are abandoned at the deadline too', async () => {
    const server = await hostile(() => new Promise<Response>(() => {}));
    const oauth = createOAuthClient({ ...base, serverUrl: `${server.origin}/mcp`, timeoutMs: 300 });
    expect((await failure(oauth.onUnauthorized(unauthorized()))).code).toBe('timeout');
  });
});

describe('the headless user agent', () => {
  it('gives up on an authorization endpoint that never answers', async () => {
    const server = await hostile(() => new Promise<Response>(() => {}));
    const redirect = headlessRedirect({ timeoutMs: 300 });
    const error = await failure(redirect(new URL(`${server.origin}/authorize?x=1`)));
    expect(error.code).toBe('timeout');
    expect(error.message).toMatch(/\/authorize did not answer within 300 ms/);
  });
});
