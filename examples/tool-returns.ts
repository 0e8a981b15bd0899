// examples/tool-returns.ts — what a tool handler may return
import { McpServer } from 'mcpkit';
import { z } from 'zod';

export const server = new McpServer({ name: 'returns', version: '1.0.0' });

// A string: one text block.
server.tool('text', {}, () => 'plain text');

// A CallToolResult: any content blocks, and isError for a failure the model should see.
server.tool('blocks', {}, () => ({
  content: [
    { type: 'text', text: 'a chart:' },
    { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' },
  ],
}));
server.tool('fails', {}, () => ({ content: [{ type: 'text', text: 'no such city' }], isError: true }));

// Structured output: { structuredContent }, checked against `output`; the text block is added for you.
server.tool('structured', { output: z.object({ tempC: z.number() }) }, () => ({
  structuredContent: { tempC: 21 },
}));
