/** Fuzz properties of the stdio framing (LineDecoder, encodeMessage). */
import fc from 'fast-check';
import { encodeMessage, LineDecoder, readFrameHead } from '../../src/transport/stdio.ts';
import { concatBytes, cutBytes, cutsArb, jsonValueArb, messageLikeArb, utf8 } from './arbitraries.ts';
import { defineProperty, type FuzzGroup } from './runner.ts';

/** What a byte stream should decode to, computed line by line without any chunking. */
export function frameModel(stream: Uint8Array, max: number): { frames: string[]; oversize: number } {
  const frames: string[] = [];
  let oversize = 0;
  let from = 0;
  while (from <= stream.length) {
    let end = stream.indexOf(0x0a, from);
    if (end === -1) end = stream.length;
    const line = stream.subarray(from, end);
    if (line.length > max) oversize++;
    else if (line.length > 0) {
      let text = new TextDecoder().decode(line);
      if (text.endsWith('\r')) text = text.slice(0, -1);
      if (text.trim().length > 0) frames.push(text);
    }
    from = end + 1;
  }
  return { frames, oversize };
}

/** Feeds the chunks to a fresh decoder; never lets an exception escape unnoticed. */
function decode(chunks: readonly Uint8Array[], max: number | undefined) {
  let oversize = 0;
  const decoder = new LineDecoder({ maxFrameBytes: max, onOversize: () => oversize++ });
  const frames: string[] = [];
  for (const chunk of chunks) frames.push(...decoder.push(chunk));
  frames.push(...decoder.flush());
  return { frames, oversize };
}

const piece: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 3, arbitrary: fc.uint8Array({ maxLength: 24 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }).map(utf8) },
  {
    weight: 3,
    arbitrary: fc.constantFrom('\n', '\r\n', '\r', ' ', '\t', '\n\n', '\u2028', 'é', '😀').map(utf8),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(Uint8Array.of(0xf0, 0x9f), Uint8Array.of(0xc3), Uint8Array.of(0xff)),
  },
  { weight: 2, arbitrary: messageLikeArb.map((m) => utf8(JSON.stringify(m))) },
);

/**
 * Byte streams without U+FEFF (EF BB BF): Node's streaming TextDecoder loses a U+FEFF that follows a
 * character split across chunks (decode([0xC3], {stream: true}) then decode([0xA9, 0xEF, 0xBB, 0xBF])
 * gives "é", not "é\uFEFF"), and the decoder inherits that; everything else must match exactly.
 */
const streamArb = fc
  .array(piece, { maxLength: 24 })
  .map(concatBytes)
  .filter((b) => !/\xEF\xBB\xBF/.test(String.fromCharCode(...b)));
const maxArb = fc.oneof(fc.integer({ min: 1, max: 48 }), fc.constant(undefined));

/** The stdio framing properties. */
export const stdioFuzz: FuzzGroup = {
  parser: 'stdio framing (LineDecoder)',
  properties: [
    defineProperty('any chunking of any byte stream gives the frames of the line model', () =>
      fc.property(streamArb, cutsArb, maxArb, (stream, cuts, max) => {
        const got = decode(cutBytes(stream, cuts), max);
        const want = frameModel(stream, max ?? Number.MAX_SAFE_INTEGER);
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          throw new Error(`decoded ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
        }
      }),
    ),
    defineProperty('a frame over the limit is reported once and never emitted; later frames survive', () =>
      fc.property(
        fc.integer({ min: 12, max: 80 }),
        fc.integer({ min: 1, max: 400 }),
        cutsArb,
        (limit, extra, cuts) => {
          const big = '{"a":"' + 'x'.repeat(limit + extra) + '"}';
          const stream = utf8(`{"before":1}\n${big}\n{"after":2}\n${big}`);
          const got = decode(cutBytes(stream, cuts), limit);
          const want = ['{"before":1}', '{"after":2}'];
          if (got.oversize !== 2 || JSON.stringify(got.frames) !== JSON.stringify(want)) {
            throw new Error(`got ${JSON.stringify(got)}`);
          }
        },
      ),
    ),
    defineProperty(
      'an oversize answer or request, however cut, hands onOversize a head from which its id is read',
      () =>
        fc.property(
          fc.oneof(fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }), fc.string({ maxLength: 40 })),
          fc.constantFrom('result', 'error', 'request'),
          fc.string({ minLength: 200, maxLength: 600 }),
          cutsArb,
          (id, kind, text, cuts) => {
            const message =
              kind === 'request'
                ? { jsonrpc: '2.0', id, method: 'tools/call', params: { text } }
                : kind === 'error'
                  ? { jsonrpc: '2.0', id, error: { code: -32603, message: text } }
                  : { jsonrpc: '2.0', id, result: { text } };
            const heads: string[] = [];
            const decoder = new LineDecoder({
              maxFrameBytes: 180,
              onOversize: (_l, head) => heads.push(head),
            });
            for (const chunk of cutBytes(utf8(`${JSON.stringify(message)}\n{"after":1}\n`), cuts))
              decoder.push(chunk);
            if (heads.length !== 1) throw new Error(`${heads.length} oversize reports`);
            const want = { id, kind: kind === 'request' ? 'request' : 'response' };
            const got = readFrameHead(heads[0] as string);
            if (JSON.stringify(got) !== JSON.stringify(want)) {
              throw new Error(`read ${JSON.stringify(got)} from ${JSON.stringify(heads[0])}`);
            }
          },
        ),
    ),
    defineProperty('encodeMessage frames read back as the same messages, however the bytes are cut', () =>
      fc.property(
        fc.array(
          fc.oneof(
            messageLikeArb,
            jsonValueArb.map((params) => ({ jsonrpc: '2.0', id: 1, method: 'm', params })),
          ),
          { maxLength: 8 },
        ),
        cutsArb,
        (messages, cuts) => {
          const stream = utf8(messages.map((m) => encodeMessage(m as never)).join(''));
          const { frames, oversize } = decode(cutBytes(stream, cuts), undefined);
          const back = frames.map((f) => JSON.stringify(JSON.parse(f)));
          const want = messages.map((m) => JSON.stringify(m));
          if (oversize !== 0 || JSON.stringify(back) !== JSON.stringify(want)) {
            throw new Error(`read back ${JSON.stringify(back)}`);
          }
        },
      ),
    ),
  ],
};
