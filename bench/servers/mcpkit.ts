/**
 * The mcpkit benchmark server: one McpServer with the shared tools, served over stdio
 * (StdioServerTransport) or HTTP (`createHttpHandler` behind `toNodeHandler`). mcpkit is imported by
 * its package name, so Node resolves the package's public exports to the built dist/, as an
 * application that installed it would; in stdio mode it loads what a stdio server needs
 * (`mcpkit/server`, `mcpkit/node`, zod), the HTTP pieces only in HTTP mode.
 */
import { StdioServerTransport } from 'mcpkit/node';
import { McpServer } from 'mcpkit/server';
import { z } from 'zod';
import {
  BIG_BYTES,
  bigText,
  exitOnSignal,
  fillerDescription,
  fillerName,
  listenHttp,
  parseServerArgs,
} from './shared.ts';

const args = parseServerArgs();

const server = new McpServer({ name: 'mcpkit-bench', version: '1.0.0' });
server.tool(
  'echo',
  { description: 'Returns its text argument.', input: z.object({ text: z.string() }) },
  ({ text }) => ({ content: [{ type: 'text', text }] }),
);
server.tool(
  'big',
  {
    description: `Returns ${BIG_BYTES} bytes of text that start with the tag.`,
    input: z.object({ tag: z.string() }),
  },
  ({ tag }) => ({ content: [{ type: 'text', text: bigText(tag) }] }),
);
const filler = z.object({
  query: z.string().describe('What to look for.'),
  limit: z.number().int().min(1).max(100).optional().describe('Most results to return.'),
  tags: z.array(z.string()).optional().describe('Only documents with these tags.'),
});
for (let i = 0; i < args.tools - 2; i++) {
  server.tool(fillerName(i), { description: fillerDescription(i), input: filler }, ({ query }) => ({
    content: [{ type: 'text', text: query }],
  }));
}

if (args.mode === 'stdio') {
  await server.connect(new StdioServerTransport());
  exitOnSignal();
} else {
  const [{ createHttpHandler }, { toNodeHandler }, { LEGACY_REVISIONS, MODERN_REVISION }] = await Promise.all(
    [import('mcpkit/http'), import('mcpkit/node'), import('mcpkit/protocol')],
  );
  const handler =
    args.mode === 'http-stateful'
      ? createHttpHandler(server, { sessions: true })
      : createHttpHandler(server, {
          sessions: false,
          jsonResponse: true,
          protocolVersions:
            args.mode === 'http-modern' ? [...LEGACY_REVISIONS, MODERN_REVISION] : LEGACY_REVISIONS,
        });
  listenHttp(toNodeHandler(handler));
}
