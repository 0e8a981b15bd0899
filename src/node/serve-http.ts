/**
 * `npm start`: the reference server over Streamable HTTP at /mcp and HTTP+SSE at /sse, on
 * 127.0.0.1:$PORT (default 3000), with in-memory stores.
 */
import { createHttpHandler } from '../http/index.ts';
import { createReferenceServer } from '../reference/index.ts';
import { serveHttp } from './http.ts';

const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number (0-65535), not '${process.env.PORT}'.`);
  process.exit(2);
}
const server = createReferenceServer();
const handler = createHttpHandler(server);
const listening = await serveHttp(handler, { port, host: '127.0.0.1' });
const base = `http://127.0.0.1:${listening.port}`;
console.log(`mcpkit reference server
  Streamable HTTP: ${base}/mcp
  HTTP+SSE:        ${base}/sse`);

const stop = async () => {
  await handler.close();
  await listening.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
