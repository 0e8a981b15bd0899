/**
 * The official TypeScript SDK client (1.32.2) completes the OAuth flow against the protected
 * reference server behind the development authorization server, over real sockets: 401, discovery,
 * Dynamic Client Registration, authorization (approved headlessly: the authorization URL is fetched
 * without following the redirect and the code read from Location), token, then tools/list, and the
 * step-up to `mcp:write` that tools/call needs. Streamable HTTP and the 2024-11-05 HTTP+SSE transport.
 */
import { createServer } from 'node:net';
import { auth, type OAuthClientProvider, UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type RunningAuthServer,
  type RunningProtectedServer,
  startAuthServer,
  startProtectedReferenceServer,
} from '../src/node/auth-server.ts';

const REDIRECT = 'http://127.0.0.1:1/callback';

/** An in-memory OAuthClientProvider whose "browser" is a fetch that does not follow the redirect. */
class HeadlessProvider implements OAuthClientProvider {
  readonly authorizationUrls: URL[] = [];
  readonly redirects: URL[] = [];
  private client: OAuthClientInformationMixed | undefined;
  private saved: OAuthTokens | undefined;
  private verifier = '';
  private lastCode: string | undefined;

  get redirectUrl(): string {
    return REDIRECT;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'official SDK client',
      redirect_uris: [REDIRECT],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  state(): string {
    return `state-${this.authorizationUrls.length}`;
  }
  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.client;
  }
  saveClientInformation(info: OAuthClientInformationMixed): void {
    this.client = info;
  }
  tokens(): OAuthTokens | undefined {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens): void {
    this.saved = tokens;
  }
  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }
  codeVerifier(): string {
    return this.verifier;
  }
  /** Plays the user agent: the development server approves at once and redirects with the code. */
  async redirectToAuthorization(url: URL): Promise<void> {
    this.authorizationUrls.push(url);
    const response = await fetch(url, { redirect: 'manual' });
    await response.body?.cancel();
    const location = response.headers.get('location');
    if (response.status !== 302 || location === null)
      throw new Error(`authorization answered ${response.status}`);
    const back = new URL(location);
    this.redirects.push(back);
    this.lastCode = back.searchParams.get('code') ?? undefined;
  }
  /** The code of the last approval, once. */
  takeCode(): string {
    const code = this.lastCode;
    this.lastCode = undefined;
    if (code === undefined) throw new Error('no authorization code was received');
    return code;
  }
}

/** A fetch that records `METHOD path status` of every request the SDK makes (and every challenge). */
function recordingFetch(log: string[], challenges: string[] = []): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const response = await fetch(request);
    log.push(`${request.method} ${new URL(request.url).pathname} ${response.status}`);
    const challenge = response.headers.get('www-authenticate');
    if (challenge !== null) challenges.push(challenge);
    return response;
  };
}

/** A port nothing listens on right now, on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** The scopes the bearer token grants, read from its JWT payload. */
function scopesOf(tokens: OAuthTokens | undefined): string[] {
  const payload = tokens?.access_token.split('.')[1] ?? '';
  const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { scope?: string };
  return (claims.scope ?? '').split(' ').filter((s) => s !== '');
}

let as: RunningAuthServer;
let mcp: RunningProtectedServer | undefined;

beforeEach(async () => {
  as = await startAuthServer({ port: 0 });
});
afterEach(async () => {
  await mcp?.close();
  mcp = undefined;
  await as.close();
});

describe('official SDK client against the protected reference server', () => {
  it('Streamable HTTP: 401, discovery, registration, authorization, token, tools/list, step-up, tools/call', async () => {
    const server = await startProtectedReferenceServer({ issuer: as.issuer, port: 0 });
    mcp = server;
    const provider = new HeadlessProvider();
    const log: string[] = [];
    const client = new Client({ name: 'sdk-oauth', version: '1.0.0' });
    const first = new StreamableHTTPClientTransport(new URL('/mcp', server.resource), {
      authProvider: provider,
      fetch: recordingFetch(log),
    });
    await expect(client.connect(first)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(log).toEqual([
      'POST /mcp 401',
      'GET /.well-known/oauth-protected-resource 200',
      'GET /.well-known/oauth-authorization-server 200',
      'POST /register 201',
    ]);
    const registered = provider.clientInformation();
    expect(registered?.client_id).toMatch(/^dev-/);

    const asked = provider.authorizationUrls[0] as URL;
    expect(asked.origin + asked.pathname).toBe(`${as.issuer}/authorize`);
    expect(Object.fromEntries(asked.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: registered?.client_id,
      redirect_uri: REDIRECT,
      code_challenge_method: 'S256',
      scope: 'mcp:read',
      resource: server.resource,
      state: 'state-0',
    });
    const back = provider.redirects[0] as URL;
    expect(back.origin + back.pathname).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('state-0');
    expect(back.searchParams.get('iss')).toBe(as.issuer);
    expect(back.searchParams.get('error')).toBeNull();

    await first.finishAuth(provider.takeCode());
    expect(log.at(-1)).toBe('POST /token 200');
    expect(provider.tokens()?.token_type).toMatch(/^bearer$/i);
    expect(scopesOf(provider.tokens())).toEqual(['mcp:read']);

    const transport = new StreamableHTTPClientTransport(new URL('/mcp', server.resource), {
      authProvider: provider,
      fetch: recordingFetch(log),
    });
    await client.connect(transport);
    expect(client.getServerVersion()?.name).toBe('mcpkit-reference-server');
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toContain('test_simple_text');

    // tools/call needs mcp:write: the server answers 403 insufficient_scope, the SDK asks again.
    const before = log.length;
    await expect(client.callTool({ name: 'test_simple_text', arguments: {} })).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
    expect(log.slice(before)).toContain('POST /mcp 403');
    const stepUp = provider.authorizationUrls[1] as URL;
    expect(stepUp.searchParams.get('scope')?.split(' ').sort()).toEqual(['mcp:read', 'mcp:write']);
    expect(stepUp.searchParams.get('resource')).toBe(server.resource);
    await transport.finishAuth(provider.takeCode());
    expect(scopesOf(provider.tokens()).sort()).toEqual(['mcp:read', 'mcp:write']);

    const result = await client.callTool({ name: 'test_simple_text', arguments: {} });
    expect(result.content).toEqual([{ type: 'text', text: 'This is a simple text response for testing.' }]);
    // Only one registration in the whole flow; the session survived the step-up.
    expect(log.filter((l) => l.startsWith('POST /register'))).toHaveLength(1);
    expect(transport.sessionId).toBeDefined();
    await client.close();
  });

  it('HTTP+SSE (2024-11-05): the same flow; the step-up after 403 is driven with the SDK’s auth()', async () => {
    // The SDK checks that the resource covers the URL it connected to (/sse): the server's default
    // resource is its origin, under which /sse, /messages and /mcp all lie.
    const port = await freePort();
    const server = await startProtectedReferenceServer({ issuer: as.issuer, port });
    mcp = server;
    const sseUrl = new URL(`http://localhost:${port}/sse`);
    const provider = new HeadlessProvider();
    const log: string[] = [];
    const challenges: string[] = [];
    const options = { authProvider: provider, fetch: recordingFetch(log, challenges) };

    const first = new SSEClientTransport(sseUrl, options);
    await expect(new Client({ name: 'sdk-oauth', version: '1.0.0' }).connect(first)).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
    expect(log).toEqual([
      'GET /sse 401',
      'GET /.well-known/oauth-protected-resource 200',
      'GET /.well-known/oauth-authorization-server 200',
      'POST /register 201',
    ]);
    const asked = provider.authorizationUrls[0] as URL;
    expect(asked.searchParams.get('scope')).toBe('mcp:read');
    expect(asked.searchParams.get('resource')).toBe(server.resource);
    expect(provider.redirects[0]?.searchParams.get('iss')).toBe(as.issuer);
    await first.finishAuth(provider.takeCode());
    expect(log.at(-1)).toBe('POST /token 200');

    const client = new Client({ name: 'sdk-oauth', version: '1.0.0' });
    const transport = new SSEClientTransport(sseUrl, options);
    await client.connect(transport);
    expect(log).toContain('GET /sse 200');
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toContain('test_simple_text');

    // The SSE transport does not step up by itself: the 403 reaches the caller.
    await expect(client.callTool({ name: 'test_simple_text', arguments: {} })).rejects.toThrow(
      /HTTP 403.*insufficient_scope/,
    );
    expect(log.at(-1)).toBe('POST /messages 403');
    const challenge = challenges.at(-1) ?? '';
    expect(challenge).toMatch(/error="insufficient_scope"/);
    const scope = /scope="([^"]*)"/.exec(challenge)?.[1];
    const metadataUrl = /resource_metadata="([^"]*)"/.exec(challenge)?.[1] as string;
    expect(scope?.split(' ').sort()).toEqual(['mcp:read', 'mcp:write']);
    const step = await auth(provider, {
      serverUrl: sseUrl,
      scope,
      resourceMetadataUrl: new URL(metadataUrl),
      fetchFn: options.fetch,
    });
    expect(step).toBe('REDIRECT');
    await transport.finishAuth(provider.takeCode());
    expect(scopesOf(provider.tokens()).sort()).toEqual(['mcp:read', 'mcp:write']);

    // Same SSE session, new token: the call goes through.
    const result = await client.callTool({ name: 'test_simple_text', arguments: {} });
    expect(result.content).toEqual([{ type: 'text', text: 'This is a simple text response for testing.' }]);
    expect(log.filter((l) => l.startsWith('POST /register'))).toHaveLength(1);
    expect(log.filter((l) => l.startsWith('GET /sse 200'))).toHaveLength(1);
    await client.close();
  });
});
