/**
 * A request without a session — of the stateless revision 2026-07-28, or of a legacy revision on a
 * handler with `sessions: false` — is served by the transport-free exchange: no session record, no
 * JSON-RPC peer, no timer, and a short path from the Node adapter to the tool handler.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';

const made = vi.hoisted(() => ({ peers: 0, sessions: 0 }));

vi.mock('../src/rpc/peer.ts', async (load) => {
  const real = await load<typeof import('../src/rpc/peer.ts')>();
  class CountedPeer extends real.JsonRpcPeer {
    constructor(...args: ConstructorParameters<typeof real.JsonRpcPeer>) {
      super(...args);
      made.peers++;
    }
  }
  return { ...real, JsonRpcPeer: CountedPeer };
});

vi.mock('../src/server/session.ts', async (load) => {
  const real = await load<typeof import('../src/server/session.ts')>();
  class CountedSession extends real.ServerSession {
    constructor(...args: ConstructorParameters<typeof real.ServerSession>) {
      super(...args);
      made.sessions++;
    }
  }
  return { ...real, ServerSession: CountedSession };
});

const { createHttpHandler } = await import('../src/http/index.ts');
const { serveHttp } = await import('../src/node/index.ts');
const { McpServer } = await import('../src/server/index.ts');

const MODERN = '2026-07-28';

function call(revision: string, id: number, text: string) {
  const meta = {
    'io.modelcontextprotocol/protocolVersion': MODERN,
    'io.modelcontextprotocol/clientCapabilities': {},
  };
  const params = { name: 'echo', arguments: { text }, ...(revision === MODERN ? { _meta: meta } : {}) };
  return { jsonrpc: '2.0', id, method: 'tools/call', params };
}

describe.each([MODERN, '2025-06-18'])('the stateless exchange at %s', (revision) => {
  let stacks: string[];
  let url: string;
  let close: () => Promise<void>;

  beforeEach(async () => {
    stacks = [];
    const server = new McpServer({ name: 'exchange', version: '1.0.0' });
    server.tool('echo', { input: z.object({ text: z.string() }) }, ({ text }) => {
      stacks.push(new Error('handler').stack ?? '');
      return text;
    });
    const handler = createHttpHandler(server, { sessions: false, jsonResponse: true });
    const listening = await serveHttp(handler, { port: 0, host: '127.0.0.1' });
    url = `${listening.url}/mcp`;
    close = async () => {
      await handler.close();
      await listening.close();
    };
  });

  afterEach(() => close());

  const post = (id: number, text: string) =>
    fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': revision,
        ...(revision === MODERN ? { 'mcp-method': 'tools/call', 'mcp-name': 'echo' } : {}),
      },
      body: JSON.stringify(call(revision, id, text)),
    }).then(async (r) => ({ status: r.status, body: await r.json() }));

  it('makes no session, no peer, no timer and no AbortController for a stateless tools/call', async () => {
    expect((await post(1, 'warm')).body.result.content[0].text).toBe('warm');
    const peers = made.peers;
    const sessions = made.sessions;
    const timers: string[] = [];
    const controllers: string[] = [];
    const RealAbortController = globalThis.AbortController;
    globalThis.AbortController = class extends RealAbortController {
      constructor() {
        super();
        const stack = new Error('controller').stack ?? '';
        if (stack.includes('/src/')) controllers.push(stack);
      }
    };
    const realSetTimeout = globalThis.setTimeout;
    const realSetInterval = globalThis.setInterval;
    const spy = (real: typeof setTimeout) =>
      ((...args: Parameters<typeof setTimeout>) => {
        const stack = new Error('timer').stack ?? '';
        if (stack.includes('/src/')) timers.push(stack);
        return real(...args);
      }) as typeof setTimeout;
    globalThis.setTimeout = spy(realSetTimeout);
    globalThis.setInterval = spy(realSetInterval as typeof setTimeout) as unknown as typeof setInterval;
    try {
      for (let i = 0; i < 20; i++) {
        const { status, body } = await post(100 + i, `call ${i}`);
        expect(status).toBe(200);
        expect(body.result.content[0].text).toBe(`call ${i}`);
      }
    } finally {
      globalThis.setTimeout = realSetTimeout;
      globalThis.setInterval = realSetInterval;
      globalThis.AbortController = RealAbortController;
    }
    // The adapter watches the client going away without one (see src/node/departure.ts).
    expect(controllers).toEqual([]);
    expect(made.peers - peers).toBe(0);
    expect(made.sessions - sessions).toBe(0);
    expect(
      timers.filter((s) => /\/src\/(server|rpc|http)\//.test(s.split('\n').slice(2).join('\n'))),
    ).toEqual([]);
  });

  it('reaches the tool handler through at most 8 source files after the Node adapter', async () => {
    await post(1, 'path');
    const stack = stacks[0] ?? '';
    const files = [...stack.matchAll(/\/src\/([\w/-]+\.ts)/g)].map((m) => m[1] as string);
    const start = files.indexOf('node/http.ts');
    const between = [...new Set(files.slice(0, start === -1 ? undefined : start))];
    expect(between.length).toBeGreaterThan(0);
    expect(between, between.join(' → ')).not.toContain('server/session.ts');
    expect(between, between.join(' → ')).not.toContain('rpc/peer.ts');
    expect(between.length, between.join(' → ')).toBeLessThanOrEqual(8);
  });
});
