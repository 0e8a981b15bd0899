import { describe, expect, it } from 'vitest';
import { hasMediaType, parseMessages, readSse } from './sse-parse.ts';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(encoder.encode(c));
      controller.close();
    },
  });
}

describe('readSse', () => {
  it('reads events split across chunks, with ids, event names, retry and comments', async () => {
    const events: Array<{ event?: string; id?: string; data: string }> = [];
    const ids: string[] = [];
    const retries: number[] = [];
    await readSse(
      streamOf([
        ': hello\n\nid: 1\nretry: 250\ndata:\n\n',
        'event: message\nid: 2\ndata: {"a"',
        ':1}\n\nid:\ndata: x\r\n\r\n',
      ]),
      { onEvent: (e) => events.push(e), onId: (id) => ids.push(id), onRetry: (ms) => retries.push(ms) },
    );
    expect(events.map((e) => [e.event, e.data])).toEqual([
      [undefined, ''],
      ['message', '{"a":1}'],
      [undefined, 'x'],
    ]);
    expect(ids).toEqual(['1', '2', '']);
    expect(retries).toEqual([250]);
  });

  it('decodes UTF-8 split inside a character', async () => {
    const bytes = new TextEncoder().encode('data: "é😀"\n\n');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const b of bytes) controller.enqueue(Uint8Array.of(b));
        controller.close();
      },
    });
    const data: string[] = [];
    await readSse(body, { onEvent: (e) => data.push(e.data) });
    expect(data).toEqual(['"é😀"']);
  });

  it('rejects when the stream errors, and when an event grows past the limit', async () => {
    const failing = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('data: 1\n\n'));
        controller.error(new Error('socket hang up'));
      },
    });
    await expect(readSse(failing, { onEvent: () => {} })).rejects.toThrow('socket hang up');
    const big = streamOf([`data: ${'x'.repeat(100)}`, 'y'.repeat(100)]);
    await expect(readSse(big, { onEvent: () => {} }, 50)).rejects.toThrow();
  });
});

describe('hasMediaType and parseMessages', () => {
  it('matches media types without parameters, case-insensitively', () => {
    expect(hasMediaType('text/event-stream; charset=utf-8', 'text/event-stream')).toBe(true);
    expect(hasMediaType('Application/JSON', 'application/json')).toBe(true);
    expect(hasMediaType('application/json-seq', 'application/json')).toBe(false);
    expect(hasMediaType(null, 'application/json')).toBe(false);
  });

  it('returns each message of a batch, and one message as a list of one', () => {
    expect(parseMessages('{"jsonrpc":"2.0","method":"a"}')).toEqual([{ jsonrpc: '2.0', method: 'a' }]);
    expect(parseMessages('[{"id":1},{"id":2}]')).toEqual([{ id: 1 }, { id: 2 }]);
    expect(() => parseMessages('{oops')).toThrow(SyntaxError);
  });
});
