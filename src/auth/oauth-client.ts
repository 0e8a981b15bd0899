/**
 * The OAuth client for one MCP server, shaped for the HTTP client transports: `headers()` (or
 * `fetch`, needed for DPoP) adds the token to every request, and `onUnauthorized(response)` runs
 * discovery, registration, authorization and the token request on 401/403 and says whether to retry.
 */
import type * as oauth from 'oauth4webapi';
import type { AuthorizationRedirect } from './authorization.ts';
import { type AuthChallenge, authChallengeOf } from './challenge.ts';
import {
  type DiscoveryContext,
  discoverAuthorizationServer,
  discoverResourceMetadata,
  legacyAuthorizationServer,
  type OAuthFetch,
  type ResourceMetadata,
} from './discovery.ts';
import { createDpopHandle, dpopFetch } from './dpop-client.ts';
import { OAuthFlowError } from './errors.ts';
import { type OAuthGrant, obtainTokens } from './grants.ts';
import type { NetworkPolicy } from './network-guard.ts';
import { boundedOAuthFetch, type OAuthRequestLimits } from './oauth-fetch.ts';
import { checkClientMetadataUrl, type RegistrationOptions, resolveClient } from './registration.ts';
import { canonicalResourceUri, redirectUriProblem } from './resource-uri.ts';
import { parseScopes, unionScopes } from './scopes.ts';
import { refreshGrant, tokenEndpoint } from './token-endpoint.ts';
import { MemoryTokenStore, type StoredTokens, type TokenStore } from './token-store.ts';

/** Options of `createOAuthClient`. */
export interface OAuthClientOptions extends RegistrationOptions, NetworkPolicy, OAuthRequestLimits {
  /** The MCP endpoint this client authorizes for. */
  serverUrl: string | URL;
  /** The redirect URI registered for the authorization code flow. */
  redirectUri?: string;
  /** The user agent step of the authorization code flow. */
  redirect?: AuthorizationRedirect;
  /** How tokens are obtained (default: the authorization code flow). */
  grant?: OAuthGrant;
  /** Where tokens and registrations are kept (default: in memory). */
  store?: TokenStore;
  /** The fetch used for every OAuth request and by `fetch` (default: the global fetch). */
  fetch?: OAuthFetch;
  /** A fixed scope to ask for, instead of the challenge's or the metadata's. */
  scope?: string;
  /** Ask for `offline_access` (refresh tokens) when the server lists it (default true). */
  offlineAccess?: boolean;
  /** Authorizations allowed without a successful request in between (default 3). */
  maxAuthorizations?: number;
  /** Follow the 2025-03-26 discovery fallbacks when there is no resource metadata (default true). */
  legacyFallback?: boolean;
  /** Bind tokens to a DPoP key (true: generate one); requests then need `fetch`, not `headers`. */
  dpop?: boolean | CryptoKeyPair;
  /** Sent as `MCP-Protocol-Version` on discovery requests. */
  protocolVersion?: string;
  /** Refresh this many seconds before the access token expires (default 60). */
  refreshSkewSec?: number;
  /**
   * Accept Protected Resource Metadata whose `resource` is any parent path of the server URL (default
   * false: RFC 9728 §3.3 wants the identical identifier, or the one the metadata's well-known URL was
   * built from). For servers that publish their origin at a path-specific URL.
   */
  allowParentResource?: boolean;
}

interface Discovered {
  as: oauth.AuthorizationServer;
  resource: string | undefined;
  prm?: ResourceMetadata;
}

const ATTEMPT_WINDOW_MS = 10 * 60_000;

/** An OAuth client for one MCP server; pass `transportOptions()` (or `headers` and `onUnauthorized`) to a transport. */
export class OAuthClient {
  readonly #options: OAuthClientOptions;
  readonly #serverKey: string;
  readonly #ctx: DiscoveryContext;
  readonly #store: TokenStore;
  readonly #inner: OAuthFetch;
  readonly #asCache = new Map<string, oauth.AuthorizationServer>();
  #tokens: StoredTokens | undefined | null = null;
  #discovered: Discovered | undefined;
  #attempts: number[] = [];
  #running: Promise<boolean> | undefined;
  #refreshing: Promise<StoredTokens | undefined> | undefined;
  #dpop: Promise<oauth.DPoPHandle> | undefined;

  constructor(options: OAuthClientOptions) {
    this.#options = options;
    const serverUrl = new URL(options.serverUrl);
    this.#serverKey = serverUrl.href;
    if (options.clientMetadataUrl !== undefined) checkClientMetadataUrl(options.clientMetadataUrl);
    const badRedirect =
      options.redirectUri === undefined ? undefined : redirectUriProblem(options.redirectUri, 'native');
    if (badRedirect) throw new OAuthFlowError('configuration', `The redirectUri ${badRedirect}.`);
    this.#inner = options.fetch ?? ((input, init) => fetch(input, init));
    this.#store = options.store ?? new MemoryTokenStore();
    this.#ctx = {
      serverUrl,
      fetch: boundedOAuthFetch(this.#inner, options),
      policy: {
        allowPrivateNetwork: options.allowPrivateNetwork,
        allowLoopback: options.allowLoopback,
        resolveHost: options.resolveHost,
      },
      allowParentResource: options.allowParentResource === true,
      ...(options.protocolVersion ? { protocolVersion: options.protocolVersion } : {}),
    };
    if (options.dpop) this.#dpop = createDpopHandle(options.dpop === true ? undefined : options.dpop);
  }

  /** The headers for the next request: `Authorization: Bearer …` once a token is held. */
  readonly headers = async (): Promise<Record<string, string>> => {
    const tokens = await this.#usableTokens();
    if (!tokens) return {};
    if (tokens.tokenType.toLowerCase() === 'dpop') {
      throw new OAuthFlowError(
        'configuration',
        'DPoP-bound tokens need a proof on every request: give the transport `fetch: auth.fetch` instead of `headers`.',
      );
    }
    return { authorization: `Bearer ${tokens.accessToken}` };
  };

  /** A fetch that adds the token (Bearer, or DPoP with a fresh proof) to each request. */
  readonly fetch = async (input: string | URL, init?: RequestInit): Promise<Response> => {
    const tokens = await this.#usableTokens();
    let response: Response;
    if (!tokens) response = await this.#inner(input, init);
    else if (tokens.tokenType.toLowerCase() === 'dpop' && this.#dpop) {
      response = await dpopFetch(await this.#dpop, tokens.accessToken, this.#inner, input, init);
    } else {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${tokens.accessToken}`);
      response = await this.#inner(input, { ...init, headers });
    }
    if (response.ok) this.#attempts = [];
    return response;
  };

  /** Handles a 401/403: obtains (or refreshes, or steps up) a token; true when the request should be retried. */
  readonly onUnauthorized = (response: Response): Promise<boolean> => {
    this.#running ??= this.#handle(response).finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  };

  /** What to spread into the transport options: `fetch` and `onUnauthorized`. */
  transportOptions(): { fetch: OAuthFetch; onUnauthorized: (response: Response) => Promise<boolean> } {
    return { fetch: this.fetch, onUnauthorized: this.onUnauthorized };
  }

  /** The tokens held for this server, if any. */
  async tokens(): Promise<StoredTokens | undefined> {
    return (await this.#load()) ?? undefined;
  }

  /** Uses the refresh token now; true when new tokens were obtained. */
  async refresh(): Promise<boolean> {
    const tokens = await this.#load();
    if (!tokens?.refreshToken) return false;
    return (await this.#refresh(tokens)) !== undefined;
  }

  /** Forgets the tokens for this server (registrations stay). */
  async logout(): Promise<void> {
    this.#tokens = undefined;
    await this.#store.setTokens(this.#serverKey, undefined);
  }

  async #load(): Promise<StoredTokens | undefined> {
    if (this.#tokens === null) this.#tokens = await this.#store.getTokens(this.#serverKey);
    return this.#tokens;
  }

  async #save(tokens: StoredTokens | undefined): Promise<void> {
    this.#tokens = tokens;
    await this.#store.setTokens(this.#serverKey, tokens);
  }

  /** The current tokens, refreshed first when they are about to expire. */
  async #usableTokens(): Promise<StoredTokens | undefined> {
    const tokens = await this.#load();
    if (!tokens?.expiresAt) return tokens;
    const skew = (this.#options.refreshSkewSec ?? 60) * 1000;
    if (tokens.expiresAt - skew > Date.now()) return tokens;
    if (!tokens.refreshToken) return tokens.expiresAt > Date.now() ? tokens : undefined;
    return (
      (await this.#refresh(tokens).catch(() => undefined)) ??
      (tokens.expiresAt > Date.now() ? tokens : undefined)
    );
  }

  #refresh(tokens: StoredTokens): Promise<StoredTokens | undefined> {
    this.#refreshing ??= this.#doRefresh(tokens).finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #doRefresh(tokens: StoredTokens): Promise<StoredTokens | undefined> {
    const as = await this.#serverFor(tokens.issuer);
    const client = await resolveClient(
      this.#ctx,
      as,
      this.#options,
      this.#store,
      this.#options.redirectUri,
      [],
      undefined,
    );
    const ep = await tokenEndpoint(this.#ctx, as, client, this.#dpop ? await this.#dpop : undefined);
    try {
      const response = await refreshGrant(ep, tokens.refreshToken as string, tokens.resource);
      const next = toStored(response, tokens.issuer, tokens.resource, tokens.scope, tokens.refreshToken);
      await this.#save(next);
      return next;
    } catch (error) {
      if (error instanceof OAuthFlowError && error.oauthError === 'invalid_grant') {
        await this.#save(undefined);
        return undefined;
      }
      throw error;
    }
  }

  /** The metadata of a known issuer (for refresh), from the cache or by discovery. */
  async #serverFor(issuer: string): Promise<oauth.AuthorizationServer> {
    if (this.#discovered?.as.issuer === issuer) return this.#discovered.as;
    const cached = this.#asCache.get(issuer);
    if (cached) return cached;
    const as =
      issuer === this.#ctx.serverUrl.origin && this.#options.legacyFallback !== false
        ? await discoverAuthorizationServer(this.#ctx, issuer).catch(() =>
            legacyAuthorizationServer(this.#ctx),
          )
        : await discoverAuthorizationServer(this.#ctx, issuer);
    this.#asCache.set(issuer, as);
    return as;
  }

  async #handle(response: Response): Promise<boolean> {
    const challenge = authChallengeOf(response);
    const stepUp = response.status === 403;
    if (stepUp && challenge?.error !== 'insufficient_scope') return false;
    if (response.status !== 401 && !stepUp) return false;
    const held = await this.#load();
    const found = await this.#discover(challenge, held?.issuer);
    const sameServer =
      held !== undefined && held.issuer === found.as.issuer && held.resource === found.resource;
    if (held && !sameServer) await this.#save(undefined);
    if (!stepUp && sameServer && held?.refreshToken) {
      this.#countAttempt(held.scope);
      const refreshed = await this.#refresh(held).catch(() => undefined);
      if (refreshed) return true;
    }
    const scope = this.#chooseScope(challenge, found, sameServer ? held : undefined, stepUp);
    this.#countAttempt(scope);
    const dpop = this.#dpop ? await this.#dpop : undefined;
    const result = await obtainTokens({
      ctx: this.#ctx,
      as: found.as,
      resource: found.resource,
      scope,
      grant: this.#options.grant ?? { type: 'authorization_code' },
      registration: this.#options,
      store: this.#store,
      redirectUri: this.#options.redirectUri,
      redirect: this.#options.redirect,
      dpop,
    });
    await this.#save(toStored(result, found.as.issuer, found.resource, scope, undefined));
    return true;
  }

  async #discover(challenge: AuthChallenge | undefined, heldIssuer: string | undefined): Promise<Discovered> {
    const prm = await discoverResourceMetadata(this.#ctx, challenge?.resourceMetadata);
    if (!prm) {
      if (this.#options.legacyFallback === false) {
        throw new OAuthFlowError(
          'metadata_not_found',
          `The MCP server ${this.#serverKey} publishes no protected resource metadata (neither in its challenge nor at the well-known URLs).`,
        );
      }
      const as = await legacyAuthorizationServer(this.#ctx);
      this.#discovered = { as, resource: canonicalResourceUri(this.#ctx.serverUrl) };
      return this.#discovered;
    }
    const servers = prm.metadata.authorization_servers;
    const issuer =
      heldIssuer !== undefined && servers.includes(heldIssuer) ? heldIssuer : (servers[0] as string);
    const as = this.#asCache.get(issuer) ?? (await discoverAuthorizationServer(this.#ctx, issuer));
    this.#asCache.set(issuer, as);
    this.#discovered = { as, resource: prm.metadata.resource, prm: prm.metadata };
    return this.#discovered;
  }

  /** The challenge's scopes, else the metadata's; step-up adds what was asked before; `offline_access` if listed. */
  #chooseScope(
    challenge: AuthChallenge | undefined,
    found: Discovered,
    held: StoredTokens | undefined,
    stepUp: boolean,
  ): string | undefined {
    const fixed = this.#options.scope;
    const challenged = challenge?.scope?.trim() ? challenge.scope : undefined;
    const published = found.prm?.scopes_supported?.join(' ');
    let scopes =
      stepUp || held
        ? unionScopes(held?.scope, fixed, challenged ?? (held ? undefined : published))
        : parseScopes(fixed ?? challenged ?? published);
    const grant = this.#options.grant?.type ?? 'authorization_code';
    const offline = found.as.scopes_supported?.includes('offline_access') === true;
    if (grant === 'authorization_code' && this.#options.offlineAccess !== false && offline) {
      scopes = unionScopes(scopes, ['offline_access']);
    }
    return scopes.length > 0 ? scopes.join(' ') : undefined;
  }

  #countAttempt(scope: string | undefined): void {
    const now = Date.now();
    this.#attempts = this.#attempts.filter((t) => now - t < ATTEMPT_WINDOW_MS);
    const max = this.#options.maxAuthorizations ?? 3;
    if (this.#attempts.length >= max) {
      throw new OAuthFlowError(
        'step_up_limit',
        `Gave up after ${max} authorizations without a successful request (last scope asked: ${scope ?? '(none)'}); the server keeps refusing the tokens it gets.`,
      );
    }
    this.#attempts.push(now);
  }
}

function toStored(
  response: oauth.TokenEndpointResponse,
  issuer: string,
  resource: string | undefined,
  scope: string | undefined,
  previousRefresh: string | undefined,
): StoredTokens {
  const tokens: StoredTokens = {
    accessToken: response.access_token,
    tokenType: response.token_type,
    issuer,
    resource: resource ?? '',
  };
  const refresh = response.refresh_token ?? previousRefresh;
  if (refresh) tokens.refreshToken = refresh;
  if (typeof response.expires_in === 'number') tokens.expiresAt = Date.now() + response.expires_in * 1000;
  const granted = response.scope ?? scope;
  if (granted) tokens.scope = granted;
  return tokens;
}

/** Creates the OAuth client for one MCP server. */
export function createOAuthClient(options: OAuthClientOptions): OAuthClient {
  return new OAuthClient(options);
}
