// examples/fetch-handler.ts — the same server as a web-standard fetch handler (Bun, Deno, Workers)
import { McpServer } from 'mcpkit';
import { createHttpHandler } from 'mcpkit/http';

const server = new McpServer({ name: 'hello', version: '1.0.0' });
server.tool('hello', { description: 'Says hello' }, () => 'Hello!');

// The Host check is on by default (localhost only): name the host the server answers under.
const handler = createHttpHandler(server, { allowedHosts: ['mcp.example.com'] });

// Bun: Bun.serve({ fetch: handler }) · Deno: Deno.serve(handler) · Workers: export default below
export default { fetch: (request: Request) => handler(request) };
