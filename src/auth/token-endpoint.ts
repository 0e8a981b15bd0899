/**
 * The token endpoint, through oauth4webapi: client authentication (none, client_secret_basic,
 * client_secret_post, private_key_jwt) chosen from what the server supports, and the grants MCP
 * clients use (authorization code, refresh, client credentials, JWT bearer, token exchange).
 */
import { importPKCS8 } from 'jose';
import * as oauth from 'oauth4webapi';
import { type DiscoveryContext, type OAuthFetch, vetUrl } from './discovery.ts';
import { messageOf, OAuthFlowError } from './errors.ts';
import { assertSafeScheme } from './network-guard.ts';

/** A private key for `private_key_jwt`: a CryptoKey or a PKCS#8 PEM, with its algorithm. */
export interface ClientPrivateKey {
  /** The key. */
  key: CryptoKey | string;
  /** The JWS algorithm (default ES256). */
  alg?: string;
  /** The key id, sent as `kid`. */
  kid?: string;
}

/** The client's identity at one authorization server. */
export interface ClientIdentity {
  /** The client id. */
  clientId: string;
  /** The secret of a confidential client. */
  clientSecret?: string;
  /** The token endpoint authentication method agreed at registration, if any. */
  authMethod?: string;
  /** The key for `private_key_jwt`. */
  privateKey?: ClientPrivateKey;
}

/** Everything a token request needs. */
export interface TokenEndpoint {
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  auth: oauth.ClientAuth;
  /** The authentication method in use. */
  method: string;
  fetch: OAuthFetch;
  /** The endpoint is plain http (it passed the guard: loopback). */
  insecure: boolean;
  dpop?: oauth.DPoPHandle;
}

/** Chooses the authentication method: the agreed one if the server allows it, else basic, post, none. */
export function chooseAuthMethod(as: oauth.AuthorizationServer, identity: ClientIdentity): string {
  const supported = as.token_endpoint_auth_methods_supported;
  const allowed = (m: string) => supported === undefined || supported.includes(m);
  if (identity.authMethod && allowed(identity.authMethod)) return identity.authMethod;
  if (identity.privateKey && allowed('private_key_jwt')) return 'private_key_jwt';
  if (identity.clientSecret !== undefined) {
    if (supported === undefined || supported.includes('client_secret_basic')) return 'client_secret_basic';
    if (supported.includes('client_secret_post')) return 'client_secret_post';
  }
  return 'none';
}

/**
 * Vets the token endpoint of `as` with the network guard: it receives codes, PKCE verifiers, client
 * secrets and refresh tokens. An endpoint the user configured (`configured`) is held to the scheme
 * rule only.
 */
export async function vetTokenEndpoint(
  ctx: DiscoveryContext,
  as: oauth.AuthorizationServer,
  configured = false,
): Promise<URL> {
  const value = as.token_endpoint;
  if (typeof value !== 'string' || !URL.canParse(value)) {
    throw new OAuthFlowError(
      'invalid_metadata',
      `The authorization server ${as.issuer} has no usable token_endpoint (${JSON.stringify(value ?? null)}).`,
    );
  }
  const url = new URL(value);
  if (configured) assertSafeScheme(url, 'token endpoint');
  else await vetUrl(ctx, url, 'token endpoint');
  return url;
}

/** Builds the token endpoint handle for a client at an authorization server, its endpoint vetted first. */
export async function tokenEndpoint(
  ctx: DiscoveryContext,
  as: oauth.AuthorizationServer,
  identity: ClientIdentity,
  dpop?: oauth.DPoPHandle,
  configured = false,
): Promise<TokenEndpoint> {
  const url = await vetTokenEndpoint(ctx, as, configured);
  const method = chooseAuthMethod(as, identity);
  const client: oauth.Client = { client_id: identity.clientId, token_endpoint_auth_method: method };
  const secret = identity.clientSecret ?? '';
  let auth: oauth.ClientAuth;
  if (method === 'client_secret_basic') auth = clientSecretBasic(secret);
  else if (method === 'client_secret_post') auth = oauth.ClientSecretPost(secret);
  else if (method === 'private_key_jwt') {
    const pk = identity.privateKey;
    if (!pk) throw new OAuthFlowError('configuration', 'private_key_jwt needs a privateKey option.');
    const alg = pk.alg ?? 'ES256';
    const key = typeof pk.key === 'string' ? await importPKCS8(pk.key, alg) : pk.key;
    auth = oauth.PrivateKeyJwt(pk.kid ? { key, kid: pk.kid } : key);
  } else auth = oauth.None();
  const insecure = url.protocol === 'http:';
  return { as, client, auth, method, fetch: ctx.fetch, insecure, ...(dpop ? { dpop } : {}) };
}

/**
 * HTTP Basic client authentication with the id and secret form-urlencoded (RFC 6749 §2.3.1), which
 * leaves unreserved characters such as `-` as they are.
 */
function clientSecretBasic(secret: string): oauth.ClientAuth {
  const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
  return (_as, client, _body, headers) => {
    headers.set('authorization', `Basic ${btoa(`${encode(client.client_id)}:${encode(secret)}`)}`);
  };
}

function requestOptions(ep: TokenEndpoint) {
  return {
    [oauth.customFetch]: ep.fetch as typeof fetch,
    [oauth.allowInsecureRequests]: ep.insecure,
    ...(ep.dpop ? { DPoP: ep.dpop } : {}),
  };
}

/** Runs a token request (retrying once when the server asks for a DPoP nonce) and maps failures. */
async function run(
  ep: TokenEndpoint,
  grant: string,
  send: () => Promise<Response>,
  process: (response: Response) => Promise<oauth.TokenEndpointResponse>,
): Promise<oauth.TokenEndpointResponse> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await process(
        refuseRedirect(await send(), `The token endpoint ${String(ep.as.token_endpoint)}`),
      );
    } catch (error) {
      if (error instanceof OAuthFlowError) throw error;
      if (attempt === 0 && ep.dpop && oauth.isDPoPNonceError(error)) continue;
      throw tokenError(ep, grant, error);
    }
  }
}

/** Throws when an OAuth endpoint answers with a redirect: credentials are never sent on to another URL. */
export function refuseRedirect(response: Response, who: string): Response {
  if (response.status < 300 || response.status > 399) return response;
  const location = response.headers.get('location');
  throw new OAuthFlowError(
    'redirect_refused',
    `${who} answered with a redirect (HTTP ${response.status}${location ? ` to ${location}` : ''}); OAuth requests never follow redirects, so nothing was sent there.`,
  );
}

function tokenError(ep: TokenEndpoint, grant: string, error: unknown): OAuthFlowError {
  const where = String(ep.as.token_endpoint);
  if (error instanceof oauth.ResponseBodyError) {
    const description = error.error_description ? `: ${error.error_description}` : '';
    return new OAuthFlowError(
      'token_error',
      `The token endpoint ${where} refused the ${grant} request (${error.error}${description}).`,
      { cause: error, oauthError: error.error },
    );
  }
  return new OAuthFlowError('token_error', `The ${grant} request to ${where} failed: ${messageOf(error)}`, {
    cause: error,
  });
}

/** Extra token request parameters: `resource` (RFC 8707) and `scope` when given. */
export function tokenParameters(
  resource: string | undefined,
  scope: string | undefined,
): Record<string, string> {
  const params: Record<string, string> = {};
  if (resource !== undefined) params.resource = resource;
  if (scope) params.scope = scope;
  return params;
}

/** Redeems an authorization code (with the PKCE verifier and `resource`). */
export function exchangeCode(
  ep: TokenEndpoint,
  callback: URLSearchParams,
  redirectUri: string,
  codeVerifier: string,
  resource: string | undefined,
): Promise<oauth.TokenEndpointResponse> {
  return run(
    ep,
    'authorization_code',
    () =>
      oauth.authorizationCodeGrantRequest(ep.as, ep.client, ep.auth, callback, redirectUri, codeVerifier, {
        ...requestOptions(ep),
        additionalParameters: tokenParameters(resource, undefined),
      }),
    (r) => oauth.processAuthorizationCodeResponse(ep.as, ep.client, r),
  );
}

/** Uses a refresh token (with `resource`, and a narrower `scope` if given). */
export function refreshGrant(
  ep: TokenEndpoint,
  refreshToken: string,
  resource: string | undefined,
  scope?: string,
): Promise<oauth.TokenEndpointResponse> {
  return run(
    ep,
    'refresh_token',
    () =>
      oauth.refreshTokenGrantRequest(ep.as, ep.client, ep.auth, refreshToken, {
        ...requestOptions(ep),
        additionalParameters: tokenParameters(resource, scope),
      }),
    (r) => oauth.processRefreshTokenResponse(ep.as, ep.client, r),
  );
}

/** Any other grant (client_credentials, JWT bearer, token exchange) with its parameters. */
export function genericGrant(
  ep: TokenEndpoint,
  grantType: string,
  parameters: Record<string, string>,
): Promise<oauth.TokenEndpointResponse> {
  return run(
    ep,
    grantType,
    () =>
      oauth.genericTokenEndpointRequest(ep.as, ep.client, ep.auth, grantType, parameters, requestOptions(ep)),
    (r) =>
      oauth.processGenericTokenEndpointResponse(ep.as, ep.client, r, {
        recognizedTokenTypes: { n_a: () => {} },
      }),
  );
}
