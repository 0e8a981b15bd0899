/** The development authorization server's options, and everything it keeps in memory. */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

/** A registered client of the development authorization server. */
export interface DevClient {
  client_id: string;
  client_secret?: string;
  client_name?: string;
  redirect_uris: string[];
  grant_types: string[];
  response_types?: string[];
  token_endpoint_auth_method: string;
  application_type?: string;
  scope?: string;
  [field: string]: unknown;
}

/** Options of `createDevAuthorizationServer`. */
export interface DevAuthorizationServerOptions {
  /** The issuer identifier, e.g. `http://localhost:9000`; endpoints live under it. */
  issuer: string;
  /** Scopes clients may ask for (default `mcp:read`, `mcp:write`, `offline_access`). */
  scopesSupported?: string[];
  /** Accepted `resource` values (default: any absolute URI without a fragment). */
  resources?: string[];
  /** The user every authorization is granted for (default `dev-user`). */
  subject?: string;
  /** Access token lifetime, seconds (default 3600). */
  accessTokenTtlSec?: number;
  /** Refresh token lifetime, seconds (default 30 days). */
  refreshTokenTtlSec?: number;
  /** Clients registered from the start. */
  clients?: DevClient[];
  /** Fetch Client ID Metadata Documents from loopback/private addresses and plain-http localhost (default false). */
  allowPrivateClientMetadata?: boolean;
  /** Resolves host names, so that client metadata URLs pointing at private addresses are refused. */
  resolveHost?: (hostname: string) => Promise<string[]>;
  /** The fetch used for Client ID Metadata Documents (default: the global fetch). */
  fetch?: (input: string | URL, init?: RequestInit) => Promise<Response>;
  /** The ES256 signing key pair (default: generated at start). */
  signingKey?: CryptoKeyPair;
  /**
   * Most clients one network address may register (default 100); past it `/register` answers 429.
   * The address comes from the server adapter (`clientAddressOf`); without one only `maxClients` holds.
   */
  maxRegistrationsPerAddress?: number;
  /** Most registered clients in all (default 10,000); past it `/register` answers 503. */
  maxClients?: number;
}

/** An authorization code waiting to be redeemed. */
export interface CodeGrant {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scope: string;
  resource: string | undefined;
  subject: string;
  expiresAt: number;
}

/** A live refresh token. */
export interface RefreshGrant {
  clientId: string;
  scope: string;
  resource: string | undefined;
  subject: string;
  expiresAt: number;
  /** The DPoP key the tokens are bound to, if any. */
  jkt: string | undefined;
}

/** Options with defaults applied, the signing key, and the in-memory stores. */
export interface DevState {
  issuer: string;
  scopesSupported: string[];
  resources: string[] | undefined;
  subject: string;
  accessTtl: number;
  refreshTtl: number;
  allowPrivateClientMetadata: boolean;
  resolveHost: ((hostname: string) => Promise<string[]>) | undefined;
  fetch: (input: string | URL, init?: RequestInit) => Promise<Response>;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
  kid: string;
  clients: Map<string, DevClient>;
  codes: Map<string, CodeGrant>;
  refreshTokens: Map<string, RefreshGrant>;
  maxRegistrationsPerAddress: number;
  maxClients: number;
  /** How many clients each network address has registered. */
  registrations: Map<string, number>;
}

/** Applies the defaults and creates the key and stores. */
export async function createDevState(options: DevAuthorizationServerOptions): Promise<DevState> {
  const keys = options.signingKey ?? (await generateKeyPair('ES256', { extractable: true }));
  const jwk = await exportJWK(keys.publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  const issuer = options.issuer.replace(/\/$/, '');
  const state: DevState = {
    issuer,
    scopesSupported: options.scopesSupported ?? ['mcp:read', 'mcp:write', 'offline_access'],
    resources: options.resources,
    subject: options.subject ?? 'dev-user',
    accessTtl: options.accessTokenTtlSec ?? 3600,
    refreshTtl: options.refreshTokenTtlSec ?? 30 * 24 * 3600,
    allowPrivateClientMetadata: options.allowPrivateClientMetadata ?? false,
    resolveHost: options.resolveHost,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    privateKey: keys.privateKey,
    publicKey: keys.publicKey,
    publicJwk: { ...jwk, kid, alg: 'ES256', use: 'sig' },
    kid,
    clients: new Map(),
    codes: new Map(),
    refreshTokens: new Map(),
    maxRegistrationsPerAddress: options.maxRegistrationsPerAddress ?? 100,
    maxClients: options.maxClients ?? 10_000,
    registrations: new Map(),
  };
  for (const c of options.clients ?? []) state.clients.set(c.client_id, c);
  return state;
}

/** A random URL-safe token of `bytes` random bytes. */
export function randomToken(bytes = 32): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...raw))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}
