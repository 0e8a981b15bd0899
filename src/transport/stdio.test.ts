import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_FRAME_BYTES, encodeMessage, LineDecoder, readFrameHead } from './stdio.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Feeds the chunks in order and collects every frame, including a final unterminated one. */
function decodeAll(decoder: LineDecoder, chunks: Uint8Array[]): string[] {
  const frames: string[] = [];
  for (const chunk of chunks) frames.push(...decoder.push(chunk));
  frames.push(...decoder.flush());
  return frames;
}

describe('LineDecoder', () => {
  it('yields one frame per newline-terminated line', () => {
    const decoder = new LineDecoder();
    expect(decoder.push(bytes('{"a":1}\n{"b":2}\n{"c"'))).toEqual(['{"a":1}', '{"b":2}']);
    expect(decoder.push(bytes(':3}\n'))).toEqual(['{"c":3}']);
  });

  it('joins a line split across many chunks', () => {
    const decoder = new LineDecoder();
    const text = '{"jsonrpc":"2.0","method":"x"}\n';
    const chunks = [...bytes(text)].map((b) => Uint8Array.of(b));
    expect(decodeAll(decoder, chunks)).toEqual(['{"jsonrpc":"2.0","method":"x"}']);
  });

  it('decodes a multi-byte character split across chunks', () => {
    const decoder = new LineDecoder();
    const encoded = bytes('{"s":"é€😀"}\n');
    const frames: string[] = [];
    // Cut inside each multi-byte sequence.
    for (const [from, to] of [
      [0, 7],
      [7, 9],
      [9, 11],
      [11, 14],
      [14, encoded.length],
    ]) {
      frames.push(...decoder.push(encoded.subarray(from, to)));
    }
    expect(frames).toEqual(['{"s":"é€😀"}']);
  });

  it('strips a trailing carriage return and skips empty lines', () => {
    const decoder = new LineDecoder();
    expect(decodeAll(decoder, [bytes('\n\r\n{"a":1}\r\n   \n{"b":2}\r'), bytes('\n\n')])).toEqual([
      '{"a":1}',
      '{"b":2}',
    ]);
  });

  it('gives back a final line that has no newline when flushed', () => {
    const decoder = new LineDecoder();
    expect(decoder.push(bytes('{"a":1}'))).toEqual([]);
    expect(decoder.flush()).toEqual(['{"a":1}']);
    expect(decoder.flush()).toEqual([]);
  });

  it('reports an oversize frame once, skips it, and goes on with the next one', () => {
    const reports: number[] = [];
    const decoder = new LineDecoder({ maxFrameBytes: 16, onOversize: (limit) => reports.push(limit) });
    const big = 'x'.repeat(40);
    const frames = decodeAll(decoder, [
      bytes(big.slice(0, 10)),
      bytes(big.slice(10, 30)),
      bytes(big.slice(30) + 'yyyy'),
      bytes('\n{"ok":true}\n'),
    ]);
    expect(frames).toEqual(['{"ok":true}']);
    expect(reports).toEqual([16]);
  });

  it('accepts a frame of exactly the limit and rejects one byte more', () => {
    const reports: number[] = [];
    const decoder = new LineDecoder({ maxFrameBytes: 8, onOversize: (limit) => reports.push(limit) });
    expect(decoder.push(bytes('12345678\n123456789\nabc\n'))).toEqual(['12345678', 'abc']);
    expect(reports).toEqual([8]);
  });

  it('counts the limit in bytes, not characters', () => {
    const reports: number[] = [];
    const decoder = new LineDecoder({ maxFrameBytes: 6, onOversize: (limit) => reports.push(limit) });
    // Three characters, six bytes: fits. Four characters, eight bytes: does not.
    expect(decoder.push(bytes('ééé\néééé\n'))).toEqual(['ééé']);
    expect(reports).toEqual([6]);
  });

  it('reports each oversize frame, including two in a row', () => {
    let reports = 0;
    const decoder = new LineDecoder({ maxFrameBytes: 4, onOversize: () => reports++ });
    expect(decoder.push(bytes('123456\n7890123\nok\n'))).toEqual(['ok']);
    expect(reports).toBe(2);
  });

  it('skips an oversize final line at end of stream', () => {
    let reports = 0;
    const decoder = new LineDecoder({ maxFrameBytes: 4, onOversize: () => reports++ });
    expect(decodeAll(decoder, [bytes('ok\n123456789')])).toEqual(['ok']);
    expect(reports).toBe(1);
  });

  it('defaults the limit to 4 MiB and refuses a nonsensical one', () => {
    expect(new LineDecoder().maxFrameBytes).toBe(DEFAULT_MAX_FRAME_BYTES);
    expect(DEFAULT_MAX_FRAME_BYTES).toBe(4 * 1024 * 1024);
    expect(() => new LineDecoder({ maxFrameBytes: 0 })).toThrow(RangeError);
  });

  it('yields the same frames however the stream is cut into chunks', () => {
    const line = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 20 })
      .filter((s) => !s.includes('\n') && !s.includes('\r') && s.trim().length > 0);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 }), (lines, cuts) => {
        const encoded = bytes(lines.map((l) => l + '\n').join(''));
        const points = [...new Set(cuts.map((c) => c % (encoded.length + 1)))].sort((a, b) => a - b);
        const chunks: Uint8Array[] = [];
        let from = 0;
        for (const p of [...points, encoded.length]) {
          chunks.push(encoded.subarray(from, p));
          from = p;
        }
        expect(decodeAll(new LineDecoder(), chunks)).toEqual(lines);
      }),
    );
  });
});

describe('encodeMessage', () => {
  it('writes one line of JSON ending in a newline, with newlines in strings escaped', () => {
    const text = encodeMessage({ jsonrpc: '2.0', method: 'note', params: { text: 'a\nb\r\nc' } });
    expect(text.endsWith('\n')).toBe(true);
    expect(text.slice(0, -1)).not.toMatch(/[\r\n]/);
    expect(JSON.parse(text)).toEqual({ jsonrpc: '2.0', method: 'note', params: { text: 'a\nb\r\nc' } });
  });

  it('round-trips through the decoder', () => {
    const message = { jsonrpc: '2.0' as const, id: 1, result: { text: 'ünïcødé 😀\n' } };
    const frames = new LineDecoder().push(bytes(encodeMessage(message) + encodeMessage([message])));
    expect(frames.map((f) => JSON.parse(f))).toEqual([message, [message]]);
  });
});

describe('readFrameHead', () => {
  it('reads the top-level id and kind, whatever the key order, and not ids nested in params', () => {
    expect(readFrameHead('{"jsonrpc":"2.0","id":7,"result":{"content":[{"type":"text","text":"xx')).toEqual({
      id: 7,
      kind: 'response',
    });
    expect(readFrameHead('{"result":{"a":1},"id":"a\\"b","jsonrpc":"2.0"}')).toEqual({
      id: 'a"b',
      kind: 'response',
    });
    expect(readFrameHead('{"jsonrpc":"2.0","method":"x","params":{"id":3,"data":"q')).toBeUndefined();
    expect(readFrameHead('{"jsonrpc":"2.0","method":"x","params":{"id":3},"id":4,"x":"q')).toEqual({
      id: 4,
      kind: 'request',
    });
    expect(readFrameHead('{"jsonrpc":"2.0","id":1')).toBeUndefined(); // kind unknown
    expect(readFrameHead('{"id":12345678901234567890,"result":{')).toBeUndefined(); // not a safe integer
    expect(readFrameHead('[{"id":1,"result":{}}')).toBeUndefined(); // a batch
  });

  it('finds the id of any response whose id comes before its result, from the first 1,024 characters', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }), fc.string({ maxLength: 200 })),
        fc.boolean(),
        fc.string({ maxLength: 2_000 }),
        (id, error, text) => {
          const answer = error ? { error: { code: 1, message: text } } : { result: { text } };
          const line = JSON.stringify({ jsonrpc: '2.0', id, ...answer });
          expect(readFrameHead(line.slice(0, 1024))).toEqual({ id, kind: 'response' });
        },
      ),
    );
  });

  it('hands onOversize the first characters of the dropped line, across chunks', () => {
    const heads: string[] = [];
    const decoder = new LineDecoder({ maxFrameBytes: 64, onOversize: (_limit, head) => heads.push(head) });
    const line = `{"jsonrpc":"2.0","id":"r-1","result":{"text":"${'é'.repeat(100)}"}}\n`;
    const all = bytes(line);
    expect(decodeAll(decoder, [all.subarray(0, 20), all.subarray(20, 50), all.subarray(50)])).toEqual([]);
    expect(heads).toHaveLength(1);
    expect(heads[0].startsWith('{"jsonrpc":"2.0","id":"r-1","result":')).toBe(true);
    expect(readFrameHead(heads[0])).toEqual({ id: 'r-1', kind: 'response' });
  });
});
