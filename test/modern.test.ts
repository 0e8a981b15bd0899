import { describe, expect, it } from 'vitest';
import { McpServer } from '../src/server/index.ts';
import { connectWire } from './support/wire.ts';

const V = '2026-07-28';
const meta = (caps: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  'io.modelcontextprotocol/protocolVersion': V,
  'io.modelcontextprotocol/clientCapabilities': caps,
  'io.modelcontextprotocol/clientInfo': { name: 'modern-test', version: '1' },
  ...extra,
});

function server() {
  const s = new McpServer({ name: 'modern', version: '3.0.0', instructions: 'hi', requestStateSecret: 'k' });
  s.tool('hello', { description: 'd' }, () => 'hello');
  s.tool('ask_name', { description: 'd' }, async (_a, ctx) => {
    const r = await ctx.elicit(
      {
        message: 'Name?',
        requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
      },
      { key: 'user_name' },
    );
    return `Hello ${String(r.content?.name)}`;
  });
  s.tool('two_rounds', { description: 'd' }, async (_a, ctx) => {
    const a = await ctx.elicit({ message: 'first', requestedSchema: { type: 'object', properties: {} } });
    const b = await ctx.sample({
      messages: [{ role: 'user', content: { type: 'text', text: 'q' } }],
      maxTokens: 5,
    });
    return `${a.action}/${b.model}`;
  });
  s.tool('chatty', { description: 'd' }, async (_a, ctx) => {
    await ctx.log('info', 'note');
    await ctx.progress(1, 1);
    return 'ok';
  });
  s.prompt('pp', { description: 'd' }, () => 'x');
  s.resource('test://r', { name: 'r' }, () => 'r');
  return s;
}

async function modernWire(s = server()) {
  return connectWire(s);
}

describe('server/discover and the per-request _meta (basic/index, "_meta")', () => {
  it('answers discover with versions, capabilities, serverInfo in _meta, and caching hints', async () => {
    const wire = await modernWire();
    const { response } = await wire.call('server/discover', { _meta: meta() });
    expect(response.result).toEqual({
      resultType: 'complete',
      supportedVersions: ['2026-07-28', '2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'],
      capabilities: expect.objectContaining({ tools: { listChanged: true }, prompts: { listChanged: true } }),
      instructions: 'hi',
      ttlMs: 0,
      cacheScope: 'public',
      _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'modern', version: '3.0.0' } },
    });
  });

  it('accepts a request without clientInfo and rejects a missing _meta, version or capabilities with -32602', async () => {
    const wire = await modernWire();
    const noInfo = meta();
    delete (noInfo as Record<string, unknown>)['io.modelcontextprotocol/clientInfo'];
    expect((await wire.call('server/discover', { _meta: noInfo })).response.result).toBeDefined();
    expect((await wire.call('server/discover', {})).response.error).toMatchObject({ code: -32602 });
    const noCaps = { 'io.modelcontextprotocol/protocolVersion': V };
    expect((await wire.call('tools/list', { _meta: noCaps })).response.error).toMatchObject({ code: -32602 });
  });

  it('answers an unsupported version with -32022 listing the supported ones', async () => {
    const wire = await modernWire();
    const { response } = await wire.call('server/discover', {
      _meta: { ...meta(), 'io.modelcontextprotocol/protocolVersion': 'v999.0.0' },
    });
    expect(response.error).toMatchObject({
      code: -32022,
      data: { supported: expect.arrayContaining(['2026-07-28']), requested: 'v999.0.0' },
    });
  });

  it('answers methods the revision removed with -32601', async () => {
    const wire = await modernWire();
    for (const method of [
      'ping',
      'logging/setLevel',
      'resources/subscribe',
      'initialize',
      'unknown/method',
    ]) {
      expect((await wire.call(method, { _meta: meta() })).response.error, method).toMatchObject({
        code: -32601,
      });
    }
  });

  it('marks every result complete, with ttlMs and cacheScope on cacheable ones', async () => {
    const wire = await modernWire();
    const list = (await wire.call('tools/list', { _meta: meta() })).response.result as Record<
      string,
      unknown
    >;
    expect(list).toMatchObject({ resultType: 'complete', ttlMs: 0, cacheScope: 'public' });
    const read = (await wire.call('resources/read', { uri: 'test://r', _meta: meta() })).response.result;
    expect(read).toMatchObject({
      resultType: 'complete',
      cacheScope: 'private',
      contents: [{ uri: 'test://r', text: 'r' }],
    });
    const call = (await wire.call('tools/call', { name: 'hello', _meta: meta() })).response.result as Record<
      string,
      unknown
    >;
    expect(call.resultType).toBe('complete');
    expect(call).not.toHaveProperty('ttlMs');
  });

  it('answers a missing resource with -32602 and the uri (never -32002)', async () => {
    const wire = await modernWire();
    const { response } = await wire.call('resources/read', { uri: 'test://missing', _meta: meta() });
    expect(response.error).toMatchObject({ code: -32602, data: { uri: 'test://missing' } });
  });

  it('sends log messages only for requests that set a log level, and progress with the given token', async () => {
    const wire = await modernWire();
    const quiet = await wire.call('tools/call', { name: 'chatty', _meta: meta({}, { progressToken: 'p1' }) });
    expect(quiet.before.map((m) => m.method)).toEqual(['notifications/progress']);
    expect((quiet.before[0].params as Record<string, unknown>).progressToken).toBe('p1');
    const loud = await wire.call('tools/call', {
      name: 'chatty',
      _meta: meta({}, { 'io.modelcontextprotocol/logLevel': 'debug' }),
    });
    expect(loud.before.map((m) => m.method)).toEqual(['notifications/message']);
  });
});

describe('basic/patterns/mrtr: Multi Round-Trip Requests', () => {
  it('turns ctx.elicit() into input_required, then completes on the retry with inputResponses', async () => {
    const wire = await modernWire();
    const caps = { elicitation: {} };
    const r1 = (await wire.call('tools/call', { name: 'ask_name', arguments: {}, _meta: meta(caps) }))
      .response.result as Record<string, unknown>;
    expect(r1.resultType).toBe('input_required');
    expect(r1.inputRequests).toEqual({
      user_name: {
        method: 'elicitation/create',
        params: { message: 'Name?', requestedSchema: expect.objectContaining({ required: ['name'] }) },
      },
    });
    expect(typeof r1.requestState).toBe('string');
    const r2 = (
      await wire.call('tools/call', {
        name: 'ask_name',
        arguments: {},
        inputResponses: { user_name: { action: 'accept', content: { name: 'Alice' } } },
        requestState: r1.requestState,
        _meta: meta(caps),
      })
    ).response.result;
    expect(r2).toMatchObject({ resultType: 'complete', content: [{ type: 'text', text: 'Hello Alice' }] });
    // Without the state, the answer alone also completes (the server derives completion from inputResponses).
    const r3 = (
      await wire.call('tools/call', {
        name: 'ask_name',
        arguments: {},
        inputResponses: { user_name: { action: 'accept', content: { name: 'Bob' } } },
        _meta: meta(caps),
      })
    ).response.result;
    expect(r3).toMatchObject({ content: [{ text: 'Hello Bob' }] });
  });

  it('asks again when the answer is missing or malformed', async () => {
    const wire = await modernWire();
    for (const inputResponses of [{ wrong_key: { action: 'accept' } }, { user_name: 12345 }, null]) {
      const r = (
        await wire.call('tools/call', { name: 'ask_name', inputResponses, _meta: meta({ elicitation: {} }) })
      ).response.result as Record<string, unknown>;
      expect(r.resultType).toBe('input_required');
    }
  });

  it('rejects a tampered requestState with an error', async () => {
    const wire = await modernWire();
    const r1 = (await wire.call('tools/call', { name: 'ask_name', _meta: meta({ elicitation: {} }) }))
      .response.result as Record<string, unknown>;
    const r2 = await wire.call('tools/call', {
      name: 'ask_name',
      requestState: `${r1.requestState}-TAMPERED`,
      inputResponses: { user_name: { action: 'accept', content: { name: 'Eve' } } },
      _meta: meta({ elicitation: {} }),
    });
    expect(r2.response.error).toMatchObject({ code: -32602 });
  });

  it('rejects a requestState replayed on another request', async () => {
    const wire = await modernWire();
    const r1 = (
      await wire.call('tools/call', { name: 'ask_name', arguments: {}, _meta: meta({ elicitation: {} }) })
    ).response.result as Record<string, unknown>;
    const r2 = await wire.call('tools/call', {
      name: 'two_rounds',
      arguments: {},
      requestState: r1.requestState,
      _meta: meta({ elicitation: {}, sampling: {} }),
    });
    expect(r2.response.error).toMatchObject({
      code: -32602,
      message: expect.stringMatching(/different request/),
    });
  });

  it('carries earlier answers through rounds, with a new state each round', async () => {
    const wire = await modernWire();
    const caps = { elicitation: {}, sampling: {} };
    const r1 = (await wire.call('tools/call', { name: 'two_rounds', _meta: meta(caps) })).response
      .result as Record<string, unknown>;
    expect(Object.keys(r1.inputRequests as object)).toEqual(['elicitation-1']);
    const r2 = (
      await wire.call('tools/call', {
        name: 'two_rounds',
        inputResponses: { 'elicitation-1': { action: 'accept', content: {} } },
        requestState: r1.requestState,
        _meta: meta(caps),
      })
    ).response.result as Record<string, unknown>;
    expect(r2.resultType).toBe('input_required');
    expect(Object.keys(r2.inputRequests as object)).toEqual(['sampling-2']);
    expect(r2.requestState).not.toBe(r1.requestState);
    const r3 = (
      await wire.call('tools/call', {
        name: 'two_rounds',
        inputResponses: {
          'sampling-2': { role: 'assistant', model: 'm1', content: { type: 'text', text: 'a' } },
        },
        requestState: r2.requestState,
        _meta: meta(caps),
      })
    ).response.result;
    expect(r3).toMatchObject({ resultType: 'complete', content: [{ text: 'accept/m1' }] });
  });

  it('answers a request needing an undeclared capability with -32021 naming it', async () => {
    const wire = await modernWire();
    const { response } = await wire.call('tools/call', { name: 'ask_name', _meta: meta({ sampling: {} }) });
    expect(response.error).toMatchObject({
      code: -32021,
      data: { requiredCapabilities: { elicitation: {} } },
    });
  });
});

describe('basic/patterns/subscriptions: subscriptions/listen', () => {
  it('acknowledges first, then delivers only the requested notifications tagged with the subscription id', async () => {
    const s = server();
    const wire = await modernWire(s);
    wire.send({
      jsonrpc: '2.0',
      id: 'sub-1',
      method: 'subscriptions/listen',
      params: { _meta: meta(), notifications: { promptsListChanged: true, toolsListChanged: false } },
    });
    expect(await wire.next()).toEqual({
      jsonrpc: '2.0',
      method: 'notifications/subscriptions/acknowledged',
      params: {
        _meta: { 'io.modelcontextprotocol/subscriptionId': 'sub-1' },
        notifications: { promptsListChanged: true },
      },
    });
    s.tool('extra', { description: 'd' }, () => 'x');
    s.prompt('extra', { description: 'd' }, () => 'x');
    expect(await wire.next()).toEqual({
      jsonrpc: '2.0',
      method: 'notifications/prompts/list_changed',
      params: { _meta: { 'io.modelcontextprotocol/subscriptionId': 'sub-1' } },
    });
    wire.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'sub-1' } });
    expect((await wire.call('tools/list', { _meta: meta() })).before).toEqual([]);
  });

  it('ends streams gracefully with a complete result when the server closes', async () => {
    const s = server();
    const wire = await modernWire(s);
    wire.send({
      jsonrpc: '2.0',
      id: 7,
      method: 'subscriptions/listen',
      params: { _meta: meta(), notifications: {} },
    });
    await wire.next();
    await s.close();
    expect(await wire.next()).toEqual({
      jsonrpc: '2.0',
      id: 7,
      result: {
        resultType: 'complete',
        _meta: {
          'io.modelcontextprotocol/subscriptionId': 7,
          // "Servers SHOULD include this field on every response" (ResultMetaObject).
          'io.modelcontextprotocol/serverInfo': { name: 'modern', version: '3.0.0' },
        },
      },
    });
  });
});

describe('basic/versioning: dual era on one connection', () => {
  it('serves a legacy session and modern requests side by side', async () => {
    const s = server();
    const legacy = await connectWire(s);
    await legacy.initialize('2025-06-18');
    const modern = await modernWire(s);
    const l = (await legacy.call('tools/call', { name: 'hello' })).response.result as Record<string, unknown>;
    const m = (await modern.call('tools/call', { name: 'hello', _meta: meta() })).response.result as Record<
      string,
      unknown
    >;
    expect(l).toEqual({ content: [{ type: 'text', text: 'hello' }] });
    expect(m.resultType).toBe('complete');
  });
});
