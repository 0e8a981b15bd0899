import { describe, expect, it } from 'vitest';
import { readAtMost } from './bytes.ts';

/** A stream of the given chunks that records whether it was cancelled. */
function chunked(...chunks: string[]): { stream: ReadableStream<Uint8Array>; cancelled: () => boolean } {
  let cancelled = false;
  let i = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks[i++];
      if (next === undefined) controller.close();
      else controller.enqueue(new TextEncoder().encode(next));
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, cancelled: () => cancelled };
}

describe('readAtMost', () => {
  it('joins the chunks of a stream up to the limit', async () => {
    const { stream, cancelled } = chunked('ab', 'cd', 'e');
    expect(new TextDecoder().decode(await readAtMost(stream, 5))).toBe('abcde');
    expect(cancelled()).toBe(false);
  });

  it('gives undefined and cancels the stream once more than the limit arrives', async () => {
    const { stream, cancelled } = chunked('ab', 'cd', 'ef', 'never read');
    expect(await readAtMost(stream, 5)).toBeUndefined();
    expect(cancelled()).toBe(true);
  });

  it('reads an empty stream as no bytes', async () => {
    expect((await readAtMost(chunked().stream, 0))?.byteLength).toBe(0);
  });
});
