/** Secure defaults over real HTTP: Host/Origin checks, session cap, idle eviction, disconnects, keep-alive. */
import { request as httpRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  callTool,
  eventually,
  holdGetStream,
  initializeBody,
  messages,
  openSession,
  POST_HEADERS,
  post,
  readEvents,
  type Served,
  type StandIn,
  serve,
  standIn,
} from './http-server-fixtures.ts';

let host: StandIn;
let s: Served;

beforeEach(async () => {
  host = standIn();
  s = await serve(host.host);
});
afterEach(async () => {
  await s.close();
});

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw node:http request, so that Host can be set; `partial` sends only part of the declared body. */
function raw(port: number, headers: Record<string, string>, body: string, partial = false): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path: '/mcp', method: 'POST', headers: { ...POST_HEADERS, ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (partial) {
      req.setHeader('content-length', String(body.length + 1000));
      req.write(body);
    } else {
      req.end(body);
    }
  });
}

const init = JSON.stringify(initializeBody());

describe('Host and Origin (DNS rebinding)', () => {
  it('refuses a foreign Host and Origin with 403 and a JSON-RPC error saying how to allow it', async () => {
    const r = await raw(s.server.port, { host: 'evil.example.com', origin: 'http://evil.example.com' }, init);
    expect(r.status).toBe(403);
    expect(r.headers['content-type']).toBe('application/json');
    const body = JSON.parse(r.body);
    expect(body).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32000 } });
    expect(body.error.message).toContain('evil.example.com');
    expect(body.error.message).toContain('allowedHosts');
    expect(s.handler.sessionCount).toBe(0);
  });

  it('answers 403 before reading the body', async () => {
    const r = await raw(s.server.port, { host: 'evil.example.com' }, init.slice(0, 10), true);
    expect(r.status).toBe(403);
  });

  it('accepts localhost, 127.0.0.1 and [::1] on any port, with or without a matching Origin', async () => {
    const port = s.server.port;
    for (const h of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'localhost:1']) {
      const r = await raw(port, { host: h, origin: `http://${h}` }, init);
      expect(r.status, h).toBe(200);
      expect(r.headers['mcp-session-id']).toBeDefined();
    }
    const noOrigin = await raw(port, { host: `localhost:${port}` }, init);
    expect(noOrigin.status).toBe(200);
  });

  it('refuses a foreign Origin on an allowed Host with 403', async () => {
    const port = s.server.port;
    for (const origin of ['http://evil.example.com', 'null', 'file://x']) {
      const r = await raw(port, { host: `localhost:${port}`, origin }, init);
      expect(r.status, origin).toBe(403);
      expect(JSON.parse(r.body).error.message).toContain('allowedOrigins');
    }
  });

  it('can allow other hosts and origins, or turn the checks off', async () => {
    const custom = await serve(host.host, {
      allowedHosts: ['mcp.example.com'],
      allowedOrigins: ['https://app.example.com'],
    });
    const off = await serve(host.host, { allowedHosts: false, allowedOrigins: false });
    try {
      const ok = await raw(
        custom.server.port,
        { host: 'mcp.example.com', origin: 'https://app.example.com' },
        init,
      );
      expect(ok.status).toBe(200);
      const badOrigin = await raw(
        custom.server.port,
        { host: 'mcp.example.com', origin: 'https://mcp.example.com' },
        init,
      );
      expect(badOrigin.status).toBe(403);
      const local = await raw(custom.server.port, { host: 'localhost' }, init);
      expect(local.status).toBe(403);
      const any = await raw(
        off.server.port,
        { host: 'evil.example.com', origin: 'http://evil.example.com' },
        init,
      );
      expect(any.status).toBe(200);
    } finally {
      await custom.close();
      await off.close();
    }
  });
});

describe('session limits', () => {
  it('answers 503 past maxSessions when every session is in use, with a message naming the option', async () => {
    const capped = await serve(host.host, { maxSessions: 2 });
    const streams: AbortController[] = [];
    try {
      const a = await openSession(capped.url);
      const b = await openSession(capped.url);
      streams.push(await holdGetStream(capped.url, a.headers), await holdGetStream(capped.url, b.headers));
      const third = await post(capped.url, initializeBody());
      expect(third.status).toBe(503);
      expect((await third.json()).error.message).toContain('maxSessions');
      await fetch(capped.url, { method: 'DELETE', headers: a.headers });
      const fourth = await post(capped.url, initializeBody());
      expect(fourth.status).toBe(200);
      await readEvents(fourth);
    } finally {
      for (const c of streams) c.abort();
      await capped.close();
    }
  });

  it('evicts idle sessions, closing the server side, and then answers 404', async () => {
    const quick = await serve(host.host, { sessionIdleMs: 100 });
    try {
      const { headers } = await openSession(quick.url);
      await eventually(() => quick.handler.sessionCount === 0, 'idle eviction');
      expect(host.closed).toBe(1);
      const res = await post(quick.url, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, headers);
      expect(res.status).toBe(404);
    } finally {
      await quick.close();
    }
  });

  it('does not evict a session whose client holds a stream open; does once it has gone', async () => {
    const quick = await serve(host.host, { sessionIdleMs: 100 });
    try {
      const { headers } = await openSession(quick.url);
      const ac = new AbortController();
      const stream = await fetch(quick.url, {
        headers: { ...headers, accept: 'text/event-stream' },
        signal: ac.signal,
      });
      expect(stream.status).toBe(200);
      await new Promise((r) => setTimeout(r, 400));
      expect(quick.handler.sessionCount).toBe(1);
      ac.abort();
      await eventually(() => quick.handler.sessionCount === 0, 'eviction after disconnect');
    } finally {
      await quick.close();
    }
  });
});

describe('connections', () => {
  it('sends keep-alive comments on idle SSE streams', async () => {
    const chatty = await serve(host.host, { keepAliveMs: 20 });
    try {
      const { headers } = await openSession(chatty.url);
      const res = await fetch(chatty.url, { headers: { ...headers, accept: 'text/event-stream' } });
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      let text = '';
      while (!text.includes(': keep-alive\n\n')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      await reader.cancel();
      expect(text).toContain(': keep-alive\n\n');
    } finally {
      await chatty.close();
    }
  });

  it('closes open streams when the session ends', async () => {
    const { headers } = await openSession(s.url);
    const stream = await fetch(s.url, { headers: { ...headers, accept: 'text/event-stream' } });
    const pending = await post(s.url, callTool(1, 'wait'), headers);
    const reading = Promise.all([readEvents(stream), readEvents(pending)]);
    await fetch(s.url, { method: 'DELETE', headers });
    const [a, b] = await reading;
    expect(messages(a.events)).toEqual([]);
    expect(messages(b.events)).toEqual([]);
    expect(host.cancelled).toBe(1);
  });
});
