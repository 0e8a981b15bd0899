import { describe, expect, it } from 'vitest';
import { createHttpHandler } from './handler.ts';

const host = { connect: async () => ({ close: async () => {} }) };

describe('routing by path', () => {
  it('finds the endpoint by the path a URL parser gives, also when it must rewrite the path', async () => {
    const handler = createHttpHandler(host);
    const status = async (path: string) =>
      (await handler(new Request(`http://localhost${path}`, { method: 'DELETE' }))).status;
    // DELETE without a session id: 400 on the endpoint, 404 anywhere else.
    for (const path of ['/mcp', '/mcp?x=1', '/mcp#frag', '/a/../mcp', '/./mcp', '/mcp/./', '/mc%70']) {
      const onEndpoint = new URL(`http://localhost${path}`).pathname === '/mcp';
      expect(await status(path), path).toBe(onEndpoint ? 400 : 404);
    }
    for (const path of ['/MCP', '/mcp/', '/mcp%2F', '/x', '/mcpx'])
      expect(await status(path), path).toBe(404);
    await handler.close();
  });
});
