/**
 * Session security over real HTTP: unguessable session ids, and nothing of one session reaching
 * another (the cross-client leak class): two clients on one McpServer call the same tools at the
 * same time, with the same request ids and progress tokens, and every byte each one receives is
 * checked for the other's data. Also: Last-Event-ID replay stays within its session, and the
 * DNS-rebinding guard covers every path.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { McpClient } from '../src/client/index.ts';
import { newSessionId } from '../src/http/index.ts';
import type { ProgressParams } from '../src/protocol/index.ts';
import { McpServer } from '../src/server/index.ts';
import { StreamableHttpClientTransport } from '../src/transport/index.ts';
import {
  callTool,
  initializeBody,
  messages,
  openSession,
  post,
  readEvents,
  type Served,
  serve,
} from './http-server-fixtures.ts';

let server: McpServer;
let s: Served;

beforeEach(async () => {
  server = new McpServer({ name: 'shared', version: '1.0.0', onError: () => {} });
  server.tool(
    'chatty',
    { input: { type: 'object', properties: { tag: { type: 'string' } }, required: ['tag'] } },
    async (args, ctx) => {
      const tag = (args as { tag: string }).tag;
      await ctx.log('info', `log of ${tag}`);
      await ctx.progress(1, 3, `progress of ${tag}`);
      const answer = await ctx.elicit({
        message: `question for ${tag}`,
        requestedSchema: { type: 'object', properties: { answer: { type: 'string' } } },
      });
      await ctx.progress(2, 3, `more progress of ${tag}`);
      await new Promise((r) => setTimeout(r, 5));
      await ctx.log('info', `second log of ${tag}`);
      return `${tag} got ${String(answer.content?.answer)}`;
    },
  );
  server.resource('res://alpha', { name: 'alpha' }, () => 'alpha');
  server.resource('res://bravo', { name: 'bravo' }, () => 'bravo');
  s = await serve(server, { retryMs: 20 });
});
afterEach(async () => {
  await s.close();
});

/** A fetch that keeps a copy of every byte of every response body. */
function tappedFetch(): { fetch: typeof fetch; text: () => string } {
  const chunks: string[] = [];
  const tap: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (!response.body) return response;
    const [mine, theirs] = response.body.tee();
    void (async () => {
      const reader = mine.getReader();
      const decoder = new TextDecoder();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          chunks.push(decoder.decode(value, { stream: true }));
        }
      } catch {
        // the stream was cancelled
      }
    })();
    return new Response(theirs, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
  return { fetch: tap, text: () => chunks.join('') };
}

interface Party {
  name: string;
  client: McpClient;
  bytes: () => string;
  progress: ProgressParams[];
  notifications: string[];
}

async function party(name: string, era: 'legacy' | 'modern'): Promise<Party> {
  const tap = tappedFetch();
  const secret = `${name}-SECRET`;
  const client = new McpClient({
    era,
    name,
    handlers: {
      elicitation: (params) => {
        if (!params.message.includes(name)) throw new Error(`${name} was asked someone else's question`);
        return { action: 'accept', content: { answer: secret } };
      },
    },
  });
  const notifications: string[] = [];
  client.on('notification', (n) => notifications.push(JSON.stringify(n)));
  await client.connect(new StreamableHttpClientTransport(s.url, { fetch: tap.fetch }));
  return { name, client, bytes: tap.text, progress: [], notifications };
}

/** Opens a raw 2025-11-25 session whose client declares form elicitation. */
async function openAsking(): Promise<{ headers: Record<string, string> }> {
  const init = initializeBody('2025-11-25');
  (init.params as { capabilities: unknown }).capabilities = { elicitation: { form: {} } };
  const res = await post(s.url, init);
  const id = res.headers.get('mcp-session-id') as string;
  await readEvents(res);
  const headers = { 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' };
  await post(s.url, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers);
  return { headers };
}

describe('one session never sees another session’s data', () => {
  for (const era of ['legacy', 'modern'] as const) {
    it(`concurrent calls with logs, progress and elicitation stay with their caller (${era})`, async () => {
      const alpha = await party('ALPHA', era);
      const bravo = await party('BRAVO', era);
      try {
        if (era === 'legacy') {
          await alpha.client.subscribeResource('res://alpha');
          await bravo.client.subscribeResource('res://bravo');
        }
        const calls: Promise<void>[] = [];
        for (let i = 0; i < 6; i++) {
          for (const p of [alpha, bravo]) {
            calls.push(
              p.client
                .callTool('chatty', { tag: `${p.name}-${i}` }, { onprogress: (pr) => p.progress.push(pr) })
                .then((result) => {
                  expect(JSON.stringify(result.content)).toContain(`${p.name}-${i} got ${p.name}-SECRET`);
                }),
            );
          }
        }
        await Promise.all(calls);
        if (era === 'legacy') {
          await server.resourceUpdated('res://alpha');
          await server.resourceUpdated('res://bravo');
          await alpha.client.ping();
          await bravo.client.ping();
        }
        for (const [me, other] of [
          [alpha, bravo],
          [bravo, alpha],
        ] as const) {
          expect(me.progress.length).toBeGreaterThanOrEqual(12);
          for (const pr of me.progress) expect(pr.message).toContain(me.name);
          expect(me.bytes()).toContain(`progress of ${me.name}-5`);
          expect(me.bytes()).not.toContain(other.name);
          expect(me.notifications.join('\n')).not.toContain(other.name);
        }
        if (era === 'legacy') {
          expect(alpha.notifications.join()).toContain('res://alpha');
          expect(alpha.bytes()).not.toContain('res://bravo');
          expect(bravo.bytes()).not.toContain('res://alpha');
        }
      } finally {
        await alpha.client.close();
        await bravo.client.close();
      }
    });
  }

  it('the same request id in two sessions is answered to each session with its own result (raw wire)', async () => {
    const a = await openAsking();
    const b = await openAsking();
    const answer = async (res: Response, headers: Record<string, string>, secret: string) => {
      const pending: Promise<Response>[] = [];
      const { events } = await readEvents(res, (e) => {
        const m = JSON.parse(e.data || '{}') as { id?: unknown; method?: string };
        if (m.method === 'elicitation/create') {
          pending.push(
            post(
              s.url,
              { jsonrpc: '2.0', id: m.id, result: { action: 'accept', content: { answer: secret } } },
              headers,
            ),
          );
        }
        return false;
      });
      await Promise.all(pending);
      return events;
    };
    const [ea, eb] = await Promise.all([
      post(s.url, callTool(1, 'chatty', { tag: 'ALPHA' }, { progressToken: 1 }), a.headers).then((r) =>
        answer(r, a.headers, 'ALPHA-SECRET'),
      ),
      post(s.url, callTool(1, 'chatty', { tag: 'BRAVO' }, { progressToken: 1 }), b.headers).then((r) =>
        answer(r, b.headers, 'BRAVO-SECRET'),
      ),
    ]);
    const textA = JSON.stringify(messages(ea));
    const textB = JSON.stringify(messages(eb));
    expect(textA).toContain('ALPHA got ALPHA-SECRET');
    expect(textB).toContain('BRAVO got BRAVO-SECRET');
    expect(textA).not.toContain('BRAVO');
    expect(textB).not.toContain('ALPHA');
  });

  it('a Last-Event-ID from another session’s stream replays nothing of it', async () => {
    const a = await openSession(s.url);
    const b = await openSession(s.url);
    const res = await post(
      s.url,
      { jsonrpc: '2.0', id: 9, method: 'resources/read', params: { uri: 'res://alpha' } },
      a.headers,
    );
    const { events } = await readEvents(res);
    const firstId = events.find((e) => e.id !== undefined)?.id;
    expect(firstId).toBeDefined();
    const stolen = await fetch(s.url, {
      headers: { ...b.headers, accept: 'text/event-stream', 'last-event-id': firstId as string },
    });
    // B gets its own standalone stream (or nothing), never A's events.
    const reader = (stolen.body as ReadableStream<Uint8Array>).getReader();
    const first = await Promise.race([
      reader.read().then((r) => new TextDecoder().decode(r.value ?? new Uint8Array())),
      new Promise<string>((r) => setTimeout(() => r(''), 300)),
    ]);
    await reader.cancel();
    expect(first).not.toContain('"id":9');
    expect(first).not.toContain('alpha');
  });

  it('a session id is honoured only by the session it names, never by a guessed neighbour', async () => {
    const a = await openSession(s.url);
    const flipped = a.id.slice(0, -1) + (a.id.endsWith('0') ? '1' : '0');
    const res = await post(
      s.url,
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { ...a.headers, 'mcp-session-id': flipped },
    );
    expect(res.status).toBe(404);
  });
});

describe('session ids', () => {
  it('are 128 random bits: 32 hex characters, all distinct, with no visible pattern', () => {
    const ids = Array.from({ length: 2000 }, () => newSessionId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    // Each hex digit position is roughly uniform: no fixed prefix, counter or timestamp.
    for (let pos = 0; pos < 32; pos++) {
      const seen = new Set(ids.map((id) => id[pos]));
      expect(seen.size, `position ${pos}`).toBe(16);
    }
  });

  it('the ids the handler gives out are of that kind and differ per session', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const res = await post(s.url, initializeBody());
      const id = res.headers.get('mcp-session-id') as string;
      await readEvents(res);
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      ids.add(id);
    }
    expect(ids.size).toBe(5);
  });
});

describe('DNS rebinding', () => {
  it('refuses a foreign Host or Origin with 403 on every path (Streamable HTTP, HTTP+SSE, messages)', async () => {
    for (const path of ['/mcp', '/sse', '/messages?sessionId=x']) {
      const { request } = await import('node:http');
      for (const headers of [
        { host: 'evil.example:80' },
        { host: `127.0.0.1:${s.server.port}`, origin: 'http://evil.example' },
      ]) {
        const status = await new Promise<number>((resolve, reject) => {
          const req = request(
            {
              host: '127.0.0.1',
              port: s.server.port,
              path,
              method: path === '/sse' ? 'GET' : 'POST',
              headers: {
                ...headers,
                accept: 'application/json, text/event-stream',
                'content-type': 'application/json',
              },
            },
            (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            },
          );
          req.on('error', reject);
          req.end(path === '/sse' ? undefined : '{}');
        });
        expect(status, `${path} ${JSON.stringify(headers)}`).toBe(403);
      }
    }
  });
});
