/**
 * The mcpkit benchmark server: one McpServer with the shared tools, served over stdio
 * (StdioServerTransport) or HTTP (`createHttpHandler` behind `toNodeHandler`). mcpkit is loaded from
 * the .ts sources, or from the built dist/ when MCPKIT_FROM=dist.
 */
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

type ServerModule = typeof import('../../src/server/index.ts');
type StdioModule = typeof import('../../src/node/stdio-server.ts');
type HttpModule = typeof import('../../src/http/index.ts');
type NodeHttpModule = typeof import('../../src/node/http.ts');
type ProtocolModule = typeof import('../../src/protocol/index.ts');

const fromDist = process.env.MCPKIT_FROM === 'dist';

/** Imports one mcpkit module from src/ (.ts) or dist/ (.js). */
function load<T>(path: string): Promise<T> {
  const file = fromDist ? `../../dist/${path}.js` : `../../src/${path}.ts`;
  return import(new URL(file, import.meta.url).href) as Promise<T>;
}

const args = parseServerArgs();
const { McpServer } = await load<ServerModule>('server/index');

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
  const { StdioServerTransport } = await load<StdioModule>('node/stdio-server');
  await server.connect(new StdioServerTransport());
  exitOnSignal();
} else {
  const { createHttpHandler } = await load<HttpModule>('http/index');
  const { toNodeHandler } = await load<NodeHttpModule>('node/http');
  const { LEGACY_REVISIONS, MODERN_REVISION } = await load<ProtocolModule>('protocol/index');
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
