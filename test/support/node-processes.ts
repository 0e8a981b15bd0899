/**
 * The node-process tests, run on each Redis topology: a node started as `npm start` and one as
 * `mcpkit serve --port 0`, both with REDIS_URL, serve one session together; a malformed REDIS_URL
 * stops either at once with the accepted forms.
 */
import { describe, expect, it } from 'vitest';
import { openSession, request } from './redis-clients.ts';
import { spawnNode } from './redis-nodes.ts';

/** Registers the node-process tests on the Redis that `redisUrl()` names; `env` goes to both nodes. */
export function nodeProcessSuite(redisUrl: () => string, env: Record<string, string> = {}): void {
  describe('nodes started as `npm start` and `mcpkit serve` with REDIS_URL', () => {
    it('serve one session together, whichever gets each request', async () => {
      const a = await spawnNode(redisUrl(), { env });
      const b = await spawnNode(redisUrl(), { command: 'mcpkit-serve', env });
      try {
        const h = await openSession(a.url, b.url);
        for (const [i, url] of [b.url, a.url, b.url].entries()) {
          const got = await request(url, h, i + 1, 'tools/call', { name: 'add', arguments: { a: i, b: 10 } });
          expect(got.find((m) => m.id === i + 1)).toMatchObject({
            result: { structuredContent: { sum: i + 10 } },
          });
        }
      } finally {
        await Promise.all([a.kill(), b.kill()]);
      }
    });

    it('refuse a malformed REDIS_URL at start, naming the accepted forms', async () => {
      const bad = redisUrl().replace(/:\d+/, '');
      const forms =
        'Use redis://[user:password@]host:port[/db] (one server; rediss:// for TLS), redis+cluster://';
      await expect(spawnNode(bad)).rejects.toThrow(
        /^node exited \(1\): mcpkit: cannot start: Invalid REDIS_URL /,
      );
      await expect(spawnNode(bad)).rejects.toThrow(forms);
      await expect(spawnNode(bad, { command: 'mcpkit-serve' })).rejects.toThrow(
        /node exited \(2\)[\s\S]*Invalid REDIS_URL/,
      );
      await expect(spawnNode(bad, { command: 'mcpkit-serve' })).rejects.toThrow(forms);
    });
  });
}
