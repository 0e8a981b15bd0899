/** Where an OAuth client keeps its tokens (per MCP server) and its registrations (per authorization server). */

/** Tokens for one MCP server. */
export interface StoredTokens {
  /** The access token. */
  accessToken: string;
  /** `Bearer` or `DPoP`. */
  tokenType: string;
  /** The refresh token, when one was issued. */
  refreshToken?: string;
  /** Expiry of the access token, ms since the epoch. */
  expiresAt?: number;
  /** The scopes asked for (space-separated). */
  scope?: string;
  /** The issuer of the authorization server that issued them. */
  issuer: string;
  /** The resource (RFC 8707) they were issued for. */
  resource: string;
}

/** A client registration at one authorization server (from DCR, or pre-registered). */
export interface StoredClient {
  /** The client id. */
  clientId: string;
  /** The client secret, for confidential clients. */
  clientSecret?: string;
  /** The token endpoint authentication method agreed at registration. */
  tokenEndpointAuthMethod?: string;
  /** The redirect URIs registered. */
  redirectUris?: string[];
  /** When the secret expires, seconds since the epoch (0 or absent: never). */
  clientSecretExpiresAt?: number;
}

/** Storage for tokens and client registrations. Every call is async so that it may be remote or on disk. */
export interface TokenStore {
  /** The tokens for an MCP server (keyed by its URL). */
  getTokens(server: string): Promise<StoredTokens | undefined>;
  /** Saves (or, with undefined, forgets) the tokens for an MCP server. */
  setTokens(server: string, tokens: StoredTokens | undefined): Promise<void>;
  /** The client registration at an authorization server (keyed by its issuer). */
  getClient(issuer: string): Promise<StoredClient | undefined>;
  /** Saves (or, with undefined, forgets) the client registration at an authorization server. */
  setClient(issuer: string, client: StoredClient | undefined): Promise<void>;
}

/** The plain-data shape both built-in stores keep. */
export interface TokenStoreData {
  tokens: Record<string, StoredTokens>;
  clients: Record<string, StoredClient>;
}

/** A TokenStore in process memory (the default): nothing survives the process. */
export class MemoryTokenStore implements TokenStore {
  protected data: TokenStoreData = { tokens: {}, clients: {} };

  async getTokens(server: string): Promise<StoredTokens | undefined> {
    const t = (await this.load()).tokens[server];
    return t ? { ...t } : undefined;
  }

  async setTokens(server: string, tokens: StoredTokens | undefined): Promise<void> {
    const data = await this.load();
    if (tokens) data.tokens[server] = { ...tokens };
    else delete data.tokens[server];
    await this.save(data);
  }

  async getClient(issuer: string): Promise<StoredClient | undefined> {
    const c = (await this.load()).clients[issuer];
    return c ? { ...c } : undefined;
  }

  async setClient(issuer: string, client: StoredClient | undefined): Promise<void> {
    const data = await this.load();
    if (client) data.clients[issuer] = { ...client };
    else delete data.clients[issuer];
    await this.save(data);
  }

  /** Reads the current data (a subclass may read it from elsewhere). */
  protected async load(): Promise<TokenStoreData> {
    return this.data;
  }

  /** Writes the data (a subclass may persist it). */
  protected async save(data: TokenStoreData): Promise<void> {
    this.data = data;
  }
}
