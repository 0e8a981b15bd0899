/**
 * OAuth for the commands that talk to a URL: stored tokens (the user's token file) on every request,
 * a refresh when they expire or are refused, and, when the server asks for authorization, the browser
 * login on a loopback redirect — only where a user can be there for it; otherwise an error that says
 * to run `mcpkit login <url>`.
 */
import {
  type AuthChallenge,
  addressClass,
  authChallengeOf,
  createOAuthClient,
  isLoopbackHost,
  type NetworkPolicy,
  type OAuthClient,
  OAuthFlowError,
  unionScopes,
} from '../../auth/index.ts';
import {
  createLoopbackRedirect,
  type LoopbackRedirect,
  launchBrowser,
  resolveHostAddresses,
} from '../../node/index.ts';
import { AuthorizationError, CliError } from '../errors.ts';
import type { Terminal } from '../terminal.ts';
import { VERSION } from '../version.ts';
import { tokenFilePath } from './config-dir.ts';
import { LoginStore } from './login-store.ts';

/** Options of `CliAuth.create`. */
export interface CliAuthOptions {
  /** The MCP server. */
  url: URL;
  /** Run the browser login when the server asks for authorization (else fail with "run mcpkit login"). */
  login: boolean;
  /** Start the system browser on the authorization URL (it is printed either way). */
  browser: boolean;
  /** Where notes (the authorization URL) are printed. */
  term: Terminal;
  /** The scopes to ask for instead of the server's choice. */
  scope?: string;
  /** The token file (default: `tokenFilePath()`). */
  storePath?: string;
  /** Told about each authorization failure (a long-running bridge reports them on stderr). */
  report?: (error: CliError) => void;
  /** The deadline of each OAuth request (discovery, registration, token), in ms (the command's --timeout). */
  timeoutMs?: number;
}

/** The OAuth state of one command: hand `headers` and `onUnauthorized` to the HTTP transport. */
export class CliAuth {
  /** The token file. */
  readonly storePath: string;
  /** Where tokens and registrations are kept. */
  readonly store: LoginStore;
  /** The first authorization failure, which explains why a request failed. */
  failure: CliError | undefined;
  readonly #options: CliAuthOptions;
  readonly #policy: NetworkPolicy;
  #client: OAuthClient;
  #loginClient: Promise<OAuthClient> | undefined;
  #loopback: LoopbackRedirect | undefined;
  #forgottenIssuer: string | undefined;

  private constructor(options: CliAuthOptions, storePath: string, policy: NetworkPolicy) {
    this.#options = options;
    this.storePath = storePath;
    this.store = new LoginStore(storePath);
    this.#policy = policy;
    this.#client = this.#newClient(undefined);
  }

  /** Prepares OAuth for `options.url`; nothing is sent until the transport asks. */
  static async create(options: CliAuthOptions): Promise<CliAuth> {
    return new CliAuth(options, options.storePath ?? tokenFilePath(), await networkPolicyFor(options.url));
  }

  /** The server's key in the token file. */
  get serverKey(): string {
    return this.#options.url.href;
  }

  /** The headers for the next request: the stored access token, refreshed first when it is about to expire. */
  readonly headers = (): Promise<Record<string, string>> => this.#client.headers();

  /** Handles a 401/403 from the server; true when the request should be sent again. */
  readonly onUnauthorized = async (response: Response): Promise<boolean> => {
    try {
      const challenge = authChallengeOf(response);
      if (response.status === 403 && challenge?.error !== 'insufficient_scope') return false;
      if (response.status === 401 && this.#loginClient === undefined) {
        const held = await this.#client.tokens();
        if (held?.refreshToken && (await this.#client.refresh().catch(() => false))) return true;
      }
      if (!this.#options.login) throw await this.#loginNeeded(response.status, challenge);
      // The loopback listener does not keep the process alive; the wait for the browser must.
      const waiting = setInterval(() => {}, 60_000);
      try {
        this.#client = await this.#forLogin();
        return await this.#client.onUnauthorized(response);
      } finally {
        clearInterval(waiting);
      }
    } catch (error) {
      const failure =
        error instanceof CliError
          ? error
          : new AuthorizationError(
              `Authorization with ${this.serverKey} failed: ${error instanceof Error ? error.message : String(error)}`,
              error instanceof OAuthFlowError ? `(${error.code})` : undefined,
              { cause: error },
            );
      this.failure ??= failure;
      this.#options.report?.(failure);
      throw failure;
    }
  };

  /**
   * Logs in before the first MCP request when that is allowed and no tokens are stored, if the server
   * asks for authorization: a login inside a request would race its timeout (and the era probe's).
   * Sends one `ping` without a session; any answer but 401 (or a 403 for scopes) is left alone.
   */
  async preflight(headers: Record<string, string> = {}): Promise<void> {
    if (!this.#options.login || (await this.#client.tokens().catch(() => undefined))) return;
    let response: Response;
    try {
      response = await fetch(this.#options.url, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          ...headers,
          accept: 'application/json, text/event-stream',
          'content-type': 'application/json',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 'mcpkit-authorization-check', method: 'ping' }),
        signal: AbortSignal.timeout(this.#options.timeoutMs ?? 10_000),
      });
    } catch {
      return; // the connection itself says what is wrong
    }
    await response.body?.cancel().catch(() => {});
    if (response.status === 401 || response.status === 403) await this.onUnauthorized(response);
  }

  /** The tokens held for the server, if any. */
  tokens(): ReturnType<OAuthClient['tokens']> {
    return this.#client.tokens();
  }

  /** Forgets the stored tokens of the server (its client registration stays). */
  async forget(): Promise<void> {
    this.#forgottenIssuer = (await this.#client.tokens().catch(() => undefined))?.issuer;
    await this.#client.logout();
  }

  /** Stops the loopback listener, if one was started. */
  async close(): Promise<void> {
    await this.#loopback?.close();
    this.#loopback = undefined;
  }

  #newClient(loopback: LoopbackRedirect | undefined): OAuthClient {
    return createOAuthClient({
      serverUrl: this.#options.url,
      store: this.store,
      clientMetadata: {
        client_name: 'mcpkit command line',
        software_id: 'mcpkit',
        software_version: VERSION,
      },
      ...(loopback ? { redirectUri: loopback.redirectUri, redirect: loopback.redirect } : {}),
      ...(this.#options.scope ? { scope: this.#options.scope } : {}),
      ...(this.#options.timeoutMs ? { timeoutMs: this.#options.timeoutMs } : {}),
      ...this.#policy,
    });
  }

  /** The client that can log in: listens on a loopback redirect (the port of the last registration if free). */
  #forLogin(): Promise<OAuthClient> {
    this.#loginClient ??= this.#startLogin();
    return this.#loginClient;
  }

  async #startLogin(): Promise<OAuthClient> {
    const open = (url: string) => this.#showAuthorizationUrl(url);
    const port = await this.#previousPort();
    this.#loopback =
      port === undefined
        ? await createLoopbackRedirect({ open })
        : await createLoopbackRedirect({ port, open }).catch(() => createLoopbackRedirect({ open }));
    return this.#newClient(this.#loopback);
  }

  /** The loopback port registered at the issuer of the stored tokens, so that the registration is reused. */
  async #previousPort(): Promise<number | undefined> {
    const issuer = (await this.#client.tokens().catch(() => undefined))?.issuer ?? this.#forgottenIssuer;
    if (issuer === undefined) return undefined;
    const registered = await this.store.getClient(issuer).catch(() => undefined);
    for (const uri of registered?.redirectUris ?? []) {
      const url = URL.canParse(uri) ? new URL(uri) : undefined;
      if (url?.protocol === 'http:' && isLoopbackHost(url.hostname) && url.port) return Number(url.port);
    }
    return undefined;
  }

  #showAuthorizationUrl(url: string): void {
    const { term } = this.#options;
    const where = new URL(url).origin;
    if (!this.#options.browser) {
      term.note(`To authorize mcpkit with ${where}, open this URL in a browser:\n  ${url}`);
      return;
    }
    term.note(
      `Opening a browser to authorize mcpkit with ${where}. If none opens, visit this URL:\n  ${url}`,
    );
    void launchBrowser(url).then((opened) => {
      if (!opened) term.note('(No browser could be started; open the URL above yourself.)');
    });
  }

  async #loginNeeded(status: number, challenge: AuthChallenge | undefined): Promise<AuthorizationError> {
    const url = this.serverKey;
    const held = await this.#client.tokens().catch(() => undefined);
    const why =
      'Only a command whose stdin is a terminal logs in by itself, in a browser. A token you already have can be given with -H "Authorization: Bearer <token>".';
    if (status === 403) {
      const scope = unionScopes(held?.scope, challenge?.scope)
        .filter((s) => s !== 'offline_access')
        .join(' ');
      return new AuthorizationError(
        `${url} needs more permission for this request${challenge?.scope ? ` (scope ${challenge.scope})` : ''} than the stored login grants. Run: mcpkit login ${url} --scope "${scope}"`,
        why,
      );
    }
    return new AuthorizationError(
      held
        ? `${url} refused the stored login. Run: mcpkit login ${url}`
        : `${url} needs authorization. Run: mcpkit login ${url}`,
      why,
    );
  }
}

/**
 * The SSRF policy for the OAuth URLs a server points at: a server on loopback may use an
 * authorization server on loopback (local development) and nothing else that is not public; a
 * server on a private network may use private addresses too; a public server may not send us to
 * either. Link-local addresses (cloud metadata) are refused for all of them.
 */
export async function networkPolicyFor(url: URL): Promise<NetworkPolicy> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isLoopbackHost(host)) return { allowLoopback: true, resolveHost: resolveHostAddresses };
  const literal = /^[\d.]+$/.test(host) || host.includes(':');
  const addresses = literal ? [host] : await resolveHostAddresses(host).catch(() => []);
  const classes = addresses.map((a) => addressClass(a));
  if (classes.length > 0 && classes.every((c) => c === 'private' || c === 'loopback')) {
    return { allowPrivateNetwork: true, resolveHost: resolveHostAddresses };
  }
  return { resolveHost: resolveHostAddresses };
}

/** Whether `-H` already carries an Authorization header (then stored logins are not used). */
export function hasAuthorizationHeader(headers: Record<string, string>): boolean {
  return Object.keys(headers).some((name) => name.toLowerCase() === 'authorization');
}
