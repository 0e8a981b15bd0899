/**
 * A small, standards-following OAuth 2.1 authorization server for local development and tests:
 * RFC 8414 metadata, authorization with PKCE (auto-approved for one configured user), a token
 * endpoint (`Cache-Control: no-store`), Dynamic Client Registration, Client ID Metadata Documents,
 * JWKS, refresh token rotation, introspection and DPoP. It keeps everything in memory and has no
 * login or consent page: it is not a production identity provider.
 */
import type { JSONWebKeySet } from 'jose';
import { DPOP_ALGORITHMS, DpopVerifier } from '../dpop-proof.ts';
import { authorize } from './authorize.ts';
import { isMetadataClientId, loadClientMetadata } from './cimd.ts';
import { CORS, json, oauthError } from './http.ts';
import { introspect } from './introspect.ts';
import { register } from './register.ts';
import {
  createDevState,
  type DevAuthorizationServerOptions,
  type DevClient,
  type DevState,
} from './state.ts';
import { token } from './token.ts';
import { mintAccessToken, type TokenSubject } from './tokens.ts';

/** A running development authorization server: a web-standard handler plus helpers for tests. */
export interface DevAuthorizationServer {
  /** The issuer identifier. */
  readonly issuer: string;
  /** The RFC 8414 metadata document. */
  readonly metadata: Record<string, unknown>;
  /** The public signing keys. */
  readonly jwks: JSONWebKeySet;
  /** Answers one HTTP request. */
  fetch(request: Request): Promise<Response>;
  /** Registers a client directly (as pre-registration would); a missing client_id is generated. */
  addClient(client: Partial<DevClient> & { redirect_uris?: string[] }): DevClient;
  /** Signs an access token directly (for tests and scripts). */
  mintAccessToken(who: TokenSubject, ttlSec?: number): Promise<string>;
}

/** Creates the development authorization server. */
export async function createDevAuthorizationServer(
  options: DevAuthorizationServerOptions,
): Promise<DevAuthorizationServer> {
  const state = await createDevState(options);
  const base = new URL(state.issuer);
  const prefix = base.pathname.replace(/\/$/, '');
  const metadata = buildMetadata(state);
  const jwks: JSONWebKeySet = { keys: [state.publicJwk] };
  const dpop = new DpopVerifier();
  const lookup = async (id: string) =>
    state.clients.get(id) ?? (isMetadataClientId(id) ? loadClientMetadata(state, id) : undefined);
  const lookupClient = async (id: string) => {
    const found = await lookup(id);
    return typeof found === 'string' ? undefined : found;
  };
  const wellKnown = `/.well-known/oauth-authorization-server${prefix}`;

  const routes: Record<string, Record<string, (r: Request) => Promise<Response>>> = {
    [wellKnown]: { GET: async () => json(metadata, 200, { 'cache-control': 'public, max-age=300' }) },
    [`${prefix}/jwks`]: { GET: async () => json(jwks, 200, { 'cache-control': 'public, max-age=300' }) },
    [`${prefix}/authorize`]: { GET: (r) => authorize(state, r, lookup) },
    [`${prefix}/token`]: { POST: (r) => token(state, r, lookupClient, dpop) },
    [`${prefix}/register`]: { POST: (r) => register(state, r) },
    [`${prefix}/introspect`]: { POST: (r) => introspect(state, r, lookupClient) },
  };

  return {
    issuer: state.issuer,
    metadata,
    jwks,
    async fetch(request) {
      const route = routes[new URL(request.url).pathname];
      if (!route) return oauthError(404, 'not_found', 'No such endpoint on this authorization server.');
      if (request.method === 'OPTIONS') {
        return new Response(null, {
          status: 204,
          headers: {
            ...CORS,
            'access-control-allow-headers': 'authorization, content-type, dpop, mcp-protocol-version',
          },
        });
      }
      const handle = route[request.method];
      if (!handle)
        return new Response(null, { status: 405, headers: { allow: Object.keys(route).join(', ') } });
      return handle(request);
    },
    addClient(client) {
      const full: DevClient = {
        client_id: client.client_id ?? `dev-${crypto.randomUUID()}`,
        redirect_uris: client.redirect_uris ?? [],
        grant_types: client.grant_types ?? ['authorization_code', 'refresh_token'],
        token_endpoint_auth_method:
          client.token_endpoint_auth_method ?? (client.client_secret ? 'client_secret_basic' : 'none'),
        ...client,
      } as DevClient;
      state.clients.set(full.client_id, full);
      return full;
    },
    mintAccessToken: (who, ttlSec) => mintAccessToken(state, who, ttlSec),
  };
}

function buildMetadata(state: DevState): Record<string, unknown> {
  const at = (path: string) => `${state.issuer}${path}`;
  return {
    issuer: state.issuer,
    authorization_endpoint: at('/authorize'),
    token_endpoint: at('/token'),
    registration_endpoint: at('/register'),
    jwks_uri: at('/jwks'),
    introspection_endpoint: at('/introspect'),
    scopes_supported: state.scopesSupported,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    code_challenge_methods_supported: ['S256'],
    client_id_metadata_document_supported: true,
    authorization_response_iss_parameter_supported: true,
    dpop_signing_alg_values_supported: DPOP_ALGORITHMS,
  };
}
