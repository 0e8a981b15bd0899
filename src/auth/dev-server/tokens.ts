/** Access tokens (RFC 9068 JWTs signed with the server's key) and rotating refresh tokens. */
import { SignJWT } from 'jose';
import { type DevState, randomToken } from './state.ts';

/** Who and what a token is for. */
export interface TokenSubject {
  clientId: string;
  subject: string;
  scope: string;
  resource: string | undefined;
  /** The DPoP key thumbprint to bind to. */
  jkt?: string;
}

/** Signs an access token; `aud` is the resource, when one was named. */
export async function mintAccessToken(
  state: DevState,
  who: TokenSubject,
  ttlSec = state.accessTtl,
): Promise<string> {
  const claims: Record<string, unknown> = { client_id: who.clientId };
  if (who.scope) claims.scope = who.scope;
  if (who.jkt) claims.cnf = { jkt: who.jkt };
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: state.kid })
    .setIssuer(state.issuer)
    .setSubject(who.subject)
    .setIssuedAt()
    .setJti(randomToken(16))
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSec);
  if (who.resource !== undefined) jwt.setAudience(who.resource);
  return jwt.sign(state.privateKey);
}

/** The token response body: an access token, and a fresh refresh token when the client may refresh. */
export async function tokenResponse(
  state: DevState,
  who: TokenSubject,
  refresh: boolean,
): Promise<Record<string, unknown>> {
  const body: Record<string, unknown> = {
    access_token: await mintAccessToken(state, who),
    token_type: who.jkt ? 'DPoP' : 'Bearer',
    expires_in: state.accessTtl,
  };
  if (who.scope) body.scope = who.scope;
  if (refresh) {
    const token = randomToken(32);
    state.refreshTokens.set(token, {
      clientId: who.clientId,
      scope: who.scope,
      resource: who.resource,
      subject: who.subject,
      expiresAt: Date.now() + state.refreshTtl * 1000,
      jkt: who.jkt,
    });
    body.refresh_token = token;
  }
  return body;
}
