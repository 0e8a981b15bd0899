/**
 * What an idle Streamable HTTP session holds: after initialize, initialized, one call and an open
 * GET stream, a session keeps no Set, Map or timer of its own (these are made when needed and
 * dropped when empty; the GET stream's keep-alive runs on a clock shared by every stream).
 */
import { queryObjects } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHttpHandler } from '../src/http/index.ts';
import { McpServer } from '../src/server/index.ts';

const URL_ = 'http://127.0.0.1/mcp';
const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const Timeout = setTimeout(() => {}, 0).constructor as new () => unknown;

function count(ctor: abstract new (...args: never[]) => unknown): number {
  return queryObjects(ctor as never, { format: 'count' }) as number;
}

describe('an idle session', () => {
  it('holds no Set, Map or timer of its own, with its GET stream open', async () => {
    const server = new McpServer({ name: 'idle', version: '1.0.0' });
    server.tool('echo', { input: z.object({ text: z.string() }) }, ({ text }) => ({
      content: [{ type: 'text', text }],
    }));
    const handler = createHttpHandler(server, { sessions: true, keepAliveMs: 60_000 });
    const streams: ReadableStreamDefaultReader<Uint8Array>[] = [];
    const post = async (body: object, extra: Record<string, string> = {}) => {
      const response = await handler(
        new Request(URL_, { method: 'POST', headers: { ...HEADERS, ...extra }, body: JSON.stringify(body) }),
      );
      await response.text();
      return response;
    };
    const open = async () => {
      const init = await post({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'c', version: '1' } },
      });
      const id = init.headers.get('mcp-session-id') as string;
      const session = { 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' };
      await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, session);
      await post(
        { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { text: 'x' } } },
        session,
      );
      const get = await handler(
        new Request(URL_, { method: 'GET', headers: { accept: 'text/event-stream', ...session } }),
      );
      expect(get.status).toBe(200);
      streams.push(get.body!.getReader());
    };
    for (let i = 0; i < 5; i++) await open(); // the handler's own collections and clock exist now
    const before = { sets: count(Set), maps: count(Map), timers: count(Timeout) };
    const n = 40;
    for (let i = 0; i < n; i++) await open();
    const after = { sets: count(Set), maps: count(Map), timers: count(Timeout) };
    expect(handler.sessionCount).toBe(45);
    // Per session, rounded down: a stray object elsewhere in the process may come and go.
    expect(Math.floor((after.sets - before.sets) / n)).toBe(0);
    expect(Math.floor((after.maps - before.maps) / n)).toBe(0);
    expect(Math.floor((after.timers - before.timers) / n)).toBe(0);
    for (const reader of streams) await reader.cancel();
    await handler.close();
  });
});
