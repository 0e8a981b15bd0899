/**
 * `mcpkit inspect [<url> | --stdio "cmd"]`: a browser inspector for any MCP server, served on
 * 127.0.0.1 under a random session token; the browser is opened on it unless `--no-open`.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchBrowser } from '../../node/index.ts';
import { UsageError } from '../errors.ts';
import { startInspector } from '../inspect/server.ts';
import { parsePort, untilSignal } from '../lifetime.ts';
import { parseTimeout } from '../session.ts';
import { parseEnv, parseHeaders } from '../target.ts';
import type { Terminal } from '../terminal.ts';

/** Options of `inspect`. */
export interface InspectOptions {
  stdio?: string;
  env?: string[];
  cwd?: string;
  header?: string[];
  transport?: string;
  era?: string;
  protocolVersion?: string;
  root?: string[];
  timeout?: string;
  port?: string;
  /** Open the browser on the page (`--no-open` sets it false). */
  open?: boolean;
}

/** Runs `inspect`; resolves when a signal stops it. */
export async function inspectCommand(
  url: string | undefined,
  options: InspectOptions,
  term: Terminal,
): Promise<number> {
  if (url !== undefined && options.stdio !== undefined) {
    throw new UsageError(`Give either a URL or --stdio, not both (got '${url}' and --stdio).`);
  }
  parseEnv(options.env);
  parseHeaders(options.header);
  parseTimeout(options.timeout);
  const port = parsePort(options.port ?? '0');
  if (port === undefined) {
    throw new UsageError(`--port takes a port number (0 to 65535), not '${options.port}'.`);
  }
  const roots = (options.root ?? []).map((dir) => {
    const path = resolve(dir);
    return { uri: pathToFileURL(path).href, name: path };
  });
  const open = options.open !== false && !process.env.MCPKIT_NO_BROWSER;
  const inspector = await startInspector({
    port,
    roots,
    env: options.env,
    cwd: options.cwd,
    header: options.header,
    timeout: options.timeout,
    browser: open,
  }).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(
      error.code === 'EADDRINUSE'
        ? `Port ${port} on 127.0.0.1 is already in use; choose another with --port (0 picks a free one).`
        : `Could not listen on 127.0.0.1:${port}: ${error.message}`,
    );
  });
  term.note(`mcpkit inspector on ${term.err.cyan(inspector.url)}`);
  term.note(term.err.dim('(the address carries a session token: share it with no one; Ctrl-C stops)'));
  if (open && !(await launchBrowser(inspector.url))) {
    term.note('(No browser could be started; open the address above yourself.)');
  }
  if (url !== undefined || options.stdio !== undefined) {
    inspector.session
      .connect({
        url,
        stdio: options.stdio,
        era: options.era,
        protocolVersion: options.protocolVersion,
        transport: options.transport,
      })
      .catch((error: Error) => term.note(term.err.yellow(`Could not connect: ${error.message}`)));
  }
  await untilSignal();
  await inspector.close();
  return 0;
}
