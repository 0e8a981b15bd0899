// examples/weather-server.ts — a server over stdio
import { McpServer } from 'mcpkit';
import { StdioServerTransport } from 'mcpkit/node';
import { z } from 'zod';

const server = new McpServer({ name: 'weather', version: '1.0.0' });

server.tool(
  'forecast',
  {
    description: 'The forecast for a city',
    input: z.object({ city: z.string() }), // any Standard Schema, or plain JSON Schema
    output: z.object({ tempC: z.number() }), // optional: structured output
  },
  async ({ city }, ctx) => {
    await ctx.progress(1, 2, 'looking up'); // sent only if the client asked for progress
    await ctx.log('info', `forecast for ${city}`);
    return { structuredContent: { tempC: 21 } }; // a text fallback is added for older clients
  },
);

server.resource('config://app', { name: 'config', mimeType: 'application/json' }, () => '{"units":"metric"}');
server.prompt(
  'summarize',
  { description: 'Summarize a text', arguments: [{ name: 'text', required: true }] },
  ({ text }) => `Summarize: ${text}`,
);

await server.connect(new StdioServerTransport());
