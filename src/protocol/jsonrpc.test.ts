import { describe, expect, it } from 'vitest';
import {
  classify,
  depthExceeds,
  errorResponse,
  isNotification,
  isRequest,
  isResponse,
  type JsonRpcMessage,
} from './jsonrpc.ts';

describe('classify: valid messages', () => {
  it('recognises requests with string and integer ids, with and without params', () => {
    for (const m of [
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { jsonrpc: '2.0', id: 0, method: 'ping' },
      { jsonrpc: '2.0', id: -5, method: 'ping' },
      { jsonrpc: '2.0', id: 'abc', method: 'tools/call', params: { name: 'x' } },
      { jsonrpc: '2.0', id: '', method: 'tools/list', params: {} },
    ]) {
      expect(classify(m)).toEqual({ kind: 'request', message: m });
    }
  });

  it('recognises notifications', () => {
    const m = { jsonrpc: '2.0', method: 'notifications/initialized' };
    expect(classify(m)).toEqual({ kind: 'notification', message: m });
    const p = { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 2 } };
    expect(classify(p)).toEqual({ kind: 'notification', message: p });
  });

  it('recognises result and error responses, including an error with a null id', () => {
    for (const m of [
      { jsonrpc: '2.0', id: 1, result: {} },
      { jsonrpc: '2.0', id: 'x', result: { tools: [] } },
      { jsonrpc: '2.0', id: 1, error: { code: -32601, message: 'Method not found' } },
      { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error', data: { at: 3 } } },
    ]) {
      expect(classify(m)).toEqual({ kind: 'response', message: m });
    }
  });
});

describe('classify: invalid messages', () => {
  const invalid = (value: unknown) => {
    const c = classify(value);
    if (c.kind !== 'invalid') throw new Error(`expected invalid, got ${c.kind}`);
    return c;
  };

  it('rejects values that are not objects', () => {
    for (const v of [null, undefined, 1, 'x', true, [], [{ jsonrpc: '2.0', id: 1, method: 'ping' }]]) {
      expect(invalid(v)).toEqual({
        kind: 'invalid',
        id: null,
        reason: 'A JSON-RPC message must be a JSON object.',
      });
    }
  });

  it('rejects a wrong or missing jsonrpc member, keeping the id for the answer', () => {
    expect(invalid({ jsonrpc: '1.0', id: 4, method: 'ping' })).toMatchObject({ id: 4, reason: /"jsonrpc"/ });
    expect(invalid({ jsonrpc: 2, id: 'a', method: 'ping' })).toMatchObject({ id: 'a' });
    expect(invalid({ id: 4, method: 'ping' })).toMatchObject({ id: 4 });
  });

  it('rejects a request whose id is null or not a string or integer, naming the type received', () => {
    expect(invalid({ jsonrpc: '2.0', id: null, method: 'ping' })).toMatchObject({
      id: null,
      reason: /got null/,
    });
    expect(invalid({ jsonrpc: '2.0', id: 1.5, method: 'ping' })).toMatchObject({
      id: null,
      reason: 'A request id must be a string or an integer; got the number 1.5, which is not an integer.',
    });
    expect(invalid({ jsonrpc: '2.0', id: { a: 1 }, method: 'ping' })).toMatchObject({
      id: null,
      reason: 'A request id must be a string or an integer; got an object.',
    });
    expect(invalid({ jsonrpc: '2.0', id: [], method: 'ping' })).toMatchObject({
      id: null,
      reason: /got an array/,
    });
    expect(invalid({ jsonrpc: '2.0', id: true, method: 'ping' })).toMatchObject({
      id: null,
      reason: /got the boolean true/,
    });
    for (const v of [1.5, true, {}, []]) {
      expect(invalid({ jsonrpc: '2.0', id: v, method: 'ping' }).reason).not.toContain('not null');
    }
  });

  it('rejects an integer id beyond 2^53 - 1, which cannot be echoed exactly', () => {
    const parsed = JSON.parse('{"jsonrpc":"2.0","id":12345678901234567890123,"method":"tools/call"}');
    expect(invalid(parsed)).toMatchObject({ id: null, reason: /send it as a string/ });
    expect(invalid({ jsonrpc: '2.0', id: 2 ** 53, method: 'ping' })).toMatchObject({ id: null });
    expect(classify({ jsonrpc: '2.0', id: 2 ** 53 - 1, method: 'ping' }).kind).toBe('request');
    expect(classify({ jsonrpc: '2.0', id: -(2 ** 53 - 1), method: 'ping' }).kind).toBe('request');
  });

  it('rejects params that are not an object', () => {
    for (const params of [[1, 2], null, 'x', 3]) {
      expect(invalid({ jsonrpc: '2.0', id: 9, method: 'tools/call', params })).toMatchObject({
        id: 9,
        reason: 'The "params" member must be an object when present.',
      });
      expect(invalid({ jsonrpc: '2.0', method: 'notifications/progress', params })).toMatchObject({
        id: null,
      });
    }
  });

  it('rejects a method that is not a string', () => {
    expect(invalid({ jsonrpc: '2.0', id: 2, method: 5 })).toMatchObject({ id: 2, reason: /"method"/ });
    expect(invalid({ jsonrpc: '2.0', id: 2, method: null, result: {} })).toMatchObject({ id: 2 });
  });

  it('rejects a response with both result and error', () => {
    expect(invalid({ jsonrpc: '2.0', id: 3, result: {}, error: { code: 1, message: 'x' } })).toMatchObject({
      id: 3,
      reason: /not both/,
    });
  });

  it('rejects a bad error object', () => {
    for (const error of [
      null,
      'oops',
      {},
      { code: '1', message: 'x' },
      { code: 1 },
      { message: 'x' },
      { code: 1, message: 2 },
    ]) {
      expect(invalid({ jsonrpc: '2.0', id: 3, error }), JSON.stringify(error)).toMatchObject({
        id: 3,
        reason: /numeric code and a message/,
      });
    }
  });

  it('rejects responses without a usable id', () => {
    expect(invalid({ jsonrpc: '2.0', result: {} })).toMatchObject({ id: null });
    expect(invalid({ jsonrpc: '2.0', id: null, result: {} })).toMatchObject({ id: null });
    expect(invalid({ jsonrpc: '2.0', id: 1.5, result: {} })).toMatchObject({ id: null });
    expect(invalid({ jsonrpc: '2.0', id: { x: 1 }, error: { code: 1, message: 'x' } })).toMatchObject({
      id: null,
    });
  });

  it('rejects a result that is not an object', () => {
    for (const result of [null, 1, 'x', true]) {
      expect(invalid({ jsonrpc: '2.0', id: 1, result })).toMatchObject({ id: 1, reason: /object/ });
    }
  });

  it('rejects an object that is neither request nor response', () => {
    expect(invalid({ jsonrpc: '2.0', id: 1 })).toMatchObject({ id: 1, reason: /needs "method"/ });
    expect(invalid({ jsonrpc: '2.0' })).toMatchObject({ id: null });
  });
});

describe('message helpers', () => {
  it('tells requests, notifications and responses apart', () => {
    const request: JsonRpcMessage = { jsonrpc: '2.0', id: 1, method: 'ping' };
    const note: JsonRpcMessage = { jsonrpc: '2.0', method: 'notifications/initialized' };
    const response: JsonRpcMessage = { jsonrpc: '2.0', id: 1, result: {} };
    expect([isRequest(request), isNotification(request), isResponse(request)]).toEqual([true, false, false]);
    expect([isRequest(note), isNotification(note), isResponse(note)]).toEqual([false, true, false]);
    expect([isRequest(response), isNotification(response), isResponse(response)]).toEqual([
      false,
      false,
      true,
    ]);
  });

  it('builds error responses with and without data', () => {
    expect(errorResponse(1, -32601, 'No such method')).toEqual({
      jsonrpc: '2.0',
      id: 1,
      error: { code: -32601, message: 'No such method' },
    });
    expect(errorResponse(null, -32700, 'Parse error', { at: 0 })).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32700, message: 'Parse error', data: { at: 0 } },
    });
  });
});

describe('depthExceeds', () => {
  function nestedArrays(depth: number): unknown {
    let v: unknown = [];
    for (let i = 1; i < depth; i++) v = [v];
    return v;
  }

  function nestedObjects(depth: number): unknown {
    let v: unknown = {};
    for (let i = 1; i < depth; i++) v = { a: v, b: 1 };
    return v;
  }

  it('counts a scalar as depth 0 and each array or object level as one', () => {
    expect(depthExceeds(5, 0)).toBe(false);
    expect(depthExceeds(null, 0)).toBe(false);
    expect(depthExceeds('x', 0)).toBe(false);
    expect(depthExceeds([], 0)).toBe(true);
    expect(depthExceeds([], 1)).toBe(false);
    expect(depthExceeds(nestedArrays(10), 10)).toBe(false);
    expect(depthExceeds(nestedArrays(11), 10)).toBe(true);
    expect(depthExceeds(nestedObjects(10), 10)).toBe(false);
    expect(depthExceeds(nestedObjects(11), 10)).toBe(true);
  });

  it('finds the deepest branch among wide siblings', () => {
    const wide = { a: [1, 2, 3], b: { c: { d: [[]] } }, e: Array.from({ length: 1000 }, () => ({})) };
    expect(depthExceeds(wide, 5)).toBe(false);
    expect(depthExceeds(wide, 4)).toBe(true);
  });

  it('does not overflow the stack on values 100,000 levels deep', () => {
    const deep = nestedArrays(100_000);
    expect(() => depthExceeds(deep, 64)).not.toThrow();
    expect(depthExceeds(deep, 64)).toBe(true);
    expect(depthExceeds(deep, 100_000)).toBe(false);
    expect(depthExceeds(nestedObjects(100_000), 99_999)).toBe(true);
  });

  it('handles a value parsed from 100,000 nested brackets', () => {
    const parsed: unknown = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(depthExceeds(parsed, 128)).toBe(true);
  });
});

describe('basic: responses (edge cases the schemas settle)', () => {
  it('rejects an array result, accepts an error response without id, rejects a fractional error code', () => {
    expect(classify({ jsonrpc: '2.0', id: 1, result: [] }).kind).toBe('invalid');
    const noId = classify({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' } });
    expect(noId.kind).toBe('response');
    expect(classify({ jsonrpc: '2.0', id: 1, error: { code: 1.5, message: 'x' } }).kind).toBe('invalid');
  });
});
