/**
 * `npm start`: the reference server, with the Tasks and Skills extensions, over Streamable HTTP at /mcp and HTTP+SSE at /sse, on
 * 127.0.0.1:$PORT (default 3000). With REDIS_URL (`redis://host:port`, `redis+cluster://h:p,h:p,…`
 * or `redis+sentinel://h:p,h:p,…/name`) it runs as one node of a cluster whose sessions, events and
 * messages go through that Redis (needs the ioredis package; REDIS_WAIT_REPLICAS=n makes each write
 * wait for n replicas); without it, everything stays in this process's memory. With AUTH_ISSUER (an OAuth issuer, e.g.
 * the development server of `npm run auth-server`) every request needs an access token from it:
 * JWTs checked against `<issuer>/jwks` (or AUTH_JWKS_URL), with the audience
 * `http://localhost:$PORT` (or AUTH_RESOURCE); `mcp:read` for everything, `mcp:write` too for
 * tools/call. With the standard OTEL_* variables (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_TRACES_EXPORTER,
 * …) every request is traced and measured and exported through the OpenTelemetry Node SDK.
 */
import { createJwtVerifier, createResourceServerAuth } from '../auth/index.ts';
import { createHttpHandler, type HttpHandler, type HttpHandlerOptions } from '../http/index.ts';
import { createExtendedReferenceServer } from '../reference/index.ts';
import { serveHttp } from './http.ts';
import { startTelemetryFromEnv } from './telemetry.ts';

const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number (0-65535), not '${process.env.PORT}'.`);
  process.exit(2);
}
const redisUrl = process.env.REDIS_URL;
let options: HttpHandlerOptions = {};
let secret: string | undefined;
let closeRedis = async () => {};
if (redisUrl) {
  const { connectRedis, redisOptionsFromEnv } = await import('../redis/index.ts');
  let lastReport = 0;
  const connecting = async () =>
    connectRedis(redisUrl, {
      ...redisOptionsFromEnv(process.env),
      onError: (error) => {
        if (Date.now() - lastReport < 5000) return;
        lastReport = Date.now();
        console.error(`mcpkit: Redis: ${error.message}`);
      },
    });
  const stores = await connecting().catch((error: Error) => {
    console.error(`mcpkit: cannot start: ${error.message}`);
    process.exit(1);
  });
  secret = await stores.sharedSecret();
  options = { sessionStore: stores.sessionStore, eventStore: stores.eventStore, bus: stores.bus };
  if (process.env.NODE_ID) options.nodeId = process.env.NODE_ID;
  closeRedis = () => stores.close();
}
const stopTelemetry = await startTelemetryFromEnv().catch((error: Error) => {
  console.error(`mcpkit: cannot start: ${error.message}`);
  process.exit(1);
});
const server = await createExtendedReferenceServer(
  {},
  secret === undefined ? {} : { requestStateSecret: secret },
);
if (stopTelemetry) (await import('../otel/index.ts')).instrumentServer(server);
let handler: HttpHandler | undefined;
const listening = await serveHttp(
  (request) => (handler ? handler(request) : Promise.resolve(new Response('Starting', { status: 503 }))),
  { port, host: '127.0.0.1' },
);
const issuer = process.env.AUTH_ISSUER;
if (issuer) {
  options.auth = createResourceServerAuth({
    // The origin: one resource for /mcp and the HTTP+SSE paths (/sse, /messages) it also serves.
    resource: process.env.AUTH_RESOURCE ?? `http://localhost:${listening.port}`,
    authorizationServers: [issuer],
    verifier: createJwtVerifier({ issuer, jwks: process.env.AUTH_JWKS_URL ?? `${issuer}/jwks` }),
    scopesSupported: ['mcp:read'],
    requiredScopes: (method) => (method === 'tools/call' ? ['mcp:read', 'mcp:write'] : ['mcp:read']),
    resourceName: 'mcpkit reference server',
  });
}
handler = createHttpHandler(server, options);
// With OAuth, clients must use the URL tokens name as their audience (localhost).
const base = `http://${issuer ? 'localhost' : '127.0.0.1'}:${listening.port}`;
console.log(`mcpkit reference server${redisUrl ? ' (cluster node, Redis)' : ''}${issuer ? ` (OAuth: ${issuer})` : ''}
  Streamable HTTP: ${base}/mcp
  HTTP+SSE:        ${base}/sse`);

const stop = async () => {
  await handler?.close();
  await listening.close();
  await closeRedis();
  await stopTelemetry?.();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
