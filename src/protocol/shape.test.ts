import { describe, expect, it } from 'vitest';
import {
  annotations,
  audio,
  CASES,
  type Case,
  freeze,
  meta,
  type Obj,
  shape,
  text,
  tool,
} from '../../test/support/shape-cases.ts';
import type { Revision } from './revisions.ts';
import { shapeContent, shapeParams, shapeResult } from './shape.ts';

describe('shaping maximal messages for every stateful revision', () => {
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
