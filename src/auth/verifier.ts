/**
 * Bearer token verification for a resource server: the TokenVerifier interface, and its JWT
 * implementation (signature against a JWKS, issuer, audience = this server, expiry, scopes).
 */
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  errors,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import type { AuthInfo } from '../rpc/index.ts';
import { parseScopes } from './scopes.ts';

/** What a verifier knows about the request besides the token. */
export interface VerifyContext {
  /** This server's canonical URI: the audience a token must name. */
  resource: string;
  /** The HTTP request that carried the token. */
  request: Request;
}

/** Turns a presented access token into the principal behind it, or throws InvalidTokenError. */
export interface TokenVerifier {
  /** Verifies `token`; resolves the principal, or rejects with InvalidTokenError (answered with 401). */
  verify(token: string, context: VerifyContext): Promise<AuthInfo>;
}

/** The token is invalid, expired, revoked, or not meant for this server (answered with 401 `invalid_token`). */
export class InvalidTokenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidTokenError';
  }
}

/** Options of `createJwtVerifier`. */
export interface JwtVerifierOptions {
  /** The expected `iss` (one authorization server, or several). */
  issuer: string | readonly string[];
  /** The keys: a JWKS URL (fetched and cached), a JWKS document, or a jose key resolver. */
  jwks: string | URL | JSONWebKeySet | JWTVerifyGetKey;
  /** The expected audience (default: the server's canonical URI, as RFC 8707 requires). */
  audience?: string | readonly string[];
  /** Accepted signature algorithms (default: jose's asymmetric defaults). */
  algorithms?: string[];
  /** Clock skew allowed on `exp`/`nbf`, seconds (default 30). */
  clockToleranceSec?: number;
  /** The fetch used for a JWKS URL (default: the global fetch). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

/** A TokenVerifier for JWT access tokens (RFC 9068 or any JWT with iss, aud, exp and scope). */
export function createJwtVerifier(options: JwtVerifierOptions): TokenVerifier {
  const keys = keyResolver(options);
  const issuers = typeof options.issuer === 'string' ? [options.issuer] : [...options.issuer];
  return {
    async verify(token, context) {
      const audience = options.audience ?? context.resource;
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          issuer: issuers,
          audience: typeof audience === 'string' ? audience : [...audience],
          algorithms: options.algorithms,
          clockTolerance: options.clockToleranceSec ?? 30,
          requiredClaims: ['exp'],
        }));
      } catch (error) {
        throw asInvalidToken(error);
      }
      return authInfoFromClaims(token, payload);
    },
  };
}

function keyResolver(options: JwtVerifierOptions): JWTVerifyGetKey {
  const { jwks } = options;
  if (typeof jwks === 'function') return jwks;
  if (typeof jwks === 'string' || jwks instanceof URL) {
    const fetchImpl = options.fetch;
    return createRemoteJWKSet(new URL(jwks), fetchImpl ? { [customFetch]: fetchImpl } : undefined);
  }
  return createLocalJWKSet(jwks);
}

/** Maps a jose failure to InvalidTokenError with a message naming the claim; other errors pass through. */
function asInvalidToken(error: unknown): Error {
  if (error instanceof errors.JWTExpired) return new InvalidTokenError('The access token has expired.');
  if (error instanceof errors.JWTClaimValidationFailed) {
    const what =
      error.claim === 'aud'
        ? 'was not issued for this server (audience mismatch)'
        : error.claim === 'iss'
          ? 'was issued by an unexpected issuer'
          : `failed the "${error.claim}" claim check (${error.reason})`;
    return new InvalidTokenError(`The access token ${what}.`, { cause: error });
  }
  if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError)) {
    return error instanceof Error ? error : new Error(String(error));
  }
  if (error instanceof errors.JWKSInvalid && !(error instanceof errors.JWKSNoMatchingKey)) return error;
  return new InvalidTokenError(`The access token is not valid: ${error.message}.`, { cause: error });
}

/** Builds AuthInfo from verified claims (`scope` or `scp`, `client_id` or `azp`). */
export function authInfoFromClaims(token: string, claims: Record<string, unknown>): AuthInfo {
  const scope = claims.scope ?? claims.scp;
  const clientId = claims.client_id ?? claims.azp;
  const info: AuthInfo = {
    token,
    scopes: typeof scope === 'string' || Array.isArray(scope) ? parseScopes(scope as string | string[]) : [],
    extra: { ...claims },
  };
  if (typeof clientId === 'string') info.clientId = clientId;
  if (typeof claims.sub === 'string') info.subject = claims.sub;
  if (typeof claims.exp === 'number') info.expiresAt = claims.exp;
  return info;
}
