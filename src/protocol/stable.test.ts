import { describe, expect, it } from 'vitest';
import { shapeResult } from './shape.ts';
import { markStable, messageText } from './stable.ts';

describe('stable results', () => {
  it('are written as JSON.stringify writes the message, and their text is made once', () => {
    const result = markStable({ tools: [{ name: 'a', inputSchema: { type: 'object' } }] });
    const first = messageText({ jsonrpc: '2.0', id: 7, result });
    expect(JSON.parse(first)).toEqual({ jsonrpc: '2.0', id: 7, result });
    expect(first).toBe(JSON.stringify({ jsonrpc: '2.0', id: 7, result }));
    // The text is kept: a later change of the (supposedly unchanging) result is not seen.
    (result.tools[0] as { name: string }).name = 'changed';
    expect(messageText({ jsonrpc: '2.0', id: 'x', result })).toBe(
      '{"jsonrpc":"2.0","id":"x","result":{"tools":[{"name":"a","inputSchema":{"type":"object"}}]}}',
    );
  });

  it('other messages are plain JSON.stringify', () => {
    const result = { tools: [] };
    expect(messageText({ jsonrpc: '2.0', id: 1, result })).toBe(
      JSON.stringify({ jsonrpc: '2.0', id: 1, result }),
    );
    expect(messageText({ jsonrpc: '2.0', method: 'x' })).toBe('{"jsonrpc":"2.0","method":"x"}');
  });

  it('are shaped once per older revision (the same copy every time), and the copy is stable too', () => {
    const result = markStable({ tools: [{ name: 'a', title: 'A', inputSchema: { type: 'object' } }] });
    const old = shapeResult('tools/list', result, '2025-03-26');
    expect(old).not.toBe(result);
    expect((old.tools as Record<string, unknown>[])[0]).not.toHaveProperty('title');
    expect(shapeResult('tools/list', result, '2025-03-26')).toBe(old);
    const text = messageText({ jsonrpc: '2.0', id: 1, result: old });
    (old.tools as Record<string, unknown>[])[0] = { name: 'changed' };
    expect(messageText({ jsonrpc: '2.0', id: 1, result: old })).toBe(text);
    // Unmarked results are shaped anew each time.
    const plain = { tools: [{ name: 'a', title: 'A', inputSchema: { type: 'object' } }] };
    expect(shapeResult('tools/list', plain, '2025-03-26')).not.toBe(
      shapeResult('tools/list', plain, '2025-03-26'),
    );
  });
});
