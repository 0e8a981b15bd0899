/**
 * The token endpoint of the development server: authorization_code (PKCE S256 and the exact
 * redirect URI and resource of the request), refresh_token (rotated on every use; bound to the same
 * DPoP key), and client_credentials for confidential clients. DPoP proofs bind tokens to a key.
 */
import { base64url } from 'jose';
import type { DpopProofError, DpopVerifier } from '../dpop-proof.ts';
import { resourceProblem } from './authorize.ts';
import { authenticateClient, json, oauthError, readForm } from './http.ts';
import type { DevClient, DevState } from './state.ts';
import { tokenResponse } from './tokens.ts';

/** Handles POST /token. */
export async function token(
  state: DevState,
  request: Request,
  lookup: (clientId: string) => Promise<DevClient | undefined>,
  dpop: DpopVerifier,
): Promise<Response> {
  const form = await readForm(request);
  if (form instanceof Response) return form;
  const client = await authenticateClient(request, form, lookup);
  if (client instanceof Response) return client;
  let jkt: string | undefined;
  if (request.headers.has('dpop')) {
    try {
      jkt = await dpop.verify(request.headers.get('dpop'), { method: 'POST', url: `${state.issuer}/token` });
    } catch (error) {
      return oauthError(400, 'invalid_dpop_proof', (error as DpopProofError).message);
    }
  }
  const grant = form.get('grant_type');
  const resource = form.get('resource') ?? undefined;
  const canRefresh = client.grant_types.includes('refresh_token');
  if (grant === 'authorization_code') return codeGrant(state, form, client, resource, jkt, canRefresh);
  if (grant === 'refresh_token') return refreshGrant(state, form, client, resource, jkt);
  if (grant === 'client_credentials') {
    if (client.token_endpoint_auth_method === 'none' || !client.grant_types.includes('client_credentials')) {
      return oauthError(400, 'unauthorized_client', 'This client may not use the client_credentials grant.');
    }
    const scope = form.get('scope') ?? '';
    const unknown = scope.split(' ').filter((s) => s && !state.scopesSupported.includes(s));
    if (unknown.length > 0) return oauthError(400, 'invalid_scope', `Unknown scopes: ${unknown.join(' ')}.`);
    const bad = resourceProblem(state, resource);
    if (bad) return oauthError(400, 'invalid_target', bad);
    const who = {
      clientId: client.client_id,
      subject: client.client_id,
      scope,
      resource,
      ...(jkt ? { jkt } : {}),
    };
    return json(await tokenResponse(state, who, false));
  }
  return oauthError(400, 'unsupported_grant_type', `grant_type ${grant ?? '(missing)'} is not supported.`);
}

async function codeGrant(
  state: DevState,
  form: URLSearchParams,
  client: DevClient,
  resource: string | undefined,
  jkt: string | undefined,
  canRefresh: boolean,
): Promise<Response> {
  const code = form.get('code') ?? '';
  const grant = state.codes.get(code);
  state.codes.delete(code);
  if (!grant || grant.expiresAt < Date.now() || grant.clientId !== client.client_id) {
    return oauthError(
      400,
      'invalid_grant',
      'The authorization code is unknown, used, expired, or for another client.',
    );
  }
  if (form.get('redirect_uri') !== grant.redirectUri) {
    return oauthError(
      400,
      'invalid_grant',
      'redirect_uri differs from the one in the authorization request.',
    );
  }
  const verifier = form.get('code_verifier') ?? '';
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  if (
    !/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier) ||
    base64url.encode(new Uint8Array(digest)) !== grant.codeChallenge
  ) {
    return oauthError(400, 'invalid_grant', 'The PKCE code_verifier does not match the code_challenge.');
  }
  if (resource !== undefined && grant.resource !== undefined && resource !== grant.resource) {
    return oauthError(400, 'invalid_target', 'resource differs from the one in the authorization request.');
  }
  const target = grant.resource ?? resource;
  const bad = resourceProblem(state, target);
  if (bad) return oauthError(400, 'invalid_target', bad);
  const who = {
    clientId: client.client_id,
    subject: grant.subject,
    scope: grant.scope,
    resource: target,
    ...(jkt ? { jkt } : {}),
  };
  return json(await tokenResponse(state, who, canRefresh));
}

async function refreshGrant(
  state: DevState,
  form: URLSearchParams,
  client: DevClient,
  resource: string | undefined,
  jkt: string | undefined,
): Promise<Response> {
  const presented = form.get('refresh_token') ?? '';
  const grant = state.refreshTokens.get(presented);
  state.refreshTokens.delete(presented);
  if (!grant || grant.expiresAt < Date.now() || grant.clientId !== client.client_id) {
    return oauthError(
      400,
      'invalid_grant',
      'The refresh token is unknown, already used, expired, or for another client.',
    );
  }
  if (grant.jkt !== undefined && grant.jkt !== jkt) {
    return oauthError(
      400,
      'invalid_grant',
      'This refresh token is bound to a DPoP key; send a proof signed with it.',
    );
  }
  if (resource !== undefined && grant.resource !== undefined && resource !== grant.resource) {
    return oauthError(
      400,
      'invalid_target',
      'resource differs from the one the refresh token was issued for.',
    );
  }
  const asked = (form.get('scope') ?? '').split(' ').filter((s) => s !== '');
  const held = grant.scope.split(' ');
  if (asked.some((s) => !held.includes(s))) {
    return oauthError(400, 'invalid_scope', 'A refresh may only keep or narrow the scopes first granted.');
  }
  const scope = asked.length > 0 ? asked.join(' ') : grant.scope;
  const who = {
    clientId: client.client_id,
    subject: grant.subject,
    scope,
    resource: grant.resource,
    ...(grant.jkt ? { jkt: grant.jkt } : {}),
  };
  return json(await tokenResponse(state, who, true));
}
