/**
 * Sessions against hostile clients, on real sockets: initialize naming a session that is gone,
 * floods of initialize requests that never finish their handshake, fair admission when the table
 * is full, per-client caps.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { McpServer } from '../src/server/index.ts';
import {
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
