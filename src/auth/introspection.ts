/** A TokenVerifier that asks the authorization server (RFC 7662 token introspection). */
import * as oauth from 'oauth4webapi';
import type { AuthInfo } from '../rpc/index.ts';
import { messageOf } from './errors.ts';
import { authInfoFromClaims, InvalidTokenError, type TokenVerifier, type VerifyContext } from './verifier.ts';

/** Options of `createIntrospectionVerifier`. */
export interface IntrospectionVerifierOptions {
  /** The introspection endpoint. */
  endpoint: string;
  /** The expected `iss` of introspected tokens, when the response carries one (also the AS identity). */
  issuer?: string;
  /** This resource server's client id at the authorization server. */
  clientId: string;
  /** Its secret (sent with HTTP Basic unless `clientAuth` says `client_secret_post`). */
  clientSecret: string;
  /** How the resource server authenticates (default `client_secret_basic`). */
  clientAuth?: 'client_secret_basic' | 'client_secret_post';
  /** The expected audience (default: the server's canonical URI). */
  audience?: string;
  /** How long an answer is remembered, ms (default 0: ask every time; never past the token's `exp`). */
  cacheMs?: number;
  /** The fetch used to call the endpoint (default: the global fetch). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

/** A TokenVerifier that introspects every token at the authorization server. */
export function createIntrospectionVerifier(options: IntrospectionVerifierOptions): TokenVerifier {
  const endpoint = new URL(options.endpoint);
  const as: oauth.AuthorizationServer = {
    issuer: options.issuer ?? endpoint.origin,
    introspection_endpoint: endpoint.href,
  };
  const client: oauth.Client = { client_id: options.clientId };
  const auth =
    options.clientAuth === 'client_secret_post'
      ? oauth.ClientSecretPost(options.clientSecret)
      : oauth.ClientSecretBasic(options.clientSecret);
  const cache = new Map<string, { info: AuthInfo; until: number }>();
  const cacheMs = options.cacheMs ?? 0;

  return {
    async verify(token: string, context: VerifyContext): Promise<AuthInfo> {
      const now = Date.now();
      const hit = cache.get(token);
      if (hit && hit.until > now) return hit.info;
      cache.delete(token);
      let claims: oauth.IntrospectionResponse;
      try {
        const response = await oauth.introspectionRequest(as, client, auth, token, {
          [oauth.allowInsecureRequests]: endpoint.protocol === 'http:',
          ...(options.fetch ? { [oauth.customFetch]: options.fetch } : {}),
        });
        claims = await oauth.processIntrospectionResponse(as, client, response);
      } catch (error) {
        throw new Error(`Token introspection at ${endpoint.href} failed: ${messageOf(error)}`, {
          cause: error,
        });
      }
      const info = check(claims, token, options.audience ?? context.resource, options.issuer, now);
      if (cacheMs > 0) {
        const until = Math.min(now + cacheMs, (info.expiresAt ?? Number.POSITIVE_INFINITY) * 1000);
        if (cache.size >= 10_000) cache.delete(cache.keys().next().value as string);
        cache.set(token, { info, until });
      }
      return info;
    },
  };
}

function check(
  claims: oauth.IntrospectionResponse,
  token: string,
  audience: string,
  issuer: string | undefined,
  now: number,
): AuthInfo {
  if (!claims.active)
    throw new InvalidTokenError('The access token is not active (revoked, expired or unknown).');
  if (typeof claims.exp === 'number' && claims.exp * 1000 <= now) {
    throw new InvalidTokenError('The access token has expired.');
  }
  const aud = claims.aud === undefined ? [] : Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.includes(audience)) {
    throw new InvalidTokenError(
      `The access token was not issued for this server (audience ${aud.length ? aud.join(', ') : 'missing'}, expected ${audience}).`,
    );
  }
  if (issuer !== undefined && claims.iss !== undefined && claims.iss !== issuer) {
    throw new InvalidTokenError('The access token was issued by an unexpected issuer.');
  }
  if (claims.token_type !== undefined && !/^(bearer|dpop|access_token)$/i.test(String(claims.token_type))) {
    throw new InvalidTokenError(
      `The token is not an access token (token_type ${String(claims.token_type)}).`,
    );
  }
  return authInfoFromClaims(token, claims as unknown as Record<string, unknown>);
}
