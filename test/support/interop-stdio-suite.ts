/**
 * Interop: the official TypeScript SDK's client (v1) against the reference server over stdio, at one
 * stateful revision. One server process per revision, shared by that revision's tests, which run in
 * order; the last ones check the whole wire log and the process's exit. test/interop-sdk-stdio.test.ts
 * runs it for every revision; test/interop-sdk-stdio.schema.test.ts runs it again and also checks every
 * message the server wrote against the revision's own schema.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  LoggingMessageNotificationSchema,
  type Progress,
  ResourceUpdatedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LegacyRevision } from '../../src/protocol/revisions.ts';
import { PNG_BASE64 } from '../../src/reference/fixtures.ts';
import {
  acceptWithDefaults,
  mcpErrorOf,
  type PinnedStdioTransport,
  referenceServerTransport,
  textOf,
} from './sdk-client.ts';

type Obj = Record<string, unknown>;

const CONFORMANCE_TOOLS = [
  'test_simple_text',
  'test_image_content',
  'test_audio_content',
  'test_embedded_resource',
  'test_multiple_content_types',
  'test_error_handling',
  'test_tool_with_logging',
  'test_tool_with_progress',
  'test_sampling',
  'test_elicitation',
  'test_elicitation_sep1034_defaults',
  'test_update_watched_resource',
  'add',
];

/** The five defaults test_elicitation_sep1034_defaults asks with (2025-11-25 carries them all). */
const SEP1034_DEFAULTS = { name: 'John Doe', age: 30, score: 95.5, status: 'active', verified: true };

/**
 * Defines the interop tests at `revision`; `wireProblems`, when given, checks the server's whole wire
 * log and returns one line per problem.
 */
export function stdioInteropSuite(
  revision: LegacyRevision,
  wireProblems?: (transport: PinnedStdioTransport) => string[],
): void {
  /** Whether this revision is `r` or later (revision names sort by date). */
  const since = (r: LegacyRevision): boolean => revision >= r;

  describe(`SDK v1 client ↔ reference server over stdio at ${revision}`, () => {
    let transport: PinnedStdioTransport;
    let client: Client;
    const logs: Obj[] = [];
    const updated: string[] = [];
    const samplingRequests: Obj[] = [];
    const elicitRequests: Obj[] = [];
    const sdkErrors: Error[] = [];

    beforeAll(async () => {
      transport = referenceServerTransport(revision);
      client = new Client(
        { name: 'sdk-interop', version: '1.0.0' },
        // Elicitation is declared at every revision: a server must still not use it where the
        // negotiated revision has none.
        { capabilities: { sampling: {}, elicitation: {} } },
      );
      client.onerror = (error) => sdkErrors.push(error);
      client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
        logs.push(n.params as Obj);
      });
      client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
        updated.push(n.params.uri);
      });
      client.setRequestHandler(CreateMessageRequestSchema, (request) => {
        samplingRequests.push(request.params as Obj);
        return {
          role: 'assistant',
          content: { type: 'text', text: 'Four, as always.' },
          model: 'interop-model',
          stopReason: 'endTurn',
        };
      });
      client.setRequestHandler(ElicitRequestSchema, (request) => {
        elicitRequests.push(request.params as Obj);
        return acceptWithDefaults(request.params);
      });
      try {
        await client.connect(transport);
      } catch (error) {
        throw new Error(`Connecting failed: ${String(error)}\nServer stderr:\n${transport.stderr}`);
      }
    });

    afterAll(async () => {
      await client?.close();
    });

    it('initializes at the pinned revision', () => {
      const init = transport.sent.find((m) => m.method === 'initialize') as Obj;
      expect((init.params as Obj).protocolVersion).toBe(revision);
      const [response] = transport.responsesTo('initialize');
      const result = response.result as Obj;
      expect(result.protocolVersion).toBe(revision);

      const info = client.getServerVersion() as Obj;
      expect(info.name).toBe('mcpkit-reference-server');
      expect('title' in info).toBe(since('2025-06-18'));
      expect('description' in info).toBe(since('2025-11-25'));
      expect('websiteUrl' in info).toBe(since('2025-11-25'));

      const caps = client.getServerCapabilities() ?? {};
      expect(caps.tools).toBeDefined();
      expect(caps.resources).toMatchObject({ subscribe: true });
      expect(caps.prompts).toBeDefined();
      expect(caps.logging).toBeDefined();
      expect('completions' in caps).toBe(since('2025-03-26'));
      expect(client.getInstructions()).toMatch(/test server/);
    });

    it('answers ping', async () => {
      await expect(client.ping()).resolves.toEqual({});
    });

    it('lists tools with only the fields the revision has', async () => {
      const { tools } = await client.listTools();
      const names = tools.map((t) => t.name);
      for (const name of CONFORMANCE_TOOLS) expect(names).toContain(name);

      const add = tools.find((t) => t.name === 'add') as Obj;
      expect(add.inputSchema).toMatchObject({ type: 'object', required: ['a', 'b'] });
      expect(add.title === 'Add two numbers').toBe(since('2025-06-18'));
      expect(add.outputSchema !== undefined).toBe(since('2025-06-18'));
      expect(add.annotations !== undefined).toBe(since('2025-03-26'));
      expect(add.icons !== undefined).toBe(since('2025-11-25'));
      for (const tool of tools as Obj[]) {
        if (!since('2025-06-18')) expect(Object.keys(tool)).not.toContain('title');
        if (!since('2025-06-18')) expect(Object.keys(tool)).not.toContain('outputSchema');
        if (!since('2025-03-26')) expect(Object.keys(tool)).not.toContain('annotations');
        if (!since('2025-11-25')) expect(Object.keys(tool)).not.toContain('icons');
      }
    });

    it('calls tools: text, image, embedded resource, audio, tool errors', async () => {
      const simple = await client.callTool({ name: 'test_simple_text', arguments: {} });
      expect(simple.content).toEqual([{ type: 'text', text: 'This is a simple text response for testing.' }]);
      expect(simple.isError).toBeFalsy();

      const image = await client.callTool({ name: 'test_image_content', arguments: {} });
      expect(image.content).toEqual([{ type: 'image', data: PNG_BASE64, mimeType: 'image/png' }]);

      const embedded = await client.callTool({ name: 'test_embedded_resource', arguments: {} });
      expect(embedded.content).toEqual([
        {
          type: 'resource',
          resource: {
            uri: 'test://embedded-resource',
            mimeType: 'text/plain',
            text: 'This is an embedded resource content.',
          },
        },
      ]);

      const audio = await client.callTool({ name: 'test_audio_content', arguments: {} });
      const types = (audio.content as Obj[]).map((b) => b.type);
      // 2024-11-05 has no audio block; the server drops it rather than send a type the client lacks.
      expect(types).toEqual(since('2025-03-26') ? ['audio'] : []);

      const failed = await client.callTool({ name: 'test_error_handling', arguments: {} });
      expect(failed.isError).toBe(true);
      expect(textOf(failed)).toMatch(/intentionally returns an error/);
    });

    it('returns structured output from `add` only where the revision has it', async () => {
      const result = await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } });
      expect(result.isError).toBeFalsy();
      expect(textOf(result)).toBe('{"sum":5}');
      if (since('2025-06-18')) {
        // The SDK checked this against the outputSchema it cached from tools/list.
        expect(result.structuredContent).toEqual({ sum: 5 });
      } else {
        expect(Object.keys(result)).not.toContain('structuredContent');
      }
      const [wire] = transport.responsesTo('tools/call').slice(-1);
      expect('structuredContent' in (wire.result as Obj)).toBe(since('2025-06-18'));
    });

    it('reports invalid arguments as the revision says: -32602 before 2025-11-25, an isError result after', async () => {
      const call = client.callTool({ name: 'add', arguments: { a: 'two', b: 3 } });
      if (since('2025-11-25')) {
        const result = await call;
        expect(result.isError).toBe(true);
        expect(textOf(result)).toMatch(/Invalid arguments for tool 'add'/);
      } else {
        expect((await mcpErrorOf(call)).code).toBe(-32602);
      }
      expect((await mcpErrorOf(client.callTool({ name: 'no_such_tool', arguments: {} }))).code).toBe(-32602);
    });

    it('delivers three increasing progress notifications to onprogress', async () => {
      const seen: Progress[] = [];
      const result = await client.callTool({ name: 'test_tool_with_progress', arguments: {} }, undefined, {
        onprogress: (p) => seen.push(p),
      });
      expect(seen.map((p) => p.progress)).toEqual([0, 50, 100]);
      for (const p of seen) expect(p.total).toBe(100);
      const call = transport.sent.filter((m) => m.method === 'tools/call').at(-1) as Obj;
      const token = ((call.params as Obj)._meta as Obj).progressToken;
      expect(textOf(result)).toBe(`Progress test completed (token ${JSON.stringify(token)}).`);
      // On the wire, all three came before the response.
      const received = transport.received;
      const responseAt = received.findIndex((m) => m.id === call.id && !('method' in m));
      const progressAt = received
        .map((m, i) =>
          m.method === 'notifications/progress' && (m.params as Obj).progressToken === token ? i : -1,
        )
        .filter((i) => i >= 0);
      expect(progressAt).toHaveLength(3);
      expect(Math.max(...progressAt)).toBeLessThan(responseAt);
    });

    it('sends log messages at or above the level set with logging/setLevel', async () => {
      await client.setLoggingLevel('debug');
      const before = logs.length;
      const result = await client.callTool({ name: 'test_tool_with_logging', arguments: {} });
      expect(textOf(result)).toMatch(/three messages sent/);
      // Each message is written before the result, so all three are here once the call returns.
      expect(logs.slice(before)).toEqual([
        { level: 'info', data: 'Tool execution started' },
        { level: 'info', data: 'Tool processing data' },
        { level: 'info', data: 'Tool execution completed' },
      ]);

      await client.setLoggingLevel('error');
      const quiet = logs.length;
      await client.callTool({ name: 'test_tool_with_logging', arguments: {} });
      expect(logs.length).toBe(quiet);
      await client.setLoggingLevel('debug');
    });

    it("round-trips sampling through the SDK client's handler", async () => {
      const result = await client.callTool({ name: 'test_sampling', arguments: { prompt: 'What is 2+2?' } });
      expect(result.isError).toBeFalsy();
      expect(textOf(result)).toBe('LLM response: Four, as always.');
      expect(samplingRequests.at(-1)).toMatchObject({
        messages: [{ role: 'user', content: { type: 'text', text: 'What is 2+2?' } }],
        maxTokens: 100,
      });
    });

    if (since('2025-06-18')) {
      it("round-trips elicitation through the SDK client's handler", async () => {
        const count = elicitRequests.length;
        const result = await client.callTool({
          name: 'test_elicitation',
          arguments: { message: 'Who are you?' },
        });
        expect(result.isError).toBeFalsy();
        expect(textOf(result)).toBe(
          'User response: action=accept, content={"username":"ada","email":"ada@example.com"}',
        );
        expect(elicitRequests.length).toBe(count + 1);
        expect(elicitRequests.at(-1)).toMatchObject({
          message: 'Who are you?',
          requestedSchema: { type: 'object', required: ['username', 'email'] },
        });
      });

      it('sends the form defaults the revision has (sep1034)', async () => {
        const result = await client.callTool({ name: 'test_elicitation_sep1034_defaults', arguments: {} });
        expect(result.isError).toBeFalsy();
        const wire = transport.received.filter((m) => m.method === 'elicitation/create').at(-1) as Obj;
        const props = ((wire.params as Obj).requestedSchema as Obj).properties as Record<string, Obj>;
        const defaults = Object.fromEntries(
          Object.entries(props)
            .filter(([, f]) => f.default !== undefined)
            .map(([n, f]) => [n, f.default]),
        );
        // 2025-06-18 allows `default` only on boolean fields; 2025-11-25 on every primitive and enum.
        const expected = since('2025-11-25') ? SEP1034_DEFAULTS : { verified: true };
        expect(defaults).toEqual(expected);
        // The handler accepted with the defaults it was given, as the SDK parsed them.
        expect(textOf(result)).toBe(
          `Elicitation completed: action=accept, content=${JSON.stringify(expected)}`,
        );
      });
    } else {
      it('refuses elicitation: the revision has none, even though the client declared it', async () => {
        const count = elicitRequests.length;
        for (const [name, args] of [
          ['test_elicitation', { message: 'Who are you?' }],
          ['test_elicitation_sep1034_defaults', {}],
        ] as const) {
          const result = await client.callTool({ name, arguments: args });
          expect(result.isError).toBe(true);
          expect(textOf(result)).toBe(
            `Revision ${revision} has no elicitation; the client must negotiate 2025-06-18 or later.`,
          );
        }
        expect(elicitRequests.length).toBe(count);
        expect(transport.received.some((m) => m.method === 'elicitation/create')).toBe(false);
      });
    }

    it('lists and reads resources, text and binary', async () => {
      const { resources } = await client.listResources();
      const byUri = new Map(resources.map((r) => [r.uri, r as Obj]));
      expect([...byUri.keys()]).toEqual(
        expect.arrayContaining(['test://static-text', 'test://static-binary', 'test://watched-resource']),
      );
      const staticText = byUri.get('test://static-text') as Obj;
      expect(staticText).toMatchObject({ name: 'static-text', mimeType: 'text/plain' });
      expect(staticText.title === 'Static text').toBe(since('2025-06-18'));
      if (!since('2025-06-18')) expect(Object.keys(staticText)).not.toContain('title');

      const text = await client.readResource({ uri: 'test://static-text' });
      expect(text.contents).toEqual([
        {
          uri: 'test://static-text',
          mimeType: 'text/plain',
          text: 'This is the content of the static text resource.',
        },
      ]);
      const binary = await client.readResource({ uri: 'test://static-binary' });
      expect(binary.contents).toEqual([
        { uri: 'test://static-binary', mimeType: 'image/png', blob: PNG_BASE64 },
      ]);

      expect((await mcpErrorOf(client.readResource({ uri: 'test://no-such-resource' }))).code).toBe(-32002);
    });

    it('notifies a subscriber of updates until it unsubscribes', async () => {
      const uri = 'test://watched-resource';
      await client.subscribeResource({ uri });
      const before = updated.length;
      await client.callTool({ name: 'test_update_watched_resource', arguments: {} });
      // The server sends the notification before the tool's result, on the same ordered stream.
      expect(updated.slice(before)).toEqual([uri]);
      const read = await client.readResource({ uri });
      expect((read.contents[0] as Obj).text).toMatch(/version [1-9]/);

      await client.unsubscribeResource({ uri });
      await client.callTool({ name: 'test_update_watched_resource', arguments: {} });
      expect(updated.length).toBe(before + 1);
    });

    it('lists resource templates and reads test://template/123/data', async () => {
      const { resourceTemplates } = await client.listResourceTemplates();
      expect(resourceTemplates).toContainEqual(
        expect.objectContaining({ uriTemplate: 'test://template/{id}/data', name: 'template-data' }),
      );
      const result = await client.readResource({ uri: 'test://template/123/data' });
      expect(result.contents).toHaveLength(1);
      const [content] = result.contents as Obj[];
      expect(content).toMatchObject({ uri: 'test://template/123/data', mimeType: 'application/json' });
      expect(JSON.parse(String(content.text))).toEqual({
        id: '123',
        templateTest: true,
        data: 'Data for ID: 123',
      });
    });

    it('lists prompts and gets them: arguments, embedded resource, image', async () => {
      const { prompts } = await client.listPrompts();
      const withArgs = prompts.find((p) => p.name === 'test_prompt_with_arguments');
      expect(withArgs?.arguments).toEqual([
        { name: 'arg1', description: 'First test argument', required: true },
        { name: 'arg2', description: 'Second test argument', required: true },
      ]);
      expect(prompts.map((p) => p.name)).toEqual(
        expect.arrayContaining([
          'test_simple_prompt',
          'test_prompt_with_embedded_resource',
          'test_prompt_with_image',
        ]),
      );

      const args = await client.getPrompt({
        name: 'test_prompt_with_arguments',
        arguments: { arg1: 'hello', arg2: 'world' },
      });
      expect(args.messages).toEqual([
        {
          role: 'user',
          content: { type: 'text', text: "Prompt with arguments: arg1='hello', arg2='world'" },
        },
      ]);

      const embedded = await client.getPrompt({
        name: 'test_prompt_with_embedded_resource',
        arguments: { resourceUri: 'test://example-resource' },
      });
      expect(embedded.messages[0]).toEqual({
        role: 'user',
        content: {
          type: 'resource',
          resource: {
            uri: 'test://example-resource',
            mimeType: 'text/plain',
            text: 'Embedded resource content for testing.',
          },
        },
      });

      const image = await client.getPrompt({ name: 'test_prompt_with_image' });
      expect(image.messages[0]).toEqual({
        role: 'user',
        content: { type: 'image', data: PNG_BASE64, mimeType: 'image/png' },
      });

      expect((await mcpErrorOf(client.getPrompt({ name: 'test_prompt_with_arguments' }))).code).toBe(-32602);
    });

    it('completes prompt arguments and template variables', async () => {
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

    it('answered every kind of request the wire check looks at', () => {
      for (const method of ['tools/list', 'tools/call', 'resources/list', 'prompts/get']) {
        expect(transport.responsesTo(method).length, method).toBeGreaterThan(0);
      }
    });

    if (wireProblems !== undefined) {
      it(`sent only messages that ${revision}'s schema declares`, () => {
        expect(wireProblems(transport)).toEqual([]);
      });
    }

    it('wrote nothing but JSON-RPC to stdout, and exits with 0 when the client closes', async () => {
      expect(transport.errors).toEqual([]);
      expect(sdkErrors).toEqual([]);
      expect(transport.stdoutLines.length).toBe(transport.received.length);
      expect(transport.nonJsonRpcLines()).toEqual([]);
      await client.close();
      expect(await transport.exited).toEqual({ code: 0, signal: null });
    });
  });
}
