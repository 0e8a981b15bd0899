// examples/compose-mount.ts — see docs/COMPOSITION.md
/**
 * One server made of three: a local tool, a server of this process mounted as `notes`, and the
 * official everything server (a stdio child) mounted as `every`, with a few tool transforms, served
 * over Streamable HTTP at http://127.0.0.1:3000/mcp.
 *
 * Run: npm run build && node examples/compose-mount.ts
 */
import { createUpstreamClient, transformTools } from 'mcpkit/compose';
import { createHttpHandler } from 'mcpkit/http';
import { StdioClientTransport, serveHttp } from 'mcpkit/node';
import { McpServer } from 'mcpkit/server';
import { z } from 'zod';

const gateway = new McpServer({ name: 'gateway', version: '1.0.0' });

// Transforms come first: they apply to every tool registered after them, local or mounted.
transformTools(gateway, {
  'every_get-env': { hide: true },
  'every_get-sum': { description: 'Adds ten to a number.', fixed: { b: 10 } },
  every_echo: {
    name: 'shout',
    wrap: async (args, _ctx, next) => next({ message: String(args.message).toUpperCase() }),
  },
});

gateway.tool('time', { description: 'The time on the gateway.' }, () => new Date().toISOString());

const notes = new McpServer({ name: 'notes', version: '1.0.0' });
notes.tool(
  'add',
  { description: 'Adds a note.', input: z.object({ text: z.string() }) },
  ({ text }) => `Noted: ${text}`,
);
await gateway.mount('notes', notes);

const everything = createUpstreamClient({ name: 'gateway', version: '1.0.0' });
await everything.connect(
  new StdioClientTransport({
    command: 'npx',
    args: ['-y', '@modelcontextprotocol/server-everything', 'stdio'],
  }),
);
await gateway.mount('every', everything, { onClose: () => console.error('The everything server stopped.') });

const handler = createHttpHandler(gateway);
const listening = await serveHttp(handler, { port: 3000, host: '127.0.0.1' });
console.error(`gateway on ${listening.url}/mcp: tools time, notes_add, shout, every_get-sum, every_…`);
