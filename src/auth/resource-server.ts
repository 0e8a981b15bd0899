/**
 * The resource-server side of MCP authorization as small web-standard pieces: Protected Resource
 * Metadata (RFC 9728) at its well-known paths, bearer (and DPoP) authentication with 401 challenges
 * that point at the metadata, and per-request scope checks answered with 403 `insufficient_scope`.
 */
import type { AuthInfo } from '../rpc/index.ts';
import { formatChallenge } from './challenge.ts';
import { DPOP_ALGORITHMS, DpopProofError, DpopVerifier } from './dpop-proof.ts';
import { canonicalResourceUri, protectedResourceMetadataPath } from './resource-uri.ts';
import { missingScopes } from './scopes.ts';
import { InvalidTokenError, type TokenVerifier } from './verifier.ts';

/** Options of `createResourceServerAuth`. */
export interface ResourceServerAuthOptions {
  /** This MCP server's canonical URI, e.g. `https://mcp.example.com/mcp`: the audience tokens must name. */
  resource: string;
  /** The authorization servers (issuer identifiers) clients may get tokens from. */
  authorizationServers: readonly string[];
  /** Verifies presented tokens. */
  verifier: TokenVerifier;
  /** Scopes published in the metadata: the minimal set for basic use (never `offline_access`). */
  scopesSupported?: readonly string[];
  /** Scopes named in 401 challenges (default: `scopesSupported`). */
  challengeScopes?: readonly string[];
  /** Scopes one request needs, from its JSON-RPC method and params (step-up answers 403 when missing). */
  requiredScopes?: (method: string, params: unknown) => readonly string[];
  /** Broad scopes and the narrower ones they imply, e.g. `{ 'mcp:write': ['mcp:read'] }`. */
  scopeHierarchy?: Readonly<Record<string, readonly string[]>>;
  /** A human-readable name for the metadata. */
  resourceName?: string;
  /** A documentation URL for the metadata. */
  resourceDocumentation?: string;
  /** Also answer the root `/.well-known/oauth-protected-resource` (default true). */
  serveRootMetadata?: boolean;
  /** Accept DPoP-bound tokens with `Authorization: DPoP` and a proof (default true). */
  dpop?: boolean;
}

/** The Protected Resource Metadata document (RFC 9728 §2). */
export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers: string[];
  scopes_supported?: string[];
  bearer_methods_supported: string[];
  resource_name?: string;
  resource_documentation?: string;
  dpop_signing_alg_values_supported?: string[];
  [field: string]: unknown;
}

/** The pieces an HTTP handler calls: see `createResourceServerAuth`. */
export interface ResourceServerAuth {
  /** The canonical resource URI. */
  readonly resource: string;
  /** The URL of the metadata document (sent as `resource_metadata` in challenges). */
  readonly metadataUrl: string;
  /** The metadata document. */
  readonly metadata: ProtectedResourceMetadata;
  /** Answers a request for the metadata at its well-known paths; undefined for any other path. */
  metadataResponse(request: Request): Response | undefined;
  /** Authenticates a request: the principal, or the 400/401/503 response to send instead. */
  authenticate(request: Request): Promise<{ auth: AuthInfo } | { response: Response }>;
  /** The 403 `insufficient_scope` response when `auth` lacks scopes this request needs; else undefined. */
  checkScopes(auth: AuthInfo, method: string, params: unknown): Response | undefined;
}

const ROOT_PRM = '/.well-known/oauth-protected-resource';

/** Builds the resource-server pieces for one MCP endpoint. */
export function createResourceServerAuth(options: ResourceServerAuthOptions): ResourceServerAuth {
  const resource = canonicalResourceUri(options.resource);
  if (options.authorizationServers.length === 0) {
    throw new TypeError('createResourceServerAuth needs at least one authorization server.');
  }
  const origin = new URL(resource).origin;
  const metadataPath = protectedResourceMetadataPath(resource);
  const metadataUrl = `${origin}${metadataPath}`;
  const dpopEnabled = options.dpop !== false;
  const metadata: ProtectedResourceMetadata = {
    resource,
    authorization_servers: [...options.authorizationServers],
    bearer_methods_supported: ['header'],
  };
  if (options.scopesSupported) metadata.scopes_supported = [...options.scopesSupported];
  if (options.resourceName) metadata.resource_name = options.resourceName;
  if (options.resourceDocumentation) metadata.resource_documentation = options.resourceDocumentation;
  if (dpopEnabled) metadata.dpop_signing_alg_values_supported = [...DPOP_ALGORITHMS];
  const body = JSON.stringify(metadata);
  const challengeScopes = (options.challengeScopes ?? options.scopesSupported ?? []).filter(
    (s) => s !== 'offline_access',
  );
  const dpop = new DpopVerifier();

  const challenge = (
    status: number,
    scheme: 'Bearer' | 'DPoP',
    error: string | undefined,
    description: string | undefined,
    scope: readonly string[],
  ): Response => {
    const header = formatChallenge(scheme, {
      error,
      error_description: description,
      scope: scope.length > 0 ? scope.join(' ') : undefined,
      resource_metadata: metadataUrl,
      algs: scheme === 'DPoP' ? DPOP_ALGORITHMS.join(' ') : undefined,
    });
    const payload = error
      ? { error, error_description: description }
      : { error: 'unauthorized', error_description: description };
    return Response.json(payload, {
      status,
      headers: { 'www-authenticate': header, 'cache-control': 'no-store' },
    });
  };
  const badRequest = (description: string) =>
    Response.json({ error: 'invalid_request', error_description: description }, { status: 400 });

  return {
    resource,
    metadataUrl,
    metadata,

    metadataResponse(request) {
      const path = new URL(request.url).pathname;
      if (path !== metadataPath && !(options.serveRootMetadata !== false && path === ROOT_PRM))
        return undefined;
      const cors = {
        'access-control-allow-origin': '*',
        'access-control-allow-headers': 'mcp-protocol-version',
      };
      if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: cors });
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return new Response(null, { status: 405, headers: { allow: 'GET, HEAD, OPTIONS' } });
      }
      return new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: { ...cors, 'content-type': 'application/json', 'cache-control': 'public, max-age=300' },
      });
    },

    async authenticate(request) {
      if (new URL(request.url).searchParams.has('access_token')) {
        return {
          response: badRequest(
            'Access tokens are not accepted in the query string; use the Authorization header.',
          ),
        };
      }
      const header = request.headers.get('authorization');
      const scheme = header?.split(' ', 1)[0]?.toLowerCase();
      if (!header || (scheme !== 'bearer' && (scheme !== 'dpop' || !dpopEnabled))) {
        return {
          response: challenge(
            401,
            'Bearer',
            undefined,
            'Authorization required: send an OAuth access token.',
            challengeScopes,
          ),
        };
      }
      const token = /^\S+ +([A-Za-z0-9\-._~+/]+=*)$/.exec(header)?.[1];
      if (!token) return { response: badRequest('The Authorization header is malformed.') };
      const presented: 'Bearer' | 'DPoP' = scheme === 'dpop' ? 'DPoP' : 'Bearer';
      let auth: AuthInfo;
      try {
        auth = await options.verifier.verify(token, { resource, request });
      } catch (error) {
        if (error instanceof InvalidTokenError) {
          return { response: challenge(401, presented, 'invalid_token', error.message, challengeScopes) };
        }
        return {
          response: Response.json(
            {
              error: 'temporarily_unavailable',
              error_description: 'The access token could not be checked right now.',
            },
            { status: 503, headers: { 'retry-after': '5' } },
          ),
        };
      }
      const jkt = boundKey(auth);
      if (jkt === undefined && presented === 'DPoP') {
        return {
          response: challenge(
            401,
            'DPoP',
            'invalid_token',
            'This access token is not DPoP-bound; present it as Bearer.',
            challengeScopes,
          ),
        };
      }
      if (jkt !== undefined) {
        if (presented !== 'DPoP') {
          return {
            response: challenge(
              401,
              'DPoP',
              'invalid_token',
              'This access token is DPoP-bound: present it with the DPoP scheme and a proof.',
              challengeScopes,
            ),
          };
        }
        try {
          const thumbprint = await dpop.verify(request.headers.get('dpop'), {
            method: request.method,
            url: request.url,
            accessToken: token,
          });
          if (thumbprint !== jkt)
            throw new DpopProofError('The DPoP proof was signed by a key the token is not bound to.');
        } catch (error) {
          return {
            response: challenge(401, 'DPoP', 'invalid_dpop_proof', (error as Error).message, challengeScopes),
          };
        }
      }
      return { auth };
    },

    checkScopes(auth, method, params) {
      const required = options.requiredScopes?.(method, params) ?? [];
      if (missingScopes(auth.scopes, required, options.scopeHierarchy).length === 0) return undefined;
      const scheme = boundKey(auth) === undefined ? 'Bearer' : 'DPoP';
      return challenge(
        403,
        scheme,
        'insufficient_scope',
        `${method} needs the scopes: ${required.join(' ')}.`,
        required,
      );
    },
  };
}

/** The key thumbprint a token is bound to (`cnf.jkt`), if any. */
function boundKey(auth: AuthInfo): string | undefined {
  const cnf = auth.extra?.cnf as { jkt?: unknown } | undefined;
  return typeof cnf?.jkt === 'string' ? cnf.jkt : undefined;
}

/**
 * A `requiredScopes` function from a table of tools: `tools/call` of a listed tool needs its scopes
 * (plus `base`); every other request needs `base`.
 */
export function requireToolScopes(
  tools: Readonly<Record<string, readonly string[]>>,
  base: readonly string[] = [],
): (method: string, params: unknown) => readonly string[] {
  return (method, params) => {
    const name = (params as { name?: unknown } | undefined)?.name;
    const extra = method === 'tools/call' && typeof name === 'string' ? (tools[name] ?? []) : [];
    return [...new Set([...base, ...extra])];
  };
}
