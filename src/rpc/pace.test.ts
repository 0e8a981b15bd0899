import { describe, expect, it } from 'vitest';
import { PROGRESS_PACE_MS } from './inflight.ts';
import { JsonRpcPeer } from './peer.ts';
import type { Transport, TransportSink } from './transport.ts';

/** A transport that records each message sent and when (performance.now()). */
function timed(): {
  transport: Transport;
  sent: { at: number; m: Record<string, unknown> }[];
  sink: () => TransportSink;
} {
  const sent: { at: number; m: Record<string, unknown> }[] = [];
  let sink: TransportSink | undefined;
  return {
    sent,
    sink: () => sink as TransportSink,
    transport: {
      start(s) {
        sink = s;
      },
      send(m) {
        sent.push({ at: performance.now(), m: JSON.parse(JSON.stringify(m)) });
      },
      async close() {
        sink?.closed();
      },
    },
  };
}

const macrotask = () => new Promise((resolve) => setImmediate(resolve));
const until = async (check: () => boolean) => {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 1));
};

describe('a result after a progress notification of its own request', () => {
  async function serving() {
    const t = timed();
    let peer: JsonRpcPeer | undefined;
    peer = new JsonRpcPeer({
      onRequest: async (method, _params, ctx) => {
        if (method === 'with-progress') {
          await peer?.notify(
            'notifications/progress',
            { progressToken: 't', progress: 1 },
            { relatedRequestId: ctx.id },
          );
        }
        if (method === 'with-log') {
          await peer?.notify(
            'notifications/message',
            { level: 'info', data: 'x' },
            { relatedRequestId: ctx.id },
          );
        }
        return {};
      },
    });
    await peer.connect(t.transport);
    return { ...t, peer };
  }

  it('goes out PROGRESS_PACE_MS later, in a later macrotask, so that clients read the notification first', async () => {
    const { sent, sink } = await serving();
    sink().receiveText('{"jsonrpc":"2.0","id":1,"method":"with-progress"}');
    await macrotask();
    await macrotask();
    expect(sent.map((s) => s.m.method ?? 'result')).toEqual(['notifications/progress']);
    await until(() => sent.length === 2);
    const [progress, result] = sent;
    expect(result?.m).toEqual({ jsonrpc: '2.0', id: 1, result: {} });
    expect((result?.at ?? 0) - (progress?.at ?? 0)).toBeGreaterThanOrEqual(PROGRESS_PACE_MS - 1);
  });

  it('without a progress notification just before it (none, or a log message) goes out at once', async () => {
    const { sent, sink } = await serving();
    sink().receiveText('{"jsonrpc":"2.0","id":1,"method":"plain"}');
    sink().receiveText('{"jsonrpc":"2.0","id":2,"method":"with-log"}');
    await macrotask();
    const order = sent.map((s) => s.m.id ?? s.m.method);
    expect([...order].sort()).toEqual([1, 2, 'notifications/message']);
    expect(order.indexOf('notifications/message')).toBeLessThan(order.indexOf(2));
  });

  it('is still sent when the input ends meanwhile; the peer closes after it', async () => {
    const { sent, sink, peer } = await serving();
    sink().receiveText('{"jsonrpc":"2.0","id":7,"method":"with-progress"}');
    await macrotask();
    sink().ended?.();
    expect(peer.closed).toBe(false);
    await until(() => peer.closed);
    expect(sent.at(-1)?.m).toEqual({ jsonrpc: '2.0', id: 7, result: {} });
  });
});
