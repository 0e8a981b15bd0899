/**
 * The client walks the tool list at most once per change of the list to learn what `tools/call`
 * needs (output schemas; at 2026-07-28 the `x-mcp-header` parameters): calls made at the same
 * time share one walk. Where the server announces list changes (2025 revisions), a name the walk
 * did not find does not walk again until `list_changed`; at 2026-07-28, where nothing announces a
 * change without a subscription, it does, so that a tool added since is found.
 */
import { describe, expect, it } from 'vitest';
import { McpClient } from '../src/client/index.ts';
import { McpServer } from '../src/server/index.ts';
import { createMemoryPair } from '../src/transport/index.ts';

async function connected(modern: boolean) {
  const methods: string[] = [];
  const server = new McpServer({
    name: 'walk',
    version: '1',
    modern,
    middleware: [
      async (r, next) => {
        methods.push(r.method);
        // A tool the server answers but does not list (as a proxy or a custom dispatcher may).
        if (r.method === 'tools/call' && r.params?.name === 'unlisted') {
          return { content: [{ type: 'text', text: 'unlisted' }] };
        }
        return next();
      },
    ],
  });
  server.tool('a', { description: 'a' }, () => 'a');
  server.tool('b', { description: 'b' }, () => 'b');
  const [x, y] = createMemoryPair();
  await server.connect(y);
  const client = new McpClient();
  await client.connect(x);
  const lists = () => methods.filter((m) => m === 'tools/list').length;
  return { server, client, lists };
}

describe('the tool walk at a 2025 revision (the server announces list changes)', () => {
  it('is shared by concurrent calls, not repeated for a name it did not list, and redone after list_changed', async () => {
    const { server, client, lists } = await connected(false);
    await Promise.all([client.callTool('a'), client.callTool('b'), client.callTool('a')]);
    expect(lists()).toBe(1);
    for (let i = 0; i < 3; i++) {
      expect((await client.callTool('unlisted')).content).toEqual([{ type: 'text', text: 'unlisted' }]);
    }
    expect(lists()).toBe(1);
    const changed = new Promise<void>((resolve) => client.on('toolsListChanged', () => resolve()));
    server.tool('c', { description: 'c' }, () => 'c');
    await changed;
    expect((await client.callTool('c')).content).toEqual([{ type: 'text', text: 'c' }]);
    expect(lists()).toBe(2);
  });
});

describe('the tool walk at 2026-07-28 (no list_changed without a subscription)', () => {
  it('is shared by concurrent calls; a name it did not find walks again, so a tool added later is found', async () => {
    const { server, client, lists } = await connected(true);
    await Promise.all([client.callTool('a'), client.callTool('b'), client.callTool('a')]);
    expect(lists()).toBe(1);
    server.tool('c', { description: 'c' }, () => 'c');
    expect((await client.callTool('c')).content).toEqual([{ type: 'text', text: 'c' }]);
    expect(lists()).toBe(2);
    await client.callTool('c');
    expect(lists()).toBe(2);
  });
});
