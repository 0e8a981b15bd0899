import { describe, expect, it } from 'vitest';
import { LEGACY_REVISIONS, REVISIONS } from '../../src/protocol/revisions.ts';
import { checkJsonRpc, checkMessage, definitionForMethod, resultDefinition } from './schema-check.ts';

const tool = { name: 'echo', inputSchema: { type: 'object' } };

describe('checkMessage', () => {
  it('accepts a conforming value in every revision', () => {
    for (const r of LEGACY_REVISIONS) {
      expect(checkMessage(r, 'ListToolsResult', { tools: [tool] }), r).toEqual([]);
    }
  });

  it('reports schema violations', () => {
    const problems = checkMessage('2024-11-05', 'Tool', { name: 3, inputSchema: { type: 'object' } });
    expect(problems.join('\n')).toMatch(/\/name: must be string/);
  });

  it('reports a missing definition', () => {
    expect(checkMessage('2024-11-05', 'Icon', {})).toEqual(['2024-11-05 has no definition named Icon']);
  });

  it('in strict mode, reports a property the definition does not declare', () => {
    const titled = { tools: [{ ...tool, title: 'Echo' }] };
    expect(checkMessage('2024-11-05', 'ListToolsResult', titled, { strict: false })).toEqual([]);
    expect(checkMessage('2024-11-05', 'ListToolsResult', titled)).toEqual([
      '/tools/0: property "title" is not declared by Tool in 2024-11-05',
    ]);
    expect(checkMessage('2025-06-18', 'ListToolsResult', titled)).toEqual([]);
  });

  it('walks nested definitions, arrays and anyOf branches', () => {
    const audio = {
      content: [
        { type: 'text', text: 'x' },
        { type: 'audio', data: 'AAAA', mimeType: 'audio/wav' },
      ],
    };
    expect(checkMessage('2024-11-05', 'CallToolResult', audio).join('\n')).toMatch(/content\/1/);
    expect(checkMessage('2025-03-26', 'CallToolResult', audio)).toEqual([]);
    const dated = {
      content: [{ type: 'text', text: 'x', annotations: { lastModified: '2025-01-01T00:00:00Z' } }],
    };
    expect(checkMessage('2025-03-26', 'CallToolResult', dated)).toEqual([
      '/content/0/annotations: property "lastModified" is not declared by Annotations in 2025-03-26',
    ]);
    expect(checkMessage('2025-06-18', 'CallToolResult', dated)).toEqual([]);
  });

  it('leaves open objects alone: _meta, arguments, structuredContent, schemas, experimental', () => {
    const result = { content: [], structuredContent: { any: { deep: 1 } }, _meta: { 'x.y/z': 1 } };
    expect(checkMessage('2025-06-18', 'CallToolResult', result)).toEqual([]);
    const withSchema = {
      tools: [{ name: 'a', inputSchema: { type: 'object', required: ['x'], $schema: 'x' } }],
    };
    expect(checkMessage('2024-11-05', 'ListToolsResult', withSchema)).toEqual([]);
    const caps = { experimental: { mine: { anything: true } }, tools: { listChanged: true } };
    expect(checkMessage('2024-11-05', 'ServerCapabilities', caps)).toEqual([]);
  });

  it('allows the keys the base types declare: _meta in params and results', () => {
    const request = { method: 'tools/call', params: { name: 'a', _meta: { progressToken: 1 } } };
    expect(checkMessage('2024-11-05', 'CallToolRequest', request)).toEqual([]);
    const tool24 = { tools: [{ ...tool, _meta: {} }] };
    expect(checkMessage('2024-11-05', 'ListToolsResult', tool24)).toEqual([
      '/tools/0: property "_meta" is not declared by Tool in 2024-11-05',
    ]);
  });

  it('checks allOf branches with the keys of all branches', () => {
    const task = {
      taskId: 't',
      status: 'working',
      createdAt: '2025-01-01T00:00:00Z',
      lastUpdatedAt: '2025-01-01T00:00:00Z',
      ttl: null,
      _meta: {},
    };
    expect(checkMessage('2025-11-25', 'GetTaskResult', task)).toEqual([]);
    expect(checkMessage('2025-11-25', 'GetTaskResult', { ...task, bogus: 1 })).toEqual([
      '/: property "bogus" is not declared by Task in 2025-11-25',
    ]);
  });
});

describe('checkJsonRpc', () => {
  it('maps methods to definitions per revision and direction', () => {
    expect(definitionForMethod('2024-11-05', 'tools/call', 'client', 'request')).toBe('CallToolRequest');
    expect(definitionForMethod('2024-11-05', 'tools/call', 'server', 'request')).toBeUndefined();
    expect(definitionForMethod('2025-06-18', 'elicitation/create', 'server', 'request')).toBe(
      'ElicitRequest',
    );
    expect(definitionForMethod('2025-03-26', 'elicitation/create', 'server', 'request')).toBeUndefined();
    expect(
      definitionForMethod('2025-11-25', 'notifications/elicitation/complete', 'server', 'notification'),
    ).toBe('ElicitationCompleteNotification');
    expect(definitionForMethod('2026-07-28', 'notifications/cancelled', 'client', 'notification')).toBe(
      'ClientNotification',
    );
    expect(resultDefinition('2024-11-05', 'tools/list', 'server')).toEqual({
      name: 'ListToolsResult',
      whole: false,
    });
    expect(resultDefinition('2024-11-05', 'ping', 'server')).toEqual({ name: 'EmptyResult', whole: false });
    expect(resultDefinition('2024-11-05', 'roots/list', 'client')).toEqual({
      name: 'ListRootsResult',
      whole: false,
    });
    expect(resultDefinition('2025-11-25', 'initialize', 'server')).toEqual({
      name: 'InitializeResult',
      whole: false,
    });
    expect(resultDefinition('2026-07-28', 'tools/call', 'server')).toEqual({
      name: 'CallToolResultResponse',
      whole: true,
    });
  });

  it('accepts requests, notifications, results and errors in every legacy revision', () => {
    for (const r of LEGACY_REVISIONS) {
      const call = {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'a', arguments: { x: 1 } },
      };
      expect(checkJsonRpc(r, call, 'client'), r).toEqual([]);
      const note = { jsonrpc: '2.0', method: 'notifications/initialized' };
      expect(checkJsonRpc(r, note, 'client'), r).toEqual([]);
      const progress = {
        jsonrpc: '2.0',
        method: 'notifications/progress',
        params: { progressToken: 'p', progress: 1 },
      };
      expect(checkJsonRpc(r, progress, 'server'), r).toEqual([]);
      const result = { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'hi' }] } };
      expect(checkJsonRpc(r, result, 'server', { method: 'tools/call' }), r).toEqual([]);
      const error = { jsonrpc: '2.0', id: 1, error: { code: -32601, message: 'Method not found' } };
      expect(checkJsonRpc(r, error, 'server'), r).toEqual([]);
    }
  });

  it('reports a result field the revision lacks', () => {
    const result = { jsonrpc: '2.0', id: 1, result: { content: [], structuredContent: { a: 1 } } };
    expect(checkJsonRpc('2025-03-26', result, 'server', { method: 'tools/call' })).toEqual([
      '/: property "structuredContent" is not declared by CallToolResult in 2025-03-26',
    ]);
    expect(checkJsonRpc('2025-06-18', result, 'server', { method: 'tools/call' })).toEqual([]);
  });

  it('reports a params field the revision lacks', () => {
    const progress = {
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: { progressToken: 'p', progress: 1, message: 'half' },
    };
    expect(checkJsonRpc('2024-11-05', progress, 'server')).toEqual([
      '/params: property "message" is not declared by ProgressNotification in 2024-11-05',
    ]);
    expect(checkJsonRpc('2025-03-26', progress, 'server')).toEqual([]);
  });

  it('reports a method that does not exist for the sender', () => {
    const elicit = { jsonrpc: '2.0', id: 1, method: 'elicitation/create', params: {} };
    expect(checkJsonRpc('2025-03-26', elicit, 'server')).toEqual([
      'elicitation/create is not a server→peer request in 2025-03-26',
    ]);
    const list = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
    expect(checkJsonRpc('2024-11-05', list, 'server')).toHaveLength(1);
  });

  it('checks the envelope', () => {
    const bad = { jsonrpc: '1.0', id: 1, method: 'ping' };
    expect(checkJsonRpc('2024-11-05', bad, 'client').length).toBeGreaterThan(0);
    expect(checkJsonRpc('2025-11-25', bad, 'client').length).toBeGreaterThan(0);
    expect(checkJsonRpc('2024-11-05', { jsonrpc: '2.0', id: 1, result: {} }, 'server')).toEqual([
      'checking a result needs options.method (the request it answers)',
    ]);
  });

  it('checks 2026-07-28 whole responses, including their resultType', () => {
    const ok = {
      jsonrpc: '2.0',
      id: 1,
      result: { resultType: 'complete', content: [{ type: 'text', text: 'x' }] },
    };
    expect(checkJsonRpc('2026-07-28', ok, 'server', { method: 'tools/call' })).toEqual([]);
    const extra = { ...ok, result: { ...ok.result, ttlMs: 5 } };
    expect(checkJsonRpc('2026-07-28', extra, 'server', { method: 'tools/call' })).toEqual([
      '/result: property "ttlMs" is not declared by CallToolResult in 2026-07-28',
    ]);
    const missing = { jsonrpc: '2.0', id: 1, result: { content: [] } };
    expect(checkJsonRpc('2026-07-28', missing, 'server', { method: 'tools/call' }).length).toBeGreaterThan(0);
  });

  it('loads every revision', () => {
    for (const r of REVISIONS)
      expect(checkMessage(r, 'Implementation', { name: 'a', version: '1' }), r).toEqual([]);
  });
});
