/**
 * `mcpkit login <url>`: the OAuth authorization code flow in the browser, with a loopback redirect;
 * the tokens go to the user's token file (mode 0600) for every later command. `mcpkit logout [<url>]`
 * forgets them.
 */
import { rm } from 'node:fs/promises';
import { CliAuth } from '../auth/cli-auth.ts';
import { tokenFilePath } from '../auth/config-dir.ts';
import { LoginStore } from '../auth/login-store.ts';
import { UsageError } from '../errors.ts';
import { ClientSession, parseTimeout } from '../session.ts';
import { resolveTarget } from '../target.ts';
import type { Terminal } from '../terminal.ts';

/** Options of `login`. */
export interface LoginOptions {
  /** The scopes to ask for (space-separated) instead of the server's choice. */
  scope?: string;
  /** Start the browser (`--no-browser` sets it false: the URL is only printed). */
  browser?: boolean;
  /** Which HTTP transport to use. */
  transport?: string;
  /** Time without an answer before a request fails, ms. */
  timeout?: string;
  /** Connection details on stderr. */
  verbose?: boolean;
}

/** The URL of a login or logout, or a usage error. */
function serverUrl(word: string): URL {
  const target = resolveTarget(word, {});
  if (target.kind !== 'url') throw new UsageError(`Give the server's URL, not '${word}'.`);
  return target.url;
}

/** Runs `login`: connects to the server, logs in when it asks, and says what was stored. */
export async function loginCommand(url: string, options: LoginOptions, term: Terminal): Promise<number> {
  const target = serverUrl(url);
  const auth = await CliAuth.create({
    url: target,
    login: true,
    browser: options.browser !== false && !process.env.MCPKIT_NO_BROWSER,
    term,
    scope: options.scope,
    timeoutMs: parseTimeout(options.timeout),
  });
  await auth.forget();
  const session = await ClientSession.open(
    target.href,
    {
      transport: options.transport,
      timeout: options.timeout,
      verbose: options.verbose,
      input: false,
      quiet: true,
      logLevel: 'none',
    },
    term,
    auth,
  );
  try {
    const tokens = await auth.tokens();
    if (!tokens) {
      term.print(`${target.href} did not ask for authorization: there is nothing to log in to.`);
      return 0;
    }
    term.print(
      `Logged in to ${target.href} (authorization server ${tokens.issuer}${tokens.scope ? `, scope ${tokens.scope}` : ''}).`,
    );
    term.note(term.err.dim(`Tokens saved in ${auth.storePath}`));
    return 0;
  } finally {
    await session.close();
  }
}

/** Runs `logout`: forgets the tokens of one server, or removes the token file. */
export async function logoutCommand(url: string | undefined, term: Terminal): Promise<number> {
  const path = tokenFilePath();
  if (url === undefined) {
    const removed = await rm(path).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw error;
      },
    );
    term.print(removed ? `Logged out of every server (removed ${path}).` : 'No logins are stored.');
    return 0;
  }
  const key = serverUrl(url).href;
  const store = new LoginStore(path);
  if (!(await store.getTokens(key))) {
    term.print(`No login is stored for ${key}.`);
    return 0;
  }
  await store.setTokens(key, undefined);
  term.print(`Logged out of ${key}.`);
  return 0;
}
