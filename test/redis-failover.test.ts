/**
 * Node processes started as `REDIS_URL=… PORT=… npm start` runs them: one is killed with SIGKILL
 * while the session goes on through the others, and its GET stream resumes on another node with
 * Last-Event-ID, no event lost or duplicated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  messages,
  POST_HEADERS,
  post,
  readEvents,
  type SseEvent,
} from './http-server-fixtures.ts';
import { countOf, openGet, openSession, reading, request } from './support/redis-clients.ts';
import { type NodeProcess, spawnNode } from './support/redis-nodes.ts';
import { type RedisServer, startRedisServer } from './support/redis-server.ts';

const REVISION = '2025-06-18';
let redis: RedisServer;
let nodes: NodeProcess[];

beforeAll(async () => {
  redis = await startRedisServer();
  nodes = await Promise.all([0, 1, 2].map(() => spawnNode(redis.url)));
});

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.kill()));
  await redis.stop();
});

/** Reads SSE events into `into` until the body ends or breaks. */
async function collect(response: Response, into: SseEvent[]): Promise<void> {
  await readEvents(response, (e) => {
    into.push(e);
    return false;
  }).catch(() => {});
}

const UPDATED = 'notifications/resources/updated';
const entryOf = (id: string) =>
  id
    .slice(id.lastIndexOf('_') + 1)
    .split('-')
    .map(Number) as [number, number];

describe('a node killed with SIGKILL', () => {
  it('leaves the session going through the others, its GET stream resumed elsewhere exactly once', async () => {
    const [n0, n1, n2] = nodes as [NodeProcess, NodeProcess, NodeProcess];
    const init = await post(n0.url, {
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: REVISION, capabilities: {}, clientInfo: { name: 't', version: '1' } },
    });
    const h = {
      'mcp-session-id': init.headers.get('mcp-session-id') as string,
      'mcp-protocol-version': REVISION,
    };
    await readEvents(init);
    expect((await post(n1.url, { jsonrpc: '2.0', method: 'notifications/initialized' }, h)).status).toBe(202);
    let nextId = 1;
    const request = async (url: string, method: string, params: Record<string, unknown> = {}) => {
      const res = await post(url, { jsonrpc: '2.0', id: nextId++, method, params }, h);
      expect(res.status).toBe(200);
      return messages((await readEvents(res)).events);
    };
    const update = (url: string) =>
      request(url, 'tools/call', { name: 'test_update_watched_resource', arguments: {} });

    const before: SseEvent[] = [];
    const get = await fetch(n0.url, { headers: { ...h, accept: 'text/event-stream' } });
    expect(get.status).toBe(200);
    const reading = collect(get, before);
    await request(n1.url, 'resources/subscribe', { uri: 'test://watched-resource' });
    await update(n2.url);
    await eventually(
      () => before.some((e) => e.data.includes(UPDATED)),
      'the first update on the GET stream',
    );

    await n0.kill();
    await reading;
    await update(n1.url);
    await update(n2.url);
    const tools = await request(n2.url, 'tools/list');
    expect(tools[0]?.result).toBeDefined();

    const lastSeen = before.filter((e) => e.data.includes(UPDATED)).at(-1)?.id as string;
    const after: SseEvent[] = [];
    const hangUp = new AbortController();
    const resumed = await fetch(n1.url, {
      headers: { ...h, accept: 'text/event-stream', 'last-event-id': lastSeen },
      signal: hangUp.signal,
    });
    expect(resumed.status).toBe(200);
    const resumedReading = collect(resumed, after);
    await eventually(
      () => after.filter((e) => e.data.includes(UPDATED)).length === 2,
      'the two missed updates',
    );
    await update(n2.url);
    await eventually(() => after.filter((e) => e.data.includes(UPDATED)).length === 3, 'the live update');
    hangUp.abort();
    await resumedReading;

    const all = [...before, ...after].filter((e) => e.data.includes(UPDATED));
    expect(all).toHaveLength(4); // four updates, each delivered once
    const ids = all.map((e) => e.id as string);
    expect(new Set(ids).size).toBe(4);
    const entries = ids.map(entryOf);
    for (let i = 1; i < entries.length; i++) {
      const [ms, seq] = entries[i] as [number, number];
      const [pms, pseq] = entries[i - 1] as [number, number];
      expect(ms > pms || (ms === pms && seq > pseq)).toBe(true);
    }
  });

  it('lets a GET resume at once on another node, and frees the GET stream it held within seconds', async () => {
    const [, n1, n2] = nodes as [NodeProcess, NodeProcess, NodeProcess];
    const doomed = await spawnNode(redis.url);
    nodes.push(doomed);
    const a = await openSession(n1.url, n2.url, REVISION);
    const b = await openSession(n2.url, n1.url, REVISION);
    const getA = await openGet(doomed.url, a);
    const getB = await openGet(doomed.url, b);
    expect([getA.status, getB.status]).toEqual([200, 200]);
    await request(n1.url, b, 1, 'resources/subscribe', { uri: 'test://watched-resource' });
    await request(n2.url, b, 2, 'tools/call', { name: 'test_update_watched_resource', arguments: {} });
    await eventually(() => countOf(getB, UPDATED) === 1, 'an event on the GET stream of b');
    const lastSeen = getB.events.at(-1)?.id as string;
    const second = await openGet(n1.url, a);
    expect(second.status).toBe(409); // the GET stream of a is held by the doomed node

    await doomed.kill();
    await Promise.all([getA.done, getB.done]);
    // With Last-Event-ID the client takes its stream over at once, from the lease of the dead node.
    const resumedB = await openGet(n1.url, b, lastSeen);
    expect(resumedB.status).toBe(200);
    await request(n2.url, b, 3, 'tools/call', { name: 'test_update_watched_resource', arguments: {} });
    await eventually(() => countOf(resumedB, UPDATED) === 1, 'the next update on the resumed stream');
    // Without one (it has seen no event), it gets its stream once the dead node's lease runs out.
    let status = 409;
    const deadline = Date.now() + 20_000;
    while (status === 409 && Date.now() < deadline) {
      const again = await openGet(n2.url, a);
      status = again.status;
      again.close();
      if (status === 409) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
    resumedB.close();
  });

  it('answers each request the dead node was serving with an error on its resumed stream, within the lease expiry', async () => {
    const [, n1, n2] = nodes as [NodeProcess, NodeProcess, NodeProcess];
    const doomed = await spawnNode(redis.url);
    nodes.push(doomed);
    const h = await openSession(n1.url, n2.url, '2025-11-25');
    // Two long calls in flight on the doomed node, each on its own POST stream (primed: resumable).
    const calls = await Promise.all(
      [1, 2].map(async (id) => {
        const hangUp = new AbortController();
        const res = await fetch(doomed.url, {
          method: 'POST',
          headers: { ...POST_HEADERS, ...h },
          body: JSON.stringify({
            jsonrpc: '2.0',
            id,
            method: 'tools/call',
            params: {
              name: 'test_long_operation',
              arguments: { seconds: 600 },
              _meta: { progressToken: `p${id}` },
            },
          }),
          signal: hangUp.signal,
        });
        expect(res.status).toBe(200);
        return reading(res, hangUp);
      }),
    );
    for (const call of calls) {
      await eventually(() => call.messages().some((m) => m.method === 'notifications/progress'), 'progress');
    }
    await doomed.kill();
    await Promise.all(calls.map((c) => c.done));

    const resumed = await Promise.all(
      calls.map((call) => openGet(n2.url, h, call.events.at(-1)?.id as string)),
    );
    expect(resumed.map((r) => r.status)).toEqual([200, 200]);
    // Each request the dead node held ends with a JSON-RPC error on its resumed stream, which then ends.
    await Promise.all(resumed.map((r) => r.done));
    resumed.forEach((r, i) => {
      const answers = r.messages().filter((m) => 'result' in m || 'error' in m);
      expect(answers).toEqual([
        {
          jsonrpc: '2.0',
          id: i + 1,
          error: {
            code: -32603,
            message:
              'The server node handling this request stopped before answering; send the request again.',
          },
        },
      ]);
    });
    // Resuming once more gets the error again at once, and the session goes on on the live nodes.
    const again = await openGet(n1.url, h, calls[0]?.events.at(-1)?.id as string);
    await again.done;
    expect(again.messages().filter((m) => 'error' in m)).toHaveLength(1);
    const tools = await request(n1.url, h, 3, 'tools/list');
    expect(tools[0]?.result).toBeDefined();
  });
});
