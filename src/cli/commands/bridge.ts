/**
 * `mcpkit bridge`: joins two ends. Upstream is the real server (`--stdio "<cmd>"` or a URL);
 * downstream is the client, on our stdin/stdout or, with `--port`, on Streamable HTTP (and HTTP+SSE)
 * at http://127.0.0.1:<port>/mcp. Each legacy session gets its own upstream connection (its own
 * child process for a stdio server); the stateless requests of 2026-07-28 clients share one.
 */
import type { SessionHost } from '../../http/index.ts';
import { StdioServerTransport } from '../../node/index.ts';
import type { Transport } from '../../rpc/index.ts';
import { CliAuth, hasAuthorizationHeader } from '../auth/cli-auth.ts';
import { chooseFront } from '../bridge/choose.ts';
import { Link } from '../bridge/link.ts';
import { ConnectionError, ExitCode, UsageError } from '../errors.ts';
import { parsePort, untilSignal, watchClose } from '../lifetime.ts';
import {
  connectTarget,
  exitOf,
  parseHeaders,
  resolveTarget,
  type Target,
  type TargetOptions,
} from '../target.ts';
import type { Terminal } from '../terminal.ts';

/** Options of `bridge`. */
export interface BridgeOptions extends TargetOptions {
  port?: string;
  host?: string;
  /** Start the browser when <url> asks for a login (`--no-browser`: print the URL only). */
  browser?: boolean;
}

/** Runs `bridge`; resolves when it stops. */
export async function bridgeCommand(
  url: string | undefined,
  raw: Record<string, unknown>,
  term: Terminal,
): Promise<number> {
  const options = raw as BridgeOptions;
  const target = resolveTarget(url, options);
  const verbose = options.verbose === true;
  const say = (text: string) => term.note(`${term.err.dim('mcpkit bridge:')} ${text}`);
  // A URL upstream uses the stored login, and logs in in a browser when it asks: the client that
  // started the bridge cannot, and the user is at the machine where it runs.
  const auth =
    target.kind === 'url' && !hasAuthorizationHeader(parseHeaders(options.header))
      ? await CliAuth.create({
          url: target.url,
          login: true,
          browser: options.browser !== false && !process.env.MCPKIT_NO_BROWSER,
          term,
          report: (error) => say(`${error.message}${error.details ? ` ${error.details}` : ''}`),
        })
      : undefined;
  await auth?.preflight(parseHeaders(options.header));
  const upstream = () => connectTarget(target, options, (text) => process.stderr.write(text), auth).transport;
  const onUpstreamGone = (reason: Error | undefined) => {
    const exited = exitOf(reason);
    if (exited) {
      // Its stderr has already been passed through.
      const how = exited.signal
        ? `was killed by signal ${exited.signal}`
        : `exited with code ${exited.exitCode}`;
      say(`the server '${target.text}' ${how}.`);
    } else if (reason) say(`the connection to ${target.text} closed: ${reason.message}`);
  };
  try {
    if (options.port === undefined) return await bridgeStdio(target, upstream, say, verbose, onUpstreamGone);
    const port = parsePort(options.port);
    if (port === undefined)
      throw new UsageError(`--port takes a port number (0 to 65535), not '${options.port}'.`);
    return await bridgeHttp(
      target,
      upstream,
      say,
      verbose,
      onUpstreamGone,
      port,
      options.host ?? '127.0.0.1',
      term,
    );
  } finally {
    await auth?.close();
  }
}

async function bridgeStdio(
  target: Target,
  upstream: () => Transport,
  say: (text: string) => void,
  verbose: boolean,
  onUpstreamGone: (reason: Error | undefined) => void,
): Promise<number> {
  let closedBy: Error | undefined;
  let linkClosed: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    linkClosed = resolve;
  });
  const link = new Link({
    upstream,
    choose: chooseFront,
    single: true,
    report: verbose ? say : undefined,
    onClose: (reason) => {
      closedBy = reason;
      linkClosed();
    },
  });
  try {
    await link.start();
  } catch (error) {
    throw new ConnectionError(`Could not start the bridge to ${target.text}: ${(error as Error).message}`);
  }
  if (verbose) say(`serving ${target.text} on stdin/stdout`);
  const { transport, closed } = watchClose(new StdioServerTransport({ onError: () => {} }));
  await link.attach(transport);
  await Promise.race([done, closed, untilSignal()]);
  await link.close();
  if (closedBy) {
    onUpstreamGone(closedBy);
    return ExitCode.connection;
  }
  return ExitCode.ok;
}

async function bridgeHttp(
  target: Target,
  upstream: () => Transport,
  say: (text: string) => void,
  verbose: boolean,
  onUpstreamGone: (reason: Error | undefined) => void,
  port: number,
  hostname: string,
  term: Terminal,
): Promise<number> {
  const links = new Set<Link>();
  let shared: Link | undefined;
  const newLink = (single: boolean): Link => {
    const link: Link = new Link({
      upstream,
      choose: chooseFront,
      single,
      report: verbose ? say : undefined,
      onClose: (reason) => {
        links.delete(link);
        if (shared === link) shared = undefined;
        if (reason) onUpstreamGone(reason);
      },
    });
    links.add(link);
    return link;
  };
  const host: SessionHost = {
    async connect(transport) {
      if (transport.sessionId === undefined) {
        // A stateless request (2026-07-28): one shared upstream connection serves them all.
        if (!shared || shared.closed) {
          const link = newLink(false);
          shared = link;
          await link.start();
        }
        return shared.attach(transport);
      }
      const link = newLink(true);
      if (verbose) say(`session ${transport.sessionId}: connecting to ${target.text}`);
      await link.start();
      await link.attach(transport);
      return { close: () => link.close() };
    },
  };
  // Loaded only when serving HTTP, so that the stdio bridge does not depend on it.
  const { createHttpHandler } = await import('../../http/index.ts');
  const { serveHttp } = await import('../../node/index.ts');
  const handler = createHttpHandler(host, { onError: verbose ? (e) => say(e.message) : undefined });
  const listening = await serveHttp(handler, { port, host: hostname }).catch(
    (error: NodeJS.ErrnoException) => {
      throw new UsageError(
        error.code === 'EADDRINUSE'
          ? `Port ${port} on ${hostname} is already in use; choose another with --port (0 picks a free one).`
          : `Could not listen on ${hostname}:${port}: ${error.message}`,
      );
    },
  );
  term.note(
    `mcpkit bridge: ${target.text} on ${term.err.cyan(`${listening.url}/mcp`)} (Streamable HTTP; HTTP+SSE at ${listening.url}/sse)`,
  );
  await untilSignal();
  await handler.close();
  await Promise.all([...links].map((l) => l.close()));
  await listening.close();
  return ExitCode.ok;
}
