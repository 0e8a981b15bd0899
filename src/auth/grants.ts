/**
 * Obtaining tokens once the authorization server is known: the authorization code flow (with a
 * pluggable user agent), client credentials, a JWT bearer assertion (RFC 7523, workload identity),
 * and an identity assertion grant obtained from an enterprise IdP by token exchange (ID-JAG).
 */
import type * as oauth from 'oauth4webapi';
import {
  type AuthorizationRedirect,
  assertAuthorizationCodeSupport,
  buildAuthorizationRequest,
  validateAuthorizationResponse,
} from './authorization.ts';
import type { DiscoveryContext } from './discovery.ts';
import { OAuthFlowError } from './errors.ts';
import { type RegistrationOptions, resolveClient } from './registration.ts';
import {
  exchangeCode,
  genericGrant,
  tokenEndpoint,
  tokenParameters,
  vetTokenEndpoint,
} from './token-endpoint.ts';
import type { TokenStore } from './token-store.ts';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';

/** How the client obtains tokens. */
export type OAuthGrant =
  | { type: 'authorization_code' }
  | { type: 'client_credentials' }
  | { type: 'jwt_bearer'; assertion: () => string | Promise<string> }
  | {
      type: 'id_jag';
      /** The enterprise IdP's token endpoint. */
      idpTokenEndpoint: string;
      /** The client id at the IdP. */
      idpClientId: string;
      /** The client secret at the IdP, if it has one. */
      idpClientSecret?: string;
      /** The user's ID token from the IdP. */
      idToken: () => string | Promise<string>;
    };

/** What one token acquisition needs. */
export interface GrantRequest {
  ctx: DiscoveryContext;
  as: oauth.AuthorizationServer;
  resource: string | undefined;
  scope: string | undefined;
  grant: OAuthGrant;
  registration: RegistrationOptions;
  store: TokenStore;
  redirectUri: string | undefined;
  redirect: AuthorizationRedirect | undefined;
  dpop: oauth.DPoPHandle | undefined;
}

/**
 * Runs the configured grant and resolves the token response. Everything the metadata must offer for
 * the grant is checked (and every endpoint vetted) before a client registers or anything is sent.
 */
export async function obtainTokens(r: GrantRequest): Promise<oauth.TokenEndpointResponse> {
  const { grant } = r;
  if (grant.type === 'authorization_code') await assertAuthorizationCodeSupport(r.ctx, r.as);
  await vetTokenEndpoint(r.ctx, r.as);
  if (grant.type === 'authorization_code') return authorizationCodeFlow(r);
  const client = await resolveClient(
    r.ctx,
    r.as,
    r.registration,
    r.store,
    undefined,
    grantTypesOf(grant),
    r.scope,
  );
  const ep = await tokenEndpoint(r.ctx, r.as, client, r.dpop);
  const params = tokenParameters(r.resource, r.scope);
  if (grant.type === 'client_credentials') return genericGrant(ep, 'client_credentials', params);
  if (grant.type === 'jwt_bearer')
    return genericGrant(ep, JWT_BEARER, { ...params, assertion: await grant.assertion() });
  const idJag = await exchangeAtIdp(r, grant);
  return genericGrant(ep, JWT_BEARER, { ...params, assertion: idJag });
}

function grantTypesOf(grant: OAuthGrant): string[] {
  if (grant.type === 'authorization_code') return ['authorization_code', 'refresh_token'];
  if (grant.type === 'client_credentials') return ['client_credentials'];
  return [JWT_BEARER];
}

async function authorizationCodeFlow(r: GrantRequest): Promise<oauth.TokenEndpointResponse> {
  if (r.redirectUri === undefined || r.redirect === undefined) {
    throw new OAuthFlowError(
      'configuration',
      'The authorization code flow needs a redirectUri and a redirect (user agent) option, e.g. a loopback redirect or headlessRedirect().',
    );
  }
  const client = await resolveClient(
    r.ctx,
    r.as,
    r.registration,
    r.store,
    r.redirectUri,
    grantTypesOf(r.grant),
    r.scope,
  );
  const ep = await tokenEndpoint(r.ctx, r.as, client, r.dpop);
  const { url, pending } = await buildAuthorizationRequest(r.ctx, r.as, {
    clientId: client.clientId,
    redirectUri: r.redirectUri,
    scope: r.scope,
    resource: r.resource,
  });
  const result = await r.redirect(url);
  const params = validateAuthorizationResponse(r.as, client.clientId, pending, result);
  return exchangeCode(ep, params, pending.redirectUri, pending.codeVerifier, pending.resource);
}

/** Exchanges the user's ID token at the IdP for an identity assertion grant (ID-JAG) for this AS and resource. */
async function exchangeAtIdp(
  r: GrantRequest,
  grant: Extract<OAuthGrant, { type: 'id_jag' }>,
): Promise<string> {
  const endpoint = new URL(grant.idpTokenEndpoint);
  const idp: oauth.AuthorizationServer = { issuer: endpoint.origin, token_endpoint: endpoint.href };
  const identity = {
    clientId: grant.idpClientId,
    ...(grant.idpClientSecret ? { clientSecret: grant.idpClientSecret } : {}),
  };
  const ep = await tokenEndpoint(r.ctx, idp, identity, undefined, true);
  const params: Record<string, string> = {
    requested_token_type: 'urn:ietf:params:oauth:token-type:id-jag',
    subject_token: await grant.idToken(),
    subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
    audience: r.as.issuer,
  };
  if (r.resource !== undefined) params.resource = r.resource;
  if (r.scope) params.scope = r.scope;
  const response = await genericGrant(ep, TOKEN_EXCHANGE, params);
  return response.access_token;
}
