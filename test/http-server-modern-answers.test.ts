/**
 * How the handler answers 2026-07-28 requests served by the reference McpServer over real HTTP on
 * 127.0.0.1: JSON, or SSE carrying the request's own notifications before its result; Multi
 * Round-Trip Requests; `subscriptions/listen` streams, where closing the response cancels the
 * request; and the DNS-rebinding probe of the revision.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReferenceServer } from '../src/reference/index.ts';
import type { McpServer } from '../src/server/index.ts';
import { eventually, messages, readEvents, type Served, serve } from './http-server-fixtures.ts';
import { envelope, modernBody, modernHeaders, modernPost, rawPost } from './http-server-modern-fixtures.ts';

let server: McpServer;
let s: Served;

beforeEach(async () => {
  server = createReferenceServer();
  s = await serve(server);
});
afterEach(async () => {
  await s.close();
});

describe('answers: JSON or an SSE stream of the request’s own notifications', () => {
  it('answers in JSON when nothing comes before the result, with the 2026 result fields', async () => {
    const res = await modernPost(s.url, modernBody('tools/list'));
    expect(res.headers.get('content-type')).toBe('application/json');
    const { result } = await res.json();
    expect(result).toMatchObject({ resultType: 'complete', ttlMs: 0, cacheScope: 'public' });
    expect(result._meta['io.modelcontextprotocol/serverInfo'].name).toBe('mcpkit-reference-server');
  });

  it('streams progress before the result on SSE, then ends the stream', async () => {
    const body = modernBody('tools/call', {
      name: 'test_tool_with_progress',
      arguments: {},
      _meta: { ...envelope(), progressToken: 'progress-test-1' },
    });
    const res = await modernPost(s.url, body);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(res.headers.get('mcp-session-id')).toBeNull();
    const { events } = await readEvents(res);
    expect(events.every((e) => e.id === undefined)).toBe(true);
    const all = messages(events);
    expect(all.slice(0, 3).map((m) => (m.params as { progress: number }).progress)).toEqual([0, 50, 100]);
    expect(
      all
        .slice(0, 3)
        .every((m) => (m.params as { progressToken: string }).progressToken === 'progress-test-1'),
    ).toBe(true);
    expect(all[3]).toMatchObject({ id: 1, result: { resultType: 'complete' } });
    expect(all).toHaveLength(4);
  });

  it('sends log lines only when the envelope asks for a log level', async () => {
    const quiet = await modernPost(
      s.url,
      modernBody('tools/call', { name: 'test_logging_tool', arguments: {} }),
    );
    expect(quiet.headers.get('content-type')).toBe('application/json');
    expect((await quiet.json()).result.content[0].text).toMatch(/completed/);
    const loud = await modernPost(
      s.url,
      modernBody('tools/call', {
        name: 'test_logging_tool',
        arguments: {},
        _meta: envelope({}, { 'io.modelcontextprotocol/logLevel': 'debug' }),
      }),
    );
    expect(loud.headers.get('content-type')).toBe('text/event-stream');
    const all = messages((await readEvents(loud)).events);
    expect(all.filter((m) => m.method === 'notifications/message')).toHaveLength(2);
    expect(all.every((m) => m.method === undefined || String(m.method).startsWith('notifications/'))).toBe(
      true,
    );
  });

  it('answers in JSON only with jsonResponse: true, dropping the notifications', async () => {
    const j = await serve(createReferenceServer(), { jsonResponse: true });
    try {
      const res = await modernPost(
        j.url,
        modernBody('tools/call', {
          name: 'test_tool_with_progress',
          arguments: {},
          _meta: { ...envelope(), progressToken: 1 },
        }),
      );
      expect(res.headers.get('content-type')).toBe('application/json');
      expect((await res.json()).result.content[0].text).toMatch(/Progress test completed/);
    } finally {
      await j.close();
    }
  });
});

describe('Multi Round-Trip Requests over HTTP', () => {
  it('answers input_required, then completes the retry that carries the answers and the state', async () => {
    const caps = { elicitation: {} };
    const first = await modernPost(
      s.url,
      modernBody(
        'tools/call',
        { name: 'test_input_required_result_elicitation', arguments: {}, _meta: envelope(caps) },
        1,
      ),
    );
    expect(first.status).toBe(200);
    const round1 = (await first.json()).result;
    expect(round1.resultType).toBe('input_required');
    expect(round1.inputRequests.user_name.method).toBe('elicitation/create');
    const second = await modernPost(
      s.url,
      modernBody(
        'tools/call',
        {
          name: 'test_input_required_result_elicitation',
          arguments: {},
          inputResponses: { user_name: { action: 'accept', content: { name: 'Alice' } } },
          requestState: round1.requestState,
          _meta: envelope(caps),
        },
        2,
      ),
    );
    const round2 = (await second.json()).result;
    expect(round2).toMatchObject({
      resultType: 'complete',
      content: [{ type: 'text', text: 'Hello, Alice!' }],
    });
  });
});

describe('subscriptions/listen', () => {
  function listen(id: number, notifications: Record<string, unknown>, signal: AbortSignal) {
    return modernPost(s.url, modernBody('subscriptions/listen', { notifications }, id), {}, signal);
  }

  it('acknowledges, delivers tools/list_changed tagged with the subscription id, and stops when closed', async () => {
    const abort = new AbortController();
    const res = await listen(42, { toolsListChanged: true }, abort.signal);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const got: Record<string, unknown>[] = [];
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const next = async (): Promise<Record<string, unknown>> => {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame.split('\n').find((l) => l.startsWith('data: '));
          if (data) return JSON.parse(data.slice(6));
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    };
    got.push(await next());
    expect(got[0]).toMatchObject({
      method: 'notifications/subscriptions/acknowledged',
      params: {
        _meta: { 'io.modelcontextprotocol/subscriptionId': 42 },
        notifications: { toolsListChanged: true },
      },
    });
    expect(s.handler.requestsInFlight).toBe(1);
    const trigger = await modernPost(
      s.url,
      modernBody('tools/call', { name: 'test_trigger_tool_change', arguments: {} }, 2),
    );
    expect(trigger.status).toBe(200);
    got.push(await next());
    expect(got[1]).toMatchObject({
      method: 'notifications/tools/list_changed',
      params: { _meta: { 'io.modelcontextprotocol/subscriptionId': 42 } },
    });
    abort.abort();
    await eventually(() => s.handler.requestsInFlight === 0, 'the listen request to end');
    const again = await modernPost(
      s.url,
      modernBody('tools/call', { name: 'test_trigger_tool_change', arguments: {} }, 3),
    );
    expect(again.status).toBe(200);
    expect(s.handler.requestsInFlight).toBe(0);
  });

  it('does not deliver what the filter left out', async () => {
    const abort = new AbortController();
    const res = await listen(43, { promptsListChanged: true }, abort.signal);
    const seen: string[] = [];
    const reading = readEvents(res, (e) => {
      const m = JSON.parse(e.data) as { method?: string };
      seen.push(m.method as string);
      return m.method === 'notifications/prompts/list_changed';
    });
    await eventually(() => seen.length === 1, 'the acknowledgement');
    await modernPost(s.url, modernBody('tools/call', { name: 'test_trigger_tool_change', arguments: {} }, 2));
    await modernPost(
      s.url,
      modernBody('tools/call', { name: 'test_trigger_prompt_change', arguments: {} }, 3),
    );
    await reading;
    expect(seen).toEqual(['notifications/subscriptions/acknowledged', 'notifications/prompts/list_changed']);
    abort.abort();
  });

  it('ends open listen streams when the handler closes', async () => {
    const res = await listen(44, { toolsListChanged: true }, new AbortController().signal);
    const reading = readEvents(res);
    await eventually(() => s.handler.requestsInFlight === 1, 'the listen request');
    await s.handler.close();
    const { events } = await reading;
    expect(messages(events)[0]?.method).toBe('notifications/subscriptions/acknowledged');
    expect(s.handler.requestsInFlight).toBe(0);
  });

  it('cancels a long tool call when its client closes the stream', async () => {
    const abort = new AbortController();
    const res = await modernPost(
      s.url,
      modernBody('tools/call', {
        name: 'test_long_operation',
        arguments: { seconds: 30 },
        _meta: { ...envelope(), progressToken: 'p' },
      }),
      {},
      abort.signal,
    );
    await readEvents(res, () => true);
    expect(s.handler.requestsInFlight).toBe(1);
    abort.abort();
    await eventually(() => s.handler.requestsInFlight === 0, 'the cancelled call to end');
  });
});

describe('DNS-rebinding protection at 2026-07-28', () => {
  it('refuses server/discover from a foreign Host or Origin and serves it for localhost', async () => {
    const body = modernBody('server/discover');
    const port = new URL(s.url).port;
    const evil = await rawPost(s.url, body, { ...modernHeaders(body), host: 'evil.example.com' });
    expect(evil.status).toBe(403);
    const evilOrigin = await rawPost(s.url, body, {
      ...modernHeaders(body),
      origin: 'http://evil.example.com',
    });
    expect(evilOrigin.status).toBe(403);
    const local = await rawPost(s.url, body, {
      ...modernHeaders(body),
      host: `localhost:${port}`,
      origin: `http://localhost:${port}`,
    });
    expect(local.status).toBe(200);
  });
});
