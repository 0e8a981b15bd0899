/**
 * Redis going away: requests fail at once with a 503 that says so, and the nodes recover by
 * themselves when it returns (new sessions, and messages routed between nodes, work again).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, messages, post, readEvents, type SseEvent } from './http-server-fixtures.ts';
import { type Node, startNode } from './support/redis-nodes.ts';
import { type RedisServer, startRedisServer } from './support/redis-server.ts';

const REVISION = '2025-11-25';
let redis: RedisServer;
let nodes: Node[];

beforeAll(async () => {
  redis = await startRedisServer();
  nodes = [
    await startNode(redis.url, { http: { nodeId: 'p' } }),
    await startNode(redis.url, { http: { nodeId: 'q' } }),
  ];
});

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.close()));
  await redis.stop();
});

const url = (i: number) => (nodes[i] as Node).url;
const initialize = {
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: {
    protocolVersion: REVISION,
    capabilities: { sampling: {} },
    clientInfo: { name: 't', version: '1' },
  },
};

async function open(): Promise<Record<string, string>> {
  const res = await post(url(0), initialize);
  expect(res.status).toBe(200);
  await readEvents(res);
  return { 'mcp-session-id': res.headers.get('mcp-session-id') as string, 'mcp-protocol-version': REVISION };
}

describe('Redis going away', () => {
  it('fails requests with a clear 503, and the nodes recover when it returns', async () => {
    const h = await open();
    await redis.stop();

    for (const node of [0, 1]) {
      const res = await post(url(node), { jsonrpc: '2.0', id: 1, method: 'ping' }, h);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      const body = (await res.json()) as { error: { code: number; message: string } };
      expect(body.error.code).toBe(-32000);
      expect(body.error.message).toMatch(
        /^Service Unavailable: Redis is unavailable \(.+\); retry shortly\.$/,
      );
    }
    const fresh = await post(url(1), initialize);
    expect(fresh.status).toBe(503);

    await redis.start();
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      const res = await post(url(1), initialize);
      status = res.status;
      await res.body?.cancel();
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);

    // Redis restarted empty: the old session is gone; a new one works across both nodes.
    expect((await post(url(1), { jsonrpc: '2.0', id: 2, method: 'ping' }, h)).status).toBe(404);
    const h2 = await open();
    const call = {
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/call',
      params: { name: 'test_sampling', arguments: { prompt: 'again' } },
    };
    const res = await post(url(1), call, h2);
    const seen: SseEvent[] = [];
    const reading = readEvents(res, (e, all) => {
      seen.push(e);
      return all.some((x) => x.data.includes('"id":3'));
    });
    await eventually(() => seen.some((e) => e.data.includes('sampling/createMessage')), 'sampling request');
    const request = messages(seen).find((m) => m.method === 'sampling/createMessage') as { id: string };
    const answer = {
      jsonrpc: '2.0',
      id: request.id,
      result: { role: 'assistant', content: { type: 'text', text: 'back' }, model: 'm' },
    };
    let routed = false;
    for (let i = 0; i < 50 && !routed; i++) {
      // Resubscription after the reconnect may lag the first commands by a moment.
      expect((await post(url(0), answer, h2)).status).toBe(202);
      await new Promise((r) => setTimeout(r, 100));
      routed = seen.some((e) => e.data.includes('LLM response: back'));
    }
    await reading;
    expect(messages(seen).at(-1)).toMatchObject({
      id: 3,
      result: { content: [{ text: 'LLM response: back' }] },
    });
  });
});
