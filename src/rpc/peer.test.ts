import { describe, expect, it } from 'vitest';
import { ConnectionClosedError, McpError } from '../protocol/index.ts';
import { createMemoryPair } from '../transport/index.ts';
import { JsonRpcPeer, type PeerOptions } from './index.ts';
import type { Transport, TransportSink } from './transport.ts';

function capture(): { transport: Transport; sent: unknown[]; sink: () => TransportSink } {
  const sent: unknown[] = [];
  let sink: TransportSink | undefined;
  return {
    sent,
    sink: () => sink as TransportSink,
    transport: {
      start(s) {
        sink = s;
      },
      send(m) {
        sent.push(JSON.parse(JSON.stringify(m)));
      },
      async close() {
        sink?.closed();
      },
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

async function linked(server: Partial<PeerOptions>, client: Partial<PeerOptions> = {}) {
  const [a, b] = createMemoryPair();
  const s = new JsonRpcPeer({ onRequest: () => ({}), ...server });
  const c = new JsonRpcPeer({ onRequest: () => ({}), ...client });
  await s.connect(b);
  await c.connect(a);
  return { s, c };
}

describe('basic: JSON-RPC requests and responses', () => {
  it('correlates concurrent requests by id, whatever order the answers come in', async () => {
    const { c } = await linked({
      onRequest: async (_m, params) => {
        await new Promise((r) => setTimeout(r, Number(params?.delay)));
        return { delay: params?.delay };
      },
    });
    const results = await Promise.all([30, 1, 15].map((delay) => c.request('x', { delay })));
    expect(results).toEqual([{ delay: 30 }, { delay: 1 }, { delay: 15 }]);
  });

  it('rejects with the McpError the peer sent, code and data intact', async () => {
    const { c } = await linked({
      onRequest: () => {
        throw new McpError(-32099, 'nope', { why: 'because' });
      },
    });
    const e = (await c.request('x').catch((x: unknown) => x)) as McpError;
    expect(e).toBeInstanceOf(McpError);
    expect([e.code, e.message, e.data]).toEqual([-32099, 'nope', { why: 'because' }]);
  });

  it('answers a thrown plain Error with -32603', async () => {
    const { transport, sent, sink } = capture();
    const p = new JsonRpcPeer({
      onRequest: () => {
        throw new TypeError('bad');
      },
    });
    await p.connect(transport);
    sink().receive({ jsonrpc: '2.0', id: 1, method: 'x' });
    await tick();
    expect(sent).toEqual([
      { jsonrpc: '2.0', id: 1, error: { code: -32603, message: 'Internal error: bad' } },
    ]);
  });

  it('refuses a request id that is still in use', async () => {
    const { transport, sent, sink } = capture();
    const p = new JsonRpcPeer({ onRequest: () => new Promise(() => {}) });
    await p.connect(transport);
    sink().receive({ jsonrpc: '2.0', id: 'a', method: 'x' });
    sink().receive({ jsonrpc: '2.0', id: 'a', method: 'x' });
    await tick();
    expect(sent).toMatchObject([{ id: 'a', error: { code: -32600 } }]);
  });

  it('answers past the in-flight limit with an error and keeps serving', async () => {
    const { transport, sent, sink } = capture();
    const p = new JsonRpcPeer({ onRequest: () => new Promise(() => {}), maxInflight: 2 });
    await p.connect(transport);
    for (const id of [1, 2, 3]) sink().receive({ jsonrpc: '2.0', id, method: 'x' });
    await tick();
    expect(sent).toMatchObject([{ id: 3, error: { code: -32603 } }]);
  });

  it('fails a request at once when the transport cannot send it', async () => {
    const p = new JsonRpcPeer({ onRequest: () => ({}) });
    await p.connect({
      start() {},
      send() {
        throw new Error('pipe broken');
      },
      async close() {},
    });
    const e = await p.request('x').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConnectionClosedError);
    expect((e as Error).message).toMatch(/pipe broken/);
  });

  it('sends notifications/cancelled when a request times out', async () => {
    const { transport, sent } = capture();
    const p = new JsonRpcPeer({ onRequest: () => ({}) });
    await p.connect(transport);
    await p.request('slow', undefined, { timeout: 10 }).catch(() => {});
    expect(sent[1]).toEqual({
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId: 0, reason: 'timed out' },
    });
  });

  it('ignores a late response to a cancelled request', async () => {
    const { transport, sink } = capture();
    const p = new JsonRpcPeer({ onRequest: () => ({}) });
    await p.connect(transport);
    const controller = new AbortController();
    const r = p.request('x', undefined, { signal: controller.signal });
    controller.abort();
    await expect(r).rejects.toThrow(/cancelled/);
    sink().receive({ jsonrpc: '2.0', id: 0, result: {} });
    expect(p.closed).toBe(false);
  });

  it('keeps messages that arrive after close from doing anything', async () => {
    const { transport, sent, sink } = capture();
    const p = new JsonRpcPeer({ onRequest: () => ({ ok: true }) });
    await p.connect(transport);
    await p.close();
    sink().receive({ jsonrpc: '2.0', id: 1, method: 'x' });
    await tick();
    expect(sent).toEqual([]);
    await expect(p.request('x')).rejects.toBeInstanceOf(ConnectionClosedError);
  });
});

describe('basic: malformed responses', () => {
  it('fails the request a malformed response names, and answers nothing back', async () => {
    const { transport, sent, sink } = capture();
    const p = new JsonRpcPeer({ onRequest: () => ({}) });
    await p.connect(transport);
    const call = p.request('x', undefined, { timeout: 60_000 });
    sink().receive({ jsonrpc: '2.0', id: 0, result: 'not an object' });
    const e = await call.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(McpError);
    expect((e as Error).message).toMatch(/malformed response/);
    expect(sent).toHaveLength(1); // only the request itself
  });
});

describe('basic/utilities/cancellation: the signal of a request', () => {
  it('is aborted, with the reason, even when the handler first looks at it after the cancellation', async () => {
    const { transport, sent, sink } = capture();
    let seen: [boolean, unknown] | undefined;
    const p = new JsonRpcPeer({
      onRequest: async (_m, _p, ctx) => {
        await new Promise((r) => setTimeout(r, 20));
        seen = [ctx.signal.aborted, ctx.signal.reason];
        return {};
      },
    });
    await p.connect(transport);
    sink().receive({ jsonrpc: '2.0', id: 'late', method: 'x' });
    sink().receive({
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId: 'late', reason: 'stop' },
    });
    await new Promise((r) => setTimeout(r, 40));
    expect(seen).toEqual([true, 'stop']);
    expect(sent).toEqual([]);
  });
});

describe('limits: nesting depth', () => {
  it('refuses a text frame one level past maxDepth and serves one at it, short frames included', async () => {
    const { transport, sent, sink } = capture();
    const peer = new JsonRpcPeer({ onRequest: () => ({ ok: true }), maxDepth: 40 });
    await peer.connect(transport);
    // The message object is level 1 and params level 2: `levels` more objects inside params.
    const nested = (levels: number) => '{"a":'.repeat(levels) + '{}' + '}'.repeat(levels);
    const frame = (id: number, levels: number) =>
      `{"jsonrpc":"2.0","id":${id},"method":"m","params":${nested(levels)}}`;
    sink().receiveText(frame(1, 38)); // depth 40
    sink().receiveText(frame(2, 39)); // depth 41
    sink().receiveText('{"jsonrpc":"2.0","id":3,"method":"m"}'); // shorter than any frame that could nest 41 deep
    await tick();
    const byId = new Map((sent as { id: number; error?: { code: number } }[]).map((m) => [m.id, m]));
    expect(byId.get(1)?.error).toBeUndefined();
    expect(byId.get(2)?.error?.code).toBe(-32600);
    expect(byId.get(3)?.error).toBeUndefined();
  });
});
