/**
 * Request time limits share one timer: each request still times out at its own limit (not the
 * earliest's, not the latest's), an answer touches no timer, requests one after the other reuse it,
 * a process waiting for nothing is not held open by it, and a closed connection leaves none.
 */
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RequestTimeoutError } from '../protocol/index.ts';
import { JsonRpcPeer } from './index.ts';
import type { Transport, TransportSink } from './transport.ts';

function silentPeer(): { peer: JsonRpcPeer; sink: () => TransportSink; sent: Record<string, unknown>[] } {
  let sink: TransportSink | undefined;
  const sent: Record<string, unknown>[] = [];
  const transport: Transport = {
    start(s) {
      sink = s;
    },
    async send(m) {
      sent.push(m as unknown as Record<string, unknown>);
    },
    async close() {},
  };
  const peer = new JsonRpcPeer({ onRequest: () => ({}) });
  void peer.connect(transport);
  return { peer, sink: () => sink as TransportSink, sent };
}

describe('request time limits', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('times each request out at its own limit, in order, whatever the order they were sent in', async () => {
    const { peer } = silentPeer();
    const ended: string[] = [];
    const track = (name: string, timeout: number) =>
      peer.request(name, undefined, { timeout }).catch((e: unknown) => {
        expect(e).toBeInstanceOf(RequestTimeoutError);
        ended.push(`${name}@${Date.now()}`);
      });
    const start = Date.now();
    const all = [track('late', 300), track('early', 100), track('middle', 200)];
    await vi.advanceTimersByTimeAsync(99);
    expect(ended).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(ended).toEqual([`early@${start + 100}`]);
    await vi.advanceTimersByTimeAsync(200);
    await Promise.all(all);
    expect(ended).toEqual([`early@${start + 100}`, `middle@${start + 200}`, `late@${start + 300}`]);
  });

  it('sets no timer per answer, nor per request when each is answered before the next is sent', async () => {
    const { peer, sink, sent } = silentPeer();
    const setTimer = vi.spyOn(globalThis, 'setTimeout');
    const calls = [1, 2, 3].map(() => peer.request('x', undefined, { timeout: 1000 }));
    expect(vi.getTimerCount()).toBe(1);
    for (const m of sent.splice(0)) sink().receive({ jsonrpc: '2.0', id: m.id, result: {} });
    await Promise.all(calls);
    for (let i = 0; i < 20; i++) {
      await vi.advanceTimersByTimeAsync(10);
      const call = peer.request('y', undefined, { timeout: 1000 });
      sink().receive({ jsonrpc: '2.0', id: sent.splice(0)[0]?.id as number, result: {} });
      await call;
    }
    expect(setTimer).toHaveBeenCalledTimes(1);
    setTimer.mockRestore();
  });

  it('leaves no timer once the connection closes', async () => {
    const { peer, sink, sent } = silentPeer();
    const call = peer.request('x', undefined, { timeout: 1000 });
    sink().receive({ jsonrpc: '2.0', id: sent[0]?.id as number, result: {} });
    await call;
    await peer.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('restarts a request’s limit on progress, and says which limit ran out', async () => {
    const { peer, sink } = silentPeer();
    const onprogress = vi.fn();
    const call = peer
      .request('x', undefined, { timeout: 100, maxTotalTimeout: 250, onprogress })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(80);
    sink().receive({
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: { progressToken: 0, progress: 1 },
    });
    await vi.advanceTimersByTimeAsync(80);
    sink().receive({
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: { progressToken: 0, progress: 2 },
    });
    await vi.advanceTimersByTimeAsync(89);
    expect(onprogress).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    const error = (await call) as RequestTimeoutError;
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error.message).toMatch(/250/);
  });
});

describe('the shared timer, while nothing waits', () => {
  it('holds no process open: a program whose requests were all answered exits at once', () => {
    const script = `
      import { JsonRpcPeer } from ${JSON.stringify(new URL('./index.ts', import.meta.url).href)};
      let sink;
      const sent = [];
      const peer = new JsonRpcPeer({ onRequest: () => ({}) });
      await peer.connect({ start(s) { sink = s; }, async send(m) { sent.push(m); }, async close() {} });
      for (let i = 0; i < 3; i++) {
        const call = peer.request('x', undefined, { timeout: 60000 });
        sink.receive({ jsonrpc: '2.0', id: sent.at(-1).id, result: {} });
        await call;
      }
      console.log('answered');
    `;
    const started = Date.now();
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('answered');
    expect(run.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
