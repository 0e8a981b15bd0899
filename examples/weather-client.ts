// examples/weather-client.ts — a client that starts the server above and calls its tool
import { McpClient } from 'mcpkit/client';
import { StdioClientTransport } from 'mcpkit/node';

const client = new McpClient({
  name: 'my-app',
  version: '1.0.0',
  handlers: {
    // each handler declares its capability
    elicitation: async () => ({ action: 'accept', content: { name: 'Ada' } }),
  },
});
await client.connect(new StdioClientTransport({ command: 'node', args: ['examples/weather-server.ts'] }));

console.log(client.era, client.revision, client.serverInfo.name); // 'modern' | 'legacy', the revision
for await (const tool of client.iterateTools()) console.log(tool.name);
const result = await client.callTool('forecast', { city: 'Oslo' }); // structuredContent is validated
console.log(result.structuredContent);
await client.close();
