/**
 * The feature tests of the SDK v2 client (`@modelcontextprotocol/client`) pinned to 2026-07-28 against
 * the reference server, and the sessions they run on (Streamable HTTP, stdio): shared by
 * test/interop-sdk-v2.test.ts and test/interop-sdk-v2.schema.test.ts, which also checks every message the
 * server sent against the 2026-07-28 schema.
 */
import {
  type Client as ModernClient,
  ProtocolError,
  StreamableHTTPClientTransport,
} from '@modelcontextprotocol/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHttpHandler, type HttpHandler } from '../../src/http/index.ts';
import { type HttpServerHandle, serveHttp } from '../../src/node/index.ts';
import { PNG_BASE64, WAV_BASE64 } from '../../src/reference/fixtures.ts';
import { createReferenceServer } from '../../src/reference/index.ts';
import {
  ANSWERS,
  type InputsSeen,
  MODERN,
  modernClient,
  type RecordedTransport,
  ROOTS,
  recordTransport,
  referenceStdioTransport,
  textOf,
  type WireMessage,
} from './sdk-v2-client.ts';

const LOG_LEVEL = 'io.modelcontextprotocol/logLevel';

/** What a transport's tests share. */
export interface Session {
  client: ModernClient;
  seen: InputsSeen;
  transport: RecordedTransport;
}

/** The `input_required` results the server sent for calls of tool `name`, and the retries that answered them. */
function roundsOf(
  transport: RecordedTransport,
  name: string,
): { asked: WireMessage[]; retries: WireMessage[] } {
  const calls = transport.wire.sent.filter(
    (m) => m.method === 'tools/call' && (m.params as WireMessage).name === name,
  );
  const ids = new Set(calls.map((m) => m.id));
  const asked = transport.wire.received
    .filter((m) => ids.has(m.id) && (m.result as WireMessage | undefined)?.resultType === 'input_required')
    .map((m) => m.result as WireMessage);
  const retries = calls
    .filter((m) => 'inputResponses' in (m.params as WireMessage))
    .map((m) => m.params as WireMessage);
  return { asked, retries };
}

/** Registers the feature tests for the session `get` returns once connected. */
export function featureTests(get: () => Session): void {
  it('connects pinned to 2026-07-28 through server/discover, with no initialize', async () => {
    const { client, transport } = get();
    expect(client.getProtocolEra()).toBe('modern');
    expect(client.getNegotiatedProtocolVersion()).toBe(MODERN);
    expect(client.getServerVersion()).toMatchObject({ name: 'mcpkit-reference-server', version: '0.1.0' });
    expect(client.getInstructions()).toMatch(/test server/);
    const caps = client.getServerCapabilities() ?? {};
    expect(caps.tools).toMatchObject({ listChanged: true });
    expect(caps.resources).toMatchObject({ subscribe: true, listChanged: true });
    expect(caps.prompts).toBeDefined();
    expect(caps.completions).toBeDefined();
    const discovered = await client.discover();
    expect(discovered.supportedVersions).toContain(MODERN);
    const methods = transport.wire.sent.map((m) => m.method);
    expect(methods[0]).toBe('server/discover');
    expect(methods).not.toContain('initialize');
    const probe = transport.wire.sent[0] as WireMessage;
    const meta = (probe.params as WireMessage)._meta as WireMessage;
    expect(meta['io.modelcontextprotocol/protocolVersion']).toBe(MODERN);
  });

  it('lists tools, with the output schema and annotations of add', async () => {
    const { tools } = await get().client.listTools();
    const names = tools.map((t) => t.name);
    for (const name of [
      'test_simple_text',
      'test_image_content',
      'test_input_required_result_elicitation',
      'add',
    ]) {
      expect(names).toContain(name);
    }
    const add = tools.find((t) => t.name === 'add');
    expect(add?.outputSchema).toMatchObject({ type: 'object', required: ['sum'] });
    expect(add?.annotations).toMatchObject({ readOnlyHint: true });
  });

  it('calls tools: text, image, audio, embedded resource, structured output, error result', async () => {
    const { client } = get();
    expect(textOf(await client.callTool({ name: 'test_simple_text', arguments: {} }))).toBe(
      'This is a simple text response for testing.',
    );
    expect((await client.callTool({ name: 'test_image_content', arguments: {} })).content).toEqual([
      { type: 'image', data: PNG_BASE64, mimeType: 'image/png' },
    ]);
    expect((await client.callTool({ name: 'test_audio_content', arguments: {} })).content).toEqual([
      { type: 'audio', data: WAV_BASE64, mimeType: 'audio/wav' },
    ]);
    expect((await client.callTool({ name: 'test_embedded_resource', arguments: {} })).content).toEqual([
      {
        type: 'resource',
        resource: {
          uri: 'test://embedded-resource',
          mimeType: 'text/plain',
          text: 'This is an embedded resource content.',
        },
      },
    ]);
    const sum = await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } });
    expect(sum.structuredContent).toEqual({ sum: 5 });
    expect(JSON.parse(textOf(sum))).toEqual({ sum: 5 });
    const failed = await client.callTool({ name: 'test_error_handling', arguments: {} });
    expect(failed.isError).toBe(true);
    expect(textOf(failed)).toBe('This tool intentionally returns an error for testing');
    const unknown = await client.callTool({ name: 'no_such_tool', arguments: {} }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(ProtocolError);
    expect((unknown as ProtocolError).code).toBe(-32602);
  });

  it('reports progress on a tools/call, in order, before the result', async () => {
    const progress: Array<{ progress: number; total?: number }> = [];
    const result = await get().client.callTool(
      { name: 'test_tool_with_progress', arguments: {} },
      { onprogress: (p) => progress.push({ progress: p.progress, total: p.total }) },
    );
    expect(textOf(result)).toMatch(/^Progress test completed/);
    expect(progress).toEqual([
      { progress: 0, total: 100 },
      { progress: 50, total: 100 },
      { progress: 100, total: 100 },
    ]);
  });

  it('lists and reads resources: text, binary, and a template', async () => {
    const { client } = get();
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(
      expect.arrayContaining(['test://static-text', 'test://static-binary', 'test://watched-resource']),
    );
    expect((await client.readResource({ uri: 'test://static-text' })).contents).toEqual([
      {
        uri: 'test://static-text',
        mimeType: 'text/plain',
        text: 'This is the content of the static text resource.',
      },
    ]);
    expect((await client.readResource({ uri: 'test://static-binary' })).contents).toEqual([
      { uri: 'test://static-binary', mimeType: 'image/png', blob: PNG_BASE64 },
    ]);
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toContain('test://template/{id}/data');
    const [data] = (await client.readResource({ uri: 'test://template/123/data' })).contents;
    expect(data?.uri).toBe('test://template/123/data');
    expect(JSON.parse(String((data as { text?: string }).text))).toEqual({
      id: '123',
      templateTest: true,
      data: 'Data for ID: 123',
    });
  });

  it('lists prompts and gets one with arguments', async () => {
    const { client } = get();
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(
      expect.arrayContaining(['test_simple_prompt', 'test_prompt_with_arguments']),
    );
    const got = await client.getPrompt({
      name: 'test_prompt_with_arguments',
      arguments: { arg1: 'x', arg2: 'y' },
    });
    expect(got.messages).toEqual([
      { role: 'user', content: { type: 'text', text: "Prompt with arguments: arg1='x', arg2='y'" } },
    ]);
  });

  it('completes prompt arguments and template variables', async () => {
    const { client } = get();
    const prompt = await client.complete({
      ref: { type: 'ref/prompt', name: 'test_prompt_with_arguments' },
      argument: { name: 'arg1', value: 'te' },
    });
    expect(prompt.completion.values).toEqual(['test', 'testValue1']);
    const template = await client.complete({
      ref: { type: 'ref/resource', uri: 'test://template/{id}/data' },
      argument: { name: 'id', value: '1' },
    });
    expect(template.completion.values).toEqual(['1', '123']);
  });

  it('sends log messages at and above the level the request asks for, and none without one', async () => {
    const { client } = get();
    const logs: Array<{ level: string; data: unknown }> = [];
    client.setNotificationHandler('notifications/message', (n) => {
      logs.push({ level: n.params.level, data: n.params.data });
    });
    const call = (level?: string) =>
      client.callTool({
        name: 'test_logging_tool',
        arguments: {},
        ...(level === undefined ? {} : { _meta: { [LOG_LEVEL]: level } }),
      });
    await call('debug');
    expect(logs.splice(0)).toEqual([
      { level: 'info', data: 'Logging tool started' },
      { level: 'debug', data: 'Logging tool details' },
    ]);
    await call('info');
    expect(logs.splice(0)).toEqual([{ level: 'info', data: 'Logging tool started' }]);
    await call();
    expect(logs).toEqual([]);
  });

  it('answers elicitation through input_required rounds (MRTR), never a server→client request', async () => {
    const { client, seen, transport } = get();
    const before = seen.elicitation.length;
    expect(
      textOf(await client.callTool({ name: 'test_input_required_result_elicitation', arguments: {} })),
    ).toBe(`Hello, ${ANSWERS.name}!`);
    expect(
      textOf(await client.callTool({ name: 'test_elicitation', arguments: { message: 'Who are you?' } })),
    ).toBe(
      `User response: action=accept, content=${JSON.stringify({ username: 'grace', email: ANSWERS.email })}`,
    );
    expect(seen.elicitation.slice(before).map((p) => p.message)).toEqual([
      'What is your name?',
      'Who are you?',
    ]);
    const { asked, retries } = roundsOf(transport, 'test_input_required_result_elicitation');
    expect(Object.values(asked[0]?.inputRequests as WireMessage)).toEqual([
      expect.objectContaining({ method: 'elicitation/create' }),
    ]);
    expect(retries[0]?.requestState).toBe(asked[0]?.requestState);
    expect(retries[0]?.inputResponses).toEqual({
      user_name: { action: 'accept', content: { name: ANSWERS.name } },
    });
  });

  it('answers sampling through input_required rounds', async () => {
    const { client, seen } = get();
    const before = seen.sampling.length;
    expect(
      textOf(await client.callTool({ name: 'test_input_required_result_sampling', arguments: {} })),
    ).toBe(`Model says: ${ANSWERS.text}`);
    expect(
      textOf(await client.callTool({ name: 'test_sampling', arguments: { prompt: 'Two plus two?' } })),
    ).toBe(`LLM response: ${ANSWERS.text}`);
    const asked = seen.sampling.slice(before).map((p) => (p.messages as WireMessage[])[0]?.content);
    expect(asked).toEqual([
      { type: 'text', text: 'What is the capital of France?' },
      { type: 'text', text: 'Two plus two?' },
    ]);
  });

  it('answers roots/list through an input_required round', async () => {
    const { client, seen } = get();
    const before = seen.roots;
    expect(
      textOf(await client.callTool({ name: 'test_input_required_result_list_roots', arguments: {} })),
    ).toBe(`Roots: ${ROOTS.map((r) => r.uri).join(', ')}`);
    expect(seen.roots).toBe(before + 1);
  });

  it('runs a tool that asks twice, one round after the other', async () => {
    const { client, transport } = get();
    expect(
      textOf(await client.callTool({ name: 'test_input_required_result_multi_round', arguments: {} })),
    ).toBe('Both rounds done: accept, accept');
    const { asked, retries } = roundsOf(transport, 'test_input_required_result_multi_round');
    expect(asked.map((r) => Object.keys(r.inputRequests as WireMessage))).toEqual([['step_1'], ['step_2']]);
    expect(retries.map((r) => Object.keys(r.inputResponses as WireMessage))).toEqual([
      ['step_1'],
      ['step_2'],
    ]);
    expect(retries.map((r) => r.requestState)).toEqual(asked.map((r) => r.requestState));
  });

  it('delivers tools/list_changed on a subscriptions/listen stream', async () => {
    const { client } = get();
    const changed: WireMessage[] = [];
    let notify = () => {};
    client.setNotificationHandler('notifications/tools/list_changed', (n) => {
      changed.push(n.params as WireMessage);
      notify();
    });
    const subscription = await client.listen({ toolsListChanged: true });
    expect(subscription.honoredFilter).toEqual({ toolsListChanged: true });
    const arrived = new Promise<void>((resolve) => {
      notify = resolve;
    });
    await client.callTool({ name: 'test_trigger_tool_change', arguments: {} });
    await arrived;
    expect(changed).toHaveLength(1);
    const listed = await client.listTools(undefined, { cacheMode: 'refresh' });
    expect(listed.tools.map((t) => t.name)).toContain('test_dynamic_tool');
    await client.callTool({ name: 'test_trigger_tool_change', arguments: {} }); // back as it was
    await subscription.close();
    expect(await subscription.closed).toBe('local');
  });

  it('never got a server→client request, and every request it sent was answered', () => {
    const { transport } = get();
    const { sent, received } = transport.wire;
    expect(received.filter((m) => 'method' in m && 'id' in m)).toEqual([]);
    const answered = new Set(received.filter((m) => !('method' in m)).map((m) => m.id));
    const requests = sent.filter((m) => 'method' in m && 'id' in m && m.method !== 'subscriptions/listen');
    expect(requests.filter((m) => !answered.has(m.id))).toEqual([]);
  });
}

/** A session over Streamable HTTP against a reference server on a free port, opened before the tests. */
export function httpSession(): { session: Session; url: () => string } {
  let server: HttpServerHandle | undefined;
  let handler: HttpHandler | undefined;
  let url = '';
  const session = {} as Session;

  beforeAll(async () => {
    handler = createHttpHandler(createReferenceServer());
    server = await serveHttp(handler, { port: 0 });
    url = `${server.url}/mcp`;
    const { client, seen } = modernClient();
    const transport = recordTransport(new StreamableHTTPClientTransport(new URL(url)));
    await client.connect(transport);
    Object.assign(session, { client, seen, transport });
  });

  afterAll(async () => {
    await session.client?.close();
    await server?.close();
    await handler?.close();
  });
  return { session, url: () => url };
}

/** A session over stdio with a reference server process, opened before the tests. */
export function stdioSession(): Session {
  const session = {} as Session;

  beforeAll(async () => {
    const { client, seen } = modernClient();
    const transport = referenceStdioTransport();
    try {
      await client.connect(transport);
    } catch (error) {
      throw new Error(`Connecting failed: ${String(error)}\nServer stderr:\n${transport.wire.stderr()}`);
    }
    Object.assign(session, { client, seen, transport });
  });

  afterAll(async () => {
    await session.client?.close();
  });
  return session;
}
