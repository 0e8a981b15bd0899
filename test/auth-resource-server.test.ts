/**
 * The resource-server side over real HTTP: Protected Resource Metadata, 401/403 challenges, JWT
 * verification against the dev server's JWKS (issuer, audience, expiry, signature), introspection,
 * session binding to the principal, and credentials stripped before the MCP handler runs.
 */
import { generateKeyPair, SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { parseWwwAuthenticate } from '../src/auth/challenge.ts';
import { createIntrospectionVerifier } from '../src/auth/introspection.ts';
import { closeAll, initializeRequest, mint, startDevAs, startProtectedMcp } from './auth-fixtures.ts';

afterEach(closeAll);

function challengeOf(response: Response) {
  return parseWwwAuthenticate(response.headers.get('www-authenticate'))[0];
}

async function callTool(url: string, token: string, session: string, name: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-session-id': session,
      'mcp-protocol-version': '2025-11-25',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name, arguments: {} } }),
  });
}

describe('Protected Resource Metadata and challenges', () => {
  it('serves the metadata at the path-specific and root well-known URLs, with CORS', async () => {
    const as = await startDevAs();
    const mcp = await startProtectedMcp({ issuer: as.issuer });
    const origin = new URL(mcp.url).origin;
    for (const path of [
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource',
    ]) {
      const res = await fetch(`${origin}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(await res.json()).toMatchObject({
        resource: mcp.url,
        authorization_servers: [as.issuer],
        scopes_supported: ['mcp:read'],
        bearer_methods_supported: ['header'],
      });
    }
  });

  it('answers a request without a token with 401, resource_metadata and scope', async () => {
    const as = await startDevAs();
    const mcp = await startProtectedMcp({ issuer: as.issuer });
    const res = await fetch(mcp.url, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(401);
    const challenge = challengeOf(res);
    expect(challenge?.scheme).toBe('bearer');
    expect(challenge?.params).toMatchObject({
      resource_metadata: `${new URL(mcp.url).origin}/.well-known/oauth-protected-resource/mcp`,
      scope: 'mcp:read',
    });
    expect(challenge?.params.error).toBeUndefined();
  });

  it('refuses a token in the query string with 400', async () => {
    const as = await startDevAs();
    const mcp = await startProtectedMcp({ issuer: as.issuer });
    const token = await mint(as, mcp.url, 'mcp:read');
    const res = await fetch(`${mcp.url}?access_token=${token}`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });
});

describe('JWT verification', () => {
  it('accepts a token for this server and rejects wrong audience, wrong issuer, expired and forged tokens with 401', async () => {
    const signingKey = await generateKeyPair('ES256', { extractable: true });
    const as = await startDevAs({ signingKey });
    const mcp = await startProtectedMcp({ issuer: as.issuer });
    expect((await initializeRequest(mcp.url, await mint(as, mcp.url, 'mcp:read'))).status).toBe(200);

    const wrongAudience = await mint(as, 'http://localhost:1/other', 'mcp:read');
    const expired = await mint(as, mcp.url, 'mcp:read', -120);
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ scope: 'mcp:read' })
      .setProtectedHeader({ alg: 'ES256', kid: (as.server.jwks.keys[0] as { kid: string }).kid })
      .setIssuer(as.issuer)
      .setAudience(mcp.url)
      .setExpirationTime('1h')
      .sign(privateKey);
    const other = await startDevAs({ signingKey });
    const wrongIssuer = await other.server.mintAccessToken({
      clientId: 'c',
      subject: 's',
      scope: 'mcp:read',
      resource: mcp.url,
    });
    const cases: [string, RegExp][] = [
      [wrongAudience, /audience/],
      [expired, /expired/],
      [forged, /not valid/],
      [wrongIssuer, /unexpected issuer/],
    ];
    for (const [token, why] of cases) {
      const res = await initializeRequest(mcp.url, token);
      expect(res.status).toBe(401);
      const challenge = challengeOf(res);
      expect(challenge?.params.error).toBe('invalid_token');
      expect(challenge?.params.error_description).toMatch(why);
      expect(challenge?.params.resource_metadata).toContain('/.well-known/oauth-protected-resource/mcp');
    }
  });

  it('answers a call without the needed scope with 403 insufficient_scope naming every scope it needs', async () => {
    const as = await startDevAs();
    const mcp = await startProtectedMcp({ issuer: as.issuer });
    const token = await mint(as, mcp.url, 'mcp:read');
    const init = await initializeRequest(mcp.url, token);
    const session = init.headers.get('mcp-session-id') as string;
    const res = await callTool(mcp.url, token, session, 'write');
    expect(res.status).toBe(403);
    expect(challengeOf(res)?.params).toMatchObject({
      error: 'insufficient_scope',
      scope: 'mcp:read mcp:write',
      resource_metadata: mcp.auth.metadataUrl,
    });
    const writer = await mint(as, mcp.url, 'mcp:read mcp:write');
    const ok = await callTool(
      mcp.url,
      writer,
      (await initializeRequest(mcp.url, writer)).headers.get('mcp-session-id') as string,
      'write',
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('written');
  });
});

describe('sessions and credentials', () => {
  it('refuses a session id presented with another principal’s token', async () => {
    const as = await startDevAs();
    const mcp = await startProtectedMcp({ issuer: as.issuer });
    const alice = await mint(as, mcp.url, 'mcp:read');
    const session = (await initializeRequest(mcp.url, alice)).headers.get('mcp-session-id') as string;
    const bob = await as.server.mintAccessToken({
      clientId: 'test-client',
      subject: 'bob',
      scope: 'mcp:read',
      resource: mcp.url,
    });
    const stolen = await callTool(mcp.url, bob, session, 'whoami');
    expect(stolen.status).toBe(403);
    expect(await stolen.text()).toContain('another principal');
    const own = await callTool(mcp.url, alice, session, 'whoami');
    expect(own.status).toBe(200);
  });

  it('never lets the client’s token reach the MCP handler', async () => {
    const as = await startDevAs();
    const mcp = await startProtectedMcp({ issuer: as.issuer });
    const token = await mint(as, mcp.url, 'mcp:read');
    const session = (await initializeRequest(mcp.url, token)).headers.get('mcp-session-id') as string;
    const res = await callTool(mcp.url, token, session, 'whoami');
    expect(await res.text()).toContain('hello');
    expect(mcp.seenAuthorization).toEqual([null]);
  });
});

describe('introspection (RFC 7662)', () => {
  it('accepts active tokens for this server and rejects other audiences', async () => {
    const as = await startDevAs();
    const rs = as.server.addClient({
      client_secret: 'rs-secret',
      token_endpoint_auth_method: 'client_secret_basic',
    });
    const verifier = createIntrospectionVerifier({
      endpoint: `${as.issuer}/introspect`,
      issuer: as.issuer,
      clientId: rs.client_id,
      clientSecret: 'rs-secret',
    });
    const mcp = await startProtectedMcp({ issuer: as.issuer, verifier });
    expect((await initializeRequest(mcp.url, await mint(as, mcp.url, 'mcp:read'))).status).toBe(200);
    const res = await initializeRequest(mcp.url, await mint(as, 'https://elsewhere.example/mcp', 'mcp:read'));
    expect(res.status).toBe(401);
    expect(challengeOf(res)?.params.error_description).toMatch(/not issued for this server/);
    const garbage = await initializeRequest(mcp.url, 'not-a-token');
    expect(challengeOf(garbage)?.params.error_description).toMatch(/not active/);
  });
});
