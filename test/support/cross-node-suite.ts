/**
 * The cross-node tests, run on each Redis topology: three in-process nodes serve one session whose
 * requests are spread over them, as a round-robin load balancer without sticky sessions would
 * spread them. `crossNodeSuite(redisUrl)` registers them; the file starts the topology.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, messages, post, readEvents, type SseEvent } from '../http-server-fixtures.ts';
import { countOf, openGet } from './redis-clients.ts';
import { type Node, startNode } from './redis-nodes.ts';

const REVISION = '2025-11-25';
let nodes: Node[];
const aborted: string[] = [];
/** Lets the running `hold` tools finish. */
const holds: (() => void)[] = [];

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

/** Registers the cross-node tests on the Redis that `redisUrl()` names once the file's set-up ran. */
export function crossNodeSuite(redisUrl: () => string): void {
  beforeAll(async () => {
    nodes = [];
    for (const nodeId of ['a', 'b', 'c']) {
      nodes.push(
        await startNode(redisUrl(), {
          http: { nodeId },
          setup: (server) => {
            server.tool('block', { description: 'Waits until cancelled.' }, async (_args, ctx) => {
              await new Promise<void>((resolve) =>
                ctx.signal.addEventListener('abort', () => resolve(), { once: true }),
              );
              aborted.push(`${nodeId}:${String(ctx.requestId)}`);
              return 'cancelled';
            });
            server.tool('hold', { description: 'Waits until the test lets it go.' }, async () => {
              await new Promise<void>((resolve) => holds.push(resolve));
              return 'released';
            });
          },
        }),
      );
    }
  });

  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.close()));
  });

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
      const result = resultOf(messages((await reading).events)) as {
        result: { content: { text: string }[] };
      };
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
      const result = resultOf(messages(rest.events)) as {
        id: number;
        result: { content: { text: string }[] };
      };
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

    it('refuses a request id in flight on another node as one node does, and frees it once answered', async () => {
      const h = await open();
      const held = { jsonrpc: '2.0', id: 'same', method: 'tools/call', params: { name: 'hold' } };
      const first = await post(url(0), held, h);
      expect(first.status).toBe(200);
      const firstAnswer = readEvents(first);
      await eventually(() => holds.length === 1, 'the held request running on node a');

      const again = { jsonrpc: '2.0', id: 'same', method: 'ping' };
      const onSameNode = await post(url(0), again, h);
      const elsewhere = [await post(url(1), again, h), await post(url(2), again, h)];
      expect(onSameNode.status).toBe(400);
      const expected = await onSameNode.json();
      expect(expected).toEqual({
        jsonrpc: '2.0',
        id: null,
        error: {
          code: -32600,
          message: 'Invalid Request: request id "same" is already in use; give each request a new id.',
        },
      });
      for (const res of elsewhere) {
        expect(res.status).toBe(400);
        expect(await res.json()).toEqual(expected);
      }
      expect(resultOf(await call(1, h, 1, 'ping')).result).toEqual({});

      holds.shift()?.();
      const answer = resultOf(messages((await firstAnswer).events)) as { id: string };
      expect(answer.id).toBe('same');
      for (const node of [2, 1]) {
        const res = await post(url(node), again, h);
        expect(res.status).toBe(200);
        expect(resultOf(messages((await readEvents(res)).events))).toEqual({
          jsonrpc: '2.0',
          id: 'same',
          result: {},
        });
      }
    });

    it('keeps one GET stream per session across nodes: 409 for a second, a resuming GET takes over', async () => {
      const h = await open();
      const first = await openGet(url(0), h);
      expect(first.status).toBe(200);
      await eventually(() => first.events.length > 0, 'the priming event');
      const primed = first.events[0]?.id as string;

      for (const node of [1, 2, 0]) {
        const res = await fetch(url(node), { headers: { ...h, accept: 'text/event-stream' } });
        expect(res.status).toBe(409);
        expect(await res.json()).toEqual({
          jsonrpc: '2.0',
          id: null,
          error: {
            code: -32000,
            message:
              'Conflict: this session already has its GET stream open; only one is allowed (resume a broken one with Last-Event-ID).',
          },
        });
      }

      const resumed = await openGet(url(2), h, primed);
      expect(resumed.status).toBe(200);
      await first.done; // the connection it took the stream from has ended
      await call(1, h, 1, 'resources/subscribe', { uri: 'test://watched-resource' });
      await call(0, h, 2, 'tools/call', { name: 'test_update_watched_resource', arguments: {} });
      const UPDATED = 'notifications/resources/updated';
      await eventually(() => countOf(resumed, UPDATED) === 1, 'the update on the resumed stream');
      expect(countOf(first, UPDATED)).toBe(0);

      resumed.close();
      await resumed.done;
      let status = 409;
      for (let tries = 0; status === 409 && tries < 100; tries++) {
        const next = await openGet(url(1), h);
        status = next.status;
        next.close();
        if (status === 409) await new Promise((r) => setTimeout(r, 20)); // the lease is let go just after the hang-up
      }
      expect(status).toBe(200);
    });
  });
}
