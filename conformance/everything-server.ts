/**
 * The everything-server of the conformance suite: the reference server over Streamable HTTP at
 * `/mcp`, on the port in `PORT` (or a free one). It prints `listening <url>` once it is ready.
 */
import { createHttpHandler, type HttpHandler } from '../src/http/index.ts';
import { serveHttp } from '../src/node/http.ts';
import { createExtendedReferenceServer } from '../src/reference/index.ts';

let http: HttpHandler | undefined;
const server = await createExtendedReferenceServer({
  closeRequestStream: (sessionId, requestId) => {
    if (sessionId !== undefined) http?.closeRequestStream(sessionId, requestId);
  },
});
http = createHttpHandler(server, { onError: (e) => console.error('everything-server:', e.message) });

const port = Number(process.env.PORT ?? 0);
const listening = await serveHttp(http, { port, host: process.env.HOST ?? '127.0.0.1' });
console.log(`listening http://localhost:${listening.port}/mcp`);

const stop = async (): Promise<void> => {
  await http?.close();
  await listening.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
