/**
 * Maximal messages for every method whose shape differs between revisions, with the helpers that shape
 * them: shared by src/protocol/shape.test.ts (what each revision receives) and shape.schema.test.ts (each
 * shaped message against the revision's own schema).
 */

import { serverRequestExists } from '../../src/protocol/methods.ts';
import type { Revision } from '../../src/protocol/revisions.ts';
import { shapeParams, shapeResult } from '../../src/protocol/shape.ts';
import type { Direction } from './schema-check.ts';

export type Obj = Record<string, unknown>;

export function freeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) freeze(v);
    Object.freeze(value);
  }
  return value;
}

// Every field of 2025-11-25, the newest stateful revision.
export const meta = { 'example.com/trace': 'abc' };
export const icons = [
  { src: 'https://example.com/icon.png', mimeType: 'image/png', sizes: ['48x48'], theme: 'light' },
];
export const annotations = {
  audience: ['user', 'assistant'],
  priority: 0.5,
  lastModified: '2025-01-01T00:00:00Z',
};
export const implementation = {
  name: 'weather-server',
  version: '1.0.0',
  title: 'Weather',
  description: 'Forecasts',
  icons,
  websiteUrl: 'https://example.com',
};
export const tool = {
  name: 'forecast',
  title: 'Forecast',
  description: 'Tomorrow',
  inputSchema: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
  outputSchema: { type: 'object', properties: { celsius: { type: 'number' } }, required: ['celsius'] },
  annotations: {
    title: 'Forecast',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: true,
  },
  icons,
  execution: { taskSupport: 'optional' },
  _meta: meta,
};
export const resource = {
  uri: 'file:///notes.txt',
  name: 'notes',
  title: 'Notes',
  description: 'My notes',
  mimeType: 'text/plain',
  size: 5,
  annotations,
  icons,
  _meta: meta,
};
export const template = {
  uriTemplate: 'file:///{path}',
  name: 'files',
  title: 'Files',
  description: 'Any file',
  mimeType: 'text/plain',
  annotations,
  icons,
  _meta: meta,
};
export const textContents = { uri: 'file:///notes.txt', mimeType: 'text/plain', text: 'hello', _meta: meta };
export const blobContents = {
  uri: 'file:///a.bin',
  mimeType: 'application/octet-stream',
  blob: 'AAEC',
  _meta: meta,
};
export const text = { type: 'text', text: 'hello', annotations, _meta: meta };
export const image = { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png', annotations, _meta: meta };
export const audio = { type: 'audio', data: 'UklGRg==', mimeType: 'audio/wav', annotations, _meta: meta };
export const link = { type: 'resource_link', ...resource };
export const embeddedText = { type: 'resource', resource: textContents, annotations, _meta: meta };
export const embeddedBlob = { type: 'resource', resource: blobContents, annotations, _meta: meta };
export const blocks = [text, image, audio, link, embeddedText, embeddedBlob];
export const toolUse = { type: 'tool_use', id: 'u1', name: 'forecast', input: { city: 'Oslo' }, _meta: meta };
export const toolResult = {
  type: 'tool_result',
  toolUseId: 'u1',
  content: [text],
  structuredContent: { celsius: 3 },
  isError: false,
  _meta: meta,
};
export const prompt = {
  name: 'summarize',
  title: 'Summarize',
  description: 'Summarize a text',
  arguments: [{ name: 'text', title: 'Text', description: 'What to summarize', required: true }],
  icons,
  _meta: meta,
};
export const formSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: {
    email: {
      type: 'string',
      title: 'Email',
      description: 'Where to write',
      minLength: 3,
      maxLength: 99,
      format: 'email',
      default: 'a@example.com',
    },
    age: { type: 'integer', title: 'Age', description: 'Years', minimum: 0, maximum: 150, default: 30 },
    subscribe: { type: 'boolean', title: 'Subscribe', description: 'News', default: true },
    color: { type: 'string', title: 'Color', description: 'One', enum: ['red', 'green'], default: 'red' },
    size: {
      type: 'string',
      title: 'Size',
      description: 'One',
      oneOf: [
        { const: 's', title: 'Small' },
        { const: 'l', title: 'Large' },
      ],
      default: 's',
    },
    legacy: { type: 'string', title: 'Legacy', enum: ['a', 'b'], enumNames: ['A', 'B'], default: 'a' },
    tags: {
      type: 'array',
      title: 'Tags',
      description: 'Any',
      minItems: 1,
      maxItems: 2,
      items: { type: 'string', enum: ['x', 'y'] },
      default: ['x'],
    },
    labels: {
      type: 'array',
      title: 'Labels',
      items: { anyOf: [{ const: 'x', title: 'X' }] },
      default: ['x'],
    },
  },
  required: ['email', 'tags'],
};

export interface Case {
  method: string;
  /** Who sends the message. */
  from: Direction;
  kind: 'result' | 'request' | 'notification';
  value: (r: Revision) => Obj;
  /** Whether the value holds a field or block 2024-11-05 lacks. */
  later: boolean;
}

export const CASES: Case[] = [
  {
    method: 'initialize',
    from: 'server',
    kind: 'result',
    later: true,
    value: (r) => ({
      protocolVersion: r,
      capabilities: {
        experimental: { mine: { on: true } },
        logging: {},
        completions: {},
        prompts: { listChanged: true },
        resources: { subscribe: true, listChanged: true },
        tools: { listChanged: true },
        tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } },
      },
      serverInfo: implementation,
      instructions: 'Ask about the weather.',
      _meta: meta,
    }),
  },
  {
    method: 'tools/list',
    from: 'server',
    kind: 'result',
    later: true,
    value: () => ({ tools: [tool], nextCursor: 'c', _meta: meta }),
  },
  {
    method: 'tools/call',
    from: 'server',
    kind: 'result',
    later: true,
    value: () => ({ content: blocks, structuredContent: { celsius: 3 }, isError: false, _meta: meta }),
  },
  {
    method: 'resources/list',
    from: 'server',
    kind: 'result',
    later: true,
    value: () => ({ resources: [resource], nextCursor: 'c', _meta: meta }),
  },
  {
    method: 'resources/templates/list',
    from: 'server',
    kind: 'result',
    later: true,
    value: () => ({ resourceTemplates: [template], nextCursor: 'c', _meta: meta }),
  },
  {
    method: 'resources/read',
    from: 'server',
    kind: 'result',
    later: true,
    value: () => ({ contents: [textContents, blobContents], _meta: meta }),
  },
  {
    method: 'prompts/list',
    from: 'server',
    kind: 'result',
    later: true,
    value: () => ({ prompts: [prompt], nextCursor: 'c', _meta: meta }),
  },
  {
    method: 'prompts/get',
    from: 'server',
    kind: 'result',
    later: true,
    value: () => ({
      description: 'A prompt',
      messages: blocks.map((content, i) => ({ role: i % 2 ? 'assistant' : 'user', content })),
      _meta: meta,
    }),
  },
  {
    method: 'completion/complete',
    from: 'server',
    kind: 'result',
    later: false,
    value: () => ({ completion: { values: ['Oslo'], total: 1, hasMore: false }, _meta: meta }),
  },
  {
    method: 'roots/list',
    from: 'client',
    kind: 'result',
    later: true,
    value: () => ({ roots: [{ uri: 'file:///home', name: 'home', _meta: meta }], _meta: meta }),
  },
  {
    method: 'sampling/createMessage',
    from: 'client',
    kind: 'result',
    later: true,
    value: () => ({
      role: 'assistant',
      content: [text, toolUse],
      model: 'm',
      stopReason: 'toolUse',
      _meta: meta,
    }),
  },
  {
    method: 'sampling/createMessage',
    from: 'client',
    kind: 'result',
    later: true,
    value: () => ({ role: 'assistant', content: audio, model: 'm', stopReason: 'endTurn', _meta: meta }),
  },
  {
    method: 'notifications/progress',
    from: 'server',
    kind: 'notification',
    later: true,
    value: () => ({ progressToken: 'p', progress: 1, total: 2, message: 'Half way', _meta: meta }),
  },
  {
    method: 'sampling/createMessage',
    from: 'server',
    kind: 'request',
    later: true,
    value: () => ({
      messages: [
        { role: 'user', content: text, _meta: meta },
        { role: 'user', content: [text, image, audio] },
        { role: 'assistant', content: [toolUse] },
        { role: 'user', content: [toolResult] },
        { role: 'user', content: audio },
      ],
      modelPreferences: {
        hints: [{ name: 'example-model' }],
        costPriority: 0.2,
        speedPriority: 0.3,
        intelligencePriority: 0.9,
      },
      systemPrompt: 'Be brief.',
      includeContext: 'thisServer',
      temperature: 0.2,
      maxTokens: 100,
      stopSequences: ['END'],
      metadata: { provider: { any: 1 } },
      tools: [tool],
      toolChoice: { mode: 'auto' },
      task: { ttl: 60000 },
      _meta: { progressToken: 'p', ...meta },
    }),
  },
  {
    method: 'elicitation/create',
    from: 'server',
    kind: 'request',
    later: true,
    value: () => ({
      mode: 'form',
      message: 'Who are you?',
      requestedSchema: formSchema,
      task: { ttl: 1 },
      _meta: meta,
    }),
  },
  {
    method: 'tools/call',
    from: 'client',
    kind: 'request',
    later: true,
    value: () => ({
      name: 'forecast',
      arguments: { city: 'Oslo' },
      task: { ttl: 1 },
      _meta: { progressToken: 1 },
    }),
  },
  {
    method: 'completion/complete',
    from: 'client',
    kind: 'request',
    later: true,
    value: () => ({
      ref: { type: 'ref/prompt', name: 'summarize', title: 'Summarize' },
      argument: { name: 'text', value: 'he' },
      context: { arguments: { lang: 'en' } },
      _meta: meta,
    }),
  },
];

export function shape(c: Case, value: Obj, r: Revision): Obj | undefined {
  return c.kind === 'result' ? shapeResult(c.method, value, r) : shapeParams(c.method, value, r);
}

export function wire(c: Case, value: Obj | undefined): Obj {
  if (c.kind === 'result') return { jsonrpc: '2.0', id: 7, result: value };
  if (c.kind === 'request') return { jsonrpc: '2.0', id: 7, method: c.method, params: value };
  return { jsonrpc: '2.0', method: c.method, params: value };
}

export function exists(c: Case, r: Revision): boolean {
  return !(c.from === 'server' && c.kind === 'request') || serverRequestExists(c.method, r);
}
