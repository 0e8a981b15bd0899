// examples/compose-proxy.ts — see docs/COMPOSITION.md
/**
 * A proxy: serves the server at the URL given (any era, any HTTP transport) on stdin/stdout, so a
 * client that only speaks stdio can use it; its requests for input (elicitation, sampling, roots)
 * reach that client. The same as `mcpkit proxy <url>`.
 *
 * Run: npm run build && node examples/compose-proxy.ts http://127.0.0.1:3000/mcp
 */
import { createProxyServer, createUpstreamClient } from 'mcpkit/compose';
import { StdioServerTransport } from 'mcpkit/node';
import { AutoHttpClientTransport } from 'mcpkit/transport';

const url = process.argv[2];
if (url === undefined) {
  console.error('Usage: node examples/compose-proxy.ts <url of an MCP server>');
  process.exit(2);
}

const upstream = createUpstreamClient({ name: 'proxy', version: '1.0.0' });
await upstream.connect(new AutoHttpClientTransport(new URL(url)));
const { server } = await createProxyServer(upstream, {
  onClose: () => {
    console.error(`${url} closed the connection.`);
    process.exit(3);
  },
});
await server.connect(new StdioServerTransport());
