/** Dynamic Client Registration (RFC 7591) for the development authorization server. */
import { clientAddressOf } from '../../http/adapter.ts';
import { redirectUriProblem } from '../resource-uri.ts';
import { json, oauthError } from './http.ts';
import { type DevClient, type DevState, randomToken } from './state.ts';

const GRANTS = ['authorization_code', 'refresh_token', 'client_credentials'];
const METHODS = ['none', 'client_secret_basic', 'client_secret_post'];

/** Why a redirect URI carries credentials (`https://user:pw@host/cb`), or undefined when it does not. */
export function redirectUriUserinfo(uri: unknown): string | undefined {
  if (typeof uri !== 'string' || !URL.canParse(uri)) return undefined;
  const url = new URL(uri);
  return url.username !== '' || url.password !== ''
    ? 'must not contain a user name or password (userinfo)'
    : undefined;
}

/** Handles POST /register. */
export async function register(state: DevState, request: Request): Promise<Response> {
  const address = clientAddressOf(request);
  const made = address === undefined ? 0 : (state.registrations.get(address) ?? 0);
  if (made >= state.maxRegistrationsPerAddress) {
    return oauthError(
      429,
      'temporarily_unavailable',
      `This address has registered ${made} clients, the most this server allows (maxRegistrationsPerAddress); reuse a registration.`,
      { 'retry-after': '60' },
    );
  }
  if (state.clients.size >= state.maxClients) {
    return oauthError(
      503,
      'temporarily_unavailable',
      `This server holds its maximum of ${state.maxClients} clients (maxClients); retry later.`,
      { 'retry-after': '60' },
    );
  }
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return oauthError(400, 'invalid_client_metadata', 'The registration request must be a JSON object.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return oauthError(400, 'invalid_client_metadata', 'The registration request must be a JSON object.');
  }
  const m = body as Record<string, unknown>;
  const applicationType = m.application_type ?? 'web';
  if (applicationType !== 'web' && applicationType !== 'native') {
    return oauthError(400, 'invalid_client_metadata', 'application_type must be "web" or "native".');
  }
  const grants = m.grant_types ?? ['authorization_code'];
  if (!Array.isArray(grants) || !grants.every((g) => GRANTS.includes(g as string))) {
    return oauthError(400, 'invalid_client_metadata', `grant_types may only contain ${GRANTS.join(', ')}.`);
  }
  const method = m.token_endpoint_auth_method ?? 'client_secret_basic';
  if (!METHODS.includes(method as string)) {
    return oauthError(
      400,
      'invalid_client_metadata',
      `token_endpoint_auth_method must be one of ${METHODS.join(', ')}.`,
    );
  }
  if (grants.includes('client_credentials') && method === 'none') {
    return oauthError(
      400,
      'invalid_client_metadata',
      'client_credentials needs a confidential client (not "none").',
    );
  }
  const uris = m.redirect_uris ?? [];
  if (!Array.isArray(uris)) return oauthError(400, 'invalid_redirect_uri', 'redirect_uris must be a list.');
  if (grants.includes('authorization_code') && uris.length === 0) {
    return oauthError(
      400,
      'invalid_redirect_uri',
      'The authorization_code grant needs at least one redirect URI.',
    );
  }
  for (const uri of uris) {
    const problem = redirectUriProblem(uri, applicationType) ?? redirectUriUserinfo(uri);
    if (problem) return oauthError(400, 'invalid_redirect_uri', `Redirect URI ${problem}.`);
  }
  if (m.scope !== undefined) {
    const unknown = String(m.scope)
      .split(' ')
      .filter((s) => s && !state.scopesSupported.includes(s));
    if (unknown.length > 0)
      return oauthError(400, 'invalid_client_metadata', `Unknown scopes: ${unknown.join(' ')}.`);
  }
  const client: DevClient = {
    ...m,
    client_id: `dev-${randomToken(12)}`,
    client_id_issued_at: Math.floor(Date.now() / 1000),
    redirect_uris: uris as string[],
    grant_types: grants as string[],
    response_types: grants.includes('authorization_code') ? ['code'] : [],
    token_endpoint_auth_method: method as string,
    application_type: applicationType,
  };
  if (method !== 'none') {
    client.client_secret = randomToken(32);
    client.client_secret_expires_at = 0;
  }
  state.clients.set(client.client_id, client);
  if (address !== undefined) state.registrations.set(address, made + 1);
  return json(client, 201);
}
