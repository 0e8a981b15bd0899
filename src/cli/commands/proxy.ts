/**
 * `mcpkit proxy`: serves any server as if it were local. Upstream is a URL or `--stdio "<cmd>"`,
 * reached as the bridge reaches it; downstream is stdin/stdout or, with `--port`, Streamable HTTP
 * (and HTTP+SSE) at http://127.0.0.1:<port>/mcp, in every revision whatever the upstream speaks.
 * Unlike the bridge it is an McpServer: `--hide` and the other transforms apply, and the upstream's
 * requests for input reach the client whose call caused them.
 */
import { createProxyServer, createUpstreamClient, type ToolTransform } from '../../compose/index.ts';
import { StdioServerTransport } from '../../node/index.ts';
import { ConnectionError, ExitCode, UsageError } from '../errors.ts';
import { parsePort, untilSignal, watchClose } from '../lifetime.ts';
import { connectTarget, resolveTarget, type TargetOptions } from '../target.ts';
import type { Terminal } from '../terminal.ts';
import { VERSION } from '../version.ts';

/** Options of `proxy`. */
export interface ProxyOptions extends TargetOptions {
  port?: string;
  host?: string;
  /** Tools to leave out (repeatable). */
  hide?: string[];
}

/** Runs `proxy`; resolves when it stops. */
export async function proxyCommand(
  url: string | undefined,
  raw: Record<string, unknown>,
  term: Terminal,
): Promise<number> {
  const options = raw as ProxyOptions;
  const target = resolveTarget(url, options);
  const port = options.port === undefined ? undefined : parsePort(options.port);
  if (options.port !== undefined && port === undefined)
    throw new UsageError(`--port takes a port number (0 to 65535), not '${options.port}'.`);
  const say = (text: string) => term.note(`${term.err.dim('mcpkit proxy:')} ${text}`);
  const connection = connectTarget(target, options, (text) => process.stderr.write(text));
  const client = createUpstreamClient({ name: 'mcpkit-proxy', version: VERSION, eraKey: target.text });
  try {
    await client.connect(connection.transport);
  } catch (error) {
    throw new ConnectionError(`Could not connect to ${target.text}: ${(error as Error).message}`);
  }
  let upstreamGone = false;
  const gone = new Promise<void>((resolve) => {
    client.on('close', () => {
      upstreamGone = true;
      resolve();
    });
  });
  const transforms: Record<string, ToolTransform> = {};
  for (const name of options.hide ?? []) transforms[name] = { hide: true };
  const { server } = await createProxyServer(client, {
    transforms,
    onError: options.verbose ? (e) => say(e.message) : () => {},
  });
  let stop: Promise<unknown>;
  let close: () => Promise<void> = async () => {};
  if (port === undefined) {
    const { transport, closed } = watchClose(new StdioServerTransport({ onError: () => {} }));
    await server.connect(transport);
    if (options.verbose) say(`serving ${connection.describe()} on stdin/stdout`);
    stop = Promise.race([closed, untilSignal(), gone]);
  } else {
    const host = options.host ?? '127.0.0.1';
    const { createHttpHandler } = await import('../../http/index.ts');
    const { serveHttp } = await import('../../node/index.ts');
    const handler = createHttpHandler(server);
    const listening = await serveHttp(handler, { port, host }).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(
        error.code === 'EADDRINUSE'
          ? `Port ${port} on ${host} is already in use; choose another with --port (0 picks a free one).`
          : `Could not listen on ${host}:${port}: ${error.message}`,
      );
    });
    term.note(
      `mcpkit proxy: ${target.text} on ${term.err.cyan(`${listening.url}/mcp`)} (Streamable HTTP; HTTP+SSE at ${listening.url}/sse)`,
    );
    stop = Promise.race([untilSignal(), gone]);
    close = async () => {
      await handler.close();
      await listening.close();
    };
  }
  await stop;
  const failed = upstreamGone;
  await close();
  await server.close();
  await client.close().catch(() => {});
  if (failed) {
    const how = connection.exitDescription();
    say(`the server '${target.text}' ${how ?? 'closed the connection'}.`);
    return ExitCode.connection;
  }
  return ExitCode.ok;
}
