/**
 * `mcpkit serve [--stdio | --port N [--auth [--issuer URL]]]`: the reference server, over stdio or
 * Streamable HTTP (+ HTTP+SSE), optionally protected by an OAuth authorization server. With
 * `--port` and REDIS_URL in the environment it runs as one node of a cluster on that Redis.
 */
import type { HttpHandlerOptions } from '../../http/index.ts';
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
  const redisUrl = process.env.REDIS_URL || undefined;
  if (redisUrl !== undefined && options.port === undefined) {
    throw new UsageError('REDIS_URL makes `mcpkit serve` a node of a cluster over HTTP: give --port too.');
  }
  if (redisUrl !== undefined && options.auth) {
    throw new UsageError(
      'REDIS_URL with --auth is not supported by `mcpkit serve`; run nodes with --port and REDIS_URL, or `npm start` with REDIS_URL and AUTH_ISSUER.',
    );
  }
  if (options.auth) {
    const port = parsePort(options.port as string);
    if (port === undefined)
      throw new UsageError(`--port takes a port number (0 to 65535), not '${options.port}'.`);
    const { serveProtected } = await import('./serve-auth.ts');
    return serveProtected({ port, host: options.host, issuer: options.issuer }, term);
  }
  const redis = redisUrl === undefined ? undefined : await connectNode(redisUrl, term);
  const server = await createExtendedReferenceServer({}, redis ? { requestStateSecret: redis.secret } : {});
  const stopTelemetry = await startTelemetryFromEnv().catch((error: Error) => {
    throw new UsageError(error.message);
  });
  if (stopTelemetry) (await import('../../otel/index.ts')).instrumentServer(server);
  try {
    return await serveReference(server, options, term, redis);
  } finally {
    await stopTelemetry?.();
    await redis?.close();
  }
}

async function serveReference(
  server: Awaited<ReturnType<typeof createExtendedReferenceServer>>,
  options: ServeOptions,
  term: Terminal,
  redis: Awaited<ReturnType<typeof connectNode>> | undefined,
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
  const { serveHttp } = await import('../../node/index.ts');
  const handler = createHttpHandler(server, redis?.options ?? {});
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
    `mcpkit reference server${redis ? ' (cluster node, Redis)' : ''} on ${term.err.cyan(`${listening.url}/mcp`)} (Streamable HTTP; HTTP+SSE at ${listening.url}/sse)`,
  );
  await untilSignal();
  await handler.close();
  await listening.close();
  await server.close();
  return 0;
}

/** Connects to the Redis of REDIS_URL (ioredis is loaded only then); a bad URL is a usage error. */
async function connectNode(url: string, term: Terminal) {
  const { connectRedis, redisOptionsFromEnv } = await import('../../redis/index.ts');
  let lastReport = 0;
  const connecting = async () =>
    connectRedis(url, {
      ...redisOptionsFromEnv(process.env),
      onError: (error) => {
        if (Date.now() - lastReport < 5000) return;
        lastReport = Date.now();
        term.note(`Redis: ${error.message}`);
      },
    });
  const stores = await connecting().catch((error: Error) => {
    throw new UsageError(error.message);
  });
  const options: HttpHandlerOptions = {
    sessionStore: stores.sessionStore,
    eventStore: stores.eventStore,
    bus: stores.bus,
  };
  if (process.env.NODE_ID) options.nodeId = process.env.NODE_ID;
  return { options, secret: await stores.sharedSecret(), close: () => stores.close() };
}
