/**
 * Request ids, end to end on real processes and sockets: an integer no JSON parser reads exactly
 * (beyond 2^53 − 1) is refused with -32600 before any work, and an id of the wrong type is refused
 * with a message naming the type received.
 */
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { McpServer } from '../src/server/index.ts';
import { callTool, openSession, post, readEvents, type Served, serve } from './http-server-fixtures.ts';
import { modernBody, modernHeaders } from './http-server-modern-fixtures.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const BIG = '12345678901234567890123';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** An McpServer whose `count` tool counts its calls, served over HTTP. */
async function counting(): Promise<{ served: Served; calls: () => number }> {
  let n = 0;
  const server = new McpServer({ name: 'ids', version: '1.0.0', onError: () => {} });
  server.tool('count', { description: 'counts' }, () => String(++n));
  const served = await serve(server);
  closers.push(() => served.close());
  return { served, calls: () => n };
}

/** A tools/call body with the id written as raw JSON text. */
const rawCall = (idText: string, meta = ''): string =>
  `{"jsonrpc":"2.0","id":${idText},"method":"tools/call","params":{"name":"count","arguments":{}${meta}}}`;

describe('ids beyond 2^53 - 1', () => {
  it('stdio: refused with -32600, id null, saying to send it as a string; the server serves on', async () => {
    const code = `
      import { McpServer } from './src/server/index.ts';
      import { StdioServerTransport } from './src/node/index.ts';
      const server = new McpServer({ name: 'ids', version: '1.0.0', onError: () => {} });
      server.tool('count', {}, () => { process.stderr.write('ran\\n'); return 'ran'; });
      await server.connect(new StdioServerTransport());`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT });
    closers.push(async () => void child.kill('SIGKILL'));
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b));
    child.stderr.on('data', (b: Buffer) => (err += b));
    const init = {
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    };
    child.stdin.write(`${JSON.stringify(init)}\n{"jsonrpc":"2.0","method":"notifications/initialized"}\n`);
    child.stdin.write(`${rawCall(BIG)}\n{"jsonrpc":"2.0","id":2,"method":"ping"}\n`);
    while (!out.includes('"id":2')) await new Promise((r) => setTimeout(r, 10));
    const lines = out.trim().split('\n');
    expect(out).not.toContain('e+22');
    const answers = lines.map((l) => JSON.parse(l)).filter((m) => m.id !== 0);
    expect(answers).toHaveLength(2);
    expect(answers[0]).toMatchObject({ id: null, error: { code: -32600 } });
    expect(answers[0].error.message).toContain('send it as a string');
    expect(answers[1]).toMatchObject({ id: 2, result: {} });
    expect(err).not.toContain('ran');
  });

  it('HTTP session: 400 with -32600 and id null; the tool does not run', async () => {
    const { served, calls } = await counting();
    const session = await openSession(served.url);
    const res = await post(served.url, rawCall(BIG), session.headers);
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).not.toContain('e+22');
    expect(JSON.parse(text)).toMatchObject({ id: null, error: { code: -32600 } });
    expect(calls()).toBe(0);
    const ok = await post(served.url, callTool(9_007_199_254_740_991, 'count'), session.headers);
    const answer = await readEvents(ok);
    expect(answer.events.at(-1)?.data).toContain('"id":9007199254740991');
    expect(calls()).toBe(1);
  });

  it('HTTP 2026-07-28: 400 with -32600 and id null; the tool does not run', async () => {
    const { served, calls } = await counting();
    const body = modernBody('tools/call', { name: 'count', arguments: {} });
    const text = JSON.stringify(body).replace('"id":1', `"id":${BIG}`);
    const res = await fetch(served.url, { method: 'POST', headers: modernHeaders(body), body: text });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ id: null, error: { code: -32600 } });
    expect(calls()).toBe(0);
  });
});

describe('ids of the wrong type', () => {
  it('are refused with -32600 and a message naming the type received, over HTTP', async () => {
    const { served, calls } = await counting();
    const session = await openSession(served.url);
    const cases: [string, string][] = [
      ['1.5', 'the number 1.5, which is not an integer'],
      ['true', 'the boolean true'],
      ['{}', 'an object'],
      ['[]', 'an array'],
      ['null', 'got null'],
    ];
    for (const [idText, named] of cases) {
      const res = await post(served.url, rawCall(idText), session.headers);
      expect(res.status, idText).toBe(400);
      const answer = (await res.json()) as { id: unknown; error: { code: number; message: string } };
      expect(answer.error.code).toBe(-32600);
      expect(answer.error.message, idText).toContain(named);
      if (idText !== 'null') expect(answer.error.message).not.toContain('not null');
    }
    expect(calls()).toBe(0);
  });
});
