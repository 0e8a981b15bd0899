/**
 * Three in-process nodes on one real redis-server serve one session whose requests are spread
 * over them, as a round-robin load balancer without sticky sessions would spread them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, messages, post, readEvents, type SseEvent } from './http-server-fixtures.ts';
import { type Node, startNode } from './support/redis-nodes.ts';
import { type RedisServer, startRedisServer } from './support/redis-server.ts';

const REVISION = '2025-11-25';
let redis: RedisServer;
let nodes: Node[];
const aborted: string[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  nodes = [];
  for (const nodeId of ['a', 'b', 'c']) {
    nodes.push(
      await startNode(redis.url, {
        http: { nodeId },
        setup: (server) =>
          server.tool('block', { description: 'Waits until cancelled.' }, async (_args, ctx) => {
            await new Promise<void>((resolve) =>
              ctx.signal.addEventListener('abort', () => resolve(), { once: true }),
            );
            aborted.push(`${nodeId}:${String(ctx.requestId)}`);
            return 'cancelled';
          }),
      }),
    );
  }
});

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.close()));
  await redis.stop();
});

const url = (i: number) => (nodes[i] as Node).url;

async function open(): Promise<Record<string, string>> {
  const res = await post(url(0), {
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: {
      protocolVersion: REVISION,
      capabilities: { sampling: {} },
      clientInfo: { name: 'cluster-test', version: '1.0.0' },
    },
  });
  expect(res.status).toBe(200);
  const id = res.headers.get('mcp-session-id') as string;
  await readEvents(res);
  const headers = { 'mcp-session-id': id, 'mcp-protocol-version': REVISION };
  expect((await post(url(1), { jsonrpc: '2.0', method: 'notifications/initialized' }, headers)).status).toBe(
    202,
  );
  return headers;
}

async function call(
  node: number,
  headers: Record<string, string>,
  id: number,
  method: string,
  params: Record<string, unknown> = {},
): Promise<Record<string, unknown>[]> {
  const res = await post(url(node), { jsonrpc: '2.0', id, method, params }, headers);
  expect(res.status).toBe(200);
  return messages((await readEvents(res)).events);
}

const resultOf = (msgs: Record<string, unknown>[]) =>
  msgs.find((m) => 'result' in m || 'error' in m) as Record<string, unknown>;

describe('a session spread over three nodes', () => {
  it('serves each request on whichever node gets it, with the session state of every earlier one', async () => {
    const h = await open();
    const tools = resultOf(await call(2, h, 1, 'tools/list')).result as { tools: { name: string }[] };
    expect(tools.tools.map((t) => t.name)).toContain('test_tool_with_logging');

    const before = await call(1, h, 2, 'tools/call', { name: 'test_tool_with_logging', arguments: {} });
    expect(before.filter((m) => m.method === 'notifications/message')).toHaveLength(3);

    expect(resultOf(await call(2, h, 3, 'logging/setLevel', { level: 'error' })).result).toEqual({});
    for (const node of [0, 1]) {
      const after = await call(node, h, 4 + node, 'tools/call', {
        name: 'test_tool_with_logging',
        arguments: {},
      });
      expect(after.filter((m) => m.method === 'notifications/message')).toHaveLength(0);
      expect(resultOf(after).result).toBeDefined();
    }
  });

  it('delivers notifications sent by any node on the GET stream another node holds', async () => {
    const h = await open();
    const get = await fetch(url(0), { headers: { ...h, accept: 'text/event-stream' } });
    expect(get.status).toBe(200);
    const updates = readEvents(get, (_e, all) =>
      all.some((e) => e.data.includes('notifications/resources/updated')),
    );
    await call(1, h, 1, 'resources/subscribe', { uri: 'test://watched-resource' });
    await call(2, h, 2, 'tools/call', { name: 'test_update_watched_resource', arguments: {} });
    const got = messages((await updates).events);
    expect(got).toContainEqual({
      jsonrpc: '2.0',
      method: 'notifications/resources/updated',
      params: { uri: 'test://watched-resource' },
    });
  });

  it('routes the answer to a server→client request, posted to another node, to the node waiting for it', async () => {
    const h = await open();
    const res = await post(
      url(1),
      {
        jsonrpc: '2.0',
        id: 7,
        method: 'tools/call',
        params: { name: 'test_sampling', arguments: { prompt: 'hi' } },
      },
      h,
    );
    const seen: SseEvent[] = [];
    const reading = readEvents(res, (e, all) => {
      seen.push(e);
      return all.some((x) => x.data.includes('"id":7'));
    });
    await eventually(() => seen.some((e) => e.data.includes('sampling/createMessage')), 'sampling request');
    const request = messages(seen).find((m) => m.method === 'sampling/createMessage') as { id: string };
    expect(request.id).toMatch(/^n\.b\.\d+$/);
    const answer = {
      jsonrpc: '2.0',
      id: request.id,
      result: {
        role: 'assistant',
        content: { type: 'text', text: 'hello' },
        model: 'm',
        stopReason: 'endTurn',
      },
    };
    expect((await post(url(2), answer, h)).status).toBe(202);
    const result = resultOf(messages((await reading).events)) as { result: { content: { text: string }[] } };
    expect(result.result.content[0]?.text).toBe('LLM response: hello');
  });

  it('cancels a request running on one node with a cancellation posted to another', async () => {
    const h = await open();
    const res = await post(
      url(0),
      { jsonrpc: '2.0', id: 'long-1', method: 'tools/call', params: { name: 'block' } },
      h,
    );
    expect(res.status).toBe(200);
    const cancel = {
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId: 'long-1', reason: 'no longer needed' },
    };
    expect((await post(url(2), cancel, h)).status).toBe(202);
    await eventually(() => aborted.includes('a:long-1'), 'the tool on node a sees the cancellation');
    await res.body?.cancel();
  });

  it('resumes a POST stream on another node with Last-Event-ID, up to its end', async () => {
    const h = await open();
    const res = await post(
      url(0),
      { jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'test_reconnection', arguments: {} } },
      h,
    );
    const first = await readEvents(res);
    expect(messages(first.events)).toEqual([]);
    const lastId = first.events.at(-1)?.id as string;
    expect(lastId).toBeDefined();
    const resumed = await fetch(url(1), {
      headers: { ...h, accept: 'text/event-stream', 'last-event-id': lastId },
    });
    expect(resumed.status).toBe(200);
    const rest = await readEvents(resumed);
    const result = resultOf(messages(rest.events)) as { id: number; result: { content: { text: string }[] } };
    expect(result.id).toBe(9);
    expect(result.result.content[0]?.text).toContain('Reconnection test completed');
  });

  it('ends the session everywhere on DELETE through any node', async () => {
    const h = await open();
    await call(1, h, 1, 'ping');
    await call(2, h, 2, 'ping');
    expect((await fetch(url(2), { method: 'DELETE', headers: h })).status).toBe(200);
    for (const node of [0, 1, 2]) {
      const res = await post(url(node), { jsonrpc: '2.0', id: 3, method: 'ping' }, h);
      expect(res.status).toBe(404);
    }
  });
});
