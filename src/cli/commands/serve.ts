/**
 * `mcpkit serve [--stdio | --port N [--auth [--issuer URL]]]`: the reference server, over stdio or
 * Streamable HTTP (+ HTTP+SSE), optionally protected by an OAuth authorization server.
 */
import { StdioServerTransport, startTelemetryFromEnv } from '../../node/index.ts';
import { createExtendedReferenceServer } from '../../reference/index.ts';
import { UsageError } from '../errors.ts';
import { parsePort, untilSignal, watchClose } from '../lifetime.ts';
import type { Terminal } from '../terminal.ts';

/** Options of `serve`. */
export interface ServeOptions {
  stdio?: boolean;
  port?: string;
  host: string;
  /** Require OAuth access tokens (HTTP only). */
  auth?: boolean;
  /** The authorization server (default: the development one, in process). */
  issuer?: string;
}

/** Runs `serve`; resolves when the server stops. */
export async function serveCommand(options: ServeOptions, term: Terminal): Promise<number> {
  if (options.stdio && options.port !== undefined)
    throw new UsageError('Choose --stdio or --port, not both.');
  if ((options.auth || options.issuer !== undefined) && options.port === undefined) {
    throw new UsageError(
      '--auth protects the HTTP server: give --port too (over stdio there is no authorization).',
    );
  }
  if (options.issuer !== undefined && !options.auth) throw new UsageError('--issuer goes with --auth.');
  if (options.auth) {
    const port = parsePort(options.port as string);
    if (port === undefined)
      throw new UsageError(`--port takes a port number (0 to 65535), not '${options.port}'.`);
    const { serveProtected } = await import('./serve-auth.ts');
    return serveProtected({ port, host: options.host, issuer: options.issuer }, term);
  }
  const server = await createExtendedReferenceServer();
  const stopTelemetry = await startTelemetryFromEnv().catch((error: Error) => {
    throw new UsageError(error.message);
  });
  if (stopTelemetry) (await import('../../otel/index.ts')).instrumentServer(server);
  try {
    return await serveReference(server, options, term);
  } finally {
    await stopTelemetry?.();
  }
}

async function serveReference(
  server: Awaited<ReturnType<typeof createExtendedReferenceServer>>,
  options: ServeOptions,
  term: Terminal,
): Promise<number> {
  if (options.port === undefined) {
    const { transport, closed } = watchClose(new StdioServerTransport());
    await server.connect(transport);
    await Promise.race([closed, untilSignal()]);
    await server.close();
    return 0;
  }
  const port = parsePort(options.port);
  if (port === undefined)
    throw new UsageError(`--port takes a port number (0 to 65535), not '${options.port}'.`);
  // Loaded only when serving HTTP, so that the client commands do not depend on it.
  const { createHttpHandler } = await import('../../http/index.ts');
  const { serveHttp } = await import('../../node/http.ts');
  const handler = createHttpHandler(server);
  const listening = await serveHttp(handler, { port, host: options.host }).catch(
    (error: NodeJS.ErrnoException) => {
      throw new UsageError(
        error.code === 'EADDRINUSE'
          ? `Port ${port} on ${options.host} is already in use; choose another with --port (0 picks a free one).`
          : `Could not listen on ${options.host}:${port}: ${error.message}`,
      );
    },
  );
  term.note(
    `mcpkit reference server on ${term.err.cyan(`${listening.url}/mcp`)} (Streamable HTTP; HTTP+SSE at ${listening.url}/sse)`,
  );
  await untilSignal();
  await handler.close();
  await listening.close();
  await server.close();
  return 0;
}
