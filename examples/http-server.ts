// examples/http-server.ts — Streamable HTTP (and HTTP+SSE at /sse) on Node
import { McpServer } from 'mcpkit';
import { createHttpHandler } from 'mcpkit/http';
import { serveHttp } from 'mcpkit/node';

const server = new McpServer({ name: 'hello', version: '1.0.0' });
server.tool('hello', { description: 'Says hello' }, () => 'Hello!');

const handler = createHttpHandler(server); // (request: Request) => Promise<Response>
const listening = await serveHttp(handler, { port: Number(process.env.PORT ?? 3000) });
console.log(`listening on ${listening.url}/mcp`);
