// examples/http-client.ts — a client over Streamable HTTP
import { McpClient } from 'mcpkit/client';
import { StreamableHttpClientTransport } from 'mcpkit/transport';

const url = new URL(process.env.MCP_URL ?? 'http://127.0.0.1:3000/mcp');
const client = new McpClient({ name: 'my-app', version: '1.0.0' });
await client.connect(new StreamableHttpClientTransport(url, { headers: { 'x-app': 'demo' } }));
const result = await client.callTool('hello', {});
console.log(result.content);
await client.close();
