/**
 * The Node pieces of the OAuth client: the loopback redirect for command-line programs (RFC 8252
 * §7.3: a one-shot listener on 127.0.0.1, the system browser opened without a shell), a file-backed
 * TokenStore readable only by its owner (mode 0600), and DNS resolution for the SSRF guard.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import {
  type AuthorizationRedirect,
  type AuthorizationResult,
  authorizationResultFrom,
  isLoopbackHost,
  MemoryTokenStore,
  OAuthFlowError,
  type TokenStoreData,
} from '../auth/node.ts';
import { launchBrowser } from './browser.ts';

/** Options of `createLoopbackRedirect`. */
export interface LoopbackRedirectOptions {
  /** The port to listen on (default 0: any free port; a fixed port keeps a registered redirect URI stable). */
  port?: number;
  /** The redirect URI's path (default `/callback`). */
  path?: string;
  /** Opens the authorization URL (default: the system browser). */
  open?: (url: string) => void | Promise<void>;
  /** How long to wait for the browser to come back, ms (default 5 minutes). */
  timeoutMs?: number;
}

/** A listening loopback redirect: register `redirectUri`, pass `redirect` to the OAuth client, `close()` when done. */
export interface LoopbackRedirect {
  /** `http://127.0.0.1:<port><path>`. */
  readonly redirectUri: string;
  /** The user agent step: opens the browser and resolves with what arrives at the redirect URI. */
  readonly redirect: AuthorizationRedirect;
  /** Stops listening. */
  close(): Promise<void>;
}

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'",
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

/** Starts the loopback listener for the authorization code flow. */
export async function createLoopbackRedirect(
  options: LoopbackRedirectOptions = {},
): Promise<LoopbackRedirect> {
  const path = options.path ?? '/callback';
  const waiting = new Map<string, (result: AuthorizationResult) => void>();
  const { createServer } = await import('node:http'); // not at module load: mcpkit/node's stdio users never need it
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const settle =
      url.pathname === path && req.method === 'GET'
        ? waiting.get(url.searchParams.get('state') ?? '')
        : undefined;
    if (!settle) {
      res
        .writeHead(404, PAGE_HEADERS)
        .end('<!doctype html><p>No authorization is waiting for this response.</p>');
      return;
    }
    waiting.delete(url.searchParams.get('state') ?? '');
    res
      .writeHead(200, PAGE_HEADERS)
      .end(
        '<!doctype html><p>The authorization response has been received. You can close this window and return to the application.</p>',
      );
    settle(authorizationResultFrom(url.searchParams));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  server.unref();
  const port = (server.address() as AddressInfo).port;
  const open = options.open ?? openBrowser;
  const timeoutMs = options.timeoutMs ?? 5 * 60_000;

  const redirect: AuthorizationRedirect = async (authorizationUrl) => {
    const { protocol, hostname } = authorizationUrl;
    if (protocol !== 'https:' && !(protocol === 'http:' && isLoopbackHost(hostname))) {
      throw new OAuthFlowError(
        'unsafe_url',
        `Refusing to open the authorization URL ${authorizationUrl.href}: only https (or http on localhost) is opened.`,
      );
    }
    const state = authorizationUrl.searchParams.get('state');
    if (!state) throw new OAuthFlowError('configuration', 'The authorization URL carries no state.');
    const result = new Promise<AuthorizationResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(state);
        reject(
          new OAuthFlowError(
            'authorization_failed',
            `No authorization response arrived at the loopback redirect within ${timeoutMs} ms.`,
          ),
        );
      }, timeoutMs);
      timer.unref();
      waiting.set(state, (value) => {
        clearTimeout(timer);
        resolve(value);
      });
    });
    await open(authorizationUrl.href);
    return result;
  };

  return {
    redirectUri: `http://127.0.0.1:${port}${path}`,
    redirect,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Opens a URL in the system browser, without a shell; prints it when no browser can be started. */
export function openBrowser(url: string): void {
  void launchBrowser(url).then((opened) => {
    if (!opened) process.stderr.write(`Open this URL in a browser to authorize:\n  ${url}\n`);
  });
}

/** A TokenStore in a JSON file that only its owner can read (created with mode 0600, in a 0700 directory). */
export class FileTokenStore extends MemoryTokenStore {
  readonly #path: string;
  #loaded: Promise<TokenStoreData> | undefined;
  #writing: Promise<void> = Promise.resolve();

  constructor(path: string) {
    super();
    this.#path = path;
  }

  protected override load(): Promise<TokenStoreData> {
    this.#loaded ??= this.#read();
    return this.#loaded;
  }

  async #read(): Promise<TokenStoreData> {
    const { chmod, readFile, stat } = await import('node:fs/promises');
    let text: string;
    try {
      text = await readFile(this.#path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { tokens: {}, clients: {} };
      throw error;
    }
    if (((await stat(this.#path)).mode & 0o077) !== 0) await chmod(this.#path, 0o600);
    const data = JSON.parse(text) as Partial<TokenStoreData>;
    return { tokens: data.tokens ?? {}, clients: data.clients ?? {} };
  }

  protected override save(data: TokenStoreData): Promise<void> {
    const text = JSON.stringify(data, null, 2);
    this.#writing = this.#writing
      .catch(() => {})
      .then(async () => {
        const { mkdir, rename, writeFile } = await import('node:fs/promises');
        await mkdir(dirname(this.#path), { recursive: true, mode: 0o700 });
        const temporary = `${this.#path}.${process.pid}.${crypto.randomUUID()}.tmp`;
        await writeFile(temporary, text, { mode: 0o600, flag: 'wx' });
        await rename(temporary, this.#path);
      });
    return this.#writing;
  }
}

/** Resolves a host name with the system resolver: pass as `resolveHost` so names of private addresses are refused. */
export async function resolveHostAddresses(hostname: string): Promise<string[]> {
  const { lookup } = await import('node:dns/promises');
  const found = await lookup(hostname.replace(/^\[|\]$/g, ''), { all: true, verbatim: true });
  return found.map((a) => a.address);
}
