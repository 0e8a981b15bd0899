/**
 * The OAuth client against real servers on 127.0.0.1 that misbehave in one way each: a wrong or
 * missing `iss`, metadata without PKCE, a metadata issuer that does not match, a resource that is
 * not the MCP server, a rejected registration, endless step-up, private addresses. Each must fail
 * with an error naming the problem, before any code or token goes where it should not.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createDevAuthorizationServer } from '../src/auth/dev-server/handler.ts';
import { headlessRedirect } from '../src/auth/headless.ts';
import { createJwtVerifier } from '../src/auth/verifier.ts';
import { serveHttp } from '../src/node/http.ts';
import { cleanup, closeAll, connectWithOAuth, startProtectedMcp } from './auth-fixtures.ts';

afterEach(closeAll);

type Tamper = (request: Request, next: (r: Request) => Promise<Response>) => Promise<Response>;

/** A dev authorization server whose answers pass through `tamper`; `seen` lists the paths asked for. */
async function startAs(tamper: Tamper = (r, next) => next(r)) {
  const seen: string[] = [];
  let handle: (r: Request) => Promise<Response> = async () => new Response(null, { status: 503 });
  const http = await serveHttp(
    async (r) => {
      seen.push(new URL(r.url).pathname);
      return tamper(r, handle);
    },
    { port: 0 },
  );
  cleanup.push(() => http.close());
  const server = await createDevAuthorizationServer({ issuer: `http://localhost:${http.port}` });
  handle = (r) => server.fetch(r);
  return { issuer: server.issuer, server, seen };
}

async function rewriteJson(
  response: Response,
  change: (body: Record<string, unknown>) => void,
): Promise<Response> {
  const body = (await response.json()) as Record<string, unknown>;
  change(body);
  return Response.json(body, { status: response.status });
}

function rewriteLocation(response: Response, change: (url: URL) => void): Response {
  const url = new URL(response.headers.get('location') as string);
  change(url);
  return new Response(null, { status: 302, headers: { location: url.href } });
}

const flow = {
  redirectUri: 'http://127.0.0.1:8976/callback',
  redirect: headlessRedirect(),
  allowPrivateNetwork: true,
};

describe('authorization response validation (RFC 9207)', () => {
  it('refuses a response from the wrong issuer and never calls the token endpoint', async () => {
    const as = await startAs(async (r, next) => {
      const res = await next(r);
      return new URL(r.url).pathname === '/authorize'
        ? rewriteLocation(res, (u) => u.searchParams.set('iss', 'https://evil.example.com'))
        : res;
    });
    const mcp = await startProtectedMcp({ issuer: as.issuer });
    await expect(connectWithOAuth(mcp.url, flow)).rejects.toThrow(
      /issuer https:\/\/evil\.example\.com.*mix-up/,
    );
    expect(as.seen).toContain('/authorize');
    expect(as.seen).not.toContain('/token');
  });

  it('refuses a response without iss when the server advertises it', async () => {
    const as = await startAs(async (r, next) => {
      const res = await next(r);
      return new URL(r.url).pathname === '/authorize'
        ? rewriteLocation(res, (u) => u.searchParams.delete('iss'))
        : res;
    });
    const mcp = await startProtectedMcp({ issuer: as.issuer });
    await expect(connectWithOAuth(mcp.url, flow)).rejects.toThrow(/advertises the iss response parameter/);
    expect(as.seen).not.toContain('/token');
  });
});

describe('authorization server metadata', () => {
  it('refuses a server that does not advertise PKCE S256, before any authorization request', async () => {
    const as = await startAs(async (r, next) => {
      const res = await next(r);
      return new URL(r.url).pathname.startsWith('/.well-known/')
        ? rewriteJson(res, (m) => {
            delete m.code_challenge_methods_supported;
          })
        : res;
    });
    const mcp = await startProtectedMcp({ issuer: as.issuer });
    await expect(connectWithOAuth(mcp.url, flow)).rejects.toMatchObject({
      message: expect.stringMatching(/does not advertise PKCE with S256/),
    });
    expect(as.seen).not.toContain('/authorize');
  });

  it('discards metadata whose issuer differs from the identifier it was found from', async () => {
    const as = await startAs(async (r, next) => {
      const res = await next(r);
      return new URL(r.url).pathname.startsWith('/.well-known/')
        ? rewriteJson(res, (m) => {
            m.issuer = 'https://attacker.example.com';
          })
        : res;
    });
    const mcp = await startProtectedMcp({ issuer: as.issuer });
    await expect(connectWithOAuth(mcp.url, flow)).rejects.toThrow(
      /names issuer "https:\/\/attacker\.example\.com", not http:\/\/localhost/,
    );
    expect(as.seen.filter((p) => !p.startsWith('/.well-known/'))).toEqual([]);
  });

  it('refuses metadata at private addresses unless allowPrivateNetwork is set, sending nothing there', async () => {
    const as = await startAs();
    const mcp = await startProtectedMcp({ issuer: as.issuer });
    await expect(connectWithOAuth(mcp.url, { ...flow, allowPrivateNetwork: false })).rejects.toThrow(
      /Refusing authorization server metadata http:\/\/localhost:\d+\/\.well-known\/oauth-authorization-server: .*allowLoopback: true/,
    );
    expect(as.seen).toEqual([]);
  });
});

describe('resource metadata', () => {
  async function fakeResourceServer(prm: unknown) {
    const http = await serveHttp(
      async (r) => {
        if (new URL(r.url).pathname.startsWith('/.well-known/oauth-protected-resource'))
          return Response.json(prm);
        return new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer' } });
      },
      { port: 0 },
    );
    cleanup.push(() => http.close());
    return `http://localhost:${http.port}/mcp`;
  }

  it('stops before authorization when the metadata names another resource', async () => {
    const as = await startAs();
    const url = await fakeResourceServer({
      resource: 'https://evil.example.com/mcp',
      authorization_servers: [as.issuer],
    });
    await expect(connectWithOAuth(url, flow)).rejects.toThrow(
      /is for resource https:\/\/evil\.example\.com\/mcp, which is not the MCP server/,
    );
    expect(as.seen).toEqual([]);
  });

  it('names the document when the metadata is malformed', async () => {
    const url = await fakeResourceServer(['not', 'an', 'object']);
    await expect(connectWithOAuth(url, flow)).rejects.toThrow(
      /oauth-protected-resource\/mcp is not a JSON object/,
    );
  });
});

describe('registration and step-up', () => {
  it('reports a rejected Dynamic Client Registration with the server’s reason', async () => {
    const as = await startAs(async (r, next) =>
      new URL(r.url).pathname === '/register'
        ? Response.json(
            { error: 'invalid_redirect_uri', error_description: 'loopback not allowed' },
            { status: 400 },
          )
        : next(r),
    );
    const mcp = await startProtectedMcp({ issuer: as.issuer });
    await expect(connectWithOAuth(mcp.url, flow)).rejects.toThrow(
      /rejected Dynamic Client Registration with HTTP 400 \(invalid_redirect_uri: loopback not allowed\)/,
    );
  });

  it('gives up after three authorizations when the server keeps asking for more scope', async () => {
    const as = await startAs();
    const jwt = createJwtVerifier({ issuer: as.issuer, jwks: `${as.issuer}/jwks` });
    const mcp = await startProtectedMcp({
      issuer: as.issuer,
      verifier: { verify: async (t, c) => ({ ...(await jwt.verify(t, c)), scopes: ['mcp:read'] }) },
    });
    const { client } = await connectWithOAuth(mcp.url, flow);
    const errors: string[] = [];
    for (let i = 0; i < 4; i++) {
      errors.push(
        await client.callTool('write', {}).then(
          () => 'ok',
          (e: Error) => e.message,
        ),
      );
    }
    // One authorization at connect (followed by successful requests), then three step-ups, then none.
    expect(as.seen.filter((p) => p === '/authorize')).toHaveLength(4);
    expect(errors.slice(0, 3).every((e) => /HTTP 403/.test(e))).toBe(true);
    expect(errors[3]).toMatch(/Gave up after 3 authorizations/);
  });
});
