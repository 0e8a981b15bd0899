/** The reference server's tools: the conformance suite's names, plus a few that show more features. */

import type { HttpMessageInfo } from '../http/index.ts';
import type { ElicitFormParams } from '../protocol/index.ts';
import type { McpServer } from '../server/index.ts';
import { PNG_BASE64, sleep, WAV_BASE64 } from './fixtures.ts';

const NO_ARGS = { type: 'object', properties: {} } as const;

/** Hooks a host can give the reference server. */
export interface ReferenceHooks {
  /** Called when a tool wants to close its own SSE stream (besides the transport's own closeSseStream). */
  closeRequestStream?: (sessionId: string | undefined, requestId: string | number) => void;
}

/** Registers the content tools: text, image, audio, embedded resource, mixed, error. */
export function registerContentTools(server: McpServer): void {
  server.tool(
    'test_simple_text',
    { description: 'Returns a simple text response.', input: NO_ARGS },
    () => 'This is a simple text response for testing.',
  );
  server.tool('test_image_content', { description: 'Returns an image (a 1×1 PNG).', input: NO_ARGS }, () => ({
    content: [{ type: 'image', data: PNG_BASE64, mimeType: 'image/png' }],
  }));
  server.tool('test_audio_content', { description: 'Returns audio (a tiny WAV).', input: NO_ARGS }, () => ({
    content: [{ type: 'audio', data: WAV_BASE64, mimeType: 'audio/wav' }],
  }));
  server.tool(
    'test_embedded_resource',
    { description: 'Returns an embedded text resource.', input: NO_ARGS },
    () => ({
      content: [
        {
          type: 'resource',
          resource: {
            uri: 'test://embedded-resource',
            mimeType: 'text/plain',
            text: 'This is an embedded resource content.',
          },
        },
      ],
    }),
  );
  server.tool(
    'test_multiple_content_types',
    { description: 'Returns text, an image and an embedded resource.', input: NO_ARGS },
    () => ({
      content: [
        { type: 'text', text: 'Multiple content types test:' },
        { type: 'image', data: PNG_BASE64, mimeType: 'image/png' },
        {
          type: 'resource',
          resource: {
            uri: 'test://mixed-content-resource',
            mimeType: 'application/json',
            text: JSON.stringify({ test: 'data', value: 123 }),
          },
        },
      ],
    }),
  );
  server.tool(
    'test_error_handling',
    { description: 'Always fails, as a tool execution error.', input: NO_ARGS },
    () => ({
      content: [{ type: 'text', text: 'This tool intentionally returns an error for testing' }],
      isError: true,
    }),
  );
  server.tool(
    'json_schema_2020_12_tool',
    {
      description: 'Takes arguments described by a JSON Schema 2020-12 document with $defs and $ref.',
      input: {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        $defs: {
          address: {
            $anchor: 'addressDef',
            type: 'object',
            properties: { street: { type: 'string' }, city: { type: 'string' } },
          },
        },
        properties: {
          name: { type: 'string' },
          address: { $ref: '#/$defs/address' },
          contactMethod: { type: 'string', enum: ['phone', 'email'] },
          phone: { type: 'string' },
          email: { type: 'string' },
        },
        allOf: [{ anyOf: [{ required: ['phone'] }, { required: ['email'] }] }],
        if: { properties: { contactMethod: { const: 'phone' } } },
        // biome-ignore lint/suspicious/noThenProperty: 'then' is a JSON Schema keyword here.
        then: { required: ['phone'] },
        else: { required: ['email'] },
        additionalProperties: false,
      },
    },
    (args) => `Received: ${JSON.stringify(args)}`,
  );
  server.tool(
    'add',
    {
      title: 'Add two numbers',
      description: 'Adds two numbers and returns the sum as structured output.',
      input: {
        type: 'object',
        properties: { a: { type: 'number' }, b: { type: 'number' } },
        required: ['a', 'b'],
      },
      output: { type: 'object', properties: { sum: { type: 'number' } }, required: ['sum'] },
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
      icons: [{ src: `data:image/png;base64,${PNG_BASE64}`, mimeType: 'image/png', sizes: ['1x1'] }],
    },
    (args) => {
      const { a, b } = args as { a: number; b: number };
      return { structuredContent: { sum: a + b } };
    },
  );
}

/** Registers the tools that talk back during a call: logging, progress, reconnection. */
export function registerStreamingTools(server: McpServer, hooks: ReferenceHooks): void {
  server.tool(
    'test_tool_with_logging',
    { description: 'Sends three log messages while it runs.', input: NO_ARGS },
    async (_args, ctx) => {
      await ctx.log('info', 'Tool execution started');
      await sleep(50, ctx.signal);
      await ctx.log('info', 'Tool processing data');
      await sleep(50, ctx.signal);
      await ctx.log('info', 'Tool execution completed');
      return 'Logging test completed: three messages sent.';
    },
  );
  server.tool(
    'test_tool_with_progress',
    { description: 'Reports progress 0, 50 and 100 of 100.', input: NO_ARGS },
    async (_args, ctx) => {
      await ctx.progress(0, 100);
      await sleep(50, ctx.signal);
      await ctx.progress(50, 100);
      await sleep(50, ctx.signal);
      await ctx.progress(100, 100);
      return `Progress test completed (token ${JSON.stringify(ctx.meta?.progressToken ?? null)}).`;
    },
  );
  server.tool(
    'test_long_operation',
    {
      description: 'Runs for `seconds` seconds, reporting progress every 100 ms; cancellable.',
      input: { type: 'object', properties: { seconds: { type: 'number', minimum: 0, maximum: 600 } } },
    },
    async (args, ctx) => {
      const seconds = (args as { seconds?: number }).seconds ?? 1;
      const steps = Math.max(1, Math.round(seconds * 10));
      for (let i = 1; i <= steps; i++) {
        await sleep(100, ctx.signal);
        if (ctx.signal.aborted) return { content: [{ type: 'text', text: 'Cancelled.' }], isError: true };
        await ctx.progress(i, steps, `step ${i} of ${steps}`);
      }
      return `Finished after ${seconds} s.`;
    },
  );
  server.tool(
    'test_reconnection',
    {
      description: 'Closes its response stream mid-call; the result arrives on the resumed stream.',
      input: NO_ARGS,
    },
    async (_args, ctx) => {
      if (!(ctx.info as HttpMessageInfo | undefined)?.closeSseStream?.())
        hooks.closeRequestStream?.(ctx.session.id, ctx.requestId);
      await sleep(100, ctx.signal);
      return 'Reconnection test completed: the result came after the stream was closed.';
    },
  );
}

const DEFAULTS_SCHEMA: ElicitFormParams['requestedSchema'] = {
  type: 'object',
  properties: {
    name: { type: 'string', description: 'Your name', default: 'John Doe' },
    age: { type: 'integer', description: 'Your age', default: 30 },
    score: { type: 'number', description: 'Your score', default: 95.5 },
    status: {
      type: 'string',
      description: 'Status',
      enum: ['active', 'inactive', 'pending'],
      default: 'active',
    },
    verified: { type: 'boolean', description: 'Verified', default: true },
  },
  required: [],
};

const ENUMS_SCHEMA: ElicitFormParams['requestedSchema'] = {
  type: 'object',
  properties: {
    untitledSingle: { type: 'string', description: 'Pick one', enum: ['option1', 'option2', 'option3'] },
    titledSingle: {
      type: 'string',
      description: 'Pick one (titled)',
      oneOf: [
        { const: 'value1', title: 'First Option' },
        { const: 'value2', title: 'Second Option' },
        { const: 'value3', title: 'Third Option' },
      ],
    },
    legacyEnum: {
      type: 'string',
      description: 'Pick one (legacy)',
      enum: ['opt1', 'opt2', 'opt3'],
      enumNames: ['Option One', 'Option Two', 'Option Three'],
    },
    untitledMulti: {
      type: 'array',
      description: 'Pick several',
      items: { type: 'string', enum: ['option1', 'option2', 'option3'] },
      minItems: 1,
      maxItems: 3,
    },
    titledMulti: {
      type: 'array',
      description: 'Pick several (titled)',
      items: {
        anyOf: [
          { const: 'value1', title: 'First Choice' },
          { const: 'value2', title: 'Second Choice' },
          { const: 'value3', title: 'Third Choice' },
        ],
      },
      minItems: 1,
      maxItems: 3,
    },
  },
  required: [],
};

/** Registers the tools that ask the client: sampling, elicitation, roots. */
export function registerClientRequestTools(server: McpServer): void {
  server.tool(
    'test_sampling',
    {
      description: "Asks the client's model to answer a prompt (sampling).",
      input: { type: 'object', properties: { prompt: { type: 'string' } }, required: ['prompt'] },
    },
    async (args, ctx) => {
      const result = await ctx.sample({
        messages: [
          { role: 'user', content: { type: 'text', text: String((args as { prompt: string }).prompt) } },
        ],
        maxTokens: 100,
      });
      const content = Array.isArray(result.content) ? result.content[0] : result.content;
      const text = content && content.type === 'text' ? content.text : JSON.stringify(content);
      return `LLM response: ${text}`;
    },
  );
  server.tool(
    'test_elicitation',
    {
      description: 'Asks the user for a username and an email (form elicitation).',
      input: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
    },
    async (args, ctx) => {
      const result = await ctx.elicit({
        message: String((args as { message: string }).message),
        requestedSchema: {
          type: 'object',
          properties: {
            username: { type: 'string', description: "User's response" },
            email: { type: 'string', description: "User's email address" },
          },
          required: ['username', 'email'],
        },
      });
      return `User response: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`;
    },
  );
  server.tool(
    'test_elicitation_sep1034_defaults',
    { description: 'Asks for a form whose fields all have defaults.', input: NO_ARGS },
    async (_args, ctx) => {
      const r = await ctx.elicit({
        message: 'Please review your information',
        requestedSchema: DEFAULTS_SCHEMA,
      });
      return `Elicitation completed: action=${r.action}, content=${JSON.stringify(r.content ?? {})}`;
    },
  );
  server.tool(
    'test_elicitation_sep1330_enums',
    { description: 'Asks for a form with every enum shape.', input: NO_ARGS },
    async (_args, ctx) => {
      const r = await ctx.elicit({ message: 'Please choose options', requestedSchema: ENUMS_SCHEMA });
      return `Elicitation completed: action=${r.action}, content=${JSON.stringify(r.content ?? {})}`;
    },
  );
  server.tool(
    'test_url_elicitation',
    { description: 'Asks the user to open a URL (URL-mode elicitation, 2025-11-25).', input: NO_ARGS },
    async (_args, ctx) => {
      const r = await ctx.elicit({
        mode: 'url',
        message: 'Please open this page to continue.',
        url: 'https://example.com/authorize?step=1',
        elicitationId: crypto.randomUUID(),
      });
      return `URL elicitation: action=${r.action}`;
    },
  );
  server.tool(
    'test_list_roots',
    { description: "Lists the client's roots.", input: NO_ARGS },
    async (_args, ctx) => {
      const r = await ctx.listRoots();
      return `Roots: ${JSON.stringify(r.roots)}`;
    },
  );
}
