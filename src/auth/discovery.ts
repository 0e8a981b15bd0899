/**
 * Discovery, in the spec's order: the Protected Resource Metadata named by the challenge, else at the
 * path-specific then root well-known URL; then the authorization server metadata (RFC 8414, then
 * OpenID Connect), whose `issuer` must equal the identifier it was found from; and the 2025-03-26
 * fallbacks (metadata at the MCP server's origin, whose `issuer` must be that origin, else default
 * endpoints there). Every URL passes the network guard before it is fetched.
 */
import type * as oauth from 'oauth4webapi';
import { OAuthFlowError } from './errors.ts';
import { assertSafeScheme, assertSafeUrl, type NetworkPolicy } from './network-guard.ts';
import {
  authorizationServerMetadataUrls,
  protectedResourceMetadataUrls,
  resourceMatches,
} from './resource-uri.ts';

/** The fetch function the client flows use. */
export type OAuthFetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** What discovery needs: the MCP server, how to fetch, and the network policy. */
export interface DiscoveryContext {
  /** The MCP endpoint. */
  serverUrl: URL;
  /** The fetch to use. */
  fetch: OAuthFetch;
  /** The SSRF policy for URLs learned from the network. */
  policy: NetworkPolicy;
  /** Sent as `MCP-Protocol-Version` on metadata requests, when known. */
  protocolVersion?: string;
  /** Accept a `resource` in Protected Resource Metadata that is any parent path of the server (default false). */
  allowParentResource?: boolean;
}

/** Protected Resource Metadata as a client reads it. */
export interface ResourceMetadata {
  resource: string;
  authorization_servers: string[];
  scopes_supported?: string[];
  [field: string]: unknown;
}

/**
 * Refuses a URL learned from the network unless it passes the guard: https (or loopback http) and no
 * credentials always; the address check is skipped only on the MCP server's own origin, which the
 * user chose.
 */
export async function vetUrl(ctx: DiscoveryContext, url: URL, what: string): Promise<void> {
  if (url.origin === ctx.serverUrl.origin) assertSafeScheme(url, what);
  else await assertSafeUrl(url, what, ctx.policy);
}

/**
 * Checks an authorization server identifier named by metadata (RFC 8414 §2): an absolute https URL
 * (http on localhost) without credentials, query or fragment.
 */
export function checkIssuerIdentifier(issuer: string, where: string): URL {
  const url = URL.canParse(issuer) ? new URL(issuer) : undefined;
  if (url === undefined || url.search !== '' || url.hash !== '' || /[?#]/.test(issuer)) {
    throw new OAuthFlowError(
      'invalid_metadata',
      `The authorization server ${JSON.stringify(issuer)} named by ${where} is not a valid issuer identifier (an absolute https URL without query or fragment).`,
    );
  }
  assertSafeScheme(url, `the authorization server named by ${where}`);
  return url;
}

interface Fetched {
  status: number;
  json?: Record<string, unknown>;
}

async function getJson(ctx: DiscoveryContext, url: URL, what: string): Promise<Fetched> {
  await vetUrl(ctx, url, what);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (ctx.protocolVersion) headers['mcp-protocol-version'] = ctx.protocolVersion;
  const response = await ctx.fetch(url, { method: 'GET', headers, redirect: 'manual' });
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => {});
    return { status: response.status };
  }
  let json: unknown;
  try {
    json = JSON.parse(await response.text());
  } catch {
    throw new OAuthFlowError('invalid_metadata', `The ${what} at ${url.href} is not valid JSON.`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new OAuthFlowError('invalid_metadata', `The ${what} at ${url.href} is not a JSON object.`);
  }
  return { status: 200, json: json as Record<string, unknown> };
}

/**
 * Finds the Protected Resource Metadata: at `challengeUrl` only when the challenge named one, else
 * at the well-known URLs. Undefined when none exists (a 2025-03-26 server).
 */
export async function discoverResourceMetadata(
  ctx: DiscoveryContext,
  challengeUrl: string | undefined,
): Promise<{ metadata: ResourceMetadata; url: string } | undefined> {
  if (challengeUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(challengeUrl);
    } catch {
      throw new OAuthFlowError(
        'invalid_metadata',
        `The challenge's resource_metadata ${challengeUrl} is not an absolute URL.`,
      );
    }
    const got = await getJson(ctx, url, 'protected resource metadata');
    if (!got.json) {
      throw new OAuthFlowError(
        'metadata_not_found',
        `The protected resource metadata named by the server's challenge, ${url.href}, answered HTTP ${got.status}.`,
      );
    }
    return { metadata: checkResourceMetadata(ctx, got.json, url), url: url.href };
  }
  for (const url of protectedResourceMetadataUrls(ctx.serverUrl)) {
    const got = await getJson(ctx, url, 'protected resource metadata');
    if (got.json) return { metadata: checkResourceMetadata(ctx, got.json, url), url: url.href };
  }
  return undefined;
}

function checkResourceMetadata(
  ctx: DiscoveryContext,
  json: Record<string, unknown>,
  url: URL,
): ResourceMetadata {
  const { resource, authorization_servers: servers, scopes_supported: scopes } = json;
  if (typeof resource !== 'string' || resource === '') {
    throw new OAuthFlowError(
      'invalid_metadata',
      `The protected resource metadata at ${url.href} has no "resource".`,
    );
  }
  if (!resourceMatches(resource, ctx.serverUrl, url, ctx.allowParentResource)) {
    throw new OAuthFlowError(
      'resource_mismatch',
      `The protected resource metadata at ${url.href} is for resource ${resource}, which is not the MCP server ${ctx.serverUrl.href} (RFC 9728 §3.3 asks for the identical identifier; a parent path is accepted only from its own well-known URL, or with allowParentResource: true); refusing to get a token for it.`,
    );
  }
  if (
    !Array.isArray(servers) ||
    servers.length === 0 ||
    !servers.every((s) => typeof s === 'string' && URL.canParse(s))
  ) {
    throw new OAuthFlowError(
      'invalid_metadata',
      `The protected resource metadata at ${url.href} must list "authorization_servers" (absolute URLs).`,
    );
  }
  for (const server of servers)
    checkIssuerIdentifier(server, `the protected resource metadata at ${url.href}`);
  if (scopes !== undefined && !(Array.isArray(scopes) && scopes.every((s) => typeof s === 'string'))) {
    throw new OAuthFlowError(
      'invalid_metadata',
      `The "scopes_supported" of ${url.href} must be a list of strings.`,
    );
  }
  return json as ResourceMetadata;
}

/** Fetches and validates the metadata of the authorization server `issuer`, trying each well-known URL in turn. */
export async function discoverAuthorizationServer(
  ctx: DiscoveryContext,
  issuer: string,
): Promise<oauth.AuthorizationServer> {
  checkIssuerIdentifier(issuer, 'the MCP server');
  const tried: string[] = [];
  for (const url of authorizationServerMetadataUrls(issuer)) {
    const got = await getJson(ctx, url, 'authorization server metadata');
    if (!got.json) {
      tried.push(`${url.href} (HTTP ${got.status})`);
      continue;
    }
    if (got.json.issuer !== issuer) {
      throw new OAuthFlowError(
        'issuer_mismatch',
        `The authorization server metadata at ${url.href} names issuer ${JSON.stringify(got.json.issuer)}, not ${issuer}; it is not used.`,
      );
    }
    return checkEndpoints(got.json, url);
  }
  throw new OAuthFlowError(
    'metadata_not_found',
    `No authorization server metadata was found for ${issuer}; tried ${tried.join(', ')}.`,
  );
}

function checkEndpoints(json: Record<string, unknown>, url: URL): oauth.AuthorizationServer {
  for (const field of ['authorization_endpoint', 'token_endpoint', 'registration_endpoint']) {
    const value = json[field];
    if (value !== undefined && (typeof value !== 'string' || !URL.canParse(value))) {
      throw new OAuthFlowError('invalid_metadata', `The "${field}" in ${url.href} is not an absolute URL.`);
    }
  }
  if (typeof json.token_endpoint !== 'string') {
    throw new OAuthFlowError(
      'invalid_metadata',
      `The authorization server metadata at ${url.href} has no "token_endpoint".`,
    );
  }
  return json as oauth.AuthorizationServer;
}

/**
 * The 2025-03-26 fallback for servers without Protected Resource Metadata: the authorization server
 * is the MCP server's origin; its RFC 8414 metadata if it has some (whose `issuer` must be that
 * origin, RFC 8414 §3.3: metadata naming another issuer would draw that issuer's client credentials
 * to endpoints of this server's choosing), else `/authorize`, `/token` and `/register` there.
 */
export async function legacyAuthorizationServer(ctx: DiscoveryContext): Promise<oauth.AuthorizationServer> {
  const origin = ctx.serverUrl.origin;
  const url = new URL('/.well-known/oauth-authorization-server', origin);
  const got = await getJson(ctx, url, 'authorization server metadata');
  if (got.json) {
    const issuer = got.json.issuer;
    if (issuer !== origin) {
      throw new OAuthFlowError(
        'issuer_mismatch',
        `The authorization server metadata at ${url.href} names issuer ${JSON.stringify(issuer)}, not ${origin}, the MCP server's origin it was found from (RFC 8414 §3.3); it is not used.`,
      );
    }
    return checkEndpoints(got.json, url);
  }
  return {
    issuer: origin,
    authorization_endpoint: `${origin}/authorize`,
    token_endpoint: `${origin}/token`,
    registration_endpoint: `${origin}/register`,
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
  };
}
