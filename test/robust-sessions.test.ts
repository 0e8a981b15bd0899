/**
 * Sessions against hostile clients, on real sockets: initialize naming a session that is gone,
 * floods of initialize requests that never finish their handshake, fair admission when the table
 * is full, per-client caps.
 */
import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { McpServer } from '../src/server/index.ts';
import {
  callTool,
  eventually,
  holdGetStream,
  initializeBody,
  openSession,
  POST_HEADERS,
  post,
  type Served,
  serve,
} from './http-server-fixtures.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function served(options: Parameters<typeof serve>[1] = {}): Promise<Served> {
  const server = new McpServer({ name: 'sessions', version: '1.0.0', onError: () => {} });
  server.tool('hello', { description: 'says hello' }, () => 'hello');
  const s = await serve(server, options);
  closers.push(() => s.close());
  return s;
}

describe('initialize naming a session id', () => {
  it('answers 404 for a session that was deleted or never existed, and 400 for a live one', async () => {
    const s = await served();
    const live = await openSession(s.url);
    const again = await post(s.url, initializeBody(), { 'mcp-session-id': live.id });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: { message: string } }).error.message).toContain(
      'initialized only once',
    );

    const gone = await openSession(s.url);
    const deleted = await fetch(s.url, { method: 'DELETE', headers: { ...POST_HEADERS, ...gone.headers } });
    expect(deleted.status).toBe(200);
    for (const id of [gone.id, '0123456789abcdef0123456789abcdef']) {
      const r = await post(s.url, initializeBody(), { 'mcp-session-id': id });
      expect(r.status, id).toBe(404);
      const body = (await r.json()) as { error: { code: number; message: string } };
      expect(body.error.code).toBe(-32001);
      expect(body.error.message).toContain('start a new session with initialize');
    }
  });
});

/** Sends initialize and nothing else (a flood's request); resolves with the status and session id. */
async function bareInitialize(url: string): Promise<{ status: number; id: string | null }> {
  const r = await post(url, initializeBody());
  const id = r.headers.get('mcp-session-id');
  await r.body?.cancel();
  return { status: r.status, id };
}

/** Calls the `hello` tool on a session; resolves with the HTTP status. */
async function callHello(url: string, headers: Record<string, string>): Promise<number> {
  const r = await post(url, callTool(1, 'hello'), headers);
  await r.text();
  return r.status;
}

/** POSTs initialize from a given loopback source address; resolves with status and session id. */
function initializeFrom(
  url: string,
  localAddress: string,
): Promise<{ status: number; id: string | undefined }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(initializeBody());
    const req = httpRequest(url, { method: 'POST', localAddress, headers: { ...POST_HEADERS } }, (res) => {
      res.resume();
      const id = res.headers['mcp-session-id'];
      resolve({ status: res.statusCode ?? 0, id: typeof id === 'string' ? id : undefined });
      res.destroy();
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('a flood of initialize requests', () => {
  it('does not lock new clients out: unused sessions make room, used ones survive, the table stays bounded', async () => {
    const s = await served({ maxSessions: 20 });
    const used = await openSession(s.url);
    expect(await callHello(s.url, used.headers)).toBe(200);
    const flood: number[] = [];
    for (let i = 0; i < 200; i++) flood.push((await bareInitialize(s.url)).status);
    expect(flood.every((status) => status === 200)).toBe(true);
    expect(s.handler.sessionCount).toBeLessThanOrEqual(20);
    const newcomer = await openSession(s.url);
    expect(await callHello(s.url, newcomer.headers)).toBe(200);
    expect(await callHello(s.url, used.headers)).toBe(200);
  });

  it('expires sessions never used beyond their handshake after unusedSessionIdleMs; used ones stay', async () => {
    const s = await served({ unusedSessionIdleMs: 100 });
    const used = await openSession(s.url);
    expect(await callHello(s.url, used.headers)).toBe(200);
    const unused = await openSession(s.url); // initialize and notifications/initialized only
    const bare = await bareInitialize(s.url); // never completed the handshake
    await eventually(() => s.handler.sessionCount === 1, 'the unused sessions to expire');
    expect(await callHello(s.url, unused.headers)).toBe(404);
    expect(await callHello(s.url, { ...unused.headers, 'mcp-session-id': bare.id ?? '' })).toBe(404);
    expect(await callHello(s.url, used.headers)).toBe(200);
  });

  it('when full of used idle sessions, closes the least recently used one rather than refusing', async () => {
    const s = await served({ maxSessions: 3 });
    const sessions = [await openSession(s.url), await openSession(s.url), await openSession(s.url)];
    for (const x of sessions) expect(await callHello(s.url, x.headers)).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await callHello(s.url, sessions[0].headers)).toBe(200);
    expect(await callHello(s.url, sessions[2].headers)).toBe(200);
    const newcomer = await openSession(s.url);
    expect(await callHello(s.url, newcomer.headers)).toBe(200);
    expect(await callHello(s.url, sessions[1].headers)).toBe(404);
    expect(await callHello(s.url, sessions[0].headers)).toBe(200);
    expect(await callHello(s.url, sessions[2].headers)).toBe(200);
  });

  it('refuses with 503 only when every session has a connection open', async () => {
    const s = await served({ maxSessions: 2 });
    const streams: AbortController[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const x = await openSession(s.url);
        streams.push(await holdGetStream(s.url, x.headers));
      }
      const refused = await post(s.url, initializeBody());
      expect(refused.status).toBe(503);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(
        'all in use',
      );
    } finally {
      for (const c of streams) c.abort();
    }
  });
});

describe('per-client session caps (maxSessionsPerClient)', () => {
  it('a client past its cap loses its own least recently used idle session; all busy, it gets 429; others are unaffected', async () => {
    const s = await served({ maxSessionsPerClient: 2 });
    const first = await initializeFrom(s.url, '127.0.0.2');
    const second = await initializeFrom(s.url, '127.0.0.2');
    const third = await initializeFrom(s.url, '127.0.0.2');
    expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
    expect(s.handler.sessionCount).toBe(2);
    const headers = (id: string | undefined) => ({
      'mcp-session-id': id ?? '',
      'mcp-protocol-version': '2025-11-25',
    });
    expect(await callHello(s.url, headers(first.id))).toBe(404);

    const streams = [
      await holdGetStream(s.url, headers(second.id)),
      await holdGetStream(s.url, headers(third.id)),
    ];
    try {
      const refused = await initializeFrom(s.url, '127.0.0.2');
      expect(refused.status).toBe(429);
      const other = await initializeFrom(s.url, '127.0.0.3');
      expect(other.status).toBe(200);
    } finally {
      for (const c of streams) c.abort();
    }
  });
});

describe('session floods: any mix of clients keeps admission fair', () => {
  it('never refuses a newcomer while an idle session exists, never exceeds maxSessions, and keeps the most recently used session', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('flood', 'join', 'call', 'delete'), { minLength: 5, maxLength: 40 }),
        fc.integer({ min: 2, max: 6 }),
        async (steps, maxSessions) => {
          const s = await served({ maxSessions });
          const used: { id: string; headers: Record<string, string> }[] = [];
          for (const step of steps) {
            if (step === 'flood') {
              expect((await bareInitialize(s.url)).status).toBe(200);
            } else if (step === 'join' || (step === 'call' && used.length === 0)) {
              const joined = await openSession(s.url);
              expect(await callHello(s.url, joined.headers)).toBe(200);
              used.push(joined);
            } else if (step === 'call') {
              const x = used[used.length - 1] as (typeof used)[number];
              expect(await callHello(s.url, x.headers)).toBe(200);
            } else if (used.length > 0) {
              const x = used.shift() as (typeof used)[number];
              await fetch(s.url, { method: 'DELETE', headers: { ...POST_HEADERS, ...x.headers } });
            }
            expect(s.handler.sessionCount).toBeLessThanOrEqual(maxSessions);
          }
          // The most recently used session survives every flood and newcomer that followed it.
          const last = used[used.length - 1];
          if (last) expect(await callHello(s.url, last.headers)).toBe(200);
          for (const close of closers.splice(0)) await close();
        },
      ),
      { numRuns: 15 },
    );
  });
});
