/**
 * End to end with the development authorization server: Dynamic Client Registration, authorization
 * with PKCE, the token request, a protected MCP call, refresh with rotation, step-up, a file token
 * store, the loopback browser flow, DPoP, client credentials, Client ID Metadata Documents, and the
 * server's own refusals. Everything runs over real HTTP on 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculatePKCECodeChallenge, generateRandomCodeVerifier } from 'oauth4webapi';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuthorizationRedirect } from '../src/auth/authorization.ts';
import { headlessRedirect } from '../src/auth/headless.ts';
import { serveHttp } from '../src/node/http.ts';
import { createLoopbackRedirect, FileTokenStore } from '../src/node/oauth-loopback.ts';
import {
  cleanup,
  closeAll,
  connectWithOAuth,
  initializeRequest,
  startDevAs,
  startProtectedMcp,
} from './auth-fixtures.ts';

afterEach(closeAll);

function counting(inner: AuthorizationRedirect): AuthorizationRedirect & { calls: number } {
  const wrapped = Object.assign(
    async (url: URL) => {
      wrapped.calls++;
      return inner(url);
    },
    { calls: 0 },
  );
  return wrapped;
}

const REDIRECT_URI = 'http://127.0.0.1:8977/callback';

describe('the full flow', () => {
  it('registers, authorizes with PKCE, calls the MCP server, refreshes with rotation, in a 0600 token file', async () => {
    const as = await startDevAs();
    const mcp = await startProtectedMcp({ issuer: as.issuer });
    const dir = await mkdtemp(join(tmpdir(), 'mcpkit-auth-'));
    const file = join(dir, 'nested', 'tokens.json');
    const redirect = counting(headlessRedirect());
    const { client, oauth } = await connectWithOAuth(mcp.url, {
      redirectUri: REDIRECT_URI,
      redirect,
      allowPrivateNetwork: true,
      store: new FileTokenStore(file),
    });
    expect(await client.callTool('whoami', {})).toMatchObject({ content: [{ type: 'text', text: 'hello' }] });
    expect(redirect.calls).toBe(1);

    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(file, 'utf8'));
    const tokens = saved.tokens[mcp.url];
    expect(tokens).toMatchObject({
      tokenType: 'bearer',
      issuer: as.issuer,
      resource: mcp.url,
      scope: 'mcp:read offline_access',
    });
    const registered = saved.clients[as.issuer];
    expect(registered.clientId).toMatch(/^dev-/);

    expect(await oauth.refresh()).toBe(true);
    const after = await oauth.tokens();
    expect(after?.accessToken).not.toBe(tokens.accessToken);
    expect(after?.refreshToken).not.toBe(tokens.refreshToken);
    expect(await client.callTool('whoami', {})).toMatchObject({ content: [{ text: 'hello' }] });
    const reuse = await fetch(`${as.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens.refreshToken,
        client_id: registered.clientId,
      }),
    });
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toMatchObject({ error: 'invalid_grant' });
    expect(redirect.calls).toBe(1);
  });

  it('refreshes instead of re-authorizing when the server rejects the stored access token', async () => {
    const as = await startDevAs();
    const mcp = await startProtectedMcp({ issuer: as.issuer });
    const store = new FileTokenStore(join(await mkdtemp(join(tmpdir(), 'mcpkit-auth-')), 't.json'));
    const first = await connectWithOAuth(mcp.url, {
      redirectUri: REDIRECT_URI,
      redirect: headlessRedirect(),
      allowPrivateNetwork: true,
      store,
    });
    const held = (await first.oauth.tokens()) as NonNullable<Awaited<ReturnType<typeof first.oauth.tokens>>>;
    await store.setTokens(new URL(mcp.url).href, { ...held, accessToken: 'revoked-token' });
    const redirect = counting(headlessRedirect());
    const second = await connectWithOAuth(mcp.url, {
      redirectUri: REDIRECT_URI,
      redirect,
      allowPrivateNetwork: true,
      store,
    });
    expect(await second.client.callTool('whoami', {})).toMatchObject({ content: [{ text: 'hello' }] });
    expect(redirect.calls).toBe(0);
    expect((await second.oauth.tokens())?.accessToken).not.toBe('revoked-token');
  });

  it('steps up on 403 with the union of the scopes, then succeeds', async () => {
    const as = await startDevAs();
    const mcp = await startProtectedMcp({ issuer: as.issuer });
    const redirect = counting(headlessRedirect());
    const { client, oauth } = await connectWithOAuth(mcp.url, {
      redirectUri: REDIRECT_URI,
      redirect,
      allowPrivateNetwork: true,
    });
    expect(await client.callTool('write', {})).toMatchObject({ content: [{ text: 'written' }] });
    expect(redirect.calls).toBe(2);
    expect((await oauth.tokens())?.scope?.split(' ').sort()).toEqual([
      'mcp:read',
      'mcp:write',
      'offline_access',
    ]);
  });

  it('runs the browser flow through a loopback redirect', async () => {
    const as = await startDevAs();
    const mcp = await startProtectedMcp({ issuer: as.issuer });
    const opened: string[] = [];
    const loopback = await createLoopbackRedirect({
      open: async (url) => {
        opened.push(url);
        const page = await fetch(url);
        expect(page.headers.get('content-security-policy')).toBe("default-src 'none'");
      },
    });
    cleanup.push(() => loopback.close());
    expect(loopback.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const { client } = await connectWithOAuth(mcp.url, {
      redirectUri: loopback.redirectUri,
      redirect: loopback.redirect,
      allowPrivateNetwork: true,
    });
    expect(await client.callTool('whoami', {})).toMatchObject({ content: [{ text: 'hello' }] });
    expect(opened).toHaveLength(1);
    expect(new URL(opened[0] as string).searchParams.get('resource')).toBe(mcp.url);
  });

  it('binds tokens to a DPoP key: calls carry proofs, and the token alone is refused', async () => {
    const as = await startDevAs();
    const mcp = await startProtectedMcp({ issuer: as.issuer });
    const { client, oauth } = await connectWithOAuth(mcp.url, {
      redirectUri: REDIRECT_URI,
      redirect: headlessRedirect(),
      allowPrivateNetwork: true,
      dpop: true,
    });
    expect(await client.callTool('whoami', {})).toMatchObject({ content: [{ text: 'hello' }] });
    const tokens = await oauth.tokens();
    expect(tokens?.tokenType).toBe('dpop');
    const stolen = await initializeRequest(mcp.url, tokens?.accessToken as string);
    expect(stolen.status).toBe(401);
    expect(stolen.headers.get('www-authenticate')).toMatch(/^DPoP .*DPoP-bound/);
  });

  it('uses client credentials for a confidential pre-registered client', async () => {
    const as = await startDevAs();
    const mcp = await startProtectedMcp({ issuer: as.issuer });
    as.server.addClient({ client_id: 'robot', client_secret: 's3cret', grant_types: ['client_credentials'] });
    const { client, oauth } = await connectWithOAuth(mcp.url, {
      grant: { type: 'client_credentials' },
      preRegistered: { clientId: 'robot', clientSecret: 's3cret', issuer: as.issuer },
      allowPrivateNetwork: true,
    });
    expect(await client.callTool('whoami', {})).toMatchObject({ content: [{ text: 'hello' }] });
    expect((await oauth.tokens())?.refreshToken).toBeUndefined();
  });
});

describe('the development authorization server', () => {
  async function authorizeUrl(issuer: string, params: Record<string, string>): Promise<Response> {
    return fetch(`${issuer}/authorize?${new URLSearchParams(params)}`, { redirect: 'manual' });
  }

  it('accepts a Client ID Metadata Document client and issues tokens with no-store', async () => {
    const docServer = await serveHttp(async () => Response.json(doc), { port: 0 });
    cleanup.push(() => docServer.close());
    const clientId = `http://localhost:${docServer.port}/client.json`;
    const doc = {
      client_id: clientId,
      client_name: 'Doc client',
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code'],
    };
    const as = await startDevAs();
    const verifier = generateRandomCodeVerifier();
    const res = await authorizeUrl(as.issuer, {
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT_URI,
      code_challenge: await calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 'xyz',
      resource: 'http://localhost:1/mcp',
    });
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get('location') as string);
    expect(back.searchParams.get('iss')).toBe(as.issuer);
    expect(back.searchParams.get('state')).toBe('xyz');
    const tokenRes = await fetch(`${as.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: back.searchParams.get('code') as string,
        code_verifier: verifier,
        redirect_uri: REDIRECT_URI,
        client_id: clientId,
        resource: 'http://localhost:1/mcp',
      }),
    });
    expect(tokenRes.status).toBe(200);
    expect(tokenRes.headers.get('cache-control')).toBe('no-store');
    expect(await tokenRes.json()).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
  });

  it('refuses client metadata on loopback by default, mismatched documents, and unregistered redirect URIs', async () => {
    const docServer = await serveHttp(
      async () =>
        Response.json({
          client_id: 'https://other.example/c.json',
          client_name: 'x',
          redirect_uris: [REDIRECT_URI],
        }),
      { port: 0 },
    );
    cleanup.push(() => docServer.close());
    const clientId = `http://localhost:${docServer.port}/client.json`;
    const strict = await startDevAs({ allowPrivateClientMetadata: false });
    const base = {
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT_URI,
      code_challenge: 'a'.repeat(43),
      code_challenge_method: 'S256',
    };
    const refused = await authorizeUrl(strict.issuer, base);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/must use https/);
    const lenient = await startDevAs();
    const mismatch = await authorizeUrl(lenient.issuer, base);
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toMatch(/client_id "https:\/\/other\.example\/c\.json" is not its URL/);
    const registered = lenient.server.addClient({ redirect_uris: [REDIRECT_URI] });
    const wrongRedirect = await authorizeUrl(lenient.issuer, {
      ...base,
      client_id: registered.client_id,
      redirect_uri: 'http://127.0.0.1:1/evil',
    });
    expect(wrongRedirect.status).toBe(400);
    expect(wrongRedirect.headers.get('location')).toBeNull();
  });

  it('sends errors back to the client for requests without PKCE, and refuses unsafe redirect URIs at registration', async () => {
    const as = await startDevAs();
    const client = as.server.addClient({ redirect_uris: [REDIRECT_URI] });
    const noPkce = await authorizeUrl(as.issuer, {
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: REDIRECT_URI,
      state: 's',
    });
    expect(noPkce.status).toBe(302);
    const back = new URL(noPkce.headers.get('location') as string);
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('iss')).toBe(as.issuer);
    const unsafe = await fetch(`${as.issuer}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: ['http://evil.example/cb'], token_endpoint_auth_method: 'none' }),
    });
    expect(unsafe.status).toBe(400);
    expect(await unsafe.json()).toMatchObject({ error: 'invalid_redirect_uri' });
  });

  it('starts from the command line with the issuer http://localhost:<PORT>', async () => {
    const child = spawn(process.execPath, ['src/node/auth-server-main.ts'], {
      env: { ...process.env, PORT: '0' },
    });
    cleanup.push(async () => {
      child.kill();
    });
    const issuer = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const found = /issuer: +(http:\/\/localhost:\d+)/.exec(out);
        if (found) resolve(found[1] as string);
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
    });
    const metadata = await (await fetch(`${issuer}/.well-known/oauth-authorization-server`)).json();
    expect(metadata).toMatchObject({
      issuer,
      code_challenge_methods_supported: ['S256'],
      client_id_metadata_document_supported: true,
    });
  });
});
