/**
 * Client registration, in the spec's order of preference: pre-registered credentials for this
 * authorization server, a Client ID Metadata Document when the server supports them, a stored
 * Dynamic Client Registration, and a new one (RFC 7591, with `application_type`). Registrations are
 * kept per issuer and never used with another authorization server.
 */
import * as oauth from 'oauth4webapi';
import { type DiscoveryContext, vetUrl } from './discovery.ts';
import { messageOf, OAuthFlowError } from './errors.ts';
import { isLoopbackHost } from './resource-uri.ts';
import { type ClientIdentity, type ClientPrivateKey, refuseRedirect } from './token-endpoint.ts';
import type { StoredClient, TokenStore } from './token-store.ts';

/** Client credentials obtained outside the protocol, for one authorization server. */
export interface PreRegisteredClient {
  /** The client id. */
  clientId: string;
  /** The secret, for a confidential client. */
  clientSecret?: string;
  /** The issuer they belong to; when set, they are never sent to another authorization server. */
  issuer?: string;
  /** The token endpoint authentication method to use. */
  tokenEndpointAuthMethod?: string;
}

/** How the client identifies itself. */
export interface RegistrationOptions {
  /** Pre-registered credentials (one, or one per authorization server). */
  preRegistered?: PreRegisteredClient | readonly PreRegisteredClient[];
  /** The https URL of this client's Client ID Metadata Document, used as its client id where supported. */
  clientMetadataUrl?: string;
  /** Client metadata for Dynamic Client Registration (client_name, client_uri, logo_uri, …). */
  clientMetadata?: Record<string, unknown>;
  /** The `application_type` sent in DCR (default: `native` for loopback redirects, else `web`). */
  applicationType?: 'native' | 'web';
  /** The key for `private_key_jwt`. */
  privateKey?: ClientPrivateKey;
}

/** A client identity with where it came from. */
export interface ResolvedClient extends ClientIdentity {
  /** `pre-registered`, `cimd` or `dcr`. */
  source: 'pre-registered' | 'cimd' | 'dcr';
}

/** Checks that a Client ID Metadata Document URL is usable as a client id: https with a path. */
export function checkClientMetadataUrl(value: string): void {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url?.protocol !== 'https:' || url.pathname === '/' || url.hash !== '') {
    throw new OAuthFlowError(
      'configuration',
      `clientMetadataUrl ${value} must be an https URL with a path (and no fragment).`,
    );
  }
}

/** Finds or obtains the client identity to use at `as`. */
export async function resolveClient(
  ctx: DiscoveryContext,
  as: oauth.AuthorizationServer,
  options: RegistrationOptions,
  store: TokenStore,
  redirectUri: string | undefined,
  grantTypes: readonly string[],
  scope: string | undefined,
): Promise<ResolvedClient> {
  const issuer = as.issuer;
  const pre = options.preRegistered === undefined ? [] : [options.preRegistered].flat();
  if (pre.length > 0) {
    const match = pre.find((c) => c.issuer === issuer) ?? pre.find((c) => c.issuer === undefined);
    if (!match) {
      throw new OAuthFlowError(
        'configuration',
        `The pre-registered client credentials are for ${pre.map((c) => c.issuer).join(', ')}, but the MCP server now uses the authorization server ${issuer}; register a client there.`,
      );
    }
    return {
      ...withAuth(match.clientId, match.clientSecret, match.tokenEndpointAuthMethod, options),
      source: 'pre-registered',
    };
  }
  if (options.clientMetadataUrl !== undefined && as.client_id_metadata_document_supported === true) {
    const method = options.privateKey ? 'private_key_jwt' : 'none';
    return { ...withAuth(options.clientMetadataUrl, undefined, method, options), source: 'cimd' };
  }
  const stored = await store.getClient(issuer);
  if (stored && usable(stored, redirectUri)) {
    return {
      ...withAuth(stored.clientId, stored.clientSecret, stored.tokenEndpointAuthMethod, options),
      source: 'dcr',
    };
  }
  if (typeof as.registration_endpoint !== 'string') {
    throw new OAuthFlowError(
      'no_client',
      `The authorization server ${issuer} supports neither Client ID Metadata Documents${options.clientMetadataUrl ? '' : ' (or no clientMetadataUrl is set)'} nor Dynamic Client Registration; configure preRegistered client credentials for it.`,
    );
  }
  const registered = await register(ctx, as, options, redirectUri, grantTypes, scope);
  await store.setClient(issuer, registered);
  return {
    ...withAuth(registered.clientId, registered.clientSecret, registered.tokenEndpointAuthMethod, options),
    source: 'dcr',
  };
}

function withAuth(
  clientId: string,
  clientSecret: string | undefined,
  authMethod: string | undefined,
  options: RegistrationOptions,
): ClientIdentity {
  const identity: ClientIdentity = { clientId };
  if (clientSecret !== undefined) identity.clientSecret = clientSecret;
  if (authMethod !== undefined) identity.authMethod = authMethod;
  if (options.privateKey) identity.privateKey = options.privateKey;
  return identity;
}

function usable(client: StoredClient, redirectUri: string | undefined): boolean {
  const expires = client.clientSecretExpiresAt ?? 0;
  if (expires !== 0 && expires * 1000 <= Date.now()) return false;
  return redirectUri === undefined || (client.redirectUris ?? []).includes(redirectUri);
}

/** The `application_type` for a redirect URI: native for loopback or custom schemes, web otherwise. */
export function applicationTypeFor(redirectUri: string | undefined): 'native' | 'web' {
  if (redirectUri === undefined) return 'web';
  const url = new URL(redirectUri);
  return url.protocol !== 'https:' && url.protocol !== 'http:'
    ? 'native'
    : isLoopbackHost(url.hostname)
      ? 'native'
      : 'web';
}

async function register(
  ctx: DiscoveryContext,
  as: oauth.AuthorizationServer,
  options: RegistrationOptions,
  redirectUri: string | undefined,
  grantTypes: readonly string[],
  scope: string | undefined,
): Promise<StoredClient> {
  if (!URL.canParse(as.registration_endpoint as string)) {
    throw new OAuthFlowError(
      'invalid_metadata',
      `The registration_endpoint of ${as.issuer} (${JSON.stringify(as.registration_endpoint)}) is not an absolute URL.`,
    );
  }
  const endpoint = new URL(as.registration_endpoint as string);
  await vetUrl(ctx, endpoint, 'registration endpoint');
  const supported = as.token_endpoint_auth_methods_supported;
  const method =
    supported === undefined || supported.includes('none')
      ? 'none'
      : supported.includes('client_secret_basic')
        ? 'client_secret_basic'
        : 'client_secret_post';
  const metadata: Record<string, unknown> = {
    client_name: 'MCP client',
    ...options.clientMetadata,
    redirect_uris: redirectUri === undefined ? [] : [redirectUri],
    grant_types: [...grantTypes],
    response_types: grantTypes.includes('authorization_code') ? ['code'] : [],
    token_endpoint_auth_method: method,
    application_type: options.applicationType ?? applicationTypeFor(redirectUri),
  };
  if (scope) metadata.scope = scope;
  let response: Response;
  try {
    response = await oauth.dynamicClientRegistrationRequest(as, metadata as Partial<oauth.Client>, {
      [oauth.customFetch]: ctx.fetch as typeof fetch,
      [oauth.allowInsecureRequests]: endpoint.protocol === 'http:',
    });
  } catch (error) {
    if (error instanceof OAuthFlowError) throw error;
    throw new OAuthFlowError(
      'registration_rejected',
      `Dynamic Client Registration at ${endpoint.href} failed: ${messageOf(error)}`,
      { cause: error },
    );
  }
  refuseRedirect(response, `The registration endpoint ${endpoint.href}`);
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // reported below
  }
  if (response.status !== 201 && response.status !== 200) {
    const detail =
      typeof json.error === 'string'
        ? ` (${json.error}${json.error_description ? `: ${String(json.error_description)}` : ''})`
        : '';
    throw new OAuthFlowError(
      'registration_rejected',
      `The authorization server ${as.issuer} rejected Dynamic Client Registration with HTTP ${response.status}${detail}; check redirect URIs and application_type, or configure preRegistered credentials.`,
      { oauthError: typeof json.error === 'string' ? json.error : undefined },
    );
  }
  if (typeof json.client_id !== 'string' || json.client_id === '') {
    throw new OAuthFlowError(
      'registration_rejected',
      `The registration response from ${endpoint.href} has no client_id.`,
    );
  }
  const client: StoredClient = {
    clientId: json.client_id,
    redirectUris: Array.isArray(json.redirect_uris)
      ? (json.redirect_uris as string[])
      : redirectUri
        ? [redirectUri]
        : [],
  };
  if (typeof json.client_secret === 'string') client.clientSecret = json.client_secret;
  if (typeof json.token_endpoint_auth_method === 'string')
    client.tokenEndpointAuthMethod = json.token_endpoint_auth_method;
  else if (client.clientSecret === undefined) client.tokenEndpointAuthMethod = 'none';
  if (typeof json.client_secret_expires_at === 'number')
    client.clientSecretExpiresAt = json.client_secret_expires_at;
  return client;
}
