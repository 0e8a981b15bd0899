/**
 * The server every runtime test serves: the reference server, plus a tool whose input is a plain JSON
 * Schema (no Standard Schema library), the case that needs a JSON Schema validator.
 */
import { McpClient } from '../../src/client/index.ts';
import { createHttpHandler, type HttpHandler } from '../../src/http/index.ts';
import { createReferenceServer } from '../../src/reference/index.ts';
import type { McpServer } from '../../src/server/index.ts';
import { createMemoryPair } from '../../src/transport/index.ts';

/** The reference server with `runtime_add`, whose input is a plain JSON Schema. */
export function createRuntimeServer(): McpServer {
  const server = createReferenceServer();
  server.tool(
    'runtime_add',
    {
      description: 'Adds two integers; its input is a plain JSON Schema.',
      input: {
        type: 'object',
        properties: {
          a: { type: 'integer' },
          b: { type: 'integer' },
          note: { type: 'string', format: 'email' },
        },
        required: ['a', 'b'],
        additionalProperties: false,
      },
    },
    (args) => `${(args.a as number) + (args.b as number)}`,
  );
  return server;
}

/** Made at module scope, as a Worker makes it: nothing random or asynchronous may happen here. */
export const handler: HttpHandler = createHttpHandler(createRuntimeServer());

/** A client made at module scope too; `/client` connects it, in memory, to a server of its own. */
const client = new McpClient({ era: 'legacy' });
let connected: Promise<unknown> | undefined;

async function callFromInside(): Promise<Response> {
  connected ??= (async () => {
    const [near, far] = createMemoryPair();
    await createRuntimeServer().connect(far);
    await client.connect(near);
  })();
  await connected;
  const tools = await client.listTools();
  const sum = await client.callTool('runtime_add', { a: 20, b: 22 });
  return Response.json({ tools: tools.tools.length, sum: sum.content });
}

let lazy: HttpHandler | undefined;

/**
 * Answers `/client` with what the module-scope client got from its own server. Serves `/lazy/mcp` from a server made at its first request, inside a handler, where Workers forbid
 * code generation from strings: its JSON Schemas are compiled there. Everything else goes to `handler`.
 */
export function route(request: Request): Promise<Response> {
  const path = new URL(request.url).pathname;
  if (path === '/client') return callFromInside();
  if (!path.startsWith('/lazy/')) return handler(request);
  lazy ??= createHttpHandler(createRuntimeServer(), {
    mcpPath: '/lazy/mcp',
    ssePath: '/lazy/sse',
    messagesPath: '/lazy/messages',
  });
  return lazy(request);
}
