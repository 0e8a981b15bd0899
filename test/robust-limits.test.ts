/**
 * Limits, end to end on real processes and sockets: message size on stdio, JSON nesting depth on
 * stdio and HTTP, requests in flight per session, live sessions, slow SSE readers, idle sockets.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { McpServer } from '../src/server/index.ts';
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
  serve,
  standIn,
} from './http-server-fixtures.ts';

const ROOT = new URL('..', import.meta.url).pathname;

/** An McpServer over stdio in a child process, its frame limit taken from MAX_FRAME. */
const STDIO_SERVER = `
import { McpServer } from './src/server/index.ts';
import { StdioServerTransport } from './src/node/index.ts';
const server = new McpServer({ name: 'robust', version: '1.0.0', onError: () => {} });
server.tool('echo', {}, (args) => JSON.stringify(args));
server.tool('wait', {}, (_args, ctx) => new Promise((resolve) => {
  ctx.signal.addEventListener('abort', () => resolve('stopped'));
}));
const maxFrameBytes = process.env.MAX_FRAME ? Number(process.env.MAX_FRAME) : undefined;
await server.connect(new StdioServerTransport({ maxFrameBytes }));
`;

type Message = Record<string, unknown> & { id?: unknown; error?: { code: number; message: string } };

/** A child process spoken to in raw JSON lines. */
interface LineChild {
  child: ChildProcess;
  received: Message[];
  write(line: string): void;
  send(message: unknown): void;
  /** Waits for a message matching `match` (already received or still to come). */
  next(match: (m: Message) => boolean, what: string): Promise<Message>;
}

const children: ChildProcess[] = [];

function lineChild(code: string, env: Record<string, string> = {}): LineChild {
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  const received: Message[] = [];
  let buffer = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (text: string) => {
    buffer += text;
    let nl = buffer.indexOf('\n');
    while (nl >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.trim()) received.push(JSON.parse(line) as Message);
      nl = buffer.indexOf('\n');
    }
  });
  const write = (line: string) => child.stdin?.write(`${line}\n`);
  return {
    child,
    received,
    write,
    send: (m) => write(JSON.stringify(m)),
    next: async (match, what) => {
      await eventually(() => received.some(match), what, 15_000);
      return received.find(match) as Message;
    },
  };
}

async function initialized(c: LineChild): Promise<void> {
  c.send(initializeBody('2025-11-25', 'init'));
  await c.next((m) => m.id === 'init', 'the initialize answer');
  c.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
}

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

/** Nested arrays `depth` levels deep. */
function nested(depth: number): unknown {
  let v: unknown = 0;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

describe('message size', () => {
  it('stdio: a line over maxFrameBytes is answered with -32600 naming the option; the next is served', async () => {
    const c = lineChild(STDIO_SERVER, { MAX_FRAME: '2048' });
    await initialized(c);
    c.send(callTool(1, 'echo', { blob: 'x'.repeat(4096) }));
    const refused = await c.next((m) => m.id === 1, 'the oversize answer');
    expect(refused.error?.code).toBe(-32600);
    expect(refused.error?.message).toContain('2048-byte frame limit');
    expect(refused.error?.message).toContain('maxFrameBytes');
    c.send(callTool(2, 'echo', { small: true }));
    const ok = await c.next((m) => m.id === 2, 'the next answer');
    expect(JSON.stringify(ok.result)).toContain('small');
    expect(c.received.filter((m) => m.id === 1)).toHaveLength(1);
  });
});

describe('JSON nesting depth', () => {
  it('stdio: a message nested past 64 levels is refused with -32600, and the server keeps serving', async () => {
    const c = lineChild(STDIO_SERVER);
    await initialized(c);
    c.send(callTool(1, 'echo', { deep: nested(200) }));
    const refused = await c.next((m) => m.id === 1, 'the depth answer');
    expect(refused.error?.code).toBe(-32600);
    expect(refused.error?.message).toContain('deeper than 64 levels');
    c.send(callTool(2, 'echo', { deep: nested(40) }));
    const ok = await c.next((m) => m.id === 2, 'the answer to a message within the limit');
    expect(ok.error).toBeUndefined();
  });

  it('stdio: a million levels of nesting (2 MB) neither crashes nor stalls the server', async () => {
    const c = lineChild(STDIO_SERVER);
    await initialized(c);
    c.write(
      `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`,
    );
    const refused = await c.next((m) => m.id === 1, 'the depth answer');
    expect(refused.error?.code).toBe(-32600);
    c.send({ jsonrpc: '2.0', id: 2, method: 'ping' });
    await c.next((m) => m.id === 2, 'a ping answer');
    expect(c.child.exitCode).toBeNull();
  });

  it('HTTP: an McpServer session refuses a deep message with -32600 on the POST stream', async () => {
    const server = new McpServer({ name: 'deep', version: '1.0.0', onError: () => {} });
    server.tool('echo', {}, (args) => JSON.stringify(args));
    const s = await serve(server);
    try {
      const { headers } = await openSession(s.url);
      const res = await post(s.url, callTool(7, 'echo', { deep: nested(100) }), headers);
      const [answer] = messages((await readEvents(res)).events);
      expect(answer?.id).toBe(7);
      expect((answer?.error as { code: number } | undefined)?.code).toBe(-32600);
      const ok = await post(s.url, callTool(8, 'echo', { flat: 1 }), headers);
      expect(messages((await readEvents(ok)).events)[0]?.result).toBeDefined();
    } finally {
      await s.close();
    }
  });
});

/** Starts a `wait` call per id, each answered on a POST stream left open; `held` aborts them. */
async function holdCalls(
  url: string,
  headers: Record<string, string>,
  ids: number[],
  held: AbortController[],
): Promise<void> {
  for (const id of ids) {
    const ac = new AbortController();
    held.push(ac);
    expect((await post(url, callTool(id, 'wait'), headers, ac.signal)).status).toBe(200);
  }
}

describe('requests in flight per session', () => {
  it('stdio: past 1,024 requests in flight the next is answered with an error at once; cancelling frees the slots', async () => {
    const c = lineChild(STDIO_SERVER);
    await initialized(c);
    let batch = '';
    for (let i = 1; i <= 1025; i++) batch += `${JSON.stringify(callTool(i, 'wait'))}\n`;
    c.write(batch.slice(0, -1));
    const refused = await c.next((m) => m.id === 1025, 'the answer past the limit');
    expect(refused.error?.code).toBe(-32603);
    expect(refused.error?.message).toContain('Too many requests in progress (1024)');
    let cancels = '';
    for (let i = 1; i <= 1024; i++) {
      cancels += `${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: i } })}\n`;
    }
    c.write(cancels.slice(0, -1));
    c.send(callTool(2000, 'echo', { after: 'cancel' }));
    const ok = await c.next((m) => m.id === 2000, 'a call after the cancellations');
    expect(ok.error).toBeUndefined();
    // Cancelled requests get no answer.
    expect(c.received.filter((m) => typeof m.id === 'number' && m.id <= 1024)).toHaveLength(0);
  });

  it('HTTP: the limit is configurable on the peer; a POST past it gets its error and its stream ends', async () => {
    const host = standIn();
    const { JsonRpcPeer } = await import('../src/rpc/index.ts');
    const limited = {
      connect: async (transport: Parameters<typeof host.host.connect>[0]) => {
        const peer = new JsonRpcPeer({
          maxInflight: 2,
          onRequest: async (method, params, ctx) => {
            if (method === 'initialize') {
              return {
                protocolVersion: '2025-11-25',
                capabilities: { tools: {} },
                serverInfo: { name: 'limited', version: '1.0.0' },
              };
            }
            await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
            return { method, params };
          },
        });
        await peer.connect(transport);
        return { close: () => peer.close() };
      },
    };
    const s = await serve(limited);
    const held: AbortController[] = [];
    try {
      const { headers } = await openSession(s.url);
      await holdCalls(s.url, headers, [1, 2], held);
      const third = await post(s.url, callTool(3, 'wait'), headers);
      const [answer] = messages((await readEvents(third)).events);
      expect(answer?.id).toBe(3);
      expect((answer?.error as { message: string } | undefined)?.message).toContain(
        'Too many requests in progress (2)',
      );
    } finally {
      for (const ac of held) ac.abort();
      await s.close();
    }
  });
});

describe('streams per session', () => {
  it('past maxStreamsPerSession open connections a POST and a GET get 429 naming the option; a finished answer frees a slot', async () => {
    const server = new McpServer({ name: 'streams', version: '1.0.0', onError: () => {} });
    server.tool('echo', {}, (args) => JSON.stringify(args));
    server.tool(
      'wait',
      {},
      (_args, ctx) =>
        new Promise<string>((resolve) => {
          ctx.signal.addEventListener('abort', () => resolve('stopped'));
        }),
    );
    const s = await serve(server, { maxStreamsPerSession: 2 });
    const held: AbortController[] = [];
    try {
      const { headers } = await openSession(s.url);
      await holdCalls(s.url, headers, [1, 2], held);
      const refused = await post(s.url, callTool(3, 'echo'), headers);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('1');
      const body = (await refused.json()) as { error: { code: number; message: string } };
      expect(body.error.code).toBe(-32000);
      expect(body.error.message).toContain('maxStreamsPerSession = 2');
      const get = await fetch(s.url, { headers: { ...headers, accept: 'text/event-stream' } });
      expect(get.status).toBe(429);
      // Notifications need no stream and still pass.
      const note = await post(s.url, { jsonrpc: '2.0', method: 'notifications/roots/list_changed' }, headers);
      expect(note.status).toBe(202);
      // Cancelling the first call ends its stream; its slot serves the next call.
      await post(
        s.url,
        { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1 } },
        headers,
      );
      held[0]?.abort();
      let status = 0;
      for (let tries = 0; tries < 200 && status !== 200; tries++) {
        const res = await post(s.url, callTool(4, 'echo', { n: 4 }), headers);
        status = res.status;
        if (status === 200) {
          const [answer] = messages((await readEvents(res)).events);
          expect(JSON.stringify(answer?.result)).toContain('\\"n\\":4');
        } else {
          await res.body?.cancel();
          await new Promise((r) => setTimeout(r, 10));
        }
      }
      expect(status).toBe(200);
    } finally {
      for (const ac of held) ac.abort();
      await s.close();
    }
  });
});

describe('live sessions', () => {
  it('an McpServer behind the handler refuses sessions past maxSessions with 503 when all are in use, and takes one again once a session ends', async () => {
    const server = new McpServer({ name: 'cap', version: '1.0.0', onError: () => {} });
    server.tool('echo', {}, () => 'ok');
    const s = await serve(server, { maxSessions: 2 });
    const streams: AbortController[] = [];
    try {
      const a = await openSession(s.url);
      const b = await openSession(s.url);
      streams.push(await holdGetStream(s.url, a.headers), await holdGetStream(s.url, b.headers));
      const refused = await post(s.url, initializeBody());
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(
        'maxSessions',
      );
      const del = await fetch(s.url, { method: 'DELETE', headers: a.headers });
      expect(del.status).toBe(200);
      await eventually(() => server.sessions.size === 1, 'the ended session to leave the server');
      await openSession(s.url);
      expect(s.handler.sessionCount).toBe(2);
    } finally {
      for (const c of streams) c.abort();
      await s.close();
    }
  });

  it('evicts an idle McpServer session: the server forgets it and its id answers 404', async () => {
    const server = new McpServer({ name: 'idle', version: '1.0.0', onError: () => {} });
    server.tool('echo', {}, () => 'ok');
    const s = await serve(server, { sessionIdleMs: 100 });
    try {
      const { headers } = await openSession(s.url);
      expect(server.sessions.size).toBe(1);
      await eventually(() => s.handler.sessionCount === 0, 'idle eviction');
      expect(server.sessions.size).toBe(0);
      const res = await post(s.url, callTool(1, 'echo'), headers);
      expect(res.status).toBe(404);
    } finally {
      await s.close();
    }
  });
});

describe('slow readers', () => {
  let s: Served | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it('drops an SSE reader that falls maxBufferedBytes behind instead of buffering 32 MB for it', async () => {
    const server = new McpServer({ name: 'flood', version: '1.0.0', onError: () => {} });
    const chunk = 'y'.repeat(128 * 1024);
    let sent = 0;
    let finished: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      finished = resolve;
    });
    server.tool('flood', {}, async (_args, ctx) => {
      for (let i = 0; i < 256; i++) {
        await ctx.log('info', chunk);
        sent += chunk.length;
      }
      finished();
      return 'flooded';
    });
    s = await serve(server, { maxBufferedBytes: 128 * 1024, eventStore: false });
    const { headers } = await openSession(s.url);
    const body = JSON.stringify(callTool(1, 'flood'));
    const received = await new Promise<{ bytes: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        `${s?.url}`,
        {
          method: 'POST',
          headers: { ...POST_HEADERS, ...headers, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.pause();
          let bytes = 0;
          let tail = '';
          done.then(() => {
            res.on('data', (b: Buffer) => {
              bytes += b.length;
              tail = (tail + b.toString('latin1')).slice(-4096);
            });
            res.on('end', () => resolve({ bytes, text: tail }));
            res.on('error', () => resolve({ bytes, text: tail }));
            res.resume();
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(sent).toBe(256 * chunk.length);
    // Far less than was sent reached the client (socket buffers plus the cap), and the stream ended
    // without the tool's answer: the connection was dropped, not kept growing.
    expect(received.bytes).toBeLessThan(sent / 2);
    expect(received.text).not.toContain('flooded');
    // The server goes on serving the same session.
    const after = await post(s.url, { jsonrpc: '2.0', id: 2, method: 'ping' }, headers);
    expect(messages((await readEvents(after)).events)[0]?.id).toBe(2);
  });
});

describe('idle sockets', () => {
  it('closes a kept-alive socket left idle (node:http keepAliveTimeout, set on the exposed server)', async () => {
    const s = await serve(standIn().host);
    try {
      expect(s.server.server.keepAliveTimeout).toBeGreaterThan(0);
      s.server.server.keepAliveTimeout = 100;
      const socket = connect(s.server.port, '127.0.0.1');
      const closed = new Promise<string>((resolve) => {
        let text = '';
        socket.setEncoding('utf8');
        socket.on('data', (t: string) => {
          text += t;
        });
        socket.on('close', () => resolve(text));
      });
      const body = JSON.stringify(initializeBody());
      socket.write(
        `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\nContent-Type: application/json\r\n` +
          `Accept: application/json, text/event-stream\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      const text = await closed;
      expect(text).toContain('HTTP/1.1 200');
      expect(text).toContain('"protocolVersion"');
    } finally {
      await s.close();
    }
  });
});
