/**
 * The authorization request (PKCE S256, `state`, `resource`, `scope`) and the validation of its
 * response: the RFC 9207 `iss` check against the issuer recorded with the verifier, then `state`,
 * then errors, before any code goes to a token endpoint.
 */
import * as oauth from 'oauth4webapi';
import { type DiscoveryContext, vetUrl } from './discovery.ts';
import { OAuthFlowError } from './errors.ts';
import type { AuthorizationResult } from './redirect.ts';

export { type AuthorizationRedirect, type AuthorizationResult, authorizationResultFrom } from './redirect.ts';

/** One authorization in flight: the PKCE verifier, `state`, and the issuer it was sent to. */
export interface PendingAuthorization {
  state: string;
  codeVerifier: string;
  issuer: string;
  redirectUri: string;
  resource: string | undefined;
  scope: string | undefined;
}

/** Options of one authorization request. */
export interface AuthorizationRequestOptions {
  clientId: string;
  redirectUri: string;
  scope: string | undefined;
  resource: string | undefined;
  /** The DPoP key thumbprint to bind the code to (`dpop_jkt`). */
  dpopJkt?: string;
}

/**
 * Checks that `as` can run the authorization code flow safely: PKCE with S256 advertised, and an
 * authorization endpoint that passes the network guard. Returns that endpoint.
 */
export async function assertAuthorizationCodeSupport(
  ctx: DiscoveryContext,
  as: oauth.AuthorizationServer,
): Promise<URL> {
  if (!as.code_challenge_methods_supported?.includes('S256')) {
    throw new OAuthFlowError(
      'pkce_unsupported',
      `The authorization server ${as.issuer} does not advertise PKCE with S256 (code_challenge_methods_supported is ${JSON.stringify(as.code_challenge_methods_supported ?? null)}); refusing to continue.`,
    );
  }
  if (typeof as.authorization_endpoint !== 'string') {
    throw new OAuthFlowError(
      'invalid_metadata',
      `The authorization server ${as.issuer} has no authorization_endpoint.`,
    );
  }
  if (!URL.canParse(as.authorization_endpoint)) {
    throw new OAuthFlowError(
      'invalid_metadata',
      `The authorization_endpoint of ${as.issuer} is not an absolute URL.`,
    );
  }
  const url = new URL(as.authorization_endpoint);
  await vetUrl(ctx, url, 'authorization endpoint');
  return url;
}

/** Builds the authorization URL; refuses servers that do not advertise PKCE S256. */
export async function buildAuthorizationRequest(
  ctx: DiscoveryContext,
  as: oauth.AuthorizationServer,
  options: AuthorizationRequestOptions,
): Promise<{ url: URL; pending: PendingAuthorization }> {
  const url = await assertAuthorizationCodeSupport(ctx, as);
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const q = url.searchParams;
  q.set('response_type', 'code');
  q.set('client_id', options.clientId);
  q.set('redirect_uri', options.redirectUri);
  q.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
  q.set('code_challenge_method', 'S256');
  q.set('state', state);
  if (options.scope) q.set('scope', options.scope);
  if (options.resource !== undefined) q.set('resource', options.resource);
  if (options.dpopJkt) q.set('dpop_jkt', options.dpopJkt);
  return {
    url,
    pending: {
      state,
      codeVerifier,
      issuer: as.issuer,
      redirectUri: options.redirectUri,
      resource: options.resource,
      scope: options.scope,
    },
  };
}

/** Validates the authorization response; resolves the parameters to redeem, or throws naming the problem. */
export function validateAuthorizationResponse(
  as: oauth.AuthorizationServer,
  clientId: string,
  pending: PendingAuthorization,
  result: AuthorizationResult,
): URLSearchParams {
  const advertised = as.authorization_response_iss_parameter_supported === true;
  if (result.iss === undefined) {
    if (advertised) {
      throw new OAuthFlowError(
        'issuer_mismatch',
        `The authorization server ${pending.issuer} advertises the iss response parameter but its response has none; refusing to redeem the code.`,
      );
    }
  } else if (result.iss !== pending.issuer) {
    throw new OAuthFlowError(
      'issuer_mismatch',
      `The authorization response comes from issuer ${result.iss}, not ${pending.issuer}; refusing to redeem the code (possible mix-up attack).`,
    );
  }
  if (result.state !== pending.state) {
    throw new OAuthFlowError(
      'state_mismatch',
      'The authorization response does not carry the state that was sent; it is discarded.',
    );
  }
  if (result.error !== undefined) {
    const description = result.errorDescription ? `: ${result.errorDescription}` : '';
    throw new OAuthFlowError(
      'authorization_failed',
      `Authorization was not granted (${result.error}${description}).`,
      {
        oauthError: result.error,
      },
    );
  }
  if (!result.code)
    throw new OAuthFlowError('authorization_failed', 'The authorization response has no code.');
  const params = new URLSearchParams({ code: result.code, state: result.state });
  if (result.iss !== undefined) params.set('iss', result.iss);
  return oauth.validateAuthResponse(
    { ...as, issuer: pending.issuer },
    { client_id: clientId },
    params,
    pending.state,
  );
}
