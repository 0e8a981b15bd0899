import { describe, expect, it } from 'vitest';
import { checkJsonRpc, type Direction } from '../../test/support/schema-check.ts';
import { serverRequestExists } from './methods.ts';
import { LEGACY_REVISIONS, type Revision } from './revisions.ts';
import { shapeContent, shapeParams, shapeResult } from './shape.ts';

type Obj = Record<string, unknown>;

function freeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) freeze(v);
    Object.freeze(value);
  }
  return value;
}

// Every field of 2025-11-25, the newest stateful revision.
const meta = { 'example.com/trace': 'abc' };
const icons = [
  { src: 'https://example.com/icon.png', mimeType: 'image/png', sizes: ['48x48'], theme: 'light' },
];
const annotations = { audience: ['user', 'assistant'], priority: 0.5, lastModified: '2025-01-01T00:00:00Z' };
const implementation = {
  name: 'weather-server',
  version: '1.0.0',
  title: 'Weather',
  description: 'Forecasts',
  icons,
  websiteUrl: 'https://example.com',
};
const tool = {
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
const resource = {
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
const template = {
  uriTemplate: 'file:///{path}',
  name: 'files',
  title: 'Files',
  description: 'Any file',
  mimeType: 'text/plain',
  annotations,
  icons,
  _meta: meta,
};
const textContents = { uri: 'file:///notes.txt', mimeType: 'text/plain', text: 'hello', _meta: meta };
const blobContents = {
  uri: 'file:///a.bin',
  mimeType: 'application/octet-stream',
  blob: 'AAEC',
  _meta: meta,
};
const text = { type: 'text', text: 'hello', annotations, _meta: meta };
const image = { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png', annotations, _meta: meta };
const audio = { type: 'audio', data: 'UklGRg==', mimeType: 'audio/wav', annotations, _meta: meta };
const link = { type: 'resource_link', ...resource };
const embeddedText = { type: 'resource', resource: textContents, annotations, _meta: meta };
const embeddedBlob = { type: 'resource', resource: blobContents, annotations, _meta: meta };
const blocks = [text, image, audio, link, embeddedText, embeddedBlob];
const toolUse = { type: 'tool_use', id: 'u1', name: 'forecast', input: { city: 'Oslo' }, _meta: meta };
const toolResult = {
  type: 'tool_result',
  toolUseId: 'u1',
  content: [text],
  structuredContent: { celsius: 3 },
  isError: false,
  _meta: meta,
};
const prompt = {
  name: 'summarize',
  title: 'Summarize',
  description: 'Summarize a text',
  arguments: [{ name: 'text', title: 'Text', description: 'What to summarize', required: true }],
  icons,
  _meta: meta,
};
const formSchema = {
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

interface Case {
  method: string;
  /** Who sends the message. */
  from: Direction;
  kind: 'result' | 'request' | 'notification';
  value: (r: Revision) => Obj;
  /** Whether the value holds a field or block 2024-11-05 lacks. */
  later: boolean;
}

const CASES: Case[] = [
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

function shape(c: Case, value: Obj, r: Revision): Obj | undefined {
  return c.kind === 'result' ? shapeResult(c.method, value, r) : shapeParams(c.method, value, r);
}

function wire(c: Case, value: Obj | undefined): Obj {
  if (c.kind === 'result') return { jsonrpc: '2.0', id: 7, result: value };
  if (c.kind === 'request') return { jsonrpc: '2.0', id: 7, method: c.method, params: value };
  return { jsonrpc: '2.0', method: c.method, params: value };
}

function exists(c: Case, r: Revision): boolean {
  return !(c.from === 'server' && c.kind === 'request') || serverRequestExists(c.method, r);
}

function check(c: Case, value: Obj | undefined, r: Revision): string[] {
  return checkJsonRpc(r, wire(c, value), c.from, { method: c.method });
}

describe('shaping maximal messages for every stateful revision', () => {
  for (const r of LEGACY_REVISIONS) {
    for (const c of CASES) {
      if (!exists(c, r)) continue;
      it(`${r} ${c.kind} ${c.method} conforms in strict mode`, () => {
        const value = freeze(c.value(r));
        expect(check(c, shape(c, value, r), r)).toEqual([]);
      });
    }
  }

  it('2024-11-05 rejects the unshaped messages, so the checks above can fail', () => {
    for (const c of CASES.filter((x) => x.later && exists(x, '2024-11-05'))) {
      expect(check(c, c.value('2024-11-05'), '2024-11-05'), c.method).not.toEqual([]);
    }
  });

  it('returns 2025-11-25 messages as the same object', () => {
    for (const c of CASES) {
      const value = c.value('2025-11-25');
      expect(shape(c, value, '2025-11-25'), c.method).toBe(value);
    }
  });

  it('leaves unknown methods and missing params alone', () => {
    const value = { title: 'x' };
    expect(shapeResult('custom/thing', value, '2024-11-05')).toBe(value);
    expect(shapeParams('tools/call', undefined, '2024-11-05')).toBeUndefined();
  });
});

describe('what each revision receives', () => {
  const result = (method: string, r: Revision) => {
    const c = CASES.find((x) => x.method === method && x.kind === 'result') as Case;
    return shapeResult(method, freeze(c.value(r)), r);
  };
  const params = (method: string, r: Revision) => {
    const c = CASES.find((x) => x.method === method && x.kind !== 'result') as Case;
    return shapeParams(method, freeze(c.value(r)), r) as Obj;
  };

  it('drops blocks a revision lacks and turns resource links into text before 2025-06-18', () => {
    const types = (r: Revision) => (result('tools/call', r).content as Obj[]).map((b) => b.type);
    expect(types('2024-11-05')).toEqual(['text', 'image', 'text', 'resource', 'resource']);
    expect(types('2025-03-26')).toEqual(['text', 'image', 'audio', 'text', 'resource', 'resource']);
    expect(types('2025-06-18')).toEqual(['text', 'image', 'audio', 'resource_link', 'resource', 'resource']);
    expect((result('tools/call', '2025-03-26').content as Obj[])[3]).toEqual({
      type: 'text',
      text: 'notes: file:///notes.txt',
    });
    expect(result('tools/call', '2025-03-26')).not.toHaveProperty('structuredContent');
    expect(result('tools/call', '2025-06-18')).toHaveProperty('structuredContent', { celsius: 3 });
  });

  it('replaces a prompt message block the revision lacks with empty text', () => {
    const messages = result('prompts/get', '2024-11-05').messages as Obj[];
    expect(messages).toHaveLength(6);
    expect(messages[2]).toEqual({ role: 'user', content: { type: 'text', text: '' } });
  });

  it('keeps tool annotations from 2025-03-26 and titles, output schemas and _meta from 2025-06-18', () => {
    const tools = (r: Revision) => (result('tools/list', r).tools as Obj[])[0];
    expect(Object.keys(tools('2024-11-05')).sort()).toEqual(['description', 'inputSchema', 'name']);
    expect(tools('2025-03-26')).toHaveProperty('annotations');
    expect(Object.keys(tools('2025-06-18')).sort()).toEqual([
      '_meta',
      'annotations',
      'description',
      'inputSchema',
      'name',
      'outputSchema',
      'title',
    ]);
  });

  it('declares the completions capability from 2025-03-26 and tasks only in 2025-11-25', () => {
    const caps = (r: Revision) => Object.keys(result('initialize', r).capabilities as Obj).sort();
    expect(caps('2024-11-05')).toEqual(['experimental', 'logging', 'prompts', 'resources', 'tools']);
    expect(caps('2025-06-18')).toContain('completions');
    expect(caps('2025-06-18')).not.toContain('tasks');
    expect(result('initialize', '2025-06-18').serverInfo).toEqual({
      name: 'weather-server',
      version: '1.0.0',
      title: 'Weather',
    });
  });

  it('drops the 2026-07-28 extensions capability for 2025-11-25, keeping the rest as it is', () => {
    const init = freeze({
      protocolVersion: '2025-11-25',
      capabilities: { tools: {}, extensions: { 'a.b/c': {} } },
    });
    const shaped = shapeResult('initialize', init, '2025-11-25');
    expect(shaped.capabilities).toEqual({ tools: {} });
    const list = freeze({ tools: [tool] });
    expect(shapeResult('tools/list', list, '2025-11-25')).toBe(list);
  });

  it('splits sampling messages into one block each before 2025-11-25, without tool blocks', () => {
    const messages = (r: Revision) =>
      (params('sampling/createMessage', r).messages as Obj[]).map((m) => [m.role, (m.content as Obj).type]);
    expect(messages('2024-11-05')).toEqual([
      ['user', 'text'],
      ['user', 'text'],
      ['user', 'image'],
    ]);
    expect(messages('2025-06-18')).toEqual([
      ['user', 'text'],
      ['user', 'text'],
      ['user', 'image'],
      ['user', 'audio'],
      ['user', 'audio'],
    ]);
    const p = params('sampling/createMessage', '2025-06-18');
    for (const key of ['tools', 'toolChoice', 'task']) expect(p).not.toHaveProperty(key);
    expect(p.maxTokens).toBe(100);
  });

  it('answers sampling with one block before 2025-11-25', () => {
    const c = CASES.filter((x) => x.method === 'sampling/createMessage' && x.kind === 'result');
    const first = shapeResult('sampling/createMessage', c[0].value('2025-06-18'), '2025-06-18');
    expect(first.content).toEqual({ type: 'text', text: 'hello', annotations, _meta: meta });
    const second = shapeResult('sampling/createMessage', c[1].value('2024-11-05'), '2024-11-05');
    expect(second.content).toEqual({ type: 'text', text: '' });
  });

  it('writes elicitation forms as 2025-06-18 knows them', () => {
    const p = params('elicitation/create', '2025-06-18');
    expect(p).not.toHaveProperty('mode');
    expect(p).not.toHaveProperty('task');
    const form = p.requestedSchema as { properties: Record<string, Obj>; required: string[] };
    expect(form).not.toHaveProperty('$schema');
    expect(Object.keys(form.properties)).toEqual(['email', 'age', 'subscribe', 'color', 'size', 'legacy']);
    expect(form.required).toEqual(['email']);
    expect(form.properties.size).toEqual({
      type: 'string',
      title: 'Size',
      description: 'One',
      enum: ['s', 'l'],
      enumNames: ['Small', 'Large'],
    });
    expect(form.properties.subscribe.default).toBe(true);
    expect(form.properties.email).not.toHaveProperty('default');
  });

  it('drops progress messages and completion context where they did not exist', () => {
    expect(params('notifications/progress', '2024-11-05')).not.toHaveProperty('message');
    expect(params('notifications/progress', '2025-03-26')).toHaveProperty('message', 'Half way');
    expect(params('completion/complete', '2025-03-26')).not.toHaveProperty('context');
    expect(params('completion/complete', '2025-03-26').ref).toEqual({
      type: 'ref/prompt',
      name: 'summarize',
    });
    expect(params('completion/complete', '2025-06-18')).toHaveProperty('context');
  });

  it('drops task-augmented fields for 2026-07-28', () => {
    const list = freeze({ tools: [tool], resultType: 'complete', ttlMs: 0, cacheScope: 'public' });
    const shaped = shapeResult('tools/list', list, '2026-07-28');
    expect((shaped.tools as Obj[])[0]).not.toHaveProperty('execution');
    const message = { jsonrpc: '2.0', id: 1, result: shaped };
    expect(checkJsonRpc('2026-07-28', message, 'server', { method: 'tools/list' })).toEqual([]);
    expect(
      checkJsonRpc('2026-07-28', { ...message, result: list }, 'server', { method: 'tools/list' }),
    ).not.toEqual([]);
  });

  it('shapes a single content block', () => {
    expect(shapeContent(audio, '2024-11-05')).toBeUndefined();
    expect(shapeContent(text, '2025-03-26')).toEqual({
      type: 'text',
      text: 'hello',
      annotations: { audience: ['user', 'assistant'], priority: 0.5 },
    });
    expect(shapeContent(text, '2025-11-25')).toBe(text);
  });
});
