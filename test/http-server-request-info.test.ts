/**
 * What a tool sees of the HTTP request that carried its call (`ctx.info.request`): a real WHATWG
 * Request with the method, URL and headers the client sent, over real HTTP through the Node adapter
 * (which serves the handler a light stand-in and hands a real Request only to application code).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { McpServer } from '../src/server/index.ts';
import {
  callTool,
  messages,
  openSession,
  post,
  readEvents,
  type Served,
  serve,
} from './http-server-fixtures.ts';
import { modernBody, modernPost } from './http-server-modern-fixtures.ts';

let s: Served;

beforeEach(async () => {
  const server = new McpServer({ name: 'info', version: '1.0.0', onError: () => {} });
  server.tool('whoami', {}, (_args, ctx) => {
    const request = ctx.info?.request;
    return JSON.stringify({
      real: request instanceof Request,
      same: ctx.info?.request === request,
      method: request?.method,
      path: request ? new URL(request.url).pathname : undefined,
      agent: request?.headers.get('X-Test-Agent'),
      aborted: request?.signal.aborted,
    });
  });
  s = await serve(server);
});
afterEach(async () => {
  await s.close();
});

function textOf(message: Record<string, unknown> | undefined): Record<string, unknown> {
  const result = message?.result as { content: { text: string }[] } | undefined;
  return JSON.parse(result?.content[0]?.text ?? 'null') as Record<string, unknown>;
}

const EXPECTED = { real: true, same: true, method: 'POST', path: '/mcp', agent: 'probe/1', aborted: false };

describe('ctx.info.request', () => {
  it('is a real Request with the client’s method, URL and headers in a session (2025-11-25)', async () => {
    const { headers } = await openSession(s.url);
    const res = await post(s.url, callTool(1, 'whoami'), { ...headers, 'x-test-agent': 'probe/1' });
    const [answer] = messages((await readEvents(res)).events);
    expect(textOf(answer)).toEqual(EXPECTED);
  });

  it('is a real Request at 2026-07-28 too', async () => {
    const res = await modernPost(s.url, modernBody('tools/call', { name: 'whoami', arguments: {} }), {
      'x-test-agent': 'probe/1',
    });
    const json = (await res.json()) as Record<string, unknown>;
    expect(textOf(json)).toEqual(EXPECTED);
  });
});
