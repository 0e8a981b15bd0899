/**
 * The stateless revision 2026-07-28 on the handler's one endpoint, served by the reference
 * McpServer over real HTTP on 127.0.0.1: the per-request era decision, and the envelope checks in
 * the spec's order with their status codes and echoed request ids.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReferenceServer } from '../src/reference/index.ts';
import type { McpServer } from '../src/server/index.ts';
import { initializeBody, messages, post, readEvents, type Served, serve } from './http-server-fixtures.ts';
import { envelope, errorOf, MODERN, modernBody, modernPost } from './http-server-modern-fixtures.ts';

let server: McpServer;
let s: Served;

beforeEach(async () => {
  server = createReferenceServer();
  s = await serve(server);
});
afterEach(async () => {
  await s.close();
});

describe('the era of each POST', () => {
  it('serves server/discover without a session: JSON, no Mcp-Session-Id, nothing kept', async () => {
    const res = await modernPost(s.url, modernBody('server/discover', {}, 7), {
      'mcp-session-id': 'ignored-session',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('mcp-session-id')).toBeNull();
    const body = await res.json();
    expect(body).toMatchObject({ id: 7, result: { resultType: 'complete', capabilities: { tools: {} } } });
    expect(body.result.supportedVersions).toContain(MODERN);
    expect(s.handler.sessionCount).toBe(0);
    expect(s.handler.requestsInFlight).toBe(0);
  });

  it('treats a body with the _meta envelope as modern even without the version header (then refuses it)', async () => {
    const res = await modernPost(s.url, modernBody('tools/list', {}, 'a'), { 'mcp-protocol-version': null });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.id).toBe('a');
    expect(errorOf(body)?.code).toBe(-32020);
    expect(errorOf(body)?.message).toMatch(/MCP-Protocol-Version header is required/);
  });

  it('treats server/discover as modern by its method alone: missing header comes before missing _meta', async () => {
    const res = await post(s.url, { jsonrpc: '2.0', id: 3, method: 'server/discover', params: {} });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ id: 3, error: { code: -32020 } });
  });

  it('keeps initialize without modern markers a legacy session start on the same endpoint', async () => {
    const res = await post(s.url, initializeBody('2025-11-25'), { 'mcp-method': 'initialize' });
    expect(res.status).toBe(200);
    expect(res.headers.get('mcp-session-id')).toBeTruthy();
    expect(messages((await readEvents(res)).events)[0]).toMatchObject({
      result: { protocolVersion: '2025-11-25' },
    });
    expect(s.handler.sessionCount).toBe(1);
  });

  it('answers GET and DELETE of revision 2026-07-28 with 405', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(s.url, {
        method,
        headers: { accept: 'text/event-stream', 'mcp-protocol-version': MODERN, 'mcp-session-id': 'x' },
      });
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
    }
  });

  it('answers a notification with 202 and refuses a batch or a response', async () => {
    const headers = { 'mcp-protocol-version': MODERN };
    const note = await post(s.url, { jsonrpc: '2.0', method: 'notifications/whatever' }, headers);
    expect(note.status).toBe(202);
    const batch = await post(
      s.url,
      [modernBody('tools/list', {}, 1), modernBody('tools/list', {}, 2)],
      headers,
    );
    expect(batch.status).toBe(400);
    expect(errorOf(await batch.json())?.code).toBe(-32600);
    const response = await post(s.url, { jsonrpc: '2.0', id: 4, result: {} }, headers);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ id: 4, error: { code: -32600 } });
  });
});

describe('envelope checks, in order', () => {
  const meta = envelope();
  const without = (key: string) => Object.fromEntries(Object.entries(meta).filter(([k]) => k !== key));

  it('refuses a missing _meta, protocolVersion or clientCapabilities with 400 -32602 (clientInfo optional)', async () => {
    const cases: Array<[number, Record<string, unknown>]> = [
      [101, {}],
      [102, { _meta: without('io.modelcontextprotocol/protocolVersion') }],
      [104, { _meta: without('io.modelcontextprotocol/clientCapabilities') }],
    ];
    for (const [id, params] of cases) {
      const res = await modernPost(s.url, { jsonrpc: '2.0', id, method: 'server/discover', params });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ id, error: { code: -32602 } });
    }
    const ok = await modernPost(s.url, {
      jsonrpc: '2.0',
      id: 105,
      method: 'server/discover',
      params: { _meta: without('io.modelcontextprotocol/clientInfo') },
    });
    expect(ok.status).toBe(200);
    expect((await ok.json()).result.supportedVersions).toContain(MODERN);
  });

  it('refuses an unknown log level in the envelope with 400 -32602', async () => {
    const res = await modernPost(s.url, {
      jsonrpc: '2.0',
      id: 9,
      method: 'tools/list',
      params: { _meta: envelope({}, { 'io.modelcontextprotocol/logLevel': 'loud' }) },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ id: 9, error: { code: -32602 } });
  });

  it('checks the envelope before the header agreement', async () => {
    const res = await modernPost(
      s.url,
      {
        jsonrpc: '2.0',
        id: 5,
        method: 'server/discover',
        params: { _meta: without('io.modelcontextprotocol/clientCapabilities') },
      },
      { 'mcp-protocol-version': '2025-11-25' },
    );
    expect(res.status).toBe(400);
    expect(errorOf(await res.json())?.code).toBe(-32602);
  });

  it('refuses a version header that differs from _meta with 400 -32020, before the version check', async () => {
    const body = modernBody(
      'server/discover',
      {
        _meta: { ...meta, 'io.modelcontextprotocol/protocolVersion': 'v999.0.0' },
      },
      302,
    );
    const res = await modernPost(s.url, body);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ id: 302, error: { code: -32020 } });
  });

  it('refuses an unsupported version with 400 -32022 listing what server/discover lists', async () => {
    const discover = await (await modernPost(s.url, modernBody('server/discover'))).json();
    const body = modernBody(
      'server/discover',
      {
        _meta: { ...meta, 'io.modelcontextprotocol/protocolVersion': 'v999.0.0' },
      },
      301,
    );
    // A wrong Mcp-Method too: the version is checked first.
    const res = await modernPost(s.url, body, {
      'mcp-protocol-version': 'v999.0.0',
      'mcp-method': 'tools/list',
    });
    expect(res.status).toBe(400);
    const answer = await res.json();
    expect(answer).toMatchObject({ id: 301, error: { code: -32022, data: { requested: 'v999.0.0' } } });
    expect(answer.error.data.supported).toEqual(discover.result.supportedVersions);
  });

  it('answers removed and unknown methods with 404 -32601, echoing the id', async () => {
    const methods = [
      'initialize',
      'ping',
      'logging/setLevel',
      'resources/subscribe',
      'resources/unsubscribe',
      'unknown/method',
    ];
    for (const [i, method] of methods.entries()) {
      const res = await modernPost(s.url, modernBody(method, {}, 500 + i));
      expect(res.status, method).toBe(404);
      expect(await res.json()).toMatchObject({ id: 500 + i, error: { code: -32601 } });
    }
    expect(s.handler.sessionCount).toBe(0);
  });

  it('answers a missing client capability with 400 -32021 naming it, and serves it once declared', async () => {
    const call = (caps: Record<string, unknown>) =>
      modernPost(
        s.url,
        modernBody(
          'tools/call',
          { name: 'test_missing_capability', arguments: {}, _meta: envelope(caps) },
          401,
        ),
      );
    const refused = await call({});
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      id: 401,
      error: { code: -32021, data: { requiredCapabilities: { sampling: {} } } },
    });
    const served = await call({ sampling: {} });
    expect(served.status).toBe(200);
    expect((await served.json()).result.content[0].text).toMatch(/declared sampling/);
  });

  it('keeps ordinary errors at 200: a failing tool, an unknown tool, a missing resource', async () => {
    const failing = await modernPost(
      s.url,
      modernBody('tools/call', { name: 'test_error_handling', arguments: {} }),
    );
    expect(failing.status).toBe(200);
    expect((await failing.json()).result.isError).toBe(true);
    const unknown = await modernPost(
      s.url,
      modernBody('tools/call', { name: 'no_such_tool', arguments: {} }, 2),
    );
    expect(unknown.status).toBe(200);
    expect(errorOf(await unknown.json())?.code).toBe(-32602);
    const uri = 'test://nonexistent';
    const missing = await modernPost(s.url, modernBody('resources/read', { uri }, 3));
    expect(missing.status).toBe(200);
    expect(await missing.json()).toMatchObject({ id: 3, error: { code: -32602, data: { uri } } });
  });
});
