/**
 * Nodes of a cluster for the Redis tests: in-process nodes (an McpServer and an HTTP handler each,
 * on their own Redis connections and port) and node processes (`src/node/serve-http.ts` with
 * REDIS_URL, as `npm start` runs it), plus raw wire helpers.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHttpHandler, type HttpHandler, type HttpHandlerOptions } from '../../src/http/index.ts';
import { serveHttp } from '../../src/node/http.ts';
import { type ConnectRedisOptions, connectRedis, type RedisStores } from '../../src/redis/index.ts';
import { createReferenceServer } from '../../src/reference/index.ts';
import type { McpServer } from '../../src/server/index.ts';

/** One in-process node. */
export interface Node {
  readonly url: string;
  readonly handler: HttpHandler;
  readonly server: McpServer;
  readonly stores: RedisStores;
  close(): Promise<void>;
}

/** Options of an in-process node. */
export interface NodeOptions {
  redis?: ConnectRedisOptions;
  http?: HttpHandlerOptions;
  /** Adds tools to the node's server. */
  setup?: (server: McpServer) => void;
}

/** Starts an in-process node of the reference server on Redis. */
export async function startNode(redisUrl: string, options: NodeOptions = {}): Promise<Node> {
  const stores = await connectRedis(redisUrl, options.redis);
  const server = createReferenceServer({}, { requestStateSecret: await stores.sharedSecret() });
  options.setup?.(server);
  const handler = createHttpHandler(server, {
    sessionStore: stores.sessionStore,
    eventStore: stores.eventStore,
    bus: stores.bus,
    ...options.http,
  });
  const listening = await serveHttp(handler, { port: 0, host: '127.0.0.1' });
  return {
    url: `${listening.url}/mcp`,
    handler,
    server,
    stores,
    close: async () => {
      await handler.close();
      await listening.close();
      await stores.close();
    },
  };
}

/** One node process. */
export interface NodeProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Kills it with SIGKILL and waits for it to exit. */
  kill(): Promise<void>;
}

/** How a node process is started. */
export interface SpawnOptions {
  /** `npm start` (src/node/serve-http.ts, the default) or `mcpkit serve --port 0`. */
  command?: 'npm-start' | 'mcpkit-serve';
  /** More environment variables. */
  env?: Record<string, string>;
}

/**
 * Starts `src/node/serve-http.ts` with REDIS_URL, as `REDIS_URL=… PORT=… npm start` does
 * (without a URL: the in-memory node), or `mcpkit serve --port 0` with REDIS_URL.
 */
export function spawnNode(redisUrl: string | undefined, options: SpawnOptions = {}): Promise<NodeProcess> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    PORT: '0',
    REDIS_URL: redisUrl,
    ...options.env,
  };
  if (redisUrl === undefined) delete env.REDIS_URL;
  const args =
    options.command === 'mcpkit-serve'
      ? ['src/cli/main.ts', 'serve', '--port', '0']
      : ['src/node/serve-http.ts'];
  const child = spawn(process.execPath, args, {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  let out = '';
  return new Promise((resolve, reject) => {
    const seen = () => {
      const m = /Streamable HTTP: (\S+)/.exec(out) ?? /reference server .*on (http:\/\/\S+\/mcp)/.exec(err);
      if (m) {
        resolve({
          url: m[1] as string,
          child,
          kill: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGKILL');
            }),
        });
      }
    };
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      seen();
    });
    child.stderr?.on('data', (c: Buffer) => {
      err += c.toString();
      seen();
    });
    child.once('exit', (code) => reject(new Error(`node exited (${code}): ${err}`)));
  });
}
