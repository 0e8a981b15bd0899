/**
 * The broadcast tests, run on each Redis topology: notifications the application raises for all
 * sessions (resource updated, list changed) on one node of a cluster reach every session of every
 * node once, on its GET stream, stored for Last-Event-ID resumption: sessions whose copies are on
 * other nodes, sessions no node holds a copy of, and HTTP+SSE sessions held by another node.
 * `broadcastSuite(redisUrl)` registers them; the file starts the topology.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../http-server-fixtures.ts';
import {
  countOf,
  openGet,
  openLegacy,
  openSession,
  postLegacy,
  type Reading,
  request,
  type SessionHeaders,
} from './redis-clients.ts';
import { type Node, startNode } from './redis-nodes.ts';

const UPDATED = 'notifications/resources/updated';
const WATCHED = 'test://watched-resource';
const END = 'test://end-of-test';
let nodes: Node[];

const url = (i: number) => (nodes[i] as Node).url;
const base = (i: number) => url(i).slice(0, -'/mcp'.length);
let nextId = 100;
const subscribe = (node: number, h: SessionHeaders, uri: string) =>
  request(url(node), h, nextId++, 'resources/subscribe', { uri });

/** Waits until every stream has the end-of-test update: everything raised before it has arrived. */
async function untilEnd(streams: Reading[]): Promise<void> {
  await eventually(() => streams.every((s) => countOf(s, UPDATED, END) === 1), 'the end-of-test update');
}

/** Registers the broadcast tests on the Redis that `redisUrl()` names once the file's set-up ran. */
export function broadcastSuite(redisUrl: () => string): void {
  beforeAll(async () => {
    nodes = [];
    for (const nodeId of ['a', 'b', 'c']) nodes.push(await startNode(redisUrl(), { http: { nodeId } }));
  });

  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.close()));
  });

  describe('a notification raised for all sessions on one node', () => {
    it('reaches each subscribed session of the cluster once, with or without a copy anywhere', async () => {
      // s1: copies on a and b; GET stream held by a; no copy on c, which raises the notification.
      const s1 = await openSession(url(0), url(1));
      const g1 = await openGet(url(0), s1);
      await subscribe(1, s1, WATCHED);
      // s2: a copy on every node, GET stream held by b.
      const s2 = await openSession(url(0), url(1));
      const g2 = await openGet(url(1), s2);
      await subscribe(2, s2, WATCHED);
      // s3: not subscribed to the resource.
      const s3 = await openSession(url(2));
      const g3 = await openGet(url(2), s3);
      // s4: made on a fourth node that then leaves, so that no node holds a copy; no GET open.
      const d = await startNode(redisUrl(), { http: { nodeId: 'd' } });
      const s4 = await openSession(d.url);
      await request(d.url, s4, nextId++, 'resources/subscribe', { uri: WATCHED });
      const g4 = await openGet(d.url, s4);
      await eventually(() => g4.events.length > 0, 'the priming event of the GET stream on d');
      const primed = g4.events[0]?.id as string;
      g4.close();
      await d.close();
      for (const [i, h] of [s1, s2, s3].entries()) await subscribe(i, h, END);

      await nodes[2]?.server.resourceUpdated(WATCHED);
      await nodes[1]?.server.resourceUpdated(END);
      await untilEnd([g1, g2, g3]);
      expect(countOf(g1, UPDATED, WATCHED)).toBe(1);
      expect(countOf(g2, UPDATED, WATCHED)).toBe(1);
      expect(countOf(g3, UPDATED, WATCHED)).toBe(0);

      const resumed = await openGet(url(0), s4, primed);
      expect(resumed.status).toBe(200);
      await eventually(() => countOf(resumed, UPDATED, WATCHED) === 1, 'the update stored for s4');
      expect(resumed.messages()).toEqual([{ jsonrpc: '2.0', method: UPDATED, params: { uri: WATCHED } }]);
      for (const g of [g1, g2, g3, resumed]) g.close();
    });

    it('tells every initialized session once that the tool list changed on one node', async () => {
      const LIST_CHANGED = 'notifications/tools/list_changed';
      const t1 = await openSession(url(0), url(1));
      const g1 = await openGet(url(0), t1);
      const t2 = await openSession(url(1));
      const g2 = await openGet(url(2), t2);
      const e = await startNode(redisUrl(), { http: { nodeId: 'e' } });
      const t3 = await openSession(e.url);
      const g3 = await openGet(e.url, t3);
      await eventually(() => g3.events.length > 0, 'the priming event of the GET stream on e');
      const primed = g3.events[0]?.id as string;
      g3.close();
      await e.close();
      await subscribe(0, t1, END);
      await subscribe(2, t2, END);

      nodes[1]?.server.tool('late_tool', { description: 'Added while clients are connected.' }, () => 'late');
      await eventually(
        () => countOf(g1, LIST_CHANGED) > 0 && countOf(g2, LIST_CHANGED) > 0,
        'list_changed on both GET streams',
      );
      await nodes[1]?.server.resourceUpdated(END);
      await untilEnd([g1, g2]);
      expect(countOf(g1, LIST_CHANGED)).toBe(1);
      expect(countOf(g2, LIST_CHANGED)).toBe(1);

      const resumed = await openGet(url(2), t3, primed);
      expect(resumed.status).toBe(200);
      await eventually(() => countOf(resumed, LIST_CHANGED) === 1, 'the list_changed stored for t3');
      expect(resumed.messages()).toEqual([{ jsonrpc: '2.0', method: LIST_CHANGED }]);
      for (const g of [g1, g2, resumed]) g.close();
    });

    it('reaches an HTTP+SSE session held by another node, through the bus', async () => {
      const session = await openLegacy(base(0));
      const answered = (id: number) => session.stream.messages().some((m) => m.id === id && 'result' in m);
      const initialize = {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2024-11-05',
          capabilities: {},
          clientInfo: { name: 'sse', version: '1' },
        },
      };
      expect(await postLegacy(base(1), session, initialize)).toBe(202);
      await eventually(() => answered(1), 'the initialize result');
      const initialized = { jsonrpc: '2.0', method: 'notifications/initialized' };
      expect(await postLegacy(base(2), session, initialized)).toBe(202);
      for (const [id, uri] of [
        [2, WATCHED],
        [3, END],
      ] as const) {
        const sub = { jsonrpc: '2.0', id, method: 'resources/subscribe', params: { uri } };
        expect(await postLegacy(base(1), session, sub)).toBe(202);
        await eventually(() => answered(id), `the answer to subscribe ${uri}`);
      }

      await nodes[2]?.server.resourceUpdated(WATCHED);
      await nodes[2]?.server.resourceUpdated(END);
      await untilEnd([session.stream]);
      expect(countOf(session.stream, UPDATED, WATCHED)).toBe(1);
      session.stream.close();
    });
  });
}
